//! pcap-capture: live capture to files with tcpdump's and dumpcap's rotation.

use anyhow::{bail, Result};
use pcap_capture::cli;
use pcap_capture::rotate::{self, Rotation};
use pcap_capture::run::{self, Config};
use pcap_capture::writer::FileFormat;
use pcaptk_capture::LiveConfig;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let m = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match real_main(&m) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("pcap-capture: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn real_main(m: &clap::ArgMatches) -> Result<u8> {
    if m.get_flag("list_interfaces") {
        print!("{}", run::list()?);
        return Ok(0);
    }
    let interfaces: Vec<String> = m.get_many::<String>("interface").into_iter().flatten().cloned().collect();
    if interfaces.is_empty() {
        bail!("no interface: give one with -i IFACE (-D lists them)");
    }
    let Some(output) = m.get_one::<String>("write").cloned() else {
        bail!("no output file: give one with -w FILE (pcap-capture only writes files; to analyse live, use -i with pcap-fields, pcap-stats, ...)");
    };
    let expression: Vec<String> = m.get_many::<String>("expression").into_iter().flatten().cloned().collect();
    let filter = match (m.get_one::<String>("capture_filter"), expression.is_empty()) {
        (Some(_), false) => bail!("give the capture filter once: either -f FILTER or the trailing expression, not both"),
        (Some(f), true) => Some(f.clone()),
        (None, false) => Some(expression.join(" ")),
        (None, true) => None,
    };
    let mut rotation = Rotation {
        size: m.get_one::<u64>("file_size").map(|c| c.saturating_mul(1_000_000)),
        seconds: m.get_one::<u64>("rotate_seconds").copied(),
        files: m.get_one::<u32>("file_count").copied(),
        ..Rotation::default()
    };
    let rings: Vec<&String> = m.get_many::<String>("ring").into_iter().flatten().collect();
    if !rings.is_empty() {
        if rotation != Rotation::default() {
            bail!("-b (dumpcap's ring buffer) and -C/-G/-W (tcpdump's rotation) can't be mixed: use one style");
        }
        for b in rings {
            rotate::parse_b(&mut rotation, b).map_err(anyhow::Error::msg)?;
        }
    }
    if output == "-" && (rotation.rotates() || rotation.files.is_some()) {
        bail!("rotation (-C, -G, -W, -b) needs a file name with -w, not standard output");
    }
    let format = match m.get_one::<String>("format").map(String::as_str) {
        Some("pcap") => FileFormat::Pcap,
        Some("pcapng") => FileFormat::Pcapng,
        Some(f) => bail!("unknown -F format \"{f}\": pcap-capture writes pcap or pcapng"),
        None if rotation.dumpcap || output.ends_with(".pcapng") => FileFormat::Pcapng,
        None => FileFormat::Pcap,
    };
    let comments: Vec<String> = m.get_many::<String>("comment").into_iter().flatten().cloned().collect();
    if !comments.is_empty() && format == FileFormat::Pcap {
        bail!("--comment needs pcapng (-F pcapng): pcap files have no place for comments");
    }
    let mut count = m.get_one::<u64>("count").copied();
    let mut duration = None;
    for a in m.get_many::<String>("autostop").into_iter().flatten() {
        let (key, value) = a.split_once(':').unwrap_or((a.as_str(), ""));
        let n: Option<f64> = value.parse().ok().filter(|v: &f64| v.is_finite() && *v > 0.0);
        match (key, n) {
            ("duration", Some(s)) => duration = Some(Duration::from_secs_f64(s)),
            ("packets", Some(p)) if p.fract() == 0.0 => count = Some(count.map_or(p as u64, |c| c.min(p as u64))),
            _ => bail!("Invalid or unknown -a flag \"{a}\" (pcap-capture supports duration:SECONDS and packets:N)"),
        }
    }
    let nano = match m.get_one::<String>("precision").map(String::as_str) {
        Some("nano") => true,
        Some(_) => false,
        None => format == FileFormat::Pcapng,
    };
    let snaplen = match m.get_one::<u32>("snaplen").copied() {
        None | Some(0) => 262_144,
        Some(s) => s.min(262_144),
    };
    let cfg = Config {
        live: LiveConfig {
            interfaces,
            filter,
            snaplen,
            promisc: !m.get_flag("no_promisc"),
            immediate: m.get_flag("immediate"),
            buffer_size: m.get_one::<u32>("buffer_size").map(|k| k.saturating_mul(1024)),
            nano,
            duration,
            announce: false,
        },
        output,
        format,
        rotation,
        count,
        packet_buffered: m.get_flag("packet_buffered"),
        comments,
        nano,
        quiet: m.get_flag("quiet"),
    };
    let summary = run::run(&cfg)?;
    run::report(&summary, cfg.quiet);
    Ok(0)
}
