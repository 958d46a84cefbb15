//! Every hash line pcap-creds writes is proven by recomputing it from the known password
//! (the fixtures' clients all used `Fixture-Pass1`): the same computation hashcat does for
//! that mode, written out in `support/crypto.rs`, so no cracker needs to be installed.
//! NetNTLMv1 (5500), HTTP Digest (11400), CRAM-MD5 (10200) and APOP (20) come from
//! `tests/fixtures/creds.pcap` (real clients); NetNTLMv2 (5600) from a capture this test
//! writes (curl answers the fixture server's challenge with v1 only). MySQL (11200),
//! PostgreSQL MD5 (11100) and SIP Digest (11400) come from `tests/fixtures/creds2.pcap`
//! (real clients and servers, `tests/fixtures/make-creds2.sh`).

#[path = "support/crypto.rs"]
#[allow(dead_code)]
mod crypto;

use crypto::{des, des_key7, hex, hmac_md5, md4, md5};
use sha1::{Digest, Sha1};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-creds");
const PASSWORD: &str = "Fixture-Pass1";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Rows of the TSV list: (protocol, username, domain, secret, kind, hashcat).
fn rows(capture: &Path, extra: &[&str]) -> Vec<Vec<String>> {
    let out = Command::new(BIN).arg("-r").arg(capture).args(extra).output().expect("run pcap-creds");
    assert!(out.status.success(), "pcap-creds failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("frame\ttime\tprotocol\tclient\tserver\tusername\tdomain\tsecret\tkind\thashcat"));
    lines.map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

fn sha1(data: &[u8]) -> [u8; 20] {
    Sha1::digest(data).into()
}

#[test]
fn sha1_meets_fips_180_vectors() {
    assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn b64(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut acc, mut bits, mut out) = (0u32, 0, Vec::new());
    for c in s.bytes().take_while(|&c| c != b'=') {
        acc = acc << 6 | A.iter().position(|&a| a == c).expect("base64") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Checks one hash line against the password; panics with the reason otherwise.
fn verify(mode: u32, line: &str, password: &str) {
    match mode {
        5500 => {
            let f: Vec<&str> = line.split(':').collect();
            let (nt, challenge) = (unhex(f[4]), unhex(f[5]));
            let mut key = md4(&utf16(password)).to_vec();
            key.resize(21, 0);
            let ch: [u8; 8] = challenge.try_into().unwrap();
            let want: Vec<u8> = key.chunks(7).flat_map(|k| des(des_key7(k), ch)).collect();
            assert_eq!(hex(&want), hex(&nt), "NetNTLMv1 {}", line);
        }
        5600 => {
            let f: Vec<&str> = line.split(':').collect();
            let (user, domain, challenge, proof, blob) = (f[0], f[2], unhex(f[3]), f[4], unhex(f[5]));
            let v2 = hmac_md5(&md4(&utf16(password)), &utf16(&(user.to_uppercase() + domain)));
            let want = hmac_md5(&v2, &[challenge, blob].concat());
            assert_eq!(hex(&want), proof, "NetNTLMv2 {}", line);
        }
        11400 => {
            let f: Vec<&str> = line.split('*').collect();
            let (user, realm, method, uri, nonce, cnonce, nc, qop, response) = (f[3], f[4], f[5], f[7], f[9], f[10], f[11], f[12], f[14]);
            let ha1 = hex(&md5(format!("{}:{}:{}", user, realm, password).as_bytes()));
            let ha2 = hex(&md5(format!("{}:{}", method, uri).as_bytes()));
            let want = if qop.is_empty() {
                md5(format!("{}:{}:{}", ha1, nonce, ha2).as_bytes())
            } else {
                md5(format!("{}:{}:{}:{}:{}:{}", ha1, nonce, nc, cnonce, qop, ha2).as_bytes())
            };
            assert_eq!(hex(&want), response, "Digest {}", line);
        }
        10200 => {
            let rest = line.strip_prefix("$cram_md5$").expect("prefix");
            let (ch, answer) = rest.split_once('$').expect("two parts");
            let answer = String::from_utf8(b64(answer)).unwrap();
            let digest = answer.rsplit(' ').next().unwrap();
            assert_eq!(hex(&hmac_md5(password.as_bytes(), &b64(ch))), digest, "CRAM-MD5 {}", line);
        }
        20 => {
            let (digest, salt) = line.split_once(':').expect("hash:salt");
            assert_eq!(hex(&md5(format!("{}{}", salt, password).as_bytes())), digest, "APOP {}", line);
        }
        11200 => {
            // mysql_native_password: SHA1(pw) XOR SHA1(salt . SHA1(SHA1(pw))).
            let rest = line.strip_prefix("$mysqlna$").expect("prefix");
            let (salt, answer) = rest.split_once('*').expect("salt*answer");
            let h1 = sha1(password.as_bytes());
            let mix = sha1(&[unhex(salt), sha1(&h1).to_vec()].concat());
            let want: Vec<u8> = h1.iter().zip(mix).map(|(a, b)| a ^ b).collect();
            assert_eq!(hex(&want), answer, "MySQL {}", line);
        }
        11100 => {
            // md5(hex(md5(pw . user)) . salt).
            let rest = line.strip_prefix("$postgres$").expect("prefix");
            let f: Vec<&str> = rest.split('*').collect();
            let (user, salt, hash) = (f[0], unhex(f[1]), f[2]);
            let inner = hex(&md5(format!("{}{}", password, user).as_bytes()));
            assert_eq!(hex(&md5(&[inner.as_bytes(), &salt].concat())), hash, "PostgreSQL {}", line);
        }
        m => panic!("no check for hashcat mode {}", m),
    }
}

/// Checks a hash line of `mode` against the fixtures' password, and that another password
/// fails; returns the mode.
fn cracks(mode: &str, line: &str) -> u32 {
    let m: u32 = mode.parse().expect("mode");
    verify(m, line, PASSWORD);
    assert!(std::panic::catch_unwind(|| verify(m, line, "Fixture-Pass2")).is_err(), "{} passes any password", line);
    m
}

#[test]
fn fixture_hashes_crack_and_passwords_are_right() {
    let cap = root().join("tests/fixtures/creds.pcap");
    let rows = rows(&cap, &[]);
    let mut modes = std::collections::BTreeSet::new();
    for r in &rows {
        let (protocol, user, secret, kind, mode) = (&r[2], &r[5], &r[7], &r[8], &r[9]);
        match kind.as_str() {
            "hash" => {
                modes.insert(cracks(mode, secret));
            }
            "cleartext" if protocol == "HTTP Bearer" => assert!(secret.starts_with("eyJ"), "{:?}", r),
            "cleartext" => assert_eq!(secret, PASSWORD, "{:?}", r),
            k => panic!("kind {}", k),
        }
        assert!(!user.is_empty() || protocol == "HTTP Bearer" || protocol.starts_with("SNMP"), "{:?}", r);
    }
    assert_eq!(modes.into_iter().collect::<Vec<_>>(), vec![20, 5500, 10200, 11400]);
    let protocols: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert!(protocols.contains("SNMPv1") && protocols.contains("SNMPv2c"), "{:?}", protocols);
    // Every protocol the fixture logs in with is found.
    let users: Vec<&str> = rows.iter().map(|r| r[5].as_str()).collect();
    for u in [
        "basicuser", "digestuser", "ntlmuser", "ntlmv1user", "formuser", "proxyuser", "popplain", "poplogin", "popcram", "imaplogin", "ftpuser",
        "popuser", "apopuser", "imapuser", "imapplain", "imapcram", "smtplogin", "smtpinitial", "smtpplain", "smtpcram", "telnetuser",
        "cn=ldapuser,dc=fixture,dc=example",
    ] {
        assert!(users.contains(&u), "{} missing from {:?}", u, users);
    }
}

#[test]
fn hashcat_files_hold_the_lines() {
    let cap = root().join("tests/fixtures/creds.pcap");
    let dir = std::env::temp_dir().join(format!("pcap-creds-hashcat-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let rows = rows(&cap, &["--hashcat", dir.to_str().unwrap()]);
    for r in rows.iter().filter(|r| r[8] == "hash") {
        let file = std::fs::read_to_string(dir.join(format!("{}.txt", r[9]))).expect("mode file");
        assert!(file.lines().any(|l| l == r[7]), "{} not in {}.txt", r[7], r[9]);
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["10200.txt", "11400.txt", "20.txt", "5500.txt"]);
    // A symbolic link planted in DIR is not followed.
    let outside = dir.with_extension("outside");
    std::fs::write(&outside, "keep\n").unwrap();
    std::fs::remove_file(dir.join("20.txt")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, dir.join("20.txt")).unwrap();
        let out = Command::new(BIN).arg("-r").arg(&cap).arg("--hashcat").arg(&dir).output().unwrap();
        assert!(!out.status.success());
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep\n");
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&outside);
}

/// A capture with one HTTP NTLMv2 exchange, built from the password: the server's challenge
/// (type 2), then the client's answer (type 3) computed as a client does.
fn ntlmv2_capture(path: &Path) {
    let (user, domain, challenge) = ("alice", "CORP", [0x11u8, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    let v2 = hmac_md5(&md4(&utf16(PASSWORD)), &utf16(&(user.to_uppercase() + domain)));
    let mut blob = vec![1, 1, 0, 0, 0, 0, 0, 0];
    blob.extend_from_slice(&0x01d9_0000_0000_0000u64.to_le_bytes());
    blob.extend_from_slice(b"\xaa\xbb\xcc\xdd\xee\xff\x00\x11\0\0\0\0\x02\0\x08\0C\0O\0R\0P\0\0\0\0\0\0\0\0\0");
    let proof = hmac_md5(&v2, &[&challenge[..], &blob].concat());
    let nt = [&proof[..], &blob].concat();
    let mut t2 = b"NTLMSSP\0\x02\0\0\0\0\0\0\0\x30\0\0\0\x05\x82\x80\0".to_vec();
    t2.extend_from_slice(&challenge);
    t2.extend_from_slice(&[0; 16]);
    let (u16u, u16d) = (utf16(user), utf16(domain));
    let mut t3 = b"NTLMSSP\0\x03\0\0\0".to_vec();
    let head = 64u32;
    let buf = |len: usize, off: u32| [(len as u16).to_le_bytes(), (len as u16).to_le_bytes()].concat().into_iter().chain(off.to_le_bytes()).collect::<Vec<u8>>();
    t3.extend(buf(0, head));
    t3.extend(buf(nt.len(), head));
    t3.extend(buf(u16d.len(), head + nt.len() as u32));
    t3.extend(buf(u16u.len(), head + (nt.len() + u16d.len()) as u32));
    t3.extend(buf(0, head));
    t3.extend(buf(0, head));
    t3.extend_from_slice(&0x0008_8205u32.to_le_bytes());
    t3.extend_from_slice(&nt);
    t3.extend_from_slice(&u16d);
    t3.extend_from_slice(&u16u);
    let enc = |b: &[u8]| {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for ch in b.chunks(3) {
            let n = (ch[0] as u32) << 16 | (*ch.get(1).unwrap_or(&0) as u32) << 8 | *ch.get(2).unwrap_or(&0) as u32;
            for k in 0..4 {
                s.push(if k <= ch.len() { A[(n >> (18 - 6 * k) & 63) as usize] as char } else { '=' });
            }
        }
        s
    };
    let req1 = "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n".to_string();
    let resp = format!("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM {}\r\nContent-Length: 0\r\n\r\n", enc(&t2));
    let req2 = format!("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: NTLM {}\r\n\r\n", enc(&t3));
    let mut pcap = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
    let (mut cseq, mut sseq) = (1000u32, 5000u32);
    for (i, (from_client, payload)) in [(true, req1), (false, resp), (true, req2)].into_iter().enumerate() {
        let (src, dst, sp, dp) = if from_client { ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 80u16) } else { ([10, 0, 0, 2], [10, 0, 0, 1], 80, 40000) };
        let (seq, ack) = if from_client { (cseq, sseq) } else { (sseq, cseq) };
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[8, 0]);
        let total = 20 + 20 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 0, 0x40, 0, 64, 6, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sp.to_be_bytes());
        f.extend_from_slice(&dp.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&ack.to_be_bytes());
        f.extend_from_slice(&[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend_from_slice(payload.as_bytes());
        if from_client {
            cseq += payload.len() as u32;
        } else {
            sseq += payload.len() as u32;
        }
        pcap.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        pcap.extend_from_slice(&0u32.to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&f);
    }
    std::fs::write(path, pcap).unwrap();
}

#[test]
fn ntlmv2_line_cracks() {
    let path = std::env::temp_dir().join(format!("pcap-creds-ntlmv2-{}.pcap", std::process::id()));
    ntlmv2_capture(&path);
    let rows = rows(&path, &[]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(rows.len(), 1, "{:?}", rows);
    let r = &rows[0];
    assert_eq!((r[2].as_str(), r[5].as_str(), r[6].as_str(), r[8].as_str(), r[9].as_str()), ("HTTP NTLMv2", "alice", "CORP", "hash", "5600"));
    assert!(r[7].starts_with("alice::CORP:1122334455667788:"), "{}", r[7]);
    verify(5600, &r[7], PASSWORD);
    // A wrong password does not pass.
    assert!(std::panic::catch_unwind(|| verify(5600, &r[7], "wrong")).is_err());
}

#[test]
fn fixture2_hashes_crack_and_passwords_are_right() {
    let cap = root().join("tests/fixtures/creds2.pcap");
    let rows = rows(&cap, &["--all"]);
    let mut modes = std::collections::BTreeSet::new();
    let mut found = std::collections::BTreeSet::new();
    for r in &rows {
        let (protocol, user, secret, kind, mode) = (&r[2], &r[5], &r[7], &r[8], &r[9]);
        match kind.as_str() {
            "hash" => {
                modes.insert(cracks(mode, secret));
            }
            // A user id alone (SOCKS4), a SCRAM login (no crackable line).
            "cleartext" if protocol == "SOCKS4" || protocol == "PostgreSQL SCRAM" => assert_eq!(secret, "", "{:?}", r),
            "cleartext" => assert_eq!(secret, PASSWORD, "{:?}", r),
            k => panic!("kind {}", k),
        }
        found.insert((protocol.clone(), user.clone()));
    }
    assert_eq!(modes.into_iter().collect::<Vec<_>>(), vec![11100, 11200, 11400]);
    let want = [
        ("MySQL", "mysqluser"),
        ("PostgreSQL", "pgclear"),
        ("PostgreSQL MD5", "pgmd5"),
        ("PostgreSQL SCRAM", "pgscram"),
        ("Redis", "default"),
        ("Redis", "redisuser"),
        ("SOCKS5", "socksuser"),
        ("SOCKS4", "socks4user"),
        ("IRC PASS", ""),
        ("IRC NickServ", "ircnick"),
        ("IRC OPER", "ircoper"),
        ("SIP Digest", "sipuser"),
    ];
    for (p, u) in want {
        assert!(found.contains(&(p.to_string(), u.to_string())), "{} {} missing from {:?}", p, u, found);
    }
    // The Redis login sent inline by nc and the IDENTIFY without an account are there too.
    assert_eq!(rows.iter().filter(|r| r[2] == "Redis" && r[5] == "default").count(), 2);
    assert_eq!(rows.iter().filter(|r| r[2] == "IRC NickServ").count(), 2);
}
