//! How often one client may ask for a resident's record: a sliding window per address, so
//! name + ID number pairs cannot be tried by the thousand.
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_window: usize,
    window: Duration,
    seen: Mutex<HashMap<Option<IpAddr>, VecDeque<Instant>>>,
}

impl RateLimiter {
    #[must_use]
    pub fn new(per_window: usize, window: Duration) -> Self {
        Self { per_window, window, seen: Mutex::default() }
    }

    /// Counts one request of `client`; Err(seconds until the next is allowed) when over.
    pub fn check(&self, client: Option<IpAddr>) -> Result<(), u64> {
        let now = Instant::now();
        let mut seen = self.seen.lock().expect("rate limiter poisoned");
        // forget clients whose window has passed, so the map stays small
        if seen.len() > 10_000 {
            seen.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let times = seen.entry(client).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.per_window {
            let wait = self.window.saturating_sub(now.duration_since(times[0]));
            return Err(wait.as_secs().max(1));
        }
        times.push_back(now);
        Ok(())
    }
}

impl Default for RateLimiter {
    /// Five look-ups a minute per address.
    fn default() -> Self {
        Self::new(5, Duration::from_secs(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_in_a_window_waits() {
        let limiter = RateLimiter::default();
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        for _ in 0..5 {
            assert!(limiter.check(a).is_ok());
        }
        assert!(limiter.check(a).is_err());
        assert!(limiter.check(Some(IpAddr::from([10, 0, 0, 2]))).is_ok(), "another address has its own window");
    }
}
