//! The gauges of the cockpit, each with its unit and what a rate divides; their names and
//! definitions are the frontend's (`frontend/src/i18n/`), by key. `zh` heads the CSV export's columns.

pub struct Definition {
    pub key: &'static str,
    pub unit: Option<&'static str>,
    pub zh: &'static str,
    pub numerator: Option<&'static str>,
    pub denominator: Option<&'static str>,
}

const fn count(key: &'static str, unit: &'static str, zh: &'static str) -> Definition {
    Definition {
        key,
        unit: Some(unit),
        zh,
        numerator: None,
        denominator: None,
    }
}

const fn rate(
    key: &'static str,
    zh: &'static str,
    num: &'static str,
    over: &'static str,
) -> Definition {
    Definition {
        key,
        unit: Some("%"),
        zh,
        numerator: Some(num),
        denominator: Some(over),
    }
}

/// In the order the screens show them.
pub static FIGURES: [Definition; 21] = [
    count("households", "户", "总户数"),
    count("floor_area", "m²", "总面积"),
    count("signed", "户", "签约户数"),
    rate("sign_rate", "签约率", "signed", "households"),
    rate("vacate_rate", "腾空率", "vacated", "households"),
    rate("demolish_rate", "拆除率", "demolished", "households"),
    count("land_delivered_mu", "亩", "已交地"),
    count("land_total_mu", "亩", "应交地"),
    rate(
        "land_delivered_rate",
        "交地率",
        "land_delivered_mu",
        "land_total_mu",
    ),
    count("difficult", "户", "疑难户"),
    count("open_cases", "件", "在办疑难个案"),
    count("overdue_cases", "件", "超期疑难个案"),
    rate("monetary_rate", "货币化安置率", "monetary", "signed"),
    count("pace_7d", "户/日", "近7日日均签约"),
    Definition {
        key: "projected_completion",
        unit: Some("date"),
        zh: "预计签约完成",
        numerator: None,
        denominator: None,
    },
    Definition {
        key: "target_date",
        unit: Some("date"),
        zh: "目标日期",
        numerator: None,
        denominator: None,
    },
    Definition {
        key: "on_track",
        unit: None,
        zh: "按期",
        numerator: None,
        denominator: None,
    },
    count("funds_budget", "万元", "征收预算"),
    count("funds_allocated", "万元", "资金拨入"),
    count("funds_paid", "万元", "资金支付"),
    rate(
        "funds_paid_rate",
        "资金支付率",
        "funds_paid",
        "funds_budget",
    ),
];

#[cfg(test)]
mod tests {
    /// The export's column names are the pages' names: the one place the Chinese name is
    /// written twice (the pages' dictionary cannot be read by the server), held equal here.
    #[test]
    fn export_names_are_the_pages_names() {
        let dictionary = include_str!("../../../frontend/src/i18n/zh.ts");
        for d in &super::FIGURES {
            let entry = format!("'figure.{}.name': '{}'", d.key, d.zh);
            assert!(
                dictionary.contains(&entry),
                "frontend/src/i18n/zh.ts lacks {entry}"
            );
        }
    }
}
