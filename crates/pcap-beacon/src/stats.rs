//! The descriptive statistics RITA's beacon scores are built from, with the definitions of
//! the Go `stats` package RITA uses: the median of an even count is the mean of the two middle
//! values; quartiles are Tukey's hinges (the medians of the lower and upper halves, the middle
//! value left out when the count is odd); MAD is the median of the absolute deviations from the
//! median. Every function takes values sorted ascending.

/// The median of sorted values (0 for none).
pub fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match n {
        0 => 0.0,
        _ if n & 1 == 0 => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        _ => sorted[n / 2],
    }
}

/// Tukey's hinges (Q1, Q2, Q3) of sorted values; None for fewer than two values.
pub fn quartiles(sorted: &[f64]) -> Option<(f64, f64, f64)> {
    let n = sorted.len();
    if n < 2 {
        return None;
    }
    let (lower, upper) = if n & 1 == 0 { (&sorted[..n / 2], &sorted[n / 2..]) } else { (&sorted[..n / 2], &sorted[n / 2 + 1..]) };
    Some((median(lower), median(sorted), median(upper)))
}

/// The median absolute deviation from the median.
pub fn mad(sorted: &[f64]) -> f64 {
    let m = median(sorted);
    let mut dev: Vec<f64> = sorted.iter().map(|v| (v - m).abs()).collect();
    dev.sort_by(f64::total_cmp);
    median(&dev)
}

/// Rounds to three decimals, half away from zero (Go's `math.Round(v*1000)/1000`).
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Rounds up to three decimals (`math.Ceil(v*1000)/1000`).
pub fn ceil3(v: f64) -> f64 {
    (v * 1000.0).ceil() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hinges_leave_out_the_middle_value_of_an_odd_count() {
        assert_eq!(quartiles(&[1.0, 2.0, 25.0, 42.0, 90.0, 299.0, 500.0, 1500.0, 4975.0]), Some((13.5, 90.0, 1000.0)));
        assert_eq!(quartiles(&[98.0, 98.0, 98.0, 98.0, 98.0, 300.0, 300.0, 300.0, 300.0, 300.0]), Some((98.0, 199.0, 300.0)));
        assert_eq!(quartiles(&[1.0]), None);
    }

    #[test]
    fn mad_is_about_the_median() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(median(&v), 5.5);
        assert_eq!(mad(&v), 2.5);
    }

    #[test]
    fn rounding_matches_go() {
        assert_eq!(round3(0.7456), 0.746);
        assert_eq!(ceil3(0.2501), 0.251);
    }
}
