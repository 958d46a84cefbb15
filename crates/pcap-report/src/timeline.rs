//! Traffic over time in bounded memory: packets and bytes per interval, where the interval
//! starts at one second and doubles (merging neighbouring buckets) whenever the capture's span
//! needs more than [`MAX_BUCKETS`] of them.

/// Most buckets kept; the interval doubles beyond.
pub const MAX_BUCKETS: usize = 600;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub packets: u64,
    pub bytes: u64,
}

#[derive(Clone, Debug)]
pub struct Timeline {
    /// The first packet's time (ns); packets before it count in the first bucket.
    start_ns: Option<i64>,
    /// Bucket width in seconds (1, 2, 4, ...).
    pub interval_s: u64,
    pub buckets: Vec<Bucket>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline { start_ns: None, interval_s: 1, buckets: Vec::new() }
    }
}

impl Timeline {
    pub fn add(&mut self, ts_ns: i64, len: u64) {
        let start = *self.start_ns.get_or_insert(ts_ns);
        let offset_s = (ts_ns.saturating_sub(start).max(0) / 1_000_000_000) as u64;
        let mut i = offset_s / self.interval_s;
        while i >= MAX_BUCKETS as u64 {
            self.widen();
            i = offset_s / self.interval_s;
        }
        let i = i as usize;
        if i >= self.buckets.len() {
            self.buckets.resize(i + 1, Bucket::default());
        }
        let b = &mut self.buckets[i];
        b.packets += 1;
        b.bytes += len;
    }

    /// Doubles the interval: buckets 2k and 2k+1 become bucket k.
    fn widen(&mut self) {
        let merged: Vec<Bucket> = self
            .buckets
            .chunks(2)
            .map(|c| c.iter().fold(Bucket::default(), |a, b| Bucket { packets: a.packets + b.packets, bytes: a.bytes + b.bytes }))
            .collect();
        self.buckets = merged;
        self.interval_s = self.interval_s.saturating_mul(2);
    }

    /// The first packet's time (ns).
    pub fn start_ns(&self) -> Option<i64> {
        self.start_ns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widens_and_keeps_totals() {
        let mut t = Timeline::default();
        let s = 1_700_000_000_000_000_000i64;
        for k in 0..5000i64 {
            t.add(s + k * 1_000_000_000, 100);
        }
        assert!(t.buckets.len() <= MAX_BUCKETS);
        assert_eq!(t.interval_s, 16);
        assert_eq!(t.buckets.iter().map(|b| b.packets).sum::<u64>(), 5000);
        assert_eq!(t.buckets.iter().map(|b| b.bytes).sum::<u64>(), 500_000);
        assert_eq!(t.buckets[0].packets, 16);
        // A packet from before the first counts in the first bucket.
        t.add(s - 5_000_000_000, 1);
        assert_eq!(t.buckets[0].packets, 17);
    }
}
