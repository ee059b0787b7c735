//! The report's CJK font: read once from `--report-font` (a TrueType/OpenType file or collection),
//! measured with skrifa for layout, drawn and subsetted into the PDF by krilla.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::prelude::{LocationRef, Size};
use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

/// Debian's fonts-noto-cjk: Noto Sans CJK, a collection whose Simplified Chinese face is picked by name.
pub const DEFAULT_REPORT_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

pub struct ReportFont {
    data: Arc<Vec<u8>>,
    index: u32,
    pub krilla: krilla::text::Font,
}

impl ReportFont {
    /// Reads the font at `path`; in a collection, the face whose family names Simplified Chinese
    /// ("SC"), else the first. The error says what to install or configure.
    pub fn load(path: &Path) -> Result<Self, String> {
        let data = std::fs::read(path).map_err(|e| {
            format!(
                "the report font {} cannot be read ({e}): install fonts-noto-cjk (Debian) or point --report-font \
                 (ONEMAP_REPORT_FONT) at a TrueType/OpenType font with Chinese glyphs",
                path.display()
            )
        })?;
        let index = simplified_chinese_face(&data).ok_or_else(|| {
            format!(
                "{} is not a TrueType/OpenType font or collection",
                path.display()
            )
        })?;
        let data = Arc::new(data);
        let krilla = krilla::text::Font::new(data.clone().into(), index).ok_or_else(|| {
            format!(
                "{}: face {index} cannot be embedded in a PDF",
                path.display()
            )
        })?;
        let font = Self {
            data,
            index,
            krilla,
        };
        if font.advance('中', 10.0).is_none() {
            return Err(format!(
                "{} has no Chinese glyphs (中): choose a CJK font",
                path.display()
            ));
        }
        Ok(font)
    }

    fn face(&self) -> FontRef<'_> {
        FontRef::from_index(&self.data, self.index)
            .expect("the face parsed when the font was loaded")
    }

    fn advance(&self, c: char, size: f32) -> Option<f32> {
        let face = self.face();
        let glyph = face.charmap().map(c)?;
        face.glyph_metrics(Size::new(size), LocationRef::default())
            .advance_width(glyph)
    }

    /// The width of `text` at `size` points; a character the font lacks counts as one em.
    #[must_use]
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let face = self.face();
        let charmap = face.charmap();
        let metrics = face.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(size)
            })
            .sum()
    }
}

/// The index of the face to use: one whose family name ends in "SC", else 0 (a single font).
fn simplified_chinese_face(data: &[u8]) -> Option<u32> {
    let file = FileRef::new(data).ok()?;
    let mut first = None;
    for (index, face) in file.fonts().enumerate() {
        let Ok(face) = face else { continue };
        first.get_or_insert(index as u32);
        let simplified = face
            .localized_strings(StringId::FAMILY_NAME)
            .any(|name| name.chars().collect::<String>().ends_with(" SC"));
        if simplified {
            return Some(index as u32);
        }
    }
    first
}

/// The font, loaded on first use and kept: reading and parsing 20 MB once per process.
pub struct FontSlot {
    path: PathBuf,
    loaded: std::sync::OnceLock<Result<Arc<ReportFont>, String>>,
}

impl FontSlot {
    #[must_use]
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            loaded: std::sync::OnceLock::new(),
        }
    }

    /// The font, or why there is none (the same answer until the process restarts).
    pub fn get(&self) -> Result<Arc<ReportFont>, String> {
        self.loaded
            .get_or_init(|| ReportFont::load(&self.path).map(Arc::new))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::ReportFont;

    #[test]
    fn a_missing_or_wrong_font_says_what_to_do() {
        let missing = ReportFont::load(std::path::Path::new("/nonexistent/font.ttc"))
            .err()
            .expect("refused");
        assert!(
            missing.contains("fonts-noto-cjk") && missing.contains("--report-font"),
            "{missing}"
        );
        let not_a_font = ReportFont::load(std::path::Path::new("Cargo.toml"))
            .err()
            .expect("refused");
        assert!(
            not_a_font.contains("is not a TrueType/OpenType font"),
            "{not_a_font}"
        );
    }
}
