//! The attributes of surveyed parcels and buildings, found under the names survey files use
//! (English or Chinese headers) and their values mapped to the database's words.
use std::collections::BTreeMap;

#[derive(Debug, Default, PartialEq)]
pub struct Attributes {
    pub code: Option<String>,
    pub floors: Option<i32>,
    pub floor_area: Option<f64>,
    pub use_: Option<&'static str>,
    pub legality: Option<&'static str>,
    pub land_use: Option<&'static str>,
}

const CODE: &[&str] = &["code", "编码", "编号", "bm", "bh"];
const FLOORS: &[&str] = &["floors", "层数", "cs"];
const FLOOR_AREA: &[&str] = &["floor_area", "建筑面积", "jzmj"];
const USE: &[&str] = &["use", "用途", "yt"];
const LEGALITY: &[&str] = &["legality", "合法性", "是否合法"];
const LAND_USE: &[&str] = &["land_use", "地类", "用地性质", "dl"];

const USES: &[(&str, &str)] = &[
    ("residential", "residential"),
    ("住宅", "residential"),
    ("commercial", "commercial"),
    ("商业", "commercial"),
    ("industrial", "industrial"),
    ("工业", "industrial"),
    ("public", "public"),
    ("公共", "public"),
    ("公建", "public"),
    ("mixed", "mixed"),
    ("混合", "mixed"),
    ("商住", "mixed"),
];
const LEGALITIES: &[(&str, &str)] = &[
    ("legal", "legal"),
    ("合法", "legal"),
    ("有证", "legal"),
    ("是", "legal"),
    ("illegal", "illegal"),
    ("违法", "illegal"),
    ("违建", "illegal"),
    ("无证", "illegal"),
    ("否", "illegal"),
];
const LAND_USES: &[(&str, &str)] = &[
    ("residential", "residential"),
    ("住宅", "residential"),
    ("宅基地", "residential"),
    ("commercial", "commercial"),
    ("商业", "commercial"),
    ("industrial", "industrial"),
    ("工业", "industrial"),
    ("farmland", "farmland"),
    ("耕地", "farmland"),
    ("农用地", "farmland"),
    ("农田", "farmland"),
    ("public", "public"),
    ("公共", "public"),
];

/// The value under the first of `names` the feature has (names compared without case), with
/// the name it was found under.
pub(crate) fn find<'a>(
    fields: &'a BTreeMap<String, String>,
    names: &[&str],
) -> Option<(&'a str, &'a str)> {
    names.iter().find_map(|name| {
        fields
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(k, v)| (k.as_str(), v.trim()))
            .filter(|(_, v)| !v.is_empty())
    })
}

fn word(
    fields: &BTreeMap<String, String>,
    names: &[&str],
    words: &[(&str, &'static str)],
) -> Result<Option<&'static str>, String> {
    let Some((field, value)) = find(fields, names) else {
        return Ok(None);
    };
    words
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(value))
        .map(|(_, db)| Some(*db))
        .ok_or_else(|| {
            let mut allowed: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
            allowed.dedup();
            format!("{field}: `{value}` is not one of {}", allowed.join(", "))
        })
}

/// The feature's code, whatever else is wrong with it.
#[must_use]
pub fn code(fields: &BTreeMap<String, String>) -> Option<String> {
    find(fields, CODE).map(|(_, v)| v.to_owned())
}

/// The attributes of one feature, or the problem with one of them (naming the field).
pub fn attributes(fields: &BTreeMap<String, String>) -> Result<Attributes, String> {
    let floors = match find(fields, FLOORS) {
        None => None,
        Some((field, v)) => Some(
            v.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && (1.0..=100.0).contains(f))
                .map(|f| {
                    #[allow(clippy::cast_possible_truncation)]
                    let whole = f as i32;
                    whole
                })
                .ok_or_else(|| {
                    format!("{field}: `{v}` is not a whole number of floors from 1 to 100")
                })?,
        ),
    };
    let floor_area = match find(fields, FLOOR_AREA) {
        None => None,
        Some((field, v)) => Some(
            v.parse::<f64>()
                .ok()
                .filter(|a| *a > 0.0 && a.is_finite())
                .ok_or_else(|| format!("{field}: `{v}` is not a floor area in m² above 0"))?,
        ),
    };
    Ok(Attributes {
        code: code(fields),
        floors,
        floor_area,
        use_: word(fields, USE, USES)?,
        legality: word(fields, LEGALITY, LEGALITIES)?,
        land_use: word(fields, LAND_USE, LAND_USES)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn chinese_headers_and_words() {
        let a = attributes(&fields(&[
            ("编码", "B-1"),
            ("层数", "3"),
            ("建筑面积", "245.5"),
            ("用途", "商住"),
            ("合法性", "违建"),
        ]))
        .expect("ok");
        assert_eq!(a.code.as_deref(), Some("B-1"));
        assert_eq!(
            (a.floors, a.use_, a.legality),
            (Some(3), Some("mixed"), Some("illegal"))
        );
        assert!(a.floor_area.is_some_and(|f| (f - 245.5).abs() < 1e-9));
    }

    #[test]
    fn bad_values_name_their_field() {
        assert_eq!(
            attributes(&fields(&[("层数", "二")])).err().as_deref(),
            Some("层数: `二` is not a whole number of floors from 1 to 100")
        );
        assert!(attributes(&fields(&[("FLOOR_AREA", "-3")]))
            .err()
            .is_some_and(|e| e.starts_with("FLOOR_AREA:")));
        assert!(attributes(&fields(&[("地类", "荒地")]))
            .err()
            .is_some_and(|e| e.starts_with("地类: `荒地`")));
    }
}
