//! `-z io,stat,INTERVAL[,FILTER…]`: frames and bytes per time interval, one column per
//! filter, drawn as tshark 4.0 draws it (`ui/cli/tap-iostat.c`, relative times).

use crate::spec::IoStatSpec;
use std::fmt::Write as _;

/// One column's counts: (row, frames, bytes) for the rows that saw packets, in row order.
#[derive(Default, Clone, Debug)]
pub struct Column {
    pub rows: Vec<(u64, u64, u64)>,
}

impl Column {
    /// Counts a packet at `rel_us` µs from the capture's start. Rows only move forward:
    /// a packet from the past counts in the latest row, as in tshark.
    pub fn add(&mut self, interval: u64, rel_us: u64, len: u64) {
        let row = rel_us / interval;
        match self.rows.last_mut() {
            Some(last) if last.0 >= row => {
                last.1 += 1;
                last.2 += len;
            }
            _ => self.rows.push((row, 1, len)),
        }
    }
    fn get(&self, row: u64) -> (u64, u64) {
        match self.rows.binary_search_by_key(&row, |r| r.0) {
            Ok(i) => (self.rows[i].1, self.rows[i].2),
            Err(_) => (0, 0),
        }
    }
    fn max(&self) -> (u64, u64) {
        self.rows.iter().fold((0, 0), |m, r| (m.0.max(r.1), m.1.max(r.2)))
    }
}

/// Calls `f` with each interval row of an io,stat: start µs, end µs, per column (frames,
/// bytes). Rows are made on the fly: their number grows with the capture's duration only.
pub fn for_each_row<E>(spec: &IoStatSpec, cols: &[Column], duration_us: u64, mut f: impl FnMut(u64, u64, &[(u64, u64)]) -> Result<(), E>) -> Result<(), E> {
    let interval = if spec.interval > duration_us { duration_us } else { spec.interval };
    if interval == 0 || duration_us == 0 {
        return Ok(());
    }
    let n = duration_us / interval + u64::from(duration_us % interval > 0);
    let mut values = Vec::with_capacity(cols.len());
    for i in 0..n {
        let t = i * interval;
        let end = if i == n - 1 { duration_us } else { t + interval };
        values.clear();
        values.extend(cols.iter().map(|c| c.get(i)));
        f(t, end, &values)?;
    }
    Ok(())
}

fn magnitude(mut val: u64, max_w: u32) -> u32 {
    let mut mag = 0;
    for _ in 0..max_w {
        mag += 1;
        val /= 10;
        if val == 0 {
            break;
        }
    }
    mag
}

/// tshark's `printcenter`: a label centred in a column of `lenval` characters.
fn printcenter(out: &mut String, label: &str, lenval: i32, numpad: i32) {
    let lenlab = label.len() as i32;
    let len = 6 - ((lenval - lenlab) / 2 + numpad);
    if len > 0 && len < 6 {
        let sp = " ".repeat((6 - len) as usize);
        if (lenval - lenlab) % 2 == 0 {
            let _ = write!(out, "{}{}{}|", sp, label, sp);
        } else {
            let _ = write!(out, " {}{}{}|", sp, label, sp);
        }
    } else if len > 0 && len <= 15 {
        let _ = write!(out, "{}|", label);
    }
}

/// `n` spaces (tshark indexes into a row of `borderlen` spaces; never negative here).
fn sp(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

/// Draws the table as tshark does. `duration_us` is the capture's elapsed time (the
/// latest packet's time relative to the first, rounded to µs).
///
/// The table can be long (one row per interval): `flush` is called with the text so far
/// every 64 KiB, so memory stays bounded whatever the capture's duration.
pub fn draw<E>(out: &mut String, spec: &IoStatSpec, cols: &[Column], duration_us: u64, flush: &mut dyn FnMut(&mut String) -> Result<(), E>) -> Result<(), E> {
    let mut duration = duration_us;
    let whole = spec.interval > duration || spec.interval == u64::MAX;
    let mut interval = if whole { duration } else { spec.interval };
    let dur_secs_orig = duration / 1_000_000;
    let dur_usecs_orig = duration % 1_000_000;
    let mut dur_secs = dur_secs_orig;
    let mut dur_usecs = dur_usecs_orig;
    let mut dur_mag = magnitude(dur_secs, 5);
    let fmt_mag = dur_mag as usize;
    let invl_mag = magnitude(interval / 1_000_000, 5);
    let invl_prec: u32;
    let mut borderlen: i64;
    if interval == duration {
        invl_prec = if dur_mag >= 2 {
            1
        } else if dur_mag == 1 {
            3
        } else {
            6
        };
        borderlen = 30 + dur_mag as i64 + if invl_prec == 0 { 0 } else { invl_prec as i64 + 1 };
    } else {
        invl_prec = spec.invl_prec;
        borderlen = 25 + invl_mag.max(dur_mag) as i64 + if invl_prec == 0 { 0 } else { invl_prec as i64 + 1 };
    }
    let mut dv: u64 = 1_000_000;
    for _ in 0..invl_prec {
        dv /= 10;
    }
    if duration % dv > 5 * (dv / 10) {
        duration += 5 * (dv / 10);
        duration = duration / dv * dv;
        dur_secs = duration / 1_000_000;
        dur_usecs = duration % 1_000_000;
        dur_mag = magnitude(dur_secs, 5);
    }
    if whole {
        interval = duration;
    }
    let mut invl_col_w: i64 = if invl_prec == 0 { 2 * dur_mag as i64 + 8 } else { 2 * dur_mag as i64 + 2 * invl_prec as i64 + 10 };
    invl_col_w = invl_col_w.max(12);
    borderlen = borderlen.max(invl_col_w);

    // Column widths: frames at least 6 digits wide, bytes at least 5.
    let widths: Vec<(i64, i64)> = cols
        .iter()
        .map(|c| {
            let (f, b) = c.max();
            (magnitude(f, 15).max(6) as i64, magnitude(b, 15).max(5) as i64)
        })
        .collect();
    let mut tabrow_w = invl_col_w;
    for (f, b) in &widths {
        tabrow_w += f + 3 + b + 3;
    }
    borderlen = borderlen.max(tabrow_w);
    let maxfltr_w = spec.columns.iter().map(|f| f.as_ref().map_or(26, |f| f.len() as i64 + 11)).max().unwrap_or(0);
    if maxfltr_w > borderlen && borderlen < 102 {
        borderlen = maxfltr_w.min(102);
    }
    if borderlen - tabrow_w == 1 {
        borderlen += 1;
    }
    let rule = "=".repeat(borderlen as usize);

    out.push('\n');
    out.push_str(&rule);
    let _ = write!(out, "\n| IO Statistics{}|\n", sp(borderlen - 16));
    let _ = writeln!(out, "|{}|", sp(borderlen - 2));
    let prec = invl_prec as usize;
    if invl_prec == 0 {
        let _ = writeln!(
            out,
            "| Duration: {:>w$}.{:>6} secs{}|",
            dur_secs_orig as u32,
            dur_usecs_orig as u32,
            sp(borderlen - 25 - dur_mag as i64),
            w = fmt_mag
        );
        let _ = writeln!(out, "| Interval: {:>w$} secs{}|", (interval / 1_000_000) as u32, sp(borderlen - 18 - dur_mag as i64), w = fmt_mag);
    } else {
        let pad = sp(borderlen - 19 - dur_mag as i64 - invl_prec as i64);
        let _ = writeln!(out, "| Duration: {:>w$}.{:0p$} secs{}|", dur_secs as u32, (dur_usecs / dv) as u32, pad, w = fmt_mag, p = prec);
        let _ = writeln!(
            out,
            "| Interval: {:>w$}.{:0p$} secs{}|",
            (interval / 1_000_000) as u32,
            ((interval % 1_000_000) / dv) as u32,
            pad,
            w = fmt_mag,
            p = prec
        );
    }
    let _ = writeln!(out, "|{}|", sp(borderlen - 2));

    out.push_str("| Col");
    for (j, f) in spec.columns.iter().enumerate() {
        if j == 0 {
            let _ = write!(out, "{:>2}: ", j + 1);
        } else {
            let _ = write!(out, "|    {:>2}: ", j + 1);
        }
        match f {
            None => {
                let _ = writeln!(out, "Frames and bytes{}|", sp(borderlen - 26));
            }
            Some(filter) => {
                let mut filter: &str = filter;
                if filter.len() as i64 + 11 <= borderlen {
                    let _ = writeln!(out, "{}{}|", filter, sp(borderlen - filter.len() as i64 - 10));
                } else {
                    // Wrapped at the last space before borderlen - 11 characters.
                    let max_w = (borderlen - 11).max(1) as usize;
                    loop {
                        if filter.len() > max_w {
                            let mut cut = max_w;
                            while !filter.is_char_boundary(cut) {
                                cut -= 1;
                            }
                            let head = &filter[..cut];
                            let (len, next) = match head.rfind(' ') {
                                Some(p) => (p, p + 1),
                                None => (head.len(), head.len()),
                            };
                            let _ = writeln!(out, "{}{}|", &head[..len], sp(borderlen - len as i64 - 10));
                            out.push_str("|        ");
                            filter = &filter[next..];
                            if next == 0 {
                                break;
                            }
                        } else {
                            let _ = writeln!(out, "{}{}|", filter, sp(borderlen - filter.len() as i64 - 10));
                            break;
                        }
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "|-{}|", "-".repeat((borderlen - 3).max(0) as usize));

    let _ = write!(out, "|{}|", sp(invl_col_w - 2));
    for (j, (f, b)) in widths.iter().enumerate() {
        let _ = write!(out, "{:<2}{}|", j + 1, sp(f + b + 3));
    }
    let filler = if tabrow_w < borderlen { Some(sp(borderlen - tabrow_w - 1)) } else { None };
    if let Some(fl) = &filler {
        let _ = write!(out, "{}|", fl);
    }
    let _ = write!(out, "\n| Interval{}|", sp(invl_col_w - 11));
    for (f, b) in &widths {
        printcenter(out, "Frames", *f as i32, 1);
        printcenter(out, "Bytes", *b as i32, 1);
    }
    if let Some(fl) = &filler {
        let _ = write!(out, "{}|", fl);
    }
    let _ = write!(out, "\n|-{}|", "-".repeat((tabrow_w - 3).max(0) as usize));
    if let Some(fl) = &filler {
        let _ = write!(out, "{}|", fl);
    }
    out.push('\n');

    let num_rows = if interval == 0 || duration == 0 { 0 } else { duration / interval + u64::from(duration % interval > 0) };
    let lead = if invl_prec == 0 && dur_mag == 1 { "|  " } else { "| " };
    let tail = if invl_prec == 0 && dur_mag == 1 { "  |" } else { " |" };
    let mut t: u64 = 0;
    for i in 0..num_rows {
        let last = i == num_rows - 1;
        let end = if last { duration } else { t + interval };
        if invl_prec == 0 {
            if last {
                let maxw = if dur_mag >= 3 { dur_mag as usize + 1 } else { 3 };
                let _ = write!(out, "{}{:>w$} <> {:<m$}|", lead, (t / 1_000_000) as u32, "Dur", w = fmt_mag, m = maxw);
            } else {
                let _ = write!(out, "{}{:>w$} <> {:>w$}{}", lead, (t / 1_000_000) as u32, (end / 1_000_000) as u32, tail, w = fmt_mag);
            }
        } else {
            let _ = write!(
                out,
                "{}{:>w$}.{:0p$} <> {:>w$}.{:0p$}{}",
                lead,
                (t / 1_000_000) as u32,
                ((t % 1_000_000) / dv) as u32,
                (end / 1_000_000) as u32,
                ((end % 1_000_000) / dv) as u32,
                tail,
                w = fmt_mag,
                p = prec
            );
        }
        for (c, (f, b)) in cols.iter().zip(&widths) {
            let (frames, bytes) = c.get(i);
            let _ = write!(out, " {:>f$} | {:>b$} |", frames as u32, bytes, f = *f as usize, b = *b as usize);
        }
        if let Some(fl) = &filler {
            let _ = write!(out, "{}|", fl);
        }
        out.push('\n');
        t = t.wrapping_add(interval);
        if out.len() >= 1 << 16 {
            flush(out)?;
        }
    }
    out.push_str(&rule);
    out.push('\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_from_the_past_count_in_the_latest_row() {
        let mut c = Column::default();
        c.add(1_000_000, 100, 10);
        c.add(1_000_000, 2_500_000, 20);
        c.add(1_000_000, 1_000, 30);
        assert_eq!(c.rows, vec![(0, 1, 10), (2, 2, 50)]);
        assert_eq!(c.get(1), (0, 0));
    }

    #[test]
    fn magnitudes() {
        assert_eq!(magnitude(0, 5), 1);
        assert_eq!(magnitude(9, 5), 1);
        assert_eq!(magnitude(10, 5), 2);
        assert_eq!(magnitude(123456, 5), 5);
    }
}
