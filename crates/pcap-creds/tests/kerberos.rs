//! Kerberos hash lines (hashcat 7500, 18200, 13100) proven against the password: a capture
//! written here holds an AS-REQ with an RC4-HMAC encrypted timestamp, the AS-REP and a
//! TGS-REP, built as a KDC and a client build them (RFC 4120 DER, RFC 4757 RC4-HMAC with
//! the right key usages); each line pcap-creds writes must decrypt with the password and
//! must not with another. (No Debian KDC on the test machine: kinit fixtures are still to do.)

#[path = "support/crypto.rs"]
#[allow(dead_code)]
mod crypto;

use crypto::{rc4_hmac_checks, rc4_hmac_encrypt};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-creds");
const USER_PW: &str = "Fixture-Pass1";
const SERVICE_PW: &str = "Service-Pass2";

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend_from_slice(&[0x81, n as u8]);
    } else {
        v.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}
fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}
fn ctx(n: u8, inner: Vec<u8>) -> Vec<u8> {
    tlv(0xa0 + n, &inner)
}
fn int(v: u8) -> Vec<u8> {
    tlv(0x02, &[v])
}
fn gstr(s: &str) -> Vec<u8> {
    tlv(0x1b, s.as_bytes())
}
fn principal(kind: u8, names: &[&str]) -> Vec<u8> {
    seq(&[ctx(0, int(kind)), ctx(1, seq(&names.iter().map(|n| gstr(n)).collect::<Vec<_>>()))])
}
fn enc_data(cipher: Vec<u8>) -> Vec<u8> {
    seq(&[ctx(0, int(23)), ctx(2, tlv(0x04, &cipher))])
}

fn udp_pcap(messages: &[(bool, Vec<u8>)]) -> Vec<u8> {
    let mut pcap = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
    for (i, (to_kdc, payload)) in messages.iter().enumerate() {
        let (src, dst, sp, dp) = if *to_kdc { ([10, 0, 0, 1], [10, 0, 0, 2], 50000u16, 88u16) } else { ([10, 0, 0, 2], [10, 0, 0, 1], 88, 50000) };
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[8, 0]);
        let total = 20 + 8 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 0, 0x40, 0, 64, 17, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sp.to_be_bytes());
        f.extend_from_slice(&dp.to_be_bytes());
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(payload);
        pcap.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        pcap.extend_from_slice(&0u32.to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&f);
    }
    pcap
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn rc4_lines_decrypt_with_the_password() {
    let (user, realm) = ("alice", "FIXTURE.EXAMPLE");
    // AS-REQ: PA-ENC-TIMESTAMP (key usage 1) = PA-ENC-TS-ENC { patimestamp [0] GeneralizedTime }.
    let ts = seq(&[ctx(0, tlv(0x18, b"20261128060000Z"))]);
    let pa = seq(&[ctx(1, int(2)), ctx(2, tlv(0x04, &enc_data(rc4_hmac_encrypt(USER_PW, 1, *b"confoun1", &ts))))]);
    let body = seq(&[ctx(0, tlv(0x03, &[0, 0x40, 0x81, 0, 0x10])), ctx(1, principal(1, &[user])), ctx(2, gstr(realm))]);
    let as_req = tlv(0x6a, &seq(&[ctx(1, int(5)), ctx(2, int(10)), ctx(3, seq(&[pa])), ctx(4, body)]));
    // AS-REP: the reply part with the user's key (usage 3); a TGS-REP: a ticket with the
    // service's key (usage 2).
    let ticket = |sname: Vec<u8>, pw: &str| tlv(0x61, &seq(&[ctx(0, int(5)), ctx(1, gstr(realm)), ctx(2, sname), ctx(3, enc_data(rc4_hmac_encrypt(pw, 2, *b"confoun2", b"ticket part")))]));
    let rep = |kind: u8, tkt: Vec<u8>, part: Vec<u8>| {
        tlv(0x60 + kind, &seq(&[ctx(0, int(5)), ctx(1, int(kind)), ctx(3, gstr(realm)), ctx(4, principal(1, &[user])), ctx(5, tkt), ctx(6, enc_data(part))]))
    };
    let as_rep = rep(11, ticket(principal(2, &["krbtgt", realm]), "krbtgt-key"), rc4_hmac_encrypt(USER_PW, 3, *b"confoun3", b"enc as rep part"));
    let tgs_rep = rep(13, ticket(principal(2, &["HTTP", "web.fixture.example"]), SERVICE_PW), rc4_hmac_encrypt("session", 8, *b"confoun4", b"enc tgs rep part"));
    let path = std::env::temp_dir().join(format!("pcap-creds-krb-{}.pcap", std::process::id()));
    std::fs::write(&path, udp_pcap(&[(true, as_req), (false, as_rep), (false, tgs_rep)])).unwrap();
    let out = Command::new(BIN).arg("-r").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    let modes: Vec<&str> = rows.iter().map(|r| r[9]).collect();
    assert_eq!(modes, ["7500", "18200", "13100"], "{}", text);
    for r in &rows {
        assert_eq!((r[5], r[6]), (user, realm));
        let line = r[7];
        let (usage, pw, checksum, edata) = match r[9] {
            "7500" => {
                let hexes = line.rsplit('$').next().unwrap();
                let (e, c) = hexes.split_at(hexes.len() - 32);
                assert!(line.starts_with("$krb5pa$23$alice$FIXTURE.EXAMPLE$"), "{}", line);
                (1, USER_PW, unhex(c), unhex(e))
            }
            "18200" => {
                let rest = line.strip_prefix("$krb5asrep$23$alice@FIXTURE.EXAMPLE:").expect(line);
                let (c, e) = rest.split_once('$').unwrap();
                (3, USER_PW, unhex(c), unhex(e))
            }
            _ => {
                let rest = line.strip_prefix("$krb5tgs$23$*alice$FIXTURE.EXAMPLE$HTTP/web.fixture.example*$").expect(line);
                let (c, e) = rest.split_once('$').unwrap();
                (2, SERVICE_PW, unhex(c), unhex(e))
            }
        };
        assert!(rc4_hmac_checks(pw, usage, &checksum, &edata), "{} does not decrypt", line);
        assert!(!rc4_hmac_checks("wrong", usage, &checksum, &edata));
        // The replies go from the KDC to the client.
        assert_eq!(r[3], "10.0.0.1:50000");
        assert_eq!(r[4], "10.0.0.2:88");
    }
}
