//! The report as one JSON document: the seed analyzer's keys first, with its meanings and
//! order, then ours. `report.schema.json` describes it; the HTML page is drawn from it.

use crate::collect::{Collected, Counter};
use pcap_beacon::candidate::{self, Candidate, Span};
use pcap_beacon::names::Source;
use pcap_beacon::score::Params;
use pcap_export_objects::manifest::completeness;
use pcaptk_dissect::tap::SecretKind;
use serde_json::{json, Map, Value};
use std::net::Ipv4Addr;

/// Most objects and credentials listed in the report (the counts cover all).
pub const MAX_LISTED: usize = 10_000;

/// Schema version of the document (`report_version`).
pub const VERSION: u32 = 1;

pub struct Options {
    /// The path the seed prints as `pcap_file` (the first input as given).
    pub pcap_file: String,
    /// Rows of the top-N tables (the seed's 50).
    pub top: usize,
    /// The seed's beaconing threshold (variance, s²).
    pub threshold: f64,
    /// Lowest RITA score listed in `beacons`.
    pub min_score: f64,
    pub show_secrets: bool,
    pub dns_limit: usize,
    /// Whether the objects were written (`--export-objects`).
    pub objects_written: bool,
    /// `analysis_timestamp`: Python's `datetime.now().isoformat()`.
    pub now: String,
}

/// The RITA candidates listed: scored at least `min_score`, or strobes.
pub fn beacons(c: &Collected, min_score: f64) -> Vec<Candidate> {
    candidate::candidates(&c.rita, &c.names, &Params::default(), Span::Rita)
        .into_iter()
        .filter(|b| b.strobe || b.scores.as_ref().is_some_and(|s| s.score >= min_score))
        .collect()
}

pub fn build(c: &Collected, beacons: &[Candidate], o: &Options) -> Value {
    let mut r = Map::new();
    // The seed's keys.
    r.insert("analysis_timestamp".into(), json!(o.now));
    r.insert("pcap_file".into(), json!(o.pcap_file));
    r.insert("total_packets".into(), json!(c.packets));
    let mut convs: Vec<(usize, &(crate::collect::Pair, u64))> = c.conversations.rows.iter().enumerate().collect();
    convs.sort_by_key(|(i, _)| std::cmp::Reverse(c.conversation_bytes[*i]));
    r.insert(
        "conversations".into(),
        Value::Array(
            convs
                .iter()
                .take(o.top)
                .map(|(i, (p, n))| {
                    // Python's tuple(sorted([src, dst])): the smaller dotted string first.
                    let (a, b) = (Ipv4Addr::from(p.0).to_string(), Ipv4Addr::from(p.1).to_string());
                    let (a, b) = if a <= b { (a, b) } else { (b, a) };
                    json!({"src": a, "dst": b, "packets": n, "bytes": c.conversation_bytes[*i]})
                })
                .collect(),
        ),
    );
    r.insert(
        "dns_queries".into(),
        Value::Array(c.dns_queries.iter().map(|q| json!({"query": q.query, "type": q.qtype, "src": q.src})).collect()),
    );
    r.insert(
        "potential_beacons".into(),
        Value::Array(
            c.variance
                .rows(o.threshold)
                .iter()
                .map(|b| {
                    json!({"src": b.key.src.to_string(), "dst": b.key.dst.to_string(), "port": b.key.port,
                           "avg_interval": b.avg_interval, "variance": b.variance, "connection_count": b.connection_count})
                })
                .collect(),
        ),
    );
    let mut dist = Map::new();
    for ((is_tcp, port), n) in c.distribution.most_common(o.top) {
        dist.insert(format!("{}/{}", if *is_tcp { "TCP" } else { "UDP" }, port), json!(n));
    }
    r.insert("protocol_distribution".into(), Value::Object(dist));

    // Ours.
    r.insert("report_version".into(), json!(VERSION));
    r.insert("generator".into(), json!(format!("pcap-report {}", env!("CARGO_PKG_VERSION"))));
    r.insert("capture".into(), capture(c));
    r.insert("timeline".into(), timeline(c));
    r.insert("endpoints".into(), endpoints(c, o.top));
    r.insert("protocol_hierarchy".into(), hierarchy(c));
    r.insert("dns".into(), dns(c, o));
    r.insert("tls".into(), tls(c, o.top));
    r.insert("http".into(), http(c, o.top));
    r.insert("credentials".into(), credentials(c, o.show_secrets));
    r.insert("objects".into(), objects(c, o.objects_written));
    r.insert("beacons".into(), beacon_list(c, beacons, o.top));
    r.insert("warnings".into(), warnings(c, o));
    Value::Object(r)
}

/// Seconds since the epoch as RFC 3339 UTC with microseconds.
pub fn utc(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let micros = ns.rem_euclid(1_000_000_000) / 1000;
    let (y, mo, d) = pcaptk_dissect::time::civil_from_days(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", y, mo, d, r / 3600, r / 60 % 60, r % 60, micros)
}

/// A name for a LINKTYPE_ value.
pub fn linktype_name(lt: u32) -> String {
    let n = match lt {
        0 => "BSD loopback",
        1 => "Ethernet",
        9 => "PPP",
        101 | 12 | 14 => "Raw IP",
        104 => "Cisco HDLC",
        105 => "IEEE 802.11",
        107 => "Frame Relay",
        113 => "Linux cooked (SLL)",
        127 => "IEEE 802.11 radiotap",
        192 => "PPI",
        228 => "Raw IPv4",
        229 => "Raw IPv6",
        239 => "NFLOG",
        276 => "Linux cooked v2 (SLL2)",
        _ => return format!("LINKTYPE {}", lt),
    };
    n.to_string()
}

fn capture(c: &Collected) -> Value {
    let span = match (c.first_ns, c.last_ns) {
        (Some(f), Some(l)) => (l - f) as f64 / 1e9,
        _ => 0.0,
    };
    let mut linktypes: Counter<u32> = Counter::default();
    for (i, n) in &c.interfaces.rows {
        linktypes.add(&i.linktype, *n);
    }
    json!({
        "files": c.files.iter().map(|(p, size)| json!({"path": p, "size": size})).collect::<Vec<_>>(),
        "packets": c.packets,
        "bytes": c.bytes,
        "captured_bytes": c.captured_bytes,
        "first_packet": c.first_ns.map(utc),
        "last_packet": c.last_ns.map(utc),
        "span_seconds": span,
        "average_packets_per_second": if span > 0.0 { c.packets as f64 / span } else { 0.0 },
        "average_bits_per_second": if span > 0.0 { c.bytes as f64 * 8.0 / span } else { 0.0 },
        "link_types": linktypes.rows.iter().map(|(lt, n)| json!({"linktype": lt, "name": linktype_name(*lt), "packets": n})).collect::<Vec<_>>(),
        "interfaces": c.interfaces.rows.iter().map(|(i, n)| json!({"name": i.name, "linktype": i.linktype, "linktype_name": linktype_name(i.linktype), "packets": n})).collect::<Vec<_>>(),
        "truncated_packets": c.truncated,
        "out_of_order_packets": c.out_of_order,
    })
}

fn timeline(c: &Collected) -> Value {
    let t = &c.timeline;
    json!({
        "start": t.start_ns().map(utc),
        "interval_seconds": t.interval_s,
        "packets": t.buckets.iter().map(|b| b.packets).collect::<Vec<_>>(),
        "bytes": t.buckets.iter().map(|b| b.bytes).collect::<Vec<_>>(),
    })
}

fn endpoints(c: &Collected, top: usize) -> Value {
    let mut rows: Vec<_> = c.endpoints.rows.iter().collect();
    rows.sort_by_key(|e| std::cmp::Reverse(e.bytes()));
    Value::Array(
        rows.iter()
            .take(top)
            .map(|e| {
                json!({"address": e.end.addr.to_text(), "packets": e.frames(), "bytes": e.bytes(),
                       "tx_packets": e.tx_frames, "tx_bytes": e.tx_bytes, "rx_packets": e.rx_frames, "rx_bytes": e.rx_bytes})
            })
            .collect(),
    )
}

fn hierarchy(c: &Collected) -> Value {
    let mut rows = Vec::new();
    c.phs.walk(|n, depth| rows.push(json!({"protocol": n.name, "depth": depth, "frames": n.frames, "bytes": n.bytes})));
    Value::Array(rows)
}

/// The `top` most common keys of a table as `{key: …, "count": n}` objects.
fn counted<K: std::hash::Hash + Eq + Clone>(t: &Counter<K>, key: &str, top: usize, v: impl Fn(&K) -> Value) -> Value {
    Value::Array(t.most_common(top).iter().map(|(k, n)| json!({key: v(k), "count": n})).collect())
}

// `&String`: it is passed where `counted` takes an `Fn(&K)` with `K = String`.
#[allow(clippy::ptr_arg)]
fn text(s: &String) -> Value {
    Value::String(s.clone())
}

fn number(n: &u64) -> Value {
    json!(n)
}

fn dns(c: &Collected, o: &Options) -> Value {
    json!({
        "queries": c.dns_names.total(),
        "responses": c.dns_responses,
        "nxdomain": c.dns_nxdomain,
        "unique_names": c.dns_names.rows.len(),
        "seed_queries_total": c.dns_query_total,
        "seed_queries_listed": c.dns_queries.len().min(o.dns_limit),
        "top_names": counted(&c.dns_names, "name", o.top, text),
        "types": counted(&c.dns_types, "type", o.top, number),
    })
}

fn tls(c: &Collected, top: usize) -> Value {
    json!({
        "client_hellos": c.hellos.total(),
        "server_names": counted(&c.server_names, "name", top, text),
        "fingerprints": c.hellos.most_common(top).iter().map(|(h, n)| json!({"sni": h.sni, "ja3": h.ja3, "ja4": h.ja4, "count": n})).collect::<Vec<_>>(),
    })
}

fn http(c: &Collected, top: usize) -> Value {
    json!({
        "requests": c.http_requests,
        "methods": counted(&c.http_methods, "method", top, text),
        "hosts": counted(&c.http_hosts, "host", top, text),
        "user_agents": counted(&c.http_user_agents, "user_agent", top, text),
        "status_codes": counted(&c.http_status, "code", top, number),
    })
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn credentials(c: &Collected, show: bool) -> Value {
    let items: Vec<Value> = c
        .credentials
        .iter()
        .map(|f| {
            let secret = if show { lossy(&f.cred.secret) } else { format!("<redacted: {} bytes>", f.cred.secret.len()) };
            json!({
                "frame": f.frame,
                "time": utc(f.ts_ns),
                "protocol": f.cred.protocol,
                "client": f.client,
                "server": f.server,
                "username": lossy(&f.cred.username),
                "domain": lossy(&f.cred.domain),
                "secret": secret,
                "kind": if f.cred.kind == SecretKind::Hash { "hash" } else { "cleartext" },
                "hashcat": f.cred.hashcat,
            })
        })
        .collect();
    json!({"redacted": !show, "count": items.len() as u64 + c.credentials_dropped, "items": items})
}

fn objects(c: &Collected, written: bool) -> Value {
    // The first MAX_LISTED by frame; only those become JSON values.
    let mut all: Vec<&pcap_export_objects::sink::Written> = c.sinks.iter().flat_map(|s| s.written.iter()).collect();
    all.sort_by_key(|w| w.frame);
    let count = all.len();
    let t = |v: &Option<Vec<u8>>| v.as_deref().map(lossy);
    let items: Vec<Value> = all
        .iter()
        .take(MAX_LISTED)
        .map(|w| {
            json!({
                "frame": w.frame,
                "protocol": w.proto.name(),
                "src": w.src,
                "dst": w.dst,
                "host": t(&w.host),
                "content_type": t(&w.content_type),
                "size": w.size,
                "expected": w.expected,
                "complete": completeness(w),
                "sha256": w.sha256,
                "md5": w.md5,
                "file": lossy(&w.name),
            })
        })
        .collect();
    json!({"written": written, "count": count, "items": items})
}

fn source_name(s: Option<Source>) -> Option<&'static str> {
    s.map(|s| match s {
        Source::Sni => "tls_sni",
        Source::HttpHost => "http_host",
        Source::Dns => "dns",
    })
}

/// Most connection starts given per beacon (for its timeline); the rest are counted.
pub const MAX_STARTS: usize = 2000;

fn beacon_list(c: &Collected, list: &[Candidate], top: usize) -> Value {
    let first = c.first_ns.unwrap_or(0);
    Value::Array(
        list.iter()
            .take(top)
            .map(|b| {
                let s = b.scores.as_ref();
                json!({
                    "src": b.src.to_string(),
                    "dst": b.dsts.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                    "dst_count": b.dst_count,
                    "name": b.name,
                    "name_source": source_name(b.name_source),
                    "ports": b.ports.iter().map(|(p, port)| format!("{}/{}", match *p { 6 => "tcp", 17 => "udp", _ => "icmp" }, port)).collect::<Vec<_>>(),
                    "connections": b.count,
                    "strobe": b.strobe,
                    "score": s.map(|s| s.score),
                    "severity": s.map(|s| s.severity.name()),
                    "timestamp_score": s.map(|s| s.ts.stat.score),
                    "data_size_score": s.map(|s| s.ds.score),
                    "histogram_score": s.map(|s| s.hist.score),
                    "duration_score": s.map(|s| s.dur),
                    "mean_interval": b.mean_interval,
                    "median_interval": b.median_interval,
                    "mode_interval": b.mode_interval,
                    "jitter": b.jitter,
                    "orig_bytes": b.orig_bytes,
                    "resp_bytes": b.resp_bytes,
                    "starts": b.starts.iter().take(MAX_STARTS).map(|t| (t - first) as f64 / 1e9).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn warnings(c: &Collected, o: &Options) -> Value {
    let mut w: Vec<Value> = Vec::new();
    let mut add = |kind: &str, count: u64, message: String| {
        if count > 0 {
            w.push(json!({"kind": kind, "count": count, "message": message}));
        }
    };
    if let Some(e) = &c.read_error {
        add("read_error", 1, format!("the capture ends in error after {} packets: {}", c.packets, e));
    }
    add("truncated", c.truncated, format!("{} packets were cut short by the snapshot length: their payloads are incomplete", c.truncated));
    add("out_of_order", c.out_of_order, format!("{} packets are dated before the packet before them (merged or reordered capture)", c.out_of_order));
    add(
        "table_full",
        c.conversations.dropped + c.distribution.dropped + c.dns_names.dropped + c.hellos.dropped + c.http_hosts.dropped + c.http_user_agents.dropped + c.endpoint_keys_dropped,
        format!(
            "a table reached its {} keys ({} for addresses and address pairs): further keys were counted in totals only",
            crate::collect::MAX_KEYS,
            crate::collect::MAX_ADDRESS_KEYS
        ),
    );
    add("untracked_flows", c.untracked_packets, format!("{} packets of flows beyond the beacon tracker's open-flow cap were not scored", c.untracked_packets));
    add("credentials_cap", c.credentials_dropped, format!("{} credentials beyond {} were counted but not listed", c.credentials_dropped, crate::collect::MAX_CREDENTIALS));
    add(
        "dns_queries_cut",
        c.dns_query_total.saturating_sub(c.dns_queries.len() as u64),
        format!("dns_queries lists the first {} of {} queries (--dns-limit)", o.dns_limit, c.dns_query_total),
    );
    for (i, n) in &c.interfaces.rows {
        if !pcaptk_capture::linktype_supported(i.linktype) {
            add(
                "undissected_linktype",
                *n,
                format!("{} packets of link type {} are counted as frames but not dissected (tshark refuses such a file)", n, i.linktype),
            );
        }
    }
    let objects: usize = c.sinks.iter().map(|s| s.written.len()).sum();
    add("objects_cut", objects.saturating_sub(MAX_LISTED) as u64, format!("objects lists the first {} of {} objects", MAX_LISTED, objects));
    for s in &c.sinks {
        for m in &s.warnings {
            add("object", 1, m.clone());
        }
        let capped = s.written.iter().filter(|x| x.capped).count() as u64;
        add("object_capped", capped, format!("{} {} objects were cut at {} bytes", capped, s.proto.name(), crate::collect::OBJECT_CAP));
    }
    Value::Array(w)
}
