//! Classic libpcap format.
//!
//! ```text
//! file header (24 bytes)             record header (16 bytes), then caplen bytes
//!   u32 magic                          u32 ts_sec
//!   u16 version_major (2)              u32 ts_usec (or ts_nsec)
//!   u16 version_minor (4)              u32 incl_len  (captured length)
//!   i32 thiszone, u32 sigfigs          u32 orig_len  (length on the wire)
//!   u32 snaplen
//!   u32 network (LINKTYPE_*, upper bits: FCS info)
//! ```
//!
//! The magic tells both the byte order (it reads as `a1b2c3d4` or as
//! `d4c3b2a1`) and the time-stamp unit: `a1b2c3d4` is microseconds,
//! `a1b23c4d` nanoseconds. Like wiretap, versions before 2.3 have
//! `incl_len`/`orig_len` swapped (and 2.3 files may have them either way),
//! records bigger than the link type's maximum (262144 bytes for most) are a
//! "damaged or corrupt" error, and unknown link types are refused when the
//! file is opened.
//!
//! Also like wiretap, a microsecond file of version 2.4 that is not read from
//! a pipe may be one of two old variants with longer record headers
//! (Red Hat 6.1's "ss990417", 24 bytes; Nokia IPSO, 20 bytes). Wiretap tries
//! the first three records in each layout, scores how implausible they look,
//! and reads the file in the least implausible one; we do the same, which
//! matters for damaged files (it decides which packets and error tshark shows).
//! The AIX variant (version 2.2 with interface-type link types) is not handled.

use crate::buffer::Input;
use crate::error::{corrupt, err, ErrorKind, Result};
use crate::linktype::{self, PseudoHeader};
use crate::RawPacket;

const MAGIC_USEC: u32 = 0xa1b2_c3d4;
const MAGIC_NSEC: u32 = 0xa1b2_3c4d;
const FILE_HEADER_LEN: usize = 24;
const RECORD_HEADER_LEN: usize = 16;

/// How `incl_len` and `orig_len` are laid out (depends on the file version).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LengthOrder {
    Normal,
    Swapped,
    MaybeSwapped,
}

/// Per-file state of the pcap reader.
#[derive(Debug)]
pub(crate) struct PcapReader {
    big_endian: bool,
    nanos: bool,
    lengths: LengthOrder,
    linktype: u32,
    max_caplen: u32,
    /// File header's snapshot length.
    snaplen: u32,
    /// Record header size: 16, or 24/20 for the ss990417/Nokia variants.
    record_header_len: usize,
    /// ERF only: interface ids handed out in order of appearance, by ERF port.
    erf_interfaces: Vec<u8>,
}

/// Returns true if the first four bytes are a pcap magic number we read.
pub(crate) fn is_pcap_magic(head: &[u8]) -> bool {
    if head.len() < 4 {
        return false;
    }
    let le = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let be = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    [le, be].iter().any(|&m| m == MAGIC_USEC || m == MAGIC_NSEC)
}

impl PcapReader {
    /// Reads the file header. The caller has checked the magic.
    pub(crate) fn open(input: &mut Input, is_pipe: bool) -> Result<PcapReader> {
        if !input.fill(FILE_HEADER_LEN).map_err(crate::io_err)? {
            return Err(err(ErrorKind::CutShortOpen));
        }
        let h = &input.peek()[..FILE_HEADER_LEN];
        let le_magic = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
        let big_endian = !(le_magic == MAGIC_USEC || le_magic == MAGIC_NSEC);
        let rd16 = |o: usize| {
            let b = [h[o], h[o + 1]];
            if big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) }
        };
        let rd32 = |o: usize| {
            let b = [h[o], h[o + 1], h[o + 2], h[o + 3]];
            if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) }
        };
        let magic = rd32(0);
        let (major, minor) = (rd16(4), rd16(6));
        let snaplen = rd32(16);
        let network = rd32(20);
        input.consume(FILE_HEADER_LEN);

        if major < 2 {
            return Err(err(ErrorKind::Unsupported(format!(
                "pcap: major version {major} unsupported"
            ))));
        }
        let lengths = match (major, minor) {
            (2, m) if m < 3 => LengthOrder::Swapped,
            (2, 3) => LengthOrder::MaybeSwapped,
            (543, _) => LengthOrder::Swapped,
            _ => LengthOrder::Normal,
        };
        let linktype = network & 0xffff;
        if network & 0x03ff_0000 != 0 {
            return Err(err(ErrorKind::Unsupported(format!(
                "pcap: network type reserved field not zero (0x{:08x})",
                network & 0x03ff_0000
            ))));
        }
        if !linktype::is_supported(linktype) && !crate::any_linktype() {
            return Err(err(ErrorKind::Unsupported(format!(
                "pcap: network type {network} unknown or unsupported"
            ))));
        }
        let mut r = PcapReader {
            big_endian,
            nanos: magic == MAGIC_NSEC,
            lengths,
            linktype,
            max_caplen: linktype::max_snaplen(linktype),
            snaplen,
            record_header_len: RECORD_HEADER_LEN,
            erf_interfaces: Vec::new(),
        };
        if magic == MAGIC_USEC && lengths == LengthOrder::Normal && !is_pipe {
            r.record_header_len = r.guess_variant(input).map_err(crate::io_err)?;
        }
        Ok(r)
    }

    /// Picks the record header layout (16, 24 or 20 bytes) whose first three
    /// records look least implausible, as wiretap's `libpcap_try_variants`.
    fn guess_variant(&self, input: &mut Input) -> std::io::Result<usize> {
        let mut best = (u32::MAX, RECORD_HEADER_LEN);
        for hdr_len in [RECORD_HEADER_LEN, 24, 20] {
            let merit = self.try_variant(input, hdr_len)?;
            if merit == 0 {
                return Ok(hdr_len);
            }
            if merit < best.0 {
                best = (merit, hdr_len);
            }
        }
        Ok(best.1)
    }

    /// Scores the first three records read with `hdr_len`-byte headers
    /// (0 = plausible; one point per oddity), without consuming input.
    fn try_variant(&self, input: &mut Input, hdr_len: usize) -> std::io::Result<u32> {
        let mut merit = 0;
        let mut off = 0usize;
        // Reads a field of `n` bytes at `off`, or None if the data ends.
        let field = |input: &mut Input, off: &mut usize, n: usize| -> std::io::Result<Option<u32>> {
            input.fill(*off + n)?;
            if input.available() < *off + n {
                return Ok(None);
            }
            let b = &input.peek()[*off..*off + n];
            *off += n;
            Ok(Some(match n {
                4 => {
                    let a = [b[0], b[1], b[2], b[3]];
                    if self.big_endian { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
                }
                _ => 0,
            }))
        };
        for _ in 0..3 {
            input.fill(off + 1)?;
            if input.available() == off {
                break; // clean end of file
            }
            let Some(_ts_sec) = field(input, &mut off, 4)? else { return Ok(merit + 1) };
            let Some(ts_usec) = field(input, &mut off, 4)? else { return Ok(merit + 1) };
            merit += (ts_usec >= 1_000_000) as u32;
            let Some(incl) = field(input, &mut off, 4)? else { return Ok(merit + 1) };
            let incl_ok = incl <= self.max_caplen;
            merit += !incl_ok as u32;
            merit += (incl > self.snaplen) as u32;
            let Some(orig) = field(input, &mut off, 4)? else { return Ok(merit + 1) };
            merit += (orig > 128 * 1024 * 1024) as u32;
            merit += (incl > orig) as u32;
            // The extra fields of the variants (ifindex, protocol, packet
            // type; Nokia's 4 bytes) are skipped unchecked: tshark 4.0.17
            // picks the Nokia layout where newer wiretap, which also scores
            // those fields, would not (measured on damaged files).
            if hdr_len > RECORD_HEADER_LEN {
                let Some(_) = field(input, &mut off, hdr_len - RECORD_HEADER_LEN)? else {
                    return Ok(merit + 1);
                };
            }
            if !incl_ok {
                break;
            }
            // Skip the data (the fill is bounded: incl <= max_caplen).
            input.fill(off + incl as usize)?;
            if input.available() < off + incl as usize {
                return Ok(merit + 1);
            }
            off += incl as usize;
        }
        Ok(merit)
    }

    /// Decimal digits of the file's time stamps.
    pub(crate) fn ts_digits(&self) -> u8 {
        if self.nanos { 9 } else { 6 }
    }

    /// Reads the next record; `Ok(None)` at a clean end of file.
    #[inline]
    pub(crate) fn next(&mut self, input: &mut Input) -> Result<Option<RawPacket>> {
        let hdr_len = self.record_header_len;
        if !input.fill(hdr_len).map_err(crate::io_err)? {
            if input.available() == 0 {
                return Ok(None);
            }
            return Err(err(ErrorKind::CutShort));
        }
        let h = &input.peek()[..RECORD_HEADER_LEN];
        let w = |o: usize| {
            let b = [h[o], h[o + 1], h[o + 2], h[o + 3]];
            if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) }
        };
        let (ts_sec, ts_frac) = (w(0), w(4));
        let (mut incl, mut orig) = (w(8), w(12));
        if self.lengths == LengthOrder::Swapped
            || (self.lengths == LengthOrder::MaybeSwapped && incl > orig)
        {
            std::mem::swap(&mut incl, &mut orig);
        }
        if incl > self.max_caplen {
            return Err(corrupt(format!(
                "pcap: File has {incl}-byte packet, bigger than maximum of {}",
                self.max_caplen
            )));
        }
        let phdr = linktype::pseudo_header(self.linktype);
        if let Some(min) = phdr.min_len() {
            if incl < min {
                return Err(corrupt(phdr.too_small_message(incl)));
            }
        }
        let total = hdr_len + incl as usize;
        if !input.fill(total).map_err(crate::io_err)? {
            return Err(err(ErrorKind::CutShort));
        }
        let start = input.pos() + hdr_len;
        let body = &input.buffer()[start..start + incl as usize];

        let mut ts = (ts_sec as i64, if self.nanos { ts_frac } else { ts_frac.wrapping_mul(1000) });
        let mut interface_id = 0;
        let mut ts_digits = self.ts_digits();
        let phdr_len = match phdr {
            PseudoHeader::None => 0,
            PseudoHeader::Erf => {
                let e = linktype::parse_erf(body)?;
                ts = (e.ts_sec, e.ts_nsec);
                ts_digits = 9;
                let port = e.port;
                interface_id = match self.erf_interfaces.iter().position(|&p| p == port) {
                    Some(i) => i as u32,
                    None => {
                        self.erf_interfaces.push(port);
                        (self.erf_interfaces.len() - 1) as u32
                    }
                };
                e.len
            }
            PseudoHeader::Fixed { len, .. } => len,
        };
        input.consume(total);
        Ok(Some(RawPacket {
            ts_sec: ts.0,
            ts_nsec: ts.1,
            has_ts: true,
            len: orig.wrapping_sub(phdr_len),
            phdr_start: start,
            data_start: start + phdr_len as usize,
            data_end: start + incl as usize,
            linktype: self.linktype,
            interface_id,
            has_interface_id: phdr == PseudoHeader::Erf,
            ts_digits,
        }))
    }
}
