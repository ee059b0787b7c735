//! The real reference data the demo city stands on, embedded in the binary.
use anyhow::{anyhow, Context};
use serde::Deserialize;
use serde_json::Value;

const BOUNDARIES: &str =
    include_str!("../../../data/reference/fastgeocn_changde_shaoxing_districts_wgs84.geojson");
const DIVISIONS: &str = include_str!("../../../data/reference/china_division_wuling_yuecheng.json");

/// A demo district: real code, name and boundary; real street and community codes and names.
pub struct District {
    pub code: String,
    pub name: String,
    pub city_code: String,
    pub city_name: &'static str,
    /// GeoJSON geometry of the district boundary (WGS84).
    pub boundary: Value,
    /// GeoJSON geometries of every county of the city, whose union is the city outline.
    pub city_counties: Vec<Value>,
    pub streets: Vec<Street>,
    /// Urban core (lon, lat): projects cluster around it as in a real city.
    pub core: (f64, f64),
    /// Real road and place names used to name projects.
    pub places: &'static [&'static str],
}

#[derive(Deserialize)]
pub struct Street {
    pub code: String,
    pub name: String,
    #[serde(rename = "villages")]
    pub communities: Vec<Community>,
}

#[derive(Deserialize)]
pub struct Community {
    pub code: String,
    pub name: String,
}

#[derive(Deserialize)]
struct DivisionDistrict {
    name: String,
    streets: Vec<Street>,
}

struct DemoDistrict {
    code: &'static str,
    city_name: &'static str,
    core: (f64, f64),
    places: &'static [&'static str],
}

const DEMO_DISTRICTS: [DemoDistrict; 2] = [
    DemoDistrict {
        code: "430702",
        city_name: "常德市",
        core: (111.69, 29.04),
        places: &[
            "桃花源路",
            "朗州路",
            "武陵大道",
            "人民路",
            "建设路",
            "洞庭大道",
            "柳叶大道",
            "皂果路",
            "紫缘路",
            "育英路",
            "常德大道",
            "沅安路",
            "丹阳路",
            "三闾路",
            "滨湖路",
            "芙蓉路",
        ],
    },
    DemoDistrict {
        code: "330602",
        city_name: "绍兴市",
        core: (120.58, 30.00),
        places: &[
            "解放路",
            "中兴路",
            "胜利路",
            "环城西路",
            "越王路",
            "延安路",
            "人民路",
            "府山路",
            "镜湖路",
            "二环北路",
            "凤林路",
            "迪荡路",
            "城东路",
            "北海路",
            "东街",
            "鉴湖路",
        ],
    },
];

pub fn districts() -> anyhow::Result<Vec<District>> {
    let boundaries: Value =
        serde_json::from_str(BOUNDARIES).context("parsing the district boundaries")?;
    let features = boundaries["features"]
        .as_array()
        .ok_or_else(|| anyhow!("boundaries have no features"))?;
    let mut divisions: std::collections::HashMap<String, DivisionDistrict> =
        serde_json::from_str(DIVISIONS).context("parsing the division codes")?;
    DEMO_DISTRICTS
        .iter()
        .map(|demo| {
            let city_prefix = &demo.code[..4];
            let geometry_of = |code: &str| {
                features
                    .iter()
                    .find(|f| f["properties"]["code"] == code)
                    .map(|f| f["geometry"].clone())
            };
            let division = divisions
                .remove(demo.code)
                .ok_or_else(|| anyhow!("no divisions for {}", demo.code))?;
            Ok(District {
                code: demo.code.to_owned(),
                name: division.name,
                city_code: format!("{city_prefix}00"),
                city_name: demo.city_name,
                boundary: geometry_of(demo.code)
                    .ok_or_else(|| anyhow!("no boundary for {}", demo.code))?,
                city_counties: features
                    .iter()
                    .filter(|f| {
                        f["properties"]["code"]
                            .as_str()
                            .is_some_and(|c| c.starts_with(city_prefix))
                    })
                    .map(|f| f["geometry"].clone())
                    .collect(),
                streets: division.streets,
                core: demo.core,
                places: demo.places,
            })
        })
        .collect()
}
