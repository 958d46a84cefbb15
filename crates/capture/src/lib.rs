//! Streaming reader for capture files, compatible with what tshark 4.0 reads.
//!
//! Formats (detected by content, never by file name):
//!
//! * **pcap** (`a1b2c3d4` microsecond and `a1b23c4d` nanosecond magic, either
//!   byte order, any snapshot length) — see `pcap.rs` for the layout;
//! * **pcapng** — several sections with their own byte order, several
//!   interfaces per section, `if_tsresol`, Enhanced/Simple/obsolete Packet
//!   Blocks, packet comments; unknown blocks skipped — see `pcapng.rs`;
//! * either of them **gzip-compressed** (magic `1f 8b`), decompressed on the fly.
//!
//! Reading is streaming and constant-memory: one buffer of 1 MiB (growing only
//! for a single larger record, and never beyond 136 MiB) from which
//! [`CaptureReader::next_packet`] lends out [`Packet`]s; there is no
//! allocation per packet (packet comments are the exception: they are
//! decoded into `String`s).
//!
//! Errors carry tshark's exact message (see [`CaptureError`]); they are
//! returned after all complete packets before the damage, and after an error
//! the reader returns `Ok(None)`.
//!
//! ```no_run
//! let mut r = pcaptk_capture::CaptureReader::open("in.pcapng")?;
//! while let Some(p) = r.next_packet()? {
//!     println!("{} {} {}", p.ts_ns, p.len, p.data.len());
//! }
//! # Ok::<(), pcaptk_capture::CaptureError>(())
//! ```

mod buffer;
pub mod cli;
mod error;
mod libpcap;
mod linktype;
pub mod live;
mod pcap;
mod pcapng;
mod progress;

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use buffer::{CountingReader, Input};
pub use buffer::{set_mmap, MappedFile};
pub use error::{CaptureError, ErrorKind};
pub use progress::Progress;
pub use live::{LiveCapture, LiveConfig};
pub use linktype::{is_supported as linktype_supported, max_snaplen};

/// One packet, borrowed from the reader's buffer until the next call.
#[derive(Debug, Clone, Copy)]
pub struct Packet<'a> {
    /// Unix epoch nanoseconds (pcapng: converted from the interface's
    /// `if_tsresol` exactly as wiretap does, truncating; SPBs have 0).
    pub ts_ns: i64,
    /// The time stamp as wiretap holds it: seconds ...
    pub ts_sec: i64,
    /// ... and nanoseconds, *not* normalised: a pcap record with
    /// `ts_usec` >= 1000000 gives `ts_nsec` >= 10^9, and tshark prints
    /// `frame.time_epoch` as `{ts_sec}.{ts_nsec:09}` (e.g. `1701999731.1011041000`).
    pub ts_nsec: u32,
    /// False for pcapng Simple Packet Blocks, which carry no time stamp
    /// (tshark then prints an empty `frame.time_epoch`; the time is 0 here).
    pub has_ts: bool,
    /// Original length on the wire (tshark's `frame.len`).
    pub len: u32,
    /// Captured bytes (`frame.cap_len` = `data.len()`), after any pseudo-header.
    pub data: &'a [u8],
    /// `LINKTYPE_*` of the packet's interface (pcap: the file header's).
    pub linktype: u32,
    /// Interface index as tshark reports `frame.interface_id` (pcapng: the
    /// index within the packet's section; pcap: 0, or the ERF port order).
    pub interface_id: u32,
    /// Whether the record carries an interface id (pcapng, and ERF records
    /// in pcap). tshark prints `frame.interface_id` only when it does.
    pub has_interface_id: bool,
    /// `opt_comment` values of this packet, in order (empty for pcap).
    pub comments: &'a [String],
    /// The interface's `if_name` (pcapng; empty when absent).
    pub interface_name: &'a str,
    /// Time-stamp precision in decimal digits (pcap 6 or 9; pcapng from
    /// `if_tsresol`: 0, 1, 2, 3, 6 or 9, as wiretap rounds it).
    pub ts_digits: u8,
    /// Link-layer pseudo-header wiretap strips before `data` (ERF record
    /// header, SunATM, IrDA, MTP2, LAPD, SITA, Bluetooth H4/monitor, I2C);
    /// empty for other link types. Not counted in `len` or `data`.
    pub pseudo_header: &'a [u8],
    /// The memory-mapped file `data` lies in, when the file is read in place:
    /// frames handed to another thread can then refer to it instead of being copied.
    pub mapped: Option<&'a Arc<MappedFile>>,
}

/// A packet located in the input buffer (indices into [`Input::buffer`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawPacket {
    pub ts_sec: i64,
    pub ts_nsec: u32,
    pub has_ts: bool,
    pub len: u32,
    pub phdr_start: usize,
    pub data_start: usize,
    pub data_end: usize,
    pub linktype: u32,
    pub interface_id: u32,
    pub has_interface_id: bool,
    pub ts_digits: u8,
}

/// Maps an I/O error from the byte source to tshark's categories.
pub(crate) fn io_err(e: io::Error) -> CaptureError {
    let kind = match e.kind() {
        // flate2 reports a truncated gzip stream this way.
        io::ErrorKind::UnexpectedEof => ErrorKind::CutShort,
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            ErrorKind::Decompress(e.to_string())
        }
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or("").to_string();
            ErrorKind::Read(s)
        }
    };
    error::err(kind)
}

enum Format {
    /// A 0-byte input: no packets, no error (as tshark).
    Empty,
    Pcap(pcap::PcapReader),
    Pcapng(pcapng::PcapngReader),
}

/// Streaming reader of one capture file (pcap, pcapng, gzip-compressed or not).
pub struct CaptureReader {
    path: String,
    input: Input,
    format: Format,
    comments: Vec<String>,
    current: Option<RawPacket>,
    compressed_read: Arc<AtomicU64>,
    total: Option<u64>,
    done: bool,
}

impl std::fmt::Debug for CaptureReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureReader").field("path", &self.path).finish_non_exhaustive()
    }
}

impl CaptureReader {
    /// Opens `path` (`"-"` = standard input) and reads the file header.
    ///
    /// Errors are tshark's open errors: missing file, directory, permission,
    /// unknown format, header cut short, unsupported link type, ...
    pub fn open(path: &str) -> Result<CaptureReader, CaptureError> {
        CaptureReader::open_with(path, buffer::mmap_enabled())
    }

    /// [`open`](Self::open), memory-mapping a regular file or not.
    fn open_with(path: &str, mmap: bool) -> Result<CaptureReader, CaptureError> {
        if path == "-" {
            return CaptureReader::build(path, Box::new(io::stdin()), None, true);
        }
        let meta = std::fs::metadata(path).map_err(|e| CaptureError::from_open(path, &e))?;
        if meta.is_dir() {
            return Err(CaptureError::new(path, ErrorKind::IsDirectory));
        }
        let file = File::open(path).map_err(|e| CaptureError::from_open(path, &e))?;
        let total = meta.is_file().then_some(meta.len());
        if meta.is_file() && mmap {
            if let Some(map) = MappedFile::new(&file, meta.len()) {
                // A gzip file is decompressed through the usual stream instead.
                if !map.bytes().starts_with(&[0x1f, 0x8b]) {
                    return CaptureReader::mapped(path, file, map, total);
                }
            }
        }
        CaptureReader::from_reader(path, Box::new(file), total)
    }

    /// Reads a regular file in place through its memory map.
    fn mapped(path: &str, mut file: File, map: MappedFile, total: Option<u64>) -> Result<CaptureReader, CaptureError> {
        use std::io::Seek;
        let len = map.bytes().len() as u64;
        // Past the map, reading continues from the descriptor (for a file that grew).
        file.seek(io::SeekFrom::Start(len)).map_err(|e| io_err(e).with_path(path))?;
        let count = Arc::new(AtomicU64::new(len));
        let src = CountingReader { inner: file, count: count.clone() };
        CaptureReader::start(path, Input::mapped(Box::new(src), map), count, total, false)
    }

    /// Reads a capture held in memory (used by the fuzzer and tests); `path`
    /// in error messages is `"-"`.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<CaptureReader, CaptureError> {
        let len = bytes.len() as u64;
        CaptureReader::from_reader("-", Box::new(Cursor::new(bytes)), Some(len))
    }

    /// Reads a capture from any byte stream; `path` is used in error
    /// messages, `total` is the stream's size if known (for progress).
    pub fn from_reader(
        path: &str,
        reader: Box<dyn Read + Send>,
        total: Option<u64>,
    ) -> Result<CaptureReader, CaptureError> {
        CaptureReader::build(path, reader, total, false)
    }

    /// `is_pipe`: like wiretap, skip the pcap variant heuristics on pipes.
    fn build(
        path: &str,
        reader: Box<dyn Read + Send>,
        total: Option<u64>,
        is_pipe: bool,
    ) -> Result<CaptureReader, CaptureError> {
        let count = Arc::new(AtomicU64::new(0));
        let mut raw = CountingReader { inner: reader, count: count.clone() };
        // Sniff for gzip, then put the two bytes back in front.
        let mut head = [0u8; 2];
        let mut n = 0;
        while n < 2 {
            match raw.read(&mut head[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_err(e).with_path(path)),
            }
        }
        let stream = Cursor::new(head[..n].to_vec()).chain(raw);
        let src: Box<dyn Read + Send> = if n == 2 && head == [0x1f, 0x8b] {
            Box::new(buffer::GzStream::new(io::BufReader::with_capacity(1 << 16, stream)))
        } else {
            Box::new(stream)
        };
        CaptureReader::start(path, Input::new(src, total), count, total, is_pipe)
    }

    /// Reads the file header from `input` (`count`: the bytes taken from the file so far).
    fn start(
        path: &str,
        mut input: Input,
        count: Arc<AtomicU64>,
        total: Option<u64>,
        is_pipe: bool,
    ) -> Result<CaptureReader, CaptureError> {
        let format = Self::detect(&mut input, is_pipe).map_err(|e| e.with_path(path))?;
        Ok(CaptureReader {
            path: path.to_string(),
            input,
            format,
            comments: Vec::new(),
            current: None,
            compressed_read: count,
            total,
            done: false,
        })
    }

    fn detect(input: &mut Input, is_pipe: bool) -> Result<Format, CaptureError> {
        input.fill(4).map_err(|e| match io_err(e) {
            // A gzip stream too short to hold a header: not a capture.
            c if *c.kind() == ErrorKind::CutShort => error::err(ErrorKind::UnknownFormat),
            c => c,
        })?;
        let head = input.peek();
        if head.is_empty() {
            Ok(Format::Empty)
        } else if pcap::is_pcap_magic(head) {
            Ok(Format::Pcap(pcap::PcapReader::open(input, is_pipe)?))
        } else if pcapng::is_pcapng_magic(head) {
            Ok(Format::Pcapng(pcapng::PcapngReader::open(input)?))
        } else {
            Err(error::err(ErrorKind::UnknownFormat))
        }
    }

    /// Reads the next packet. `Ok(None)` at the end of the file, and after an
    /// error has been returned once.
    #[inline]
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        if self.advance()? {
            Ok(Some(self.packet()))
        } else {
            Ok(None)
        }
    }

    /// Moves to the next packet; returns false at the end.
    #[inline]
    fn advance(&mut self) -> Result<bool, CaptureError> {
        if self.done {
            return Ok(false);
        }
        let r = match &mut self.format {
            Format::Empty => Ok(None),
            Format::Pcap(p) => p.next(&mut self.input),
            Format::Pcapng(p) => p.next(&mut self.input, &mut self.comments),
        };
        match r {
            Ok(Some(raw)) => {
                self.current = Some(raw);
                Ok(true)
            }
            Ok(None) => {
                self.done = true;
                self.current = None;
                Ok(false)
            }
            Err(e) => {
                self.done = true;
                self.current = None;
                Err(e.with_path(&self.path))
            }
        }
    }

    /// The packet found by the last successful `advance`.
    fn packet(&self) -> Packet<'_> {
        let raw = self.current.expect("advance returned true");
        let buf = self.input.buffer();
        let (comments, interface_name): (&[String], &str) = match &self.format {
            Format::Pcapng(p) => (&self.comments, p.interface_name(raw.interface_id)),
            _ => (&[], ""),
        };
        Packet {
            ts_ns: raw.ts_sec.wrapping_mul(1_000_000_000).wrapping_add(raw.ts_nsec as i64),
            ts_sec: raw.ts_sec,
            ts_nsec: raw.ts_nsec,
            has_ts: raw.has_ts,
            len: raw.len,
            data: &buf[raw.data_start..raw.data_end],
            linktype: raw.linktype,
            interface_id: raw.interface_id,
            has_interface_id: raw.has_interface_id,
            comments,
            interface_name,
            ts_digits: raw.ts_digits,
            pseudo_header: &buf[raw.phdr_start..raw.data_start],
            mapped: self.input.mapping(),
        }
    }

    /// Bytes read so far from the file itself (compressed bytes for a gzip
    /// file), for a progress bar; compare with [`total_bytes`](Self::total_bytes).
    pub fn bytes_read(&self) -> u64 {
        match self.input.mapping() {
            Some(_) => self.input.offset(),
            None => self.compressed_read.load(Ordering::Relaxed),
        }
    }

    /// Size of the file, when it is a regular file.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total
    }

    /// Section Header Block comments (`opt_comment`) of all sections read so far.
    pub fn section_comments(&self) -> &[String] {
        match &self.format {
            Format::Pcapng(p) => p.section_comments(),
            _ => &[],
        }
    }

    /// The path this reader was opened with.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Time-stamp precision of the file in decimal digits, as tshark's
    /// `file_tsprec` (pcap 6/9, pcapng: the first interface's; 6 if none).
    pub fn ts_digits(&self) -> u8 {
        match &self.format {
            Format::Empty => 6,
            Format::Pcap(p) => p.ts_digits(),
            Format::Pcapng(p) => p.ts_digits(),
        }
    }
}

/// Expands `-r` arguments: an existing path (or `-`) is kept as is;
/// otherwise an argument containing glob metacharacters (`*?[`) is expanded,
/// sorted; a pattern that matches nothing is an error naming the pattern.
/// Other arguments are kept (opening them reports tshark's error).
pub fn expand_inputs(args: &[String]) -> Result<Vec<String>, CaptureError> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" || std::fs::symlink_metadata(a).is_ok() || !a.contains(['*', '?', '[']) {
            out.push(a.clone());
            continue;
        }
        let paths = glob::glob(a)
            .map_err(|e| CaptureError::new(a.as_str(), ErrorKind::BadPattern(e.msg.to_string())))?;
        let mut found: Vec<String> = paths
            .filter_map(|p| p.ok())
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if found.is_empty() {
            return Err(CaptureError::new(a.as_str(), ErrorKind::NoMatch));
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// Reads several files in order as one packet stream, opening each file when
/// the previous one ends, or a live capture ([`MultiReader::from_live`]). An
/// error (opening or reading) ends the stream.
pub struct MultiReader {
    paths: Vec<String>,
    /// A live capture instead of files.
    live: Option<LiveCapture>,
    /// Stop after this many packets (`-c` for tools that have no count of their own).
    limit: Option<u64>,
    returned: u64,
    /// Index of the next file to open.
    next: usize,
    current: Option<CaptureReader>,
    /// Sizes of the files already finished.
    done_bytes: u64,
    total: Option<u64>,
    failed: bool,
}

/// The live capture a tool's `main` opened for `-i` (see [`cli::prepare`]),
/// waiting for the tool's reader: `MultiReader::new` with no paths takes it.
static PENDING_LIVE: Mutex<Option<LiveCapture>> = Mutex::new(None);
/// Set once a live capture is handed over: no progress bar (there is no total to show).
pub(crate) static LIVE_IN_USE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// `-c` for tools that have no count of their own (`u64::MAX`: none).
static PACKET_LIMIT: AtomicU64 = AtomicU64::new(u64::MAX);

/// Hands a live capture to the next [`MultiReader::new`] called with no paths
/// (so each tool's read loop, wherever it runs, reads it unchanged).
pub fn use_live(live: LiveCapture) {
    LIVE_IN_USE.store(true, Ordering::Relaxed);
    *PENDING_LIVE.lock().unwrap_or_else(|e| e.into_inner()) = Some(live);
}

static ANY_LINKTYPE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes readers opened from now on accept pcap files of any link type. tshark refuses a
/// link type it has no dissector for, and so do the tshark-compatible tools; pcap-report
/// counts such packets all the same (as frames, not dissected).
pub fn accept_any_linktype(yes: bool) {
    ANY_LINKTYPE.store(yes, Ordering::Relaxed);
}

pub(crate) fn any_linktype() -> bool {
    ANY_LINKTYPE.load(Ordering::Relaxed)
}

/// Makes every [`MultiReader`] created from now on end after `n` packets.
pub fn set_packet_limit(n: Option<u64>) {
    PACKET_LIMIT.store(n.unwrap_or(u64::MAX), Ordering::Relaxed);
}

impl MultiReader {
    /// Prepares to read `paths` in order (nothing is opened yet). With no
    /// paths, it reads the live capture handed to [`use_live`], if any.
    pub fn new(paths: Vec<String>) -> MultiReader {
        let mut r = MultiReader::files(paths);
        if r.paths.is_empty() {
            r.live = PENDING_LIVE.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
        let limit = PACKET_LIMIT.load(Ordering::Relaxed);
        r.limit = (limit != u64::MAX).then_some(limit);
        r
    }

    fn files(paths: Vec<String>) -> MultiReader {
        let total = paths
            .iter()
            .map(|p| std::fs::metadata(p).ok().filter(|m| m.is_file()).map(|m| m.len()))
            .sum::<Option<u64>>();
        MultiReader { paths, live: None, limit: None, returned: 0, next: 0, current: None, done_bytes: 0, total, failed: false }
    }

    /// Reads packets from a running live capture.
    pub fn from_live(live: LiveCapture) -> MultiReader {
        let mut r = MultiReader::files(Vec::new());
        r.live = Some(live);
        r
    }

    /// Ends the stream after `n` packets (tshark's `-c`).
    pub fn set_limit(&mut self, n: Option<u64>) {
        self.limit = n;
    }

    /// The live capture being read, if any.
    pub fn live(&self) -> Option<&LiveCapture> {
        self.live.as_ref()
    }

    /// Next packet of the current file, opening the next file as needed.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        if self.failed || self.limit.is_some_and(|l| self.returned >= l) {
            return Ok(None);
        }
        self.returned += 1;
        if let Some(live) = &mut self.live {
            return live.next_packet();
        }
        loop {
            if self.current.is_none() {
                let Some(path) = self.paths.get(self.next) else { return Ok(None) };
                self.next += 1;
                match CaptureReader::open(path) {
                    Ok(r) => self.current = Some(r),
                    Err(e) => {
                        self.failed = true;
                        return Err(e);
                    }
                }
            }
            let r = self.current.as_mut().expect("just opened");
            match r.advance() {
                Ok(true) => break,
                Ok(false) => {
                    self.done_bytes += r.total_bytes().unwrap_or(r.bytes_read());
                    self.current = None;
                }
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
        }
        Ok(Some(self.current.as_ref().expect("has a packet").packet()))
    }

    /// The reader of the file being read (None before the first packet and
    /// between files).
    pub fn current(&self) -> Option<&CaptureReader> {
        self.current.as_ref()
    }

    /// Path of the file being read.
    pub fn current_path(&self) -> Option<&str> {
        self.current.as_ref().map(|r| r.path())
    }

    /// Bytes read from all files so far (compressed position).
    pub fn bytes_read(&self) -> u64 {
        self.done_bytes + self.current.as_ref().map_or(0, |r| r.bytes_read())
    }

    /// Sum of the files' sizes, when all are regular files.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total
    }
}

#[cfg(test)]
mod tests;
