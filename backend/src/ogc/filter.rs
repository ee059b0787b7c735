//! A parsed CQL2 filter as SQL over a collection's queryables, its values bound as arguments;
//! a property that is not a queryable, or a value a queryable cannot hold, is a 400 naming it.
use super::collections::{queryables_of, Collection, Queryable};
use super::cql2::{Expr, Literal, Op};
use super::items::Condition;
use crate::error::{AppError, AppResult};

fn bad(message: &str) -> AppError {
    AppError::BadRequest(format!("filter: {message}"))
}

fn queryable(c: &Collection, property: &str) -> AppResult<Queryable> {
    let list = queryables_of(c);
    list.iter()
        .find(|(name, _)| *name == property)
        .map(|(_, q)| *q)
        .ok_or_else(|| {
            let names: Vec<&str> = list.iter().map(|(name, _)| *name).collect();
            bad(&format!(
                "`{property}` is not a queryable of {}; its queryables: {}",
                c.id,
                names.join(", ")
            ))
        })
}

/// The text of a literal, checked against the values an ordered queryable may hold.
fn text(property: &str, q: Queryable, value: &Literal) -> AppResult<String> {
    let Literal::Text(text) = value else {
        return Err(bad(&format!("{property} compares with 'quoted text'")));
    };
    if let Queryable::Ordered(_, values) = q {
        if !values.contains(&text.as_str()) {
            return Err(bad(&format!(
                "{property} `{text}` is not one of {}",
                values.join(", ")
            )));
        }
    }
    Ok(text.clone())
}

/// The SQL of the column a queryable reads, as text.
fn column(q: Queryable) -> &'static str {
    match q {
        Queryable::Code => "t.code",
        Queryable::Project => "p.code",
        // regions compare by lineage, never by column: callers handle them first
        Queryable::Region => "r.code",
        Queryable::Ordered(column, _) => column,
    }
}

fn negate(sql: String, negated: bool) -> String {
    if negated {
        format!("NOT ({sql})")
    } else {
        sql
    }
}

/// `expr` as a boolean SQL expression over the collection's FROM clause.
pub(super) fn sql(expr: &Expr, c: &Collection, cond: &mut Condition) -> AppResult<String> {
    Ok(match expr {
        Expr::And(a, b) => format!("({} AND {})", sql(a, c, cond)?, sql(b, c, cond)?),
        Expr::Or(a, b) => format!("({} OR {})", sql(a, c, cond)?, sql(b, c, cond)?),
        Expr::Not(a) => format!("NOT ({})", sql(a, c, cond)?),
        Expr::Compare(property, op, value) => {
            let q = queryable(c, property)?;
            let value = text(property, q, value)?;
            match (q, op) {
                (Queryable::Region, Op::Eq | Op::Ne) => {
                    let p = cond.bind(vec![value]);
                    negate(in_regions(&p), *op == Op::Ne)
                }
                (Queryable::Region, _) => {
                    return Err(bad("region takes =, <> or IN (the region and below)"))
                }
                (Queryable::Ordered(column, values), Op::Lt | Op::Le | Op::Gt | Op::Ge) => {
                    let order = cond.bind(values.to_vec());
                    let p = cond.bind(value);
                    format!(
                        "array_position({order}::text[], {column}::text) {} array_position({order}::text[], {p})",
                        op.sql()
                    )
                }
                _ => {
                    let p = cond.bind(value);
                    format!("{}::text {} {p}", column(q), op.sql())
                }
            }
        }
        Expr::In(property, values, negated) => {
            let q = queryable(c, property)?;
            let values = values
                .iter()
                .map(|v| text(property, q, v))
                .collect::<AppResult<Vec<String>>>()?;
            let p = cond.bind(values);
            let sql = match q {
                Queryable::Region => in_regions(&p),
                _ => format!("{}::text = ANY({p}::text[])", column(q)),
            };
            negate(sql, *negated)
        }
        Expr::Like(property, pattern, negated) => {
            let q = queryable(c, property)?;
            if matches!(q, Queryable::Region) {
                return Err(bad("region takes =, <> or IN, not LIKE"));
            }
            let p = cond.bind(pattern.clone());
            negate(format!("{}::text LIKE {p}", column(q)), *negated)
        }
        Expr::IsNull(property, negated) => {
            let q = queryable(c, property)?;
            let column = match q {
                Queryable::Region => "r.lineage",
                _ => column(q),
            };
            format!("{column} IS {}NULL", if *negated { "NOT " } else { "" })
        }
    })
}

/// Whether the feature's region is one of the regions coded in `codes` (a text[] argument)
/// or below one.
fn in_regions(codes: &str) -> String {
    format!(
        "coalesce(r.lineage && ARRAY(SELECT x.id FROM regions x WHERE x.code = ANY({codes}::text[])), false)"
    )
}
