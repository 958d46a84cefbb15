//! Beacon candidates: connections grouped by (source, server name) and by (source,
//! destination), gated and scored as RITA v5 does.
//!
//! Name candidates come first: a (source, name) group with at least 4 distinct start seconds
//! and fewer than 86,400 connections is scored as a name beacon, and every (source,
//! destination) pair one of its connections went to is then left out of the IP candidates
//! (RITA's `uconns.sql` keeps an IP pair only if none of its connections belongs to a name
//! beacon). Groups of 86,400 connections or more are strobes and are not scored.

use crate::conn::{Conn, NO_NAME};
use crate::names::{Names, Source};
use crate::score::{self, HistScore, Params, Severity, StatScore, TsScore, STROBE_CONNECTIONS};
use crate::stats::{mad, median};
use foldhash::{HashMap, HashSet};
use std::net::IpAddr;

/// Connections kept per (source, destination) pair: RITA's own cap (`groupArray(86400)`);
/// past it a pair is a strobe and only counted.
pub const MAX_KEPT_PER_PAIR: usize = STROBE_CONNECTIONS as usize;
/// Connections kept over all pairs (about 40 bytes each); past it connections are only counted.
pub const MAX_KEPT_CONNECTIONS: usize = 8_000_000;
/// Most (source, destination) pairs tracked; connections of further pairs are only counted.
pub const MAX_PAIRS: usize = 2_000_000;
/// Distinct ports and destinations listed per candidate.
const MAX_LISTED: usize = 8;

/// One connection as a pair keeps it.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub start_ns: i64,
    pub duration_ns: i64,
    pub orig_bytes: u64,
    pub resp_bytes: u64,
    pub name: u32,
    pub resp_port: u16,
    pub proto: u8,
    pub source: Option<Source>,
}

#[derive(Default)]
struct Pair {
    count: u64,
    entries: Vec<Entry>,
}

/// Connections by (source, destination), with bounded memory.
#[derive(Default)]
pub struct Aggregator {
    pairs: HashMap<(IpAddr, IpAddr), Pair>,
    kept: usize,
    /// Connections counted but not kept (caps reached).
    pub not_kept: u64,
    pub connections: u64,
    min_start_ns: Option<i64>,
    max_start_ns: Option<i64>,
}

impl Aggregator {
    pub fn add(&mut self, c: &Conn) {
        self.connections += 1;
        self.min_start_ns = Some(self.min_start_ns.map_or(c.start_ns, |m| m.min(c.start_ns)));
        self.max_start_ns = Some(self.max_start_ns.map_or(c.start_ns, |m| m.max(c.start_ns)));
        let key = (c.orig, c.resp);
        if !self.pairs.contains_key(&key) && self.pairs.len() >= MAX_PAIRS {
            self.not_kept += 1;
            return;
        }
        let pair = self.pairs.entry(key).or_default();
        pair.count += 1;
        if pair.entries.len() >= MAX_KEPT_PER_PAIR || self.kept >= MAX_KEPT_CONNECTIONS {
            self.not_kept += 1;
            return;
        }
        self.kept += 1;
        pair.entries.push(Entry {
            start_ns: c.start_ns,
            duration_ns: c.duration_ns,
            orig_bytes: c.orig_bytes,
            resp_bytes: c.resp_bytes,
            name: c.name,
            resp_port: c.resp_port,
            proto: c.proto,
            source: c.name_source,
        });
    }

    pub fn pairs(&self) -> usize {
        self.pairs.len()
    }
}

/// How bins are laid over the dataset window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// RITA's definition: 24 bins over the window, whatever its length.
    Rita,
    /// Bins no narrower than the candidate's median interval (at most 24, at least 4), RITA's
    /// bin-count thresholds scaled in proportion.
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ip,
    Name,
}

/// Every sub-score of a scored candidate.
#[derive(Clone, Debug)]
pub struct Scores {
    pub score: f64,
    pub ts: TsScore,
    pub ds: StatScore,
    pub hist: HistScore,
    pub coverage: f64,
    pub consistency: f64,
    pub dur: f64,
    pub bins: u32,
    pub severity: Severity,
    /// RITA's bucketed threat score of the beacon score.
    pub threat: f64,
}

/// One candidate, scored or not.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub kind: Kind,
    pub src: IpAddr,
    /// Destinations (one for IP candidates; up to 8 listed for names).
    pub dsts: Vec<IpAddr>,
    pub dst_count: usize,
    pub name: Option<String>,
    pub name_source: Option<Source>,
    /// (protocol number, responder port), up to 8.
    pub ports: Vec<(u8, u16)>,
    pub count: u64,
    pub unique_ts: usize,
    pub strobe: bool,
    pub scores: Option<Scores>,
    /// Gaps between connection starts (seconds, sub-second precision): mean and median.
    pub mean_interval: f64,
    pub median_interval: f64,
    /// RITA's "top interval": the most frequent whole-second gap.
    pub mode_interval: i64,
    /// MAD of the gaps over their median (0 = perfectly regular).
    pub jitter: f64,
    pub orig_bytes: u64,
    pub resp_bytes: u64,
    pub median_orig_bytes: f64,
    /// Connection starts (ns), sorted.
    pub starts: Vec<i64>,
    /// The dataset window (whole seconds) the histogram and duration scores used.
    pub window: (i64, i64),
}

/// Builds and scores every candidate; scored ones come first by score, then strobes, then the
/// rest, each by connection count.
pub fn candidates(agg: &Aggregator, names: &Names, p: &Params, span: Span) -> Vec<Candidate> {
    let (Some(min_ns), Some(max_ns)) = (agg.min_start_ns, agg.max_start_ns) else { return Vec::new() };
    let max_ts = secs(max_ns);
    let min_ts = secs(min_ns).max(max_ts.saturating_sub(86_400));
    // RITA reads whole hours back from the window's start.
    let from = min_ts - min_ts.rem_euclid(3600);
    let window = (min_ts, max_ts);
    let mut out = Vec::new();

    // (source, name) groups.
    let mut by_name: HashMap<(IpAddr, u32), Vec<(IpAddr, Entry)>> = HashMap::default();
    for ((src, dst), pair) in &agg.pairs {
        for e in pair.entries.iter().filter(|e| e.name != NO_NAME && secs(e.start_ns) >= from) {
            by_name.entry((*src, e.name)).or_default().push((*dst, *e));
        }
    }
    let mut claimed: HashSet<(IpAddr, IpAddr)> = HashSet::default();
    for ((src, name), group) in by_name {
        let count = group.len() as u64;
        let unique = unique_seconds(group.iter().map(|(_, e)| e));
        if unique < p.unique_connection_threshold {
            continue;
        }
        if count < STROBE_CONNECTIONS {
            claimed.extend(group.iter().map(|(d, _)| (src, *d)));
        }
        let mut dsts: Vec<IpAddr> = group.iter().map(|(d, _)| *d).collect();
        dsts.sort();
        dsts.dedup();
        let entries: Vec<Entry> = group.iter().map(|(_, e)| *e).collect();
        let source = dominant_source(&entries);
        let mut c = build(Kind::Name, src, dsts, &entries, count, window, p, span);
        c.name = names.get(name).map(str::to_string);
        c.name_source = source;
        out.push(c);
    }
    for ((src, dst), pair) in &agg.pairs {
        if claimed.contains(&(*src, *dst)) {
            continue;
        }
        let entries: Vec<Entry> = pair.entries.iter().filter(|e| secs(e.start_ns) >= from).copied().collect();
        if pair.count < STROBE_CONNECTIONS && unique_seconds(entries.iter()) < p.unique_connection_threshold {
            continue;
        }
        out.push(build(Kind::Ip, *src, vec![*dst], &entries, pair.count, window, p, span));
    }
    out.sort_by(|a, b| {
        let rank = |c: &Candidate| if c.scores.is_some() { 0 } else if c.strobe { 1 } else { 2 };
        let score = |c: &Candidate| c.scores.as_ref().map_or(0.0, |s| s.score);
        rank(a)
            .cmp(&rank(b))
            .then(score(b).total_cmp(&score(a)))
            .then(b.count.cmp(&a.count))
            .then(a.src.cmp(&b.src))
            .then(a.dsts.cmp(&b.dsts))
            .then(a.name.cmp(&b.name))
    });
    out
}

fn secs(ns: i64) -> i64 {
    ns.div_euclid(1_000_000_000)
}

/// RITA keeps timestamps as unsigned 32-bit seconds.
fn ts32(ns: i64) -> u32 {
    secs(ns).clamp(0, i64::from(u32::MAX)) as u32
}

fn unique_seconds<'a>(entries: impl Iterator<Item = &'a Entry>) -> usize {
    let mut s: Vec<i64> = entries.map(|e| secs(e.start_ns)).collect();
    s.sort_unstable();
    s.dedup();
    s.len()
}

fn dominant_source(entries: &[Entry]) -> Option<Source> {
    let n = |s: Source| entries.iter().filter(|e| e.source == Some(s)).count();
    [Source::Sni, Source::HttpHost, Source::Dns].into_iter().filter(|s| n(*s) > 0).max_by_key(|s| n(*s))
}

#[allow(clippy::too_many_arguments)]
fn build(kind: Kind, src: IpAddr, dsts: Vec<IpAddr>, entries: &[Entry], count: u64, window: (i64, i64), p: &Params, span: Span) -> Candidate {
    let mut starts: Vec<i64> = entries.iter().map(|e| e.start_ns).collect();
    starts.sort_unstable();
    let gaps: Vec<f64> = {
        let mut g: Vec<f64> = starts.windows(2).map(|w| w[1].saturating_sub(w[0]) as f64 / 1e9).collect();
        g.sort_by(f64::total_cmp);
        g
    };
    let mean_interval = if gaps.is_empty() { 0.0 } else { gaps.iter().sum::<f64>() / gaps.len() as f64 };
    let median_interval = median(&gaps);
    let jitter = if median_interval > 0.0 { mad(&gaps) / median_interval } else { 0.0 };
    let mut ports: Vec<(u8, u16)> = Vec::new();
    for e in entries {
        if ports.len() < MAX_LISTED && !ports.contains(&(e.proto, e.resp_port)) {
            ports.push((e.proto, e.resp_port));
        }
    }
    ports.sort_unstable();
    let mut sizes: Vec<f64> = entries.iter().map(|e| e.orig_bytes as f64).collect();
    sizes.sort_by(f64::total_cmp);
    let strobe = count >= STROBE_CONNECTIONS;
    let scores = if strobe { None } else { score_entries(entries, window, p, span) };
    let dst_count = dsts.len();
    Candidate {
        kind,
        src,
        dsts: dsts.into_iter().take(MAX_LISTED).collect(),
        dst_count,
        name: None,
        name_source: None,
        ports,
        count,
        unique_ts: unique_seconds(entries.iter()),
        strobe,
        mode_interval: scores.as_ref().map_or(0, |s| s.ts.intervals.mode),
        scores,
        mean_interval,
        median_interval,
        jitter,
        orig_bytes: entries.iter().fold(0u64, |a, e| a.saturating_add(e.orig_bytes)),
        resp_bytes: entries.iter().fold(0u64, |a, e| a.saturating_add(e.resp_bytes)),
        median_orig_bytes: median(&sizes),
        starts,
        window,
    }
}

/// RITA's four sub-scores and the overall score; None where RITA would skip the candidate.
pub fn score_entries(entries: &[Entry], window: (i64, i64), p: &Params, span: Span) -> Option<Scores> {
    let ts: Vec<u32> = entries.iter().map(|e| ts32(e.start_ns)).collect();
    let bytes: Vec<f64> = entries.iter().map(|e| e.orig_bytes as f64).collect();
    let ts_score = score::timestamp_score(&ts).ok()?;
    let ds = score::data_size_score(&bytes).ok()?;
    let (bins, q) = match span {
        Span::Rita => (p.bins, p.clone()),
        Span::Auto => scaled(p, window, ts_score.median),
    };
    let hist = score::histogram_score(window.0, window.1, &ts, bins, &q).ok()?;
    let first = i64::from(*ts.iter().min()?);
    let last = i64::from(*ts.iter().max()?);
    let (coverage, consistency, dur) = score::duration_score(
        window.0,
        window.1,
        first,
        last,
        hist.total_bars,
        hist.longest_run,
        q.duration_min_hours_seen,
        q.duration_consistency_ideal_hours_seen,
    )
    .ok()?;
    let total = score::beacon_score(ts_score.stat.score, ds.score, dur, hist.score, p).ok()?;
    Some(Scores {
        score: total,
        ts: ts_score,
        ds,
        hist,
        coverage,
        consistency,
        dur,
        bins,
        severity: Severity::of(total),
        threat: score::bucketed_score(total * 100.0, score::BEACON_THRESHOLDS),
    })
}

/// `--span auto`: as many bins as median intervals fit in the window (4 to 24), and RITA's
/// thresholds counted in bins (6 and 12 for duration, 11 for the bimodal fit, out of 24)
/// scaled to that many bins.
fn scaled(p: &Params, window: (i64, i64), median_interval: f64) -> (u32, Params) {
    let span = (window.1 - window.0) as f64;
    let fit = if median_interval > 0.0 { (span / median_interval).floor() } else { f64::from(p.bins) };
    let bins = fit.clamp(4.0, f64::from(p.bins)) as u32;
    if bins == p.bins {
        return (bins, p.clone());
    }
    let part = |v: u32| ((f64::from(v) * f64::from(bins) / f64::from(p.bins)).round() as u32).max(1);
    let q = Params {
        duration_min_hours_seen: part(p.duration_min_hours_seen),
        duration_consistency_ideal_hours_seen: part(p.duration_consistency_ideal_hours_seen),
        histogram_bimodal_min_hours_seen: part(p.histogram_bimodal_min_hours_seen),
        ..p.clone()
    };
    (bins, q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::{State, TCP};

    const T0: i64 = 1_700_000_000;

    fn conn(src: [u8; 4], dst: [u8; 4], t: i64, bytes: u64, name: u32) -> Conn {
        Conn {
            proto: TCP,
            orig: IpAddr::from(src),
            resp: IpAddr::from(dst),
            orig_port: 40000,
            resp_port: 443,
            start_ns: t * 1_000_000_000,
            duration_ns: 1_000_000,
            orig_pkts: 4,
            orig_bytes: bytes,
            resp_pkts: 3,
            resp_bytes: 900,
            state: State::SF,
            name,
            name_source: (name != NO_NAME).then_some(Source::Sni),
        }
    }

    #[test]
    fn a_name_beacon_claims_its_pairs_and_other_pairs_stay() {
        let mut names = Names::default();
        let n = names.intern("c2.example", Source::Sni);
        let mut agg = Aggregator::default();
        let (a, x, y) = ([10, 0, 0, 1], [198, 51, 100, 1], [198, 51, 100, 2]);
        for k in 0..24 {
            agg.add(&conn(a, x, T0 + k * 3600, 500, n));
        }
        for k in 0..6 {
            agg.add(&conn(a, x, T0 + 17 + k * 600, 700, NO_NAME)); // same pair, unnamed: claimed
            agg.add(&conn(a, y, T0 + 33 + k * 900, 800, NO_NAME));
        }
        let all = candidates(&agg, &names, &Params::default(), Span::Rita);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].kind, all[0].name.as_deref(), all[0].count), (Kind::Name, Some("c2.example"), 24));
        assert_eq!(all[0].scores.as_ref().map(|s| s.score), Some(1.0), "hourly over a day, same size");
        assert_eq!((all[1].kind, all[1].dsts.clone(), all[1].count), (Kind::Ip, vec![IpAddr::from(y)], 6));
    }

    #[test]
    fn too_few_distinct_seconds_is_no_candidate_and_a_strobe_is_not_scored() {
        let names = Names::default();
        let mut agg = Aggregator::default();
        for k in 0..10 {
            agg.add(&conn([10, 0, 0, 1], [198, 51, 100, 1], T0 + k % 3, 100, NO_NAME));
        }
        assert!(candidates(&agg, &names, &Params::default(), Span::Rita).is_empty());
        for k in 0..STROBE_CONNECTIONS as i64 {
            agg.add(&conn([10, 0, 0, 2], [198, 51, 100, 1], T0 + k, 100, NO_NAME));
        }
        let all = candidates(&agg, &names, &Params::default(), Span::Rita);
        assert_eq!(all.len(), 1);
        assert!(all[0].strobe && all[0].scores.is_none());
    }

    #[test]
    fn span_auto_fits_the_bins_to_a_short_capture() {
        let names = Names::default();
        let mut agg = Aggregator::default();
        // A 60 s beacon for 9 minutes: 10 connections; RITA's 24 bins are 22.5 s wide, so 10
        // bins hold one connection and 14 none (CV > 1, too few bars for the bimodal fit).
        // Auto: 9 bins of 60 s, [1 1 1 1 1 1 1 1 2] (the last time counts in the last bin):
        // 1 - CV = 0.717, bimodal fit not used under 11 bars.
        for k in 0..10 {
            agg.add(&conn([10, 0, 0, 1], [198, 51, 100, 1], T0 + k * 60, 400, NO_NAME));
        }
        let rita = candidates(&agg, &names, &Params::default(), Span::Rita);
        let auto = candidates(&agg, &names, &Params::default(), Span::Auto);
        let (r, a) = (rita[0].scores.as_ref().unwrap(), auto[0].scores.as_ref().unwrap());
        assert_eq!((r.bins, r.hist.score, r.score), (24, 0.0, 0.75));
        assert_eq!((a.bins, a.hist.score, a.score), (9, 0.717, 0.929));
    }
}
