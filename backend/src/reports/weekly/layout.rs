//! A4 portrait pages as lists of drawing operations: headings, key lines and tables that break
//! across pages (the header row repeated), laid out before drawing so every page can say
//! "第 i 页 / 共 n 页".
use super::font::ReportFont;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
const TOP: f32 = 60.0;
/// Where content stops: the footer (page numbers) sits below.
const BOTTOM: f32 = PAGE_HEIGHT - 64.0;
pub const BODY: f32 = 9.5;
const ROW: f32 = 17.0;
/// Each further line of a wrapped cell adds this much to its row.
const LINE: f32 = 12.5;

#[derive(Clone, Copy)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const INK: Rgb = Rgb(0x1f, 0x29, 0x37);
pub const MUTED: Rgb = Rgb(0x6b, 0x72, 0x80);
const RULE: Rgb = Rgb(0xd1, 0xd5, 0xdb);
const HEADER_FILL: Rgb = Rgb(0xee, 0xf2, 0xf7);
const ACCENT: Rgb = Rgb(0xb9, 0x1c, 0x1c);

pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Column {
    pub title: &'static str,
    /// Share of the text width.
    pub share: f32,
    pub align: Align,
}

pub struct Layout<'f> {
    font: &'f ReportFont,
    pub pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'f> Layout<'f> {
    #[must_use]
    pub fn new(font: &'f ReportFont) -> Self {
        Self {
            font,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a layout has a page").push(op);
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` more fits on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, color: Rgb, text: impl Into<String>) {
        self.push(Op::Text {
            x,
            y,
            size,
            color,
            text: text.into(),
        });
    }

    /// A line across the text width at the cursor.
    fn rule(&mut self, color: Rgb, width: f32) {
        let (y, right) = (self.y, PAGE_WIDTH - MARGIN);
        self.push(Op::Line {
            x1: MARGIN,
            y1: y,
            x2: right,
            y2: y,
            color,
            width,
        });
    }

    /// The report's title, a line under it and the key facts (one a line, muted).
    pub fn title(&mut self, title: &str, facts: &[String]) {
        self.y += 8.0;
        self.text(MARGIN, self.y, 20.0, INK, title);
        self.y += 10.0;
        self.rule(ACCENT, 1.5);
        self.y += 16.0;
        for fact in facts {
            self.text(MARGIN, self.y, BODY, MUTED, fact.clone());
            self.y += 14.0;
        }
    }

    /// A section heading, kept on the page with at least its first two rows.
    pub fn heading(&mut self, text: &str) {
        self.room(22.0 + 3.0 * ROW);
        self.y += 14.0;
        self.push(Op::Rect {
            x: MARGIN,
            y: self.y - 11.0,
            w: 3.0,
            h: 14.0,
            color: ACCENT,
        });
        self.text(MARGIN + 8.0, self.y, 12.5, INK, text);
        self.y += 10.0;
    }

    /// A muted line of explanation under a heading or a table.
    pub fn note(&mut self, text: &str) {
        self.room(14.0);
        self.y += 2.0;
        self.text(MARGIN, self.y + BODY, BODY - 1.0, MUTED, text);
        self.y += 16.0;
    }

    /// A table over the text width; a row that does not fit starts a new page, which repeats the
    /// header row. Left-aligned cells wrap; right-aligned (numbers) too wide end in "…".
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = columns.iter().map(|c| c.share / total * width).collect();
        let titles: Vec<String> = columns.iter().map(|c| c.title.to_owned()).collect();
        self.room(2.0 * ROW);
        self.row(columns, &widths, &titles, true);
        for cells in rows {
            if self.y + self.row_height(columns, &widths, cells) > BOTTOM {
                self.new_page();
                self.row(columns, &widths, &titles, true);
            }
            self.row(columns, &widths, cells, false);
        }
        self.y += 4.0;
    }

    /// A cell's lines: wrapped when left-aligned, else one line cut to fit.
    fn lines(&self, column: &Column, width: f32, cell: &str) -> Vec<String> {
        match column.align {
            Align::Left => self.wrap(cell, width - 8.0),
            Align::Right => vec![self.fit(cell, width - 8.0)],
        }
    }

    fn row_height(&self, columns: &[Column], widths: &[f32], cells: &[String]) -> f32 {
        let lines = columns
            .iter()
            .zip(widths)
            .zip(cells)
            .map(|((c, w), cell)| self.lines(c, *w, cell).len())
            .max()
            .unwrap_or(1);
        ROW + (lines.max(1) - 1) as f32 * LINE
    }

    fn row(&mut self, columns: &[Column], widths: &[f32], cells: &[String], header: bool) {
        let top = self.y;
        let height = self.row_height(columns, widths, cells);
        if header {
            self.push(Op::Rect {
                x: MARGIN,
                y: top,
                w: widths.iter().sum(),
                h: height,
                color: HEADER_FILL,
            });
        }
        let mut x = MARGIN;
        for ((column, width), cell) in columns.iter().zip(widths).zip(cells) {
            for (i, line) in self.lines(column, *width, cell).into_iter().enumerate() {
                let tx = match column.align {
                    Align::Left => x + 4.0,
                    Align::Right => x + width - 4.0 - self.font.width(&line, BODY),
                };
                self.text(
                    tx,
                    top + 12.0 + i as f32 * LINE,
                    BODY,
                    if header { MUTED } else { INK },
                    line,
                );
            }
            x += width;
        }
        self.y += height;
        self.rule(RULE, 0.5);
    }

    /// `text` in lines of at most `width` points, broken between characters (Chinese has no spaces).
    fn wrap(&self, text: &str, width: f32) -> Vec<String> {
        let mut lines = vec![String::new()];
        for c in text.chars() {
            let line = lines.last_mut().expect("at least one line");
            if !line.is_empty() && self.font.width(&format!("{line}{c}"), BODY) > width {
                lines.push(c.to_string());
            } else {
                line.push(c);
            }
        }
        lines
    }

    /// `text` cut to `width` points, with "…" where it was cut.
    fn fit(&self, text: &str, width: f32) -> String {
        if self.font.width(text, BODY) <= width {
            return text.to_owned();
        }
        let mut cut = String::new();
        for c in text.chars() {
            if self.font.width(&format!("{cut}{c}…"), BODY) > width {
                break;
            }
            cut.push(c);
        }
        format!("{cut}…")
    }

    /// The running header and the page numbers, once the number of pages is known.
    pub fn number_pages(&mut self, running_title: &str) {
        let total = self.pages.len();
        for (i, ops) in self.pages.iter_mut().enumerate() {
            let footer = format!("第 {} 页 / 共 {total} 页", i + 1);
            let x = (PAGE_WIDTH - self.font.width(&footer, 8.0)) / 2.0;
            ops.push(Op::Text {
                x,
                y: PAGE_HEIGHT - 36.0,
                size: 8.0,
                color: MUTED,
                text: footer,
            });
            if i > 0 {
                ops.push(Op::Text {
                    x: MARGIN,
                    y: 36.0,
                    size: 8.0,
                    color: MUTED,
                    text: running_title.to_owned(),
                });
            }
        }
    }
}
