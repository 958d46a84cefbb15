//! Kerberos hash lines (hashcat 7500, 18200, 13100) proven against the password: a capture
//! written here holds an AS-REQ with an RC4-HMAC encrypted timestamp, the AS-REP and a
//! TGS-REP, built as a KDC and a client build them (RFC 4120 DER, RFC 4757 RC4-HMAC with
//! the right key usages); each line pcap-creds writes must decrypt with the password and
//! must not with another. (No Debian KDC on the test machine: kinit fixtures are still to do.)

#[path = "support/crypto.rs"]
#[allow(dead_code)]
mod crypto;

#[path = "support/krb.rs"]
#[allow(dead_code)]
mod krb;

use crypto::{rc4_hmac_checks, rc4_hmac_encrypt};
use krb::*;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-creds");
const USER_PW: &str = "Fixture-Pass1";
const SERVICE_PW: &str = "Service-Pass2";

#[test]
fn rc4_lines_decrypt_with_the_password() {
    let (user, realm) = ("alice", "FIXTURE.EXAMPLE");
    // AS-REQ: PA-ENC-TIMESTAMP (key usage 1) = PA-ENC-TS-ENC { patimestamp [0] GeneralizedTime }.
    let ts = seq(&[ctx(0, tlv(0x18, b"20261128060000Z"))]);
    let pa = seq(&[ctx(1, int(2)), ctx(2, tlv(0x04, &enc_data(23, rc4_hmac_encrypt(USER_PW, 1, *b"confoun1", &ts))))]);
    let body = seq(&[ctx(0, tlv(0x03, &[0, 0x40, 0x81, 0, 0x10])), ctx(1, principal(1, &[user])), ctx(2, gstr(realm))]);
    let as_req = tlv(0x6a, &seq(&[ctx(1, int(5)), ctx(2, int(10)), ctx(3, seq(&[pa])), ctx(4, body)]));
    // AS-REP: the reply part with the user's key (usage 3); a TGS-REP: a ticket with the
    // service's key (usage 2).
    let ticket = |sname: Vec<u8>, pw: &str| tlv(0x61, &seq(&[ctx(0, int(5)), ctx(1, gstr(realm)), ctx(2, sname), ctx(3, enc_data(23, rc4_hmac_encrypt(pw, 2, *b"confoun2", b"ticket part")))]));
    let rep = |kind: u8, tkt: Vec<u8>, part: Vec<u8>| {
        tlv(0x60 + kind, &seq(&[ctx(0, int(5)), ctx(1, int(kind)), ctx(3, gstr(realm)), ctx(4, principal(1, &[user])), ctx(5, tkt), ctx(6, enc_data(23, part))]))
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
