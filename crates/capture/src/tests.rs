//! Unit tests: small captures built byte by byte.

use super::*;

// ---- builders -------------------------------------------------------------

fn pcap_header(magic: u32, big: bool, major: u16, minor: u16, snap: u32, network: u32) -> Vec<u8> {
    let mut v = Vec::new();
    let p32 = |v: &mut Vec<u8>, x: u32| v.extend(if big { x.to_be_bytes() } else { x.to_le_bytes() });
    p32(&mut v, magic);
    for x in [major, minor] {
        v.extend(if big { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    p32(&mut v, 0);
    p32(&mut v, 0);
    p32(&mut v, snap);
    p32(&mut v, network);
    v
}

fn pcap_record(big: bool, sec: u32, frac: u32, data: &[u8], orig: u32) -> Vec<u8> {
    let mut v = Vec::new();
    for x in [sec, frac, data.len() as u32, orig] {
        v.extend(if big { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    v.extend(data);
    v
}

/// A pcapng block writer for one byte order.
struct Ng {
    big: bool,
}

impl Ng {
    fn u16(&self, x: u16) -> [u8; 2] {
        if self.big { x.to_be_bytes() } else { x.to_le_bytes() }
    }
    fn u32(&self, x: u32) -> [u8; 4] {
        if self.big { x.to_be_bytes() } else { x.to_le_bytes() }
    }
    fn options(&self, opts: &[(u16, &[u8])]) -> Vec<u8> {
        let mut v = Vec::new();
        for (code, val) in opts {
            v.extend(self.u16(*code));
            v.extend(self.u16(val.len() as u16));
            v.extend(*val);
            v.resize(v.len().div_ceil(4) * 4, 0);
        }
        if !opts.is_empty() {
            v.extend([0; 4]);
        }
        v
    }
    fn block(&self, ty: u32, body: &[u8]) -> Vec<u8> {
        let len = 12 + body.len() as u32;
        let mut v = Vec::new();
        v.extend(self.u32(ty));
        v.extend(self.u32(len));
        v.extend(body);
        v.extend(self.u32(len));
        v
    }
    fn shb(&self, opts: &[(u16, &[u8])]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(self.u32(0x1A2B3C4D));
        b.extend(self.u16(1));
        b.extend(self.u16(0));
        b.extend([0xff; 8]);
        b.extend(self.options(opts));
        self.block(0x0A0D0D0A, &b)
    }
    fn idb(&self, linktype: u16, snap: u32, opts: &[(u16, &[u8])]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(self.u16(linktype));
        b.extend(self.u16(0));
        b.extend(self.u32(snap));
        b.extend(self.options(opts));
        self.block(1, &b)
    }
    fn epb(&self, iface: u32, ts: u64, data: &[u8], orig: u32, opts: &[(u16, &[u8])]) -> Vec<u8> {
        let mut b = Vec::new();
        for x in [iface, (ts >> 32) as u32, ts as u32, data.len() as u32, orig] {
            b.extend(self.u32(x));
        }
        b.extend(data);
        b.resize(b.len().div_ceil(4) * 4, 0);
        b.extend(self.options(opts));
        self.block(6, &b)
    }
    fn spb(&self, data: &[u8], orig: u32) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(self.u32(orig));
        b.extend(data);
        b.resize(b.len().div_ceil(4) * 4, 0);
        self.block(3, &b)
    }
    fn pb(&self, iface: u16, ts: u64, data: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(self.u16(iface));
        b.extend(self.u16(0));
        for x in [(ts >> 32) as u32, ts as u32, data.len() as u32, data.len() as u32] {
            b.extend(self.u32(x));
        }
        b.extend(data);
        b.resize(b.len().div_ceil(4) * 4, 0);
        self.block(2, &b)
    }
}

const LE: Ng = Ng { big: false };
const BE: Ng = Ng { big: true };

#[derive(Debug, PartialEq)]
struct P {
    ts_ns: i64,
    len: u32,
    caplen: usize,
    linktype: u32,
    iface: u32,
    comments: Vec<String>,
    digits: u8,
}

impl P {
    fn of(p: &Packet) -> P {
        P {
            ts_ns: p.ts_ns,
            len: p.len,
            caplen: p.data.len(),
            linktype: p.linktype,
            iface: p.interface_id,
            comments: p.comments.to_vec(),
            digits: p.ts_digits,
        }
    }
}

/// Reads everything: the packets, then the error message if any.
fn read_all(bytes: Vec<u8>) -> (Vec<P>, Option<String>) {
    let mut r = match CaptureReader::from_bytes(bytes) {
        Ok(r) => r,
        Err(e) => return (vec![], Some(e.to_string())),
    };
    let mut out = Vec::new();
    loop {
        match r.next_packet() {
            Ok(Some(p)) => out.push(P::of(&p)),
            Ok(None) => return (out, None),
            Err(e) => {
                // After an error the reader stays finished.
                assert!(r.next_packet().unwrap().is_none());
                return (out, Some(e.to_string()));
            }
        }
    }
}

fn pkt(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}

// ---- pcap -----------------------------------------------------------------

#[test]
fn pcap_both_byte_orders_and_resolutions() {
    for big in [false, true] {
        let mut f = pcap_header(0xa1b2c3d4, big, 2, 4, 65535, 1);
        f.extend(pcap_record(big, 1_700_000_000, 123_456, &pkt(60), 60));
        f.extend(pcap_record(big, 1_700_000_001, 5, &pkt(10), 1500));
        let (ps, e) = read_all(f);
        assert_eq!(e, None);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].ts_ns, 1_700_000_000_123_456_000);
        assert_eq!((ps[1].len, ps[1].caplen, ps[1].digits, ps[1].linktype), (1500, 10, 6, 1));

        let mut f = pcap_header(0xa1b23c4d, big, 2, 4, 65535, 101);
        f.extend(pcap_record(big, 1_700_000_000, 123_456_789, &pkt(20), 20));
        let (ps, e) = read_all(f);
        assert_eq!(e, None);
        assert_eq!((ps[0].ts_ns, ps[0].digits, ps[0].linktype), (1_700_000_000_123_456_789, 9, 101));
    }
}

#[test]
fn pcap_unnormalised_microseconds_kept_like_wiretap() {
    let mut f = pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 1);
    f.extend(pcap_record(false, 1_701_999_731, 1_011_041, &pkt(20), 20));
    let mut r = CaptureReader::from_bytes(f).unwrap();
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!((p.ts_sec, p.ts_nsec), (1_701_999_731, 1_011_041_000));
    assert_eq!(p.ts_ns, 1_701_999_732_011_041_000);
    assert!(!p.has_interface_id && p.has_ts && p.comments.is_empty());
}

#[test]
fn pcap_old_versions_swap_lengths() {
    let mut f = pcap_header(0xa1b2c3d4, false, 2, 2, 65535, 1);
    // incl/orig written in the pre-2.3 order: orig first.
    for x in [1u32, 2, 1500, 60] {
        f.extend(x.to_le_bytes());
    }
    f.extend(pkt(60));
    let (ps, e) = read_all(f);
    assert_eq!(e, None);
    assert_eq!((ps[0].len, ps[0].caplen), (1500, 60));
}

#[test]
fn pcap_errors_match_tshark() {
    let hdr = pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 1);
    let rec = pcap_record(false, 1, 2, &pkt(60), 60);
    let msg = |s: &str| Some(s.replace("X", "-"));

    // Record bigger than 262144 (4th record, so the variant guess is plain pcap).
    let mut f = hdr.clone();
    for _ in 0..3 {
        f.extend(&rec);
    }
    for x in [1u32, 2, 300_000, 300_000] {
        f.extend(x.to_le_bytes());
    }
    let (ps, e) = read_all(f);
    assert_eq!(ps.len(), 3);
    assert_eq!(e, msg("The file \"X\" appears to be damaged or corrupt.\n(pcap: File has 300000-byte packet, bigger than maximum of 262144)"));

    // Truncated record and truncated record header: packets first, then the error.
    let mut f = hdr.clone();
    f.extend(&rec);
    f.extend(&rec[..rec.len() - 5]);
    let (ps, e) = read_all(f.clone());
    assert_eq!(ps.len(), 1);
    assert_eq!(e, msg("The file \"X\" appears to have been cut short in the middle of a packet."));
    f.truncate(hdr.len() + rec.len() + 7);
    assert_eq!(read_all(f).1, msg("The file \"X\" appears to have been cut short in the middle of a packet."));

    // Truncated file header.
    assert_eq!(
        read_all(hdr[..10].to_vec()).1,
        msg("The file \"X\" appears to have been cut short in the middle of a packet or other data.")
    );
    // Empty file and header-only file: nothing, no error.
    assert_eq!(read_all(vec![]), (vec![], None));
    assert_eq!(read_all(hdr.clone()), (vec![], None));
    // Not a capture.
    assert_eq!(
        read_all(b"hello, world\n".to_vec()).1,
        msg("The file \"X\" isn't a capture file in a format TShark understands.")
    );
    // Unsupported link type, reserved bits.
    assert_eq!(
        read_all(pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 289)).1,
        msg("The file \"X\" contains record data that TShark doesn't support.\n(pcap: network type 289 unknown or unsupported)")
    );
    assert_eq!(
        read_all(pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 0x10001)).1,
        msg("The file \"X\" contains record data that TShark doesn't support.\n(pcap: network type reserved field not zero (0x00010000))")
    );
    // FCS-length bits are accepted.
    assert_eq!(read_all(pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 0x2400_0001)), (vec![], None));
}

#[test]
fn pcap_pseudo_headers_are_stripped() {
    let mut f = pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 209); // I2C: 5 bytes
    f.extend(pcap_record(false, 1, 2, &pkt(60), 60));
    f.extend(pcap_record(false, 1, 2, &pkt(2), 2));
    let (ps, e) = read_all(f);
    assert_eq!((ps[0].len, ps[0].caplen), (55, 55));
    assert_eq!(e.unwrap().lines().nth(1), Some("(pcap/pcapng: I2C file has a 2-byte packet, too small to have even a I2C pseudo-header)"));
}

#[test]
fn pcap_large_record_grows_buffer_and_hostile_length_does_not_allocate() {
    // USB allows up to 128 MiB records: a 3 MB packet must be read whole.
    let mut f = pcap_header(0xa1b2c3d4, false, 2, 4, 0x0800_0000, 189);
    f.extend(pcap_record(false, 1, 2, &vec![7u8; 3_000_000], 3_000_000));
    let (ps, e) = read_all(f);
    assert_eq!((ps.len(), ps[0].caplen, e), (1, 3_000_000, None));
    // A 100 MB record length in a tiny file: cut short, without a 100 MB buffer.
    let mut f = pcap_header(0xa1b2c3d4, false, 2, 4, 0x0800_0000, 189);
    for x in [1u32, 2, 100_000_000, 100_000_000] {
        f.extend(x.to_le_bytes());
    }
    let mut r = CaptureReader::from_bytes(f).unwrap();
    assert_eq!(*r.next_packet().unwrap_err().kind(), ErrorKind::CutShort);
    assert!(r.input.buffer().len() <= buffer::INITIAL_BUFFER);
}

// ---- pcapng ---------------------------------------------------------------

#[test]
fn pcapng_comments_and_lengths() {
    let mut f = LE.shb(&[(1, b"section one")]);
    f.extend(LE.idb(1, 0, &[]));
    f.extend(LE.epb(0, 1_700_000_000_123_456, &pkt(60), 60, &[]));
    f.extend(LE.epb(0, 1_700_000_000_123_457, &pkt(33), 100, &[(1, b"first"), (1, b"second\0junk")]));
    f.extend(LE.epb(0, 1_700_000_000_123_458, &pkt(1), 1, &[]));
    let mut r = CaptureReader::from_bytes(f).unwrap();
    assert_eq!(r.section_comments(), ["section one"]);
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!((p.ts_ns, p.len, p.data, p.has_interface_id), (1_700_000_000_123_456_000, 60, &pkt(60)[..], true));
    assert!(p.comments.is_empty());
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!((p.len, p.data.len()), (100, 33));
    assert_eq!(p.comments, ["first", "second"]);
    let p = r.next_packet().unwrap().unwrap();
    assert!(p.comments.is_empty());
    assert!(r.next_packet().unwrap().is_none());
}

#[test]
fn pcapng_sections_byte_orders_and_interfaces() {
    let mut f = LE.shb(&[]);
    f.extend(LE.idb(1, 0, &[]));
    f.extend(LE.idb(101, 0, &[(9, &[9])]));
    f.extend(LE.epb(1, 1_700_000_000_123_456_789, &pkt(60), 60, &[]));
    f.extend(LE.epb(0, 1_700_000_000_123_456, &pkt(60), 60, &[]));
    f.extend(BE.shb(&[(1, b"second section")]));
    f.extend(BE.idb(101, 0, &[]));
    f.extend(BE.idb(1, 0, &[]));
    f.extend(BE.idb(0, 0, &[]));
    f.extend(BE.epb(2, 1_700_000_000_123_456, &pkt(60), 60, &[]));
    f.extend(BE.epb(1, 1_700_000_000_123_456, &pkt(60), 60, &[]));
    f.extend(BE.pb(0, 1_700_000_000_123_456, &pkt(8)));
    let (ps, e) = read_all(f);
    assert_eq!(e, None);
    let got: Vec<_> = ps.iter().map(|p| (p.linktype, p.iface, p.digits, p.ts_ns)).collect();
    let t = 1_700_000_000_123_456_000;
    // tshark 4.0.17 reports the interface index within the section.
    assert_eq!(got, [(101, 1, 9, 1_700_000_000_123_456_789), (1, 0, 6, t), (0, 2, 6, t), (1, 1, 6, t), (101, 0, 6, t)]);
}

#[test]
fn pcapng_timestamp_resolutions_and_offset() {
    let mut f = LE.shb(&[]);
    for r in [3u8, 0x94, 4, 12, 0x9e, 0] {
        f.extend(LE.idb(1, 0, &[(9, &[r])]));
    }
    f.extend(LE.idb(1, 0, &[(14, &1000i64.to_le_bytes())]));
    f.extend(LE.epb(0, 1_700_000_000_123, &pkt(4), 4, &[]));
    f.extend(LE.epb(1, (1_700_000_000 << 20) + 777_777, &pkt(4), 4, &[]));
    f.extend(LE.epb(2, 17_000_000_001_234, &pkt(4), 4, &[]));
    f.extend(LE.epb(3, 17_000_000_001_234_567_890, &pkt(4), 4, &[]));
    f.extend(LE.epb(4, (1_700_000_000 << 30) + 123_456_789, &pkt(4), 4, &[]));
    f.extend(LE.epb(5, 1_700_000_000, &pkt(4), 4, &[]));
    f.extend(LE.epb(6, 1_700_000_000_123_456, &pkt(4), 4, &[]));
    let (ps, e) = read_all(f);
    assert_eq!(e, None);
    let got: Vec<_> = ps.iter().map(|p| (p.ts_ns, p.digits)).collect();
    // Values (and -t ad digits) printed by tshark 4.0.17 for the same file.
    assert_eq!(
        got,
        [
            (1_700_000_000_123_000_000, 3),
            (1_700_000_000_741_745_948, 6),
            (1_700_000_000_123_400_000, 3),
            (17_000_000_001_234_567, 9),
            (1_700_000_000_114_978_094, 9),
            (1_700_000_000_000_000_000, 0),
            (1_700_001_000_123_456_000, 6),
        ]
    );
}

#[test]
fn pcapng_simple_packet_blocks_and_unknown_blocks() {
    let mut f = LE.shb(&[]);
    f.extend(LE.idb(1, 20, &[]));
    f.extend(LE.block(0x1234_5678, b"abcdefgh"));
    f.extend(LE.spb(&pkt(20), 60));
    f.extend(LE.block(5, &[0; 16]));
    f.extend(LE.epb(0, 5, &pkt(60), 60, &[]));
    let mut r = CaptureReader::from_bytes(f).unwrap();
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!((p.len, p.data.len(), p.has_ts, p.ts_ns, p.interface_id), (60, 20, false, 0, 0));
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!((p.len, p.data.len(), p.has_ts), (60, 60, true));
    assert!(r.next_packet().unwrap().is_none());
}

#[test]
fn pcapng_errors_match_tshark() {
    let base = [LE.shb(&[]), LE.idb(1, 0, &[]), LE.epb(0, 1, &pkt(60), 60, &[])].concat();
    let with = |extra: &[u8]| [&base[..], extra].concat();
    let detail = |f: Vec<u8>| {
        let (ps, e) = read_all(f);
        (ps.len(), e.unwrap().lines().nth(1).unwrap_or("").to_string())
    };
    assert_eq!(detail(with(&LE.epb(3, 1, &pkt(4), 4, &[]))), (1, "(pcapng: interface index 3 is not less than section interface count 1)".into()));
    let mut bad_trailer = LE.epb(0, 1, &pkt(4), 4, &[]);
    let n = bad_trailer.len();
    bad_trailer[n - 4..].copy_from_slice(&99u32.to_le_bytes());
    assert_eq!(detail(with(&bad_trailer)), (1, "(pcapng: total block lengths (first 36 and second 100) don't match)".into()));
    let mut huge = vec![6, 0, 0, 0];
    huge.extend(0xFFFF_FFF0u32.to_le_bytes());
    huge.extend([b'x'; 100]);
    assert_eq!(detail(with(&huge)), (1, "(pcapng: total block length 4294967280 is too large (> 134348832))".into()));
    let mut small = vec![6, 0, 0, 0, 16, 0, 0, 0];
    small.extend([0; 8]);
    assert_eq!(detail(with(&small)), (1, "(pcapng: total block length 16 of an EPB is less than the minimum EPB size 32)".into()));
    assert_eq!(detail(with(&LE.epb(0, 1, &pkt(4), 4, &[(2, b"ab")]))), (1, "(pcapng: packet block flags option length 2 is not 4)".into()));
    assert_eq!(detail([LE.shb(&[]), LE.spb(&pkt(4), 4)].concat()), (0, "(pcapng: SPB appeared before any IDBs in the section)".into()));
    let mut v1 = LE.shb(&[]);
    v1[14] = 1; // minor version 1
    assert_eq!(read_all(v1).1.unwrap(), "The file \"-\" contains record data that TShark doesn't support.\n(pcapng: unknown SHB version 1.1)");

    // Truncations: inside a packet block, inside a block header, inside the
    // first SHB (not pcapng at all), inside its trailer, inside a leading IDB.
    let full = with(&LE.epb(0, 1, &pkt(60), 60, &[]));
    let cut = "The file \"-\" appears to have been cut short in the middle of a packet.";
    let cut_open = "The file \"-\" appears to have been cut short in the middle of a packet or other data.";
    assert_eq!(read_all(full[..full.len() - 10].to_vec()), (read_all(base.clone()).0, Some(cut.into())));
    assert_eq!(read_all(full[..base.len() + 5].to_vec()).1.unwrap(), cut);
    assert_eq!(read_all(base[..20].to_vec()).1.unwrap(), "The file \"-\" isn't a capture file in a format TShark understands.");
    assert_eq!(read_all(base[..26].to_vec()).1.unwrap(), cut_open);
    assert_eq!(read_all(base[..40].to_vec()).1.unwrap(), cut_open);
    // A lone SHB is a valid, empty capture.
    assert_eq!(read_all(LE.shb(&[])), (vec![], None));
}

// ---- gzip, multiple files, globbing ---------------------------------------

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn gzip_is_detected_by_content() {
    let mut f = pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 1);
    for i in 0..1000 {
        f.extend(pcap_record(false, i, 0, &pkt(100), 100));
    }
    let (plain, _) = read_all(f.clone());
    let z = gzip(&f);
    let zlen = z.len() as u64;
    let mut r = CaptureReader::from_bytes(z.clone()).unwrap();
    let mut n = 0;
    while r.next_packet().unwrap().is_some() {
        n += 1;
    }
    assert_eq!((n, r.bytes_read(), r.total_bytes()), (1000, zlen, Some(zlen)));
    // Several gzip members in a row are one stream.
    let half = f.len() / 2;
    let two = [gzip(&f[..half]), gzip(&f[half..])].concat();
    assert_eq!(read_all(two).0, plain);
    // Bytes after the last member that are not gzip are read uncompressed.
    let mixed = [gzip(&f[..half]), f[half..].to_vec()].concat();
    assert_eq!(read_all(mixed).0, plain);
    // Truncated gzip: the complete packets, then "cut short".
    let (ps, e) = read_all(z[..z.len() - 100].to_vec());
    assert!(ps.len() < 1000 && ps[..] == plain[..ps.len()]);
    assert_eq!(e.unwrap(), "The file \"-\" appears to have been cut short in the middle of a packet.");
}

#[test]
fn multireader_and_expand_inputs() {
    let dir = std::env::temp_dir().join(format!("pcaptk-capture-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, n) in [("b.pcap", 2), ("a.pcap", 3)] {
        let mut f = pcap_header(0xa1b2c3d4, false, 2, 4, 65535, 1);
        for i in 0..n {
            f.extend(pcap_record(false, i, 0, &pkt(10), 10));
        }
        std::fs::write(dir.join(name), f).unwrap();
    }
    let d = dir.display();
    let pattern = format!("{d}/*.pcap");
    let files = expand_inputs(&[pattern.clone(), "-".into(), format!("{d}/missing.pcap")]).unwrap();
    assert_eq!(files, [format!("{d}/a.pcap"), format!("{d}/b.pcap"), "-".into(), format!("{d}/missing.pcap")]);
    let e = expand_inputs(&[format!("{d}/*.nothing")]).unwrap_err();
    assert_eq!(e.to_string(), format!("The file \"{d}/*.nothing\" doesn't exist."));
    assert_eq!(e.exit_code(), 2);

    let mut m = MultiReader::new(files[..2].to_vec());
    let mut n = 0;
    while let Some(p) = m.next_packet().unwrap() {
        assert_eq!(p.data.len(), 10);
        n += 1;
    }
    assert_eq!(n, 5);
    assert_eq!(Some(m.bytes_read()), m.total_bytes());

    let mut m = MultiReader::new(vec![files[0].clone(), files[3].clone()]);
    for _ in 0..3 {
        assert!(m.next_packet().unwrap().is_some());
    }
    let e = m.next_packet().unwrap_err();
    assert_eq!(e.to_string(), format!("The file \"{d}/missing.pcap\" doesn't exist."));
    assert!(m.next_packet().unwrap().is_none());

    let e = CaptureReader::open(&d.to_string()).unwrap_err();
    assert_eq!(e.to_string(), format!("\"{d}\" is a directory (folder), not a file."));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Reads a file with or without its memory map: every packet's bytes, then the error.
fn read_file(path: &std::path::Path, mmap: bool) -> (Vec<(P, Vec<u8>)>, Option<String>) {
    let mut r = match CaptureReader::open_with(path.to_str().unwrap(), mmap) {
        Ok(r) => r,
        Err(e) => return (vec![], Some(e.to_string())),
    };
    assert_eq!(r.input.mapping().is_some(), mmap, "mapped as asked");
    let mut out = Vec::new();
    loop {
        match r.next_packet() {
            Ok(Some(p)) => {
                if let Some(m) = p.mapped {
                    // The packet's bytes lie inside the map it names.
                    let base = m.bytes().as_ptr() as usize;
                    let at = p.data.as_ptr() as usize;
                    assert!(at >= base && at + p.data.len() <= base + m.bytes().len());
                }
                out.push((P::of(&p), p.data.to_vec()));
            }
            Ok(None) => {
                assert_eq!(Some(r.bytes_read()), r.total_bytes());
                return (out, None);
            }
            Err(e) => return (out, Some(e.to_string())),
        }
    }
}

#[test]
fn mapped_files_read_like_read_files() {
    let dir = std::env::temp_dir().join(format!("pcaptk-capture-mmap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Over several windows, with records of every size up to one far bigger than a window
    // step's remainder, in pcap and pcapng.
    let mut pcap = pcap_header(0xa1b2c3d4, false, 2, 4, 262144, 1);
    let mut ng = LE.shb(&[]);
    ng.extend(LE.idb(1, 262144, &[]));
    let mut record_at = Vec::new();
    for i in 0..12000u32 {
        record_at.push(pcap.len());
        let n = if i % 1000 == 999 { 200_000 } else { (i as usize * 37) % 1500 };
        let data: Vec<u8> = (0..n).map(|k| (k as u32 ^ i) as u8).collect();
        pcap.extend(pcap_record(false, i, 0, &data, n as u32));
        ng.extend(LE.epb(0, i as u64 * 1_000_000, &data, n as u32, &[]));
    }
    assert!(pcap.len() > 8 << 20, "spans several windows");
    for (name, bytes) in [("a.pcap", &pcap), ("a.pcapng", &ng)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let (read, e) = read_file(&path, false);
        assert_eq!((read.len(), &e), (12000, &None));
        assert!(read == read_file(&path, true).0);
        // Cut short in the middle of a packet: the same packets, then the same error.
        std::fs::write(&path, &bytes[..bytes.len() - 700]).unwrap();
        let (a, b) = (read_file(&path, false), read_file(&path, true));
        assert!(a.1.as_deref().is_some_and(|e| e.contains("cut short")), "{:?}", a.1);
        assert!(a == b);
    }
    // gzip on disk is decompressed, not mapped.
    let path = dir.join("z.pcap.gz");
    std::fs::write(&path, gzip(&pcap)).unwrap();
    let r = CaptureReader::open_with(path.to_str().unwrap(), true).unwrap();
    assert!(r.input.mapping().is_none());
    drop(r);
    // A file that grows after it was opened (mapped) is read to its new end, from the
    // middle of a record on.
    let path = dir.join("growing.pcap");
    let cut = record_at[3000] + 5;
    std::fs::write(&path, &pcap[..cut]).unwrap();
    let mut r = CaptureReader::open_with(path.to_str().unwrap(), true).unwrap();
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&pcap[cut..]).unwrap();
    }
    let mut n = 0;
    while r.next_packet().unwrap().is_some() {
        n += 1;
    }
    assert_eq!(n, 12000);
    std::fs::remove_dir_all(&dir).unwrap();
}
