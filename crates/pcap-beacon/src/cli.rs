//! The command line. The same definition generates the man page and the shell completions
//! (see the `docgen` crate).

use clap::{value_parser, Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Output (--format tsv|csv|json): one row per candidate, best score first, with a header line:
  score severity ts_score ds_score hist_score dur_score type src dst ports name name_source
  connections mean_interval median_interval mode_interval jitter bytes orig_bytes resp_bytes
  median_orig_bytes strobe
score and the sub-scores are RITA v5's (0 to 1, three decimals); severity is RITA's category of
the score (none < 0.5 <= low < 0.7 <= medium < 0.9 <= high); type is `name` for a (source, server
name) candidate, the name from TLS SNI, the HTTP Host header or the DNS answer that resolved the
address (name_source: sni, http_host, dns), or `ip` for a (source, destination) pair; intervals
are the gaps between connection starts in seconds (mode_interval: RITA's most frequent gap, whole
seconds); jitter is the gaps' MAD over their median; bytes are IP bytes (orig: sent by the
source). Strobes (86,400 connections or more) are listed after the scored candidates, unscored.

Scope (RITA's import filter): connections from an internal address (RFC 1918, fd00::/8, or
--internal) to an external one; never loopback, link-local, multicast, broadcast or unspecified
addresses. --all-pairs analyses every direction (for lab captures with private addresses only).

Scoring (RITA v5 defaults): a candidate needs 4 or more distinct start seconds. Histogram and
duration scores use 24 bins over the capture's window (its last 24 hours at most), whatever its
length: on a 10-minute capture the bins are 25 s wide, and a beacon slower than that leaves empty
bins. --span auto uses as many bins as the candidate's median interval fits in the window (4 to
24) and scales RITA's bin thresholds (6, 11, 12 of 24) with them; it changes nothing for a
beacon with 24 or more intervals in the window.

Examples:
  pcap-beacon -r capture.pcap
  pcap-beacon -r 'day/*.pcap.gz' --min-score 0.7 --format json | jq '.[0]'
  pcap-beacon -r capture.pcap --span auto --explain 1
  pcap-beacon -r capture.pcap --plot plots --top 5
  pcap-beacon -r capture.pcap --method variance      # the seed playbook's detector

Several -r files (or glob patterns, expanded by pcap-beacon itself and read in sorted order) are
read as one stream.";

pub fn command() -> Command {
    pcaptk_capture::cli::live_args(
        Command::new("pcap-beacon")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Command-and-control beacon detection straight from captures, scored as RITA v5 scores beacons")
        .after_help(EXAMPLES)
        .disable_version_flag(true)
        .arg(Arg::new("version").short('v').long("version").action(ArgAction::Version).help("Print the version"))
        .arg(
            Arg::new("read")
                .short('r')
                .long("read-file")
                .value_name("INFILE")
                .action(ArgAction::Append)
                .help("Read packets from INFILE (pcap, pcapng, gzip'd; \"-\" for stdin). Repeatable; glob patterns are expanded"),
        )
        .arg(
            Arg::new("method")
                .long("method")
                .value_name("METHOD")
                .value_parser(["rita", "variance"])
                .default_value("rita")
                .help("rita: RITA v5's beacon score per (source, name) and (source, destination); variance: the seed playbook's detector (per source, destination and TCP port: at least 5 packets, variance of the gaps below --threshold, mean gap above 1 s)"),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .value_parser(["tsv", "csv", "json"])
                .default_value("tsv")
                .help("Output format (columns below)"),
        )
        .arg(
            Arg::new("min_score")
                .long("min-score")
                .value_name("SCORE")
                .value_parser(value_parser!(f64))
                .default_value("0")
                .help("Only candidates scoring at least SCORE (0 to 1; strobes are always listed)"),
        )
        .arg(
            Arg::new("span")
                .long("span")
                .value_name("SPAN")
                .value_parser(["rita", "auto"])
                .default_value("rita")
                .help("Histogram bins: rita (24 over the window, RITA's definition) or auto (scaled to the candidate's interval on captures shorter than 24 of them)"),
        )
        .arg(
            Arg::new("explain")
                .long("explain")
                .value_name("CANDIDATE")
                .help("Explain one candidate's score instead of the table: its rank in the output (1 = top), or SRC,DST or SRC,NAME"),
        )
        .arg(
            Arg::new("internal")
                .long("internal")
                .value_name("CIDR")
                .action(ArgAction::Append)
                .help("An internal network (repeatable; replaces RITA's default 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8). As RITA does, only connections from an internal address to an external one are analysed"),
        )
        .arg(
            Arg::new("all_pairs")
                .long("all-pairs")
                .action(ArgAction::SetTrue)
                .help("Analyse connections whatever the direction (internal to internal, external to internal, ...); loopback, link-local, multicast and broadcast addresses stay left out, as in RITA"),
        )
        .arg(Arg::new("plot").long("plot").value_name("DIR").help("Write an SVG per top candidate into DIR (created if missing): gap histogram and connection timeline"))
        .arg(
            Arg::new("top")
                .long("top")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .default_value("10")
                .help("Candidates plotted by --plot"),
        )
        .arg(
            Arg::new("threshold")
                .long("threshold")
                .value_name("SECONDS2")
                .value_parser(value_parser!(f64))
                .default_value("5")
                .help("--method variance: report keys whose gap variance is below this (the seed's threshold_seconds)"),
        )
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Quiet: no progress bar and no summary on standard error"))
        .arg(Arg::new("no_resolve").short('n').action(ArgAction::SetTrue).help("Disable name resolution (accepted; addresses are never resolved)"))
        .arg(Arg::new("no_progress").long("no-progress").action(ArgAction::SetTrue).help("Never show a progress bar (one is shown on a terminal for long reads)"))
    )
}
