//! TCP application protocols found by port: MQTT, PostgreSQL, BGP, SSH, Telnet and SOCKS,
//! with bytes written from their specifications. Each test follows one connection and
//! checks `frame.protocols`, the path `io,phs` reads, and the main header fields.

mod support;
use support::{Conn, TCP};

#[test]
fn mqtt_packets_in_one_segment_and_across_two() {
    let mut c = Conn::new(40000, 1883, &["mqtt.msgtype", "mqtt.len", "mqtt.qos"]);
    // PINGREQ (0xc0, remaining length 0) and a PUBLISH at QoS 1 (0x32) of topic "a/b",
    // packet identifier 7 and payload "hi": 2 + 3 + 2 + 2 = 9 bytes remaining.
    let publish = b"\x32\x09\x00\x03a/b\x00\x07hi";
    let mut seg = b"\xc0\x00".to_vec();
    seg.extend_from_slice(publish);
    let s = c.send(true, &seg);
    assert_eq!(s.protocols, format!("{TCP}:mqtt"));
    assert_eq!(s.path, ["eth", "ethertype", "ip", "tcp", "mqtt", "+mqtt"]);
    assert_eq!(s.values, ["12,3", "0,9", "1"]);
    // A PUBLISH split after its fourth byte: nothing until the segment that completes it.
    let s = c.send(true, &publish[..4]);
    assert_eq!(s.protocols, TCP);
    let s = c.send(true, &publish[4..]);
    assert_eq!(s.protocols, format!("{TCP}:mqtt"));
    assert_eq!(s.values[0], "3");
    // A remaining length of 128 takes two bytes (0x80 0x01).
    let mut big = b"\x30\x80\x01\x00\x01t".to_vec();
    big.resize(3 + 128, b'x');
    let s = c.send(true, &big);
    assert_eq!(s.values[1], "128");
}

#[test]
fn pgsql_startup_and_backend_messages() {
    let mut c = Conn::new(40001, 5432, &["pgsql.type", "pgsql.length", "pgsql.frontend"]);
    // StartupMessage: length 23, protocol 3.0, "user\0bob\0" and the closing NUL.
    let mut startup = vec![0, 0, 0, 23, 0, 3, 0, 0];
    startup.extend_from_slice(b"user\0bob\0\0");
    assert_eq!(startup.len(), 18);
    startup.splice(0..4, 18u32.to_be_bytes());
    let s = c.send(true, &startup);
    assert_eq!(s.protocols, format!("{TCP}:pgsql"));
    assert_eq!(s.values, ["Startup message", "18", "1"]);
    // AuthenticationOk ('R', length 8, 0) then ReadyForQuery ('Z', length 5, 'I').
    let s = c.send(false, b"R\x00\x00\x00\x08\x00\x00\x00\x00Z\x00\x00\x00\x05I");
    assert_eq!(s.protocols, format!("{TCP}:pgsql"));
    assert_eq!(s.values, ["Authentication request,Ready for query", "8,5", "0,0"]);
    assert_eq!(s.path.iter().filter(|p| p.ends_with("pgsql")).count(), 2);
}

#[test]
fn bgp_messages() {
    let mut c = Conn::new(40002, 179, &["bgp.type", "bgp.length"]);
    let header = |len: u16, t: u8| {
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&len.to_be_bytes());
        m.push(t);
        m
    };
    // OPEN: version 4, AS 65001, hold time 180, BGP identifier 10.0.0.1, no options.
    let mut open = header(29, 1);
    open.extend_from_slice(&[4, 0xfd, 0xe9, 0, 180, 10, 0, 0, 1, 0]);
    let s = c.send(true, &open);
    assert_eq!(s.protocols, format!("{TCP}:bgp"));
    assert_eq!(s.values, ["1", "29"]);
    // Two KEEPALIVEs in one segment: one layer, two items.
    let mut two = header(19, 4);
    two.extend_from_slice(&header(19, 4));
    let s = c.send(false, &two);
    assert_eq!(s.protocols, format!("{TCP}:bgp"));
    assert_eq!(s.values, ["4,4", "19,19"]);
    assert_eq!(s.path.last(), Some(&"+bgp"));
}

#[test]
fn ssh_version_lines_key_exchange_then_encrypted() {
    let mut c =
        Conn::new(40003, 22, &["ssh.protocol", "ssh.message_code", "ssh.packet_length", "ssh.encrypted_packet"]);
    let s = c.send(true, b"SSH-2.0-client_1.0\r\n");
    assert_eq!(s.protocols, format!("{TCP}:ssh"));
    assert_eq!(s.values[0], "SSH-2.0-client_1.0");
    let s = c.send(false, b"SSH-2.0-server_2.0\r\n");
    assert_eq!(s.values[0], "SSH-2.0-server_2.0");
    // A KEXINIT (code 20) of packet length 28 split over two segments.
    let mut kexinit = vec![0, 0, 0, 28, 4, 20];
    kexinit.resize(32, 0);
    let s = c.send(true, &kexinit[..10]);
    assert_eq!(s.protocols, TCP);
    let s = c.send(true, &kexinit[10..]);
    assert_eq!(s.protocols, format!("{TCP}:ssh"));
    assert_eq!(s.values[1..3], ["20".to_string(), "28".to_string()]);
    // NEWKEYS (code 21, packet length 12) from the client; its next packet is encrypted.
    let mut newkeys = vec![0, 0, 0, 12, 10, 21];
    newkeys.resize(16, 0);
    let s = c.send(true, &newkeys);
    assert_eq!(s.values[1], "21");
    let s = c.send(true, &[0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]);
    assert_eq!(s.protocols, format!("{TCP}:ssh"));
    assert_eq!(s.values[1], "");
    assert_eq!(s.values[3], "deadbeef01020304");
    // The server has not sent NEWKEYS: its packets are still read.
    let s = c.send(false, &newkeys);
    assert_eq!(s.values[1], "21");
}

#[test]
fn ssh_seen_mid_connection_is_encrypted() {
    let mut c = Conn::new(40004, 22, &["ssh.encrypted_packet", "ssh.packet_length"]);
    let s = c.send(false, &[0, 0, 0x10, 0, 9, 9, 9, 9]);
    assert_eq!(s.protocols, format!("{TCP}:ssh"));
    assert_eq!(s.values, ["0000100009090909", ""]);
}

#[test]
fn telnet_commands_and_lines() {
    let mut c = Conn::new(40005, 23, &["telnet.cmd", "telnet.subcmd", "telnet.data"]);
    // IAC WILL ECHO, IAC DO SUPPRESS-GO-AHEAD.
    let s = c.send(false, b"\xff\xfb\x01\xff\xfd\x03");
    assert_eq!(s.protocols, format!("{TCP}:telnet"));
    assert_eq!(s.values, ["251,253", "1,3", ""]);
    let s = c.send(false, b"\r\nlogin: ");
    assert_eq!(s.values, ["", "", "\\r\\n,login: "]);
}

#[test]
fn socks5_connect_then_proxied_http() {
    let mut c = Conn::new(40006, 1080, &["socks.version", "socks.command", "socks.port", "http.request.method"]);
    // Greeting: version 5, one method, no authentication.
    let s = c.send(true, b"\x05\x01\x00");
    assert_eq!(s.protocols, format!("{TCP}:socks"));
    assert_eq!(s.values[0], "5");
    let s = c.send(false, b"\x05\x00");
    assert_eq!(s.protocols, format!("{TCP}:socks"));
    // CONNECT to the domain "example.org", port 80.
    let mut cmd = b"\x05\x01\x00\x03\x0bexample.org".to_vec();
    cmd.extend_from_slice(&80u16.to_be_bytes());
    let s = c.send(true, &cmd);
    assert_eq!(s.values[1..3], ["1".to_string(), "80".to_string()]);
    // Reply: succeeded, bound to 10.0.0.2:1080.
    let s = c.send(false, b"\x05\x00\x00\x01\x0a\x00\x00\x02\x04\x38");
    assert_eq!(s.protocols, format!("{TCP}:socks"));
    // The proxied connection, as if on port 80: an HTTP request split over two segments
    // shows socks in both, HTTP in the second.
    let s = c.send(true, b"GET / HTTP/1.1\r\nHost: exa");
    assert_eq!(s.protocols, format!("{TCP}:socks"));
    let s = c.send(true, b"mple.org\r\n\r\n");
    assert_eq!(s.protocols, format!("{TCP}:socks:http"));
    assert_eq!(s.values[3], "GET");
}

#[test]
fn socks4_connect() {
    let mut c = Conn::new(40007, 1080, &["socks.version", "socks.command", "socks.dstport", "socks.dst"]);
    // Version 4, CONNECT, port 25, 192.0.2.7, empty user id.
    let s = c.send(true, b"\x04\x01\x00\x19\xc0\x00\x02\x07\x00");
    assert_eq!(s.values, ["4", "1", "25", "192.0.2.7"]);
    // Granted (90).
    let s = c.send(false, b"\x00\x5a\x00\x19\xc0\x00\x02\x07");
    assert_eq!(s.protocols, format!("{TCP}:socks"));
    // The SMTP server's greeting through the proxy.
    let s = c.send(false, b"220 mail.example ESMTP\r\n");
    assert_eq!(s.protocols, format!("{TCP}:socks:smtp"));
}
