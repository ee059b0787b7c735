//! Logs each 5xx response once, with the cause the handler attached.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ServerErrorDetail;

pub async fn log_server_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(ServerErrorDetail(detail)) = response.extensions().get::<ServerErrorDetail>() {
        tracing::error!(%path, status = %response.status(), "{detail}");
    }
    response
}
