//! pcapng ("next generation") format.
//!
//! A pcapng file is a sequence of blocks, each framed as
//!
//! ```text
//!   u32 block type | u32 total length | body ... | options ... | u32 total length
//! ```
//!
//! padded to a multiple of 4 bytes. A Section Header Block (SHB, type
//! `0a0d0d0a`, the same in both byte orders) starts a *section*; its byte-order
//! magic `1a2b3c4d` fixes the byte order of every block up to the next SHB, so
//! one file can mix byte orders. Inside a section, Interface Description Blocks
//! (IDB, type 1) declare interfaces 0, 1, 2, ... with their link type,
//! snapshot length and options (`if_tsresol`, code 9: time-stamp units, 10^-n
//! or, with the top bit set, 2^-n seconds; `if_tsoffset`, code 14).
//! Packets come in Enhanced Packet Blocks (EPB, type 6: interface, 64-bit time
//! stamp in the interface's units, captured and original length, data,
//! options such as `opt_comment`, code 1, which may repeat), Simple Packet
//! Blocks (SPB, type 3: original length and data only; interface 0, no time
//! stamp, captured length = min(length, snaplen)) and the obsolete Packet
//! Block (type 2, 16-bit interface id). Other blocks (name resolution,
//! statistics, secrets, custom, unknown) are skipped.
//!
//! Validation and error texts follow wiretap's pcapng.c in Wireshark 4.0:
//! block lengths are rounded up to a multiple of 4, blocks over
//! [`MAX_BLOCK_SIZE`] are refused, each block type has a minimum size, the
//! trailing length must repeat the leading one, option lists must be well
//! formed. As in wiretap, a file whose first SHB is unreadable is "not a
//! capture file", and errors while reading the IDBs that directly follow it
//! are open-time errors.
//!
//! Time stamps: `secs = ts / units`, `nsecs = (ts % units) * 10^9 / units`
//! (truncating, 64-bit wrapping arithmetic, exactly as wiretap computes them);
//! then `if_tsoffset` seconds are added.

use crate::buffer::Input;
use crate::error::{corrupt, err, ErrorKind, Result};
use crate::linktype::{self, PseudoHeader};
use crate::RawPacket;

const BT_SHB: u32 = 0x0A0D_0D0A;
const BT_IDB: u32 = 1;
const BT_PB: u32 = 2;
const BT_SPB: u32 = 3;
const BT_EPB: u32 = 6;

const MIN_BLOCK_SIZE: u32 = 12;
const MIN_SHB_SIZE: u32 = MIN_BLOCK_SIZE + 16;
const MIN_IDB_SIZE: u32 = MIN_BLOCK_SIZE + 8;
const MIN_EPB_SIZE: u32 = MIN_BLOCK_SIZE + 20;
const MIN_PB_SIZE: u32 = MIN_BLOCK_SIZE + 20;
const MIN_SPB_SIZE: u32 = MIN_BLOCK_SIZE + 4;
/// Largest block wiretap accepts: EPB + 128 MiB D-Bus packet + 128 KiB options.
pub(crate) const MAX_BLOCK_SIZE: u32 = MIN_EPB_SIZE + 128 * 1024 * 1024 + 131_072;

const OPT_ENDOFOPT: u16 = 0;
const OPT_COMMENT: u16 = 1;

/// One interface of the current section.
#[derive(Clone, Debug)]
struct Interface {
    linktype: u32,
    snaplen: u32,
    units_per_sec: u64,
    digits: u8,
    /// `if_tsoffset`: seconds added to every time stamp.
    tsoffset: i64,
    /// `if_name` (option 2), empty when absent.
    name: String,
}

/// Per-file state of the pcapng reader.
#[derive(Debug)]
pub(crate) struct PcapngReader {
    big_endian: bool,
    interfaces: Vec<Interface>,
    /// True until the first block after the leading IDBs (wiretap reads those
    /// while opening the file, so errors there are open errors).
    opening: bool,
    section_comments: Vec<String>,
}

/// Returns true if the file starts like a pcapng file.
pub(crate) fn is_pcapng_magic(head: &[u8]) -> bool {
    head.len() >= 4 && head[..4] == BT_SHB.to_le_bytes()
}

#[inline]
fn round4(n: u32) -> u32 {
    n.wrapping_add(3) & !3
}

#[inline]
fn rd16(b: &[u8], big: bool) -> u16 {
    let a = [b[0], b[1]];
    if big { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) }
}

#[inline]
fn rd32(b: &[u8], big: bool) -> u32 {
    let a = [b[0], b[1], b[2], b[3]];
    if big { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
}

/// Walks an option list, calling `f(code, value)` for each option until
/// `opt_endofopt` or the end. Comments go to `comments`.
fn parse_options(
    mut rest: &[u8],
    big: bool,
    comments: &mut Vec<String>,
    mut f: impl FnMut(u16, &[u8]) -> Result<()>,
) -> Result<()> {
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(corrupt("pcapng: Not enough data for option header".into()));
        }
        let code = rd16(rest, big);
        let len = rd16(&rest[2..], big);
        rest = &rest[4..];
        let rounded = (len as usize + 3) & !3;
        if rounded > rest.len() {
            return Err(corrupt(format!(
                "pcapng: Not enough data to handle option of length {len}"
            )));
        }
        let value = &rest[..len as usize];
        match code {
            OPT_ENDOFOPT => return Ok(()),
            OPT_COMMENT => {
                // wiretap keeps the string up to the first NUL.
                let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
                comments.push(String::from_utf8_lossy(&value[..end]).into_owned());
            }
            2988 | 2989 | 19372 | 19373 if len < 4 => {
                return Err(corrupt(format!(
                    "pcapng: option length ({len}) too small for custom option"
                )));
            }
            _ => f(code, value)?,
        }
        rest = &rest[rounded..];
    }
    Ok(())
}

/// Checks the options wiretap validates in packet blocks.
fn check_packet_option(code: u16, v: &[u8]) -> Result<()> {
    let len = v.len();
    let bad = |what: &str| Err(corrupt(format!("pcapng: packet block {what}")));
    match code {
        2 if len != 4 => bad(&format!("flags option length {len} is not 4")),
        3 if len < 1 => bad(&format!("hash option length {len} is < 1")),
        4 if len != 8 => bad(&format!("drop count option length {len} is not 8")),
        5 if len != 8 => bad(&format!("packet id option length {len} is not 8")),
        6 if len != 4 => bad(&format!("queue option length {len} is not 4")),
        7 if len < 1 => bad(&format!("verdict option length {len} is < 1")),
        7 if v[0] == 1 && len != 9 => bad(&format!("TC verdict option length {len} is != 9")),
        7 if v[0] == 2 && len != 9 => bad(&format!("XDP verdict option length {len} is != 9")),
        _ => Ok(()),
    }
}

impl PcapngReader {
    /// Reads the first SHB. The caller has checked the block type.
    pub(crate) fn open(input: &mut Input) -> Result<PcapngReader> {
        let mut r = PcapngReader {
            big_endian: false,
            interfaces: Vec::new(),
            opening: true,
            section_comments: Vec::new(),
        };
        r.read_shb(input, true)?;
        Ok(r)
    }

    /// `if_name` of an interface of the current section ("" when absent or unknown).
    pub(crate) fn interface_name(&self, id: u32) -> &str {
        self.interfaces.get(id as usize).map(|i| i.name.as_str()).unwrap_or("")
    }

    /// SHB comments of all sections read so far.
    pub(crate) fn section_comments(&self) -> &[String] {
        &self.section_comments
    }

    /// Decimal digits of the first interface's time stamps (9 when unknown).
    pub(crate) fn ts_digits(&self) -> u8 {
        self.interfaces.first().map_or(6, |i| i.digits)
    }

    /// The "file ends here" error: an open error while still reading the
    /// leading IDBs, a read error afterwards.
    fn short(&self) -> crate::CaptureError {
        err(if self.opening { ErrorKind::CutShortOpen } else { ErrorKind::CutShort })
    }

    fn fill(&self, input: &mut Input, n: u32) -> Result<()> {
        if input.fill(n as usize).map_err(crate::io_err)? {
            Ok(())
        } else {
            Err(self.short())
        }
    }

    /// Compares the trailing length; `at` is where wiretap expects it.
    fn check_trailer(&self, input: &mut Input, at: u32, len: u32) -> Result<()> {
        self.fill(input, at + 4)?;
        // wiretap rounds the trailing copy up to a multiple of 4 as well.
        let second = round4(rd32(&input.peek()[at as usize..], self.big_endian));
        if second != len {
            return Err(corrupt(format!(
                "pcapng: total block lengths (first {len} and second {second}) don't match"
            )));
        }
        Ok(())
    }

    /// Reads a Section Header Block (its 8-byte header is available).
    fn read_shb(&mut self, input: &mut Input, first: bool) -> Result<()> {
        // While opening, a short or unrecognisable first SHB means "not pcapng".
        let not_mine = || err(ErrorKind::UnknownFormat);
        if !input.fill(24).map_err(crate::io_err)? {
            return Err(if first { not_mine() } else { err(ErrorKind::CutShort) });
        }
        let b = input.peek();
        let magic = u32::from_le_bytes(b[8..12].try_into().unwrap());
        let big = match magic {
            0x1A2B_3C4D => false,
            0x4D3C_2B1A => true,
            _ if first => return Err(not_mine()),
            _ => {
                return Err(corrupt(format!(
                    "pcapng: unknown byte-order magic number 0x{magic:08x}"
                )))
            }
        };
        let len = round4(rd32(&b[4..], big));
        let (major, minor) = (rd16(&b[12..], big), rd16(&b[14..], big));
        if len < MIN_SHB_SIZE {
            return Err(corrupt(format!(
                "pcapng: total block length {len} of an SHB is less than the minimum SHB size {MIN_SHB_SIZE}"
            )));
        }
        if len > MAX_BLOCK_SIZE {
            return Err(corrupt(format!(
                "pcapng: total block length {len} is too large (> {MAX_BLOCK_SIZE})"
            )));
        }
        if !(major == 1 && (minor == 0 || minor == 2)) {
            return Err(err(ErrorKind::Unsupported(format!(
                "pcapng: unknown SHB version {major}.{minor}"
            ))));
        }
        if !input.fill(len as usize - 4).map_err(crate::io_err)? {
            return Err(if first { not_mine() } else { err(ErrorKind::CutShort) });
        }
        self.big_endian = big;
        let opts = &input.peek()[MIN_SHB_SIZE as usize - 4..len as usize - 4];
        parse_options(opts, big, &mut self.section_comments, |_, _| Ok(()))?;
        if first {
            self.opening = true;
        }
        self.check_trailer(input, len - 4, len)?;
        input.consume(len as usize);
        self.interfaces.clear();
        Ok(())
    }

    /// Reads an Interface Description Block of (rounded) length `len`.
    fn read_idb(&mut self, input: &mut Input, len: u32) -> Result<()> {
        if len < MIN_IDB_SIZE {
            return Err(corrupt(format!(
                "pcapng: total block length {len} of an IDB is less than the minimum IDB size {MIN_IDB_SIZE}"
            )));
        }
        self.fill(input, 16)?;
        let big = self.big_endian;
        let b = input.peek();
        let linktype = rd16(&b[8..], big) as u32;
        let snaplen = rd32(&b[12..], big);
        self.fill(input, len - 4)?;
        let mut tsresol: Option<u8> = None;
        let mut tsoffset: Option<i64> = None;
        let mut name: Option<String> = None;
        let mut ignored = Vec::new();
        let opts = &input.peek()[16..len as usize - 4];
        parse_options(opts, big, &mut ignored, |code, v| {
            match code {
                9 if v.len() == 1 && tsresol.is_none() => tsresol = Some(v[0]),
                2 if name.is_none() => {
                    let end = v.iter().position(|&c| c == 0).unwrap_or(v.len());
                    name = Some(String::from_utf8_lossy(&v[..end]).into_owned());
                }
                14 if v.len() == 8 && tsoffset.is_none() => {
                    let a: [u8; 8] = v.try_into().unwrap();
                    tsoffset = Some(if big { i64::from_be_bytes(a) } else { i64::from_le_bytes(a) });
                }
                11 if v.is_empty() => {
                    return Err(corrupt(
                        "pcapng: packet block verdict option length 0 is < 1".into(),
                    ))
                }
                _ => {}
            }
            Ok(())
        })?;
        let units_per_sec = match tsresol {
            None => 1_000_000,
            Some(r) => {
                let exp = (r & 0x7f) as u32;
                if r & 0x80 != 0 {
                    if exp < 64 { 1u64 << exp } else { u64::MAX }
                } else if exp < 20 {
                    10u64.pow(exp)
                } else {
                    u64::MAX
                }
            }
        };
        let digits = match units_per_sec {
            u if u >= 1_000_000_000 => 9,
            u if u >= 1_000_000 => 6,
            u if u >= 1_000 => 3,
            u if u >= 100 => 2,
            u if u >= 10 => 1,
            _ => 0,
        };
        self.check_trailer(input, len - 4, len)?;
        input.consume(len as usize);
        self.interfaces.push(Interface {
            name: name.unwrap_or_default(),
            linktype,
            snaplen,
            units_per_sec,
            digits,
            tsoffset: tsoffset.unwrap_or(0),
        });
        Ok(())
    }

    /// Reads the next packet; `Ok(None)` at a clean end of file.
    pub(crate) fn next(
        &mut self,
        input: &mut Input,
        comments: &mut Vec<String>,
    ) -> Result<Option<RawPacket>> {
        loop {
            if !input.fill(8).map_err(crate::io_err)? {
                if input.available() == 0 {
                    return Ok(None);
                }
                return Err(self.short());
            }
            let b = input.peek();
            let raw_type = u32::from_le_bytes(b[..4].try_into().unwrap());
            if raw_type == BT_SHB {
                self.opening = false;
                self.read_shb(input, false)?;
                continue;
            }
            let big = self.big_endian;
            let block_type = rd32(b, big);
            let len = round4(rd32(&b[4..], big));
            if block_type != BT_IDB {
                self.opening = false;
            }
            if len > MAX_BLOCK_SIZE {
                return Err(corrupt(format!(
                    "pcapng: total block length {len} is too large (> {MAX_BLOCK_SIZE})"
                )));
            }
            match block_type {
                BT_IDB => self.read_idb(input, len)?,
                BT_EPB | BT_PB => {
                    comments.clear();
                    return self.read_packet_block(input, len, block_type == BT_EPB, comments).map(Some);
                }
                BT_SPB => {
                    comments.clear();
                    return self.read_simple_packet_block(input, len).map(Some);
                }
                _ => {
                    if len < MIN_BLOCK_SIZE {
                        return Err(corrupt(format!(
                            "pcapng: total block length {len} of an unknown block type is less than the minimum block size {MIN_BLOCK_SIZE}"
                        )));
                    }
                    self.fill(input, len - 4)?;
                    self.check_trailer(input, len - 4, len)?;
                    input.consume(len as usize);
                }
            }
        }
    }

    fn interface(&self, id: u32) -> Result<&Interface> {
        self.interfaces.get(id as usize).ok_or_else(|| {
            corrupt(format!(
                "pcapng: interface index {id} is not less than section interface count {}",
                self.interfaces.len()
            ))
        })
    }

    /// Checks the captured length against the link type's limits.
    fn check_caplen(iface: &Interface, caplen: u32) -> Result<PseudoHeader> {
        let max = linktype::max_snaplen(iface.linktype);
        if caplen > max {
            return Err(corrupt(format!("pcapng: cap_len {caplen} is larger than {max}")));
        }
        let phdr = linktype::pseudo_header(iface.linktype);
        if let Some(min) = phdr.min_len() {
            if caplen < min {
                return Err(corrupt(phdr.too_small_message(caplen)));
            }
        }
        Ok(phdr)
    }

    /// Enhanced Packet Block (`enhanced`) or obsolete Packet Block.
    fn read_packet_block(
        &mut self,
        input: &mut Input,
        len: u32,
        enhanced: bool,
        comments: &mut Vec<String>,
    ) -> Result<RawPacket> {
        let (min, name) = if enhanced { (MIN_EPB_SIZE, "an EPB") } else { (MIN_PB_SIZE, "a PB") };
        let short_name = if enhanced { "EPB" } else { "PB" };
        if len < min {
            return Err(corrupt(format!(
                "pcapng: total block length {len} of {name} is less than the minimum {short_name} size {min}"
            )));
        }
        self.fill(input, 28)?;
        let big = self.big_endian;
        let b = input.peek();
        let iface_id = if enhanced { rd32(&b[8..], big) } else { rd16(&b[8..], big) as u32 };
        let ts = ((rd32(&b[12..], big) as u64) << 32) | rd32(&b[16..], big) as u64;
        let caplen = rd32(&b[20..], big);
        let orig = rd32(&b[24..], big);
        let padding = (4 - caplen % 4) % 4;
        if len < min.wrapping_add(caplen).wrapping_add(padding) {
            return Err(corrupt(format!(
                "pcapng: total block length {len} of {name} is too small for {caplen} bytes of packet data"
            )));
        }
        let iface = self.interface(iface_id)?.clone();
        let phdr = Self::check_caplen(&iface, caplen)?;

        self.fill(input, len - 4)?;
        let start = input.pos() + 28;
        let opts = &input.peek()[28 + (caplen + padding) as usize..len as usize - 4];
        parse_options(opts, big, comments, check_packet_option)?;
        self.check_trailer(input, len - 4, len)?;

        let units = iface.units_per_sec;
        let secs = ((ts / units) as i64).wrapping_add(iface.tsoffset);
        let nsecs = ((ts % units).wrapping_mul(1_000_000_000) / units) as u32;
        let mut raw = RawPacket {
            ts_sec: secs,
            ts_nsec: nsecs,
            has_ts: true,
            len: orig,
            phdr_start: start,
            data_start: start,
            data_end: start + caplen as usize,
            linktype: iface.linktype,
            interface_id: iface_id,
            has_interface_id: true,
            ts_digits: iface.digits,
        };
        self.strip_pseudo_header(input, phdr, &mut raw)?;
        input.consume(len as usize);
        Ok(raw)
    }

    /// Simple Packet Block: interface 0, no time stamp, no options.
    fn read_simple_packet_block(&mut self, input: &mut Input, len: u32) -> Result<RawPacket> {
        if len < MIN_SPB_SIZE {
            return Err(corrupt(format!(
                "pcapng: total block length {len} of an SPB is less than the minimum SPB size {MIN_SPB_SIZE}"
            )));
        }
        self.fill(input, 12)?;
        let orig = rd32(&input.peek()[8..], self.big_endian);
        let Some(iface) = self.interfaces.first().cloned() else {
            return Err(corrupt("pcapng: SPB appeared before any IDBs in the section".into()));
        };
        let mut caplen = orig;
        if iface.snaplen != 0 && caplen > iface.snaplen {
            caplen = iface.snaplen;
        }
        let padding = (4 - caplen % 4) % 4;
        if len < MIN_SPB_SIZE.wrapping_add(caplen).wrapping_add(padding) {
            return Err(corrupt(format!(
                "pcapng: total block length {len} of an SPB is too small for {orig} bytes of packet data"
            )));
        }
        let phdr = Self::check_caplen(&iface, caplen)?;
        // Like wiretap, read exactly the packet data and take the next four
        // bytes as the trailer, whatever the block length says.
        let used = 12 + caplen + padding;
        self.fill(input, used)?;
        let start = input.pos() + 12;
        self.check_trailer(input, used, len)?;
        let mut raw = RawPacket {
            ts_sec: 0,
            ts_nsec: 0,
            has_ts: false,
            len: orig,
            phdr_start: start,
            data_start: start,
            data_end: start + caplen as usize,
            linktype: iface.linktype,
            interface_id: 0,
            has_interface_id: true,
            ts_digits: iface.digits,
        };
        self.strip_pseudo_header(input, phdr, &mut raw)?;
        input.consume(used as usize + 4);
        Ok(raw)
    }

    /// Removes the link type's pseudo-header from the data and both lengths.
    fn strip_pseudo_header(&self, input: &Input, phdr: PseudoHeader, raw: &mut RawPacket) -> Result<()> {
        let n = match phdr {
            PseudoHeader::None => return Ok(()),
            PseudoHeader::Fixed { len, .. } => len,
            PseudoHeader::Erf => linktype::parse_erf(&input.buffer()[raw.data_start..raw.data_end])?.len,
        };
        raw.data_start += n as usize;
        raw.len = raw.len.wrapping_sub(n);
        Ok(())
    }
}
