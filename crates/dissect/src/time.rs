//! Time rendering as tshark 4.0 prints it.

use std::fmt::Write;

/// Relative time: seconds with 9 decimals, `-` for negative values.
pub fn write_rel(out: &mut String, ns: i64) {
    if ns < 0 {
        out.push('-');
    }
    // All the digits at once, then the dot put in nine from the right.
    let mut digits = itoa::Buffer::new();
    let d = digits.format(ns.unsigned_abs());
    if d.len() > 9 {
        let (secs, frac) = d.split_at(d.len() - 9);
        out.push_str(secs);
        out.push('.');
        out.push_str(frac);
    } else {
        out.push_str("0.");
        out.push_str(&"000000000"[d.len()..]);
        out.push_str(d);
    }
}

/// Absolute time in the local zone: `Nov 27, 2026 23:04:16.842873000 UTC` (day space-padded).
pub fn write_abs_local(out: &mut String, ns: i64) {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let (y, mo, d, h, mi, s, zone) = crate::tz::local(secs);
    const MON: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let _ = write!(out, "{} {:2}, {} {:02}:{:02}:{:02}.{:09} {}", MON[(mo - 1) as usize], d, y, h, mi, s, frac, zone);
}

/// Civil date from days since 1970-01-01 (proleptic Gregorian).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Local calendar date of a timestamp (JSON's `_index: packets-YYYY-MM-DD`).
pub fn local_ymd(ns: i64) -> (i64, u32, u32) {
    let (y, m, d, ..) = crate::tz::local(ns.div_euclid(1_000_000_000));
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::write_rel;

    #[test]
    fn relative_times_have_nine_decimals() {
        for (ns, want) in [
            (0i64, "0.000000000"),
            (1, "0.000000001"),
            (-1, "-0.000000001"),
            (999_999_999, "0.999999999"),
            (1_000_000_000, "1.000000000"),
            (1_700_000_000_123_456_789, "1700000000.123456789"),
            (-2_500_000_000, "-2.500000000"),
            (i64::MIN, "-9223372036.854775808"),
            (i64::MAX, "9223372036.854775807"),
        ] {
            let mut s = String::from("x");
            write_rel(&mut s, ns);
            assert_eq!(s, format!("x{want}"), "{ns}");
        }
    }
}
