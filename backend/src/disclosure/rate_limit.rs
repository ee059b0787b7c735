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
        let client = client.map(network);
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

/// One IPv6 subscriber holds a whole /64: count it as one client.
fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
        }
        IpAddr::V6(v6) => IpAddr::V4(v6.to_ipv4_mapped().expect("mapped")),
        v4 @ IpAddr::V4(_) => v4,
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
        let v6 = |last: u16| Some(IpAddr::from([0x2408, 0x8000, 1, 2, 0, 0, 0, last]));
        for i in 0..5 {
            assert!(limiter.check(v6(i)).is_ok());
        }
        assert!(limiter.check(v6(99)).is_err(), "addresses of one /64 share a window");
    }
}
