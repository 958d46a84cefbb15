//! RITA v5's beacon score (activecm/rita `analysis/beacons.go`, defaults from
//! `default_config.hjson`), re-implemented from its formulas:
//!
//! * timestamp score: Bowley skewness and MAD of the non-zero gaps between connection starts
//!   (whole seconds), `round3((1 − |skew| + madScore) / 2)`, madScore defaulting to 1;
//! * data-size score: the same over the bytes the source sent per connection, default 0;
//! * histogram score: connection counts in equal bins over the dataset window,
//!   `max(1 − CV, bimodal fit)`;
//! * duration score: `max(coverage, consistency)` once enough bins are non-empty;
//! * overall score: the weighted mean, rounded to three decimals.

use crate::stats::{ceil3, mad, median, quartiles, round3};
use std::collections::BTreeMap;
use std::fmt;

/// Why a score could not be computed (RITA skips such candidates).
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreError {
    TooFewTimestamps,
    TooFewIntervals,
    TooFewValues,
    BadTimeRange,
    BadParameter(&'static str),
    ScoreOutOfRange,
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::TooFewTimestamps => write!(f, "at least 4 timestamps are needed"),
            ScoreError::TooFewIntervals => write!(f, "at least 3 non-zero intervals are needed"),
            ScoreError::TooFewValues => write!(f, "at least 3 values are needed"),
            ScoreError::BadTimeRange => write!(f, "the time range is empty or reversed"),
            ScoreError::BadParameter(what) => write!(f, "invalid parameter: {}", what),
            ScoreError::ScoreOutOfRange => write!(f, "sub-scores must be between 0 and 1"),
        }
    }
}

impl std::error::Error for ScoreError {}

/// RITA's tunables (`scoring.beacon` in its configuration), defaults as shipped.
#[derive(Clone, Debug)]
pub struct Params {
    pub unique_connection_threshold: usize,
    pub ts_weight: f64,
    pub ds_weight: f64,
    pub dur_weight: f64,
    pub hist_weight: f64,
    pub duration_min_hours_seen: u32,
    pub duration_consistency_ideal_hours_seen: u32,
    pub histogram_mode_sensitivity: f64,
    pub histogram_bimodal_outlier_removal: u32,
    pub histogram_bimodal_min_hours_seen: u32,
    /// Histogram bins over the dataset window (RITA: 24, one per hour of a day).
    pub bins: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            unique_connection_threshold: 4,
            ts_weight: 0.25,
            ds_weight: 0.25,
            dur_weight: 0.25,
            hist_weight: 0.25,
            duration_min_hours_seen: 6,
            duration_consistency_ideal_hours_seen: 12,
            histogram_mode_sensitivity: 0.05,
            histogram_bimodal_outlier_removal: 1,
            histogram_bimodal_min_hours_seen: 11,
            bins: 24,
        }
    }
}

/// Connections per pair at which RITA calls it a strobe (one a second over a day) and stops
/// scoring it as a beacon.
pub const STROBE_CONNECTIONS: u64 = 86_400;

/// A statistical sub-score and its parts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StatScore {
    pub score: f64,
    pub skew: f64,
    pub mad: f64,
}

/// Bowley skewness of sorted values and its score `1 − |skew|`; the skewness counts only when
/// the interquartile range is at least 10 and the median differs from both quartiles.
pub fn bowley(sorted: &[f64]) -> Result<(f64, f64), ScoreError> {
    if sorted.len() < 3 {
        return Err(ScoreError::TooFewValues);
    }
    let (q1, q2, q3) = quartiles(sorted).ok_or(ScoreError::TooFewValues)?;
    let (num, den) = (q1 + q3 - 2.0 * q2, q3 - q1);
    let skew = if den >= 10.0 && q2 != q1 && q2 != q3 { num / den } else { 0.0 };
    Ok((skew, 1.0 - skew.abs()))
}

/// MAD of sorted values and its score `(median − MAD) / median` (`default` when the median is
/// below 1; never negative).
pub fn mad_score(sorted: &[f64], default: f64) -> (f64, f64) {
    let (med, mad) = (median(sorted), mad(sorted));
    let score = if med >= 1.0 { (med - mad) / med } else { default };
    (mad, if score < 0.0 || score.is_nan() { 0.0 } else { score })
}

/// `round3((skew score + MAD score) / 2)` of sorted values.
pub fn statistical_score(sorted: &[f64], default_mad_score: f64) -> Result<StatScore, ScoreError> {
    let (skew, skew_score) = bowley(sorted)?;
    let (mad, mad_score) = mad_score(sorted, default_mad_score);
    Ok(StatScore { score: round3((skew_score + mad_score) / 2.0), skew, mad })
}

/// Distinct values of sorted numbers (truncated to integers) with their counts, and the
/// first most frequent one (RITA's "top interval").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Distinct {
    pub values: Vec<(i64, u64)>,
    pub mode: i64,
    pub mode_count: u64,
}

pub fn distinct_counts(sorted: &[f64]) -> Distinct {
    let mut values: Vec<(i64, u64)> = Vec::new();
    for &v in sorted {
        let v = v as i64;
        match values.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => values.push((v, 1)),
        }
    }
    let (mut mode, mut mode_count) = values.first().copied().unwrap_or((0, 0));
    for &(v, n) in &values {
        if n > mode_count {
            (mode, mode_count) = (v, n);
        }
    }
    Distinct { values, mode, mode_count }
}

/// The timestamp score and what it was computed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TsScore {
    pub stat: StatScore,
    /// All gaps (zeros included) by value.
    pub intervals: Distinct,
    /// Median of the non-zero gaps.
    pub median: f64,
}

/// Timestamp score of connection starts in whole seconds (sorted here).
pub fn timestamp_score(ts: &[u32]) -> Result<TsScore, ScoreError> {
    if ts.len() < 4 {
        return Err(ScoreError::TooFewTimestamps);
    }
    let mut ts = ts.to_vec();
    ts.sort_unstable();
    let mut gaps: Vec<f64> = ts.windows(2).map(|w| f64::from(w[1] - w[0])).collect();
    if gaps.iter().filter(|g| **g > 0.0).count() < 3 {
        return Err(ScoreError::TooFewIntervals);
    }
    gaps.sort_by(f64::total_cmp);
    let intervals = distinct_counts(&gaps);
    let nonzero = &gaps[gaps.iter().position(|g| *g > 0.0).unwrap_or(0)..];
    let stat = statistical_score(nonzero, 1.0)?;
    Ok(TsScore { stat, intervals, median: median(nonzero) })
}

/// Data-size score of the bytes sent per connection.
pub fn data_size_score(bytes: &[f64]) -> Result<StatScore, ScoreError> {
    if bytes.len() < 3 {
        return Err(ScoreError::TooFewValues);
    }
    let mut b = bytes.to_vec();
    b.sort_by(f64::total_cmp);
    statistical_score(&b, 0.0)
}

/// Bin edges: `bins + 1` evenly spaced values from `start` to exactly `end`.
pub fn bin_edges(start: i64, end: i64, bins: u32) -> Result<Vec<f64>, ScoreError> {
    if bins == 0 {
        return Err(ScoreError::BadParameter("bins"));
    }
    if end <= start {
        return Err(ScoreError::BadTimeRange);
    }
    let step = (end - start) as f64 / f64::from(bins);
    let mut edges: Vec<f64> = (0..bins).map(|i| start as f64 + f64::from(i) * step).collect();
    edges[0] = start as f64;
    edges.push(end as f64);
    Ok(edges)
}

/// Connections per bin: a time before the first edge counts in the first bin, one at or past
/// the last edge in the last bin (as RITA's walk over sorted times does).
pub fn histogram(edges: &[f64], ts: &[u32]) -> Vec<u32> {
    let bins = edges.len().saturating_sub(1);
    let mut h = vec![0u32; bins];
    if bins == 0 {
        return h;
    }
    for &t in ts {
        let t = f64::from(t);
        // The first bin whose upper edge is above t, else the last bin.
        let i = edges[1..bins].partition_point(|e| *e <= t);
        h[i] += 1;
    }
    h
}

/// How many non-empty bins fall in each height class (`floor(h / binSize) · binSize`, binSize
/// `ceil(max · sensitivity)`), the number of non-empty bins, and the longest run of non-empty
/// bins, wrapping from the last bin to the first.
pub fn frequency_counts(hist: &[u32], sensitivity: f64) -> (BTreeMap<i64, u32>, u32, u32) {
    if hist.is_empty() {
        return (BTreeMap::new(), 0, 0);
    }
    let total_bars = hist.iter().filter(|h| **h > 0).count() as u32;
    let largest = hist.iter().copied().max().unwrap_or(0);
    let bin_size = (f64::from(largest) * sensitivity).ceil();
    let mut freq = BTreeMap::new();
    for &h in hist.iter().filter(|h| **h > 0) {
        let class = ((f64::from(h) / bin_size).floor() * bin_size) as i64;
        *freq.entry(class).or_insert(0) += 1;
    }
    let (mut longest, mut run) = (0u32, 0u32);
    for i in 0..hist.len() * 2 {
        if hist[i % hist.len()] > 0 {
            run += 1;
        } else {
            longest = longest.max(run);
            run = 0;
        }
    }
    longest = longest.max(run).min(hist.len() as u32);
    (freq, total_bars, longest)
}

/// `round3(1 − CV)` of the bin counts (population standard deviation), 0 when CV > 1.
pub fn cv_score(hist: &[u32]) -> Result<f64, ScoreError> {
    let total: u64 = hist.iter().map(|h| u64::from(*h)).sum();
    if hist.is_empty() || total == 0 {
        return Err(ScoreError::TooFewValues);
    }
    let n = hist.len() as f64;
    let mean = total as f64 / n;
    let sd = (hist.iter().map(|h| (f64::from(*h) - mean).powi(2)).sum::<f64>() / n).sqrt();
    let cv = sd / mean.abs();
    Ok(if cv > 1.0 { 0.0 } else { round3(1.0 - cv).min(1.0) })
}

/// Share of non-empty bins (less `outlier_removal`) in the two most common height classes,
/// once at least `min_bars` bins are non-empty (a minimum under 6 means 11, as in RITA).
pub fn bimodal_score(freq: &BTreeMap<i64, u32>, total_bars: u32, outlier_removal: u32, min_bars: u32) -> Result<f64, ScoreError> {
    if freq.is_empty() || total_bars == 0 {
        return Err(ScoreError::TooFewValues);
    }
    let min_bars = if min_bars < 6 { 11 } else { min_bars };
    if total_bars < min_bars {
        return Ok(0.0);
    }
    let (mut first, mut second) = (0u32, 0u32);
    for &v in freq.values() {
        if v > first {
            (first, second) = (v, first);
        } else if v > second {
            second = v;
        }
    }
    let adjusted = (f64::from(total_bars) - f64::from(outlier_removal)).max(1.0);
    Ok(round3(f64::from(first + second) / adjusted).min(1.0))
}

/// The histogram score and its parts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistScore {
    pub hist: Vec<u32>,
    pub total_bars: u32,
    pub longest_run: u32,
    pub cv_score: f64,
    pub bimodal_score: f64,
    pub score: f64,
}

/// Histogram score of connection starts over the window `[start, end]` in `bins` bins.
pub fn histogram_score(start: i64, end: i64, ts: &[u32], bins: u32, p: &Params) -> Result<HistScore, ScoreError> {
    if ts.is_empty() {
        return Err(ScoreError::TooFewValues);
    }
    let edges = bin_edges(start, end, bins)?;
    let hist = histogram(&edges, ts);
    let (freq, total_bars, longest_run) = frequency_counts(&hist, p.histogram_mode_sensitivity);
    let cv = cv_score(&hist)?;
    let bimodal = bimodal_score(&freq, total_bars, p.histogram_bimodal_outlier_removal, p.histogram_bimodal_min_hours_seen)?;
    Ok(HistScore { hist, total_bars, longest_run, cv_score: cv, bimodal_score: bimodal, score: cv.max(bimodal) })
}

/// Duration score parts: (coverage, consistency, score).
#[allow(clippy::too_many_arguments)]
pub fn duration_score(
    start: i64,
    end: i64,
    first: i64,
    last: i64,
    total_bars: u32,
    longest_run: u32,
    min_bars: u32,
    ideal_run: u32,
) -> Result<(f64, f64, f64), ScoreError> {
    if min_bars < 1 || ideal_run < 1 {
        return Err(ScoreError::BadParameter("duration thresholds"));
    }
    if end <= start || last <= first {
        return Err(ScoreError::BadTimeRange);
    }
    if total_bars < min_bars {
        return Ok((0.0, 0.0, 0.0));
    }
    let coverage = ceil3((last - first) as f64 / (end - start) as f64).min(1.0);
    let consistency = ceil3(f64::from(longest_run) / f64::from(ideal_run)).min(1.0);
    Ok((coverage, consistency, coverage.max(consistency)))
}

/// The weighted overall score, rounded to three decimals.
pub fn beacon_score(ts: f64, ds: f64, dur: f64, hist: f64, p: &Params) -> Result<f64, ScoreError> {
    if [ts, ds, dur, hist].iter().any(|s| !(0.0..=1.0).contains(s)) {
        return Err(ScoreError::ScoreOutOfRange);
    }
    let w = [p.ts_weight, p.ds_weight, p.dur_weight, p.hist_weight];
    if w.iter().any(|w| !(0.0..=1.0).contains(w)) {
        return Err(ScoreError::BadParameter("weights must be between 0 and 1"));
    }
    if w.iter().sum::<f64>() != 1.0 {
        return Err(ScoreError::BadParameter("weights must sum to 1"));
    }
    Ok(round3(ts * w[0] + ds * w[1] + dur * w[2] + hist * w[3]))
}

/// RITA's threat categories for a beacon score in percent (`score_thresholds`: 50, 70, 90).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    None,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn of(score: f64) -> Severity {
        let v = score * 100.0;
        if v < 50.0 {
            Severity::None
        } else if v < 70.0 {
            Severity::Low
        } else if v < 90.0 {
            Severity::Medium
        } else {
            Severity::High
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// RITA's bucketed threat score (`calculateBucketedScore`) of a value against thresholds
/// (base, low, medium, high): 0 below base, then 0.2–0.4, 0.4–0.6, 0.6–0.8 by interpolation.
pub fn bucketed_score(value: f64, t: (f64, f64, f64, f64)) -> f64 {
    let (base, low, medium, high) = t;
    let score = if value < base {
        return 0.0;
    } else if value < low {
        20.0 + (value - base) / (low - base) * 20.0
    } else if value < medium {
        40.0 + (value - low) / (medium - low) * 20.0
    } else {
        60.0 + (value.min(high) - medium) / (high - medium) * 20.0
    };
    score / 100.0
}

/// RITA's beacon score thresholds.
pub const BEACON_THRESHOLDS: (f64, f64, f64, f64) = (50.0, 70.0, 90.0, 100.0);

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
