//! The compensation agreement (征收补偿协议) of a household as a Word document: the project's
//! template (or the built-in one) with {{placeholders}} filled from the household's file.
use std::fmt::Write as _;
use std::io::Write;

use serde_json::Value;
use sqlx::PgPool;

use crate::auth::User;
use crate::error::{AppError, AppResult};

pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/agreement.txt");

/// Every placeholder a template may use.
pub const PLACEHOLDERS: [&str; 21] = [
    "project_name",
    "project_code",
    "household_code",
    "building_code",
    "holder_name",
    "holder_id_number",
    "members",
    "recorded_area",
    "house_yuan",
    "house_basis",
    "relocation_yuan",
    "transition_yuan",
    "transition_basis",
    "incentive_yuan",
    "incentive_basis",
    "total_yuan",
    "total_yuan_words",
    "override_note",
    "resettlement",
    "swap_note",
    "signed_on",
];
const TODAY: &str = "today";

fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim()))
}

/// Refuses a template naming a placeholder that does not exist.
pub fn check_template(template: &str) -> AppResult<()> {
    if template.trim().is_empty() {
        return Err(AppError::Unprocessable(
            "agreement_template: is empty (send null for the built-in one)".into(),
        ));
    }
    for name in placeholders(template) {
        if name != TODAY && !PLACEHOLDERS.contains(&name) {
            return Err(AppError::Unprocessable(format!(
                "agreement_template: `{{{{{name}}}}}` is not a placeholder; use {}",
                PLACEHOLDERS.join(", ")
            )));
        }
    }
    Ok(())
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn yuan(v: &Value) -> String {
    money(v.as_f64().unwrap_or(0.0))
}

/// An amount as contracts write it: `1,234,567.80` (thousands separated, two decimals).
#[must_use]
pub fn money(amount: f64) -> String {
    let fen = (amount.abs() * 100.0).round() as u64;
    let sign = if amount < 0.0 && fen > 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        crate::import::limits::thousands(fen / 100),
        fen % 100
    )
}

/// The agreement of a household the user may see: file name and DOCX bytes.
pub async fn generate(pool: &PgPool, user: &User, id: i64) -> AppResult<(String, Vec<u8>)> {
    generate_on(pool, user, id, crate::clock::beijing_today()).await
}

/// `generate` as on Beijing day `today` (its `{{today}}` and the file it reads): the archive
/// writes each agreement as of its data's day, so two exports give the same bytes.
pub async fn generate_on(
    pool: &PgPool,
    user: &User,
    id: i64,
    today: chrono::NaiveDate,
) -> AppResult<(String, Vec<u8>)> {
    let file = super::detail_on(pool, user, id, today).await?;
    let template: Option<String> = sqlx::query_scalar(
        "SELECT s.agreement_template FROM households h JOIN buildings b ON b.id = h.building_id
           LEFT JOIN compensation_standards s ON s.project_id = b.project_id WHERE h.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let c = &file["compensation"];
    let line = |key: &str, field: &str| -> Value {
        c["lines"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| l["key"] == key)
            .map_or(Value::Null, |l| l[field].clone())
    };
    let total = c["total_yuan"].as_f64().unwrap_or(0.0);
    let value = |name: &str| -> String {
        match name {
            "house_yuan" | "relocation_yuan" | "transition_yuan" | "incentive_yuan" => {
                yuan(&line(name.trim_end_matches("_yuan"), "yuan"))
            }
            "house_basis" | "transition_basis" | "incentive_basis" => {
                text(&line(name.trim_end_matches("_basis"), "basis"))
            }
            "total_yuan" => money(total),
            // the file names it `code`, the template `household_code`
            "household_code" => text(&file["code"]),
            "total_yuan_words" => yuan_in_words(total),
            "override_note" => c["override"]["reason"]
                .as_str()
                .map_or(String::new(), |r| format!("（经一事一议核定：{r}）")),
            // 产权调换: the selection's swap money (差价结算), when settled (docs/selection.md)
            "swap_note" => match line("swap", "yuan") {
                Value::Null => String::new(),
                swap => {
                    let owed = line("swap", "owed_yuan").as_f64().unwrap_or(0.0);
                    let pays_in = if owed > 0.0 {
                        format!("，乙方应补交差价{}元", money(owed))
                    } else {
                        String::new()
                    };
                    format!(
                        "；产权调换差价{}元（{}）{pays_in}",
                        yuan(&swap),
                        text(&line("swap", "basis"))
                    )
                }
            },
            "resettlement" => match file["resettlement"].as_str() {
                Some("monetary") => "货币补偿".into(),
                Some("property_swap") => "产权调换".into(),
                _ => "待定".into(),
            },
            "signed_on" => {
                if c["projected"] == Value::Bool(true) {
                    "（未签约）".into()
                } else {
                    text(&c["signed_on"])
                }
            }
            TODAY => today.to_string(),
            other => text(&file[other]),
        }
    };
    let template = template.as_deref().unwrap_or(DEFAULT_TEMPLATE);
    let mut filled = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        filled.push_str(&rest[..start]);
        let Some(end) = rest[start + 2..].find("}}") else {
            rest = &rest[start..];
            break;
        };
        filled.push_str(&value(rest[start + 2..start + 2 + end].trim()));
        rest = &rest[start + 2 + end + 2..];
    }
    filled.push_str(rest);
    let name = format!("{}-补偿协议.docx", text(&file["code"]));
    Ok((name, docx(&filled)?))
}

/// 1234.5 → 壹仟贰佰叁拾肆元伍角整, the way amounts are written on Chinese contracts.
#[must_use]
pub fn yuan_in_words(amount: f64) -> String {
    const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const SMALL: [&str; 4] = ["", "拾", "佰", "仟"];
    const BIG: [&str; 3] = ["", "万", "亿"];
    let fen = (amount.abs() * 100.0).round() as u64;
    let (yuan, jiao, fen) = (fen / 100, (fen / 10) % 10, fen % 10);
    let mut words = String::new();
    if yuan == 0 {
        words.push('零');
    } else {
        let digits: Vec<u64> = yuan
            .to_string()
            .bytes()
            .map(|b| u64::from(b - b'0'))
            .collect();
        let mut zero = false;
        for (i, d) in digits.iter().enumerate() {
            let place = digits.len() - 1 - i;
            if *d == 0 {
                zero = true;
            } else {
                if zero {
                    words.push('零');
                    zero = false;
                }
                words.push(DIGITS[*d as usize]);
                words.push_str(SMALL[place % 4]);
            }
            // a group of four ends: name it if any of its digits was not zero
            if place % 4 == 0 && place > 0 {
                let group = &digits[i.saturating_sub(3)..=i];
                if group.iter().any(|g| *g != 0) {
                    words.push_str(BIG[(place / 4).min(2)]);
                }
            }
        }
    }
    words.push('元');
    if jiao == 0 && fen == 0 {
        words.push('整');
    } else {
        if jiao > 0 {
            words.push(DIGITS[jiao as usize]);
            words.push('角');
        } else {
            words.push('零');
        }
        if fen > 0 {
            words.push(DIGITS[fen as usize]);
            words.push('分');
        }
    }
    words
}

/// Text as XML 1.0 character data: markup escaped, and the characters XML 1.0 cannot hold at
/// all (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF) dropped, since a
/// name or reason imported with one would otherwise make the whole document unreadable.
fn escape(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal Word document: the first line a centred bold title, every other line a paragraph.
pub fn docx(body: &str) -> AppResult<Vec<u8>> {
    let mut paragraphs = String::new();
    for (i, line) in body.lines().enumerate() {
        let (p, r) = if i == 0 {
            (
                r#"<w:pPr><w:jc w:val="center"/></w:pPr>"#,
                r#"<w:rPr><w:b/><w:sz w:val="36"/></w:rPr>"#,
            )
        } else {
            ("", r#"<w:rPr><w:sz w:val="24"/></w:rPr>"#)
        };
        let _ = write!(
            paragraphs,
            r#"<w:p>{p}<w:r>{r}<w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            escape(line)
        );
    }
    // the document's fixed XML around the paragraphs, kept in docx/ beside the package's parts
    let document = format!(
        "{}{paragraphs}{}",
        include_str!("docx/document_head.xml"),
        include_str!("docx/document_tail.xml")
    );
    let parts = [
        (
            "[Content_Types].xml",
            include_str!("docx/content_types.xml").to_owned(),
        ),
        ("_rels/.rels", include_str!("docx/rels.xml").to_owned()),
        ("word/document.xml", document),
    ];
    let fail = |e: &dyn std::fmt::Display| {
        AppError::Internal(format!("agreement: cannot write the document: {e}"))
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // a fixed time on the parts (the zip's default, 1980-01-01): the same text, the same bytes
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in parts {
        zip.start_file(name, options).map_err(|e| fail(&e))?;
        zip.write_all(content.as_bytes()).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_words() {
        assert_eq!(yuan_in_words(1234.5), "壹仟贰佰叁拾肆元伍角");
        assert_eq!(yuan_in_words(100_000.0), "壹拾万元整");
        assert_eq!(yuan_in_words(1_005_020.07), "壹佰万零伍仟零贰拾元零柒分");
        assert_eq!(yuan_in_words(0.0), "零元整");
        assert_eq!(yuan_in_words(300_000_000.0), "叁亿元整");
    }

    #[test]
    fn amounts_have_thousands_separators() {
        assert_eq!(money(1_234_567.8), "1,234,567.80");
        assert_eq!(money(999.994), "999.99");
        assert_eq!(money(0.0), "0.00");
        assert_eq!(money(-1500.0), "-1,500.00");
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        assert_eq!(
            escape("张\u{0}三\u{1b}\u{7} <b> & \u{ffff}\t"),
            "张三 &lt;b&gt; &amp; \t"
        );
    }

    #[test]
    fn unknown_placeholders_are_named() {
        assert!(check_template(DEFAULT_TEMPLATE).is_ok());
        let e = check_template("甲方 {{holder_nmae}}")
            .expect_err("an unknown placeholder")
            .to_string();
        assert!(e.contains("holder_nmae"), "{e}");
    }
}
