//! Syslog (RFC 3164) on UDP port 514: the priority's facility and level, and the message.
crate::declare_fields! {
    after = super::mgcp::END;
    PROTO = "syslog", "Syslog message", Protocol, None;
    FACILITY = "syslog.facility", "Facility", U8, Dec, mask = 0x3f8;
    LEVEL = "syslog.level", "Level", U8, Dec, mask = 0x07;
    MSG = "syslog.msg", "Message", String, None;
}

use crate::cx::{Bytes, Cx};

/// The priority `<N>` at the start of `d` (up to three digits) and its length.
fn priority(d: &[u8]) -> Option<(u32, usize)> {
    if d.first() != Some(&b'<') {
        return None;
    }
    let digits = d[1..].iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || d.get(1 + digits) != Some(&b'>') {
        return None;
    }
    let n = std::str::from_utf8(&d[1..1 + digits]).ok()?.parse().ok()?;
    Some((n, digits + 2))
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    let Some(d) = b.data.get(off..end) else { return };
    cx.proto(PROTO, "syslog", b.span_to(off, end));
    let mut msg_off = 0;
    if let Some((pri, len)) = priority(d) {
        let sp = b.span(off + 1, len - 2);
        cx.u(FACILITY, (pri >> 3) as u8, sp);
        cx.u(LEVEL, (pri & 7) as u8, sp);
        msg_off = len;
    }
    let msg = &d[msg_off..];
    cx.add_ascii(MSG, msg, b.span(off + msg_off, msg.len()));
}

#[cfg(test)]
mod tests {
    #[test]
    fn priorities() {
        assert_eq!(super::priority(b"<4>Oct"), Some((4, 3)));
        assert_eq!(super::priority(b"<190>x"), Some((190, 5)));
        assert_eq!(super::priority(b"<1900>x"), None);
        assert_eq!(super::priority(b"<>x"), None);
        assert_eq!(super::priority(b"x"), None);
    }
}
