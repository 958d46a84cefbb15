//! `--method variance`: the seed playbook's `detect_beaconing` (Python/scapy), kept for
//! comparison. Per (IPv4 source, destination, TCP destination port), the gaps between
//! consecutive packets in capture order; a key with at least 5 packets is reported when the
//! population variance of its gaps is below the threshold (5 s², the script's default) and
//! their mean is above 1 s. Sorted by variance, ties in order of first appearance.
//!
//! The mean and variance are kept online (Welford), so memory grows with the keys only.

use foldhash::HashMap;
use std::net::Ipv4Addr;

/// The script's `threshold_seconds` default (compared with the variance).
pub const DEFAULT_THRESHOLD: f64 = 5.0;
/// Most keys tracked; packets of further keys are not counted.
pub const MAX_KEYS: usize = 4_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub port: u16,
}

#[derive(Clone, Copy)]
struct Acc {
    order: u64,
    packets: u64,
    last: f64,
    mean: f64,
    m2: f64,
}

#[derive(Default)]
pub struct Variance {
    keys: HashMap<Key, Acc>,
    /// Packets of keys that could not be tracked (table full).
    pub untracked: u64,
}

/// One reported key, as the script's dictionary.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub key: Key,
    /// Mean gap, rounded to 2 decimals (Python's `round(x, 2)`).
    pub avg_interval: f64,
    /// Population variance of the gaps, rounded to 4 decimals.
    pub variance: f64,
    /// Packets of the key (the script calls them connections).
    pub connection_count: u64,
}

impl Variance {
    /// A TCP packet over IPv4 at `time` seconds.
    pub fn packet(&mut self, key: Key, time: f64) {
        let order = self.keys.len() as u64;
        if !self.keys.contains_key(&key) && self.keys.len() >= MAX_KEYS {
            self.untracked += 1;
            return;
        }
        let a = self.keys.entry(key).or_insert(Acc { order, packets: 0, last: time, mean: 0.0, m2: 0.0 });
        if a.packets > 0 {
            let d = time - a.last;
            let n = a.packets as f64; // gaps so far + 1
            let delta = d - a.mean;
            a.mean += delta / n;
            a.m2 += delta * (d - a.mean);
        }
        a.last = time;
        a.packets += 1;
    }

    pub fn rows(&self, threshold: f64) -> Vec<Row> {
        let mut rows: Vec<(u64, Row)> = self
            .keys
            .iter()
            .filter(|(_, a)| a.packets >= 5)
            .filter_map(|(k, a)| {
                let gaps = (a.packets - 1) as f64;
                let variance = a.m2 / gaps;
                (variance < threshold && a.mean > 1.0).then(|| {
                    (a.order, Row { key: *k, avg_interval: round_to(a.mean, 2), variance: round_to(variance, 4), connection_count: a.packets })
                })
            })
            .collect();
        rows.sort_by(|a, b| a.1.variance.total_cmp(&b.1.variance).then(a.0.cmp(&b.0)));
        rows.into_iter().map(|(_, r)| r).collect()
    }
}

/// Rounds as Python's `round(x, digits)` does for these magnitudes: to the nearest decimal of
/// the value's exact binary expansion.
pub fn round_to(x: f64, digits: usize) -> f64 {
    format!("{:.*}", digits, x).parse().unwrap_or(x)
}

/// A float as Python's `repr` prints it (`5.0`, `0.1`, `12.34`).
pub fn python_repr(x: f64) -> String {
    let s = format!("{}", x);
    if s.contains(['.', 'e', 'E', 'N', 'n', 'i']) {
        s
    } else {
        s + ".0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_scripts_arithmetic() {
        let k = Key { src: Ipv4Addr::new(10, 0, 0, 1), dst: Ipv4Addr::new(192, 0, 2, 1), port: 443 };
        let other = Key { port: 80, ..k };
        let mut v = Variance::default();
        let times = [0.0, 10.0, 20.5, 30.0, 41.0, 50.0];
        for t in times {
            v.packet(k, t);
        }
        for t in [0.0, 0.5, 1.0, 1.5, 2.0] {
            v.packet(other, t); // mean gap 0.5: not reported
        }
        let rows = v.rows(DEFAULT_THRESHOLD);
        assert_eq!(rows.len(), 1);
        let deltas: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        let avg = deltas.iter().sum::<f64>() / deltas.len() as f64;
        let var = deltas.iter().map(|d| (d - avg).powi(2)).sum::<f64>() / deltas.len() as f64;
        assert_eq!(rows[0].avg_interval, round_to(avg, 2));
        assert_eq!(rows[0].variance, round_to(var, 4));
        assert_eq!(rows[0].connection_count, 6);
        assert_eq!(python_repr(10.0), "10.0");
        assert_eq!(python_repr(0.25), "0.25");
    }
}
