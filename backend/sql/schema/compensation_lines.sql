-- The lines of a compensation, each with its basis, from what it was computed on.
CREATE OR REPLACE FUNCTION compensation_lines(use text, legality text, recorded_area numeric, rate_yuan_per_m2 numeric,
                                   house_yuan numeric, relocation_yuan numeric, transition_yuan numeric,
                                   transition_yuan_per_m2_month numeric, transition_months smallint,
                                   incentive_yuan numeric, incentive_until date) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_array(
        jsonb_build_object('key', 'house', 'zh', '房屋补偿', 'yuan', house_yuan, 'rate', rate_yuan_per_m2,
            'basis', format('%s m² × %s 元/m²（%s，%s）', recorded_area, rate_yuan_per_m2,
                CASE use WHEN 'residential' THEN '住宅' WHEN 'commercial' THEN '商业' WHEN 'industrial' THEN '工业'
                         WHEN 'public' THEN '公共' ELSE '混合' END,
                CASE legality WHEN 'legal' THEN '合法' ELSE '违法建筑' END)),
        jsonb_build_object('key', 'relocation', 'zh', '搬迁补助', 'yuan', relocation_yuan, 'basis', '每户'),
        jsonb_build_object('key', 'transition', 'zh', '临时安置补助', 'yuan', transition_yuan,
            'basis', format('%s m² × %s 元/m²/月 × %s 个月', recorded_area, transition_yuan_per_m2_month, transition_months)),
        jsonb_build_object('key', 'incentive', 'zh', '签约奖励', 'yuan', incentive_yuan,
            'basis', CASE WHEN incentive_until IS NULL THEN '签约日不在奖励期内' ELSE format('%s 前签约', incentive_until) END))
$$;
