//! Lexer/parser, error-message and evaluation tests. Expected error texts were observed
//! with tshark 4.0.17 (`tshark -n -r http.pcap -Y EXPR`).

use pcaptk_dissect::tree::{Buf, Item, Span, Tree, Value};
use pcaptk_dissect::{lookup, FieldId};

use crate::lexer::{CmpOp, Lexer, Tok};
use crate::parser::{parse, Expr};
use crate::Filter;

fn id(name: &str) -> FieldId {
    lookup(name).unwrap_or_else(|| panic!("no field {name}"))
}

fn tokens(s: &str) -> Vec<Tok> {
    let mut lx = Lexer::new(s);
    let mut v = Vec::new();
    loop {
        let t = lx.next_token().unwrap();
        if t.tok == Tok::Eof {
            return v;
        }
        v.push(t.tok);
    }
}

fn texts(s: &str) -> Vec<String> {
    let mut lx = Lexer::new(s);
    let mut v = Vec::new();
    loop {
        let t = lx.next_token().unwrap();
        if t.tok == Tok::Eof {
            return v;
        }
        v.push(lx.text(&t).to_string());
    }
}

// ---------------------------------------------------------------- lexer

#[test]
fn lex_operators() {
    use CmpOp::*;
    assert_eq!(
        tokens("== eq any_eq != ne all_ne === all_eq !== any_ne ~= > gt >= ge < lt <= le"),
        vec![
            Tok::Cmp(AnyEq), Tok::Cmp(AnyEq), Tok::Cmp(AnyEq), Tok::Cmp(AllNe), Tok::Cmp(AllNe), Tok::Cmp(AllNe),
            Tok::Cmp(AllEq), Tok::Cmp(AllEq), Tok::Cmp(AnyNe), Tok::Cmp(AnyNe), Tok::Cmp(AnyNe),
            Tok::Cmp(Gt), Tok::Cmp(Gt), Tok::Cmp(Ge), Tok::Cmp(Ge), Tok::Cmp(Lt), Tok::Cmp(Lt), Tok::Cmp(Le), Tok::Cmp(Le),
        ]
    );
    assert_eq!(
        tokens("contains matches ~ ! not && and || or in any all & bitwise_and + - * / % ( ) { } , .."),
        vec![
            Tok::Contains, Tok::Matches, Tok::Matches, Tok::Not, Tok::Not, Tok::And, Tok::And, Tok::Or, Tok::Or, Tok::In,
            Tok::Any, Tok::All, Tok::BitAnd, Tok::BitAnd, Tok::Plus, Tok::Minus, Tok::Star, Tok::Slash, Tok::Percent,
            Tok::LParen, Tok::RParen, Tok::LBrace, Tok::RBrace, Tok::Comma, Tok::DotDot,
        ]
    );
}

#[test]
fn lex_words_and_literals() {
    assert_eq!(texts("tcp.port==80"), ["tcp.port", "==", "80"]);
    assert_eq!(texts("tcp.srcport-1==7999"), ["tcp.srcport-1", "==", "7999"]);
    assert_eq!(texts("tcp.srcport+1"), ["tcp.srcport", "+", "1"]);
    assert_eq!(texts("1..2"), ["1", "..", "2"]);
    assert_eq!(texts("1:2"), ["1", ":2"]);
    assert_eq!(texts("eth:ethertype"), ["eth", ":e", "thertype"]);
    assert_eq!(texts("00:11:22:33:44:55"), ["00:11:22:33:44:55"]);
    assert_eq!(texts("10.0.0.0/8 fe80::1/64 ::1"), ["10.0.0.0/8", "fe80::1/64", "::1"]);
    assert_eq!(tokens("1.2.3.4")[0], Tok::Literal);
    assert_eq!(tokens("aa.bb.cc")[0], Tok::Unparsed);
    assert_eq!(tokens("android")[0], Tok::Unparsed);
    assert_eq!(tokens(".tcp")[0], Tok::DotField);
    assert_eq!(tokens(r#""a\x41\101\n\"\\""#)[0], Tok::Str(b"aAA\n\"\\".to_vec()));
    assert_eq!(tokens(r#"r"SSH-2\.0\"""#)[0], Tok::Str(br#"SSH-2\.0\""#.to_vec()));
    assert_eq!(tokens(r#""\u00e9""#)[0], Tok::Str("é".as_bytes().to_vec()));
    assert_eq!(tokens("'x'")[0], Tok::CharConst(b'x' as u64));
    assert_eq!(tokens(r"'\n'")[0], Tok::CharConst(10));
    assert_eq!(tokens(r"'\x41'")[0], Tok::CharConst(0x41));
    assert_eq!(tokens(r"'\101'")[0], Tok::CharConst(0o101));
    assert_eq!(texts("frame[0:2, 4-5]"), ["frame", "[", "0:2", ",", " 4-5", "]"]);
    assert_eq!(texts("ip.addr#2 == 1.2.3.4"), ["ip.addr", "#", "2", "==", "1.2.3.4"]);
}

// ---------------------------------------------------------------- parser

#[test]
fn precedence() {
    // `and` binds tighter than `or`.
    let e = parse("tcp or udp and ip").unwrap().unwrap();
    assert!(matches!(e, Expr::Or(ref v) if matches!(v[1], Expr::And(..))));
    let e = parse("tcp and udp or ip").unwrap().unwrap();
    assert!(matches!(e, Expr::Or(ref v) if matches!(v[0], Expr::And(..))));
    let e = parse("tcp and udp and ip or eth or frame").unwrap().unwrap();
    assert!(matches!(e, Expr::Or(ref v) if v.len() == 3 && matches!(v[0], Expr::And(ref w) if w.len() == 3)));
    // `not` binds tightest and applies to a whole relation.
    let e = parse("not tcp.port == 80 and udp").unwrap().unwrap();
    assert!(matches!(e, Expr::And(ref v) if matches!(v[0], Expr::Not(ref c) if matches!(**c, Expr::Cmp{..}))));
    let e = parse("!(tcp or udp)").unwrap().unwrap();
    assert!(matches!(e, Expr::Not(ref c) if matches!(**c, Expr::Or(..))));
    // Arithmetic: & lowest, then + -, then * / %.
    use crate::parser::{Arith, ArithOp};
    let e = parse("frame.len & 1 + 2 * 3 == 1").unwrap().unwrap();
    let Expr::Cmp { lhs, .. } = e else { panic!() };
    let Arith::Bin(ArithOp::BitAnd, _, r, _) = lhs else { panic!("{lhs:?}") };
    let Arith::Bin(ArithOp::Add, _, m, _) = *r else { panic!() };
    assert!(matches!(*m, Arith::Bin(ArithOp::Mul, ..)));
    // Chained comparisons become conjunctions.
    assert!(matches!(parse("1 < frame.len < 3").unwrap().unwrap(), Expr::And(..)));
    assert!(parse("   ").unwrap().is_none());
}

#[test]
fn accepted_syntax() {
    for f in [
        "tcp", "tcp.port", "!tcp", "not tcp", "tcp && udp", "tcp || udp", "(tcp or udp) and ip",
        "tcp.port == 80", "tcp.port eq 80", "tcp.port != 80", "tcp.port === 80", "tcp.port !== 80", "tcp.port ~= 80",
        "tcp.port > 80", "tcp.port ge 80", "tcp.port < 80", "tcp.port le 80",
        "tcp.port in {80, 443, 8000..8080}", "tcp.port not in {80}", "tcp.port in {80 .. 90}",
        "tcp.flags & 0x02", "tcp.flags bitwise_and 0x12 == 0x12", "tcp.srcport + 1 == 81",
        "udp.length == 2 * 28", "frame.len % 2 == 1", "frame.len / 2 > 1", "-tcp.port == -80", "tcp.port == -1",
        "tcp.port == {80}", "{tcp.port} == 80", "any tcp.port == 80", "all tcp.port == 80",
        "frame[0:2] == 00:50", "frame[0-1] == 00:50", "frame[0] == 00", "frame[:2] == 0050", "frame[2:] contains 01",
        "eth.src[-1] == 08", "frame[0:2,4:2] == 00:01:02:03", "ip.addr#1 == 1.2.3.4", "ip.addr#[1-2] == 1.2.3.4",
        "len(tcp.payload) > 0", "count(ip.addr) == 2", "lower(frame.protocols) contains \"tcp\"",
        "upper(frame.protocols) contains \"TCP\"", "string(tcp.port) == \"80\"", "max(tcp.srcport, tcp.dstport) > 1024",
        "min(tcp.port) < 1024", "abs(tcp.port) == 80",
        "tcp.port == 0x50", "tcp.port == 0120", "tcp.port == 'P'", "ip.ttl == 0100", "tcp.port == 0b101",
        "tcp.flags.syn == 1", "tcp.flags.syn == True", "tcp.flags.syn == FALSE", "tcp.flags.syn == Set",
        "tcp.flags.syn == \"Not set\"", "frame.marked == true",
        "ip.proto == \"tcp\"", "ip.proto == UDP", "ip.proto == 6",
        "frame.protocols == \"eth:ethertype:ip:tcp\"", "frame.comment == r\"a\\b\"",
        "eth.src == 00:50:56:c0:00:08", "eth.src == 00-50-56-c0-00-08", "eth.src == 0050.56c0.0008", "eth.src == 00.50.56.c0.00.08",
        "tcp.payload == 2300", "tcp.payload == aa.bb.cc", "tcp.payload == aa-bb-cc", "tcp.payload == :0000",
        "ip.src == 192.168.1.0/24", "ip.src == 10.0.0.5/32", "frame.time_delta_displayed > 55",
        "frame.time_epoch > 1700000007.5", "frame.time == \"Nov 12, 1999 08:55:44.123\"", "frame.time > \"2011-07-04 12:34:56\"",
        "frame contains \"GET\"", "frame matches \"get\"", "frame matches \"(?-i)GET\"", "tcp contains \"x\"",
        "frame.len > frame.cap_len", "ip.src == ip.dst", ".tcp", "ip.proto == 6 && .ip",
    ] {
        if let Err(e) = Filter::compile(f) {
            panic!("{f}: {}", e.render(f));
        }
    }
}

// ---------------------------------------------------------------- error messages (tshark 4.0.17)

fn rendered(f: &str) -> String {
    match Filter::compile(f) {
        Ok(_) => "OK".into(),
        Err(e) => {
            assert_eq!(e.exit_code, 2);
            e.render(f)
        }
    }
}

#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        ("foo", "tshark: foo is neither a field nor a protocol name.\n    foo\n    ^~~\n"),
        ("\"foo\"", "tshark: \"foo\" is neither a field nor a protocol name.\n    \"foo\"\n    ^~~~~\n"),
        ("foo == 1", "tshark: Left side of \"==\" expression must be a field or function, not foo.\n    foo == 1\n    ^~~\n"),
        ("1 == 1", "tshark: Left side of \"==\" expression must be a field or function, not 1.\n    1 == 1\n    ^\n"),
        ("ip.addr ==", "tshark: Unexpected end of filter expression.\n"),
        ("(tcp", "tshark: Unexpected end of filter expression.\n"),
        ("tcp and", "tshark: Unexpected end of filter expression.\n"),
        ("tcp#", "tshark: Unexpected end of filter expression.\n"),
        ("tcp)", "tshark: \")\" was unexpected in this context.\n    tcp)\n       ^\n"),
        ("ip.src = 1.2.3.4", "tshark: \"=\" was unexpected in this context.\n    ip.src = 1.2.3.4\n           ^\n"),
        ("tcp.port in {22 443}", "tshark: \"443\" was unexpected in this context.\n    tcp.port in {22 443}\n                    ^~~\n"),
        ("tcp.port in {80,}", "tshark: \"}\" was unexpected in this context.\n    tcp.port in {80,}\n                    ^\n"),
        ("ip.addr == 1.2.3", "tshark: \"1.2.3\" is not a valid hostname or IPv4 address.\n    ip.addr == 1.2.3\n               ^~~~~\n"),
        ("ip.addr == 300", "tshark: \"300\" is not a valid hostname or IPv4 address.\n    ip.addr == 300\n               ^~~\n"),
        ("tcp.port == 70000", "tshark: \"70000\" too big for this field, maximum 65535.\n    tcp.port == 70000\n                ^~~~~\n"),
        ("tcp.port == abc", "tshark: \"abc\" is not a valid number.\n    tcp.port == abc\n                ^~~\n"),
        ("tcp.port == 80.0", "tshark: \"80.0\" is not a valid number.\n    tcp.port == 80.0\n                ^~~~\n"),
        ("eth.src == 00:11:22:33:44", "tshark: \"00:11:22:33:44\" contains too few bytes to be a valid Ethernet address.\n    eth.src == 00:11:22:33:44\n               ^~~~~~~~~~~~~~\n"),
        ("eth.src == zz", "tshark: \"zz\" is not a valid Ethernet address.\n    eth.src == zz\n               ^~\n"),
        ("frame.comment == \"unterm", "tshark: The final quote was missing from a quoted string.\n    frame.comment == \"unterm\n                            ^\n"),
        ("frame[0:2 == 00:50", "tshark: The right bracket was missing from a slice.\n    frame[0:2 == 00:50\n                      ^\n"),
        ("ip.addr contains 1", "tshark: ip.addr (type=IPv4 address) cannot participate in contains comparison.\n    ip.addr contains 1\n    ^~~~~~~\n"),
        ("tcp.port matches \"8\"", "tshark: tcp.port (type=Unsigned integer (2 bytes)) cannot participate in matches comparison.\n    tcp.port matches \"8\"\n    ^~~~~~~~\n"),
        ("lower(tcp.port) == 1", "tshark: Only string type fields can be used as parameter for lower()\n    lower(tcp.port) == 1\n          ^~~~~~~~\n"),
        ("nosuchfunc(ip.addr)", "tshark: Function 'nosuchfunc' does not exist\n    nosuchfunc(ip.addr)\n    ^~~~~~~~~~\n"),
        ("frame.time == \"garbage\"", "tshark: \"garbage\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"\n    frame.time == \"garbage\"\n                  ^~~~~~~~~\n"),
        ("ip.src == 1.2.3.4 xor udp", "tshark: \"xor\" was unexpected in this context.\n    ip.src == 1.2.3.4 xor udp\n                      ^~~\n"),
        ("é", "tshark: Non-printable ASCII characters may only appear inside double-quotes.\n    é\n    ^\n"),
        ("${nomacro}", "tshark: macro 'nomacro' does not exist\n"),
        ("tcp.flags.syn == true", "tshark: \"true\" cannot be found among the possible values for tcp.flags.syn.\n    tcp.flags.syn == true\n                     ^~~~\n"),
        ("ip.proto == tcp", "tshark: ip.proto and tcp are not of compatible types.\n    ip.proto == tcp\n                ^~~\n"),
        ("ip.proto == \"xyz\"", "tshark: \"xyz\" cannot be found among the possible values for ip.proto.\n    ip.proto == \"xyz\"\n                ^~~~~\n"),
        ("frame.comment == 'example.com'", "tshark: 'example.com' is too long to be a valid character constant.\n    frame.comment == 'example.com'\n                     ^~~~~~~~~~~~~\n"),
        ("frame.len > \"abc\"", "tshark: Unsigned integer (4 bytes) cannot be converted from a string (\"abc\").\n    frame.len > \"abc\"\n                ^~~~~\n"),
        ("ip.src == 1.2.3.4/33", "tshark: Netmask bits in a CIDR IPv4 address should be <= 32, not 33\n    ip.src == 1.2.3.4/33\n              ^~~~~~~~~~\n"),
        ("tcp.port#a", "tshark: Expected digit or \"[\", not \"a\"\n    tcp.port#a\n             ^\n"),
        ("frame.len == 99999999999999999999999", "tshark: \"99999999999999999999999\" causes an integer overflow.\n    frame.len == 99999999999999999999999\n                 ^~~~~~~~~~~~~~~~~~~~~~~\n"),
        ("len(foo) == 1", "tshark: Only fields can be used as parameter for len()\n    len(foo) == 1\n        ^~~\n"),
        ("foo in {1}", "tshark: Only a field may be tested for membership in a set.\n    foo in {1}\n    ^~~\n"),
        (".foo", "tshark: \"foo\" is not a valid protocol or protocol field.\n    .foo\n    ^~~~\n"),
        ("tcp.port > 1 < 9000", "tshark: Left side of \"<\" expression must be a field or function, not 1.\n    tcp.port > 1 < 9000\n               ^\n"),
        ("(tcp.port) == 8000", "tshark: \"==\" was unexpected in this context.\n    (tcp.port) == 8000\n               ^~\n"),
        ("2 & tcp.flags", "tshark: Constant arithmetic expression on the LHS is invalid.\n    2 & tcp.flags\n    ^\n"),
        ("frame.time_delta > 1s", "tshark: \"1s\" is not a valid time.\n    frame.time_delta > 1s\n                       ^~\n"),
        ("frame.time_delta > \"0.1\"", "tshark: Time offset cannot be converted from a string (\"0.1\").\n    frame.time_delta > \"0.1\"\n                       ^~~~~\n"),
        ("tcp.port[0] == 1", "tshark: \"tcp.port\" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.\n    tcp.port[0] == 1\n    ^~~~~~~~\n"),
        ("frame.comment == ''", "tshark: Empty character constant.\n    frame.comment == ''\n                     ^~\n"),
        ("frame.comment == \"a\\qb\"", "tshark: \\q is not a valid character escape sequence\n    frame.comment == \"a\\qb\"\n                       ^~\n"),
        ("len() == 1", "tshark: Function len needs at least 1 arguments.\n    len() == 1\n    ^~~\n"),
        ("len(tcp.port, tcp.port) == 1", "tshark: Function len can only accept 1 arguments.\n    len(tcp.port, tcp.port) == 1\n    ^~~\n"),
        ("frame[1:0] == 1", "tshark: Range 1:0 isn't valid because length 0 isn't positive\n    frame[1:0] == 1\n          ^~~\n"),
        ("frame[2-1] == 1", "tshark: Range 2-1 isn't valid because 2 is greater or equal than 1\n    frame[2-1] == 1\n          ^~~\n"),
        ("tcp.port matches tcp", "tshark: Matches requires a double quoted string on the right side.\n    tcp.port matches tcp\n                     ^~~\n"),
        ("frame.comment + 1 == 1", "tshark: FT_STRING cannot +.\n    frame.comment + 1 == 1\n    ^~~~~~~~~~~~~\n"),
        ("tcp.port + \"a\" == 1", "tshark: \"a\" is not a valid arithmetic operand.\n    tcp.port + \"a\" == 1\n               ^~~\n"),
        ("max(tcp.port, ip.src) == 1", "tshark: Arguments to 'max' must have the same type (expected FT_UINT16, got FT_IPv4)\n    max(tcp.port, ip.src) == 1\n                  ^~~~~~\n"),
        ("tcp \"abc\"", "tshark: \"\"abc\"\" was unexpected in this context.\n    tcp \"abc\"\n        ^~~~~\n"),
        ("eth.src contains \"a\"", "tshark: Ethernet or other MAC address cannot be converted from a string (\"a\").\n    eth.src contains \"a\"\n                     ^~~\n"),
        ("ip.src == \"1.2.3.4\"", "tshark: IPv4 address cannot be converted from a string (\"1.2.3.4\").\n    ip.src == \"1.2.3.4\"\n              ^~~~~~~~~\n"),
        // Names Wireshark knows but pcaptk does not dissect yet.
        ("smpp.command_id == 1", "tshark: smpp.command_id is a Wireshark field that pcaptk does not dissect yet.\n    smpp.command_id == 1\n    ^~~~~~~~~~~~~~~\n"),
        ("smpp", "tshark: smpp is a Wireshark field that pcaptk does not dissect yet.\n    smpp\n    ^~~~\n"),
    ];
    for (f, want) in cases {
        assert_eq!(rendered(f), *want, "filter {f}");
    }
    assert_eq!(rendered(""), "OK");
    assert!(crate::wireshark_knows("http.request.method"));
    assert!(crate::wireshark_knows("tcp"));
    assert!(!crate::wireshark_knows("foo.bar"));
}

// ---------------------------------------------------------------- evaluation

struct Pkt {
    tree: Tree,
    frame: Vec<u8>,
}

/// An Ethernet/IPv4/TCP packet 10.0.0.1:1234 -> 10.0.0.5:80, SYN, payload "GET / HTTP/1.1".
fn tcp_packet() -> Pkt {
    let mut frame = vec![0u8; 14 + 20 + 20];
    frame[0..6].copy_from_slice(&[0x00, 0x50, 0x56, 0xc0, 0x00, 0x08]);
    frame[6..12].copy_from_slice(&[0x00, 0x0c, 0x29, 0x01, 0x02, 0x03]);
    frame[12..14].copy_from_slice(&[0x08, 0x00]);
    frame[14] = 0x45;
    frame[14 + 8] = 64;
    frame[14 + 9] = 6;
    frame[26..30].copy_from_slice(&[10, 0, 0, 1]);
    frame[30..34].copy_from_slice(&[10, 0, 0, 5]);
    frame[34..36].copy_from_slice(&1234u16.to_be_bytes());
    frame[36..38].copy_from_slice(&80u16.to_be_bytes());
    frame.extend_from_slice(b"GET / HTTP/1.1");
    let n = frame.len();
    let mut t = Tree::default();
    let protos = t.push_scratch(b"eth:ethertype:ip:tcp:data");
    let it = |name: &str, value: Value, off: usize, len: usize| Item { id: id(name), layer: 1, value, raw: Span::new(Buf::Frame, off, len) };
    t.items = vec![
        it("frame", Value::None, 0, n),
        it("frame.time", Value::Time(1_700_000_007_600_000_000), 0, 0),
        it("frame.time_epoch", Value::Time(1_700_000_007_600_000_000), 0, 0),
        it("frame.time_delta_displayed", Value::Time(56_500_000_000), 0, 0),
        it("frame.number", Value::U(7), 0, 0),
        it("frame.len", Value::U(n as u64), 0, 0),
        it("frame.cap_len", Value::U(n as u64), 0, 0),
        it("frame.marked", Value::Bool(false), 0, 0),
        it("frame.protocols", Value::Str(protos), 0, 0),
        it("eth", Value::None, 0, 14),
        it("eth.dst", Value::Ether([0x00, 0x50, 0x56, 0xc0, 0x00, 0x08]), 0, 6),
        it("eth.addr", Value::Ether([0x00, 0x50, 0x56, 0xc0, 0x00, 0x08]), 0, 6),
        it("eth.src", Value::Ether([0x00, 0x0c, 0x29, 0x01, 0x02, 0x03]), 6, 6),
        it("eth.addr", Value::Ether([0x00, 0x0c, 0x29, 0x01, 0x02, 0x03]), 6, 6),
        it("eth.type", Value::U(0x0800), 12, 2),
        it("ip", Value::None, 14, 20),
        it("ip.ttl", Value::U(64), 22, 1),
        it("ip.proto", Value::U(6), 23, 1),
        it("ip.src", Value::Ipv4([10, 0, 0, 1]), 26, 4),
        it("ip.addr", Value::Ipv4([10, 0, 0, 1]), 26, 4),
        it("ip.dst", Value::Ipv4([10, 0, 0, 5]), 30, 4),
        it("ip.addr", Value::Ipv4([10, 0, 0, 5]), 30, 4),
        it("tcp", Value::None, 34, n - 34),
        it("tcp.srcport", Value::U(1234), 34, 2),
        it("tcp.dstport", Value::U(80), 36, 2),
        it("tcp.port", Value::U(1234), 34, 2),
        it("tcp.port", Value::U(80), 36, 2),
        it("tcp.flags", Value::U(0x002), 46, 2),
        it("tcp.flags.syn", Value::Bool(true), 46, 2),
        it("tcp.flags.ack", Value::Bool(false), 46, 2),
        it("tcp.payload", Value::Bytes(Span::new(Buf::Frame, 54, n - 54)), 54, n - 54),
    ];
    Pkt { tree: t, frame }
}

/// An IPv4-in-IPv4 UDP packet (two ip layers), no TCP.
fn udp_packet() -> Pkt {
    let frame = vec![0u8; 60];
    let mut t = Tree::default();
    let it = |name: &str, layer: u8, value: Value| Item { id: id(name), layer, value, raw: Span::new(Buf::Frame, 0, 4) };
    t.items = vec![
        it("frame", 1, Value::None),
        it("frame.len", 1, Value::U(60)),
        it("ip", 1, Value::None),
        it("ip.src", 1, Value::Ipv4([192, 168, 1, 1])),
        it("ip.addr", 1, Value::Ipv4([192, 168, 1, 1])),
        it("ip.dst", 1, Value::Ipv4([192, 168, 1, 2])),
        it("ip.addr", 1, Value::Ipv4([192, 168, 1, 2])),
        it("ip", 2, Value::None),
        it("ip.src", 2, Value::Ipv4([10, 1, 1, 1])),
        it("ip.addr", 2, Value::Ipv4([10, 1, 1, 1])),
        it("ip.dst", 2, Value::Ipv4([10, 1, 1, 2])),
        it("ip.addr", 2, Value::Ipv4([10, 1, 1, 2])),
        it("udp", 1, Value::None),
        it("udp.port", 1, Value::U(53)),
        it("udp.port", 1, Value::U(53)),
        it("udp.length", 1, Value::U(56)),
    ];
    Pkt { tree: t, frame }
}

fn check(p: &Pkt, f: &str) -> bool {
    let filt = Filter::compile(f).unwrap_or_else(|e| panic!("{}", e.render(f)));
    filt.matches(&p.tree.view(&p.frame))
}

#[test]
fn any_all_semantics() {
    let p = tcp_packet();
    let yes = |f: &str| assert!(check(&p, f), "expected match: {f}");
    let no = |f: &str| assert!(!check(&p, f), "expected no match: {f}");
    yes("ip.addr == 10.0.0.5");
    no("ip.addr != 10.0.0.5"); // no occurrence may equal
    yes("ip.addr != 10.0.0.9");
    yes("ip.addr !== 10.0.0.5"); // some occurrence differs
    yes("ip.addr ~= 10.0.0.5");
    no("ip.addr === 10.0.0.5"); // all equal
    yes("ip.addr === 10.0.0.0/24");
    yes("all ip.addr == 10.0.0.0/8");
    no("all tcp.port == 80");
    yes("any tcp.port == 80");
    // Absent field: != is false, but !(==) is true.
    no("udp.port != 53");
    yes("!(udp.port == 53)");
    yes("udp.port not in {53}");
    no("udp.port === 53");
    no("udp.port !== 53");
    // Field against field: any pair.
    yes("ip.src == ip.addr");
    no("ip.src == ip.dst");
    yes("frame.len == frame.cap_len");
    let u = udp_packet();
    assert!(check(&u, "udp.port === 53"));
    assert!(!check(&u, "udp.port !== 53"));
    assert!(check(&u, "ip.addr#2 == 10.1.1.1"));
    assert!(!check(&u, "ip.addr#1 == 10.1.1.1"));
    assert!(check(&u, "ip.src#[1-2] == 10.1.1.1"));
    assert!(check(&u, "count(ip.addr) == 4"));
    assert!(!check(&u, "tcp"));
    assert!(check(&u, "!tcp"));
}

#[test]
fn evaluation() {
    let p = tcp_packet();
    let yes = |f: &str| assert!(check(&p, f), "expected match: {f}");
    let no = |f: &str| assert!(!check(&p, f), "expected no match: {f}");
    yes("");
    yes("tcp");
    yes("tcp.flags.ack"); // existence, not value
    no("udp");
    yes("tcp and ip or udp");
    yes("udp or tcp and ip");
    no("(udp or tcp) and not ip");
    yes("tcp.port in {22, 80, 443}");
    yes("tcp.port in {70..90}");
    no("tcp.port in {81..90, 22}");
    yes("tcp.flags & 0x02");
    no("tcp.flags & 0x10");
    yes("tcp.flags & 0x12 == 0x02");
    yes("tcp.srcport + 1 == 1235");
    yes("tcp.dstport * 2 == 160");
    yes("tcp.dstport / 3 == 26");
    yes("tcp.srcport % 2 == 0");
    yes("tcp.srcport - 34 == 1200");
    yes("-tcp.dstport == -80");
    no("tcp.port == -1");
    yes("tcp.port > -1");
    yes("ip.proto == tcp.flags + 4");
    yes("ip.proto == \"tcp\"");
    yes("ip.proto == TCP");
    no("ip.proto == UDP");
    yes("ip.ttl == 0100");
    yes("ip.ttl == 0x40");
    yes("ip.ttl == '@'");
    yes("tcp.flags.syn == 1");
    yes("tcp.flags.syn == 2");
    yes("tcp.flags.syn == True");
    yes("tcp.flags.syn == Set");
    yes("tcp.flags.ack == \"Not set\"");
    yes("tcp.flags.ack == FALSE");
    yes("frame.marked == false");
    yes("eth.dst == 00:50:56:c0:00:08");
    yes("eth.dst == 00-50-56-c0-00-08");
    yes("eth.dst == 0050.56c0.0008");
    yes("eth.dst == 00.50.56.c0.00.08");
    yes("eth.addr == 00:0c:29:01:02:03");
    yes("eth.src contains 29:01");
    yes("eth.src[-1] == 03");
    yes("eth.src[0:3] == 00:0c:29");
    yes("eth.src[3-5] == 01:02:03");
    yes("eth.src[:2] == 000c");
    yes("eth.src[4:] == 02:03");
    yes("eth.src[0:1,5:1] == 00:03");
    yes("ip.src[3] == 01");
    yes("ip.dst[3:1] == 05");
    yes("frame[0:2] == 00:50");
    yes("frame[12:2] == 08:00");
    no("frame[100:2] == 00:00");
    yes("ip.src == 10.0.0.0/8");
    yes("ip.src == 10.0.0.1/32");
    no("ip.src == 10.0.0.2/32");
    yes("ip.src < 10.0.0.5");
    yes("tcp contains \"GET\"");
    no("tcp contains \"get\"");
    yes("frame contains 47:45:54");
    yes("tcp.payload contains \"HTTP/1.1\"");
    yes("tcp.payload == \"GET / HTTP/1.1\"");
    yes("tcp matches \"get / http\"");
    no("tcp matches \"(?-i)get\"");
    yes("tcp.payload matches \"^GET\"");
    yes("frame.protocols == \"eth:ethertype:ip:tcp:data\"");
    yes("frame.protocols contains \"ip:tcp\"");
    yes("frame.protocols matches \"TCP\"");
    yes("upper(frame.protocols) contains \"TCP\"");
    yes("lower(frame.protocols) == \"eth:ethertype:ip:tcp:data\"");
    no("upper(frame.protocols) contains \"tcp\"");
    yes("len(tcp.payload) == 14");
    yes("len(eth.src) == 6");
    yes("len(frame) == frame.len");
    yes("count(tcp.port) == 2");
    yes("count(ip.addr) == 2");
    yes("string(tcp.dstport) == \"80\"");
    yes("string(ip.src) == \"10.0.0.1\"");
    yes("max(tcp.port) == 1234");
    yes("min(tcp.port) == 80");
    yes("max(tcp.srcport, tcp.dstport) == 1234");
    yes("abs(tcp.port) == 80");
    yes("frame.time_delta_displayed > 55");
    no("frame.time_delta_displayed > 56.5");
    yes("frame.time_delta_displayed >= 56.5");
    yes("frame.time_epoch > 1700000007.5");
    no("frame.time_epoch > 1700000007.7");
    yes("frame.time > \"2011-07-04 12:34:56\"");
    yes("frame.time < \"Nov 12, 2099 08:55:44.123\"");
    yes(".tcp.port == 80");
    yes("{tcp.dstport} == 80");
    yes("tcp.dstport == {40 * 2}");
    yes("tcp.srcport > tcp.dstport > 1"); // chained: (srcport > dstport) and (dstport > 1)
    no("tcp.srcport > tcp.dstport > 100");
}

#[test]
fn fields_listed() {
    let f = Filter::compile("tcp.port == 80 and ip.addr == 1.2.3.4 or len(tcp.payload) > 2 or tcp.port > 1").unwrap();
    assert_eq!(f.fields(), vec![id("tcp.port"), id("ip.addr"), id("tcp.payload")]);
    assert!(Filter::compile("  ").unwrap().fields().is_empty());
}

#[test]
fn hostile_input_does_not_panic() {
    // Deep nesting is refused rather than overflowing the stack; long flat chains are fine.
    assert!(Filter::compile(&"(".repeat(100_000)).is_err());
    assert!(Filter::compile(&"!".repeat(100_000)).is_err());
    assert!(Filter::compile(&format!("tcp.port == 1{}", "+1".repeat(100_000))).is_err());
    let long = vec!["tcp.port + 1 == 81"; 20_000].join(" or ");
    assert!(Filter::compile(&long).is_ok());
    // Pseudo-random token soup.
    let frags = [
        "tcp", "ip.addr", "==", "!=", "(", ")", "{", "}", "[", "]", "#", "\"", "'", "\\", ":", ".", "..", "-", "+", "&", "|",
        "in", "not", "and", "1", "0x", "1.2.3.4", "/33", "::", "é", "r\"", "len(", ",", "matches", "contains", "$", "${", " ",
        "frame[0:2]", "any", "all", "\\u00", "'\\x", "\u{0}", "\t", "eth.src", "~", "===",
    ];
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let p = tcp_packet();
    for _ in 0..20_000 {
        let mut s = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        for k in 0..(x % 9) {
            s.push_str(frags[((x >> (k * 5)) % frags.len() as u64) as usize]);
        }
        match Filter::compile(&s) {
            Ok(f) => {
                let _ = f.matches(&p.tree.view(&p.frame));
            }
            Err(e) => {
                let _ = e.render(&s);
            }
        }
    }
}
