//! Writes one-sheet XLSX workbooks: a bold frozen header row, text and numbers.
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// A cell: text or a number (or empty).
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&Value> for Cell {
    fn from(v: &Value) -> Self {
        match v {
            Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
            Value::String(s) => Cell::Text(s.clone()),
            Value::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
            _ => Cell::Empty,
        }
    }
}

/// One sheet with a bold, frozen header row; numbers keep two decimals.
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
    let (bold, number) = (
        Format::new().set_bold(),
        Format::new().set_num_format("#,##0.00"),
    );
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, h, &bold)
            .map_err(broken)?;
        ws.set_column_width(c, 14).map_err(broken)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Number(n) => ws.write_number_with_format(r, c, *n, &number).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(broken)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(broken)?;
    if !notes.is_empty() {
        let help = book.add_worksheet().set_name("说明").map_err(broken)?;
        let bold = Format::new().set_bold();
        help.write_string_with_format(0, 0, "列", &bold)
            .map_err(broken)?;
        help.write_string_with_format(0, 1, "说明", &bold)
            .map_err(broken)?;
        help.set_column_width(0, 14).map_err(broken)?;
        help.set_column_width(1, 60).map_err(broken)?;
        for (r, (name, note)) in notes.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            help.write_string(r, 0, *name).map_err(broken)?;
            help.write_string(r, 1, *note).map_err(broken)?;
        }
    }
    book.save_to_buffer().map_err(broken)
}
