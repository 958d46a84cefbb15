//! The command line. The same definition generates the man page and the shell completions
//! (see the `docgen` crate).

use clap::{value_parser, Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Writes OUTDIR/pcap_forensic_report.json and OUTDIR/report.html (OUTDIR is created; only
those two files, and with --export-objects the objects/ folder, are written in it).

The JSON starts with the seed analyzer's keys, with its meanings (its script is
crates/pcap-report/tests/support/seed_analyzer.py):
  analysis_timestamp, pcap_file, total_packets,
  conversations          IPv4 pairs (first IPv4 header of a packet), by bytes, top 50
  dns_queries            DNS queries (UDP/TCP port 53, mDNS 5353): query, type, src; first 200
  potential_beacons      per (src, dst, TCP dport): >= 5 packets, mean gap > 1 s, variance < 5 s²
  protocol_distribution  TCP/<dport> and UDP/<dport> packet counts, top 50
then ours: capture (files, span, link types, interfaces, bytes), timeline, endpoints,
ip_conversations, protocol_hierarchy (tshark's io,phs), dns, tls (server names, JA3/JA4),
http (hosts, user agents), credentials (secrets redacted unless --show-secrets), objects
(the export-object manifest; files only with --export-objects), beacons (RITA v5 scores),
warnings. The schema is crates/pcap-report/report.schema.json.

The HTML page is one self-contained file (no network access needed): tables and SVG charts
of the same data.

Examples:
  pcap-report -r capture.pcap -o report/
  pcap-report -r 'day1/*.pcap.gz' -o report/ --top 100 --dns-limit 1000
  pcap-report -r capture.pcapng -o report/ --export-objects --show-secrets
  pcap-report -i eth0 -a duration:600 -o report/      # ten minutes of live traffic";

/// The clap definition of `pcap-report`.
pub fn command() -> Command {
    pcaptk_capture::cli::live_args(command_without_live())
}

fn command_without_live() -> Command {
    Command::new("pcap-report")
        .version(env!("CARGO_PKG_VERSION"))
        .about("One-pass forensic triage report of captures: the seed analyzer's JSON and much more, and a self-contained HTML page with charts")
        .after_help(EXAMPLES)
        .disable_version_flag(true)
        .arg(Arg::new("version").short('v').long("version").action(ArgAction::Version).help("Print the version"))
        .arg(
            Arg::new("read")
                .short('r')
                .long("read-file")
                .value_name("INFILE")
                .action(ArgAction::Append)
                .help("Read packets from INFILE (pcap, pcapng, gzip'd; \"-\" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream"),
        )
        .arg(Arg::new("outdir").short('o').long("output-dir").value_name("OUTDIR").help("Folder for pcap_forensic_report.json and report.html (created if missing)"))
        .arg(Arg::new("count").short('c').value_name("COUNT").value_parser(value_parser!(u64).range(1..)).help("Stop after COUNT packets"))
        .arg(
            Arg::new("top")
                .long("top")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .default_value("50")
                .help("Rows of the conversation, protocol-distribution, endpoint and name tables (the seed's 50)"),
        )
        .arg(
            Arg::new("dns_limit")
                .long("dns-limit")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .default_value("200")
                .help("DNS queries listed in dns_queries (the seed's first 200)"),
        )
        .arg(
            Arg::new("threshold")
                .long("beacon-threshold")
                .value_name("SECONDS²")
                .value_parser(value_parser!(f64))
                .default_value("5.0")
                .help("potential_beacons: the seed's variance threshold"),
        )
        .arg(
            Arg::new("min_score")
                .long("min-score")
                .value_name("SCORE")
                .value_parser(value_parser!(f64))
                .default_value("0.5")
                .help("beacons: the lowest RITA beacon score listed, 0 to 1 (0.5 is where RITA's low severity starts; strobes are always listed)"),
        )
        .arg(
            Arg::new("all_pairs")
                .long("all-pairs")
                .action(ArgAction::SetTrue)
                .help("beacons: score every pair of hosts, internal to internal too (RITA scores only pairs between its internal subnets and the outside)"),
        )
        .arg(Arg::new("show_secrets").long("show-secrets").action(ArgAction::SetTrue).help("Put passwords and hash lines in the report (they are redacted by default)"))
        .arg(
            Arg::new("export_objects")
                .long("export-objects")
                .action(ArgAction::SetTrue)
                .help("Also write the transferred files into OUTDIR/objects/<protocol>/ (as pcap-export-objects does); without it only the manifest is reported"),
        )
        .arg(Arg::new("no_html").long("no-html").action(ArgAction::SetTrue).help("Write only the JSON report"))
        .arg(Arg::new("json_stdout").long("json").action(ArgAction::SetTrue).help("Also print the JSON report on standard output (the console summary goes to standard error)"))
        .arg(Arg::new("timings").long("timings").action(ArgAction::SetTrue).help("Print on standard error how long the pass and the writing of each file took"))
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Quiet: no console summary, no progress bar"))
        .arg(Arg::new("no_resolve").short('n').action(ArgAction::SetTrue).help("Disable name resolution (pcap-report never resolves names)"))
        .arg(Arg::new("no_progress").long("no-progress").action(ArgAction::SetTrue).help("Never show a progress bar (one is shown on a terminal for long reads)"))
}
