//! pcap-report: the one-pass forensic triage report (the seed analyzer's JSON and much more,
//! and an HTML page with charts).

use anyhow::{bail, Context, Result};
use pcap_report::collect::{self, Config, Outcome};
use pcap_report::report::{self, Options};
use pcap_report::{cli, html};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const PREFIX: &str = "pcap-report: ";

fn main() -> ExitCode {
    let m = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(c) = pcaptk_capture::cli::list_interfaces_if_asked(&m, PREFIX) {
        return ExitCode::from(c);
    }
    match run(&m) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = std::io::stdout().flush();
            if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
                return ExitCode::from(0);
            }
            eprintln!("{}{:#}", PREFIX, e);
            ExitCode::from(2)
        }
    }
}

/// Python's `datetime.now().isoformat()`: local time, microseconds unless they are zero.
fn now_isoformat() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let (y, mo, d, h, mi, s, _) = pcaptk_dissect::tz::local(now.as_secs() as i64);
    let micros = now.subsec_micros();
    let mut out = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, mo, d, h, mi, s);
    if micros != 0 {
        out += &format!(".{:06}", micros);
    }
    out
}

/// Writes `data` to `dir/name` through a temporary file renamed into place, so a reader
/// never sees half a report and a planted symlink at the name is replaced, not followed.
fn write_file(dir: &Path, name: &str, data: &[u8]) -> Result<PathBuf> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{}.tmp{}", name, std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| format!("cannot create {} (is the output folder writable?)", tmp.display()))?;
    f.write_all(data).and_then(|_| f.flush()).with_context(|| format!("writing {} (is the disk full?)", tmp.display()))?;
    drop(f);
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot move {} to {}", tmp.display(), path.display()))?;
    Ok(path)
}

fn run(m: &clap::ArgMatches) -> Result<u8> {
    let Some(outdir) = m.get_one::<String>("outdir") else {
        eprintln!("{}no output folder: give one with -o OUTDIR (the report files are written there)", PREFIX);
        return Ok(1);
    };
    let min_score = *m.get_one::<f64>("min_score").expect("default");
    if !(0.0..=1.0).contains(&min_score) {
        bail!("--min-score must be between 0 and 1 (got {})", min_score);
    }
    let interfaces: Vec<String> = m.try_get_many::<String>("interface").ok().flatten().into_iter().flatten().cloned().collect();
    // The seed's `pcap_file`: the first input as given (for a live capture, its interfaces).
    let pcap_file = match m.get_many::<String>("read").and_then(|mut r| r.next().cloned()) {
        Some(f) if interfaces.is_empty() => f,
        _ => format!("live:{}", interfaces.join(",")),
    };
    let (expanded, live_packets) = match pcaptk_capture::cli::prepare(m, true) {
        Ok(pcaptk_capture::cli::Inputs::Listed) => return Ok(0),
        Ok(pcaptk_capture::cli::Inputs::Ready { files, packets }) => (files, packets),
        Err((code, msg)) => {
            eprintln!("{}{}", PREFIX, msg);
            return Ok(code);
        }
    };
    let outdir = PathBuf::from(outdir);
    std::fs::create_dir_all(&outdir).with_context(|| format!("cannot create the output folder {}", outdir.display()))?;
    let quiet = m.get_flag("quiet");
    let json_stdout = m.get_flag("json_stdout");
    let dns_limit = *m.get_one::<usize>("dns_limit").expect("default");
    let objects_dir = m.get_flag("export_objects").then(|| outdir.join("objects"));
    let cfg = Config {
        inputs: expanded,
        count: match (m.get_one::<u64>("count").copied(), live_packets) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        progress: !quiet && !m.get_flag("no_progress"),
        dns_limit,
        objects_dir: objects_dir.clone(),
        scope: if m.get_flag("all_pairs") { pcap_beacon::scope::Scope::new(None) } else { pcap_beacon::scope::Scope::default() },
    };
    // Frames of a link type the core does not dissect are still counted (tshark would refuse
    // the file); the report warns about them.
    pcaptk_capture::accept_any_linktype(true);
    let started = std::time::Instant::now();
    let (collected, outcome) = collect::run(cfg);
    let pass_done = std::time::Instant::now();
    if let Outcome::OpenError(msg) = outcome {
        eprintln!("{}{}", PREFIX, msg);
        return Ok(2);
    }
    if let Some(e) = &collected.read_error {
        eprintln!("{}{}", PREFIX, e);
    }
    let opts = Options {
        pcap_file,
        top: *m.get_one::<usize>("top").expect("default"),
        threshold: *m.get_one::<f64>("threshold").expect("default"),
        min_score,
        show_secrets: m.get_flag("show_secrets"),
        dns_limit,
        objects_written: objects_dir.is_some(),
        now: now_isoformat(),
    };
    let beacons = report::beacons(&collected, min_score);
    let doc = report::build(&collected, &beacons, &opts);
    let mut json = serde_json::to_vec_pretty(&doc).context("encoding the report")?;
    json.push(b'\n');
    let json_path = write_file(&outdir, "pcap_forensic_report.json", &json)?;
    let json_done = std::time::Instant::now();
    let html_path = if m.get_flag("no_html") { None } else { Some(write_file(&outdir, "report.html", html::render(&doc).as_bytes())?) };
    if m.get_flag("timings") {
        let ms = |a: std::time::Instant, b: std::time::Instant| b.duration_since(a).as_secs_f64() * 1000.0;
        let end = std::time::Instant::now();
        eprintln!(
            "{}timings: pass {:.1} ms ({} packets); after the pass: JSON written at +{:.1} ms, HTML written at +{:.1} ms",
            PREFIX,
            ms(started, pass_done),
            collected.packets,
            ms(pass_done, json_done),
            ms(pass_done, end)
        );
    }

    let mut console: Box<dyn Write> = if json_stdout { Box::new(std::io::stderr().lock()) } else { Box::new(std::io::stdout().lock()) };
    if !quiet {
        let n = |k: &str| doc[k].as_array().map_or(0, Vec::len);
        writeln!(console, "[*] Total packets: {}", collected.packets)?;
        writeln!(console, "[*] Conversations: {}", n("conversations"))?;
        writeln!(console, "[*] DNS queries: {}", n("dns_queries"))?;
        writeln!(console, "[*] Potential beacons: {}", n("potential_beacons"))?;
        writeln!(console, "[*] RITA beacons (score >= {}): {}", min_score, n("beacons"))?;
        writeln!(console, "[*] Credentials: {}", doc["credentials"]["count"])?;
        writeln!(console, "[*] Transferred objects: {}{}", doc["objects"]["count"], if objects_dir.is_some() { " (written under objects/)" } else { "" })?;
        writeln!(console, "[*] Warnings: {}", n("warnings"))?;
        writeln!(console, "[*] Report: {}", json_path.display())?;
        if let Some(h) = &html_path {
            writeln!(console, "[*] HTML: {}", h.display())?;
        }
        console.flush()?;
    }
    drop(console);
    if json_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(&json)?;
        out.flush()?;
    }
    Ok(if collected.read_error.is_some() { 2 } else { 0 })
}
