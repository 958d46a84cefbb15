//! Captures an attacker could craft: names that try to leave the output folder, symlinks
//! planted in it, a decompression bomb, a thousand objects with one name, overlong names.
//! The captures are built here, packet by packet (Ethernet, IPv4, TCP with a handshake and
//! consistent sequence numbers, HTTP on port 80). Where tshark is installed, the names
//! and contents are also compared with what tshark 4.0 writes for the same capture.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A pcap file being built.
struct Pcap {
    buf: Vec<u8>,
    t: u32,
}

impl Pcap {
    fn new() -> Pcap {
        let mut buf = Vec::new();
        buf.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
        buf.extend_from_slice(&2u16.to_le_bytes());
        buf.extend_from_slice(&4u16.to_le_bytes());
        buf.extend_from_slice(&[0; 8]);
        buf.extend_from_slice(&262144u32.to_le_bytes());
        buf.extend_from_slice(&1u32.to_le_bytes());
        Pcap { buf, t: 1_700_000_000 }
    }

    #[allow(clippy::too_many_arguments)]
    fn tcp(&mut self, src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, payload: &[u8]) {
        let mut p = Vec::with_capacity(54 + payload.len());
        p.extend_from_slice(&[2, 0, 0, 0, 0, dst[3], 2, 0, 0, 0, 0, src[3], 0x08, 0x00]);
        let total = (20 + 20 + payload.len()) as u16;
        p.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0]);
        p.extend_from_slice(&src);
        p.extend_from_slice(&dst);
        p.extend_from_slice(&sport.to_be_bytes());
        p.extend_from_slice(&dport.to_be_bytes());
        p.extend_from_slice(&seq.to_be_bytes());
        p.extend_from_slice(&ack.to_be_bytes());
        p.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        p.extend_from_slice(payload);
        self.t += 1;
        self.buf.extend_from_slice(&self.t.to_le_bytes());
        self.buf.extend_from_slice(&0u32.to_le_bytes());
        self.buf.extend_from_slice(&(p.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(&(p.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(&p);
    }

    /// One TCP connection from port `cport` to port 80: handshake, then each request and
    /// its response (in segments of at most 1400 bytes), then FIN both ways.
    fn http(&mut self, cport: u16, exchanges: &[(Vec<u8>, Vec<u8>)]) {
        let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
        let (mut cs, mut ss) = (1000u32, 5000u32);
        self.tcp(c, s, cport, 80, cs, 0, 0x02, &[]);
        self.tcp(s, c, 80, cport, ss, cs + 1, 0x12, &[]);
        cs += 1;
        ss += 1;
        self.tcp(c, s, cport, 80, cs, ss, 0x10, &[]);
        for (req, resp) in exchanges {
            for part in req.chunks(1400) {
                self.tcp(c, s, cport, 80, cs, ss, 0x18, part);
                cs += part.len() as u32;
            }
            for part in resp.chunks(1400) {
                self.tcp(s, c, 80, cport, ss, cs, 0x18, part);
                ss += part.len() as u32;
            }
        }
        self.tcp(c, s, cport, 80, cs, ss, 0x11, &[]);
        self.tcp(s, c, 80, cport, ss, cs + 1, 0x11, &[]);
    }

    fn write(&self, path: &Path) {
        std::fs::File::create(path).unwrap().write_all(&self.buf).unwrap();
    }
}

fn get(uri: &str) -> Vec<u8> {
    format!("GET {} HTTP/1.1\r\nHost: evil.example\r\n\r\n", uri).into_bytes()
}

fn ok(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\n{}Content-Length: {}\r\n\r\n", headers, body.len()).into_bytes();
    r.extend_from_slice(body);
    r
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("peo-hostile-{}-{}", std::process::id(), name));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn export(capture: &Path, dir: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pcap-export-objects"))
        .args(["-n", "-r"])
        .arg(capture)
        .arg("--export-objects")
        .arg(format!("http,{}", dir.display()))
        .args(extra)
        .output()
        .unwrap()
}

/// Name → content of every entry of a folder (symlinks read as their target path).
fn contents(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut m = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        let v = if meta.file_type().is_symlink() {
            std::fs::read_link(&p).unwrap().into_os_string().into_encoded_bytes()
        } else {
            std::fs::read(&p).unwrap()
        };
        m.insert(e.file_name().to_string_lossy().into_owned(), v);
    }
    m
}

fn tshark_available() -> bool {
    Command::new("tshark").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// tshark's files for the same capture, when tshark is installed.
fn tshark_contents(capture: &Path, name: &str) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
    if !tshark_available() {
        eprintln!("tshark not installed: the comparison with tshark is skipped");
        return None;
    }
    let dir = scratch(&format!("{}-tshark", name));
    std::fs::remove_dir(&dir).unwrap();
    let st = Command::new("tshark")
        .env("WIRESHARK_CONFIG_DIR", scratch(&format!("{}-conf", name)))
        .args(["-n", "-q", "-r"])
        .arg(capture)
        .arg("--export-objects")
        .arg(format!("http,{}", dir.display()))
        .output()
        .unwrap();
    assert!(st.status.success());
    Some(contents(&dir))
}

#[test]
fn names_never_leave_the_folder() {
    let work = scratch("traversal");
    let outside = work.join("outside");
    let evil_uris = [
        "/../../../../../../outside/passwd".to_string(),
        "/..".to_string(),
        "/.".to_string(),
        "/a/..".to_string(),
        "/..%2f..%2foutside%2fx".to_string(),
        "/x/..\\..\\outside\\y".to_string(),
        "/C:\\Windows\\evil.exe".to_string(),
        "/tab\there\x01ctrl".to_string(),
        "/?../../outside/z".to_string(),
        format!("/{}.bin", "N".repeat(1000)),
        format!("/{}", "Q".repeat(600)),
        "/x.".to_string() + &"e".repeat(400),
    ];
    let mut pcap = Pcap::new();
    let exchanges: Vec<(Vec<u8>, Vec<u8>)> =
        evil_uris.iter().enumerate().map(|(i, u)| (get(u), ok("Content-Type: text/plain\r\n", format!("body {}", i).as_bytes()))).collect();
    pcap.http(40000, &exchanges);
    let cap = work.join("traversal.pcap");
    pcap.write(&cap);
    let out = work.join("out");
    let o = export(&cap, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!outside.exists(), "a file was written outside the output folder");
    let got = contents(&out);
    assert_eq!(got.len(), evil_uris.len(), "{:?}", got.keys().collect::<Vec<_>>());
    for name in got.keys() {
        assert!(!name.contains('/') && name != "." && name != ".." && name.len() <= 255, "{:?}", name);
    }
    // Only the folder itself and the capture are in the work folder.
    let mut top: Vec<String> = std::fs::read_dir(&work).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    top.sort();
    assert_eq!(top, ["out", "traversal.pcap"]);
    if let Some(want) = tshark_contents(&cap, "traversal") {
        assert_eq!(got, want);
    }
}

#[test]
fn planted_symlinks_are_never_followed() {
    let work = scratch("symlink");
    let target = work.join("target.txt");
    std::fs::write(&target, b"original").unwrap();
    let dangling = work.join("created-through-symlink");
    let out = work.join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&target, out.join("index.html")).unwrap();
    std::os::unix::fs::symlink(&dangling, out.join("report.txt")).unwrap();
    std::os::unix::fs::symlink(&work, out.join("dir")).unwrap();
    let mut pcap = Pcap::new();
    pcap.http(
        40001,
        &[
            (get("/index.html"), ok("", b"attacker data")),
            (get("/report.txt"), ok("", b"attacker data")),
            (get("/dir"), ok("", b"attacker data")),
        ],
    );
    let cap = work.join("symlink.pcap");
    pcap.write(&cap);
    let o = export(&cap, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&target).unwrap(), b"original");
    assert!(!dangling.exists());
    let got = contents(&out);
    assert_eq!(got["index(1).html"], b"attacker data");
    assert_eq!(got["report(1).txt"], b"attacker data");
    assert_eq!(got["dir(1)"], b"attacker data");
    assert_eq!(got.len(), 6);
}

#[test]
fn decompression_bombs_stop_at_the_cap() {
    let work = scratch("bomb");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        gz.write_all(&zeros).unwrap();
    }
    let body = gz.finish().unwrap();
    assert!(body.len() < 1 << 20, "the bomb must fit in one reassembled PDU");
    let mut pcap = Pcap::new();
    pcap.http(40002, &[(get("/bomb.txt"), ok("Content-Encoding: gzip\r\nContent-Type: text/plain\r\n", &body))]);
    let cap = work.join("bomb.pcap");
    pcap.write(&cap);
    let out = work.join("out");
    let o = export(&cap, &out, &["--max-object-size", "2M"]);
    assert!(o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("warning") && stderr.contains("--max-object-size"), "{}", stderr);
    let meta = std::fs::metadata(out.join("bomb.txt")).unwrap();
    assert_eq!(meta.len(), 2 << 20);
}

#[test]
fn a_thousand_duplicates_end_as_tshark_ends_them() {
    let work = scratch("dups");
    let mut pcap = Pcap::new();
    let exchanges: Vec<(Vec<u8>, Vec<u8>)> = (0..1010).map(|i| (get("/"), ok("", format!("copy {}", i).as_bytes()))).collect();
    pcap.http(40003, &exchanges);
    let cap = work.join("dups.pcap");
    pcap.write(&cap);
    let out = work.join("out");
    let o = export(&cap, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = contents(&out);
    // "%2f", then "%2f(1)" to "%2f(999)"; tshark's 1000 tries exhausted, the last name is
    // overwritten by each later copy.
    assert_eq!(got.len(), 1000);
    assert_eq!(got["%2f"], b"copy 0");
    assert_eq!(got["%2f(998)"], b"copy 998");
    assert_eq!(got["%2f(999)"], b"copy 1009");
    if let Some(want) = tshark_contents(&cap, "dups") {
        assert_eq!(got, want);
    }
}

#[test]
fn a_second_run_into_the_same_folder_overwrites_nothing() {
    let work = scratch("rerun");
    let mut pcap = Pcap::new();
    pcap.http(40004, &[(get("/a.txt"), ok("", b"one")), (get("/a.txt"), ok("", b"two"))]);
    let cap = work.join("rerun.pcap");
    pcap.write(&cap);
    let out = work.join("out");
    assert!(export(&cap, &out, &[]).status.success());
    assert!(export(&cap, &out, &[]).status.success());
    let got = contents(&out);
    assert_eq!(got.keys().collect::<Vec<_>>(), ["a(1).txt", "a(2).txt", "a(3).txt", "a.txt"]);
    assert_eq!(got["a.txt"], b"one");
    assert_eq!(got["a(3).txt"], b"two");
}

#[test]
fn partial_responses_assemble_with_ranges_only() {
    let work = scratch("ranges");
    let whole: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 251) as u8).collect();
    let part = |a: usize, b: usize, total: &str| {
        let mut r = format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {}-{}/{}\r\nContent-Length: {}\r\n\r\n",
            a,
            b,
            total,
            b - a + 1
        )
        .into_bytes();
        r.extend_from_slice(&whole[a..=b]);
        r
    };
    let mut pcap = Pcap::new();
    // Out of order, one part overlapping another, on two connections.
    pcap.http(40005, &[(get("/files/big.bin"), part(2000, 2999, "3000")), (get("/files/big.bin"), part(0, 1199, "3000"))]);
    pcap.http(40006, &[(get("/files/big.bin"), part(1000, 2099, "*"))]);
    let cap = work.join("ranges.pcap");
    pcap.write(&cap);
    // tshark's way: each part its own object.
    let plain = work.join("plain");
    assert!(export(&cap, &plain, &[]).status.success());
    assert_eq!(contents(&plain).len(), 3);
    if let Some(want) = tshark_contents(&cap, "ranges") {
        assert_eq!(contents(&plain), want);
    }
    // --ranges: one file, the resource rebuilt; the manifest says it is complete.
    let out = work.join("out");
    let manifest = work.join("m.tsv");
    let o = export(&cap, &out, &["--ranges", "--manifest", manifest.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = contents(&out);
    assert_eq!(got.keys().collect::<Vec<_>>(), ["big.bin"]);
    assert_eq!(got["big.bin"], whole);
    let m = std::fs::read_to_string(&manifest).unwrap();
    let row: Vec<&str> = m.lines().nth(1).unwrap().split('\t').collect();
    assert_eq!((row[6], row[7], row[8], row[11]), ("3000", "3000", "yes", "big.bin"), "{}", m);
}
