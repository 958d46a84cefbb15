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

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Initial buffer size.
pub(crate) const INITIAL_BUFFER: usize = 1 << 20;
/// Largest buffer we will ever allocate: the largest pcapng block tshark
/// accepts (EPB header + 128 MiB D-Bus packet + 128 KiB of options), rounded up.
pub(crate) const MAX_BUFFER: usize = 136 << 20;

/// A byte source plus the lending buffer.
pub(crate) struct Input {
    src: Box<dyn Read + Send>,
    buf: Vec<u8>,
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
        Input { src, buf: Vec::new(), pos: 0, end: 0, eof: false, first_alloc, offset: 0 }
    }

    /// Number of buffered, unread bytes.
    #[inline]
    pub(crate) fn available(&self) -> usize {
        self.end - self.pos
    }

    /// Offset (in the decompressed stream) of the next unread byte.
    #[allow(dead_code)]
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
        &self.buf[self.pos..self.end]
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
        &self.buf
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
