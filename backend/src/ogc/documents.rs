//! The OGC API documents as types: links, the landing page, conformance, collections and the
//! FeatureCollection of a page (its features arrive from PostGIS as ready GeoJSON).
use serde::Serialize;
use serde_json::value::RawValue;

use super::collections::{Collection, COLLECTIONS};
use super::crs::{Crs, ALL};
use super::CONFORMANCE;

/// A link of a document: where, how it relates, its media type and a title.
#[derive(Serialize, Debug, Clone)]
pub struct Link {
    pub href: String,
    pub rel: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
}

impl Link {
    #[must_use]
    pub fn new(href: String, rel: &'static str, kind: &'static str, title: &str) -> Self {
        Self {
            href,
            rel,
            kind,
            title: title.to_owned(),
        }
    }
}

#[derive(Serialize)]
pub struct Landing {
    pub title: &'static str,
    pub description: &'static str,
    pub links: Vec<Link>,
}

#[derive(Serialize)]
pub struct Conformance {
    #[serde(rename = "conformsTo")]
    pub conforms_to: &'static [&'static str],
}

#[derive(Serialize)]
pub struct Spatial {
    /// West, south, east, north in CRS84; absent data has none.
    pub bbox: Option<[[f64; 4]; 1]>,
    pub crs: &'static str,
}

#[derive(Serialize)]
pub struct Extent {
    pub spatial: Spatial,
}

#[derive(Serialize)]
pub struct CollectionDocument {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    #[serde(rename = "itemType")]
    pub item_type: &'static str,
    pub extent: Extent,
    pub crs: [&'static str; ALL.len()],
    #[serde(rename = "storageCrs")]
    pub storage_crs: &'static str,
    pub links: Vec<Link>,
}

#[derive(Serialize)]
pub struct Collections {
    pub links: Vec<Link>,
    pub crs: [&'static str; ALL.len()],
    pub collections: Vec<CollectionDocument>,
}

/// A page of features: `features` is the JSON array PostGIS made, passed through unparsed.
#[derive(Serialize)]
pub struct FeatureCollection<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "numberMatched")]
    pub number_matched: i64,
    #[serde(rename = "numberReturned")]
    pub number_returned: i64,
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    pub links: Vec<Link>,
    pub features: &'a RawValue,
}

/// A whole layer for download: a named FeatureCollection.
#[derive(Serialize)]
pub struct NamedFeatureCollection<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: &'a str,
    pub features: &'a RawValue,
}

/// The features of an `items::Page` (comma-separated GeoJSON objects) as one JSON array.
pub fn feature_array(features: &str) -> Result<Box<RawValue>, serde_json::Error> {
    RawValue::from_string(format!("[{features}]"))
}

#[must_use]
pub fn landing(base: &str) -> Landing {
    Landing {
        title: "onemap 征地拆迁一张图",
        description:
            "Regions, projects, parcels and buildings with their live status. No personal data.",
        links: vec![
            Link::new(
                format!("{base}/ogc"),
                "self",
                "application/json",
                "this document",
            ),
            Link::new(
                format!("{base}/ogc?f=html"),
                "alternate",
                "text/html",
                "this document as HTML",
            ),
            Link::new(
                format!("{base}/ogc/api"),
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
                "the API definition",
            ),
            Link::new(
                format!("{base}/ogc/conformance"),
                "conformance",
                "application/json",
                "conformance classes",
            ),
            Link::new(
                format!("{base}/ogc/collections"),
                "data",
                "application/json",
                "collections",
            ),
        ],
    }
}

#[must_use]
pub fn conformance() -> Conformance {
    Conformance {
        conforms_to: &CONFORMANCE,
    }
}

/// A collection's description; `extent` is its features' west, south, east, north in CRS84.
#[must_use]
pub fn collection_document(
    base: &str,
    c: &Collection,
    extent: Option<[f64; 4]>,
) -> CollectionDocument {
    let href = format!("{base}/ogc/collections/{}", c.id);
    CollectionDocument {
        id: c.id,
        title: c.title,
        description: c.description,
        item_type: "feature",
        extent: Extent {
            spatial: Spatial {
                bbox: extent.map(|e| [e]),
                crs: Crs::Crs84.uri(),
            },
        },
        crs: ALL.map(Crs::uri),
        storage_crs: Crs::Crs84.uri(),
        links: vec![
            Link::new(href.clone(), "self", "application/json", c.title),
            Link::new(
                format!("{href}?f=html"),
                "alternate",
                "text/html",
                "as HTML",
            ),
            Link::new(
                format!("{href}/items"),
                "items",
                "application/geo+json",
                "the features",
            ),
            Link::new(
                format!("{href}/items?f=html"),
                "items",
                "text/html",
                "the features as HTML",
            ),
            Link::new(
                format!("{href}/queryables"),
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "application/schema+json",
                "what filter and the query parameters may use",
            ),
        ],
    }
}

/// Every collection's description; `extents` by collection id (see `ogc::extents`).
#[must_use]
pub fn collections_document<S: std::hash::BuildHasher>(
    base: &str,
    extents: &std::collections::HashMap<String, [f64; 4], S>,
) -> Collections {
    Collections {
        links: vec![
            Link::new(
                format!("{base}/ogc/collections"),
                "self",
                "application/json",
                "collections",
            ),
            Link::new(
                format!("{base}/ogc/collections?f=html"),
                "alternate",
                "text/html",
                "collections as HTML",
            ),
        ],
        crs: ALL.map(Crs::uri),
        collections: COLLECTIONS
            .iter()
            .map(|c| collection_document(base, c, extents.get(c.id).copied()))
            .collect(),
    }
}
