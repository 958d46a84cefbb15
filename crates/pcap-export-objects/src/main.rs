//! pcap-export-objects: tshark's `--export-objects PROTO,DIR`, streamed, safe, with a manifest.

use anyhow::{bail, Context};
use pcap_export_objects::run::{self, Config, Outcome};
use pcap_export_objects::sink::{Sink, Written};
use pcap_export_objects::{cli, manifest};
use pcaptk_dissect::export::Proto;
use pcaptk_filter::Filter;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const PREFIX: &str = "pcap-export-objects: ";

fn protocol_list() -> String {
    let mut s = format!("{}The available export object types for the \"--export-objects\" option are:\n", PREFIX);
    for p in Proto::ALL {
        s.push_str(&format!("     {}\n", p.name()));
    }
    s
}

/// `64M`, `1G`, `4096`.
fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1u64 << 10),
        'm' | 'M' => (&s[..s.len() - 1], 1 << 20),
        'g' | 'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult).filter(|v| *v > 0)
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            let _ = std::io::stdout().flush();
            eprintln!("{}{:#}", PREFIX, e);
            ExitCode::from(1)
        }
    }
}

fn real_main() -> anyhow::Result<ExitCode> {
    let m = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return Ok(ExitCode::from(code));
        }
    };
    if let Some(c) = pcaptk_capture::cli::list_interfaces_if_asked(&m, PREFIX) {
        return Ok(ExitCode::from(c));
    }
    let list = m.get_flag("list");
    let cap = m.get_one::<String>("max_object_size").map(String::as_str).unwrap_or("64M");
    let cap = parse_size(cap).with_context(|| format!("--max-object-size {:?} is not a size (give bytes, or a number with K, M or G)", cap))?;
    let mut sinks: Vec<Sink> = Vec::new();
    for spec in m.get_many::<String>("export").into_iter().flatten() {
        if spec == "help" {
            eprint!("{}", protocol_list());
            return Ok(ExitCode::SUCCESS);
        }
        let parsed = spec.split_once(',').and_then(|(p, d)| Some((Proto::from_name(p)?, d))).filter(|(_, d)| !d.is_empty());
        let Some((proto, dir)) = parsed else {
            eprint!("{}\"--export-objects\" are specified as: <protocol>,<destdir>\n{}", PREFIX, protocol_list());
            return Ok(ExitCode::from(1));
        };
        if sinks.iter().any(|s| s.proto == proto) {
            eprintln!("{}\"--export-objects\" already specified protocol '{}'", PREFIX, proto.name());
            return Ok(ExitCode::from(1));
        }
        sinks.push(Sink::new(proto, PathBuf::from(dir), !list, cap));
    }
    if sinks.is_empty() {
        bail!("nothing to export: give --export-objects PROTO,DIR (PROTO: http, imf, smb, tftp, ftp-data, dicom); see --help");
    }
    if let Some(t) = m.get_one::<String>("display_filter") {
        if let Err(e) = Filter::compile(t) {
            let text = e.render(t);
            eprint!("{}", text.strip_prefix("tshark: ").map(|s| format!("{}{}", PREFIX, s)).unwrap_or(text));
            return Ok(ExitCode::from(e.exit_code as u8));
        }
    }
    let (inputs, packets) = match pcaptk_capture::cli::prepare(&m, true) {
        Ok(pcaptk_capture::cli::Inputs::Listed) => return Ok(ExitCode::SUCCESS),
        Ok(pcaptk_capture::cli::Inputs::Ready { files, packets }) => (files, packets),
        Err((code, msg)) => {
            eprintln!("{}{}", PREFIX, msg);
            return Ok(ExitCode::from(code));
        }
    };
    let manifest_path = m.get_one::<String>("manifest").map(PathBuf::from);
    let mut cfg = Config {
        inputs,
        sinks,
        count: match (m.get_one::<u64>("count").copied(), packets) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        progress: !m.get_flag("quiet") && !m.get_flag("no_progress"),
        addresses: list || manifest_path.is_some(),
        cap,
        ranges: m.get_flag("ranges"),
    };
    let outcome = run::run(&mut cfg);
    let code = match outcome {
        Outcome::OpenError(msg) => {
            eprintln!("{}{}", PREFIX, msg);
            return Ok(ExitCode::from(2));
        }
        Outcome::ReadError(msg) => {
            eprintln!("{}{}", PREFIX, msg);
            2
        }
        Outcome::Done => 0,
    };
    let rows: Vec<&Written> = cfg.sinks.iter().flat_map(|s| s.written.iter()).collect();
    if list {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if let Err(e) = manifest::write_tsv(&rows, &mut out).and_then(|_| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                bail!("writing the list to stdout failed: {}", e);
            }
        }
    }
    if let Some(path) = manifest_path {
        let write = || -> std::io::Result<()> {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
                manifest::write_json(&rows, &mut f)?;
            } else {
                manifest::write_tsv(&rows, &mut f)?;
            }
            f.flush()
        };
        write().with_context(|| format!("writing the manifest {} failed (check the folder exists and is writable)", path.display()))?;
    }
    Ok(ExitCode::from(code))
}
