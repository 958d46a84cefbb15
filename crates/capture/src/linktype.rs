//! What tshark 4.0 knows about link-layer header types (`LINKTYPE_*`):
//! which ones it can read, the largest packet it accepts for each, and the
//! pseudo-headers it strips from the front of the packet data.
//!
//! The supported set was measured with tshark 4.0.17 itself (a header-only
//! pcap file per link type 0..329: unsupported ones fail to open with
//! `pcap: network type N unknown or unsupported`).

use crate::error::{corrupt, Result};

/// Link types tshark 4.0.17 opens (measured; everything above 329 is refused).
const SUPPORTED: &[u16] = &[
    0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19, 32, 50, 51, 99, 100, 101, 104, 105,
    106, 107, 108, 109, 112, 113, 114, 117, 118, 119, 121, 122, 123, 127, 128, 129, 130, 131,
    133, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 147, 148, 149, 150, 151, 152, 153,
    154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 165, 167, 169, 170, 171, 172, 173, 177,
    178, 179, 180, 181, 183, 184, 186, 187, 188, 189, 190, 192, 195, 196, 197, 199, 200, 201,
    202, 203, 204, 209, 210, 211, 212, 213, 214, 215, 220, 224, 225, 226, 227, 228, 229, 230,
    231, 235, 236, 237, 239, 240, 241, 242, 243, 245, 248, 249, 250, 251, 252, 253, 254, 255,
    256, 258, 259, 260, 264, 266, 268, 270, 271, 272, 273, 274, 275, 276, 279, 280, 283, 287,
    288, 290, 292, 293, 294, 295,
];

/// True if tshark 4.0 can read packets of this link type.
pub fn is_supported(linktype: u32) -> bool {
    linktype <= u16::MAX as u32 && SUPPORTED.binary_search(&(linktype as u16)).is_ok()
}

/// The largest captured length wiretap accepts for a link type
/// (`wtap_max_snaplen_for_encap`): 128 MiB for D-Bus and USB, 8 MiB for
/// EBHSCR, 262144 otherwise.
pub fn max_snaplen(linktype: u32) -> u32 {
    match linktype {
        231 => 128 * 1024 * 1024,                     // D-Bus
        186 | 189 | 220 | 249 | 266 => 128 * 1024 * 1024, // USB FreeBSD/Linux/mmapped/USBPcap/Darwin
        279 => 8 * 1024 * 1024,                      // EBHSCR
        _ => 262_144,
    }
}

/// A pseudo-header wiretap removes from the packet data (and from both
/// lengths) before the dissectors see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PseudoHeader {
    None,
    /// Fixed size; `what` names it in the error for a too-short packet.
    Fixed { len: u32, what: &'static str },
    /// Endace ERF record header (16 bytes + extension headers + subheader).
    Erf,
}

/// The pseudo-header of a link type.
pub(crate) fn pseudo_header(linktype: u32) -> PseudoHeader {
    let fixed = |len, what| PseudoHeader::Fixed { len, what };
    match linktype {
        123 => fixed(4, "SunATM file has a %u-byte packet, too small to have even an ATM pseudo-header"),
        139 => fixed(4, "MTP2 file has a %u-byte packet, too small to have even an MTP2 pseudo-header"),
        144 => fixed(16, "IrDA file has a %u-byte packet, too small to have even an IrDA pseudo-header"),
        177 => fixed(16, "LINUX_LAPD file has a %u-byte packet, too small to have even a LAPD pseudo-header"),
        196 => fixed(5, "SITA file has a %u-byte packet, too small to have even a SITA pseudo-header"),
        201 => fixed(4, "Bluetooth file has a %u-byte packet, too small to have even a pseudo-header"),
        209 => fixed(5, "I2C file has a %u-byte packet, too small to have even a I2C pseudo-header"),
        254 => fixed(4, "bluetooth monitor file has a %u-byte packet, too small to have even a pseudo-header"),
        197 => PseudoHeader::Erf,
        _ => PseudoHeader::None,
    }
}

impl PseudoHeader {
    /// Minimum captured length (checked before reading the packet).
    pub(crate) fn min_len(self) -> Option<u32> {
        match self {
            PseudoHeader::None => None,
            PseudoHeader::Fixed { len, .. } => Some(len),
            PseudoHeader::Erf => Some(ERF_HEADER_LEN as u32),
        }
    }

    /// Wiretap's message for a packet shorter than the pseudo-header.
    pub(crate) fn too_small_message(self, caplen: u32) -> String {
        let what = match self {
            PseudoHeader::Fixed { what, .. } => what,
            _ => ERF_TOO_SMALL,
        };
        format!("pcap/pcapng: {}", what.replace("%u", &caplen.to_string()))
    }
}

const ERF_HEADER_LEN: usize = 16;
const ERF_TOO_SMALL: &str =
    "ERF file has a %u-byte packet, too small to have even an ERF pseudo-header";

/// What we take from an ERF record header.
pub(crate) struct Erf {
    /// Bytes of pseudo-header (record header, extension headers, subheader).
    pub len: u32,
    pub ts_sec: i64,
    pub ts_nsec: u32,
    /// Capture port (interface), from the flags.
    pub port: u8,
}

/// Parses the ERF pseudo-header at the start of a packet (`body` is the
/// whole captured record; it is at least 16 bytes long).
pub(crate) fn parse_erf(body: &[u8]) -> Result<Erf> {
    let too_small = || corrupt(PseudoHeader::Erf.too_small_message(body.len() as u32));
    if body.len() < ERF_HEADER_LEN {
        return Err(too_small());
    }
    let ts = u64::from_le_bytes(body[0..8].try_into().unwrap());
    let ty = body[8];
    let flags = body[9];
    // Fixed-point 32.32 seconds, converted and rounded as wiretap does.
    let mut secs = (ts >> 32) as i64;
    let mut frac = (ts & 0xffff_ffff).wrapping_mul(1_000_000_000);
    frac = frac.wrapping_add((frac & 0x8000_0000) << 1);
    let mut nsecs = (frac >> 32) as i64;
    if nsecs >= 1_000_000_000 {
        nsecs -= 1_000_000_000;
        secs += 1;
    }
    let mut len = ERF_HEADER_LEN;
    if ty & 0x80 != 0 {
        // Extension headers, 8 bytes each, chained by their top bit.
        loop {
            if body.len() < len + 8 {
                return Err(too_small());
            }
            let ext_type = body[len];
            len += 8;
            if ext_type & 0x80 == 0 {
                break;
            }
        }
    }
    let sub = match ty & 0x7f {
        5 | 6 | 7 | 8 | 9 | 12 | 17 | 18 => 4, // multi-channel / AAL2 header
        2 | 11 | 16 | 20 => 2,                 // Ethernet: offset + pad
        _ => 0,
    };
    if body.len() < len + sub {
        return Err(too_small());
    }
    len += sub;
    Ok(Erf { len: len as u32, ts_sec: secs, ts_nsec: nsecs as u32, port: flags & 0x03 })
}
