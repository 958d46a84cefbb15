//! `report.html`: one self-contained page drawn from the JSON report (no network access, no
//! external file). Charts are inline SVG; the only script sorts tables on a header click and
//! marks the page ready (`data-report-ready` on `<html>`, the number of sections drawn) so a
//! headless browser can check it.

use crate::svg::{bars, columns, duration, esc, human, strip};
use serde_json::Value;
use std::fmt::Write;

/// The sections of the page, by id, in order.
pub const SECTIONS: [&str; 11] =
    ["summary", "timeline", "talkers", "protocols", "dns", "tls", "http", "credentials", "objects", "beacons", "warnings"];

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d232a;background:#f4f6f8}
header{background:#1d2b3a;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#b8c4d0;word-break:break-all}
nav{background:#fff;border-bottom:1px solid #dde3e9;padding:8px 28px;position:sticky;top:0}
nav a{margin-right:14px;color:#2a5d9f;text-decoration:none}
main{padding:8px 28px 40px}
section{background:#fff;border:1px solid #dde3e9;border-radius:6px;margin:18px 0;padding:14px 18px}
h2{margin:0 0 10px;font-size:18px}h3{font-size:15px;margin:16px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #dde3e9;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:#5b6875;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef1f4;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f3f6;cursor:pointer;user-select:none;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap}
.chart{width:100%;max-width:900px;height:auto;display:block}.strip{width:100%;max-width:900px;height:34px}
.muted{color:#6b7785}.sev-high{color:#b03a2e;font-weight:bold}.sev-medium{color:#c0732b;font-weight:bold}
.warn{color:#a04000}code{font-size:12px}
";

/// Sorts a table by the clicked column (numbers by `data-v`), and reports readiness.
const SCRIPT: &str = "
(function(){
  var errors=[];
  window.addEventListener('error',function(e){errors.push(String(e.message));
    document.documentElement.setAttribute('data-report-error',errors.join(' | '));});
  function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent:parseFloat(v);}
  document.querySelectorAll('table.sortable').forEach(function(t){
    t.querySelectorAll('th').forEach(function(th,i){
      th.addEventListener('click',function(){
        var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        var asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');
        rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);
          var c=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));
          return asc?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  document.documentElement.setAttribute('data-report-ready',String(document.querySelectorAll('main>section').length));
})();
";

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// A table cell: text (escaped) or a number (right-aligned, sorted as a number).
enum Cell {
    T(String),
    N(f64, String),
    /// Trusted markup made here.
    Html(String),
}

fn num(v: &Value) -> Cell {
    let f = v.as_f64().unwrap_or(0.0);
    Cell::N(f, if v.is_null() { String::new() } else { s(v) })
}

fn bytes(v: &Value) -> Cell {
    let f = v.as_f64().unwrap_or(0.0);
    Cell::N(f, human(f, "B"))
}

/// Most rows drawn per table (the JSON report has them all).
pub const MAX_ROWS: usize = 1000;

fn table(out: &mut String, heads: &[&str], mut rows: Vec<Vec<Cell>>) {
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>");
        return;
    }
    let hidden = rows.len().saturating_sub(MAX_ROWS);
    rows.truncate(MAX_ROWS);
    out.push_str("<table class=\"sortable\"><thead><tr>");
    let numeric: Vec<bool> = (0..heads.len()).map(|i| rows.first().is_some_and(|r| matches!(r.get(i), Some(Cell::N(..))))).collect();
    for (h, n) in heads.iter().zip(&numeric) {
        let _ = write!(out, "<th{}>{}</th>", if *n { " class=\"n\"" } else { "" }, esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            match c {
                Cell::T(t) => {
                    let _ = write!(out, "<td>{}</td>", esc(&t));
                }
                Cell::N(v, t) => {
                    let _ = write!(out, "<td class=\"n\" data-v=\"{}\">{}</td>", v, esc(&t));
                }
                Cell::Html(h) => {
                    let _ = write!(out, "<td>{}</td>", h);
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if hidden > 0 {
        let _ = write!(out, "<p class=\"muted\">{} more rows are in pcap_forensic_report.json.</p>", hidden);
    }
}

fn card(out: &mut String, value: &str, label: &str) {
    let _ = write!(out, "<div class=\"card\"><b>{}</b><span>{}</span></div>", esc(value), esc(label));
}

fn section(out: &mut String, id: &str, title: &str, body: impl FnOnce(&mut String)) {
    let _ = write!(out, "<section id=\"{}\"><h2>{}</h2>", id, esc(title));
    body(out);
    out.push_str("</section>\n");
}

fn counted_bars(list: &Value, key: &str, title: &str) -> String {
    let rows: Vec<(String, f64)> = arr(list).iter().take(20).map(|r| (s(&r[key]), r["count"].as_f64().unwrap_or(0.0))).collect();
    if rows.is_empty() {
        return "<p class=\"muted\">None.</p>".into();
    }
    bars(&rows, "", title)
}

pub fn render(r: &Value) -> String {
    let mut o = String::with_capacity(1 << 16);
    let cap = &r["capture"];
    let title = format!("pcap-report: {}", s(&r["pcap_file"]));
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
<title>{}</title><style>{}</style></head><body>\n<header><h1>Forensic triage report</h1><p>{} · analysed {} · {}</p></header>\n<nav>",
        esc(&title),
        STYLE,
        esc(&s(&r["pcap_file"])),
        esc(&s(&r["analysis_timestamp"])),
        esc(&s(&r["generator"]))
    );
    for id in SECTIONS {
        let _ = write!(o, "<a href=\"#{}\">{}</a>", id, id);
    }
    o.push_str("</nav>\n<main>\n");

    section(&mut o, "summary", "Summary", |o| {
        o.push_str("<div class=\"cards\">");
        card(o, &human(u(&r["total_packets"]) as f64, ""), "packets");
        card(o, &human(u(&cap["bytes"]) as f64, "B"), "bytes on the wire");
        card(o, &duration(cap["span_seconds"].as_f64().unwrap_or(0.0)), "span");
        card(o, &arr(&r["conversations"]).len().to_string(), "IPv4 conversations (top)");
        card(o, &u(&r["dns"]["queries"]).to_string(), "DNS queries");
        card(o, &arr(&r["beacons"]).len().to_string(), "beacon candidates");
        card(o, &arr(&r["potential_beacons"]).len().to_string(), "seed potential beacons");
        card(o, &u(&r["credentials"]["count"]).to_string(), "credentials");
        card(o, &u(&r["objects"]["count"]).to_string(), "transferred objects");
        card(o, &arr(&r["warnings"]).len().to_string(), "warnings");
        o.push_str("</div>");
        let first = s(&cap["first_packet"]);
        let last = s(&cap["last_packet"]);
        let _ = write!(o, "<p>From <code>{}</code> to <code>{}</code>.</p>", esc(&first), esc(&last));
        let rows = arr(&cap["files"]).iter().map(|f| vec![Cell::T(s(&f["path"])), bytes(&f["size"])]).collect();
        table(o, &["file", "size"], rows);
        o.push_str("<h3>Link types and interfaces</h3>");
        let rows = arr(&cap["interfaces"]).iter().map(|i| vec![Cell::T(s(&i["name"])), Cell::T(format!("{} ({})", s(&i["linktype_name"]), s(&i["linktype"]))), num(&i["packets"])]).collect();
        table(o, &["interface", "link type", "packets"], rows);
    });

    section(&mut o, "timeline", "Traffic over time", |o| {
        let t = &r["timeline"];
        let iv = u(&t["interval_seconds"]).max(1);
        let p: Vec<u64> = arr(&t["packets"]).iter().map(u).collect();
        let b: Vec<u64> = arr(&t["bytes"]).iter().map(u).collect();
        let _ = write!(o, "<p class=\"muted\">From {} in intervals of {} s.</p><h3>Packets</h3>", esc(&s(&t["start"])), iv);
        o.push_str(&columns(&p, iv, "", "packets per interval"));
        o.push_str("<h3>Bytes</h3>");
        o.push_str(&columns(&b, iv, "B", "bytes per interval"));
    });

    section(&mut o, "talkers", "Top talkers", |o| {
        let rows: Vec<(String, f64)> = arr(&r["endpoints"]).iter().take(20).map(|e| (s(&e["address"]), e["bytes"].as_f64().unwrap_or(0.0))).collect();
        o.push_str(&if rows.is_empty() { "<p class=\"muted\">No IP traffic.</p>".to_string() } else { bars(&rows, "B", "bytes per endpoint") });
        o.push_str("<h3>Endpoints</h3>");
        let rows = arr(&r["endpoints"])
            .iter()
            .map(|e| vec![Cell::T(s(&e["address"])), num(&e["packets"]), bytes(&e["bytes"]), num(&e["tx_packets"]), num(&e["rx_packets"])])
            .collect();
        table(o, &["address", "packets", "bytes", "sent", "received"], rows);
        o.push_str("<h3>IPv4 conversations (the seed's list)</h3>");
        let rows = arr(&r["conversations"]).iter().map(|c| vec![Cell::T(s(&c["src"])), Cell::T(s(&c["dst"])), num(&c["packets"]), bytes(&c["bytes"])]).collect();
        table(o, &["address A", "address B", "packets", "bytes"], rows);
    });

    section(&mut o, "protocols", "Protocol mix", |o| {
        let dist: Vec<(String, f64)> = r["protocol_distribution"].as_object().map(|m| m.iter().take(20).map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0))).collect()).unwrap_or_default();
        o.push_str("<h3>Packets by transport and destination port</h3>");
        o.push_str(&if dist.is_empty() { "<p class=\"muted\">No TCP or UDP.</p>".to_string() } else { bars(&dist, "", "packets per destination port") });
        o.push_str("<h3>Protocol hierarchy</h3>");
        let total = arr(&r["protocol_hierarchy"]).first().map_or(1.0, |n| n["frames"].as_f64().unwrap_or(1.0)).max(1.0);
        let rows = arr(&r["protocol_hierarchy"])
            .iter()
            .map(|n| {
                let pad = "\u{a0}\u{a0}".repeat(u(&n["depth"]) as usize);
                let pct = n["frames"].as_f64().unwrap_or(0.0) * 100.0 / total;
                vec![Cell::T(format!("{}{}", pad, s(&n["protocol"]))), num(&n["frames"]), Cell::N(pct, format!("{:.2}%", pct)), bytes(&n["bytes"])]
            })
            .collect();
        table(o, &["protocol", "frames", "of first", "bytes"], rows);
    });

    section(&mut o, "dns", "DNS", |o| {
        let d = &r["dns"];
        let _ = write!(o, "<p>{} queries, {} responses ({} NXDOMAIN), {} distinct names.</p>", u(&d["queries"]), u(&d["responses"]), u(&d["nxdomain"]), u(&d["unique_names"]));
        o.push_str(&counted_bars(&d["top_names"], "name", "most queried names"));
        let _ = write!(o, "<h3>Queries (the seed's list: first {})</h3>", arr(&r["dns_queries"]).len());
        let rows = arr(&r["dns_queries"]).iter().map(|q| vec![Cell::T(s(&q["query"])), num(&q["type"]), Cell::T(s(&q["src"]))]).collect();
        table(o, &["query", "type", "source"], rows);
    });

    section(&mut o, "tls", "TLS", |o| {
        let t = &r["tls"];
        let _ = write!(o, "<p>{} ClientHellos.</p>", u(&t["client_hellos"]));
        o.push_str(&counted_bars(&t["server_names"], "name", "server names"));
        o.push_str("<h3>Client fingerprints</h3>");
        let rows = arr(&t["fingerprints"]).iter().map(|f| vec![Cell::T(s(&f["sni"])), Cell::T(s(&f["ja4"])), Cell::T(s(&f["ja3"])), num(&f["count"])]).collect();
        table(o, &["server name", "JA4", "JA3", "count"], rows);
    });

    section(&mut o, "http", "HTTP", |o| {
        let h = &r["http"];
        let _ = write!(o, "<p>{} requests.</p>", u(&h["requests"]));
        o.push_str("<h3>Hosts</h3>");
        o.push_str(&counted_bars(&h["hosts"], "host", "HTTP hosts"));
        o.push_str("<h3>User agents</h3>");
        let rows = arr(&h["user_agents"]).iter().map(|a| vec![Cell::T(s(&a["user_agent"])), num(&a["count"])]).collect();
        table(o, &["user agent", "requests"], rows);
        o.push_str("<h3>Methods and status codes</h3>");
        let mut rows: Vec<Vec<Cell>> = arr(&h["methods"]).iter().map(|m| vec![Cell::T(s(&m["method"])), num(&m["count"])]).collect();
        rows.extend(arr(&h["status_codes"]).iter().map(|m| vec![Cell::T(format!("status {}", s(&m["code"]))), num(&m["count"])]));
        table(o, &["method / status", "count"], rows);
    });

    section(&mut o, "credentials", "Credentials", |o| {
        let c = &r["credentials"];
        if c["redacted"].as_bool().unwrap_or(true) {
            o.push_str("<p class=\"muted\">Secrets are redacted (run with --show-secrets to include them).</p>");
        }
        let rows = arr(&c["items"])
            .iter()
            .map(|x| {
                vec![
                    num(&x["frame"]),
                    Cell::T(s(&x["protocol"])),
                    Cell::T(s(&x["client"])),
                    Cell::T(s(&x["server"])),
                    Cell::T(s(&x["username"])),
                    Cell::T(s(&x["domain"])),
                    Cell::T(s(&x["secret"])),
                    Cell::T(s(&x["kind"])),
                    Cell::T(s(&x["hashcat"])),
                ]
            })
            .collect();
        table(o, &["frame", "protocol", "client", "server", "username", "domain", "secret", "kind", "hashcat -m"], rows);
    });

    section(&mut o, "objects", "Transferred objects", |o| {
        let x = &r["objects"];
        if !x["written"].as_bool().unwrap_or(false) {
            o.push_str("<p class=\"muted\">Listed only (run with --export-objects to write the files).</p>");
        }
        let rows = arr(&x["items"])
            .iter()
            .map(|w| {
                vec![
                    num(&w["frame"]),
                    Cell::T(s(&w["protocol"])),
                    Cell::T(s(&w["file"])),
                    Cell::T(s(&w["host"])),
                    Cell::T(s(&w["content_type"])),
                    bytes(&w["size"]),
                    Cell::T(s(&w["complete"])),
                    Cell::Html(format!("<code>{}</code>", esc(&s(&w["sha256"])))),
                ]
            })
            .collect();
        table(o, &["frame", "protocol", "file", "host", "content type", "size", "complete", "SHA-256"], rows);
    });

    section(&mut o, "beacons", "Beacons", |o| {
        let span = cap["span_seconds"].as_f64().unwrap_or(0.0);
        o.push_str("<p class=\"muted\">RITA v5 beacon scores of connections (a connection start per line on each timeline, over the whole capture).</p>");
        let rows = arr(&r["beacons"])
            .iter()
            .map(|b| {
                let sev = s(&b["severity"]);
                let target = if b["name"].is_null() { arr(&b["dst"]).iter().map(s).collect::<Vec<_>>().join(", ") } else { s(&b["name"]) };
                let times: Vec<f64> = arr(&b["starts"]).iter().filter_map(Value::as_f64).collect();
                vec![
                    match b["score"].as_f64() {
                        Some(sc) => Cell::N(sc, format!("{:.3}", sc)),
                        None => Cell::N(-1.0, if b["strobe"].as_bool().unwrap_or(false) { "strobe".into() } else { String::new() }),
                    },
                    Cell::Html(format!("<span class=\"sev-{}\">{}</span>", esc(&sev), esc(&sev))),
                    Cell::T(s(&b["src"])),
                    Cell::T(target),
                    Cell::T(arr(&b["ports"]).iter().map(s).collect::<Vec<_>>().join(" ")),
                    num(&b["connections"]),
                    Cell::N(b["mean_interval"].as_f64().unwrap_or(0.0), format!("{:.1} s", b["mean_interval"].as_f64().unwrap_or(0.0))),
                    Cell::Html(strip(&times, span, "connection starts")),
                ]
            })
            .collect();
        table(o, &["score", "severity", "source", "destination", "ports", "connections", "mean gap", "timeline"], rows);
        o.push_str("<h3>Potential beacons (the seed's variance test)</h3>");
        let rows = arr(&r["potential_beacons"])
            .iter()
            .map(|b| vec![Cell::T(s(&b["src"])), Cell::T(s(&b["dst"])), num(&b["port"]), num(&b["avg_interval"]), num(&b["variance"]), num(&b["connection_count"])])
            .collect();
        table(o, &["source", "destination", "port", "mean gap (s)", "variance (s²)", "packets"], rows);
    });

    section(&mut o, "warnings", "Warnings", |o| {
        let rows = arr(&r["warnings"]).iter().map(|w| vec![Cell::T(s(&w["kind"])), num(&w["count"]), Cell::T(s(&w["message"]))]).collect();
        table(o, &["kind", "count", "what"], rows);
    });

    let _ = write!(o, "</main>\n<script>{}</script>\n</body></html>\n", SCRIPT);
    o
}
