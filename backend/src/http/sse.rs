//! Server-Sent Events as bytes: frames rendered once and shared (the live feed sends one event
//! to hundreds of streams), the outbox that sends a crowd of them in one write, and the response
//! that streams them with an optional keep-alive.
use std::convert::Infallible;
use std::pin::Pin;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use tokio::time::{Instant, Sleep};

/// One event: `event:`, `id:` when given, and `data` as `data:` lines (a line break in the
/// data starts another `data:` line, as the format requires).
pub fn frame(event: &str, id: Option<i64>, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + event.len() + 32);
    out.push_str("event: ");
    out.push_str(event);
    out.push('\n');
    if let Some(id) = id {
        out.push_str("id: ");
        out.push_str(&id.to_string());
        out.push('\n');
    }
    for line in data.split('\n') {
        for part in line.strip_suffix('\r').unwrap_or(line).split('\r') {
            out.push_str("data: ");
            out.push_str(part);
            out.push('\n');
        }
    }
    out.push('\n');
    Bytes::from(out)
}

/// Frames a stream holds back while events crowd in, so that it writes at most once per `every`:
/// at 400 events a second, 200 streams writing each event made 80,000 writes and wake-ups a
/// second, the cores the writes need. A frame after a quiet `every` goes at once; `every` zero
/// sends every frame at once.
pub struct Outbox {
    every: Duration,
    held: Vec<u8>,
    last_sent: Instant,
    timer: Pin<Box<Sleep>>,
}

impl Outbox {
    pub fn new(every: Duration) -> Self {
        let now = Instant::now();
        Outbox {
            every,
            held: Vec::new(),
            last_sent: now.checked_sub(every).unwrap_or(now),
            timer: Box::pin(tokio::time::sleep_until(now)),
        }
    }

    /// Holds `frame` after those held before it.
    pub fn push(&mut self, frame: &[u8]) {
        if self.held.is_empty() {
            self.timer.as_mut().reset(self.last_sent + self.every);
        }
        self.held.extend_from_slice(frame);
    }

    /// Whether frames are held (then `due` is worth awaiting).
    pub fn holds(&self) -> bool {
        !self.held.is_empty()
    }

    /// Resolves when the held frames may go (`holds` first: with none it resolves at once).
    pub async fn due(&mut self) {
        self.timer.as_mut().await;
    }

    /// The held frames in one piece, when `every` has passed since the last; else none.
    pub fn take_due(&mut self) -> Option<Bytes> {
        let now = Instant::now();
        (self.holds() && now >= self.last_sent + self.every).then(|| self.send(now))
    }

    /// The held frames in one piece whatever the time (before frames that must follow them).
    pub fn take(&mut self) -> Option<Bytes> {
        self.holds().then(|| self.send(Instant::now()))
    }

    fn send(&mut self, now: Instant) -> Bytes {
        self.last_sent = now;
        Bytes::from(std::mem::take(&mut self.held))
    }
}

/// What a keep-alive sends: a comment, which clients ignore.
const KEEP_ALIVE: &[u8] = b":\n\n";

/// The `text/event-stream` response of `frames`; with `keep_alive`, a comment whenever the
/// stream has been silent that long (proxies close idle connections).
pub fn response<S>(frames: S, keep_alive: Option<Duration>) -> Response
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    let mut frames = Box::pin(frames);
    let body = async_stream::stream! {
        loop {
            let next = match keep_alive {
                Some(silence) => match tokio::time::timeout(silence, frames.next()).await {
                    Ok(next) => next,
                    Err(_) => Some(Bytes::from_static(KEEP_ALIVE)),
                },
                None => frames.next().await,
            };
            match next {
                Some(bytes) => yield Ok::<_, Infallible>(bytes),
                None => return,
            }
        }
    };
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{frame, Outbox};

    #[tokio::test]
    async fn the_outbox_sends_the_first_frame_at_once_and_a_crowd_together() {
        let mut outbox = Outbox::new(Duration::from_millis(20));
        outbox.push(b"a");
        assert_eq!(outbox.take_due().as_deref(), Some(&b"a"[..]));
        outbox.push(b"b");
        outbox.push(b"c");
        assert_eq!(outbox.take_due(), None, "20 ms have not passed since `a`");
        let start = std::time::Instant::now();
        outbox.due().await;
        assert!(
            start.elapsed() >= Duration::from_millis(15),
            "held until 20 ms after `a`"
        );
        assert_eq!(outbox.take_due().as_deref(), Some(&b"bc"[..]));
        assert!(!outbox.holds());
        outbox.push(b"d");
        assert_eq!(
            outbox.take().as_deref(),
            Some(&b"d"[..]),
            "take sends whatever the time"
        );
    }

    #[tokio::test]
    async fn an_outbox_of_zero_sends_every_frame_at_once() {
        let mut outbox = Outbox::new(Duration::ZERO);
        for frame in [&b"a"[..], b"b"] {
            outbox.push(frame);
            assert_eq!(outbox.take_due().as_deref(), Some(frame));
        }
    }

    #[test]
    fn a_frame_names_its_event_and_id_and_splits_data_at_line_breaks() {
        assert_eq!(
            &frame("status", Some(7), r#"{"a":1}"#)[..],
            b"event: status\nid: 7\ndata: {\"a\":1}\n\n"
        );
        assert_eq!(
            &frame("reload", None, "one\r\ntwo\rthree\nfour")[..],
            b"event: reload\ndata: one\ndata: two\ndata: three\ndata: four\n\n"
        );
    }
}
