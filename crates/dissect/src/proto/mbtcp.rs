//! Modbus/TCP (TCP port 502): an MBAP header (transaction id, protocol id 0, 16-bit length
//! of what follows, unit id) before each Modbus PDU, which tshark shows as a `modbus`
//! layer of its own. A payload of fewer than 8 bytes, a protocol id other than 0 or a
//! length below 2 is not Modbus/TCP (`dissect` declines it).
crate::declare_fields! {
    after = super::wow::END;
    PROTO = "mbtcp", "Modbus/TCP", Protocol, None;
    TRANS_ID = "mbtcp.trans_id", "Transaction Identifier", U16, Dec;
    PROT_ID = "mbtcp.prot_id", "Protocol Identifier", U16, Dec;
    LEN = "mbtcp.len", "Length", U16, Dec;
    UNIT_ID = "mbtcp.unit_id", "Unit Identifier", U8, Dec;
    MODBUS = "modbus", "Modbus", Protocol, None;
    FUNC_CODE = "modbus.func_code", "Function Code", U8, Dec, mask = 0x7f;
    EXCEPTION_CODE = "modbus.exception_code", "Exception Code", U8, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

/// True when `d` (the start of a payload) passes tshark's check for Modbus/TCP.
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= 8 && d[2] == 0 && d[3] == 0 && u16::from_be_bytes([d[4], d[5]]) >= 2
}

/// Messages in `off..end` of a TCP payload (which passed [`looks_like`]).
/// `request` when the payload goes to the server's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool) -> Option<Deseg> {
    let len = |h: &[u8]| u16::from_be_bytes([h[4], h[5]]) as usize + 6;
    let mut first = true;
    crate::reasm::pdus(cx, b, off, end, 6, len, |cx, b, o, e| {
        let fc = b.u8(o + 7).filter(|_| o + 8 <= e);
        if fc.is_some_and(|f| f & 0x80 != 0) && o + 9 > e {
            // tshark reads an exception response's code before adding any item.
            return cx.bounds_error(o + 9, e);
        }
        if first {
            cx.proto(PROTO, "mbtcp", b.span_to(o, e));
            first = false;
        } else {
            cx.push_name("+mbtcp");
            cx.add(PROTO, crate::tree::Value::None, b.span_to(o, e));
        }
        let (Some(t), Some(p), Some(l)) = (b.be16(o), b.be16(o + 2), b.be16(o + 4)) else { return };
        cx.u(TRANS_ID, t, b.span(o, 2));
        cx.u(PROT_ID, p, b.span(o + 2, 2));
        cx.u(LEN, l, b.span(o + 4, 2));
        let Some(unit) = b.u8(o + 6).filter(|_| o + 7 <= e) else { return cx.bounds_error(o + 7, e) };
        cx.u(UNIT_ID, unit, b.span(o + 6, 1));
        if o + 7 >= e {
            return;
        }
        cx.proto(MODBUS, "modbus", b.span_to(o + 7, e));
        let Some(fc) = fc else { return cx.bounds_error(o + 8, e) };
        cx.u(FUNC_CODE, fc & 0x7f, b.span(o + 7, 1));
        if fc & 0x80 != 0 {
            if let Some(x) = b.u8(o + 8) {
                cx.u(EXCEPTION_CODE, x, b.span(o + 8, 1));
            }
            return;
        }
        // The fixed parts tshark reads of the functions whose shortness shows up: Mask
        // Write Register (reference, AND and OR masks), the request of Read Write Register
        // (two references and counts, a byte count).
        let need = match (fc, request) {
            (22, _) => 6,
            (23, true) => 9,
            _ => 0,
        };
        if o + 8 + need > e {
            cx.bounds_error(o + 8 + need, e);
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_check() {
        assert!(super::looks_like(&[0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1]));
        assert!(!super::looks_like(&[0, 1, 0, 1, 0, 6, 1, 3]));
        assert!(!super::looks_like(&[0, 1, 0, 0, 0, 1, 1, 3]));
        assert!(!super::looks_like(&[0, 1, 0, 0, 0, 6, 1]));
    }
}
