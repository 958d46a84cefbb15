//! More TCP application protocols found by port (Gryphon, Netsync, TPM, Modbus/TCP,
//! TPKT/COTP/S7, TNS, WoW, Kafka, PCP) and the PROXY heuristic, with bytes written from
//! their specifications. Each test checks `frame.protocols`, the `io,phs` path where it
//! matters, and the main header fields.

mod support;
use support::{Conn, TCP};

#[test]
fn gryphon_messages_padded_to_four_bytes() {
    let mut c = Conn::new(40100, 7000, &["gryphon.src", "gryphon.data_length", "gryphon.type"]);
    // A command request with 5 data bytes (padded to 8), then a response with 4.
    let mut seg = vec![3, 0, 2, 0, 0, 5, 1, 0, 1, 2, 3, 4, 5, 0, 0, 0];
    seg.extend_from_slice(&[2, 0, 3, 0, 0, 4, 2, 0, 9, 9, 9, 9]);
    let s = c.send(true, &seg);
    assert_eq!(s.protocols, format!("{TCP}:gryphon"));
    assert_eq!(s.path, ["eth", "ethertype", "ip", "tcp", "gryphon", "+gryphon"]);
    assert_eq!(s.values, ["0x03,0x02", "5,4", "1,2"]);
    // A header split from its data: nothing until the data arrives.
    let s = c.send(true, &[3, 0, 2, 0, 0, 4, 1, 0]);
    assert_eq!(s.protocols, TCP);
    let s = c.send(true, &[7, 7, 7, 7]);
    assert_eq!(s.protocols, format!("{TCP}:gryphon"));
}

#[test]
fn netsync_commands_with_uleb128_sizes() {
    let mut c = Conn::new(40101, 5253, &["netsync.command", "netsync.size", "netsync.checksum"]);
    // Version 4, Bye (1), size 0, checksum; then Refine (6) with 130 data bytes (0x82 0x01).
    let mut seg = vec![4, 1, 0, 0xde, 0xad, 0xbe, 0xef];
    seg.extend_from_slice(&[4, 6, 0x82, 0x01]);
    seg.extend_from_slice(&[0u8; 130]);
    seg.extend_from_slice(&[0, 0, 0, 1]);
    let s = c.send(true, &seg);
    assert_eq!(s.protocols, format!("{TCP}:netsync"));
    assert_eq!(s.values, ["0x01,0x06", "0,130", "0xdeadbeef,0x00000001"]);
}

#[test]
fn tpm_platform_and_tpm_commands() {
    let mut c = Conn::new(40102, 2321, &["tpm.platform_req.cc", "tpm.req.cc", "tpm.resp.rc"]);
    let s = c.send(true, &[0, 0, 0, 1]);
    assert_eq!(s.protocols, format!("{TCP}:tpm"));
    assert_eq!(s.values, ["0x00000001", "", ""]);
    // TPM2_Startup: tag 0x8001, size 12, command code 0x144, startup type.
    let s = c.send(true, &[0x80, 1, 0, 0, 0, 12, 0, 0, 1, 0x44, 0, 0]);
    assert_eq!(s.values, ["", "0x00000144", ""]);
    let s = c.send(false, &[0x80, 1, 0, 0, 0, 10, 0, 0, 1, 0]);
    assert_eq!(s.values, ["", "", "0x00000100"]);
}

#[test]
fn modbus_tcp_and_its_checks() {
    let mut c = Conn::new(40103, 502, &["mbtcp.trans_id", "mbtcp.len", "modbus.func_code"]);
    // Read Holding Registers: reference 0, count 1.
    let s = c.send(true, &[0, 7, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1]);
    assert_eq!(s.protocols, format!("{TCP}:mbtcp:modbus"));
    assert_eq!(s.values, ["7", "6", "3"]);
    // A protocol id other than 0 is not Modbus/TCP.
    let s = c.send(true, &[0, 8, 0, 1, 0, 6, 1, 3, 0, 0, 0, 1]);
    assert_eq!(s.protocols, format!("{TCP}:data"));
    // An exception response without its code: malformed before any item.
    let s = c.send(false, &[0, 7, 0, 0, 0, 2, 1, 0x83]);
    assert_eq!(s.protocols, TCP);
    assert_eq!(s.path.last(), Some(&"_ws.malformed"));
}

#[test]
fn tpkt_cotp_and_s7comm() {
    let mut c = Conn::new(40104, 102, &["tpkt.length", "cotp.type", "s7comm.header.rosctr"]);
    // COTP Connect Request.
    let s = c.send(true, &[3, 0, 0, 11, 6, 0xe0, 0, 0, 0, 1, 0]);
    assert_eq!(s.protocols, format!("{TCP}:tpkt:cotp"));
    assert_eq!(s.values, ["11", "0x0e", ""]);
    // An empty DT without EOT, then a DT with EOT carrying an S7 job: the second ends a
    // COTP reassembly.
    let s = c.send(true, &[3, 0, 0, 7, 2, 0xf0, 0]);
    assert_eq!(s.protocols, format!("{TCP}:tpkt:cotp"));
    let s = c.send(true, &[3, 0, 0, 17, 2, 0xf0, 0x80, 0x32, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(s.protocols, format!("{TCP}:tpkt:cotp:s7comm"));
    assert_eq!(s.values[2], "1");
    assert!(s.path.contains(&"~cotp.segments"));
    // Data that is not S7 (too short) is data.
    let s = c.send(true, &[3, 0, 0, 8, 2, 0xf0, 0x80, 0x32]);
    assert_eq!(s.protocols, format!("{TCP}:tpkt:cotp:data"));
}

#[test]
fn tns_packets() {
    let mut c = Conn::new(40105, 1521, &["tns.type", "tns.length"]);
    // Resend (11), header only.
    let s = c.send(false, &[0, 8, 0, 0, 11, 0, 0, 0]);
    assert_eq!(s.protocols, format!("{TCP}:tns"));
    assert_eq!(s.values, ["11", "8"]);
    // Data (6) with flags and a body: data inside the TNS item (not in io,phs).
    let s = c.send(true, &[0, 13, 0, 0, 6, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33]);
    assert_eq!(s.protocols, format!("{TCP}:tns:data"));
    assert!(s.path.contains(&"nested.open"));
    // An unknown type is not TNS.
    let s = c.send(true, &[0, 8, 0, 0, 0x40, 0, 0, 0]);
    assert_eq!(s.protocols, format!("{TCP}:data"));
}

#[test]
fn proxy_v1_before_tls() {
    let mut c = Conn::new(40106, 443, &["proxy.srcport", "proxy.dstport", "proxy.v1.proto"]);
    let mut seg = b"PROXY TCP4 10.1.1.1 10.2.2.2 52176 443\r\n".to_vec();
    // A TLS alert record.
    seg.extend_from_slice(&[0x15, 3, 3, 0, 2, 2, 40]);
    let s = c.send(true, &seg);
    assert_eq!(s.protocols, format!("{TCP}:proxy:tls"));
    assert_eq!(s.values, ["52176", "443", "TCP4"]);
}

#[test]
fn wow_and_kafka_and_pcp() {
    let mut c = Conn::new(40107, 3724, &["wow.cmd"]);
    let s = c.send(false, &[0x30, 1, 2, 3]);
    assert_eq!(s.protocols, format!("{TCP}:wow"));
    assert_eq!(s.values, ["0x30"]);
    let mut k = Conn::new(40108, 9092, &["kafka.request_key", "kafka.correlation_id"]);
    // ApiVersions request (key 18, version 0, correlation id 5, client id "a").
    let s = k.send(true, &[0, 0, 0, 11, 0, 18, 0, 0, 0, 0, 0, 5, 0, 1, b'a']);
    assert_eq!(s.protocols, format!("{TCP}:kafka"));
    assert_eq!(s.values, ["18", "5"]);
    let mut p = Conn::new(40109, 44321, &["pcp.type", "pcp.length"]);
    let s = p.send(false, &[0, 0, 0, 12, 0, 0, 0x70, 0, 0, 0, 0, 0]);
    assert_eq!(s.protocols, format!("{TCP}:pcp"));
    assert_eq!(s.values, ["0x00007000", "12"]);
}
