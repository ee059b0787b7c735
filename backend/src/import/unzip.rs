//! Unpacks an uploaded zip ourselves, never through GDAL's /vsizip/: only plain Shapefile
//! member names, a few of them, each inflated with its bytes counted as they come (total
//! size, compression ratio), so a 1.5 MB zip that would become 1.5 GiB stops after a few MiB.
use std::cell::Cell;
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::rc::Rc;

use tempfile::TempDir;
use zip::{CompressionMethod, ZipArchive};

use super::limits::{
    bytes, thousands, Limits, MAX_RATIO, MAX_SIDE_FILE_BYTES, MAX_ZIP_MEMBERS, RATIO_FREE_BYTES,
};
use crate::error::{AppError, AppResult};

/// The members a zipped Shapefile may hold, by ending.
const SHAPEFILE_PARTS: [&str; 5] = [".shp", ".shx", ".dbf", ".prj", ".cpg"];
/// Entries an XLSX workbook may hold: Excel writes about a dozen, more with images.
const MAX_XLSX_MEMBERS: usize = 200;
/// Bytes an XLSX workbook may inflate to: GDAL holds a whole sheet while reading it.
const MAX_XLSX_INFLATED_BYTES: u64 = 512 << 20;

fn unprocessable(zip_name: &str, problem: &str) -> AppError {
    AppError::Unprocessable(format!("file: `{zip_name}`: {problem}")).coded(
        crate::error::Code::ZipContent,
        serde_json::json!({ "file": zip_name }),
    )
}

fn unreadable(zip_name: &str, e: &dyn std::fmt::Display) -> AppError {
    AppError::Unprocessable(format!("file: `{zip_name}` is not a readable zip: {e}")).coded(
        crate::error::Code::ZipUnreadable,
        serde_json::json!({ "file": zip_name }),
    )
}

/// Unpacks the Shapefiles of the zip at `path` (uploaded as `zip_name`) into a new private
/// directory, which GDAL then opens with the Shapefile driver and nothing else.
pub fn shapefiles(path: &Path, zip_name: &str, limits: &Limits) -> AppResult<TempDir> {
    let mut archive = open(path, zip_name, MAX_ZIP_MEMBERS)?;
    let dir = tempfile::Builder::new()
        .prefix("onemap-unzipped-")
        .tempdir()
        .map_err(|e| unprocessable(zip_name, &format!("no room to unpack it: {e}")))?;
    let mut seen = HashSet::new();
    let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new(); // stem → endings
    let mut inflated_total = 0u64;
    for index in 0..archive.len() {
        let member = archive
            .by_index_raw(index)
            .map_err(|e| unreadable(zip_name, &e))?;
        let name = member.name().to_owned();
        let ending = plain_shapefile_part(&name)
            .map_err(|problem| unprocessable(zip_name, &format!("member `{name}` {problem}")))?;
        if member.is_dir() || member.is_symlink() {
            return Err(unprocessable(zip_name, &format!("member `{name}` is a directory or a link; zip the Shapefile's files themselves")));
        }
        if !seen.insert(name.to_lowercase()) {
            return Err(unprocessable(
                zip_name,
                &format!("member `{name}` is in the zip twice"),
            ));
        }
        let (cap, cap_reason) = if matches!(ending, ".prj" | ".cpg") {
            (MAX_SIDE_FILE_BYTES, format!("a {ending} is a line of text"))
        } else {
            (
                limits.unzipped_bytes - inflated_total,
                format!(
                    "{} may unpack at most {} from one zip",
                    limits.route,
                    bytes(limits.unzipped_bytes)
                ),
            )
        };
        let mut out = File::create(dir.path().join(&name))
            .map_err(|e| unprocessable(zip_name, &format!("no room to unpack it: {e}")))?;
        let magic = matches!(ending, ".shp" | ".shx").then_some(&[0u8, 0, 0x27, 0x0A][..]);
        inflated_total += inflate(
            member,
            &Member {
                zip_name,
                name: &name,
                cap,
                cap_reason,
                magic,
            },
            &mut out,
        )?;
        parts
            .entry(name[..name.len() - ending.len()].to_owned())
            .or_default()
            .push(ending.to_owned());
    }
    let shapefiles: Vec<&String> = parts
        .iter()
        .filter(|(_, endings)| endings.iter().any(|e| e == ".shp"))
        .map(|(stem, _)| stem)
        .collect();
    if shapefiles.is_empty() {
        return Err(unprocessable(zip_name, "holds no .shp file"));
    }
    for stem in shapefiles {
        for needed in [".shx", ".dbf"] {
            if !parts[stem].iter().any(|e| e == needed) {
                return Err(unprocessable(
                    zip_name,
                    &format!("`{stem}.shp` comes without `{stem}{needed}`"),
                ));
            }
        }
    }
    Ok(dir)
}

/// Inflates every member of the XLSX workbook at `path` and throws the bytes away, counting
/// them: GDAL's XLSX driver then unzips it itself, knowing it stays within the limits.
pub fn check_inflated_sizes(path: &Path, zip_name: &str, limits: &Limits) -> AppResult<()> {
    let mut archive = open(path, zip_name, MAX_XLSX_MEMBERS)?;
    let mut inflated_total = 0u64;
    let cap_total = MAX_XLSX_INFLATED_BYTES.min(limits.unzipped_bytes);
    for index in 0..archive.len() {
        let member = archive
            .by_index_raw(index)
            .map_err(|e| unreadable(zip_name, &e))?;
        let name = member.name().to_owned();
        let cap_reason = format!("a workbook may unpack at most {}", bytes(cap_total));
        inflated_total += inflate(
            member,
            &Member {
                zip_name,
                name: &name,
                cap: cap_total - inflated_total,
                cap_reason,
                magic: None,
            },
            &mut std::io::sink(),
        )?;
    }
    Ok(())
}

/// Opens the zip after counting its central-directory entries on disk: the zip crate reads
/// the whole directory into memory, and a 1 GiB zip of empty entries would hold millions.
fn open(path: &Path, zip_name: &str, max_members: usize) -> AppResult<ZipArchive<BufReader<File>>> {
    let entries = count_directory_entries(path).map_err(|e| unreadable(zip_name, &e))?;
    if entries > max_members {
        return Err(unprocessable(
            zip_name,
            &format!("holds more than {max_members} entries; at most {max_members} are read"),
        ));
    }
    let file = File::open(path).map_err(|e| unreadable(zip_name, &e))?;
    let archive = ZipArchive::new(BufReader::new(file)).map_err(|e| unreadable(zip_name, &e))?;
    if archive.len() > max_members {
        return Err(unprocessable(
            zip_name,
            &format!(
                "holds {} entries; at most {max_members} are read",
                archive.len()
            ),
        ));
    }
    Ok(archive)
}

/// How many central-directory entry signatures (`PK\1\2`) the file holds: at least as many
/// as any directory the zip crate could read from it.
fn count_directory_entries(path: &Path) -> std::io::Result<usize> {
    const SIGNATURE: &[u8; 4] = b"PK\x01\x02";
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; 1 << 20];
    let (mut kept, mut count) = (0, 0);
    loop {
        let n = file.read(&mut buffer[kept..])?;
        if n == 0 {
            return Ok(count);
        }
        let filled = kept + n;
        count += buffer[..filled]
            .windows(4)
            .filter(|w| w == SIGNATURE)
            .count();
        // keep the last three bytes: a signature may straddle two reads
        kept = filled.min(3);
        buffer.copy_within(filled - kept..filled, 0);
    }
}

/// The ending of a plain Shapefile member name, or why the name is refused.
fn plain_shapefile_part(name: &str) -> Result<&'static str, String> {
    if name.contains(['/', '\\']) {
        return Err(
            "is inside a folder; zip the Shapefile's files themselves, without folders".into(),
        );
    }
    if name.starts_with('.') || name.chars().any(char::is_control) || name.len() > 255 {
        return Err("is not a plain file name".into());
    }
    let lower = name.to_lowercase();
    SHAPEFILE_PARTS
        .into_iter()
        .find(|ending| lower.ends_with(ending))
        .ok_or_else(|| {
            format!(
                "is not part of a Shapefile: a zip may hold only {}",
                SHAPEFILE_PARTS.join(" ")
            )
        })
}

/// One member being inflated, for the checks and messages.
struct Member<'a> {
    zip_name: &'a str,
    name: &'a str,
    /// Most bytes this member may inflate to, and why, for the message.
    cap: u64,
    cap_reason: String,
    /// The bytes the member must start with, if any.
    magic: Option<&'a [u8]>,
}

/// Counts the bytes read through it into `read`, which others may watch.
pub(crate) struct Counted<R> {
    pub inner: R,
    pub read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// Inflates one member into `out`, checking as bytes come: the cap, the ratio of inflated to
/// compressed bytes read so far, the declared size and CRC. Returns the bytes written.
fn inflate(
    member: zip::read::ZipFile<'_, BufReader<File>>,
    m: &Member<'_>,
    out: &mut dyn Write,
) -> AppResult<u64> {
    let refuse =
        |problem: String| unprocessable(m.zip_name, &format!("member `{}` {problem}", m.name));
    let too_large = |problem: String| {
        AppError::TooLarge(format!(
            "file: `{}`: member `{}` {problem}",
            m.zip_name, m.name
        ))
        .coded(
            crate::error::Code::ZipTooLarge,
            serde_json::json!({ "file": m.zip_name, "member": m.name }),
        )
    };
    if member.encrypted() {
        return Err(refuse("is encrypted".into()));
    }
    let (method, declared_size, declared_crc) =
        (member.compression(), member.size(), member.crc32());
    let compressed_read = Rc::new(Cell::new(0u64));
    // a small buffer, so that the compressed bytes counted are close to those inflated
    let raw = BufReader::with_capacity(
        8 << 10,
        Counted {
            inner: member,
            read: compressed_read.clone(),
        },
    );
    let mut reader: Box<dyn Read> = match method {
        CompressionMethod::Stored => Box::new(raw),
        CompressionMethod::Deflated => Box::new(flate2::bufread::DeflateDecoder::new(raw)),
        other => {
            return Err(refuse(format!(
                "is compressed with {other}; use deflate (any zip tool's default)"
            )))
        }
    };
    let mut buffer = vec![0u8; 64 << 10];
    let (mut written, mut crc) = (0u64, flate2::Crc::new());
    loop {
        let n = reader
            .read(&mut buffer)
            .map_err(|e| refuse(format!("cannot be inflated: {e}")))?;
        if n == 0 {
            break;
        }
        if let Some(magic) = m.magic {
            let offset = usize::try_from(written).unwrap_or(usize::MAX);
            if offset < magic.len()
                && !buffer[..n]
                    .iter()
                    .zip(&magic[offset..])
                    .all(|(a, b)| a == b)
            {
                return Err(refuse(
                    "is not a Shapefile: it does not start with the Shapefile file code".into(),
                ));
            }
        }
        written += n as u64;
        if written > m.cap {
            return Err(too_large(format!(
                "inflates past {}: {}",
                bytes(m.cap),
                m.cap_reason
            )));
        }
        let compressed = compressed_read.get().max(1);
        if written > RATIO_FREE_BYTES && written > MAX_RATIO * compressed {
            return Err(too_large(format!(
                "inflates more than {MAX_RATIO}:1 ({} from {}); a member may inflate at most {MAX_RATIO}:1 past {}",
                bytes(written),
                bytes(compressed),
                bytes(RATIO_FREE_BYTES)
            )));
        }
        if written > declared_size {
            return Err(refuse(format!(
                "inflates past the {} bytes its zip entry declares",
                thousands(declared_size)
            )));
        }
        crc.update(&buffer[..n]);
        out.write_all(&buffer[..n])
            .map_err(|e| refuse(format!("cannot be unpacked: {e}")))?;
    }
    if m.magic.is_some_and(|magic| written < magic.len() as u64) {
        return Err(refuse(
            "is not a Shapefile: it is shorter than a Shapefile header".into(),
        ));
    }
    if written != declared_size || crc.sum() != declared_crc {
        return Err(refuse(
            "is damaged: its size or CRC is not what its zip entry declares".into(),
        ));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::plain_shapefile_part;

    #[test]
    fn only_plain_shapefile_names_are_unpacked() {
        assert_eq!(plain_shapefile_part("建筑.SHP"), Ok(".shp"));
        assert_eq!(plain_shapefile_part("b.cpg"), Ok(".cpg"));
        for refused in [
            "../b.shp",
            "/tmp/b.shp",
            "dir/b.shp",
            "dir\\b.shp",
            ".shp",
            "plan.vrt",
            "b.shp.vrt",
            "b\n.shp",
        ] {
            assert!(plain_shapefile_part(refused).is_err(), "{refused}");
        }
    }
}
