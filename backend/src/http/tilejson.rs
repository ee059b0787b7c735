//! `/tiles/{layer}.json`: TileJSON 3.0 per layer, with `vector_layers` from the catalogue.
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;

use super::extract::Path;
use super::tiles::unknown_layer;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tiles::layer;
use crate::tiles::tilejson::TileJson;

pub async fn tilejson(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> AppResult<([(header::HeaderName, &'static str); 1], Json<TileJson>)> {
    let name = file.strip_suffix(".json").ok_or_else(|| {
        AppError::NotFound(format!(
            "`{file}` is not a TileJSON document: use /tiles/{{layer}}.json"
        ))
    })?;
    let layer = layer(name).ok_or_else(|| unknown_layer(name))?;

    let base = super::base_url(&state, &headers);
    let document = crate::tiles::tilejson::document(&state.pool, layer, &base).await?;
    Ok(([(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], Json(document)))
}
