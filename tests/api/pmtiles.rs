//! Local PMTiles basemaps (issue 18): files written by protomaps' own python `pmtiles` (not by
//! onemap) from MBTiles the test makes, served by the real binary: raster tiles with leaf
//! directories and runs byte for byte, gzipped vector tiles (PostGIS's MVT) with their
//! Content-Encoding, and a corrupt or foreign file refused at start naming the file.
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{role_url, serve_binary};

/// Tiles scattered over zoom 12 (distinct bytes each): enough that the writer's root directory
/// outgrows its 16 KiB and it writes leaf directories (8,000 did, measured).
const SCATTERED: u32 = 9_000;

type Tiles = BTreeMap<(u8, u32, u32), Vec<u8>>;

/// Writes an MBTiles file (rows numbered from the south, as MBTiles does) of these XYZ tiles.
fn write_mbtiles(path: &Path, format: &str, extra: &[(&str, &str)], tiles: &Tiles) {
    let mut file = rusqlite::Connection::open(path).expect("sqlite");
    file.execute_batch(
        "CREATE TABLE metadata (name text, value text);
         CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
    )
    .expect("mbtiles");
    let zooms = || tiles.keys().map(|(z, _, _)| *z);
    let (min, max) = (zooms().min().expect("tiles"), zooms().max().expect("tiles"));
    let write = file.transaction().expect("transaction");
    for (name, value) in [
        ("name", "test"),
        ("format", format),
        ("minzoom", &min.to_string()),
        ("maxzoom", &max.to_string()),
    ]
    .into_iter()
    .chain(extra.iter().copied())
    {
        write
            .execute("INSERT INTO metadata VALUES (?1, ?2)", [name, value])
            .expect("metadata");
    }
    for ((z, x, y), bytes) in tiles {
        write
            .execute(
                "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
                (z, x, (1u32 << z) - 1 - y, bytes),
            )
            .expect("tile");
    }
    write.commit().expect("commit");
}

/// Converts with protomaps' python library (scripts/lib.sh installs it); returns the header's
/// leaf directory length, read back by the same library.
fn convert(mbtiles: &Path, pmtiles: &Path) -> u64 {
    const CONVERT: &str = "import sys\nfrom pmtiles.convert import mbtiles_to_pmtiles\nfrom pmtiles.reader import Reader, MmapSource\n\
        mbtiles_to_pmtiles(sys.argv[1], sys.argv[2], None)\n\
        print(Reader(MmapSource(open(sys.argv[2], 'rb'))).header()['leaf_directory_length'])";
    let out = std::process::Command::new("python3")
        .args(["-c", CONVERT])
        .arg(mbtiles)
        .arg(pmtiles)
        .output()
        .expect("python3 (scripts/lib.sh installs pmtiles)");
    assert!(
        out.status.success(),
        "pmtiles convert: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a length")
}

/// Raster tiles: every z4 tile the same bytes (one run in the directory), the same bytes again
/// at z5 0/0 (a second entry to the same offset), and tiles scattered over z12, each its own.
fn raster_tiles() -> Tiles {
    let png = |tag: &[u8]| [b"\x89PNG\r\n\x1a\n".as_slice(), tag].concat();
    let mut tiles = Tiles::new();
    for x in 0..16 {
        for y in 0..16 {
            tiles.insert((4, x, y), png(b"the same at z4"));
        }
    }
    tiles.insert((5, 0, 0), png(b"the same at z4"));
    for i in 0..SCATTERED {
        let k = (i * 7_919) % (1 << 24);
        let tag = i.to_le_bytes().repeat(1 + (i % 37) as usize);
        tiles.insert((12, k % 4096, k / 4096), png(&tag));
    }
    tiles
}

/// Vector tiles from PostGIS (ST_AsMVT), zooms 0–3: a square in each tile, layer `parcels`.
async fn vector_tiles(pool: &PgPool) -> Tiles {
    let mut tiles = Tiles::new();
    for z in 0u8..=3 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                let bytes: Vec<u8> = sqlx::query_scalar(
                    "SELECT ST_AsMVT(t, 'parcels') FROM (
                       SELECT $4::int AS n, ST_AsMVTGeom(ST_Expand(ST_Centroid(e), (ST_XMax(e) - ST_XMin(e)) / 5), e) AS geom
                         FROM ST_TileEnvelope($1, $2, $3) e) t",
                )
                .bind(i32::from(z))
                .bind(x as i32)
                .bind(y as i32)
                .bind((x * 100 + y) as i32)
                .fetch_one(pool)
                .await
                .expect("mvt");
                tiles.insert((z, x, y), bytes);
            }
        }
    }
    tiles
}

/// Starts `onemap serve` with a basemaps setting, and runs `onemap config check` with it; expects
/// both to refuse with the same words: what serve said.
async fn refused(pool: &PgPool, basemaps: &Value) -> String {
    let (app, public) = (role_url(pool, "app").await, role_url(pool, "public").await);
    let serve = tokio::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args(["--database-url", &app, "serve", "--bind", "127.0.0.1:0"])
        .args(["--public-database-url", &public])
        .args([
            "--frontend",
            "/nonexistent",
            "--basemaps",
            &basemaps.to_string(),
        ])
        .output()
        .await
        .expect("run onemap");
    assert!(!serve.status.success(), "started with {basemaps}");
    let said = String::from_utf8_lossy(&serve.stderr).into_owned();
    let check = tokio::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args(["--database-url", &app, "config", "check"])
        .env("ONEMAP_PUBLIC_DATABASE_URL", &public)
        .env("ONEMAP_BASEMAPS", basemaps.to_string())
        .output()
        .await
        .expect("run onemap config check");
    let checked = String::from_utf8_lossy(&check.stderr);
    let fault = said
        .lines()
        .find(|l| l.contains("basemap `"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        !check.status.success() && checked.contains(fault.trim_start_matches("Error: ")),
        "config check: {checked}"
    );
    said
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn pmtiles_basemaps_serve_raster_and_gzipped_vector_tiles_from_the_reference_writer(
    pool: PgPool,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let raster = raster_tiles();
    write_mbtiles(&dir.path().join("raster.mbtiles"), "png", &[], &raster);
    let leaves = convert(
        &dir.path().join("raster.mbtiles"),
        &dir.path().join("raster.pmtiles"),
    );
    assert!(leaves > 0, "the writer wrote leaf directories");
    let vector = vector_tiles(&pool).await;
    let layers =
        json!({"vector_layers": [{"id": "parcels", "fields": {"n": "Number"}}]}).to_string();
    write_mbtiles(
        &dir.path().join("vector.mbtiles"),
        "pbf",
        &[("json", &layers)],
        &vector,
    );
    convert(
        &dir.path().join("vector.mbtiles"),
        &dir.path().join("vector.pmtiles"),
    );
    // the same vector tiles in an MBTiles served as it is, gzipped as MBTiles usually hold them
    let gzipped: Tiles = vector
        .iter()
        .map(|(at, bytes)| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut gz, bytes).expect("gzip");
            (*at, gz.finish().expect("gzip"))
        })
        .collect();
    write_mbtiles(
        &dir.path().join("vector-gz.mbtiles"),
        "pbf",
        &[("json", &layers)],
        &gzipped,
    );

    let basemaps = json!([
        {"id": "imagery", "name": "本地影像", "kind": "pmtiles", "path": dir.path().join("raster.pmtiles")},
        {"id": "streets", "name": "本地矢量", "kind": "pmtiles", "path": dir.path().join("vector.pmtiles")},
        {"id": "streets-mb", "name": "本地矢量 MBTiles", "kind": "mbtiles", "path": dir.path().join("vector-gz.mbtiles")},
    ]);
    let (base, _server) = serve_binary(&pool, &["--basemaps", &basemaps.to_string()]).await;
    let http = reqwest::Client::new();
    let list: Value = http
        .get(format!("{base}/api/basemaps"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(
        list["basemaps"][0]["layers"][0]["tiles"][0], "/api/basemaps/imagery/{z}/{x}/{y}",
        "{list}"
    );
    assert_eq!(list["basemaps"][0]["layers"][0]["max_zoom"], 12, "{list}");
    assert!(
        list["basemaps"][0]["layers"][0]
            .get("vector_layers")
            .is_none(),
        "{list}"
    );
    assert_eq!(
        list["basemaps"][1]["layers"][0]["vector_layers"],
        json!(["parcels"]),
        "{list}"
    );
    assert_eq!(list["basemaps"][1]["layers"][0]["max_zoom"], 3, "{list}");
    assert_eq!(
        list["basemaps"][2]["layers"][0]["vector_layers"],
        json!(["parcels"]),
        "{list}"
    );

    // raster: every tile of the run, every 40th scattered one (most found through a leaf), as written
    let sample: Vec<_> = raster
        .iter()
        .filter(|((z, x, _), _)| *z != 12 || x % 40 == 0)
        .collect();
    assert!(sample.len() > 400);
    for ((z, x, y), bytes) in sample {
        let tile = http
            .get(format!("{base}/api/basemaps/imagery/{z}/{x}/{y}.png"))
            .send()
            .await
            .expect("tile");
        assert_eq!(
            (tile.status().as_u16(), &tile.headers()["content-type"]),
            (200, &"image/png".parse().expect("header"))
        );
        assert!(tile.headers().get("content-encoding").is_none());
        assert_eq!(
            &tile.bytes().await.expect("bytes")[..],
            &bytes[..],
            "{z}/{x}/{y}"
        );
    }
    // where the file has none (beside the run, beyond its zooms): the transparent tile
    for missing in ["5/1/0", "12/1/0", "13/0/0", "30/0/0"] {
        let tile = http
            .get(format!("{base}/api/basemaps/imagery/{missing}"))
            .send()
            .await
            .expect("tile");
        assert_eq!(tile.status(), 200, "{missing}");
        assert!(
            !tile
                .bytes()
                .await
                .expect("bytes")
                .ends_with(b"the same at z4"),
            "{missing}"
        );
    }

    // vector: gzipped as stored to a client that takes gzip, unpacked for one that does not
    for (((z, x, y), bytes), file) in vector
        .iter()
        .flat_map(|tile| [(tile, "streets"), (tile, "streets-mb")])
    {
        let url = format!("{base}/api/basemaps/{file}/{z}/{x}/{y}.pbf");
        let tile = http
            .get(&url)
            .header("accept-encoding", "gzip, deflate, br")
            .send()
            .await
            .expect("tile");
        assert_eq!(
            tile.headers()["content-type"],
            "application/vnd.mapbox-vector-tile"
        );
        assert_eq!(tile.headers()["content-encoding"], "gzip");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&tile.bytes().await.expect("bytes")[..])
            .read_to_end(&mut plain)
            .expect("gzip");
        assert_eq!(&plain, bytes, "{z}/{x}/{y}");
        let tile = http
            .get(&url)
            .header("accept-encoding", "identity")
            .send()
            .await
            .expect("tile");
        assert!(tile.headers().get("content-encoding").is_none());
        assert_eq!(&tile.bytes().await.expect("bytes")[..], &bytes[..]);
    }
    let none = http
        .get(format!("{base}/api/basemaps/streets/4/0/0"))
        .send()
        .await
        .expect("tile");
    assert_eq!(
        (
            none.status().as_u16(),
            none.bytes().await.expect("bytes").len()
        ),
        (200, 0),
        "an empty vector tile"
    );

    // a truncated file, and an MBTiles named as PMTiles: refused at start, naming file and fault
    let whole = std::fs::read(dir.path().join("raster.pmtiles")).expect("read");
    let cut = dir.path().join("cut.pmtiles");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    let said = refused(
        &pool,
        &json!([{"id": "cut", "name": "x", "kind": "pmtiles", "path": cut}]),
    )
    .await;
    assert!(
        said.contains("cut.pmtiles")
            && said.contains("beyond the file's end")
            && said.contains("basemap `cut`"),
        "{said}"
    );
    let foreign = dir.path().join("raster.mbtiles");
    let said = refused(
        &pool,
        &json!([{"id": "f", "name": "x", "kind": "pmtiles", "path": foreign}]),
    )
    .await;
    assert!(
        said.contains("raster.mbtiles") && said.contains("not a PMTiles file"),
        "{said}"
    );
    let mut garbled = whole.clone();
    garbled[127..160].fill(0xff);
    let bad_root = dir.path().join("garbled.pmtiles");
    std::fs::write(&bad_root, &garbled).expect("write");
    let said = refused(
        &pool,
        &json!([{"id": "g", "name": "x", "kind": "pmtiles", "path": bad_root}]),
    )
    .await;
    assert!(
        said.contains("garbled.pmtiles") && said.contains("root directory"),
        "{said}"
    );
}
