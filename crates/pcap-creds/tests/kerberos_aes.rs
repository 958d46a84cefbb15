//! The AES Kerberos hash lines (hashcat 19800/19900: AS-REQ pre-authentication; 19600/19700:
//! TGS-REP tickets) proven against the password. A capture written here holds an AS-REQ and a
//! TGS-REP encrypted as RFC 3962 says a client and a KDC encrypt them (PBKDF2-HMAC-SHA1 string
//! to key with salt REALM+name, RFC 3961 key derivation, AES-CBC with ciphertext stealing,
//! HMAC-SHA1-96); each line pcap-creds writes is then checked as hashcat checks it: derive the
//! key from the candidate password and the line's salt, decrypt, and compare the checksum. The
//! right password passes, another fails. The crypto comes from RustCrypto's crates (test-only),
//! and is itself checked against RFC 3962's test vectors first.

#[path = "support/krb.rs"]
#[allow(dead_code)]
mod krb;

use aes::cipher::{generic_array::GenericArray, BlockDecrypt, BlockEncrypt, KeyInit};
use hmac::{Hmac, Mac};
use krb::*;
use sha1::Sha1;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-creds");

/// One AES block operation with a 128- or 256-bit key.
fn block(key: &[u8], b: &mut [u8; 16], decrypt: bool) {
    let ga = GenericArray::from_mut_slice(b);
    match key.len() {
        16 => {
            let c = aes::Aes128::new_from_slice(key).unwrap();
            if decrypt { c.decrypt_block(ga) } else { c.encrypt_block(ga) }
        }
        32 => {
            let c = aes::Aes256::new_from_slice(key).unwrap();
            if decrypt { c.decrypt_block(ga) } else { c.encrypt_block(ga) }
        }
        n => panic!("AES key of {n} bytes"),
    }
}

/// AES-CBC with ciphertext stealing (RFC 3962: the last two blocks swapped, the last one
/// cut to the plaintext's length), IV zero.
fn cts_encrypt(key: &[u8], plain: &[u8]) -> Vec<u8> {
    assert!(plain.len() >= 16);
    let n = plain.len().div_ceil(16);
    let mut prev = [0u8; 16];
    let mut blocks: Vec<[u8; 16]> = Vec::new();
    for i in 0..n {
        let mut b = [0u8; 16];
        let chunk = &plain[i * 16..plain.len().min(i * 16 + 16)];
        b[..chunk.len()].copy_from_slice(chunk);
        for k in 0..16 {
            b[k] ^= prev[k];
        }
        block(key, &mut b, false);
        prev = b;
        blocks.push(b);
    }
    if n == 1 {
        return blocks[0].to_vec();
    }
    let d = plain.len() - 16 * (n - 1);
    let mut out: Vec<u8> = blocks[..n - 2].concat();
    out.extend_from_slice(&blocks[n - 1]);
    out.extend_from_slice(&blocks[n - 2][..d]);
    out
}

fn cts_decrypt(key: &[u8], c: &[u8]) -> Vec<u8> {
    assert!(c.len() >= 16);
    let n = c.len().div_ceil(16);
    if n == 1 {
        let mut b: [u8; 16] = c.try_into().unwrap();
        block(key, &mut b, true);
        return b.to_vec();
    }
    let d = c.len() - 16 * (n - 1);
    let blk = |i: usize| -> [u8; 16] { c[i * 16..i * 16 + 16].try_into().unwrap() };
    let mut out = Vec::new();
    let mut prev = [0u8; 16];
    for i in 0..n - 2 {
        let mut b = blk(i);
        block(key, &mut b, true);
        for k in 0..16 {
            b[k] ^= prev[k];
        }
        out.extend_from_slice(&b);
        prev = blk(i);
    }
    // The swapped pair: X = C(n) in full, then C(n-1) cut to d bytes.
    let cn = blk(n - 2);
    let tail = &c[16 * (n - 1)..];
    let mut dn = cn;
    block(key, &mut dn, true);
    let mut cn1 = [0u8; 16];
    cn1[..d].copy_from_slice(tail);
    cn1[d..].copy_from_slice(&dn[d..]);
    let last: Vec<u8> = (0..d).map(|k| dn[k] ^ cn1[k]).collect();
    let mut b = cn1;
    block(key, &mut b, true);
    for k in 0..16 {
        b[k] ^= prev[k];
    }
    out.extend_from_slice(&b);
    out.extend_from_slice(&last);
    out
}

/// RFC 3961's n-fold of `input` to `n` bytes.
fn nfold(input: &[u8], n: usize) -> Vec<u8> {
    let k = input.len();
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let lcm = n * k / gcd(n, k);
    // The input rotated right by 13 bits per copy, lcm bytes in all.
    let bits = k * 8;
    let bit = |buf: &[u8], i: usize| (buf[i / 8] >> (7 - i % 8)) & 1;
    let mut big = vec![0u8; lcm];
    for copy in 0..lcm / k {
        let rot = (13 * copy) % bits;
        for i in 0..bits {
            let src = (i + bits - rot) % bits;
            if bit(input, src) == 1 {
                let j = copy * bits + i;
                big[j / 8] |= 0x80 >> (j % 8);
            }
        }
    }
    // Add the n-byte chunks with one's-complement addition.
    let mut sum = vec![0u32; n];
    for chunk in big.chunks(n) {
        for (s, b) in sum.iter_mut().zip(chunk) {
            *s += *b as u32;
        }
    }
    loop {
        let mut carry = 0u32;
        for i in (0..n).rev() {
            let v = sum[i] + carry;
            sum[i] = v & 0xff;
            carry = v >> 8;
        }
        if carry == 0 {
            break;
        }
        sum[n - 1] += carry;
    }
    sum.iter().map(|&v| v as u8).collect()
}

/// DK(key, constant): the derived key (random-to-key is the identity for AES).
fn dk(key: &[u8], constant: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut b: [u8; 16] = nfold(constant, 16).try_into().unwrap();
    while out.len() < key.len() {
        block(key, &mut b, false);
        out.extend_from_slice(&b);
    }
    out.truncate(key.len());
    out
}

fn string_to_key(password: &str, salt: &str, key_len: usize, iterations: u32) -> Vec<u8> {
    let mut tkey = vec![0u8; key_len];
    pbkdf2::pbkdf2_hmac::<Sha1>(password.as_bytes(), salt.as_bytes(), iterations, &mut tkey);
    dk(&tkey, b"kerberos")
}

fn usage_key(key: &[u8], usage: u32, which: u8) -> Vec<u8> {
    let mut c = usage.to_be_bytes().to_vec();
    c.push(which);
    dk(key, &c)
}

fn hmac96(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha1> as Mac>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes()[..12].to_vec()
}

/// RFC 3962 encryption: AES-CTS(Ke, confounder ‖ plain) ‖ HMAC-SHA1-96(Ki, confounder ‖ plain).
fn encrypt(key: &[u8], usage: u32, confounder: [u8; 16], plain: &[u8]) -> Vec<u8> {
    let mut data = confounder.to_vec();
    data.extend_from_slice(plain);
    let mut out = cts_encrypt(&usage_key(key, usage, 0xaa), &data);
    out.extend_from_slice(&hmac96(&usage_key(key, usage, 0x55), &data));
    out
}

/// hashcat's check of a line: the key from the candidate password and salt, decrypt, compare
/// the checksum.
fn cracks(password: &str, salt: &str, key_len: usize, usage: u32, edata: &[u8], mac: &[u8]) -> bool {
    let key = string_to_key(password, salt, key_len, 4096);
    let plain = cts_decrypt(&usage_key(&key, usage, 0xaa), edata);
    hmac96(&usage_key(&key, usage, 0x55), &plain) == mac
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn the_test_crypto_meets_rfc_3962_vectors() {
    // Appendix B: string-to-key, 1 iteration.
    assert_eq!(string_to_key("password", "ATHENA.MIT.EDUraeburn", 16, 1), unhex("42263c6e89f4fc28b8df68ee09799f15"));
    assert_eq!(
        string_to_key("password", "ATHENA.MIT.EDUraeburn", 32, 1),
        unhex("fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161")
    );
    // Appendix B: AES-CTS with the key "chicken teriyaki".
    let key = b"chicken teriyaki";
    let p = b"I would like the General Gau's Chicken, please, ";
    for (len, want) in [
        (17, "c6353568f2bf8cb4d8a580362da7ff7f97"),
        (31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5"),
        (32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584"),
    ] {
        assert_eq!(cts_encrypt(key, &p[..len]), unhex(want), "{len} bytes");
        assert_eq!(cts_decrypt(key, &unhex(want)), p[..len].to_vec());
    }
    // RFC 3961's n-fold examples.
    assert_eq!(nfold(b"012345", 8), unhex("be072631276b1955"));
    assert_eq!(nfold(b"kerberos", 16), unhex("6b65726265726f737b9b5b2b93132b93"));
}

#[test]
fn aes_lines_crack_with_the_password() {
    let (user, realm, svc, spn_host) = ("alice", "FIXTURE.EXAMPLE", "svc_web", "web.fixture.example");
    let user_pw = "Fixture-Pass1";
    let svc_pw = "Service-Pass2";
    let mut messages = Vec::new();
    for (etype, key_len) in [(17u8, 16usize), (18, 32)] {
        // AS-REQ: PA-ENC-TIMESTAMP with the user's key (salt REALM+user), key usage 1.
        let user_key = string_to_key(user_pw, &format!("{realm}{user}"), key_len, 4096);
        let ts = seq(&[ctx(0, tlv(0x18, b"20261128060000Z")), ctx(1, tlv(0x02, &[0x01, 0xe2, 0x40]))]);
        let pa = seq(&[ctx(1, int(2)), ctx(2, tlv(0x04, &enc_data(etype, encrypt(&user_key, 1, [etype; 16], &ts))))]);
        let body = seq(&[ctx(0, tlv(0x03, &[0, 0x40, 0x81, 0, 0x10])), ctx(1, principal(1, &[user])), ctx(2, gstr(realm))]);
        messages.push((true, tlv(0x6a, &seq(&[ctx(1, int(5)), ctx(2, int(10)), ctx(3, seq(&[pa])), ctx(4, body)]))));
        // TGS-REP: a ticket for HTTP/web.fixture.example encrypted with the service account's
        // key (salt REALM+svc_web), key usage 2.
        let svc_key = string_to_key(svc_pw, &format!("{realm}{svc}"), key_len, 4096);
        let enc_ticket_part = vec![0x63; 90];
        let ticket = tlv(
            0x61,
            &seq(&[ctx(0, int(5)), ctx(1, gstr(realm)), ctx(2, principal(2, &["HTTP", spn_host])), ctx(3, enc_data(etype, encrypt(&svc_key, 2, [0x40 + etype; 16], &enc_ticket_part)))]),
        );
        let rep_part = encrypt(&user_key, 8, [0x11; 16], b"enc tgs rep part");
        messages.push((
            false,
            tlv(0x6d, &seq(&[ctx(0, int(5)), ctx(1, int(13)), ctx(3, gstr(realm)), ctx(4, principal(1, &[user])), ctx(5, ticket), ctx(6, enc_data(etype, rep_part))])),
        ));
    }
    let path = std::env::temp_dir().join(format!("pcap-creds-krb-aes-{}.pcap", std::process::id()));
    std::fs::write(&path, udp_pcap(&messages)).unwrap();
    let out = Command::new(BIN).arg("-r").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    let modes: Vec<&str> = rows.iter().map(|r| r[9]).collect();
    assert_eq!(modes, ["19800", "19600", "19900", "19700"], "{text}");
    for r in &rows {
        let line = r[7];
        let f: Vec<&str> = line.split('$').collect();
        let key_len = if f[2] == "17" { 16 } else { 32 };
        match r[9] {
            "19800" | "19900" => {
                // $krb5pa$ETYPE$user$realm$<cipher hex><checksum hex>: salt REALM+user.
                assert_eq!((f[1], f[3], f[4]), ("krb5pa", user, realm), "{line}");
                let all = unhex(f[5]);
                let (edata, mac) = all.split_at(all.len() - 12);
                let salt = format!("{}{}", f[4], f[3]);
                assert!(cracks(user_pw, &salt, key_len, 1, edata, mac), "{line} does not crack");
                assert!(!cracks("wrong", &salt, key_len, 1, edata, mac));
            }
            _ => {
                // $krb5tgs$ETYPE$user$realm$checksum$edata: hashcat salts with REALM+user, where
                // user must be the service account (the capture does not name it: pcap-creds
                // writes the client; the analyst puts the account that runs the SPN there).
                assert_eq!((f[1], f[3], f[4]), ("krb5tgs", user, realm), "{line}");
                let (mac, edata) = (unhex(f[5]), unhex(f[6]));
                let salt = format!("{}{}", f[4], svc);
                assert!(cracks(svc_pw, &salt, key_len, 2, &edata, &mac), "{line} does not crack");
                assert!(!cracks("wrong", &salt, key_len, 2, &edata, &mac));
            }
        }
    }
}
