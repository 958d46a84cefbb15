//! The command line: tshark's flags for statistics. The same definition generates the man
//! page and the shell completions (see the `docgen` crate).

use clap::{Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Statistics (-z, repeatable; printed in reverse order, as tshark does):
  conv,TYPE[,FILTER]        conversations: TYPE is eth, ip, ipv6, tcp or udp
  endpoints,TYPE[,FILTER]   endpoints of the same types
  io,phs[,FILTER]           protocol hierarchy
  io,stat,INTERVAL[,FILTER...]  frames and bytes per INTERVAL seconds (0: whole capture), one column per filter

Machine-readable output (--format tsv|csv|json): one row per conversation, endpoint, protocol or
interval, with a header line, bytes and frames as integers and times in seconds, in tshark's order:
  conv (eth, ip, ipv6)   address_a address_b frames_a_to_b bytes_a_to_b frames_b_to_a bytes_b_to_a frames bytes rel_start duration
  conv (tcp, udp)        address_a port_a address_b port_b stream, then the same counts and times
  endpoints              address [port] frames bytes tx_frames tx_bytes rx_frames rx_bytes
  io,phs                 path depth protocol frames bytes
  io,stat                column filter start end frames bytes
A is the side that sent the conversation's first packet; stream is tcp.stream/udp.stream; rel_start
is seconds from the capture's first packet, duration from the conversation's first packet to its last.
Several statistics: TSV/CSV print one header-and-rows block each (command-line order, blank line
between); JSON prints an array of {\"stat\", \"filter\", \"rows\": [{column: value}]}.

Examples (the seed playbook's tshark commands, with pcap-stats in place of tshark):
  pcap-stats -r capture.pcap -q -z conv,tcp
  pcap-stats -r capture.pcap -q -z endpoints,ip
  pcap-stats -r capture.pcap -q -z io,phs
  pcap-stats -r capture.pcap -z conv,tcp,\"tcp.port==443\" --format tsv | sort -t$'\\t' -k12,12nr | head
  pcap-stats -r 'captures/*.pcap.gz' -z endpoints,ip --format json | jq '.[0].rows[:10]'
  pcap-stats -r capture.pcap -z io,stat,60,dns,tcp.flags.syn==1

Several -r files (or glob patterns, expanded by pcap-stats itself and read in sorted order) are read
as one stream and counted into one table: times stay relative to the very first packet and TCP/UDP
stream numbers continue from one file to the next.";

/// The clap definition of `pcap-stats`.
pub fn command() -> Command {
    pcaptk_capture::cli::live_args(
        Command::new("pcap-stats")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Conversations, endpoints, protocol hierarchy and I/O statistics: tshark -z, byte for byte, or as TSV/CSV/JSON, fast")
        .after_help(EXAMPLES)
        .disable_version_flag(true)
        .arg(Arg::new("version").short('v').long("version").action(ArgAction::Version).help("Print the version"))
        .arg(
            Arg::new("read")
                .short('r')
                .long("read-file")
                .value_name("INFILE")
                .action(ArgAction::Append)
                .help("Read packets from INFILE (pcap, pcapng, gzip'd; \"-\" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables"),
        )
        .arg(
            Arg::new("stat")
                .short('z')
                .value_name("STATISTIC")
                .action(ArgAction::Append)
                .help("A statistic: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE: eth, ip, ipv6, tcp, udp), io,phs[,FILTER], io,stat,INTERVAL[,FILTER...]"),
        )
        .arg(
            Arg::new("display_filter")
                .short('Y')
                .long("display-filter")
                .value_name("FILTER")
                .help("Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)"),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .value_parser(["text", "tsv", "csv", "json"])
                .default_value("text")
                .help("Output: text (tshark's tables), or tsv, csv, json: one row per conversation, endpoint, protocol or interval with raw numbers (columns below)"),
        )
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Quiet: no progress bar (pcap-stats never prints packet lines)"))
        .arg(Arg::new("no_resolve").short('n').action(ArgAction::SetTrue).help("Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)"))
        .arg(Arg::new("resolve").short('N').value_name("FLAGS").help("Name resolution flags (accepted; addresses print as with -n)"))
        .arg(
            Arg::new("threads")
                .long("threads")
                .value_name("N")
                .value_parser(clap::value_parser!(u16).range(1..=8))
                .help("Dissecting threads (default: one per core, at most 4). Used when every statistic is a conversation table of eth, ip, ipv6 or tcp or an endpoint table, with filters on fields kept per conversation; the output is the same with any N"),
        )
        .arg(Arg::new("no_progress").long("no-progress").action(ArgAction::SetTrue).help("Never show a progress bar (one is shown on a terminal for long reads)"))
    )
}
