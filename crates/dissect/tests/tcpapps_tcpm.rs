//! TCP application protocols of the tcp-more work (YMSG, Diameter, TDS, MSNMS, ASAP), with
//! bytes written from their specifications: `frame.protocols`, the `io,phs` path where it
//! matters, and the main header fields.

mod support;
use support::{Conn, TCP};

/// A YMSG packet with `content` (service Keep Alive).
fn ymsg(content: &[u8]) -> Vec<u8> {
    let mut p = b"YMSG".to_vec();
    p.extend_from_slice(&[0, 12, 0, 0]);
    p.extend_from_slice(&(content.len() as u16).to_be_bytes());
    p.extend_from_slice(&[0, 138, 0, 0, 0, 0, 0xa1, 0x3a, 0x9a, 0x9d]);
    p.extend_from_slice(content);
    p
}

#[test]
fn ymsg_found_by_its_magic_and_reassembled() {
    let mut c = Conn::new(40200, 5050, &["ymsg.version", "ymsg.len", "ymsg.service", "ymsg.session_id"]);
    let p = ymsg(b"0\xc0\x80freforja\xc0\x80");
    let s = c.send(true, &p);
    assert_eq!(s.protocols, format!("{TCP}:ymsg"));
    assert_eq!(s.values, ["12", "13", "138", "0xa13a9a9d"]);
    // Two packets in one segment: one layer, two items.
    let mut two = ymsg(b"a");
    two.extend_from_slice(&ymsg(b"bc"));
    let s = c.send(true, &two);
    assert_eq!(s.protocols, format!("{TCP}:ymsg"));
    assert_eq!(s.path, ["eth", "ethertype", "ip", "tcp", "ymsg", "+ymsg"]);
    assert_eq!(s.values[1], "1,2");
    // A packet split after its header: nothing until the content arrives.
    let p = ymsg(b"0123456789");
    let s = c.send(true, &p[..20]);
    assert_eq!(s.protocols, TCP);
    let s = c.send(true, &p[20..]);
    assert_eq!(s.protocols, format!("{TCP}:ymsg"));
    assert_eq!(s.values[1], "10");
}

#[test]
fn diameter_messages_and_payloads_that_are_not() {
    let mut c =
        Conn::new(40201, 3868, &["diameter.cmd.code", "diameter.flags", "diameter.avp.code", "diameter.avp.len"]);
    // A Capabilities-Exchange request with one Origin-Host AVP (code 264, 8 + 5 bytes, padded).
    let mut m = vec![1, 0, 0, 36, 0x80, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1];
    m.extend_from_slice(&[0, 0, 1, 8, 0x40, 0, 0, 13, b'h', b'o', b's', b't', b'1', 0, 0, 0]);
    let s = c.send(true, &m);
    assert_eq!(s.protocols, format!("{TCP}:diameter"));
    assert_eq!(s.values, ["257", "0x80", "264", "13"]);
    // Not a Diameter header (version 0): the layer is named, the bytes are data, which
    // io,phs shows right under TCP.
    let s = c.send(false, &[0, 0, 0, 0, 0xfa, 0, 0xb6, 0x2b, 0xfa, 0xcb, 0x12, 0x38]);
    assert_eq!(s.protocols, format!("{TCP}:diameter:data"));
    assert_eq!(s.path, ["eth", "ethertype", "ip", "tcp", "nested.open", "diameter", "nested.close", "data"]);
}

#[test]
fn tds_login_with_ntlmssp_and_a_fragment() {
    let mut c = Conn::new(40202, 1433, &["tds.type", "tds.status", "tds.length", "ntlmssp.messagetype"]);
    // A TDS7 login whose SSPI data (at 94, 40 bytes) is an NTLMSSP negotiate message.
    let mut body = vec![0u8; 94];
    body[78..80].copy_from_slice(&94u16.to_le_bytes());
    body[80..82].copy_from_slice(&40u16.to_le_bytes());
    let mut token = b"NTLMSSP\0".to_vec();
    token.extend_from_slice(&1u32.to_le_bytes());
    token.extend_from_slice(&0x0200_0207u32.to_le_bytes());
    token.resize(40, 0);
    body.extend_from_slice(&token);
    let len = (8 + body.len()) as u16;
    let mut p = vec![16, 1];
    p.extend_from_slice(&len.to_be_bytes());
    p.extend_from_slice(&[0, 0, 1, 0]);
    p.extend_from_slice(&body);
    let s = c.send(true, &p);
    assert_eq!(s.protocols, format!("{TCP}:tds:ntlmssp"));
    assert_eq!(s.path, ["eth", "ethertype", "ip", "tcp", "tds", "nested.open", "ntlmssp", "nested.close"]);
    assert_eq!(&s.values[..3], ["16", "0x01", &len.to_string()]);
    // A packet that does not end its message: its body is data inside TDS's item.
    let mut p = vec![2, 0, 0, 24, 0, 0, 1, 0];
    p.extend_from_slice(&[0u8; 16]);
    let s = c.send(true, &p);
    assert_eq!(s.protocols, format!("{TCP}:tds:data"));
    assert_eq!(s.path, ["eth", "ethertype", "ip", "tcp", "tds", "nested.open", "data", "nested.close"]);
}

#[test]
fn tds_port_without_a_tds_header_is_data() {
    let mut c = Conn::new(40203, 1433, &["tds.type"]);
    let s = c.send(true, b"hello there, not tds");
    assert_eq!(s.protocols, format!("{TCP}:data"));
    assert_eq!(s.values, [""]);
}

#[test]
fn msnms_and_asap_by_port() {
    let mut c = Conn::new(40204, 1863, &[]);
    let s = c.send(true, b"PNG\r\n");
    assert_eq!(s.protocols, format!("{TCP}:msnms"));
    let mut c = Conn::new(40205, 3863, &["asap.message_type", "asap.message_length"]);
    // A length past the payload: malformed after the header.
    let s = c.send(true, &[170, 0, 0xbe, 0x72, 1, 2, 3, 4]);
    assert_eq!(s.protocols, format!("{TCP}:asap"));
    assert_eq!(s.values, ["170", "48754"]);
    assert_eq!(s.path.last(), Some(&"_ws.malformed"));
    // A whole message: no exception.
    let s = c.send(true, &[1, 0, 0, 8, 0, 0, 0, 0]);
    assert_eq!(s.path.last(), Some(&"asap"));
}
