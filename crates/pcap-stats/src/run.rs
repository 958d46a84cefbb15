//! The read → dissect → tap loop: every packet read goes to every statistic whose tap filter
//! it passes (tshark's taps ignore `-Y`), in one pass.

use crate::iostat::Column;
use crate::phs::{self, Phs};
use crate::spec::{Kind, Stat, Table};
use crate::table::{Addr, ConvTable, End, EndpointTable};
use pcaptk_capture::MultiReader;
use pcaptk_capture::Progress;
use pcaptk_dissect::proto::{frame, nflog, tcp, udp};
use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tap, Tree};
use pcaptk_filter::Filter;

/// What a statistic accumulates.
pub enum Acc {
    Conv(ConvTable),
    Endpoints(EndpointTable),
    Phs(Phs),
    /// One column per filter, with the column filters compiled.
    IoStat(Vec<Column>, Vec<Option<Filter>>),
}

/// One `-z` statistic: its arguments, compiled tap filter and counts.
pub struct StatRun {
    pub stat: Stat,
    pub filter: Option<Filter>,
    pub acc: Acc,
}

/// What the loop leaves behind for the writers.
pub struct Results {
    pub stats: Vec<StatRun>,
    /// Whether the `frame` protocol is referenced (tshark then shows it as the root of io,phs).
    pub frame_referenced: bool,
    /// The latest packet time relative to the first, in µs (tshark's elapsed time).
    pub duration_us: u64,
}

pub struct Config {
    pub inputs: Vec<String>,
    pub stats: Vec<StatRun>,
    /// `-Y`: compiled (errors are tshark's) but, as with tshark's taps, it counts nothing out.
    pub display_filter: Option<Filter>,
    pub progress: bool,
    /// Dissecting threads, when the statistics allow splitting the frames by conversation
    /// (see [`crate::shard`]).
    pub threads: usize,
}

/// How the run ended.
pub enum Outcome {
    Done,
    /// A read error after the packets before it were counted: tshark's message; the
    /// statistics are still printed (after the message).
    ReadError(String),
    /// The capture could not be opened: tshark's message, nothing printed.
    OpenError(String),
}

impl Outcome {
    /// How reading `frames` frames ended, with `error` or without.
    pub(crate) fn of(frames: u32, error: Option<pcaptk_capture::CaptureError>) -> Outcome {
        match error {
            None => Outcome::Done,
            Some(e) if frames == 0 && e.before_open() => Outcome::OpenError(e.to_string()),
            Some(e) => Outcome::ReadError(e.to_string()),
        }
    }
}

/// The fields the statistics need from the dissector.
pub(crate) fn wanted(cfg: &Config) -> (Vec<FieldId>, bool, bool) {
    let mut w: Vec<FieldId> = Vec::new();
    let mut frame_referenced = false;
    let mut nflog_referenced = false;
    let filters = cfg.stats.iter().flat_map(|s| {
        let cols: Vec<&Filter> = match &s.acc {
            Acc::IoStat(_, f) => f.iter().flatten().collect(),
            _ => Vec::new(),
        };
        s.filter.iter().chain(cols)
    });
    let t = field::table();
    for f in filters.chain(cfg.display_filter.iter()) {
        for id in f.fields() {
            if id == frame::PROTO || t.parent[id.index()] == frame::PROTO {
                frame_referenced = true;
            }
            if id == nflog::PROTO || t.parent[id.index()] == nflog::PROTO {
                nflog_referenced = true;
            }
        }
    }
    for s in &cfg.stats {
        if let Some(f) = &s.filter {
            w.extend(f.fields());
        }
        match &s.acc {
            Acc::IoStat(_, fs) => w.extend(fs.iter().flatten().flat_map(|f| f.fields())),
            Acc::Phs(_) => w.extend(phs::FIELDS),
            _ => {}
        }
        match s.stat.kind {
            // Stream numbers key TCP and UDP conversations.
            Kind::Conv(Table::Tcp) => w.push(tcp::STREAM),
            Kind::Conv(Table::Udp) => w.push(udp::STREAM),
            _ => {}
        }
    }
    (w, frame_referenced, nflog_referenced)
}

/// Whether a table is built from TCP's tap records (otherwise TCP headers need not be read
/// unless a filter names a TCP field: `Dissector::skip_tcp_taps`).
pub(crate) fn reads_tcp_taps(cfg: &Config) -> bool {
    cfg.stats.iter().any(|s| matches!(s.stat.kind, Kind::Conv(Table::Tcp) | Kind::Endpoints(Table::Tcp)))
}

pub fn run(mut cfg: Config) -> (Results, Outcome) {
    if crate::shard::eligible(&cfg) {
        return crate::shard::run(cfg);
    }
    let (want, frame_referenced, nflog_referenced) = wanted(&cfg);
    let needs_taps = cfg.stats.iter().any(|s| matches!(s.stat.kind, Kind::Conv(_) | Kind::Endpoints(_)));
    let mut dissector = Dissector::new(want);
    if needs_taps {
        dissector.transport_taps();
    }
    if !reads_tcp_taps(&cfg) {
        dissector.skip_tcp_taps();
    }
    let mut tree = Tree { record_taps: needs_taps, ..Tree::default() };
    let mut reader = MultiReader::new(std::mem::take(&mut cfg.inputs));
    let mut progress = Progress::new(cfg.progress);
    let mut number: u32 = 0;
    let mut max_rel: i64 = 0;
    let mut last_rel_us: u64 = 0;
    let mut outcome = Outcome::Done;
    loop {
        let pkt = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                outcome = Outcome::of(number, Some(e));
                break;
            }
        };
        number = number.wrapping_add(1);
        let meta = FrameMeta::of(number, &pkt);
        dissector.dissect(&meta, pkt.data, &mut tree);
        let rel = pkt.ts_ns - dissector.first_time().unwrap_or(pkt.ts_ns);
        max_rel = max_rel.max(rel);
        let len = pkt.len as u64;
        let view = tree.view(pkt.data);
        for s in cfg.stats.iter_mut() {
            if let Some(f) = &s.filter {
                if !f.matches(&view) {
                    continue;
                }
            }
            if matches!(s.acc, Acc::Conv(_) | Acc::Endpoints(_)) {
                count_taps(s, &tree.taps, number, len, rel);
                continue;
            }
            match (&mut s.acc, &s.stat.kind) {
                (Acc::Phs(p), _) => {
                    let mut path: Vec<&str> = Vec::with_capacity(16);
                    // tshark's tree starts with the packet comments item, then `frame`
                    // when the frame protocol is referenced.
                    if !pkt.comments.is_empty() {
                        path.push("pkt_comment");
                    }
                    if frame_referenced {
                        path.push("frame");
                    }
                    let extra = phs::Extra::of(&view, nflog_referenced);
                    let truncated = (pkt.data.len() as u64) < len;
                    let counted = phs::top_level(dissector.protocol_path(), extra, truncated, &mut path);
                    if counted {
                        p.add(path.iter().copied(), len);
                    }
                }
                (Acc::IoStat(cols, filters), Kind::IoStat(spec)) => {
                    for (c, f) in cols.iter_mut().zip(filters.iter()) {
                        if f.as_ref().is_some_and(|f| !f.matches(&view)) {
                            continue;
                        }
                        // tshark: a time before the first packet counts at the last time seen.
                        let rel_us = if rel >= 0 { rel_us(rel) } else { last_rel_us };
                        last_rel_us = rel_us;
                        c.add(spec.interval, rel_us, len);
                    }
                }
                _ => {}
            }
        }
        if number & 0xfff == 0 {
            progress.tick(reader.bytes_read(), reader.total_bytes());
        }
    }
    progress.finish();
    let results = Results { stats: cfg.stats, frame_referenced, duration_us: rel_us(max_rel) };
    (results, outcome)
}

/// Counts a frame's tap records into a conversation or endpoint table.
#[inline]
pub(crate) fn count_taps(s: &mut StatRun, taps: &[Tap], number: u32, len: u64, rel: i64) {
    match (&mut s.acc, &s.stat.kind) {
        (Acc::Conv(t), Kind::Conv(table)) => {
            for tap in taps {
                if let Some((src, dst, id)) = ends(tap, *table) {
                    t.add(number, src, dst, id, len, rel);
                }
            }
        }
        (Acc::Endpoints(t), Kind::Endpoints(table)) => {
            for tap in taps {
                if let Some((src, dst, _)) = ends(tap, *table) {
                    t.add(number, src, dst, len);
                }
            }
        }
        _ => {}
    }
}

/// A relative time in µs, rounded as tshark's io,stat rounds nanoseconds.
pub(crate) fn rel_us(ns: i64) -> u64 {
    let (s, n) = (ns / 1_000_000_000, ns % 1_000_000_000);
    (s as u64) * 1_000_000 + ((n as u64 + 500) / 1000)
}

/// The two ends and the conversation id a tap record gives a table of this type.
#[inline]
fn ends(tap: &Tap, table: Table) -> Option<(End, End, u32)> {
    let plain = |a: Addr| End { addr: a, port: 0 };
    match (tap, table) {
        (Tap::Eth { src, dst }, Table::Eth) => Some((plain(Addr::ether(*src)), plain(Addr::ether(*dst)), 0)),
        (Tap::Ip { src, dst }, Table::Ip) => Some((plain(Addr::v4(*src)), plain(Addr::v4(*dst)), 0)),
        (Tap::Ipv6 { src, dst }, Table::Ipv6) => Some((plain(Addr::v6(*src)), plain(Addr::v6(*dst)), 0)),
        (Tap::Tcp { src, dst, sport, dport, stream }, Table::Tcp)
        | (Tap::Udp { src, dst, sport, dport, stream }, Table::Udp) => {
            Some((End { addr: Addr::net(*src), port: *sport }, End { addr: Addr::net(*dst), port: *dport }, *stream))
        }
        _ => None,
    }
}
