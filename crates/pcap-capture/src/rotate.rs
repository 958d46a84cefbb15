//! When to start a new output file and what to call it: tcpdump's `-C`, `-G`,
//! `-W` (file names as tcpdump's `MakeFilename`), or dumpcap's `-b`
//! (`prefix_00001_YYYYmmddHHMMSS.ext`, ring buffer of N files).
//!
//! tcpdump, exactly:
//! * the `-w` name goes through strftime(3) (local time of the file's start)
//!   only with `-G`;
//! * with `-C`, files after the first get a number: `name1`, `name2`, ...;
//!   with `-W N` every file has one, zero-padded to the digits of N-1, and the
//!   numbers wrap around (`name0` .. `name{N-1}`, the oldest overwritten);
//! * `-C` is checked before each packet is written: the file is closed when
//!   it is already *larger* than C × 1,000,000 bytes;
//! * `-G S` closes the file at the first packet S seconds (wall clock) after
//!   it was opened; with `-W N` and no `-C`, the capture stops when the N+1th
//!   file would be opened ("Maximum file limit reached: N").
//!
//! dumpcap (`-b`): `filesize:KB` (1000 bytes) is checked after each packet,
//! `duration:S` and `interval:S` (wall-clock multiples of S) before it,
//! `packets:N` after it; `files:N` keeps only the newest N files.

use std::collections::VecDeque;
use std::ffi::CString;

/// The rotation asked for on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotation {
    /// tcpdump `-C` (bytes) or dumpcap `filesize:` (bytes).
    pub size: Option<u64>,
    /// tcpdump `-G` or dumpcap `duration:` (seconds).
    pub seconds: Option<u64>,
    /// dumpcap `interval:` (seconds, on wall-clock multiples).
    pub interval: Option<u64>,
    /// dumpcap `packets:`.
    pub packets: Option<u64>,
    /// tcpdump `-W` or dumpcap `files:`.
    pub files: Option<u32>,
    /// dumpcap's naming and rules (any `-b`); tcpdump's otherwise.
    pub dumpcap: bool,
}

impl Rotation {
    /// True when more than one file may be written.
    pub fn rotates(&self) -> bool {
        self.size.is_some() || self.seconds.is_some() || self.interval.is_some() || self.packets.is_some()
    }
}

/// Parses one dumpcap `-b KEY:VALUE` into `rot`.
pub fn parse_b(rot: &mut Rotation, arg: &str) -> Result<(), String> {
    let (key, value) = arg.split_once(':').ok_or_else(|| format!("Invalid -b argument \"{arg}\": it must be KEY:VALUE (filesize, duration, interval, packets or files)"))?;
    let n: u64 = value
        .parse()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("Invalid -b argument \"{arg}\": \"{value}\" isn't a positive decimal number"))?;
    match key {
        "filesize" => rot.size = Some(n.saturating_mul(1000)),
        "duration" => rot.seconds = Some(n),
        "interval" => rot.interval = Some(n),
        "packets" => rot.packets = Some(n),
        "files" => rot.files = Some(u32::try_from(n).map_err(|_| format!("Invalid -b argument \"{arg}\": too many files"))?),
        _ => return Err(format!("Invalid -b argument \"{arg}\": unknown key \"{key}\" (pcap-capture supports filesize, duration, interval, packets and files)")),
    }
    rot.dumpcap = true;
    Ok(())
}

/// strftime(3) of `pattern` at `t` (Unix seconds), in local time as tcpdump.
pub fn strftime(pattern: &str, t: i64) -> String {
    let Ok(c) = CString::new(pattern) else { return pattern.to_string() };
    // SAFETY: localtime_r and strftime with valid pointers and buffer size.
    unsafe {
        let tt = t as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&tt, &mut tm).is_null() {
            return pattern.to_string();
        }
        let mut buf = vec![0u8; 4096];
        let n = libc::strftime(buf.as_mut_ptr() as *mut libc::c_char, buf.len(), c.as_ptr(), &tm);
        if n == 0 && !pattern.is_empty() {
            return pattern.to_string();
        }
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }
}

/// tcpdump's `getWflagChars`: digits of N-1.
pub fn w_chars(w: u32) -> usize {
    let mut x = w.saturating_sub(1);
    let mut c = 0;
    while x > 0 {
        c += 1;
        x /= 10;
    }
    c
}

/// tcpdump's `MakeFilename`.
pub fn tcpdump_name(pattern: &str, strftime_at: Option<i64>, cnt: u32, max_chars: usize) -> String {
    let base = match strftime_at {
        Some(t) => strftime(pattern, t),
        None => pattern.to_string(),
    };
    if cnt == 0 && max_chars == 0 {
        base
    } else {
        format!("{base}{cnt:0max_chars$}")
    }
}

/// dumpcap's ring-buffer name: `stem_00001_YYYYmmddHHMMSS.ext`.
pub fn dumpcap_name(path: &str, seq: u64, t: i64) -> String {
    let (dir, file) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    let (stem, ext) = match file.rfind('.') {
        Some(i) if i > 0 => (&file[..i], &file[i..]),
        _ => (file, ""),
    };
    format!("{dir}{stem}_{seq:05}_{}{ext}", strftime("%Y%m%d%H%M%S", t))
}

/// What to do before writing a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Write into the current file.
    Keep,
    /// Close the current file and write into this new one.
    Rotate(String),
    /// tcpdump `-G` with `-W`: the file limit is reached, stop capturing.
    Stop,
}

/// The rotation state of one capture.
#[derive(Debug)]
pub struct Rotator {
    rot: Rotation,
    pattern: String,
    w_chars: usize,
    c_count: u32,
    g_count: u32,
    /// Wall-clock second the current file was opened.
    file_start: i64,
    file_packets: u64,
    seq: u64,
    ring: VecDeque<String>,
}

impl Rotator {
    /// The rotator and the first file's name, at wall-clock time `now`.
    pub fn new(rot: Rotation, pattern: &str, now: i64) -> (Rotator, String) {
        let w_chars = if rot.dumpcap { 0 } else { rot.files.map_or(0, w_chars) };
        let mut r = Rotator {
            rot,
            pattern: pattern.to_string(),
            w_chars,
            c_count: 0,
            g_count: 0,
            file_start: now,
            file_packets: 0,
            seq: 0,
            ring: VecDeque::new(),
        };
        let name = r.first_name(now);
        (r, name)
    }

    fn first_name(&mut self, now: i64) -> String {
        if self.rot.dumpcap {
            return if self.rot.rotates() || self.rot.files.is_some() { self.next_dumpcap(now) } else { self.pattern.clone() };
        }
        let g = self.rot.seconds.map(|_| now);
        if self.rot.size.is_some() {
            tcpdump_name(&self.pattern, g, 0, self.w_chars)
        } else {
            tcpdump_name(&self.pattern, g, 0, 0)
        }
    }

    fn next_dumpcap(&mut self, now: i64) -> String {
        self.seq += 1;
        self.file_start = now;
        self.file_packets = 0;
        let name = dumpcap_name(&self.pattern, self.seq, now);
        self.ring.push_back(name.clone());
        name
    }

    /// Files of a dumpcap ring buffer that fell out of it and must be deleted
    /// (call after opening a new file).
    pub fn expired(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(n) = self.rot.files.filter(|_| self.rot.dumpcap) {
            while self.ring.len() > n as usize {
                out.extend(self.ring.pop_front());
            }
        }
        out
    }

    /// Before writing a packet: the current file's size and the wall clock.
    pub fn before_packet(&mut self, size: u64, now: i64) -> Step {
        if self.rot.dumpcap {
            return self.before_packet_dumpcap(size, now);
        }
        let mut step = Step::Keep;
        if let Some(g) = self.rot.seconds {
            if now - self.file_start >= g as i64 {
                self.file_start = now;
                self.g_count += 1;
                if self.rot.size.is_none() && self.rot.files.is_some_and(|w| self.g_count >= w) {
                    return Step::Stop;
                }
                self.c_count = 0;
                let chars = if self.rot.size.is_some() { self.w_chars } else { 0 };
                step = Step::Rotate(tcpdump_name(&self.pattern, Some(now), 0, chars));
                // The new file is empty: no -C rotation for this packet.
                return step;
            }
        }
        if let Some(c) = self.rot.size {
            if size > c {
                self.c_count += 1;
                if let Some(w) = self.rot.files {
                    if self.c_count >= w {
                        self.c_count = 0;
                    }
                }
                let g = self.rot.seconds.map(|_| self.file_start);
                step = Step::Rotate(tcpdump_name(&self.pattern, g, self.c_count, self.w_chars));
            }
        }
        step
    }

    fn before_packet_dumpcap(&mut self, size: u64, now: i64) -> Step {
        let by_time = self.rot.seconds.is_some_and(|d| now - self.file_start >= d as i64);
        let by_interval = self.rot.interval.is_some_and(|i| now.div_euclid(i as i64) != self.file_start.div_euclid(i as i64));
        let by_size = self.rot.size.is_some_and(|s| size >= s);
        let by_packets = self.rot.packets.is_some_and(|p| self.file_packets >= p);
        if by_time || by_interval || by_size || by_packets {
            let name = self.next_dumpcap(now);
            self.file_packets = 1;
            Step::Rotate(name)
        } else {
            self.file_packets += 1;
            Step::Keep
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" {
        fn tzset();
    }

    fn utc() {
        std::env::set_var("TZ", "UTC");
        // SAFETY: re-reads TZ (localtime_r does not).
        unsafe { tzset() };
    }

    #[test]
    fn w_chars_are_the_digits_of_w_minus_one() {
        assert_eq!(w_chars(1), 0);
        assert_eq!(w_chars(3), 1);
        assert_eq!(w_chars(10), 1);
        assert_eq!(w_chars(11), 2);
        assert_eq!(w_chars(100), 2);
        assert_eq!(w_chars(101), 3);
    }

    #[test]
    fn tcpdump_c_names_count_up_from_the_plain_name() {
        let rot = Rotation { size: Some(100), ..Rotation::default() };
        let (mut r, first) = Rotator::new(rot, "cap", 0);
        assert_eq!(first, "cap");
        assert_eq!(r.before_packet(100, 0), Step::Keep);
        assert_eq!(r.before_packet(101, 0), Step::Rotate("cap1".into()));
        assert_eq!(r.before_packet(101, 0), Step::Rotate("cap2".into()));
    }

    #[test]
    fn tcpdump_c_with_w_is_a_padded_ring() {
        let rot = Rotation { size: Some(10), files: Some(3), ..Rotation::default() };
        let (mut r, first) = Rotator::new(rot, "cap", 0);
        assert_eq!(first, "cap0");
        let names: Vec<Step> = (0..4).map(|_| r.before_packet(11, 0)).collect();
        assert_eq!(names, ["cap1", "cap2", "cap0", "cap1"].map(|n| Step::Rotate(n.into())));
        let rot = Rotation { size: Some(10), files: Some(12), ..Rotation::default() };
        assert_eq!(Rotator::new(rot, "cap", 0).1, "cap00");
    }

    #[test]
    fn tcpdump_g_expands_strftime_and_stops_at_w() {
        utc();
        let rot = Rotation { seconds: Some(60), files: Some(2), ..Rotation::default() };
        let (mut r, first) = Rotator::new(rot, "c_%Y%m%d_%H%M%S.pcap", 1_700_000_000);
        assert_eq!(first, "c_20231114_221320.pcap");
        assert_eq!(r.before_packet(0, 1_700_000_059), Step::Keep);
        assert_eq!(r.before_packet(0, 1_700_000_060), Step::Rotate("c_20231114_221420.pcap".into()));
        assert_eq!(r.before_packet(0, 1_700_000_120), Step::Stop);
        // Without -G the pattern is kept as given (tcpdump).
        let rot = Rotation { size: Some(1), files: Some(10), ..Rotation::default() };
        assert_eq!(Rotator::new(rot, "c_%H.pcap", 0).1, "c_%H.pcap0");
    }

    #[test]
    fn dumpcap_b_names_and_ring() {
        utc();
        let mut rot = Rotation::default();
        for b in ["filesize:1", "files:2"] {
            parse_b(&mut rot, b).unwrap();
        }
        assert_eq!(rot.size, Some(1000));
        let (mut r, first) = Rotator::new(rot, "/tmp/x/out.pcapng", 1_700_000_000);
        assert_eq!(first, "/tmp/x/out_00001_20231114221320.pcapng");
        assert_eq!(r.before_packet(999, 1_700_000_000), Step::Keep);
        assert!(r.expired().is_empty());
        assert_eq!(r.before_packet(1000, 1_700_000_001), Step::Rotate("/tmp/x/out_00002_20231114221321.pcapng".into()));
        assert!(r.expired().is_empty());
        assert_eq!(r.before_packet(5000, 1_700_000_002), Step::Rotate("/tmp/x/out_00003_20231114221322.pcapng".into()));
        assert_eq!(r.expired(), ["/tmp/x/out_00001_20231114221320.pcapng"]);
        assert_eq!(dumpcap_name("noext", 7, 1_700_000_000), "noext_00007_20231114221320");
    }

    #[test]
    fn dumpcap_b_packets_and_errors() {
        let mut rot = Rotation::default();
        parse_b(&mut rot, "packets:2").unwrap();
        let (mut r, _) = Rotator::new(rot, "p.pcapng", 0);
        assert_eq!(r.before_packet(0, 0), Step::Keep);
        assert_eq!(r.before_packet(0, 0), Step::Keep);
        assert!(matches!(r.before_packet(0, 0), Step::Rotate(_)));
        let mut rot = Rotation::default();
        assert!(parse_b(&mut rot, "filesize").unwrap_err().contains("KEY:VALUE"));
        assert!(parse_b(&mut rot, "filesize:x").unwrap_err().contains("positive decimal"));
        assert!(parse_b(&mut rot, "colour:3").unwrap_err().contains("unknown key \"colour\""));
    }
}
