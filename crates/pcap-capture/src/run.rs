//! The capture loop: read from libpcap, rotate, write; at the end close the file
//! and report the counts.

use crate::rotate::{Rotation, Rotator, Step};
use crate::writer::{FileFormat, Header, Record, Writer};
use anyhow::{bail, Context, Result};
use pcaptk_capture::live::{self, LiveCapture, LiveConfig};
use std::time::{SystemTime, UNIX_EPOCH};

/// Everything the command line asked for.
#[derive(Debug, Clone)]
pub struct Config {
    pub live: LiveConfig,
    /// `-w` (a strftime pattern with -G).
    pub output: String,
    pub format: FileFormat,
    pub rotation: Rotation,
    /// `-c` / `-a packets:N`.
    pub count: Option<u64>,
    /// `-U`.
    pub packet_buffered: bool,
    pub comments: Vec<String>,
    /// Nanosecond time stamps in the files.
    pub nano: bool,
    pub quiet: bool,
}

/// The counts printed at the end.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Packets written.
    pub captured: u64,
    /// libpcap's `ps_recv`, summed over the interfaces.
    pub received: u64,
    /// libpcap's `ps_drop` ("dropped by kernel").
    pub dropped: u64,
    /// Files written, in order (a ring's overwritten names repeat).
    pub files: Vec<String>,
    /// Set when `-G` with `-W` stopped the capture.
    pub file_limit: Option<u32>,
}

fn now() -> (i64, u64) {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    (d.as_secs() as i64, d.as_nanos() as u64)
}

/// tcpdump's name for a link type in its "listening on" line.
pub fn linktype_name(lt: u32) -> String {
    match lt {
        0 => "NULL (BSD loopback)".into(),
        1 => "EN10MB (Ethernet)".into(),
        101 => "RAW (Raw IP)".into(),
        113 => "LINUX_SLL (Linux cooked v1)".into(),
        276 => "LINUX_SLL2 (Linux cooked v2)".into(),
        n => format!("{n}"),
    }
}

/// Captures until `-c`, `-a`, `-G/-W`, Ctrl-C or SIGTERM; every packet read is written.
pub fn run(cfg: &Config) -> Result<Summary> {
    let mut live_cfg = cfg.live.clone();
    live_cfg.announce = false;
    live_cfg.nano = cfg.nano;
    let mut cap = LiveCapture::open(&live_cfg).map_err(|e| anyhow::anyhow!("{e}"))?;
    let interfaces = cap.interfaces();
    let linktypes = cap.linktypes();
    if cfg.format == FileFormat::Pcap && linktypes.windows(2).any(|w| w[0] != w[1]) {
        bail!("the interfaces have different link types ({}), which one pcap file cannot hold: write pcapng (-F pcapng)", linktypes.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "));
    }
    if !cfg.quiet {
        for (i, lt) in interfaces.iter().zip(&linktypes) {
            eprintln!("pcap-capture: listening on {}, link-type {}, snapshot length {} bytes", i.name, linktype_name(*lt), cfg.live.snaplen);
        }
    }
    let header = Header {
        format: cfg.format,
        interfaces: interfaces.iter().map(|i| i.name.clone()).zip(linktypes.iter().copied()).collect(),
        snaplen: cfg.live.snaplen,
        nano: cap.nano() && cfg.nano,
        comments: cfg.comments.clone(),
    };
    let (mut rotator, first) = Rotator::new(cfg.rotation.clone(), &cfg.output, now().0);
    let mut summary = Summary::default();
    let mut writer = Writer::create(&first, &header, cfg.packet_buffered).with_context(|| format!("creating the output file {first}"))?;
    summary.files.push(first);
    let mut current = summary.files[0].clone();
    let mut failure = None;
    loop {
        let pkt = match cap.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                failure = Some(anyhow::anyhow!("{e}"));
                break;
            }
        };
        if cfg.output != "-" {
            match rotator.before_packet(writer.bytes(), now().0) {
                Step::Keep => {}
                Step::Stop => {
                    summary.file_limit = cfg.rotation.files;
                    break;
                }
                Step::Rotate(name) => {
                    let old = std::mem::replace(
                        &mut writer,
                        Writer::create(&name, &header, cfg.packet_buffered).with_context(|| format!("creating the next output file {name}"))?,
                    );
                    // Statistics go into the last file only (the packet borrows the capture here).
                    old.finish(&[], now().1).with_context(|| format!("closing {current}"))?;
                    for gone in rotator.expired() {
                        std::fs::remove_file(&gone).with_context(|| format!("removing {gone}, the oldest file of the ring buffer"))?;
                    }
                    current = name.clone();
                    summary.files.push(name);
                }
            }
        }
        let rec = Record { interface: pkt.interface_id, ts_sec: pkt.ts_sec, ts_nsec: pkt.ts_nsec, len: pkt.len, data: pkt.data };
        writer.write(&rec).with_context(|| format!("writing to {current}"))?;
        summary.captured += 1;
        if cfg.count.is_some_and(|c| summary.captured >= c) {
            break;
        }
    }
    let stats = cap.stats();
    summary.received = stats.iter().map(|s| s.received).sum();
    summary.dropped = stats.iter().map(|s| s.dropped).sum();
    writer.finish(&per_interface(&cap), now().1).with_context(|| format!("closing {current}"))?;
    drop(cap);
    if let Some(e) = failure {
        report(&summary, cfg.quiet);
        return Err(e);
    }
    Ok(summary)
}

fn per_interface(cap: &LiveCapture) -> Vec<(u64, u64)> {
    cap.stats().iter().map(|s| (s.received, s.dropped)).collect()
}

/// tcpdump's closing lines on stderr.
pub fn report(s: &Summary, quiet: bool) {
    if let Some(w) = s.file_limit {
        eprintln!("Maximum file limit reached: {w}");
    }
    if quiet {
        return;
    }
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    eprintln!("{} packet{} captured", s.captured, plural(s.captured));
    eprintln!("{} packet{} received by filter", s.received, plural(s.received));
    eprintln!("{} packet{} dropped by kernel", s.dropped, plural(s.dropped));
}

/// `-D`.
pub fn list() -> Result<String> {
    let l = live::interfaces().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(live::format_interface_list(&l))
}
