//! A real server on a loopback port and a minimal Server-Sent Events client for the feed tests.
use std::time::Duration;

use futures_util::StreamExt;
use onemap::AppState;
use sqlx::PgPool;

/// Serves the app on 127.0.0.1 (a port the OS picks) with its LISTEN loop; both stop with the test's runtime.
pub async fn serve(pool: &PgPool) -> (String, AppState) {
    let mut state = crate::helpers::state(pool).await;
    // attachments go to a directory of this test's own, removed when the server task is dropped
    // with the test's runtime
    let files = tempfile::Builder::new()
        .prefix("onemap-test-files-")
        .tempdir()
        .expect("temp dir");
    state.files = std::sync::Arc::new(onemap::households::files::FileStore::new(
        files.path().to_owned(),
    ));
    onemap::live::spawn_listener(state.pool.clone(), state.hub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let app =
        onemap::app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move {
        let _files = files;
        axum::serve(listener, app).await.expect("serve");
    });
    (format!("http://{address}"), state)
}

#[derive(Debug, Clone)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<i64>,
    pub data: serde_json::Value,
}

pub struct SseClient {
    stream: futures_util::stream::BoxStream<'static, reqwest::Result<axum::body::Bytes>>,
    buffer: String,
}

impl SseClient {
    pub async fn connect(url: &str, token: &str, last_event_id: Option<i64>) -> SseClient {
        let mut request = reqwest::Client::new().get(url).bearer_auth(token);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("connect to the feed");
        assert_eq!(response.status(), 200, "feed answers");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/event-stream"));
        SseClient {
            stream: response.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event of any kind, or None after `wait` without one.
    pub async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    event: "message".into(),
                    id: None,
                    data: serde_json::Value::Null,
                };
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        v.trim().clone_into(&mut event.event);
                    } else if let Some(v) = line.strip_prefix("id:") {
                        event.id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                event.data = serde_json::from_str(&data).expect("event data is JSON");
                return Some(event);
            }
            let chunk = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??;
            self.buffer
                .push_str(&String::from_utf8_lossy(&chunk.expect("feed bytes")));
        }
    }

    /// The next `n` status events (heartbeats skipped), each within `wait` of the one before.
    pub async fn status_events(&mut self, n: usize, wait: Duration) -> Vec<SseEvent> {
        let mut out = Vec::new();
        while out.len() < n {
            match self.next(wait).await {
                Some(event) if event.event == "status" => out.push(event),
                Some(_) => {}
                None => panic!("only {} of {n} status events arrived", out.len()),
            }
        }
        out
    }
}
