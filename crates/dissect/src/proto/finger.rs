//! Finger (RFC 742, TCP port 79): the client's query is one line, collected until it ends in
//! CR LF; the server's response is everything up to the connection's FIN (tshark reassembles
//! it until then, unless the segment itself carries the FIN). The whole text is one field.
crate::declare_fields! {
    after = super::websocket::END;
    PROTO = "finger", "finger", Protocol, None;
    QUERY = "finger.query", "Query", String, None;
    RESPONSE = "finger.response", "Response", String, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::Buf;

/// The port a query goes to.
pub const PORT: u16 = 79;

/// Whether a query `d` is complete (it ends in CR LF).
fn query_done(d: &[u8]) -> bool {
    d.ends_with(b"\r\n")
}

/// A payload `off..end` (a segment or data TCP collected); `query` when it goes to port 79.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, query: bool) -> Option<Deseg> {
    let cap_end = end.min(b.len());
    let d = b.data.get(off..cap_end).unwrap_or(&[]);
    let whole = cap_end >= end;
    if query {
        if whole && !query_done(d) {
            return Deseg::new(0, Need::OneMoreSegment);
        }
    } else if whole && !(cx.seg_fin || cx.until_fin || b.buf == Buf::Stream) {
        return Deseg::new(0, Need::UntilFin);
    }
    let sp = b.span_to(off, end);
    cx.proto(PROTO, "finger", sp);
    cx.add_ascii(if query { QUERY } else { RESPONSE }, d, sp);
    None
}

#[cfg(test)]
mod tests {
    use super::query_done;

    #[test]
    fn query_needs_crlf() {
        assert!(query_done(b"julien\r\n"));
        assert!(query_done(b"\r\n"));
        assert!(!query_done(b"julien\n"));
        assert!(!query_done(b"julien"));
        assert!(!query_done(b"\r"));
        assert!(!query_done(b""));
    }
}
