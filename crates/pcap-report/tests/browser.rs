//! report.html in headless Chromium (Debian's chromium package; `.ci/run` installs it): the
//! page's script runs without an error (it marks `<html data-report-ready=N>` when done, and
//! `data-report-error` on any error) and every section is drawn. Without a Chromium the test
//! fails in CI (CI set) and is skipped elsewhere, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
        .map(|c| c.to_string())
}

/// Chromium's flags for a closed network, as root, with a throwaway profile.
fn headless(bin: &str, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=3000",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn page_renders_every_section_without_script_errors() {
    let Some(bin) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "no chromium in CI: .ci/run installs Debian's chromium package");
        eprintln!("skipped: no chromium (apt-get install -y chromium)");
        return;
    };
    let base = std::env::temp_dir().join(format!("pcap-report-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    for capture in ["tests/fixtures/beacon.pcap", "tests/fixtures/example.pcap", "tests/fixtures/creds.pcap", "tests/fixtures/objects.pcap", "tests/fixtures/lo-tls.pcap"] {
        let out = base.join(Path::new(capture).file_name().unwrap());
        let res = Command::new(env!("CARGO_BIN_EXE_pcap-report"))
            .args(["-q", "-r", capture, "-o", out.to_str().unwrap()])
            .current_dir(root())
            .output()
            .unwrap();
        assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
        let page = out.join("report.html");
        let dom = headless(&bin, &base.join("profile")).arg("--dump-dom").arg(format!("file://{}", page.display())).output().unwrap();
        let html = String::from_utf8_lossy(&dom.stdout);
        assert!(dom.status.success() && !html.is_empty(), "chromium failed on {capture}: {}", String::from_utf8_lossy(&dom.stderr));
        let sections = pcap_report::html::SECTIONS.len();
        assert!(html.contains(&format!("data-report-ready=\"{sections}\"")), "{capture}: the page's script did not finish:\n{}", &html[..html.len().min(400)]);
        assert!(!html.contains("data-report-error=\""), "{capture}: script error in the page");
        for id in pcap_report::html::SECTIONS {
            assert!(html.contains(&format!("<section id=\"{id}\"")), "{capture}: section {id} missing");
        }
        // Charts are drawn (SVG in the DOM) for a capture with traffic.
        assert!(html.matches("<svg").count() >= 3, "{capture}: charts missing");
    }
    let _ = std::fs::remove_dir_all(base);
}
