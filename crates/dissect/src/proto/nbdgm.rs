//! NetBIOS Datagram Service (UDP port 138): the header (type, flags, datagram id, source
//! address and port), and for the datagram types that carry data, the length, offset and
//! the source and destination NetBIOS names. What the datagram carries is SMB: a mailslot
//! write (an SMB Trans request naming `\MAILSLOT\...`), handed by tshark to the Browser
//! protocol (`BROWSE`, `LANMAN`), the old Logon protocol (`NET\...`, `TEMP\NETLOGON`,
//! `MSSP`) or Data. Those protocols are not dissected here: only their protocol items
//! are added (by SMB's TRANSACTION, `proto::smb`), so that `frame.protocols` and `-z io,phs`
//! match tshark's.
crate::declare_fields! {
    after = super::nbns::END;
    PROTO = "nbdgm", "NetBIOS Datagram Service", Protocol, None;
    TYPE = "nbdgm.type", "Message Type", U8, Dec, blurb = "NBDGM message type";
    FLAGS = "nbdgm.flags", "Flags", U8, Hex;
    NEXT = "nbdgm.next", "More fragments follow", Boolean, None, mask = 0x01, tfs = ("Yes", "No"), blurb = "TRUE if more fragments follow";
    FIRST = "nbdgm.first", "This is first fragment", Boolean, None, mask = 0x02, tfs = ("Yes", "No"), blurb = "TRUE if first fragment";
    NODE_TYPE = "nbdgm.node_type", "Node Type", U8, Dec, mask = 0x0c;
    DGRAM_ID = "nbdgm.dgram_id", "Datagram ID", U16, Hex, blurb = "Datagram identifier";
    SRC_IP = "nbdgm.src.ip", "Source IP", Ipv4, None, blurb = "Source IPv4 address";
    SRC_PORT = "nbdgm.src.port", "Source Port", U16, Dec;
    DGRAM_LEN = "nbdgm.dgram_len", "Datagram length", U16, Dec;
    PKT_OFFSET = "nbdgm.pkt_offset", "Packet offset", U16, Dec;
    ERROR_CODE = "nbdgm.error_code", "Error code", U8, Hex;
    SOURCE_NAME = "nbdgm.source_name", "Source name", String, None;
    DESTINATION_NAME = "nbdgm.destination_name", "Destination name", String, None;
    MAILSLOT = "mailslot", "SMB MailSlot Protocol", Protocol, None;
    BROWSER = "browser", "Microsoft Windows Browser Protocol", Protocol, None;
    SMB_NETLOGON = "smb_netlogon", "Microsoft Windows Logon Protocol (Old)", Protocol, None;
}

use crate::cx::{Bytes, Cx};
use crate::proto::nbns;
use crate::tree::Value;

/// Reads the encoded NetBIOS name at `off` (`m` is the message) and adds it as `id`.
/// Returns where the name ends, or None when it is not all there.
fn name(
    cx: &mut Cx,
    b: &Bytes,
    m: &[u8],
    base: usize,
    off: usize,
    id: crate::field::FieldId,
    raw: &mut Vec<u8>,
) -> Option<usize> {
    let next = nbns::read_labels(m, off, raw)?;
    if cx.wants(id) {
        let s = match nbns::decode_name(raw) {
            Some((s, _)) => s,
            None => String::from_utf8_lossy(raw).into_owned(),
        };
        cx.add_str(id, &s, b.span(base + off, next - off));
    }
    Some(next)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "nbdgm", b.span_to(off, end));
    // tshark's `-e nbdgm` (and `-e mailslot`, ...) shows the protocol's abbreviation.
    cx.label(PROTO, || "nbdgm".into());
    let b = b.until(end);
    let m = &b.data[off.min(b.len())..];
    let sp = |o: usize, l: usize| b.span(off + o, l);
    let Some(t) = b.u8(off) else { return };
    cx.u(TYPE, t, sp(0, 1));
    let Some(flags) = b.u8(off + 1) else { return };
    cx.u(FLAGS, flags, sp(1, 1));
    cx.flag(NEXT, flags & 1 != 0, sp(1, 1));
    cx.flag(FIRST, flags & 2 != 0, sp(1, 1));
    cx.u(NODE_TYPE, (flags >> 2) & 3, sp(1, 1));
    let Some(id) = b.be16(off + 2) else { return };
    cx.u(DGRAM_ID, id, sp(2, 2));
    let Some(ip) = b.arr::<4>(off + 4) else { return };
    cx.add(SRC_IP, Value::Ipv4(ip), sp(4, 4));
    let Some(port) = b.be16(off + 8) else { return };
    cx.u(SRC_PORT, port, sp(8, 2));
    let mut raw = Vec::new();
    match t {
        0x10..=0x12 => {
            let Some(len) = b.be16(off + 10) else { return };
            cx.u(DGRAM_LEN, len, sp(10, 2));
            let Some(pkt_off) = b.be16(off + 12) else { return };
            cx.u(PKT_OFFSET, pkt_off, sp(12, 2));
            let Some(next) = name(cx, &b, m, off, 14, SOURCE_NAME, &mut raw) else { return };
            let Some(next) = name(cx, &b, m, off, next, DESTINATION_NAME, &mut raw) else { return };
            // The user data: SMB.
            if off + next < b.len() {
                smb(cx, &b, off + next);
            }
        }
        0x13 => {
            if let Some(code) = b.u8(off + 10) {
                cx.u(ERROR_CODE, code, sp(10, 1));
            }
        }
        0x14..=0x16 => {
            name(cx, &b, m, off, 10, DESTINATION_NAME, &mut raw);
        }
        _ => {}
    }
}

/// Which protocol tshark's mailslot dissector hands a mailslot's data to.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Mailslot {
    Browser,
    Netlogon,
    Other,
}

/// The mailslot a name (`\MAILSLOT\...`, as in an SMB Trans request) names, or None when it
/// is no mailslot.
pub fn mailslot(name: &[u8]) -> Option<Mailslot> {
    const PREFIX: &[u8] = b"\\MAILSLOT\\";
    if name.len() < PREFIX.len() || !name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let rest = &name[PREFIX.len()..];
    Some(if rest.starts_with(b"BROWSE") || rest.starts_with(b"LANMAN") {
        Mailslot::Browser
    } else if rest.starts_with(b"NET") || rest.starts_with(b"TEMP\\NETLOGON") || rest.starts_with(b"MSSP") {
        Mailslot::Netlogon
    } else {
        Mailslot::Other
    })
}

/// The SMB message at `s` (a mailslot write: SMB's TRANSACTION hands it to `mailslot` and
/// the protocol its name selects); what is not SMB is data.
fn smb(cx: &mut Cx, b: &Bytes, s: usize) {
    if b.data.get(s..s + 4) != Some(b"\xffSMB") {
        crate::proto::data::dissect(cx, *b, s, b.len());
        return;
    }
    let mut ntlm = crate::proto::ntlmssp::Pairing::default();
    crate::proto::smb::dissect(cx, *b, s, b.len(), None, &mut ntlm);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailslots() {
        assert_eq!(mailslot(b"\\MAILSLOT\\BROWSE"), Some(Mailslot::Browser));
        assert_eq!(mailslot(b"\\MAILSLOT\\LANMAN"), Some(Mailslot::Browser));
        assert_eq!(mailslot(b"\\MAILSLOT\\NET\\NETLOGON"), Some(Mailslot::Netlogon));
        assert_eq!(mailslot(b"\\MAILSLOT\\KMMailslot"), Some(Mailslot::Other));
        assert_eq!(mailslot(b"\\PIPE\\LANMAN"), None);
        assert_eq!(mailslot(b""), None);
    }
}
