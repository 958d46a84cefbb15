//! The binary end to end on a generated capture: formats, --explain, --plot, the variance
//! method, and errors.

mod gen;

use gen::Capture;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_pcap-beacon");
const T0: f64 = 1_700_000_000.0;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pcap-beacon-cli-{}-{}", std::process::id(), name));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A TLS beacon every 60 s for two hours, a host sending lone SYNs every 10 s, and a few
/// irregular connections.
fn capture(dir: &Path) -> PathBuf {
    let mut cap = Capture::default();
    let (client, server) = (Ipv4Addr::new(10, 1, 1, 5), Ipv4Addr::new(198, 51, 100, 9));
    for k in 0..120u16 {
        let size = 300 + (k % 7) as usize;
        cap.tcp_session(T0 + f64::from(k) * 60.0, client, 30_000 + k, server, 443, &gen::client_hello("c2.evil.example", size), 400);
    }
    for k in 0..20u16 {
        cap.syn(T0 + 5.0 + f64::from(k) * 10.0, Ipv4Addr::new(10, 1, 1, 6), 40_000, Ipv4Addr::new(203, 0, 113, 4), 8080);
    }
    for (k, t) in [3.0, 900.0, 920.0, 4000.0, 4001.0, 7000.0].iter().enumerate() {
        cap.tcp_session(T0 + t, Ipv4Addr::new(10, 1, 1, 7), 50_000 + k as u16, Ipv4Addr::new(203, 0, 113, 80), 443, &[1; 500], 5000);
    }
    let path = dir.join("beacon.pcap");
    cap.write(&path);
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run pcap-beacon")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn tsv_csv_and_json_list_the_beacon_first() {
    let dir = scratch("formats");
    let pcap = capture(&dir);
    let p = pcap.to_str().unwrap();
    let o = run(&["-q", "-r", p]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header, pcap_beacon::output::COLUMNS);
    let first: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| first[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!((col("type"), col("src"), col("name"), col("name_source")), ("name", "10.1.1.5", "c2.evil.example", "sni"));
    assert_eq!((col("dst"), col("ports"), col("connections"), col("mode_interval")), ("198.51.100.9", "443/tcp", "120", "60"));
    assert!(col("score").parse::<f64>().unwrap() >= 0.9, "{}", col("score"));
    assert_eq!(col("median_interval"), "60.000");

    let o = run(&["-q", "-r", p, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v[0]["name"], "c2.evil.example");
    assert_eq!(v[0]["connections"], 120);
    assert!(v[0]["ts_score"].as_f64().unwrap() > 0.99);

    let o = run(&["-q", "-r", p, "--format", "csv"]);
    let text = stdout(&o);
    assert!(text.starts_with("score,severity,ts_score,"));
    assert!(text.lines().nth(1).unwrap().contains(",name,10.1.1.5,198.51.100.9,443/tcp,c2.evil.example,sni,120,"));

    // --min-score keeps only what reaches it.
    let o = run(&["-q", "-r", p, "--min-score", "0.99"]);
    assert!(stdout(&o).lines().skip(1).all(|l| l.split('\t').next().unwrap().parse::<f64>().unwrap() >= 0.99));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_shows_every_sub_score() {
    let dir = scratch("explain");
    let pcap = capture(&dir);
    let p = pcap.to_str().unwrap();
    for sel in ["1", "10.1.1.5,c2.evil.example"] {
        let o = run(&["-q", "-r", p, "--explain", sel]);
        assert_eq!(o.status.code(), Some(0));
        let text = stdout(&o);
        assert!(text.starts_with("Candidate 1 of "), "{}", text);
        for part in ["name beacon 10.1.1.5 -> c2.evil.example (name from sni)", "timestamp ", "data size ", "histogram ", "duration ", "connections per bin: "] {
            assert!(text.contains(part), "{} not in {}", part, text);
        }
    }
    let o = run(&["-q", "-r", p, "--explain", "99"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("pcap-beacon: --explain 99: no such candidate"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plots_stay_inside_their_folder() {
    let dir = scratch("plot");
    let pcap = capture(&dir);
    let plots = dir.join("plots");
    let o = run(&["-q", "-r", pcap.to_str().unwrap(), "--plot", plots.to_str().unwrap(), "--top", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let files: Vec<String> = std::fs::read_dir(&plots).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(files, vec!["001-10.1.1.5-c2.evil.example.svg".to_string()]);
    let svg = std::fs::read_to_string(plots.join(&files[0])).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // An existing link of the same name is replaced, not followed.
    #[cfg(unix)]
    {
        let outside = dir.join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        std::fs::remove_file(plots.join(&files[0])).unwrap();
        std::os::unix::fs::symlink(&outside, plots.join(&files[0])).unwrap();
        let o = run(&["-q", "-r", pcap.to_str().unwrap(), "--plot", plots.to_str().unwrap(), "--top", "1"]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn variance_method_prints_the_seed_columns() {
    let dir = scratch("variance");
    let pcap = capture(&dir);
    let o = run(&["-q", "-r", pcap.to_str().unwrap(), "--method", "variance"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("src\tdst\tport\tavg_interval\tvariance\tconnection_count"));
    // The lone SYNs every 10 s; the beacon's packets mix 20 ms and 60 s gaps: variance too high.
    assert_eq!(lines.next(), Some("10.1.1.6\t203.0.113.4\t8080\t10.0\t0.0\t20"));
    assert_eq!(lines.next(), None);
    let o = run(&["-q", "-r", pcap.to_str().unwrap(), "--method", "variance", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["avg_interval"], 10.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_read_as_the_other_tools() {
    let o = run(&["-r", "/nonexistent/capture.pcap"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "pcap-beacon: The file \"/nonexistent/capture.pcap\" doesn't exist.\n");
    assert!(o.stdout.is_empty());
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    let dir = scratch("errors");
    let junk = dir.join("junk.pcap");
    std::fs::write(&junk, [0x42u8; 64]).unwrap();
    let o = run(&["-r", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("isn't a capture file in a format TShark understands"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["-r", junk.to_str().unwrap(), "--min-score", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
