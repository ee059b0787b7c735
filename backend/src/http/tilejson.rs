//! `/tiles/{layer}.json`: TileJSON 3.0 per layer, with `vector_layers` from the catalogue.
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use serde_json::{json, Map, Value};

use super::extract::Path;
use super::tiles::unknown_layer;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tiles::layer;

pub async fn tilejson(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> AppResult<([(header::HeaderName, &'static str); 1], Json<Value>)> {
    let name = file.strip_suffix(".json").ok_or_else(|| {
        AppError::NotFound(format!(
            "`{file}` is not a TileJSON document: use /tiles/{{layer}}.json"
        ))
    })?;
    let layer = layer(name).ok_or_else(|| unknown_layer(name))?;

    // Bounds and centre come from small tables (regions, projects) so this stays cheap at
    // any scale; the centre is the middle of the project with most buildings, where a
    // client that jumps to it sees the layer's data.
    let extent_sql = if layer.name == "regions" {
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM regions) s"
    } else {
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM projects) s"
    };
    let bounds: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) =
        sqlx::query_as(extent_sql).fetch_one(&state.pool).await?;
    let centre: Option<(f64, f64)> = sqlx::query_as(
        "SELECT ST_X(c), ST_Y(c) FROM (
             SELECT ST_PointOnSurface(p.geom) AS c FROM projects p
               JOIN project_figures f ON f.project_id = p.id
              ORDER BY f.buildings DESC, p.id LIMIT 1) s",
    )
    .fetch_optional(&state.pool)
    .await?;

    let base = super::base_url(&state, &headers);
    let fields: Map<String, Value> = layer
        .fields
        .iter()
        .map(|f| (f.name.to_owned(), Value::from(f.description)))
        .collect();
    let bounds = match bounds {
        (Some(w), Some(s), Some(e), Some(n)) => json!([w, s, e, n]),
        _ => json!([-180.0, -85.051_128_78, 180.0, 85.051_128_78]),
    };
    let zoom = layer.minzoom.max(layer.maxzoom.min(16));
    let centre = centre.map_or(Value::Null, |(lon, lat)| json!([lon, lat, zoom]));
    let document = json!({
        "tilejson": "3.0.0",
        "name": format!("onemap {}", layer.name),
        "description": layer.description,
        "version": env!("CARGO_PKG_VERSION"),
        "scheme": "xyz",
        "tiles": [format!("{base}/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", layer.name)],
        "minzoom": layer.minzoom,
        "maxzoom": layer.maxzoom,
        "bounds": bounds,
        "center": centre,
        "vector_layers": [{
            "id": layer.name,
            "description": layer.description,
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom,
            "fields": fields,
        }],
    });
    Ok(([(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], Json(document)))
}
