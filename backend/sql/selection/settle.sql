-- 差价结算 of a confirmed selection (schema function swap_settle). $1 day, $2 household, $3 user.
SELECT swap_settle($1, $2, $3)
