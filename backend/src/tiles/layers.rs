//! The catalogue of tile layers: names, zoom ranges, fields and their feature SQL.
//!
//! Zoom ranges keep every tile small: buildings only from z15 (a z14 tile of raw footprints
//! in a dense district already passes 500 KB), parcels from z13, project outlines carry
//! their aggregated figures from z8, regions (with roll-ups) at every zoom, resettlement
//! estates with their units by status from z10.

/// A property every feature of a layer carries.
pub struct Field {
    pub name: &'static str,
    /// TileJSON type name: "String", "Number" or "Boolean".
    pub kind: &'static str,
    pub description: &'static str,
}

pub struct Layer {
    pub name: &'static str,
    pub description: &'static str,
    /// Lowest zoom served; below it the layer has no tiles.
    pub minzoom: u8,
    /// Lowest zoom of GeoJSON tiles: text costs 4–5 times the bytes of MVT, so dense layers
    /// start deeper to keep every tile under 500 KB at a million buildings (bench/tiles.py).
    pub geojson_minzoom: u8,
    /// Highest zoom worth fetching (clients overzoom beyond it); tiles are served up to MAX_ZOOM.
    pub maxzoom: u8,
    /// Feature query: outputs `id`, every field, then `geom_3857`.
    pub sql: &'static str,
    /// The same features as they stood at the end of a past day (`$4`), for layers whose
    /// properties follow the status history; None where a layer has no history tiles.
    pub history_sql: Option<&'static str>,
    pub fields: &'static [Field],
}

impl Layer {
    /// Whether a past day's tile never changes, so it is kept (HistoryTileCache) and clients may
    /// keep it a day. Status events are stamped when written; a project's stage is not final:
    /// a step's actual end may be written later for a past day (procedure_stage).
    #[must_use]
    pub fn past_is_final(&self) -> bool {
        self.name != "projects"
    }
}

const fn field(name: &'static str, kind: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind,
        description,
    }
}

pub static LAYERS: [Layer; 5] = [
    Layer {
        name: "regions",
        geojson_minzoom: 0,
        description: "行政区划 city → district → street → community, with roll-up figures",
        minzoom: 0,
        maxzoom: 14,
        sql: include_str!("../../sql/tiles/regions.sql"),
        history_sql: Some(include_str!("../../sql/tiles/regions_as_of.sql")),
        fields: &[
            field("code", "String", "GB/T 2260 / NBS division code"),
            field("name", "String", "name"),
            field("level", "String", "city | district | street | community"),
            field("parent_code", "String", "code of the parent region"),
            field(
                "households",
                "Number",
                "households in projects of this region (总户数)",
            ),
            field("signed", "Number", "households signed or beyond (签约户数)"),
            field(
                "sign_rate",
                "Number",
                "signed ÷ households (签约率); absent when no households",
            ),
            field("projects", "Number", "projects in this region"),
        ],
    },
    Layer {
        name: "projects",
        geojson_minzoom: 10,
        description: "征拆项目 outlines with their gauge figures",
        minzoom: 8,
        maxzoom: 14,
        sql: include_str!("../../sql/tiles/projects.sql"),
        // a past day's stage and counts: the cockpit's stage colours follow its time bar
        history_sql: Some(include_str!("../../sql/tiles/projects_as_of.sql")),
        fields: &[
            field("code", "String", "project code"),
            field("name", "String", "project name"),
            field(
                "kind",
                "String",
                "house_expropriation | land_acquisition | shantytown | land_readiness",
            ),
            field(
                "stage",
                "String",
                "procedure stage (项目阶段): preparation | survey | plan | decision | signing | relocation | handover | closed",
            ),
            field(
                "region_code",
                "String",
                "code of the community the project lies in",
            ),
            field("households", "Number", "total households (总户数)"),
            field("signed", "Number", "households signed or beyond (签约户数)"),
            field(
                "vacated",
                "Number",
                "households vacated or beyond (腾空户数)",
            ),
            field("demolished", "Number", "households demolished (拆除户数)"),
            field(
                "sign_rate",
                "Number",
                "signed ÷ households (签约率); absent when no households",
            ),
            field(
                "floor_area",
                "Number",
                "total recorded floor area, m² (总面积)",
            ),
            field("start_date", "String", "start date, YYYY-MM-DD"),
            field(
                "target_date",
                "String",
                "target completion date, YYYY-MM-DD",
            ),
        ],
    },
    Layer {
        name: "parcels",
        geojson_minzoom: 13,
        description: "地块 land parcels with their land status",
        minzoom: 13,
        maxzoom: 16,
        sql: include_str!("../../sql/tiles/parcels.sql"),
        history_sql: Some(include_str!("../../sql/tiles/parcels_as_of.sql")),
        fields: &[
            field("code", "String", "parcel code"),
            field("project_id", "Number", "id of the project"),
            field(
                "land_status",
                "String",
                "pending | acquired | cleared | delivered",
            ),
            field(
                "land_use",
                "String",
                "residential | commercial | industrial | farmland | public",
            ),
            field("area_m2", "Number", "area on the ellipsoid, m²"),
            field("area_mu", "Number", "area in 亩 (666.67 m²)"),
        ],
    },
    Layer {
        name: "buildings",
        geojson_minzoom: 17,
        description: "房屋 footprints with their live status",
        minzoom: 15,
        maxzoom: 16,
        sql: include_str!("../../sql/tiles/buildings.sql"),
        history_sql: Some(include_str!("../../sql/tiles/buildings_as_of.sql")),
        fields: &[
            field("code", "String", "building code"),
            field("project_id", "Number", "id of the project"),
            field("parcel_id", "Number", "id of the parcel"),
            field(
                "status",
                "String",
                "pending | surveyed | signed | vacated | demolished (least advanced household)",
            ),
            field("households", "Number", "households in the building"),
            field(
                "floor_area",
                "Number",
                "recorded floor area, m² (建筑面积, not the footprint)",
            ),
            field("floors", "Number", "floors above ground"),
            field(
                "use",
                "String",
                "residential | commercial | industrial | public | mixed",
            ),
            field("legality", "String", "legal | illegal (违建)"),
            field(
                "group_id",
                "Number",
                "id of the work group (工作组) holding all its households; absent when none or mixed",
            ),
            field("case_open", "Boolean", "a household has an open 疑难个案 (flag only)"),
        ],
    },
    Layer {
        name: "estates",
        geojson_minzoom: 10,
        description: "安置小区 resettlement estates with their units by status",
        minzoom: 10,
        maxzoom: 16,
        sql: include_str!("../../sql/tiles/estates.sql"),
        history_sql: None,
        fields: &[
            field("code", "String", "estate code"),
            field("name", "String", "estate name"),
            field("region_code", "String", "code of the region the estate lies in"),
            field("delivery_planned", "String", "planned delivery (交付), YYYY-MM-DD"),
            field("units", "Number", "units (套)"),
            field("available", "Number", "units available (可选)"),
            field("reserved", "Number", "units reserved (保留)"),
            field("selected", "Number", "units selected (已选)"),
            field("contracted", "Number", "units contracted (已签约)"),
            field("delivered", "Number", "units delivered (已交付)"),
        ],
    },
];

#[must_use]
pub fn layer(name: &str) -> Option<&'static Layer> {
    LAYERS.iter().find(|layer| layer.name == name)
}
