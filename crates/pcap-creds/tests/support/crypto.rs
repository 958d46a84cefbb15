//! MD4, MD5, HMAC-MD5 and DES, written out for the tests that recompute every hash line
//! pcap-creds emits from the known password (so the tests need no cracker installed).
//! Each is checked against its standard's test vectors below.

fn md_pad(msg: &[u8]) -> Vec<u8> {
    let mut m = msg.to_vec();
    let bits = (msg.len() as u64).wrapping_mul(8);
    m.push(0x80);
    while m.len() % 64 != 56 {
        m.push(0);
    }
    m.extend_from_slice(&bits.to_le_bytes());
    m
}

fn words(block: &[u8]) -> [u32; 16] {
    let mut x = [0u32; 16];
    for (i, w) in x.iter_mut().enumerate() {
        *w = u32::from_le_bytes(block[i * 4..i * 4 + 4].try_into().unwrap());
    }
    x
}

fn out(s: [u32; 4]) -> [u8; 16] {
    let mut o = [0u8; 16];
    for (i, v) in s.iter().enumerate() {
        o[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    o
}

pub fn md4(msg: &[u8]) -> [u8; 16] {
    let mut s = [0x67452301u32, 0xefcdab89, 0x98badcfe, 0x10325476];
    for block in md_pad(msg).chunks(64) {
        let x = words(block);
        let [mut a, mut b, mut c, mut d] = s;
        let f = |x: u32, y: u32, z: u32| (x & y) | (!x & z);
        let g = |x: u32, y: u32, z: u32| (x & y) | (x & z) | (y & z);
        let h = |x: u32, y: u32, z: u32| x ^ y ^ z;
        for &i in &[0usize, 4, 8, 12] {
            a = (a.wrapping_add(f(b, c, d)).wrapping_add(x[i])).rotate_left(3);
            d = (d.wrapping_add(f(a, b, c)).wrapping_add(x[i + 1])).rotate_left(7);
            c = (c.wrapping_add(f(d, a, b)).wrapping_add(x[i + 2])).rotate_left(11);
            b = (b.wrapping_add(f(c, d, a)).wrapping_add(x[i + 3])).rotate_left(19);
        }
        for &i in &[0usize, 1, 2, 3] {
            let k = 0x5a827999u32;
            a = (a.wrapping_add(g(b, c, d)).wrapping_add(x[i]).wrapping_add(k)).rotate_left(3);
            d = (d.wrapping_add(g(a, b, c)).wrapping_add(x[i + 4]).wrapping_add(k)).rotate_left(5);
            c = (c.wrapping_add(g(d, a, b)).wrapping_add(x[i + 8]).wrapping_add(k)).rotate_left(9);
            b = (b.wrapping_add(g(c, d, a)).wrapping_add(x[i + 12]).wrapping_add(k)).rotate_left(13);
        }
        for &i in &[0usize, 2, 1, 3] {
            let k = 0x6ed9eba1u32;
            a = (a.wrapping_add(h(b, c, d)).wrapping_add(x[i]).wrapping_add(k)).rotate_left(3);
            d = (d.wrapping_add(h(a, b, c)).wrapping_add(x[i + 8]).wrapping_add(k)).rotate_left(9);
            c = (c.wrapping_add(h(d, a, b)).wrapping_add(x[i + 4]).wrapping_add(k)).rotate_left(11);
            b = (b.wrapping_add(h(c, d, a)).wrapping_add(x[i + 12]).wrapping_add(k)).rotate_left(15);
        }
        s = [s[0].wrapping_add(a), s[1].wrapping_add(b), s[2].wrapping_add(c), s[3].wrapping_add(d)];
    }
    out(s)
}

pub fn md5(msg: &[u8]) -> [u8; 16] {
    const R: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11,
        16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64).map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32).collect();
    let mut s = [0x67452301u32, 0xefcdab89, 0x98badcfe, 0x10325476];
    for block in md_pad(msg).chunks(64) {
        let x = words(block);
        let [mut a, mut b, mut c, mut d] = s;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let t = d;
            d = c;
            c = b;
            b = b.wrapping_add(a.wrapping_add(f).wrapping_add(k[i]).wrapping_add(x[g]).rotate_left(R[i]));
            a = t;
        }
        s = [s[0].wrapping_add(a), s[1].wrapping_add(b), s[2].wrapping_add(c), s[3].wrapping_add(d)];
    }
    out(s)
}

pub fn hmac_md5(key: &[u8], msg: &[u8]) -> [u8; 16] {
    let mut k = if key.len() > 64 { md5(key).to_vec() } else { key.to_vec() };
    k.resize(64, 0);
    let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(msg.iter().copied()).collect();
    let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(md5(&inner)).collect();
    md5(&outer)
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{:02x}", x)).collect()
}

/// RC4 (encryption and decryption are the same).
pub fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: Vec<u8> = (0..=255).collect();
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, j as usize);
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|&b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            b ^ s[s[i as usize].wrapping_add(s[j as usize]) as usize]
        })
        .collect()
}

/// RFC 4757 RC4-HMAC encryption with key usage `usage`: checksum ‖ encrypted data.
pub fn rc4_hmac_encrypt(password: &str, usage: u32, confounder: [u8; 8], plain: &[u8]) -> Vec<u8> {
    let k = md4(&password.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>());
    let k1 = hmac_md5(&k, &usage.to_le_bytes());
    let data = [&confounder[..], plain].concat();
    let checksum = hmac_md5(&k1, &data);
    let k3 = hmac_md5(&k1, &checksum);
    [checksum.to_vec(), rc4(&k3, &data)].concat()
}

/// True when `checksum` and `edata` decrypt with the password's RC4-HMAC key (what hashcat
/// checks for modes 7500, 13100 and 18200).
pub fn rc4_hmac_checks(password: &str, usage: u32, checksum: &[u8], edata: &[u8]) -> bool {
    let k = md4(&password.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>());
    let k1 = hmac_md5(&k, &usage.to_le_bytes());
    let k3 = hmac_md5(&k1, checksum);
    hmac_md5(&k1, &rc4(&k3, edata)) == checksum
}

/// DES (FIPS 46-3) encryption of one block.
pub fn des(key: [u8; 8], block: [u8; 8]) -> [u8; 8] {
    const PC1: [u8; 56] = [
        57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7,
        62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
    ];
    const PC2: [u8; 48] = [
        14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
        44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
    ];
    const SHIFTS: [u32; 16] = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
    const IP: [u8; 64] = [
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8, 57, 49, 41,
        33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
    ];
    const FP: [u8; 64] = [
        40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29, 36, 4, 44,
        12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
    ];
    const E: [u8; 48] = [
        32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24,
        25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
    ];
    const P: [u8; 32] = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
    const S: [[u8; 64]; 8] = [
        [
            14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8, 4, 1, 14, 8, 13, 6, 2, 11,
            15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
        ],
        [
            15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5, 0, 14, 7, 11, 10, 4, 13, 1,
            5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
        ],
        [
            10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1, 13, 6, 4, 9, 8, 15, 3, 0,
            11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
        ],
        [
            7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9, 10, 6, 9, 0, 12, 11, 7, 13,
            15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
        ],
        [
            2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6, 4, 2, 1, 11, 10, 13, 7, 8,
            15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
        ],
        [
            12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8, 9, 14, 15, 5, 2, 8, 12, 3,
            7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
        ],
        [
            4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6, 1, 4, 11, 13, 12, 3, 7, 14,
            10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
        ],
        [
            13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2, 7, 11, 4, 1, 9, 12, 14, 2,
            0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
        ],
    ];
    // Bits are numbered 1.. from the most significant bit of a `width`-bit value.
    let perm = |v: u64, width: u32, table: &[u8]| -> u64 {
        table.iter().fold(0u64, |acc, &p| (acc << 1) | ((v >> (width - p as u32)) & 1))
    };
    let k = perm(u64::from_be_bytes(key), 64, &PC1);
    let (mut c, mut d) = ((k >> 28) & 0x0fff_ffff, k & 0x0fff_ffff);
    let mut subkeys = [0u64; 16];
    for (i, sk) in subkeys.iter_mut().enumerate() {
        let r = |x: u64| ((x << SHIFTS[i]) | (x >> (28 - SHIFTS[i]))) & 0x0fff_ffff;
        c = r(c);
        d = r(d);
        *sk = perm((c << 28) | d, 56, &PC2);
    }
    let ip = perm(u64::from_be_bytes(block), 64, &IP);
    let (mut l, mut r) = (ip >> 32, ip & 0xffff_ffff);
    for sk in subkeys {
        let x = perm(r, 32, &E) ^ sk;
        let mut sout = 0u64;
        for (i, sbox) in S.iter().enumerate() {
            let six = (x >> (42 - 6 * i)) & 0x3f;
            let row = ((six >> 4) & 2) | (six & 1);
            let col = (six >> 1) & 0xf;
            sout = (sout << 4) | sbox[(row * 16 + col) as usize] as u64;
        }
        let f = perm(sout, 32, &P);
        (l, r) = (r, l ^ f);
    }
    perm((r << 32) | l, 64, &FP).to_be_bytes()
}

/// A 7-byte NTLM key spread over DES's 8 (parity bits left as they fall).
pub fn des_key7(k: &[u8]) -> [u8; 8] {
    let mut o = [0u8; 8];
    let v = k.iter().fold(0u64, |a, &b| (a << 8) | b as u64);
    for (i, byte) in o.iter_mut().enumerate() {
        *byte = (((v >> (49 - 7 * i)) & 0x7f) as u8) << 1;
    }
    o
}

#[test]
fn vectors() {
    assert_eq!(hex(&md4(b"abc")), "a448017aaf21d8525fc10ae87aa6729d");
    assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(hex(&md5(b"The quick brown fox jumps over the lazy dog")), "9e107d9d372bb6826bd81d3542a419d6");
    assert_eq!(hex(&hmac_md5(b"key", b"The quick brown fox jumps over the lazy dog")), "80070713463e7749b90c2dc24911e275");
    let k = 0x133457799BBCDFF1u64.to_be_bytes();
    assert_eq!(hex(&des(k, 0x0123456789ABCDEFu64.to_be_bytes())), "85e813540f0ab405");
    assert_eq!(hex(&rc4(b"Key", b"Plaintext")), "bbf316e8d940af0ad3");
}
