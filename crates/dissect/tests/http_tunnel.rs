//! TLS behind an HTTP proxy's CONNECT: once the proxy answered 200, tshark hands what
//! follows on the connection to TLS. A command that wants only TLS fields reads the HTTP
//! messages no further than what decides that switch, and must find the same as a command
//! that dissects every layer.

mod support;
use support::Conn;

const FIELDS: &[&str] = &["tls.handshake.type", "tls.handshake.extensions_server_name"];

/// A TLS 1.2 record holding a ClientHello that names `host`.
fn client_hello(host: &str) -> Vec<u8> {
    let name = host.as_bytes();
    let mut sni = vec![0, 0]; // server_name
    let list_len = name.len() + 3;
    sni.extend_from_slice(&((list_len + 2) as u16).to_be_bytes());
    sni.extend_from_slice(&(list_len as u16).to_be_bytes());
    sni.push(0); // host_name
    sni.extend_from_slice(&(name.len() as u16).to_be_bytes());
    sni.extend_from_slice(name);
    let mut body = vec![3, 3];
    body.extend_from_slice(&[7; 32]); // random
    body.push(0); // session id
    body.extend_from_slice(&[0, 2, 0x13, 0x01]); // one cipher suite
    body.extend_from_slice(&[1, 0]); // null compression
    body.extend_from_slice(&(sni.len() as u16).to_be_bytes());
    body.extend_from_slice(&sni);
    let mut hs = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, 3, 1];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

/// What the ClientHello sent after a CONNECT answered with `answer` shows, for a command
/// wanting only TLS fields and for one that dissects every layer (`frame.protocols`).
fn after_connect(answer: &str) -> [Vec<String>; 2] {
    [Conn::without_protocols(40000, 3128, FIELDS), Conn::new(40000, 3128, FIELDS)].map(|mut c| {
        c.send(true, b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
        c.send(false, answer.as_bytes());
        c.send(true, &client_hello("example.org")).values
    })
}

#[test]
fn tls_behind_an_answered_connect_is_found_without_reading_http_fields() {
    let [tls_only, every_layer] = after_connect("HTTP/1.1 200 Connection established\r\n\r\n");
    assert_eq!(tls_only, ["1", "example.org"]);
    assert_eq!(tls_only, every_layer);
}

#[test]
fn a_refused_connect_leaves_the_connection_to_http() {
    let [tls_only, every_layer] = after_connect("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(tls_only, ["", ""]);
    assert_eq!(tls_only, every_layer);
}
