//! The OGC API collections: what each one reads, the properties it shows (never personal
//! data) and the filters it accepts.

/// One feature collection, as SQL fragments over its table (aliased `t`), its project
/// (`p`, absent for regions) and the region the filter by region looks at (`r`).
pub struct Collection {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// FROM clause: the table as `t` plus the joins the properties and filters need.
    pub from: &'static str,
    /// A jsonb object of the feature's properties.
    pub properties: &'static str,
    /// The properties' names and JSON types, for the OpenAPI document and the queryables.
    pub schema: &'static [(&'static str, &'static str, &'static str)],
    /// The status column the `status` filter compares, with the statuses it may hold.
    pub status: Option<(&'static str, &'static [&'static str])>,
    /// Whether the `project` filter (a project code) applies.
    pub by_project: bool,
    /// The stage column the `stage` filter compares (projects: their procedure stage).
    pub stage: Option<&'static str>,
}

const HOUSEHOLD_STATUSES: &[&str] = &["pending", "surveyed", "signed", "vacated", "demolished"];
const LAND_STATUSES: &[&str] = &["pending", "acquired", "cleared", "delivered"];
/// The `project_stage` values, in the order a project passes them.
pub const STAGES: &[&str] = &[
    "preparation",
    "survey",
    "plan",
    "decision",
    "signing",
    "relocation",
    "handover",
    "closed",
];

pub const COLLECTIONS: [Collection; 5] = [
    Collection {
        id: "regions",
        title: "Regions 行政区划",
        description: "City, districts, streets and communities with their progress figures.",
        from: "regions t LEFT JOIN regions parent ON parent.id = t.parent_id
               LEFT JOIN region_figures f ON f.region_id = t.id
               JOIN regions r ON r.id = t.id",
        properties: "jsonb_build_object('code', t.code, 'name', t.name, 'level', t.level, 'parent', parent.code,
                         'projects', f.projects, 'households', f.households, 'signed', f.signed,
                         'sign_rate', sign_rate(f.signed, f.households), 'geom_source', t.geom_source)",
        schema: &[
            ("code", "string", "GB/T 2260 / NBS region code"),
            ("name", "string", "name"),
            ("level", "string", "city, district, street or community"),
            ("parent", "string", "code of the parent region"),
            ("projects", "integer", "projects in the region and below"),
            ("households", "integer", "households to move"),
            ("signed", "integer", "households that signed"),
            ("sign_rate", "number", "signed / households"),
            ("geom_source", "string", "where the boundary comes from"),
        ],
        status: None,
        by_project: false,
        stage: None,
    },
    Collection {
        id: "projects",
        title: "Projects 项目",
        description: "Acquisition and demolition projects with their progress figures.",
        from: "projects t JOIN regions r ON r.id = t.region_id LEFT JOIN project_figures f ON f.project_id = t.id
               JOIN projects p ON p.id = t.id",
        properties: "jsonb_build_object('code', t.code, 'name', t.name, 'kind', t.kind, 'region', r.code, 'stage', t.stage,
                         'start_date', t.start_date, 'target_date', t.target_date, 'buildings', f.buildings,
                         'households', f.households, 'signed', f.signed,
                         'sign_rate', sign_rate(f.signed, f.households),
                         'land_m2', round(f.land_m2::numeric, 2), 'land_delivered_m2', round(f.land_delivered_m2::numeric, 2))",
        schema: &[
            ("code", "string", "project code"),
            ("name", "string", "project name"),
            ("kind", "string", "house_expropriation, land_acquisition, shantytown or land_readiness"),
            ("region", "string", "code of the region the project is in"),
            ("stage", "string", "procedure stage: preparation, survey, plan, decision, signing, relocation, handover or closed"),
            ("start_date", "string", "start date"),
            ("target_date", "string", "target completion date"),
            ("buildings", "integer", "buildings"),
            ("households", "integer", "households to move"),
            ("signed", "integer", "households that signed"),
            ("sign_rate", "number", "signed / households"),
            ("land_m2", "number", "land to acquire, m²"),
            ("land_delivered_m2", "number", "land delivered, m²"),
        ],
        status: None,
        by_project: true,
        stage: Some("t.stage"),
    },
    Collection {
        id: "parcels",
        title: "Parcels 地块",
        description: "Land parcels with their acquisition status.",
        from: "parcels t JOIN projects p ON p.id = t.project_id JOIN regions r ON r.id = p.region_id",
        properties: "jsonb_build_object('code', t.code, 'project', p.code, 'land_use', t.land_use,
                         'status', t.land_status, 'area_m2', round(t.area_m2::numeric, 2))",
        schema: &[
            ("code", "string", "parcel code"),
            ("project", "string", "project code"),
            ("land_use", "string", "residential, commercial, industrial, farmland or public"),
            ("status", "string", "pending, acquired, cleared or delivered"),
            ("area_m2", "number", "area on the ellipsoid, m²"),
        ],
        status: Some(("t.land_status", LAND_STATUSES)),
        by_project: true,
        stage: None,
    },
    Collection {
        id: "buildings",
        title: "Buildings 房屋",
        description: "Buildings with their live status (the least advanced of their households).",
        from: "buildings t JOIN projects p ON p.id = t.project_id JOIN regions r ON r.id = p.region_id
               JOIN parcels pa ON pa.id = t.parcel_id",
        properties: "jsonb_build_object('code', t.code, 'project', p.code, 'parcel', pa.code, 'use', t.use,
                         'legality', t.legality, 'floors', t.floors, 'floor_area', t.floor_area,
                         'status', t.status, 'households', t.households)",
        schema: &[
            ("code", "string", "building code"),
            ("project", "string", "project code"),
            ("parcel", "string", "parcel code"),
            ("use", "string", "residential, commercial, industrial, public or mixed"),
            ("legality", "string", "legal or illegal"),
            ("floors", "integer", "floors"),
            ("floor_area", "number", "recorded floor area (建筑面积), m²"),
            ("status", "string", "pending, surveyed, signed, vacated or demolished"),
            ("households", "integer", "households in the building"),
        ],
        status: Some(("t.status", HOUSEHOLD_STATUSES)),
        by_project: true,
        stage: None,
    },
    Collection {
        id: "estates",
        title: "Estates 安置小区",
        description: "Resettlement estates with their units by status (never who holds a unit).",
        from: "estates t JOIN regions r ON r.id = t.region_id",
        properties: "(SELECT jsonb_build_object('code', t.code, 'name', t.name, 'region', r.code, 'address', t.address,
                         'delivery_planned', t.delivery_planned, 'units', count(u.id),
                         'available', count(u.id) FILTER (WHERE u.status = 'available'),
                         'reserved', count(u.id) FILTER (WHERE u.status = 'reserved'),
                         'selected', count(u.id) FILTER (WHERE u.status = 'selected'),
                         'contracted', count(u.id) FILTER (WHERE u.status = 'contracted'),
                         'delivered', count(u.id) FILTER (WHERE u.status = 'delivered'))
                     FROM estate_units u WHERE u.estate_id = t.id)",
        schema: &[
            ("code", "string", "estate code"),
            ("name", "string", "estate name"),
            ("region", "string", "code of the region the estate is in"),
            ("address", "string", "address"),
            ("delivery_planned", "string", "planned delivery (交付)"),
            ("units", "integer", "units (套)"),
            ("available", "integer", "units available"),
            ("reserved", "integer", "units reserved"),
            ("selected", "integer", "units selected"),
            ("contracted", "integer", "units contracted"),
            ("delivered", "integer", "units delivered"),
        ],
        status: None,
        by_project: false,
        stage: None,
    },
];

/// A property `items` filters on (query parameter of the same name, or CQL2 `filter`).
#[derive(Clone, Copy)]
pub enum Queryable {
    /// The feature's own code.
    Code,
    /// The code of the feature's project.
    Project,
    /// A region code: features in the region or below it.
    Region,
    /// A status or stage column and its values in the order a feature passes them.
    Ordered(&'static str, &'static [&'static str]),
}

/// The collection's queryables by name, in the order the documents list them.
#[must_use]
pub fn queryables_of(c: &Collection) -> Vec<(&'static str, Queryable)> {
    let mut list = vec![("code", Queryable::Code)];
    if c.by_project {
        list.push(("project", Queryable::Project));
    }
    list.push(("region", Queryable::Region));
    if let Some((column, statuses)) = c.status {
        list.push(("status", Queryable::Ordered(column, statuses)));
    }
    if let Some(column) = c.stage {
        list.push(("stage", Queryable::Ordered(column, STAGES)));
    }
    list
}

#[must_use]
pub fn collection(id: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.id == id)
}

/// The collection's queryables (OGC API Features Part 3): the properties `items` filters on,
/// as a JSON Schema.
#[must_use]
pub fn queryables(c: &Collection, href: &str) -> serde_json::Value {
    use serde_json::json;
    let properties: serde_json::Map<String, serde_json::Value> = queryables_of(c)
        .into_iter()
        .map(|(name, q)| {
            let schema = match q {
                Queryable::Code => json!({ "type": "string", "description": "code" }),
                Queryable::Project => json!({ "type": "string", "description": "project code" }),
                Queryable::Region => json!({ "type": "string", "description": "region code: the region and below (=, <>, IN)" }),
                Queryable::Ordered(_, values) => json!({ "type": "string", "enum": values,
                    "description": "<, <=, > and >= follow the order of the values" }),
            };
            (name.to_owned(), schema)
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": href,
        "type": "object",
        "title": c.title,
        "properties": properties,
        "additionalProperties": false,
    })
}
