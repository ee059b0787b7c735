//! Writes one-sheet XLSX workbooks Excel users can trust: a bold, frozen, filterable header
//! row, columns as wide as their contents, counts as integers, measures with two decimals,
//! rates as percentages (the value stays the fraction, so sums and formulas work) and days as
//! dates.
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// Number formats, one per kind of number (the test reopening each export checks them).
pub const COUNT_FORMAT: &str = "#,##0";
pub const MEASURE_FORMAT: &str = "#,##0.00";
pub const PERCENT_FORMAT: &str = "0.0%";
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

/// A cell: text, a number of a kind, a day (or empty).
pub enum Cell {
    Text(String),
    /// A measure with decimals (an area, money, 亩): `#,##0.00`.
    Number(f64),
    /// A count (households, people, floors): `#,##0`.
    Count(f64),
    /// A fraction shown as a percentage: 0.953 shows as 95.3%.
    Percent(f64),
    /// A day, `YYYY-MM-DD`: an Excel date (text when it is not a day).
    Date(String),
    Empty,
}

impl From<&Value> for Cell {
    /// JSON integers are counts, other numbers measures.
    fn from(v: &Value) -> Self {
        match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                n.as_f64().map_or(Cell::Empty, Cell::Count)
            }
            Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
            Value::String(s) => Cell::Text(s.clone()),
            Value::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
            _ => Cell::Empty,
        }
    }
}

impl Cell {
    /// About how many characters wide the cell shows (CJK characters count two).
    fn width(&self) -> usize {
        let text_width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        match self {
            Cell::Text(s) => text_width(s),
            // digits, thousands separators and decimals
            Cell::Number(n) | Cell::Count(n) | Cell::Percent(n) => {
                let digits = format!(
                    "{:.0}",
                    n.abs()
                        * if matches!(self, Cell::Percent(_)) {
                            100.0
                        } else {
                            1.0
                        }
                )
                .len();
                digits + digits / 3 + 4
            }
            Cell::Date(_) => 10,
            Cell::Empty => 0,
        }
    }
}

/// Writes `cell` at (`r`, `c`) in its format.
fn write(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match cell {
        Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
        Cell::Number(n) => ws
            .write_number_with_format(r, c, *n, &formats.measure)
            .map(|_| ()),
        Cell::Count(n) => ws
            .write_number_with_format(r, c, *n, &formats.count)
            .map(|_| ()),
        Cell::Percent(n) => ws
            .write_number_with_format(r, c, *n, &formats.percent)
            .map(|_| ()),
        Cell::Date(day) => match ExcelDateTime::parse_from_str(day) {
            Ok(date) => ws
                .write_datetime_with_format(r, c, &date, &formats.date)
                .map(|_| ()),
            Err(_) => ws.write_string(r, c, day).map(|_| ()),
        },
        Cell::Empty => Ok(()),
    }
}

struct Formats {
    measure: Format,
    count: Format,
    percent: Format,
    date: Format,
}

/// One sheet with a bold, frozen, filterable header row and each cell in its kind's format.
pub fn workbook(sheet: &str, headers: &[String], rows: &[Vec<Cell>]) -> AppResult<Vec<u8>> {
    with_notes(sheet, headers, rows, &[])
}

/// `workbook`, plus a second sheet 说明 explaining each column (name, what it holds).
pub fn with_notes(
    sheet: &str,
    headers: &[String],
    rows: &[Vec<Cell>],
    notes: &[(&str, &str)],
) -> AppResult<Vec<u8>> {
    created_at(sheet, headers, rows, notes, None)
}

/// `with_notes` with the workbook's creation time set to `created` (`YYYY-MM-DDTHH:MM:SS`, UTC)
/// instead of now: the archive's workbooks are the same bytes for the same data.
pub fn created_at(
    sheet: &str,
    headers: &[String],
    rows: &[Vec<Cell>],
    notes: &[(&str, &str)],
    created: Option<&str>,
) -> AppResult<Vec<u8>> {
    // the rows are the service's own: a writer failure is the server's fault
    let broken = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("export: {e}"));
    let mut book = Workbook::new();
    if let Some(created) = created {
        let at = rust_xlsxwriter::ExcelDateTime::parse_from_str(created).map_err(broken)?;
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&at));
    }
    let ws = book.add_worksheet().set_name(sheet).map_err(broken)?;
    let bold = Format::new().set_bold();
    let formats = Formats {
        measure: Format::new().set_num_format(MEASURE_FORMAT),
        count: Format::new().set_num_format(COUNT_FORMAT),
        percent: Format::new().set_num_format(PERCENT_FORMAT),
        date: Format::new().set_num_format(DATE_FORMAT),
    };
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, h, &bold)
            .map_err(broken)?;
    }
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| Cell::Text(h.clone()).width())
        .collect();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.width());
            }
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            write(ws, r, c, cell, &formats).map_err(broken)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        // a little air around the widest cell; long free text wraps at 60
        #[allow(clippy::cast_precision_loss)]
        let width = (*w + 2).clamp(8, 60) as f64;
        ws.set_column_width(c, width).map_err(broken)?;
    }
    ws.set_freeze_panes(1, 0).map_err(broken)?;
    if !headers.is_empty() {
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let last_col = u16::try_from(headers.len() - 1).unwrap_or(u16::MAX);
        ws.autofilter(0, 0, last_row, last_col).map_err(broken)?;
    }
    if !notes.is_empty() {
        let help = book.add_worksheet().set_name("说明").map_err(broken)?;
        let bold = Format::new().set_bold();
        help.write_string_with_format(0, 0, "列", &bold)
            .map_err(broken)?;
        help.write_string_with_format(0, 1, "说明", &bold)
            .map_err(broken)?;
        help.set_column_width(0, 20).map_err(broken)?;
        help.set_column_width(1, 60).map_err(broken)?;
        help.set_freeze_panes(1, 0).map_err(broken)?;
        for (r, (name, note)) in notes.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            help.write_string(r, 0, *name).map_err(broken)?;
            help.write_string(r, 1, *note).map_err(broken)?;
        }
    }
    book.save_to_buffer().map_err(broken)
}
