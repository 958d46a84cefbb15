//! XMPP (TCP port 5222): tshark collects segments until the data's last character that is
//! not blank is '>' (a byte above 0x7f counts as blank: tshark compares a signed char),
//! then shows XMPP with the XML inside its item. The XML elements are not dissected, so a
//! STARTTLS `<proceed/>` does not switch the connection to TLS here.
crate::declare_fields! {
    after = super::ajp13::END;
    PROTO = "xmpp", "XMPP Protocol", Protocol, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};

/// Whether `d` is complete for tshark: its last character above blank is '>'.
fn complete(d: &[u8]) -> bool {
    let Some(mut i) = d.len().checked_sub(1) else { return true };
    while (d[i] as i8) <= b' ' as i8 && i > 0 {
        i -= 1;
    }
    d[i] == b'>'
}

/// A payload `off..end` (a segment or data TCP collected).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let cap_end = end.min(b.len());
    if cap_end < end {
        // tshark reads the last byte first: not captured, the exception ends it.
        cx.nested(|cx| cx.push_name("xmpp"));
        cx.bounds_error(end, end);
        return None;
    }
    let d = b.data.get(off..cap_end).unwrap_or(&[]);
    if !complete(d) {
        return Deseg::new(0, Need::OneMoreSegment);
    }
    let sp = b.span_to(off, end);
    cx.proto(PROTO, "xmpp", sp);
    cx.nested(|cx| cx.proto(crate::proto::media::XML, "xml", sp));
    None
}

#[cfg(test)]
mod tests {
    use super::complete;

    #[test]
    fn last_character() {
        assert!(complete(b"<stream:stream>"));
        assert!(complete(b"<a/>\r\n "));
        assert!(!complete(b"<a"));
        // Bytes above 0x7f are skipped like blanks.
        assert!(complete(b"<a>\x87\x02\xcf"));
        assert!(!complete(b"\x87\x02\xcf"));
        assert!(!complete(b" "));
        assert!(complete(b""));
    }
}
