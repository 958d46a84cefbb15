//! Live capture end to end, in a fresh network namespace (so no other traffic is seen):
//! real clients make traffic on its loopback while pcap-capture and tcpdump capture it with
//! the same BPF filter and rotation, and the tools analyse it live.
//!
//! These tests need root (or CAP_SYS_ADMIN + CAP_NET_RAW) and `ip netns`; without them
//! they print why they are skipped and pass. CI runs as root.

use pcaptk_capture::CaptureReader;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A network namespace with its loopback up, deleted on drop.
struct Netns {
    name: String,
}

impl Netns {
    fn new(tag: &str) -> Result<Netns, String> {
        let name = format!("pcaptk-{}-{}", tag, std::process::id());
        let st = Command::new("ip").args(["netns", "add", &name]).stderr(Stdio::piped()).output();
        match st {
            Ok(o) if o.status.success() => {}
            Ok(o) => return Err(format!("`ip netns add` failed: {}", String::from_utf8_lossy(&o.stderr).trim())),
            Err(e) => return Err(format!("`ip` could not be run: {e}")),
        }
        let ns = Netns { name };
        let up = ns.cmd("ip", &["link", "set", "lo", "up"]).output().map_err(|e| e.to_string())?;
        if !up.status.success() {
            return Err(format!("bringing lo up in the namespace failed: {}", String::from_utf8_lossy(&up.stderr).trim()));
        }
        Ok(ns)
    }

    /// A command run inside the namespace.
    fn cmd(&self, prog: &str, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name, prog]).args(args);
        c
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "delete", &self.name]).status();
    }
}

fn skip(test: &str, why: &str) {
    eprintln!("SKIPPED {test}: {why}");
}

/// target/release (or debug), where the workspace's binaries are.
fn bin_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pcap-capture")).parent().expect("bin dir").to_path_buf()
}

fn sibling(name: &str) -> Option<PathBuf> {
    let p = bin_dir().join(name);
    p.is_file().then_some(p)
}

fn have(prog: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {prog} >/dev/null 2>&1")]).status().is_ok_and(|s| s.success())
}

/// Waits until `path` holds `needle` (a "listening on" line), up to 10 s.
fn wait_for(path: &Path, needle: &str) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if std::fs::read_to_string(path).is_ok_and(|s| s.contains(needle)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn sigint(child: &Child) {
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pcaptk-live-{}-{}", tag, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Every packet of the files, in order: (sec, nsec, len, data).
fn packets(files: &[PathBuf]) -> Vec<(i64, u32, u32, Vec<u8>)> {
    let mut out = Vec::new();
    for f in files {
        let mut r = CaptureReader::open(f.to_str().expect("utf-8 path")).expect("readable capture");
        while let Some(p) = r.next_packet().expect("packet") {
            out.push((p.ts_sec, p.ts_nsec, p.len, p.data.to_vec()));
        }
    }
    out
}

/// The files of a tcpdump -C -W ring in the order written (cap0, cap1, ...).
fn ring_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| !p.to_string_lossy().ends_with(".err")).collect();
    v.sort();
    v
}

#[test]
fn rotated_capture_holds_exactly_what_tcpdump_captures() {
    const T: &str = "rotated_capture_holds_exactly_what_tcpdump_captures";
    if !have("tcpdump") {
        return skip(T, "tcpdump is not installed (apt-get install tcpdump)");
    }
    let ns = match Netns::new("rot") {
        Ok(n) => n,
        Err(e) => return skip(T, &format!("needs root and `ip netns` ({e})")),
    };
    let dir = tmpdir("rot");
    let (a, b, www) = (dir.join("a"), dir.join("b"), dir.join("www"));
    for d in [&a, &b, &www] {
        std::fs::create_dir_all(d).expect("dir");
    }
    // 1.6 MB served three times: > 4.8 MB on the loopback, so at least 4 files of -C 1.
    let body: Vec<u8> = (0..1_600_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(www.join("blob.bin"), &body).expect("write blob");
    let filter = "tcp port 8000";
    let aerr = std::fs::File::create(a.join("x.err")).expect("err file");
    let berr = std::fs::File::create(b.join("x.err")).expect("err file");
    let mut pc = ns
        .cmd(env!("CARGO_BIN_EXE_pcap-capture"), &["-i", "lo", "-B", "65536", "-w", a.join("cap").to_str().unwrap(), "-C", "1", "-W", "10", filter])
        .stderr(aerr)
        .spawn()
        .expect("pcap-capture runs");
    let mut td = ns
        .cmd("tcpdump", &["-Z", "root", "-i", "lo", "-B", "65536", "-w", b.join("cap").to_str().unwrap(), "-C", "1", "-W", "10", filter])
        .stderr(berr)
        .spawn()
        .expect("tcpdump runs");
    assert!(wait_for(&a.join("x.err"), "listening on"), "pcap-capture did not start");
    assert!(wait_for(&b.join("x.err"), "listening on"), "tcpdump did not start");
    let mut server = ns
        .cmd("python3", &["-m", "http.server", "8000", "--bind", "127.0.0.1", "--directory", www.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 http.server runs");
    std::thread::sleep(Duration::from_millis(700));
    for _ in 0..3 {
        let got = if have("curl") {
            ns.cmd("curl", &["-s", "--retry", "5", "--retry-connrefused", "http://127.0.0.1:8000/blob.bin"]).output()
        } else {
            ns.cmd("python3", &["-c", "import urllib.request,sys;sys.stdout.buffer.write(urllib.request.urlopen('http://127.0.0.1:8000/blob.bin').read())"]).output()
        }
        .expect("client runs");
        assert_eq!(got.stdout.len(), body.len(), "the HTTP client got the whole file");
    }
    let _ = server.kill();
    let _ = server.wait();
    // Let both capturers read the last packets before they are stopped.
    std::thread::sleep(Duration::from_millis(1000));
    sigint(&pc);
    sigint(&td);
    let pst = pc.wait().expect("pcap-capture ends");
    let _ = td.wait();
    assert!(pst.success(), "pcap-capture exits 0 after SIGINT");
    let report = std::fs::read_to_string(a.join("x.err")).unwrap_or_default();
    assert!(report.contains("received by filter") && report.contains("dropped by kernel"), "tcpdump-style counts printed: {report}");
    let berr = std::fs::read_to_string(b.join("x.err")).unwrap_or_default();
    // A packet the kernel dropped for one capturer and not the other cannot match.
    let no_drops = |r: &str| r.contains(" 0 packets dropped by kernel") || r.contains("\n0 packets dropped by kernel");
    assert!(no_drops(&report) && no_drops(&berr), "no drops with 64 MiB buffers:\n{report}\n{berr}");
    let (fa, fb) = (ring_files(&a), ring_files(&b));
    let names = |v: &[PathBuf]| v.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect::<Vec<_>>();
    assert!(fa.len() >= 3, "at least 3 rotated files, got {:?}", names(&fa));
    assert_eq!(names(&fa), names(&fb), "the same file names as tcpdump");
    let (pa, pb) = (packets(&fa), packets(&fb));
    assert!(pa.len() > 100, "captured {} packets", pa.len());
    assert_eq!(pa.len(), pb.len(), "as many packets as tcpdump");
    // The same packets: identical data and lengths. Two capturing sockets may see packets
    // sent at the same instant from two CPUs in a different order, so the packets are
    // compared as sorted lists, and their time stamps (each socket's own reading of the clock
    // when the loopback packet carries none) within a millisecond.
    let key = |p: &(i64, u32, u32, Vec<u8>)| (p.2, p.3.clone());
    let (mut sa, mut sb): (Vec<_>, Vec<_>) = (pa.iter().map(key).collect(), pb.iter().map(key).collect());
    sa.sort();
    sb.sort();
    let differing = sa.iter().zip(&sb).filter(|(x, y)| x != y).count();
    assert_eq!(differing, 0, "{differing} of {} packets differ from tcpdump's", sa.len());
    let in_place = pa.iter().zip(&pb).filter(|(x, y)| x.2 == y.2 && x.3 == y.3).count();
    let mut same_ts = 0;
    for (x, y) in pa.iter().zip(&pb).filter(|(x, y)| x.3 == y.3) {
        let dt = (x.0 * 1_000_000_000 + x.1 as i64 - y.0 * 1_000_000_000 - y.1 as i64).abs();
        assert!(dt < 1_000_000, "time stamps {}.{:09} and {}.{:09} of the same packet", x.0, x.1, y.0, y.1);
        same_ts += (dt == 0) as usize;
    }
    eprintln!(
        "{}: {} packets in {} files, the same packets as tcpdump's ({} in the same position, {} with the same time stamp)",
        T,
        pa.len(),
        fa.len(),
        in_place,
        same_ts
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends DNS queries for `names` to 127.0.0.1:53 (UDP; no server needed to see the queries).
const DNS_CLIENT: &str = r#"
import socket, struct, sys, time
# A socket on port 53 receives the queries (else ICMP port-unreachable errors would quote them).
sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sink.bind(("127.0.0.1", 53))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i, name in enumerate(sys.argv[1:]):
    q = struct.pack(">HHHHHH", 0x1000 + i, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
    s.sendto(q, ("127.0.0.1", 53))
    time.sleep(0.05)
"#;

fn run_live_tool(ns: &Netns, tool: &Path, args: &[&str], traffic: impl FnOnce()) -> Output {
    let err = std::env::temp_dir().join(format!("pcaptk-live-tool-{}-{}.err", std::process::id(), tool.file_name().unwrap().to_string_lossy()));
    let child = ns
        .cmd(tool.to_str().unwrap(), args)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&err).expect("err file"))
        .spawn()
        .expect("tool runs");
    assert!(wait_for(&err, "Capturing on"), "the tool did not start capturing");
    std::thread::sleep(Duration::from_millis(200));
    traffic();
    let mut out = child.wait_with_output().expect("tool ends");
    out.stderr = std::fs::read(&err).unwrap_or_default();
    let _ = std::fs::remove_file(&err);
    out
}

#[test]
fn pcap_fields_prints_dns_queries_made_while_it_runs() {
    const T: &str = "pcap_fields_prints_dns_queries_made_while_it_runs";
    let Some(fields) = sibling("pcap-fields") else { return skip(T, "pcap-fields is not built (cargo build --release --workspace)") };
    let ns = match Netns::new("dns") {
        Ok(n) => n,
        Err(e) => return skip(T, &format!("needs root and `ip netns` ({e})")),
    };
    let out = run_live_tool(&ns, &fields, &["-i", "lo", "-a", "duration:3", "-Y", "dns", "-T", "fields", "-e", "dns.qry.name"], || {
        let st = ns.cmd("python3", &["-c", DNS_CLIENT, "evil.example.com", "c2.beacon.test", "www.pcaptk.org"]).status().expect("python3 runs");
        assert!(st.success());
    });
    assert!(out.status.success(), "exit 0; stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "evil.example.com\nc2.beacon.test\nwww.pcaptk.org\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Capturing on 'Loopback: lo'") && stderr.contains("3 packets captured"), "{stderr}");
}

#[test]
fn pcap_stats_prints_the_conversation_table_when_the_duration_ends() {
    const T: &str = "pcap_stats_prints_the_conversation_table_when_the_duration_ends";
    let Some(stats) = sibling("pcap-stats") else { return skip(T, "pcap-stats is not built (cargo build --release --workspace)") };
    let ns = match Netns::new("conv") {
        Ok(n) => n,
        Err(e) => return skip(T, &format!("needs root and `ip netns` ({e})")),
    };
    let script = r#"
import socket, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 4444)); srv.listen()
def serve():
    c, _ = srv.accept(); c.recv(100); c.sendall(b"x" * 5000); c.close()
t = threading.Thread(target=serve); t.start()
s = socket.create_connection(("127.0.0.1", 4444)); s.sendall(b"hello")
while s.recv(65536): pass
s.close(); t.join()
"#;
    let started = Instant::now();
    let out = run_live_tool(&ns, &stats, &["-i", "lo", "-a", "duration:5", "-q", "-z", "conv,tcp"], || {
        let st = ns.cmd("python3", &["-c", script]).status().expect("python3 runs");
        assert!(st.success());
    });
    let took = started.elapsed();
    assert!(out.status.success(), "exit 0; stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(took < Duration::from_secs(15), "ended with the duration ({took:?})");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("TCP Conversations"), "{stdout}");
    assert!(stdout.contains("127.0.0.1:4444"), "the conversation is in the table: {stdout}");
}

#[test]
fn pcap_report_writes_the_report_of_a_live_capture() {
    const T: &str = "pcap_report_writes_the_report_of_a_live_capture";
    let Some(report) = sibling("pcap-report") else { return skip(T, "pcap-report is not built (cargo build --release --workspace)") };
    let ns = match Netns::new("report") {
        Ok(n) => n,
        Err(e) => return skip(T, &format!("needs root and `ip netns` ({e})")),
    };
    let dir = tmpdir("report");
    let out = run_live_tool(&ns, &report, &["-i", "lo", "-a", "duration:3", "-o", dir.to_str().unwrap()], || {
        let st = ns.cmd("python3", &["-c", DNS_CLIENT, "evil.example.com", "c2.beacon.test"]).status().expect("python3 runs");
        assert!(st.success());
    });
    assert!(out.status.success(), "exit 0; stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[*] DNS queries: 2"), "{stdout}");
    let json = std::fs::read_to_string(dir.join("pcap_forensic_report.json")).expect("the report is written");
    assert!(json.contains("\"pcap_file\": \"live:lo\"") && json.contains("\"query\": \"c2.beacon.test\""), "{json}");
    assert!(dir.join("report.html").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigint_ends_a_live_run_with_complete_output() {
    const T: &str = "sigint_ends_a_live_run_with_complete_output";
    let Some(stats) = sibling("pcap-stats") else { return skip(T, "pcap-stats is not built") };
    let ns = match Netns::new("int") {
        Ok(n) => n,
        Err(e) => return skip(T, &format!("needs root and `ip netns` ({e})")),
    };
    let err = std::env::temp_dir().join(format!("pcaptk-live-int-{}.err", std::process::id()));
    let child = ns
        .cmd(stats.to_str().unwrap(), &["-i", "lo", "-q", "-z", "io,phs"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&err).expect("err file"))
        .spawn()
        .expect("pcap-stats runs");
    assert!(wait_for(&err, "Capturing on"));
    let st = ns.cmd("ping", &["-c", "3", "-i", "0.1", "127.0.0.1"]).stdout(Stdio::null()).status();
    if !st.is_ok_and(|s| s.success()) {
        ns.cmd("python3", &["-c", DNS_CLIENT, "a.b", "c.d", "e.f"]).status().expect("python3 runs");
    }
    std::thread::sleep(Duration::from_millis(300));
    sigint(&child);
    let out = child.wait_with_output().expect("ends");
    let stderr = std::fs::read_to_string(&err).unwrap_or_default();
    let _ = std::fs::remove_file(&err);
    assert!(out.status.success(), "exit 0 after SIGINT: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Protocol Hierarchy Statistics") && stdout.contains("frame"), "{stdout}");
    assert!(stderr.contains("6 packets captured") || stderr.contains("3 packets captured"), "{stderr}");
}

#[test]
fn capture_errors_are_tsharks_and_say_what_to_do() {
    const T: &str = "capture_errors_are_tsharks_and_say_what_to_do";
    let Some(fields) = sibling("pcap-fields") else { return skip(T, "pcap-fields is not built") };
    let o = Command::new(&fields).args(["-i", "nosuch0", "-T", "fields", "-e", "frame.len"]).output().expect("runs");
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    if e.contains("libpcap shared library") {
        return skip(T, "libpcap is not installed here");
    }
    assert!(e.contains("pcap-fields: There is no device named \"nosuch0\"."), "{e}");
    let o = Command::new(&fields).args(["-f", "port 53", "-r", "x.pcap", "-T", "fields", "-e", "frame.len"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&o.stderr).contains("-f is a live-capture flag"));
    // Unprivileged: a clear message with what to do.
    let is_root = unsafe { libc::geteuid() } == 0;
    if is_root && have("setpriv") {
        let o = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", env!("CARGO_BIN_EXE_pcap-capture"), "-i", "lo", "-w", "/tmp/never.pcap", "-c", "1"])
            .output()
            .expect("setpriv runs");
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert!(e.contains("You don't have permission to capture on that device") && e.contains("setcap cap_net_raw,cap_net_admin=eip"), "{e}");
    } else {
        skip(T, "the unprivileged case needs root and setpriv");
    }
}

#[test]
fn unprivileged_capture_works_with_the_capabilities() {
    const T: &str = "unprivileged_capture_works_with_the_capabilities";
    if !(have("setcap") && have("setpriv")) {
        return skip(T, "needs setcap and setpriv (apt-get install libcap2-bin util-linux)");
    }
    let ns = match Netns::new("cap") {
        Ok(n) => n,
        Err(e) => return skip(T, &format!("needs root and `ip netns` ({e})")),
    };
    let dir = tmpdir("cap");
    let bin = dir.join("pcap-capture");
    std::fs::copy(env!("CARGO_BIN_EXE_pcap-capture"), &bin).expect("copy the binary");
    let set = Command::new("setcap").args(["cap_net_raw,cap_net_admin=eip", bin.to_str().unwrap()]).output().expect("setcap runs");
    if !set.status.success() {
        return skip(T, &format!("setcap failed here (file system without capabilities?): {}", String::from_utf8_lossy(&set.stderr).trim()));
    }
    // SAFETY: chmod on our own temp dir so that nobody can write the capture there.
    let c = std::ffi::CString::new(dir.to_str().unwrap()).unwrap();
    unsafe { libc::chmod(c.as_ptr(), 0o777) };
    let out = dir.join("n.pcap");
    let child = ns
        .cmd("setpriv", &["--reuid=65534", "--regid=65534", "--clear-groups", bin.to_str().unwrap(), "-i", "lo", "-w", out.to_str().unwrap(), "-c", "2", "-a", "duration:10", "icmp"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("setpriv runs");
    std::thread::sleep(Duration::from_millis(700));
    let _ = ns.cmd("ping", &["-c", "2", "-i", "0.2", "127.0.0.1"]).stdout(Stdio::null()).status();
    let o = child.wait_with_output().expect("ends");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{e}");
    assert!(e.contains("2 packets captured"), "{e}");
    assert_eq!(packets(&[out]).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}
