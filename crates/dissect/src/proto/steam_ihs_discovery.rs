//! Steam In-Home Streaming Discovery (UDP port 27036): an 8-byte signature, a length and a
//! protobuf header, a length and a protobuf body. tshark rejects a datagram without the
//! signature or whose lengths do not add up to its own.
crate::declare_fields! {
    after = super::lsd::END;
    PROTO = "steam_ihs_discovery", "Steam In-Home Streaming Discovery Protocol", Protocol, None;
    SIGNATURE = "steam_ihs_discovery.signature", "Signature", U64, Hex;
    HEADER_LENGTH = "steam_ihs_discovery.header_length", "Header Length", U32, Dec;
    BODY_LENGTH = "steam_ihs_discovery.body_length", "Body Length", U32, Dec;
}

use crate::cx::{Bytes, Cx};

const SIGNATURE_BYTES: [u8; 8] = [0xff, 0xff, 0xff, 0xff, 0x21, 0x4c, 0x5f, 0xa0];

/// What tshark checks before taking the datagram: `Some(header length)` when it does, or
/// `None`; `Err(need)` when reading the body length runs past the data (an exception).
pub fn check(d: &[u8], reported: usize) -> Option<Result<u32, usize>> {
    if reported < 16 || d.len() < 16 || d[..8] != SIGNATURE_BYTES {
        return None;
    }
    let hl = u32::from_le_bytes(d[8..12].try_into().ok()?);
    let at = 12usize.checked_add(hl as usize)?;
    let Some(bl) = d.get(at..at + 4) else { return Some(Err(at + 4)) };
    let bl = u32::from_le_bytes(bl.try_into().ok()?);
    let total = (at as u64) + 4 + bl as u64;
    (total == reported as u64 && total == d.len() as u64).then_some(Ok(hl))
}

/// Called when [`check`] gave `Some`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, hl: Result<u32, usize>) {
    let hl = match hl {
        Ok(hl) => hl,
        Err(need) => {
            cx.bounds_error(off + need, end);
            return;
        }
    };
    cx.proto(PROTO, "steam_ihs_discovery", b.span_to(off, end));
    let sig = u64::from_le_bytes(SIGNATURE_BYTES);
    cx.u(SIGNATURE, sig, b.span(off, 8));
    cx.u(HEADER_LENGTH, hl, b.span(off + 8, 4));
    let at = off + 12 + hl as usize;
    if let Some(bl) = b.le32(at) {
        cx.u(BODY_LENGTH, bl, b.span(at, 4));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn check() {
        let mut d = super::SIGNATURE_BYTES.to_vec();
        d.extend_from_slice(&[2, 0, 0, 0, 8, 1, 1, 0, 0, 0, 0xaa]);
        assert_eq!(super::check(&d, d.len()), Some(Ok(2)));
        assert_eq!(super::check(&d, d.len() + 1), None);
        d[0] = 0;
        assert_eq!(super::check(&d, d.len()), None);
    }
}
