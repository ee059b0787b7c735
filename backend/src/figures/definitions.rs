//! The gauges of the cockpit, each with its unit, its names and the definition the screen shows.

pub struct Definition {
    pub key: &'static str,
    pub unit: Option<&'static str>,
    pub zh: &'static str,
    pub en: &'static str,
    pub definition_zh: &'static str,
    pub definition_en: &'static str,
    pub numerator: Option<&'static str>,
    pub denominator: Option<&'static str>,
}

const fn count(
    key: &'static str,
    unit: &'static str,
    zh: &'static str,
    en: &'static str,
    dzh: &'static str,
    den: &'static str,
) -> Definition {
    Definition {
        key,
        unit: Some(unit),
        zh,
        en,
        definition_zh: dzh,
        definition_en: den,
        numerator: None,
        denominator: None,
    }
}

#[allow(clippy::too_many_arguments)]
const fn rate(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    dzh: &'static str,
    den: &'static str,
    num: &'static str,
    over: &'static str,
) -> Definition {
    Definition {
        key,
        unit: Some("%"),
        zh,
        en,
        definition_zh: dzh,
        definition_en: den,
        numerator: Some(num),
        denominator: Some(over),
    }
}

/// In the order the screens show them.
pub static FIGURES: [Definition; 19] = [
    count("households", "户", "总户数", "Households", "范围内各项目被征收户之和", "households in the scope's projects"),
    count("floor_area", "m²", "总面积", "Floor area", "被征收房屋登记建筑面积之和", "recorded floor area of the buildings"),
    count("signed", "户", "签约户数", "Signed", "已签约（含已腾空、已拆除）户数", "households signed, vacated or demolished"),
    rate("sign_rate", "签约率", "Sign rate", "签约户数 ÷ 总户数", "signed ÷ households", "signed", "households"),
    rate("vacate_rate", "腾空率", "Vacate rate", "已腾空交房户数 ÷ 总户数", "vacated ÷ households", "vacated", "households"),
    rate("demolish_rate", "拆除率", "Demolish rate", "已拆除户数 ÷ 总户数", "demolished ÷ households", "demolished", "households"),
    count("land_delivered_mu", "亩", "已交地", "Land delivered", "已交地地块面积（1亩 = 666.67 m²）", "area of delivered parcels (1 mu = 666.67 m²)"),
    count("land_total_mu", "亩", "应交地", "Land to deliver", "范围内全部地块面积", "area of all parcels in the scope"),
    rate("land_delivered_rate", "交地率", "Land delivered rate", "已交地 ÷ 应交地", "land delivered ÷ land to deliver", "land_delivered_mu", "land_total_mu"),
    count("difficult", "户", "疑难户", "Difficult households", "标记为疑难的户数", "households flagged difficult"),
    rate("monetary_rate", "货币化安置率", "Monetary resettlement rate", "选择货币补偿的签约户 ÷ 签约户数", "monetary ÷ signed", "monetary", "signed"),
    count("pace_7d", "户/日", "近7日日均签约", "Signing pace (7 days)", "最近7天净增签约户数 ÷ 7", "net signings over the last 7 days ÷ 7"),
    Definition {
        key: "projected_completion", unit: Some("date"), zh: "预计签约完成", en: "Projected signing completion",
        definition_zh: "按近7日速度签完剩余户数的日期；速度为零时为空", definition_en: "the day the remaining households are signed at the 7-day pace; empty when the pace is zero",
        numerator: None, denominator: None,
    },
    Definition {
        key: "target_date", unit: Some("date"), zh: "目标日期", en: "Target date",
        definition_zh: "项目计划完成日期（仅项目）", definition_en: "the project's target completion date (projects only)",
        numerator: None, denominator: None,
    },
    Definition {
        key: "on_track", unit: None, zh: "按期", en: "On track",
        definition_zh: "预计签约完成不晚于目标日期（仅项目）", definition_en: "projected completion no later than the target date (projects only)",
        numerator: None, denominator: None,
    },
    count("funds_budget", "万元", "征收预算", "Budget", "范围内各项目征收补偿预算之和", "compensation budgets of the scope's projects"),
    count("funds_allocated", "万元", "资金拨入", "Funds allocated", "已到位的拨入资金", "money received for the projects (allocations)"),
    count("funds_paid", "万元", "资金支付", "Funds paid", "已支付批次的补偿款之和", "compensation in paid batches"),
    rate("funds_paid_rate", "资金支付率", "Funds paid rate", "资金支付 ÷ 征收预算", "funds paid ÷ budget", "funds_paid", "funds_budget"),
];
