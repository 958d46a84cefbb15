//! The read buffer all formats parse from, and the byte source behind it.
//!
//! [`Input`] owns one large buffer (1 MiB to start). Parsers ask for "at least
//! n bytes" with [`Input::fill`], look at them with [`Input::peek`] and drop
//! them with [`Input::consume`]. When the unread tail reaches the end of the
//! buffer it is moved to the front (one `memmove` per MiB of input, not per
//! packet). The buffer only grows when a single record is bigger than the
//! buffer, and then only as fast as data actually arrives (it doubles while
//! reading), never beyond [`MAX_BUFFER`]: a hostile length field in a small
//! file costs at most about twice the file's size.
//!
//! A regular file is memory-mapped instead ([`MappedFile`]): the parsers then
//! see its bytes in place, with no copy from the page cache, and packets can be
//! handed to other threads without copying them either. The unread bytes are
//! exposed [`WINDOW`] at a time, and the pages well behind the reading position
//! are released, so the resident size stays bounded whatever the file's size.
//! When the map is used up, reading goes on from the file descriptor: a file
//! that grew after it was opened is read to its new end, as `read` would.

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Once};

/// Initial buffer size.
pub(crate) const INITIAL_BUFFER: usize = 1 << 20;
/// Largest buffer we will ever allocate: the largest pcapng block tshark
/// accepts (EPB header + 128 MiB D-Bus packet + 128 KiB of options), rounded up.
pub(crate) const MAX_BUFFER: usize = 136 << 20;

/// Bytes of a mapped file made readable per step.
const WINDOW: usize = 2 << 20;
/// Mapped bytes kept behind the reading position before their pages are
/// released: frames handed to other threads are read there a little later
/// (a few rounds of at most 1 MiB, `pcaptk_dissect::parallel::ROUND_BYTES`).
const KEEP_BEHIND: usize = 8 << 20;
/// Each release also covers this much before the last one: pages a thread that
/// lagged further behind mapped again are given back as well.
const RELEASE_AGAIN: usize = 8 << 20;

static MMAP: AtomicBool = AtomicBool::new(true);

/// Whether regular files are memory-mapped from now on (`--no-mmap` turns it off).
pub fn set_mmap(yes: bool) {
    MMAP.store(yes, Ordering::Relaxed);
}

pub(crate) fn mmap_enabled() -> bool {
    MMAP.load(Ordering::Relaxed)
}

/// A whole regular file mapped read-only. Shared (behind an `Arc`) by the
/// reader and the frames it hands to other threads.
pub struct MappedFile {
    ptr: *const u8,
    len: usize,
    /// The system's page size (releases are page-aligned).
    page: usize,
}

// SAFETY: the mapping is read-only and lives until the last `Arc` is dropped.
unsafe impl Send for MappedFile {}
unsafe impl Sync for MappedFile {}

impl MappedFile {
    /// Maps `len` bytes of `file` (its size when opened); `None` if the
    /// kernel refuses (the caller then reads the file instead).
    pub(crate) fn new(file: &File, len: u64) -> Option<MappedFile> {
        use std::os::fd::AsRawFd;
        let len = usize::try_from(len).ok().filter(|&n| n > 0)?;
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
            .ok()
            .filter(|p| p.is_power_of_two())?;
        install_sigbus_handler();
        // SAFETY: a fresh private read-only mapping of a file we hold open;
        // failure is checked. A file truncated while mapped raises SIGBUS,
        // which the handler below turns into an error message.
        let ptr = unsafe {
            libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0)
        };
        (ptr != libc::MAP_FAILED).then_some(MappedFile { ptr: ptr as *const u8, len, page })
    }

    /// The file's bytes, as they were sized when it was opened.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes until `drop`.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    /// Gives the whole pages of `start..end` back to the page cache: they stop
    /// counting in our resident size, and are mapped again if read.
    fn release(&self, start: usize, end: usize) {
        let (start, end) = (start.next_multiple_of(self.page), end & !(self.page - 1));
        if end > start {
            // SAFETY: a page-aligned range inside the mapping; for a private,
            // unwritten file mapping this only drops our page-table entries.
            unsafe { libc::madvise(self.ptr.add(start) as *mut libc::c_void, end - start, libc::MADV_DONTNEED) };
        }
    }
}

impl std::fmt::Debug for MappedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MappedFile({} bytes)", self.len)
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what `new` mapped, once.
        unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.len) };
    }
}

/// A mapped file that shrinks while being read raises SIGBUS on the missing
/// pages: say what happened and how to avoid it instead of dying silently.
fn install_sigbus_handler() {
    static ONCE: Once = Once::new();
    extern "C" fn on_sigbus(_: libc::c_int) {
        const MSG: &[u8] = b"pcaptk: a capture file shrank while it was being read (it is memory-mapped). \
Read it again once nothing writes to it, or pass --no-mmap.\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe.
        unsafe {
            libc::write(2, MSG.as_ptr() as *const libc::c_void, MSG.len());
            libc::_exit(2);
        }
    }
    ONCE.call_once(|| {
        // SAFETY: installing a handler that only calls async-signal-safe functions.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut());
        }
    });
}

/// A byte source plus the lending buffer.
pub(crate) struct Input {
    src: Box<dyn Read + Send>,
    buf: Vec<u8>,
    /// A mapped file's bytes, read in place instead of `buf` while there are
    /// any left (`pos`/`end` then index into it).
    map: Option<Arc<MappedFile>>,
    /// Mapped: the pages before this offset were released.
    released: usize,
    /// Start of the unread bytes in `buf`.
    pos: usize,
    /// End of the valid bytes in `buf`.
    end: usize,
    eof: bool,
    /// Size of the first allocation (smaller than 1 MiB for small inputs).
    first_alloc: usize,
    /// Decompressed offset of `buf[pos]` from the start of the stream.
    offset: u64,
}

impl Input {
    /// `size_hint`: the input's size if known; a small input gets a small
    /// first buffer (it still grows if the data turns out larger, e.g. gzip).
    pub(crate) fn new(src: Box<dyn Read + Send>, size_hint: Option<u64>) -> Input {
        let first_alloc = match size_hint {
            Some(n) if n < INITIAL_BUFFER as u64 => (n as usize + 1).next_power_of_two().max(4096),
            _ => INITIAL_BUFFER,
        };
        Input { src, buf: Vec::new(), map: None, released: 0, pos: 0, end: 0, eof: false, first_alloc, offset: 0 }
    }

    /// Reads `map` in place; `src` continues where the map ends (the file
    /// descriptor positioned at the map's length).
    pub(crate) fn mapped(src: Box<dyn Read + Send>, map: MappedFile) -> Input {
        let mut input = Input::new(src, None);
        input.map = Some(Arc::new(map));
        input
    }

    /// The mapped file being read in place, if any.
    #[inline]
    pub(crate) fn mapping(&self) -> Option<&Arc<MappedFile>> {
        self.map.as_ref()
    }

    #[inline]
    fn bytes(&self) -> &[u8] {
        match &self.map {
            Some(m) => m.bytes(),
            None => &self.buf,
        }
    }

    /// Number of buffered, unread bytes.
    #[inline]
    pub(crate) fn available(&self) -> usize {
        self.end - self.pos
    }

    /// Offset (in the decompressed stream) of the next unread byte.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Makes at least `n` bytes available. Returns `Ok(false)` if the stream
    /// ends first (whatever was there stays available). `n` must not exceed
    /// [`MAX_BUFFER`].
    #[inline]
    pub(crate) fn fill(&mut self, n: usize) -> io::Result<bool> {
        if self.end - self.pos >= n {
            return Ok(true);
        }
        self.fill_slow(n)
    }

    #[cold]
    fn fill_slow(&mut self, n: usize) -> io::Result<bool> {
        debug_assert!(n <= MAX_BUFFER);
        if let Some(map) = &self.map {
            let len = map.len;
            if self.end < len {
                // Expose the next window; release what lies far enough behind.
                self.end = (self.pos + n.max(WINDOW)).min(len);
                let behind = self.pos.saturating_sub(KEEP_BEHIND);
                if behind > self.released {
                    map.release(self.released.saturating_sub(RELEASE_AGAIN), behind);
                    self.released = behind;
                }
                if self.end - self.pos >= n {
                    return Ok(true);
                }
            }
            // The map is used up: the unread tail moves to the buffer, and
            // reading continues from the file (it may have grown).
            let tail = &map.bytes()[self.pos..self.end];
            let mut buf = vec![0; (tail.len() * 2).max(self.first_alloc)];
            buf[..tail.len()].copy_from_slice(tail);
            self.end = tail.len();
            self.pos = 0;
            self.buf = buf;
            self.map = None;
        }
        while self.end - self.pos < n {
            if self.eof {
                return Ok(false);
            }
            if self.end == self.buf.len() {
                // Out of room at the end: move the unread tail to the front.
                if self.pos > 0 {
                    self.buf.copy_within(self.pos..self.end, 0);
                    self.end -= self.pos;
                    self.pos = 0;
                }
                if self.end == self.buf.len() {
                    // Still full: grow (doubling, so allocation tracks real data).
                    let new_len = if self.buf.is_empty() {
                        self.first_alloc
                    } else {
                        (self.buf.len() * 2).min(MAX_BUFFER.max(n))
                    };
                    if new_len <= self.buf.len() {
                        return Err(io::Error::other("record larger than the maximum buffer size"));
                    }
                    self.buf.resize(new_len, 0);
                }
            }
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(r) => self.end += r,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// The buffered, unread bytes (at most [`available`](Self::available)).
    #[inline]
    pub(crate) fn peek(&self) -> &[u8] {
        &self.bytes()[self.pos..self.end]
    }

    /// Drops `n` bytes (must be available).
    #[inline]
    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.available());
        self.pos += n;
        self.offset += n as u64;
    }

    /// The whole buffer, for handing out slices by absolute index after
    /// `consume` (valid until the next `fill`).
    #[inline]
    pub(crate) fn buffer(&self) -> &[u8] {
        self.bytes()
    }

    /// Absolute index in [`buffer`](Self::buffer) of the next unread byte.
    #[inline]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
}

/// Wraps the raw file and counts the bytes read from it (the compressed
/// position, for progress bars), shared with the reader through an atomic.
pub(crate) struct CountingReader<R> {
    pub(crate) inner: R,
    pub(crate) count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Gzip decompression the way wiretap's file_wrappers does it: members are
/// decompressed one after the other, and bytes after a member that do not
/// start another gzip member are passed through uncompressed.
pub(crate) struct GzStream<R: io::BufRead> {
    state: GzState<R>,
}

enum GzState<R: io::BufRead> {
    Member(Box<flate2::bufread::GzDecoder<R>>),
    Raw(R),
    Done,
}

impl<R: io::BufRead> GzStream<R> {
    pub(crate) fn new(inner: R) -> GzStream<R> {
        GzStream { state: GzState::Member(Box::new(flate2::bufread::GzDecoder::new(inner))) }
    }
}

impl<R: io::BufRead> Read for GzStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match &mut self.state {
                GzState::Member(d) => {
                    let n = d.read(buf)?;
                    if n > 0 || buf.is_empty() {
                        return Ok(n);
                    }
                    // End of this member: another one, raw bytes, or the end.
                    let GzState::Member(d) = std::mem::replace(&mut self.state, GzState::Done) else {
                        unreachable!()
                    };
                    let mut rest = d.into_inner();
                    let head = rest.fill_buf()?;
                    self.state = if head.is_empty() {
                        GzState::Done
                    } else if head[0] == 0x1f && head.get(1).is_none_or(|&b| b == 0x8b) {
                        GzState::Member(Box::new(flate2::bufread::GzDecoder::new(rest)))
                    } else {
                        GzState::Raw(rest)
                    };
                }
                GzState::Raw(r) => return r.read(buf),
                GzState::Done => return Ok(0),
            }
        }
    }
}
