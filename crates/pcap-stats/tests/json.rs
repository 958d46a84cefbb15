//! `--format json` against the schema in `tests/stats.schema.json` (a JSON Schema draft-07
//! document; the subset it uses is checked here: type, enum, required, properties,
//! additionalProperties, items, minimum), and its numbers against tshark's own tables for
//! the same capture (`tests/expected/`). TSV and CSV carry the same rows.

use serde_json::Value;

#[path = "../../../tests/support/schema.rs"]
mod schema;
use schema::validate;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pcap-stats")).args(args).current_dir(root()).env("TZ", "UTC").output().unwrap();
    assert!(out.status.success(), "pcap-stats {:?}: {}", args, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const STATS: &[&str] = &[
    "conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp", "endpoints,eth", "endpoints,ip", "endpoints,ipv6",
    "endpoints,tcp", "endpoints,udp", "io,phs,udp", "io,stat,1,,tcp",
];

fn args_for<'a>(format: &'a str, capture: &'a str) -> Vec<&'a str> {
    let mut a = vec!["-r", capture, "--format", format];
    for s in STATS {
        a.push("-z");
        a.push(s);
    }
    a
}

#[test]
fn json_follows_the_schema() {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(root().join("crates/pcap-stats/tests/stats.schema.json")).unwrap()).unwrap();
    for capture in ["tests/fixtures/ns-ether.pcap", "tests/fixtures/ns-ether.pcapng", "tests/fixtures/lo-sll2.pcap"] {
        let doc: Value = serde_json::from_str(&run(&args_for("json", capture))).expect("valid JSON");
        let mut errors = Vec::new();
        validate(&doc, &schema, "$", &mut errors);
        let tables = doc.as_array().unwrap();
        assert_eq!(tables.len(), STATS.len());
        for (i, t) in tables.iter().enumerate() {
            let stat = t["stat"].as_str().unwrap();
            assert!(STATS[i].starts_with(stat), "statistics in command-line order: {stat} for {}", STATS[i]);
            let rows_schema = &schema["definitions"][stat];
            assert!(rows_schema.is_object(), "no row schema for {stat}");
            validate(&t["rows"], &serde_json::json!({"type": "array", "items": rows_schema}), &format!("$[{i}].rows"), &mut errors);
        }
        assert!(errors.is_empty(), "{capture}:\n{}", errors.join("\n"));
    }
}

/// The numbers of the JSON rows are those of tshark's text tables.
#[test]
fn json_numbers_match_tshark_tables() {
    let doc: Value = serde_json::from_str(&run(&args_for("json", "tests/fixtures/ns-ether.pcap"))).unwrap();
    let expected = |name: &str| std::fs::read_to_string(root().join("crates/pcap-stats/tests/expected").join(name)).unwrap();
    let table = |stat: &str| doc.as_array().unwrap().iter().find(|t| t["stat"] == stat).unwrap()["rows"].as_array().unwrap().clone();

    // Endpoints: tshark prints the raw numbers; same rows in the same order.
    let text = expected("endpoints-ip.out");
    let text_rows: Vec<Vec<&str>> = text.lines().skip(4).filter(|l| !l.starts_with('=')).map(|l| l.split_whitespace().collect()).collect();
    let rows = table("endpoints,ip");
    assert_eq!(rows.len(), text_rows.len());
    for (r, t) in rows.iter().zip(&text_rows) {
        let got = [&r["address"].as_str().unwrap().to_string(), &r["frames"].to_string(), &r["bytes"].to_string(), &r["tx_frames"].to_string(), &r["tx_bytes"].to_string(), &r["rx_frames"].to_string(), &r["rx_bytes"].to_string()];
        let want: Vec<String> = t.iter().map(|s| s.to_string()).collect();
        assert_eq!(got.iter().map(|s| s.as_str()).collect::<Vec<_>>(), want);
    }

    // Conversations: frames, times and endpoints as tshark prints them (bytes there are rounded).
    let text = expected("conv-tcp.out");
    let text_rows: Vec<&str> = text.lines().skip(5).filter(|l| !l.starts_with('=')).collect();
    let rows = table("conv,tcp");
    assert_eq!(rows.len(), text_rows.len());
    for (r, line) in rows.iter().zip(&text_rows) {
        let a = format!("{}:{}", r["address_a"].as_str().unwrap(), r["port_a"]);
        let b = format!("{}:{}", r["address_b"].as_str().unwrap(), r["port_b"]);
        assert!(line.starts_with(&format!("{a:<26} <-> {b:<26}")), "{line}");
        let f = |k: &str| r[k].as_u64().unwrap();
        assert_eq!(f("frames"), f("frames_a_to_b") + f("frames_b_to_a"));
        assert_eq!(f("bytes"), f("bytes_a_to_b") + f("bytes_b_to_a"));
        let w: Vec<&str> = line.split_whitespace().collect();
        // a <-> b  rx_frames rx_bytes unit  tx_frames tx_bytes unit  frames bytes unit  start duration
        assert_eq!(w[3], f("frames_b_to_a").to_string());
        assert_eq!(w[6], f("frames_a_to_b").to_string());
        assert_eq!(w[9], f("frames").to_string());
        assert_eq!(format!("{:.9}", r["rel_start"].as_f64().unwrap()), w[12]);
        assert_eq!(format!("{:.4}", r["duration"].as_f64().unwrap()), w[13]);
    }
}

/// TSV and CSV: a header line and the same rows as JSON, block after block.
#[test]
fn tsv_and_csv_carry_the_json_rows() {
    let doc: Value = serde_json::from_str(&run(&args_for("json", "tests/fixtures/ns-ether.pcap"))).unwrap();
    for (format, sep) in [("tsv", '\t'), ("csv", ',')] {
        let text = run(&args_for(format, "tests/fixtures/ns-ether.pcap"));
        let blocks: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(blocks.len(), STATS.len(), "{format}: one block per statistic");
        for (block, t) in blocks.iter().zip(doc.as_array().unwrap()) {
            let mut lines = block.lines();
            let header: Vec<&str> = lines.next().unwrap().split(sep).collect();
            let rows = t["rows"].as_array().unwrap();
            let lines: Vec<&str> = lines.collect();
            assert_eq!(lines.len(), rows.len(), "{format} {}", t["stat"]);
            for (line, row) in lines.iter().zip(rows) {
                let cells: Vec<&str> = line.split(sep).collect();
                assert_eq!(cells.len(), header.len());
                for (h, c) in header.iter().zip(cells) {
                    match &row[*h] {
                        Value::String(s) => assert_eq!(c, s, "{format} {} column {h}", t["stat"]),
                        Value::Null => assert_eq!(c, "", "{format} {} column {h}", t["stat"]),
                        v if v.is_f64() => assert_eq!(c.parse::<f64>().ok(), v.as_f64(), "{format} {} column {h}", t["stat"]),
                        v => assert_eq!(c, v.to_string(), "{format} {} column {h}", t["stat"]),
                    }
                }
            }
        }
    }
}
