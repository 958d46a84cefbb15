//! RITA's own test vectors (activecm/rita `analysis/beacons_test.go`, v5): inputs and expected
//! values as data. Scores (which RITA rounds to three decimals) must be equal to RITA's expected
//! value when that has three decimals or fewer; unrounded parts (skewness, MAD) and the few
//! expected values with more decimals are checked to within 0.001, as RITA checks them.

use super::*;

/// Unrounded intermediate values (skewness, MAD): RITA checks them to within 0.001.
fn near(expected: f64, got: f64, what: &str) {
    assert!((got - expected).abs() <= 0.001, "{}: expected {} got {}", what, expected, got);
}

/// Scores: equal when RITA's expected value has three decimals or fewer.
fn rita(expected: f64, got: f64, what: &str) {
    let three = round3(expected) == expected;
    if three {
        assert_eq!(got, expected, "{}", what);
    } else {
        assert!((got - expected).abs() <= 0.001, "{}: expected {} got {}", what, expected, got);
    }
}

const T0: u32 = 1_517_338_924;

/// (name, timestamps, distinct intervals with counts, mode, mode count, skew, MAD, score)
type TsCase = (&'static str, Vec<u32>, Vec<(i64, u64)>, i64, u64, f64, f64, f64);
/// (name, window, timestamps, min bars for bimodal, bins, histogram, total bars, longest run, score)
type HistCase = (&'static str, (i64, i64), Vec<u32>, u32, u32, Vec<u32>, u32, u32, f64);

#[test]
fn timestamp_score_vectors() {
    let cases: Vec<TsCase> = vec![
        ("simple", (1..=10).collect(), vec![(1, 9)], 1, 9, 0.0, 0.0, 1.0),
        ("perfect", (0..10).map(|i| T0 + 60 * i).collect(), vec![(60, 9)], 60, 9, 0.0, 0.0, 1.0),
        (
            "closely valued",
            vec![1517338924, 1517339022, 1517339121, 1517339220, 1517339320, 1517339420, 1517339520, 1517339621, 1517339722, 1517339824],
            vec![(98, 1), (99, 2), (100, 3), (101, 2), (102, 1)],
            100,
            3,
            0.0,
            1.0,
            0.995,
        ),
        (
            "bimodal",
            vec![1517338924, 1517339022, 1517339322, 1517339420, 1517339720, 1517339818, 1517340118, 1517340216, 1517340516, 1517340614, 1517340914],
            vec![(98, 5), (300, 5)],
            98,
            5,
            0.0,
            101.0,
            0.746,
        ),
        (
            "random",
            vec![1517338924, 1517338925, 1517339224, 1517339249, 1517344224, 1517344314, 1517344316, 1517344358, 1517344858, 1517346358],
            vec![(1, 1), (2, 1), (25, 1), (42, 1), (90, 1), (299, 1), (500, 1), (1500, 1), (4975, 1)],
            1,
            1,
            0.845,
            89.0,
            0.083,
        ),
    ];
    for (name, ts, intervals, mode, mode_count, skew, mad, score) in cases {
        let s = timestamp_score(&ts).unwrap();
        assert_eq!(s.intervals.values, intervals, "{}", name);
        assert_eq!((s.intervals.mode, s.intervals.mode_count), (mode, mode_count), "{}", name);
        near(skew, s.stat.skew, name);
        near(mad, s.stat.mad, name);
        rita(score, s.stat.score, name);
    }
    assert_eq!(timestamp_score(&[60; 9]), Err(ScoreError::TooFewIntervals));
    assert_eq!(timestamp_score(&[1517338924, 1517338925]), Err(ScoreError::TooFewTimestamps));
    assert_eq!(timestamp_score(&[]), Err(ScoreError::TooFewTimestamps));
}

#[test]
fn data_size_score_vectors() {
    let cases: Vec<(&str, Vec<f64>, f64, f64, f64)> = vec![
        ("simple", (1..=10).map(f64::from).collect(), 0.0, 2.5, 0.773),
        ("identical", vec![60.0; 9], 0.0, 0.0, 1.0),
        ("closely valued", vec![98.0, 99.0, 99.0, 100.0, 100.0, 100.0, 101.0, 101.0, 102.0], 0.0, 1.0, 0.995),
        ("random", vec![524885.0, 1.0, 5000.0, 98654.0, 50.0, 41.0, 965842.0, 3.0], 0.984, 2523.0, 0.008),
        ("zeros", vec![0.0; 10], 0.0, 0.0, 0.5),
    ];
    for (name, bytes, skew, mad, score) in cases {
        let s = data_size_score(&bytes).unwrap();
        near(skew, s.skew, name);
        near(mad, s.mad, name);
        rita(score, s.score, name);
    }
    let d = distinct_counts(&[98.0, 99.0, 99.0, 100.0, 100.0, 100.0, 101.0, 101.0, 102.0]);
    assert_eq!((d.mode, d.mode_count), (100, 3));
    assert_eq!(data_size_score(&[100.0, 200.0]), Err(ScoreError::TooFewValues));
    assert_eq!(data_size_score(&[]), Err(ScoreError::TooFewValues));
}

#[test]
fn histogram_score_vectors() {
    let p = |min_hours: u32| Params { histogram_bimodal_min_hours_seen: min_hours, ..Params::default() };
    let day: Vec<u32> = (0..24).map(|h| T0 + h * 3600).collect();
    let ten_minutes: Vec<u32> = (0..10).map(|i| T0 + i * 60).collect();
    let mut simple = Vec::new();
    for v in 1..=10u32 {
        simple.extend(std::iter::repeat_n(v, v as usize));
    }
    let cases: Vec<HistCase> = vec![
        ("simple", (1, 11), simple, 6, 10, (1..=10).collect(), 10, 10, 0.478),
        ("regular", (T0 as i64, T0 as i64 + 86400), day, 11, 24, vec![1; 24], 24, 24, 1.0),
        ("closely valued", (98, 102), vec![98, 99, 99, 100, 100, 100, 101, 101, 102], 6, 8, vec![1, 0, 2, 0, 3, 0, 2, 1], 5, 3, 0.064),
        (
            "random, CV > 1",
            (0, 1_000_000),
            vec![524885, 1, 5000, 98654, 50, 41, 965842, 3, 12001, 200400, 104001, 199999],
            6,
            10,
            vec![7, 2, 1, 0, 0, 1, 0, 0, 0, 1],
            5,
            4,
            0.0,
        ),
        (
            "bimodal",
            (0, 100),
            vec![1, 2, 3, 4, 15, 21, 22, 23, 24, 35, 41, 42, 43, 44, 55, 61, 62, 63, 64, 75, 81, 82, 83, 84, 95],
            6,
            10,
            vec![4, 1, 4, 1, 4, 1, 4, 1, 4, 1],
            10,
            10,
            1.0,
        ),
        ("gaps and wrap-around", (0, 250), vec![10, 20, 100, 110, 110, 220], 6, 5, vec![2, 0, 3, 0, 1], 3, 2, 0.028),
        ("single bar", (T0 as i64, T0 as i64 + 86400), ten_minutes.clone(), 11, 24, [vec![10], vec![0; 23]].concat(), 1, 1, 0.0),
        ("single bar, minimum below 6", (T0 as i64, T0 as i64 + 86400), ten_minutes, 1, 24, [vec![10], vec![0; 23]].concat(), 1, 1, 0.0),
    ];
    for (name, (start, end), ts, min_hours, bins, hist, bars, run, score) in cases {
        let s = histogram_score(start, end, &ts, bins, &p(min_hours)).unwrap();
        assert_eq!(s.hist, hist, "{}", name);
        assert_eq!((s.total_bars, s.longest_run), (bars, run), "{}", name);
        rita(score, s.score, name);
    }
    assert_eq!(bin_edges(1, 11, 10).unwrap(), (1..=11).map(f64::from).collect::<Vec<_>>());
    assert_eq!(bin_edges(98, 102, 8).unwrap(), vec![98.0, 98.5, 99.0, 99.5, 100.0, 100.5, 101.0, 101.5, 102.0]);
    assert!(histogram_score(0, 10, &[], 10, &p(6)).is_err());
    assert!(histogram_score(1, 0, &[1, 2, 3], 10, &p(6)).is_err());
    assert!(histogram_score(1, 1, &[1, 2, 3], 10, &p(6)).is_err());
}

#[test]
fn frequency_counts_vectors() {
    let (freq, bars, run) = frequency_counts(&[1, 0, 2, 0, 3, 0, 2, 1], 0.05);
    assert_eq!(freq.into_iter().collect::<Vec<_>>(), vec![(1, 2), (2, 2), (3, 1)]);
    assert_eq!((bars, run), (5, 3));
    let (freq, _, _) = frequency_counts(&[7, 2, 1, 0, 0, 1, 0, 0, 0, 1], 0.05);
    assert_eq!(freq.into_iter().collect::<Vec<_>>(), vec![(1, 3), (2, 1), (7, 1)]);
}

#[test]
fn duration_score_vectors() {
    let (s, e) = (T0 as i64, T0 as i64 + 86400);
    let h = |n: i64| T0 as i64 + n * 3600;
    // (name, first, last, total bars, longest run, coverage, consistency, score)
    let cases = [
        ("full coverage, full consistency", s, e, 24, 24, 1.0, 1.0, 1.0),
        ("full coverage, no consistency", s, e, 6, 0, 1.0, 0.0, 1.0),
        ("second half", h(12), e, 6, 0, 0.5, 0.0, 0.5),
        ("first half", s, h(12), 6, 0, 0.5, 0.0, 0.5),
        ("three quarters", h(6), e, 6, 0, 0.75, 0.0, 0.75),
        ("max consistency", h(12), e, 12, 12, 0.5, 1.0, 1.0),
        ("max consistency, 6 bars", h(12), h(18), 6, 6, 0.25, 0.5, 0.5),
        ("average", h(6), h(18), 12, 6, 0.5, 0.5, 0.5),
        ("too few bars", h(6), h(18), 3, 1, 0.0, 0.0, 0.0),
    ];
    for (name, first, last, bars, run, coverage, consistency, score) in cases {
        let (c, k, d) = duration_score(s, e, first, last, bars, run, 6, 12).unwrap();
        rita(coverage, c, name);
        rita(consistency, k, name);
        rita(score, d, name);
    }
    assert!(duration_score(s, e, s, e, 12, 6, 6, 0).is_err());
    assert!(duration_score(s, e, s, e, 12, 6, 0, 12).is_err());
    assert!(duration_score(1, 0, 0, 1, 6, 12, 6, 12).is_err());
    assert!(duration_score(0, 1, 1, 0, 6, 12, 6, 12).is_err());
}

#[test]
fn beacon_score_vectors() {
    let w = |a, b, c, d| Params { ts_weight: a, ds_weight: b, dur_weight: c, hist_weight: d, ..Params::default() };
    let cases = [
        ((0.8, 0.7, 0.6, 0.5), w(0.2, 0.2, 0.3, 0.3), 0.63),
        ((1.0, 1.0, 1.0, 1.0), w(0.25, 0.25, 0.25, 0.25), 1.0),
        ((1.0, 1.0, 1.0, 1.0), w(0.1, 0.2, 0.3, 0.4), 1.0),
        ((0.1, 0.2, 0.3, 0.4), w(0.25, 0.25, 0.25, 0.25), 0.25),
        ((0.1, 0.2, 0.3, 0.4), w(0.1, 0.2, 0.3, 0.4), 0.30),
        ((0.111, 0.222, 0.333, 0.444), w(0.173, 0.325, 0.299, 0.203), 0.281),
        ((0.1001, 0.1002, 0.1003, 0.1004), w(0.249, 0.251, 0.250, 0.250), 0.10025),
        ((0.1, 0.2, 0.3, 0.4), w(1.0, 0.0, 0.0, 0.0), 0.1),
    ];
    for ((a, b, c, d), p, expected) in cases {
        rita(expected, beacon_score(a, b, c, d, &p).unwrap(), "beacon score");
    }
    let even = Params::default();
    assert!(beacon_score(-0.1, 0.5, 0.5, 0.5, &even).is_err());
    assert!(beacon_score(1.1, 0.5, 0.5, 0.5, &even).is_err());
    assert!(beacon_score(0.5, 0.5, 0.5, 0.5, &w(-0.1, 0.5, 0.3, 0.3)).is_err());
    assert!(beacon_score(0.5, 0.5, 0.5, 0.5, &w(1.1, 0.0, 0.0, 0.0)).is_err());
    assert!(beacon_score(0.5, 0.5, 0.5, 0.5, &w(0.5, 0.5, 0.5, 0.5)).is_err());
    assert!(beacon_score(0.5, 0.5, 0.5, 0.5, &w(0.1, 0.1, 0.1, 0.1)).is_err());
}

#[test]
fn cv_score_vectors() {
    rita(1.0, cv_score(&[1; 10]).unwrap(), "uniform");
    rita(0.96, cv_score(&[950, 970, 990, 1010, 1030, 1050, 1070]).unwrap(), "normal");
    rita(0.9971406, cv_score(&[1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]).unwrap(), "cv < 1");
    rita(0.0, cv_score(&[1, 5, 10, 50, 100, 500, 1000, 5000, 10000]).unwrap(), "cv > 1");
    assert!(cv_score(&[]).is_err());
    assert!(cv_score(&[0; 5]).is_err());
}

#[test]
fn bucketed_scores() {
    assert_eq!(bucketed_score(40.0, BEACON_THRESHOLDS), 0.0);
    assert!((bucketed_score(60.0, BEACON_THRESHOLDS) - 0.3).abs() < 1e-12);
    assert!((bucketed_score(80.0, BEACON_THRESHOLDS) - 0.5).abs() < 1e-12);
    assert!((bucketed_score(100.0, BEACON_THRESHOLDS) - 0.8).abs() < 1e-12);
    assert_eq!(Severity::of(0.7), Severity::Medium);
    assert_eq!(Severity::of(0.699), Severity::Low);
}
