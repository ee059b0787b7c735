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
    /// The attributes whose value was refused (`floors`, `floor_area`, `use`, `legality`,
    /// `land_use`): staged empty, so the checks do not also call them missing.
    pub refused: Vec<&'static str>,
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

/// A DBF field name holds 10 bytes: GDAL cuts longer UTF-8 names there, leaving part of a
/// character (read as U+FFFD). What is left of `name` once cut so, on a character boundary.
fn dbf_cut(name: &str) -> &str {
    let mut end = 0;
    for (i, c) in name.char_indices() {
        if i + c.len_utf8() > 10 {
            break;
        }
        end = i + c.len_utf8();
    }
    &name[..end]
}

/// Whether the file's field `key` is `name`: compared without case, or as a Shapefile cut it
/// (建筑面积 is 12 bytes in UTF-8 and arrives as `建筑面` and a broken byte).
fn same_name(key: &str, name: &str) -> bool {
    let key = key.trim();
    if key.eq_ignore_ascii_case(name) {
        return true;
    }
    let cut = key.trim_end_matches('\u{FFFD}');
    name.len() > 10 && !cut.is_empty() && cut == dbf_cut(name)
}

/// The value under the first of `names` the feature has (names compared without case), with
/// the name it was found under.
pub(crate) fn find<'a>(
    fields: &'a BTreeMap<String, String>,
    names: &[&str],
) -> Option<(&'a str, &'a str)> {
    names.iter().find_map(|name| {
        fields
            .iter()
            .find(|(k, _)| same_name(k, name))
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

/// The attributes of one feature, and the problem with each refused one (naming the field).
/// A refused value leaves its attribute empty and the others as read: 层数 `3.5` is one
/// problem, never also "no code" or "needs floors".
#[must_use]
pub fn attributes(fields: &BTreeMap<String, String>) -> (Attributes, Vec<String>) {
    let mut problems = Vec::new();
    let mut refused = Vec::new();
    let floors = kept("floors", floors(fields), &mut problems, &mut refused);
    let floor_area = kept(
        "floor_area",
        floor_area(fields),
        &mut problems,
        &mut refused,
    );
    let use_ = kept("use", word(fields, USE, USES), &mut problems, &mut refused);
    let legality = kept(
        "legality",
        word(fields, LEGALITY, LEGALITIES),
        &mut problems,
        &mut refused,
    );
    let land_use = kept(
        "land_use",
        word(fields, LAND_USE, LAND_USES),
        &mut problems,
        &mut refused,
    );
    let attributes = Attributes {
        code: code(fields),
        floors,
        floor_area,
        use_,
        legality,
        land_use,
        refused,
    };
    (attributes, problems)
}

/// The value, or none with its problem listed and the attribute named refused.
fn kept<T>(
    name: &'static str,
    value: Result<Option<T>, String>,
    problems: &mut Vec<String>,
    refused: &mut Vec<&'static str>,
) -> Option<T> {
    value.unwrap_or_else(|problem| {
        problems.push(problem);
        refused.push(name);
        None
    })
}

fn floors(fields: &BTreeMap<String, String>) -> Result<Option<i32>, String> {
    let Some((field, v)) = find(fields, FLOORS) else {
        return Ok(None);
    };
    v.parse::<f64>()
        .ok()
        .filter(|f| f.fract() == 0.0 && (1.0..=100.0).contains(f))
        .map(|f| {
            #[allow(clippy::cast_possible_truncation)]
            let whole = f as i32;
            Some(whole)
        })
        .ok_or_else(|| format!("{field}: `{v}` is not a whole number of floors from 1 to 100"))
}

fn floor_area(fields: &BTreeMap<String, String>) -> Result<Option<f64>, String> {
    let Some((field, v)) = find(fields, FLOOR_AREA) else {
        return Ok(None);
    };
    v.parse::<f64>()
        .ok()
        .filter(|a| *a > 0.0 && a.is_finite())
        .map(Some)
        .ok_or_else(|| format!("{field}: `{v}` is not a floor area in m² above 0"))
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
        let (a, problems) = attributes(&fields(&[
            ("编码", "B-1"),
            ("层数", "3"),
            ("建筑面积", "245.5"),
            ("用途", "商住"),
            ("合法性", "违建"),
        ]));
        assert!(problems.is_empty());
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
            attributes(&fields(&[("层数", "二")])).1,
            ["层数: `二` is not a whole number of floors from 1 to 100"]
        );
        assert!(attributes(&fields(&[("FLOOR_AREA", "-3")])).1[0].starts_with("FLOOR_AREA:"));
        assert!(attributes(&fields(&[("地类", "荒地")])).1[0].starts_with("地类: `荒地`"));
    }

    #[test]
    fn a_refused_value_keeps_the_code_and_the_other_attributes() {
        let (a, problems) = attributes(&fields(&[
            ("编码", "B-7"),
            ("层数", "3.5"),
            ("建筑面积", "90"),
        ]));
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (a.code.as_deref(), a.floors, a.refused.as_slice()),
            (Some("B-7"), None, &["floors"][..])
        );
        assert!(a.floor_area.is_some());
    }

    #[test]
    fn shapefile_cut_chinese_names_are_found() {
        // GDAL cuts 建筑面积 (12 bytes) at 10 and reads the broken character as U+FFFD
        let (a, _) = attributes(&fields(&[
            ("建筑面\u{FFFD}", "88.5"),
            ("用地性\u{FFFD}", "耕地"),
        ]));
        assert!(a.floor_area.is_some_and(|f| (f - 88.5).abs() < 1e-9));
        assert_eq!(a.land_use, Some("farmland"));
        assert_eq!(attributes(&fields(&[("建筑", "88.5")])).0.floor_area, None);
    }
}
