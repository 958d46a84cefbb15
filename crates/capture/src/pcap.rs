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
//! file is opened. The heuristics wiretap uses to recognise the old
//! Red Hat/SuSE/Nokia/AIX variants of this format are not implemented.

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
    pub(crate) fn open(input: &mut Input) -> Result<PcapReader> {
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
        if network & 0x03ff_0000 != 0 || !linktype::is_supported(linktype) {
            return Err(err(ErrorKind::Unsupported(format!(
                "pcap: network type {network} unknown or unsupported"
            ))));
        }
        Ok(PcapReader {
            big_endian,
            nanos: magic == MAGIC_NSEC,
            lengths,
            linktype,
            max_caplen: linktype::max_snaplen(linktype),
            erf_interfaces: Vec::new(),
        })
    }

    /// Decimal digits of the file's time stamps.
    pub(crate) fn ts_digits(&self) -> u8 {
        if self.nanos { 9 } else { 6 }
    }

    /// Reads the next record; `Ok(None)` at a clean end of file.
    #[inline]
    pub(crate) fn next(&mut self, input: &mut Input) -> Result<Option<RawPacket>> {
        if !input.fill(RECORD_HEADER_LEN).map_err(crate::io_err)? {
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
        let total = RECORD_HEADER_LEN + incl as usize;
        if !input.fill(total).map_err(crate::io_err)? {
            return Err(err(ErrorKind::CutShort));
        }
        let start = input.pos() + RECORD_HEADER_LEN;
        let body = &input.buffer()[start..start + incl as usize];

        let mut ts_ns = ts_sec as i64 * 1_000_000_000
            + if self.nanos { ts_frac as i64 } else { ts_frac as i64 * 1000 };
        let mut interface_id = 0;
        let mut ts_digits = self.ts_digits();
        let phdr_len = match phdr {
            PseudoHeader::None => 0,
            PseudoHeader::Erf => {
                let e = linktype::parse_erf(body)?;
                ts_ns = e.ts_ns;
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
            ts_ns,
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
