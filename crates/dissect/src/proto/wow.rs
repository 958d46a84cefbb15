//! World of Warcraft's authentication protocol (TCP port 3724): a command byte; the
//! client's logon challenge (command 0) carries a little-endian size at offset 2, the
//! server's realm list (command 0x10) at offset 1, and those are reassembled when they
//! span segments. Every other message is the segment it arrives in.
crate::declare_fields! {
    after = super::rpkirtr::END;
    PROTO = "wow", "World of Warcraft", Protocol, None;
    CMD = "wow.cmd", "Command", U8, Hex, vals = COMMANDS;
    ERROR = "wow.error", "Error", U8, Hex;
    PKT_SIZE = "wow.pkt_size", "Packet size", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

static COMMANDS: &[(u64, &str)] = &[
    (0x00, "Authentication Logon Challenge"),
    (0x01, "Authentication Logon Proof"),
    (0x02, "Authentication Reconnect Challenge"),
    (0x03, "Authentication Reconnect Proof"),
    (0x10, "Realm List"),
    (0x30, "Transfer Initiate"),
    (0x31, "Transfer Data"),
    (0x32, "Transfer Accept"),
    (0x33, "Transfer Resume"),
    (0x34, "Transfer Cancel"),
];

/// Where the size field of a message starting with `cmd` is, by direction.
fn size_at(cmd: u8, to_server: bool) -> Option<usize> {
    match (cmd, to_server) {
        (0x10, false) => Some(1),
        (0x00, true) => Some(2),
        _ => None,
    }
}

/// The payload `off..end`; `to_server` when it goes to port 3724.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, to_server: bool) -> Option<Deseg> {
    let Some(cmd) = b.u8(off) else {
        cx.proto(PROTO, "wow", b.span_to(off, end));
        cx.bounds_error(off + 1, end);
        return None;
    };
    match size_at(cmd, to_server) {
        Some(at) => {
            let len = move |h: &[u8]| u16::from_le_bytes([h[at], h[at + 1]]) as usize + at + 2;
            crate::proto::apps::pdu_items(cx, b, off, end, at + 2, len, (PROTO, "wow", "+wow"), |cx, b, o, _| {
                header(cx, b, o, to_server)
            })
        }
        None => {
            cx.proto(PROTO, "wow", b.span_to(off, end));
            header(cx, b, off, to_server);
            None
        }
    }
}

/// The command, and the size or error its first bytes hold.
fn header(cx: &mut Cx, b: Bytes, o: usize, to_server: bool) {
    let Some(cmd) = b.u8(o) else { return };
    cx.u(CMD, cmd, b.span(o, 1));
    if let Some(at) = size_at(cmd, to_server) {
        if cmd == 0x00 {
            if let Some(e) = b.u8(o + 1) {
                cx.u(ERROR, e, b.span(o + 1, 1));
            }
        }
        if let Some(s) = b.le16(o + at) {
            cx.u(PKT_SIZE, s, b.span(o + at, 2));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn size_by_direction() {
        assert_eq!(super::size_at(0x00, true), Some(2));
        assert_eq!(super::size_at(0x10, false), Some(1));
        assert_eq!(super::size_at(0x00, false), None);
        assert_eq!(super::size_at(0x01, true), None);
    }
}
