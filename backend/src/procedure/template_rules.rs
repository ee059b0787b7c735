//! The rules a new procedure template version must keep (docs/procedure.md), checked step by
//! step so a refusal names the step (seq and key), the field and the rule; and the shapes of a
//! version as an admin sends it.
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{AppError, AppResult, Code};

pub const KINDS: [&str; 4] = [
    "house_expropriation",
    "land_acquisition",
    "shantytown",
    "land_readiness",
];
pub const STAGES: [&str; 7] = [
    "preparation",
    "survey",
    "plan",
    "decision",
    "signing",
    "relocation",
    "handover",
];
pub const OUTPUTS: [&str; 6] = [
    "announcement",
    "report",
    "decision",
    "list",
    "agreement",
    "record",
];
pub const UNITS: [&str; 3] = ["days", "working_days", "months"];
/// 九公开: the nine items a project publishes (disclosure_kind labels).
pub const ITEMS: [&str; 9] = [
    "overview",
    "policy",
    "compensation_plan",
    "announcement",
    "survey_results",
    "appraisal_results",
    "compensation_results",
    "staff",
    "supervision",
];
/// The gates of docs/procedure.md: each template has exactly one step opening each.
pub const GATES: [&str; 3] = ["signing", "compensation_decision", "demolition"];
/// The most steps a version may have (the table's `seq` bound).
pub const MAX_STEPS: usize = 60;
const MAX_NAME: usize = 60;
const MAX_BASIS: usize = 400;
const MAX_TEMPLATE_NAME: usize = 60;
const MAX_NOTE: usize = 400;

/// A step of a new version, as the admin page sends it; its place in `steps` is its `seq`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    /// optional: when sent, it must be the step's place (1, 2, …)
    #[serde(default)]
    pub seq: Option<i64>,
    pub key: String,
    pub name: String,
    pub stage: String,
    pub legal_basis: String,
    pub produces: String,
    #[serde(default)]
    pub min_period: Option<i64>,
    #[serde(default)]
    pub max_period: Option<i64>,
    #[serde(default = "days")]
    pub period_unit: String,
    #[serde(default)]
    pub clock_from: Option<String>,
    #[serde(default)]
    pub is_window: bool,
    #[serde(default)]
    pub prerequisites: Vec<String>,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub publishes: Vec<String>,
    #[serde(default)]
    pub opens: Option<String>,
}

fn days() -> String {
    "days".into()
}

/// A new version of `kind`'s template. `based_on`: the version the admin copied; when the
/// newest is another by now (someone else saved meanwhile), the write is refused (409).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub based_on: Option<i32>,
    pub steps: Vec<StepIn>,
}

/// A refusal of step `i` (0-based) for `field` by `rule`, with the rule's particulars.
fn refuse(i: usize, key: &str, field: &str, rule: &str, why: &str, extra: &Value) -> AppError {
    let seq = i + 1;
    let mut values =
        json!({ "seq": seq, "key": crate::validate::shown(key), "field": field, "rule": rule });
    if let (Some(v), Some(e)) = (values.as_object_mut(), extra.as_object()) {
        v.extend(e.clone());
    }
    AppError::new(
        Code::TemplateStepInvalid,
        format!(
            "steps[{i}].{field}: step {seq} `{}`: {why}",
            crate::validate::shown(key)
        ),
        values,
    )
}

fn one_of(value: &str, allowed: &[&str]) -> bool {
    allowed.contains(&value)
}

/// `^[a-z][a-z0-9_]{1,39}$`: the table's rule for a step key.
fn key_well_formed(key: &str) -> bool {
    let b = key.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// The longest period a unit may have: ten years.
fn most(unit: &str) -> i64 {
    match unit {
        "months" => 120,
        "working_days" => 2500,
        _ => 3660,
    }
}

/// Checks a step's text fields (trimmed): key, name, legal basis.
fn check_texts(i: usize, s: &StepIn, earlier: &HashMap<&str, usize>) -> AppResult<()> {
    let key = s.key.as_str();
    let none = json!({});
    if let Some(seq) = s.seq {
        if seq != i as i64 + 1 {
            return Err(refuse(
                i,
                key,
                "seq",
                "seq_place",
                &format!("seq {seq} is not its place {}", i + 1),
                &json!({ "sent": seq }),
            ));
        }
    }
    if !key_well_formed(key) {
        return Err(refuse(
            i,
            key,
            "key",
            "key_format",
            "a key is 2 to 40 of a-z, 0-9 and _, starting with a letter",
            &none,
        ));
    }
    if let Some(other) = earlier.get(key) {
        return Err(refuse(
            i,
            key,
            "key",
            "key_twice",
            &format!("step {} has this key too", other + 1),
            &json!({ "other": other + 1 }),
        ));
    }
    let name = s.name.trim().chars().count();
    if name == 0 || name > MAX_NAME {
        return Err(refuse(
            i,
            key,
            "name",
            "name_length",
            &format!("a name is 1 to {MAX_NAME} characters"),
            &json!({ "max": MAX_NAME }),
        ));
    }
    let basis = s.legal_basis.trim().chars().count();
    if basis == 0 || basis > MAX_BASIS {
        let why = format!("the legal basis is 1 to {MAX_BASIS} characters");
        return Err(refuse(
            i,
            key,
            "legal_basis",
            "legal_basis_length",
            &why,
            &json!({ "max": MAX_BASIS }),
        ));
    }
    Ok(())
}

/// Checks the kinds a step picks from lists: stage, output, unit.
fn check_choices(i: usize, s: &StepIn) -> AppResult<()> {
    let key = s.key.as_str();
    for (field, value, allowed) in [
        ("stage", &s.stage, &STAGES[..]),
        ("produces", &s.produces, &OUTPUTS[..]),
        ("period_unit", &s.period_unit, &UNITS[..]),
    ] {
        if !one_of(value, allowed) {
            let why = format!(
                "`{}` is not one of {}",
                crate::validate::shown(value),
                allowed.join(", ")
            );
            return Err(refuse(i, key, field, "unknown_choice", &why, &json!({})));
        }
    }
    Ok(())
}

/// Checks a step's durations, clock and prerequisites against the steps before it.
fn check_time(i: usize, s: &StepIn, earlier: &HashMap<&str, usize>) -> AppResult<()> {
    let key = s.key.as_str();
    let max_of_unit = most(&s.period_unit);
    for (field, value) in [("min_period", s.min_period), ("max_period", s.max_period)] {
        if let Some(v) = value {
            if !(1..=max_of_unit).contains(&v) {
                let why = format!("{v} is not between 1 and {max_of_unit} {}", s.period_unit);
                return Err(refuse(
                    i,
                    key,
                    field,
                    "period_range",
                    &why,
                    &json!({ "max": max_of_unit }),
                ));
            }
        }
    }
    if let (Some(min), Some(max)) = (s.min_period, s.max_period) {
        if min > max {
            return Err(refuse(
                i,
                key,
                "min_period",
                "min_above_max",
                &format!("the minimum {min} exceeds the maximum {max}"),
                &json!({}),
            ));
        }
    }
    if let Some(from) = &s.clock_from {
        if !earlier.contains_key(from.as_str()) {
            let why = format!(
                "`{}` is not an earlier step's key",
                crate::validate::shown(from)
            );
            return Err(refuse(
                i,
                key,
                "clock_from",
                "not_earlier",
                &why,
                &json!({ "named": crate::validate::shown(from) }),
            ));
        }
    }
    let mut seen = Vec::new();
    for p in &s.prerequisites {
        if !earlier.contains_key(p.as_str()) {
            let why = format!(
                "`{}` is not an earlier step's key",
                crate::validate::shown(p)
            );
            return Err(refuse(
                i,
                key,
                "prerequisites",
                "not_earlier",
                &why,
                &json!({ "named": crate::validate::shown(p) }),
            ));
        }
        if seen.contains(&p) {
            let why = format!("`{p}` is named twice");
            return Err(refuse(
                i,
                key,
                "prerequisites",
                "named_twice",
                &why,
                &json!({ "named": p }),
            ));
        }
        seen.push(p);
    }
    Ok(())
}

/// A legal window's rule: it opens when an earlier step is done (`clock_from`), closes at its
/// maximum, has no prerequisites of its own and, never done, opens no gate.
fn check_window(i: usize, s: &StepIn) -> AppResult<()> {
    let rule = if !s.is_window {
        None
    } else if s.clock_from.is_none() {
        Some((
            "clock_from",
            "window_needs_clock",
            "a window opens when an earlier step is done: name it",
        ))
    } else if s.max_period.is_none() {
        Some((
            "max_period",
            "window_needs_max",
            "a window closes at its maximum period: give it",
        ))
    } else if !s.prerequisites.is_empty() {
        Some((
            "prerequisites",
            "window_prerequisites",
            "a window opens by itself and has no prerequisites",
        ))
    } else if s.opens.is_some() {
        Some((
            "opens",
            "window_opens",
            "a window is never done, so it opens no gate",
        ))
    } else {
        None
    };
    match rule {
        Some((field, rule, why)) => Err(refuse(i, &s.key, field, rule, why, &json!({}))),
        None => Ok(()),
    }
}

/// Checks what a step publishes (九公开) and the gate it opens (one step per gate).
fn check_publishing(i: usize, s: &StepIn, gates: &mut HashMap<String, usize>) -> AppResult<()> {
    let key = s.key.as_str();
    let mut seen = Vec::new();
    for item in &s.publishes {
        if !one_of(item, &ITEMS) {
            let why = format!(
                "`{}` is not one of the nine items {}",
                crate::validate::shown(item),
                ITEMS.join(", ")
            );
            return Err(refuse(
                i,
                key,
                "publishes",
                "unknown_choice",
                &why,
                &json!({}),
            ));
        }
        if seen.contains(&item) {
            return Err(refuse(
                i,
                key,
                "publishes",
                "named_twice",
                &format!("`{item}` is named twice"),
                &json!({ "named": item }),
            ));
        }
        seen.push(item);
    }
    if !s.publishes.is_empty() && !s.published {
        return Err(refuse(
            i,
            key,
            "published",
            "publishes_unpublished",
            "a step that publishes items is published",
            &json!({}),
        ));
    }
    if let Some(gate) = &s.opens {
        if !one_of(gate, &GATES) {
            let why = format!(
                "`{}` is not one of {}",
                crate::validate::shown(gate),
                GATES.join(", ")
            );
            return Err(refuse(i, key, "opens", "unknown_choice", &why, &json!({})));
        }
        if let Some(other) = gates.get(gate) {
            let why = format!(
                "step {} opens `{gate}` already: one step opens each gate",
                other + 1
            );
            return Err(refuse(
                i,
                key,
                "opens",
                "gate_twice",
                &why,
                &json!({ "other": other + 1, "gate": gate }),
            ));
        }
        gates.insert(gate.clone(), i);
    }
    Ok(())
}

/// Every rule of a version, the first broken one refused: the kind, name and note, then each
/// step in order, then the gates none opens.
pub fn check(t: &NewTemplate) -> AppResult<()> {
    if !one_of(&t.kind, &KINDS) {
        let why = format!(
            "kind: `{}` is not one of {}",
            crate::validate::shown(&t.kind),
            KINDS.join(", ")
        );
        return Err(AppError::Unprocessable(why));
    }
    let name = t.name.trim().chars().count();
    if name == 0 || name > MAX_TEMPLATE_NAME {
        return Err(AppError::Unprocessable(format!(
            "name: a template's name is 1 to {MAX_TEMPLATE_NAME} characters"
        )));
    }
    crate::validate::max_chars("note", &t.note, MAX_NOTE).map_err(AppError::Unprocessable)?;
    if t.steps.is_empty() || t.steps.len() > MAX_STEPS {
        return Err(AppError::Unprocessable(format!(
            "steps: a template has 1 to {MAX_STEPS} steps, not {}",
            t.steps.len()
        )));
    }
    let mut earlier: HashMap<&str, usize> = HashMap::new();
    let mut gates = HashMap::new();
    for (i, s) in t.steps.iter().enumerate() {
        check_texts(i, s, &earlier)?;
        check_choices(i, s)?;
        check_time(i, s, &earlier)?;
        check_window(i, s)?;
        check_publishing(i, s, &mut gates)?;
        earlier.insert(s.key.as_str(), i);
    }
    if let Some(gate) = GATES.iter().find(|g| !gates.contains_key(**g)) {
        return Err(AppError::new(
            Code::TemplateGateMissing,
            format!(
                "steps: no step opens the gate `{gate}`: one step must open each of {}",
                GATES.join(", ")
            ),
            json!({ "gate": gate }),
        ));
    }
    Ok(())
}
