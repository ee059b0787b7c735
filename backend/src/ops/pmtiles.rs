//! A local PMTiles v3 basemap (one file: a header, directories of tile ids, the tiles), read-only.
//!
//! A small reader of our own: the format is a 127-byte header and varint-coded directories, and
//! the crates that read it bring an HTTP client and object-store layers a local file never needs.
//! Tiles are found by their Hilbert tile id in the root directory, then (for large files) in a
//! leaf directory the root points to; one entry may stand for a run of identical tiles.
use std::collections::HashMap;
use std::fs::File;
use std::io::Read as _;
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const HEADER_LEN: usize = 127;
/// The spec's bound on directory depth (root and up to three levels of leaves).
const MAX_DEPTH: usize = 4;
/// Leaf directories kept decoded; a basemap's viewers read the same few leaves over and over.
const LEAF_CACHE: usize = 64;
/// A directory larger than this is not one a writer makes (the root is at most 16 KiB).
const MAX_DIRECTORY: u64 = 64 << 20;

/// One directory entry: tiles `tile_id..tile_id + run_length` all have the bytes at `offset`;
/// a run length of 0 points to a leaf directory instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u32,
    run_length: u32,
}

/// What the header says about where things are and how they are stored.
#[derive(Clone, Debug)]
struct Header {
    root: (u64, u64),
    metadata: (u64, u64),
    leaves: (u64, u64),
    tile_data: (u64, u64),
    internal_compression: u8,
    tile_compression: u8,
    tile_type: u8,
    max_zoom: u8,
}

/// The open file and its directories, shared with the blocking tasks that read tiles.
struct Reader {
    path: PathBuf,
    file: File,
    header: Header,
    root: Vec<Entry>,
    leaves: Mutex<HashMap<u64, Arc<Vec<Entry>>>>,
}

pub struct PmTiles {
    reader: Arc<Reader>,
    /// The tiles' media type (from the header's tile type).
    pub content_type: &'static str,
    /// `gzip` when the file holds its (vector) tiles gzipped: sent as the response's
    /// Content-Encoding, the bytes as they are in the file.
    pub content_encoding: Option<&'static str>,
    /// The deepest zoom the file holds.
    pub max_zoom: u8,
    /// A vector file's layers (its metadata's `vector_layers`), which the pages style.
    pub vector_layers: Vec<String>,
}

/// The Hilbert tile id of z/x/y: the tiles of all lower zooms, then the position of x/y on the
/// Hilbert curve over this zoom's 2^z × 2^z tiles.
#[must_use]
pub fn tile_id(z: u8, x: u32, y: u32) -> u64 {
    let before: u64 = ((1u64 << (2 * u32::from(z))) - 1) / 3;
    let (mut x, mut y) = (u64::from(x), u64::from(y));
    let mut d = 0u64;
    let mut s = 1u64 << z >> 1;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        // within the quadrant, rotated so the curve's next level runs the same way
        x &= s - 1;
        y &= s - 1;
        if ry == 0 {
            if rx == 1 {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s >>= 1;
    }
    before + d
}

/// Reads one LEB128 varint (at most 10 bytes: a u64).
fn varint(bytes: &[u8], at: &mut usize) -> anyhow::Result<u64> {
    let mut value = 0u64;
    for shift in (0..70).step_by(7) {
        let byte = *bytes
            .get(*at)
            .ok_or_else(|| anyhow::anyhow!("a directory ends inside a number"))?;
        *at += 1;
        anyhow::ensure!(shift < 63 || byte <= 1, "a directory number is too large");
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    anyhow::bail!("a directory number is too long")
}

/// Decodes a directory (already decompressed): the count, then the columns of tile id deltas,
/// run lengths, lengths and offsets (0: right after the previous entry's bytes).
fn directory(bytes: &[u8]) -> anyhow::Result<Vec<Entry>> {
    let mut at = 0;
    let count = usize::try_from(varint(bytes, &mut at)?)?;
    // each entry takes at least four bytes: a count beyond that is a corrupt directory
    anyhow::ensure!(
        count <= bytes.len() / 4 + 1,
        "a directory claims {count} entries in {} bytes",
        bytes.len()
    );
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        count
    ];
    let mut last = 0u64;
    for entry in &mut entries {
        last = last
            .checked_add(varint(bytes, &mut at)?)
            .ok_or_else(|| anyhow::anyhow!("a directory's tile ids overflow"))?;
        entry.tile_id = last;
    }
    for entry in &mut entries {
        entry.run_length = u32::try_from(varint(bytes, &mut at)?)?;
    }
    for entry in &mut entries {
        entry.length = u32::try_from(varint(bytes, &mut at)?)?;
        anyhow::ensure!(entry.length > 0, "a directory entry has no bytes");
    }
    for i in 0..count {
        let raw = varint(bytes, &mut at)?;
        entries[i].offset = if raw == 0 && i > 0 {
            entries[i - 1].offset + u64::from(entries[i - 1].length)
        } else {
            raw.checked_sub(1)
                .ok_or_else(|| anyhow::anyhow!("the first directory entry has no offset"))?
        };
    }
    Ok(entries)
}

/// The entry holding `id` (the last one at or before it, if its run reaches `id`), or the leaf
/// directory that may.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let at = entries
        .partition_point(|e| e.tile_id <= id)
        .checked_sub(1)?;
    let entry = entries[at];
    (entry.run_length == 0 || id - entry.tile_id < u64::from(entry.run_length)).then_some(entry)
}

fn le_u64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

impl Header {
    fn parse(bytes: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(
            bytes.len() >= HEADER_LEN && &bytes[..7] == b"PMTiles",
            "not a PMTiles file (no PMTiles header)"
        );
        anyhow::ensure!(
            bytes[7] == 3,
            "PMTiles version {}; onemap reads version 3",
            bytes[7]
        );
        let section = |at| (le_u64(bytes, at), le_u64(bytes, at + 8));
        Ok(Self {
            root: section(8),
            metadata: section(24),
            leaves: section(40),
            tile_data: section(56),
            internal_compression: bytes[97],
            tile_compression: bytes[98],
            tile_type: bytes[99],
            max_zoom: bytes[101],
        })
    }
}

/// The spec's compression codes by name, for messages.
fn compression_name(code: u8) -> &'static str {
    match code {
        0 => "unknown",
        1 => "none",
        2 => "gzip",
        3 => "brotli",
        4 => "zstd",
        _ => "an unknown code",
    }
}

impl PmTiles {
    /// Opens the file and checks it: the header, that its sections lie inside the file, the root
    /// directory, a tile type onemap serves (PNG, JPEG, WebP or MVT) and compressions it reads.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let owned = path.to_owned();
        tokio::task::spawn_blocking(move || {
            Self::open_blocking(&owned).map_err(|e| anyhow::anyhow!("{}: {e}", owned.display()))
        })
        .await?
    }

    fn open_blocking(path: &Path) -> anyhow::Result<Self> {
        let file = File::open(path)?;
        let size = file.metadata()?.len();
        let mut head = vec![0u8; HEADER_LEN.min(usize::try_from(size)?)];
        file.read_exact_at(&mut head, 0)?;
        let header = Header::parse(&head)?;
        for (name, (offset, length)) in [
            ("root directory", header.root),
            ("metadata", header.metadata),
            ("leaf directories", header.leaves),
            ("tile data", header.tile_data),
        ] {
            anyhow::ensure!(
                offset.checked_add(length).is_some_and(|end| end <= size),
                "{name}: bytes {offset}..+{length} lie beyond the file's end ({size} bytes): truncated or corrupt"
            );
        }
        anyhow::ensure!(
            matches!(header.internal_compression, 1 | 2),
            "directories compressed with {}; onemap reads none or gzip (write the file with gzip, as `pmtiles convert` does)",
            compression_name(header.internal_compression)
        );
        let (content_type, vector) = match header.tile_type {
            1 => ("application/vnd.mapbox-vector-tile", true),
            2 => ("image/png", false),
            3 => ("image/jpeg", false),
            4 => ("image/webp", false),
            other => anyhow::bail!(
                "tile type {other}; a basemap file holds PNG, JPEG, WebP or MVT tiles"
            ),
        };
        let content_encoding = match (header.tile_compression, vector) {
            (1, _) | (0, false) => None,
            (2, true) => Some("gzip"),
            (code, _) => anyhow::bail!(
                "tiles compressed with {}; onemap serves {}",
                compression_name(code),
                if vector {
                    "vector tiles uncompressed or gzipped"
                } else {
                    "raster tiles as they are (compression none)"
                }
            ),
        };
        let mut reader = Reader {
            path: path.to_owned(),
            file,
            header,
            root: Vec::new(),
            leaves: Mutex::default(),
        };
        let root = reader
            .read_section(reader.header.root, 0, reader.header.root.1, true)
            .and_then(|bytes| directory(&bytes))
            .map_err(|e| anyhow::anyhow!("root directory: {e}"))?;
        anyhow::ensure!(!root.is_empty(), "holds no tiles");
        reader.root = root;
        let vector_layers = if vector {
            reader.vector_layers()?
        } else {
            Vec::new()
        };
        Ok(Self {
            max_zoom: reader.header.max_zoom.min(24),
            reader: Arc::new(reader),
            content_type,
            content_encoding,
            vector_layers,
        })
    }

    /// The tile at z/x/y (XYZ numbering, as PMTiles numbers them), if the file has one.
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> anyhow::Result<Option<Vec<u8>>> {
        if z > 24 || x >= 1 << z || y >= 1 << z {
            return Ok(None);
        }
        let id = tile_id(z, x, y);
        let reader = Arc::clone(&self.reader);
        tokio::task::spawn_blocking(move || {
            reader
                .tile(id)
                .map_err(|e| anyhow::anyhow!("{}: {e}", reader.path.display()))
        })
        .await?
    }
}

impl Reader {
    /// `length` bytes at `offset` within a section, decompressed if `internal` (a directory or
    /// the metadata), bounds checked against the section.
    fn read_section(
        &self,
        section: (u64, u64),
        offset: u64,
        length: u64,
        internal: bool,
    ) -> anyhow::Result<Vec<u8>> {
        anyhow::ensure!(
            offset
                .checked_add(length)
                .is_some_and(|end| end <= section.1),
            "an entry points outside its section (bytes {offset}..+{length} of {})",
            section.1
        );
        anyhow::ensure!(
            !internal || length <= MAX_DIRECTORY,
            "a directory of {length} bytes"
        );
        let mut bytes = vec![0u8; usize::try_from(length)?];
        self.file.read_exact_at(&mut bytes, section.0 + offset)?;
        if internal && self.header.internal_compression == 2 {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .take(MAX_DIRECTORY)
                .read_to_end(&mut plain)
                .map_err(|e| anyhow::anyhow!("not gzip ({e})"))?;
            return Ok(plain);
        }
        Ok(bytes)
    }

    /// The layer names of a vector file's metadata (`vector_layers[].id`).
    fn vector_layers(&self) -> anyhow::Result<Vec<String>> {
        let bytes = self
            .read_section(self.header.metadata, 0, self.header.metadata.1, true)
            .map_err(|e| anyhow::anyhow!("metadata: {e}"))?;
        let metadata: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| anyhow::anyhow!("metadata: not JSON ({e})"))?;
        super::local_tiles::vector_layer_ids(&metadata)
            .map_err(|e| anyhow::anyhow!("metadata: {e}"))
    }

    /// A leaf directory, from the cache or the file.
    fn leaf(&self, offset: u64, length: u32) -> anyhow::Result<Arc<Vec<Entry>>> {
        let poisoned = |_| anyhow::anyhow!("the leaf cache's lock is poisoned");
        if let Some(leaf) = self.leaves.lock().map_err(poisoned)?.get(&offset) {
            return Ok(Arc::clone(leaf));
        }
        let leaf = self
            .read_section(self.header.leaves, offset, u64::from(length), true)
            .and_then(|bytes| directory(&bytes))
            .map_err(|e| anyhow::anyhow!("leaf directory at {offset}: {e}"))?;
        let leaf = Arc::new(leaf);
        let mut cache = self.leaves.lock().map_err(poisoned)?;
        if cache.len() >= LEAF_CACHE {
            cache.clear();
        }
        cache.insert(offset, Arc::clone(&leaf));
        Ok(leaf)
    }

    /// The tile with this id: found in the root, else in the leaf (and its leaves) the root points to.
    fn tile(&self, id: u64) -> anyhow::Result<Option<Vec<u8>>> {
        let mut leaf: Option<Arc<Vec<Entry>>> = None;
        for _ in 0..MAX_DEPTH {
            let entries = leaf.as_deref().unwrap_or(&self.root);
            let Some(entry) = find(entries, id) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                return self
                    .read_section(
                        self.header.tile_data,
                        entry.offset,
                        u64::from(entry.length),
                        false,
                    )
                    .map(Some);
            }
            leaf = Some(self.leaf(entry.offset, entry.length)?);
        }
        anyhow::bail!("directories nested deeper than {MAX_DEPTH} levels")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tile ids as the spec's reference writer numbers them (protomaps' `zxy_to_tileid`).
    #[test]
    fn tile_ids_follow_the_hilbert_curve_zoom_by_zoom() {
        for (z, x, y, id) in [
            (0, 0, 0, 0),
            (1, 0, 0, 1),
            (1, 0, 1, 2),
            (1, 1, 1, 3),
            (1, 1, 0, 4),
            (5, 17, 9, 1213),
            (12, 3423, 1763, 19_078_479),
            (18, 215_000, 99_000, 77_938_985_941),
        ] {
            assert_eq!(tile_id(z, x, y), id, "{z}/{x}/{y}");
        }
    }

    #[test]
    fn a_directory_decodes_runs_offsets_and_leaf_pointers() {
        // three entries: ids 5 (run 2), 9 (leaf), 10; offsets 0, then "after the previous", then 100
        let bytes = [3, 5, 4, 1, 2, 0, 1, 10, 20, 30, 1, 0, 101];
        let entries = directory(&bytes).expect("a directory");
        assert_eq!(
            entries,
            vec![
                Entry {
                    tile_id: 5,
                    offset: 0,
                    length: 10,
                    run_length: 2
                },
                Entry {
                    tile_id: 9,
                    offset: 10,
                    length: 20,
                    run_length: 0
                },
                Entry {
                    tile_id: 10,
                    offset: 100,
                    length: 30,
                    run_length: 1
                },
            ]
        );
        assert_eq!(
            find(&entries, 6).map(|e| e.offset),
            Some(0),
            "inside the run"
        );
        assert_eq!(find(&entries, 7), None, "past the run");
        assert_eq!(find(&entries, 9).map(|e| e.run_length), Some(0), "a leaf");
        assert_eq!(find(&entries, 4), None);
        assert!(directory(&[3, 5, 4]).is_err(), "truncated");
        assert!(directory(&[0xff; 12]).is_err(), "a number too long");
    }
}
