//! The command line, tshark's flags for field extraction. The same definition generates
//! the man page and the shell completions (see the `docgen` crate).

use clap::{Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Examples (the seed playbook's tshark commands, with pcap-fields in place of tshark):
  pcap-fields -r capture.pcap -Y \"http.request\" -T fields -e http.host -e http.request.uri
  pcap-fields -r capture.pcap -Y \"dns.flags.response == 0\" -T fields -e dns.qry.name | sort -u
  pcap-fields -r capture.pcap -Y \"tls.handshake.type == 1\" -T fields -e tls.handshake.extensions_server_name
  pcap-fields -r capture.pcap -Y \"ftp.request.command == USER || ftp.request.command == PASS || http.authorization\" \\
              -T fields -e ftp.request.arg -e http.authorization
  pcap-fields -r capture.pcap -Y \"ip.addr == 192.168.1.100\" -T fields -e frame.number -e ip.src -e ip.dst
  pcap-fields -r capture.pcap -Y \"tcp.flags.syn == 1 && tcp.flags.ack == 0\" -T fields -e ip.src -e tcp.dstport
  pcap-fields -r 'captures/*.pcap.gz' -T json -e frame.number -e ip.src -e ip.dst
  pcap-fields -G fields        # the fields pcap-fields dissects, in tshark's -G fields format

Several -r files (or glob patterns, expanded by pcap-fields itself and read in sorted order) are read
as one stream: frame numbers, times relative to the first packet, and stream numbers continue from one
file to the next.";

/// The clap definition of `pcap-fields`.
pub fn command() -> Command {
    pcaptk_capture::cli::live_args(
        Command::new("pcap-fields")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Field extraction with Wireshark display filters: tshark -T fields/json/ek, byte for byte, much faster")
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
        .arg(Arg::new("display_filter").short('Y').long("display-filter").value_name("FILTER").help("Wireshark display filter: print only the packets that match"))
        .arg(Arg::new("read_filter").short('R').long("read-filter").value_name("FILTER").help("Read filter (needs -2): packets that do not match are dropped before numbering"))
        .arg(Arg::new("two_pass").short('2').action(ArgAction::SetTrue).help("Two-pass analysis (accepted; filters behave as with tshark -2)"))
        .arg(Arg::new("format").short('T').value_name("fields|json|ek").help("Output format: fields (one line per packet), json or ek (Elasticsearch bulk); all need -e"))
        .arg(Arg::new("field").short('e').value_name("FIELD").action(ArgAction::Append).help("A field to print (repeatable), e.g. ip.src, tcp.dstport, frame.time_epoch"))
        .arg(
            Arg::new("field_opt")
                .short('E')
                .value_name("OPTION=VALUE")
                .action(ArgAction::Append)
                .help("Field output option: bom=y|n header=y|n separator=/t|/s|<char> occurrence=f|l|a aggregator=,|/s|<char> quote=d|s|n"),
        )
        .arg(Arg::new("count").short('c').value_name("COUNT").help("Stop after reading COUNT packets"))
        .arg(Arg::new("no_resolve").short('n').action(ArgAction::SetTrue).help("Disable name resolution (pcap-fields never resolves names; accepted for tshark compatibility)"))
        .arg(Arg::new("resolve").short('N').value_name("FLAGS").help("Name resolution flags (accepted; pcap-fields prints addresses as with -n)"))
        .arg(Arg::new("glossary").short('G').value_name("REPORT").num_args(0..=1).default_missing_value("fields").help("Print a glossary and exit: `fields` lists every field pcap-fields dissects"))
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Quiet: no progress bar"))
        .arg(
            Arg::new("threads")
                .long("threads")
                .value_name("N")
                .value_parser(clap::value_parser!(u16).range(1..=8))
                .help("Dissecting threads (default: one per core, at most 4). Used when every field and the filter depend only on state kept per pair of hosts (HTTP, TLS, FTP, DNS names, addresses, ports); the output is the same with any N"),
        )
        .arg(Arg::new("no_progress").long("no-progress").action(ArgAction::SetTrue).help("Never show a progress bar (one is shown on a terminal for long reads)"))
    )
}
