//! SDP (RFC 4566), the body of SIP and MGCP messages: its lines as tshark's fields, and the
//! RTP, RTCP and T.38 conversations its media descriptions announce (tshark's SDP dissector
//! sets them up for the addresses and ports of each `m=` line, as soon as it reads them).
crate::declare_fields! {
    after = super::sip::END;
    PROTO = "sdp", "Session Description Protocol", Protocol, None;
    VERSION = "sdp.version", "Session Description Protocol Version (v)", String, None;
    OWNER = "sdp.owner", "Owner/Creator, Session Id (o)", String, None;
    OWNER_USERNAME = "sdp.owner.username", "Owner Username", String, None;
    OWNER_SESSIONID = "sdp.owner.sessionid", "Session ID", String, None;
    OWNER_VERSION = "sdp.owner.version", "Session Version", String, None;
    OWNER_NETWORK_TYPE = "sdp.owner.network_type", "Owner Network Type", String, None;
    OWNER_ADDRESS_TYPE = "sdp.owner.address_type", "Owner Address Type", String, None;
    OWNER_ADDRESS = "sdp.owner.address", "Owner Address", String, None;
    SESSION_NAME = "sdp.session_name", "Session Name (s)", String, None;
    SESSION_INFO = "sdp.session_info", "Session Information (i)", String, None;
    URI = "sdp.uri", "URI of Description (u)", String, None;
    EMAIL = "sdp.email", "E-mail Address (e)", String, None;
    PHONE = "sdp.phone", "Phone Number (p)", String, None;
    CONNECTION_INFO = "sdp.connection_info", "Connection Information (c)", String, None;
    CONNECTION_NETWORK_TYPE = "sdp.connection_info.network_type", "Connection Network Type", String, None;
    CONNECTION_ADDRESS_TYPE = "sdp.connection_info.address_type", "Connection Address Type", String, None;
    CONNECTION_ADDRESS = "sdp.connection_info.address", "Connection Address", String, None;
    BANDWIDTH = "sdp.bandwidth", "Bandwidth Information (b)", String, None;
    TIMEZONE = "sdp.timezone", "Time Zone Adjustments (z)", String, None;
    ENCRYPTION_KEY = "sdp.encryption_key", "Encryption Key (k)", String, None;
    SESSION_ATTR = "sdp.session_attr", "Session Attribute (a)", String, None;
    SESSION_ATTR_FIELD = "sdp.session_attr.field", "Session Attribute Fieldname", String, None;
    MEDIA_ATTR = "sdp.media_attr", "Media Attribute (a)", String, None;
    MEDIA_ATTR_FIELD = "sdp.media_attribute.field", "Media Attribute Fieldname", String, None;
    TIME = "sdp.time", "Time Description, active time (t)", String, None;
    TIME_START = "sdp.time.start", "Session Start Time", String, None;
    TIME_STOP = "sdp.time.stop", "Session Stop Time", String, None;
    REPEAT_TIME = "sdp.repeat_time", "Repeat Time (r)", String, None;
    MEDIA = "sdp.media", "Media Description, name and address (m)", String, None;
    MEDIA_MEDIA = "sdp.media.media", "Media Type", String, None;
    MEDIA_PORT_STRING = "sdp.media.port_string", "Media Port", String, None;
    MEDIA_PORT = "sdp.media.port", "Media Port", U16, Dec;
    MEDIA_PROTO = "sdp.media.proto", "Media Protocol", String, None;
    MEDIA_TITLE = "sdp.media_title", "Media Title (i)", String, None;
    UNKNOWN = "sdp.unknown", "Unknown", String, None;
}

use crate::cx::{Bytes, Cx, NetAddr};
use crate::proto::rtp::Kind;

/// A media description being read: its port, transport and connection address.
struct Media {
    port: Option<u16>,
    proto: Vec<u8>,
    formats: Vec<u8>,
    addr: Option<NetAddr>,
    rtcp_mux: bool,
}

/// An endpoint a media description announces, and what it carries.
pub type Endpoint = (NetAddr, u16, Kind);

/// Reads the SDP body `off..end` (its own protocol layer); returns the endpoints its media
/// descriptions announce (for [`apply`]).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Vec<Endpoint> {
    let end = end.min(b.len());
    if off >= end {
        return Vec::new();
    }
    cx.proto(PROTO, "sdp", b.span_to(off, end));
    let mut session_addr: Option<NetAddr> = None;
    let mut medias: Vec<Media> = Vec::new();
    let mut pos = off;
    while pos < end {
        let line_end = memchr::memchr(b'\n', &b.data[pos..end]).map_or(end, |i| pos + i);
        let next = if line_end < end { line_end + 1 } else { end };
        let mut text_end = line_end;
        if text_end > pos && b.data[text_end - 1] == b'\r' {
            text_end -= 1;
        }
        let line = &b.data[pos..text_end];
        let sp = b.span(pos, text_end - pos);
        pos = next;
        if line.len() < 2 || line[1] != b'=' {
            continue;
        }
        let value = &line[2..];
        let vsp = b.span(sp.off as usize + 2, value.len());
        let in_media = !medias.is_empty();
        let field = match line[0] {
            b'v' => VERSION,
            b'o' => OWNER,
            b's' => SESSION_NAME,
            b'i' if in_media => MEDIA_TITLE,
            b'i' => SESSION_INFO,
            b'u' => URI,
            b'e' => EMAIL,
            b'p' => PHONE,
            b'c' => CONNECTION_INFO,
            b'b' => BANDWIDTH,
            b't' => TIME,
            b'r' => REPEAT_TIME,
            b'm' => MEDIA,
            b'k' => ENCRYPTION_KEY,
            b'a' if in_media => MEDIA_ATTR,
            b'a' => SESSION_ATTR,
            b'z' => TIMEZONE,
            _ => UNKNOWN,
        };
        cx.add_ascii(field, value, vsp);
        let words: Vec<&[u8]> = value.split(|&c| c == b' ').collect();
        let sub = |cx: &mut Cx, id, i: usize| {
            if let Some(w) = words.get(i) {
                let start = w.as_ptr() as usize - b.data.as_ptr() as usize;
                cx.add_ascii(id, w, b.span(start, w.len()));
            }
        };
        match line[0] {
            b'o' => {
                for (i, id) in [
                    OWNER_USERNAME,
                    OWNER_SESSIONID,
                    OWNER_VERSION,
                    OWNER_NETWORK_TYPE,
                    OWNER_ADDRESS_TYPE,
                    OWNER_ADDRESS,
                ]
                .into_iter()
                .enumerate()
                {
                    sub(cx, id, i);
                }
            }
            b'c' => {
                sub(cx, CONNECTION_NETWORK_TYPE, 0);
                sub(cx, CONNECTION_ADDRESS_TYPE, 1);
                sub(cx, CONNECTION_ADDRESS, 2);
                let addr = connection_address(&words);
                match medias.last_mut() {
                    Some(m) => m.addr = addr,
                    None => session_addr = addr,
                }
            }
            b't' => {
                sub(cx, TIME_START, 0);
                sub(cx, TIME_STOP, 1);
            }
            b'a' => {
                let name_len = value.iter().position(|&c| c == b':').unwrap_or(value.len());
                let id = if in_media { MEDIA_ATTR_FIELD } else { SESSION_ATTR_FIELD };
                cx.add_ascii(id, &value[..name_len], b.span(vsp.off as usize, name_len));
                if &value[..name_len] == b"rtcp-mux" {
                    if let Some(m) = medias.last_mut() {
                        m.rtcp_mux = true;
                    }
                }
            }
            b'm' => {
                sub(cx, MEDIA_MEDIA, 0);
                let port_word = words.get(1).copied().unwrap_or_default();
                let port_part = port_word.split(|&c| c == b'/').next().unwrap_or_default();
                sub(cx, MEDIA_PORT_STRING, 1);
                let port = std::str::from_utf8(port_part).ok().and_then(|s| s.parse::<u16>().ok());
                if let (Some(p), Some(w)) = (port, words.get(1)) {
                    let start = w.as_ptr() as usize - b.data.as_ptr() as usize;
                    cx.u(MEDIA_PORT, p, b.span(start, port_part.len()));
                }
                sub(cx, MEDIA_PROTO, 2);
                medias.push(Media {
                    port,
                    proto: words.get(2).map(|w| w.to_vec()).unwrap_or_default(),
                    formats: words.get(3).map(|w| w.to_vec()).unwrap_or_default(),
                    addr: None,
                    rtcp_mux: false,
                });
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for m in &medias {
        let (Some(port), Some(addr)) = (m.port, m.addr.or(session_addr)) else { continue };
        if port == 0 {
            continue;
        }
        let proto = String::from_utf8_lossy(&m.proto).to_ascii_uppercase();
        if proto.contains("RTP") {
            out.push((addr, port, Kind::Rtp));
            if !m.rtcp_mux && port < u16::MAX {
                out.push((addr, port + 1, Kind::Rtcp));
            }
        } else if proto == "UDPTL" && m.formats.eq_ignore_ascii_case(b"t38") {
            out.push((addr, port, Kind::T38));
        }
    }
    out
}

/// Sets up the conversations of `media` as announced in frame `frame`.
pub fn apply(cx: &mut Cx, media: &[Endpoint], frame: u32, setup: &'static str) {
    if cx.in_error {
        return;
    }
    for &(addr, port, kind) in media {
        crate::proto::rtp::announce(cx, addr, port, kind, frame, setup);
    }
}

/// The address of a `c=` line (`IN IP4 a.b.c.d[/ttl]` or `IN IP6 ...`).
fn connection_address(words: &[&[u8]]) -> Option<NetAddr> {
    let (Some(&kind), Some(&addr)) = (words.get(1), words.get(2)) else { return None };
    let text = std::str::from_utf8(addr.split(|&c| c == b'/').next()?).ok()?;
    match kind {
        b"IP4" => text.parse::<std::net::Ipv4Addr>().ok().map(|a| NetAddr::v4(a.octets())),
        b"IP6" => text.parse::<std::net::Ipv6Addr>().ok().map(|a| NetAddr::v6(a.octets())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_addresses() {
        let w: Vec<&[u8]> = vec![b"IN", b"IP4", b"10.0.0.1/127"];
        assert_eq!(connection_address(&w), Some(NetAddr::v4([10, 0, 0, 1])));
        let w: Vec<&[u8]> = vec![b"IN", b"IP4", b"host.example"];
        assert_eq!(connection_address(&w), None);
        let w: Vec<&[u8]> = vec![b"IN"];
        assert_eq!(connection_address(&w), None);
    }
}
