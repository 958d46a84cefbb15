//! The command line: tcpdump's capture-to-file flags (`-i -w -C -G -W -s -p -B -U -c`, a
//! trailing BPF expression) and dumpcap's (`-b`, `-a`, `-f`, `-F`, `--comment`). The same
//! definition generates the man page and the shell completions (see the `docgen` crate).

use clap::{Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Examples:
  pcap-capture -i eth0 -w capture_%Y%m%d_%H%M%S.pcap -G 3600 -W 24      # one file an hour, a day's worth
  pcap-capture -i eth0 -w ring.pcap -C 100 -W 10 port 4444 or port 8080 or port 1337
  pcap-capture -i eth0 -w out.pcapng -b filesize:100000 -b files:10 -f 'host 192.168.1.100'
  pcap-capture -i lo -i eth0 -w both.pcapng -a duration:60
  pcap-capture -D

File names follow tcpdump: the -w name goes through strftime(3) only with -G; with -C, later files
get a number (name1, name2, ...), and with -W N every file does, zero-padded, the oldest overwritten.
Any -b switches to dumpcap's names: prefix_00001_YYYYmmddHHMMSS.ext. Ctrl-C, SIGTERM, -c and -a end the
capture cleanly: every packet read is written and the files are complete. At the end the counts are
printed on stderr as tcpdump prints them (captured, received by filter, dropped by kernel).";

/// The clap definition of `pcap-capture`.
pub fn command() -> Command {
    Command::new("pcap-capture")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Live capture to pcap/pcapng files with tcpdump's and dumpcap's rotation (-C, -G, -W, -b), BPF filters and drop counts")
        .after_help(EXAMPLES)
        .arg(Arg::new("interface").short('i').long("interface").value_name("IFACE").action(ArgAction::Append).help("Capture on IFACE (a name, `any`, or a number from -D); repeatable (several interfaces need pcapng unless they share a link type)"))
        .arg(Arg::new("write").short('w').value_name("FILE").help("Write packets to FILE (\"-\" for standard output); strftime patterns with -G"))
        .arg(Arg::new("capture_filter").short('f').value_name("CAPTURE FILTER").help("Capture filter in libpcap (BPF) syntax; the trailing EXPRESSION words do the same"))
        .arg(Arg::new("expression").value_name("EXPRESSION").num_args(0..).trailing_var_arg(true).help("Capture filter as tcpdump takes it: the remaining words, e.g. port 4444 or port 8080"))
        .arg(Arg::new("file_size").short('C').value_name("MILLION BYTES").value_parser(clap::value_parser!(u64).range(1..)).help("Start a new file when the current one is larger than this many millions of bytes (tcpdump -C)"))
        .arg(Arg::new("rotate_seconds").short('G').value_name("SECONDS").value_parser(clap::value_parser!(u64).range(1..)).help("Start a new file every SECONDS seconds (tcpdump -G; the -w name is expanded with strftime)"))
        .arg(Arg::new("file_count").short('W').value_name("COUNT").value_parser(clap::value_parser!(u32).range(1..)).help("With -C: keep a ring of COUNT files; with -G alone: stop after COUNT files (tcpdump -W)"))
        .arg(Arg::new("ring").short('b').value_name("KEY:VALUE").action(ArgAction::Append).help("dumpcap ring buffer: filesize:KB (1000 bytes), duration:SECONDS, interval:SECONDS, packets:N, files:N; repeatable"))
        .arg(Arg::new("format").short('F').value_name("pcap|pcapng").help("File format (default: pcapng with -b or a .pcapng name, else pcap)"))
        .arg(Arg::new("count").short('c').value_name("COUNT").value_parser(clap::value_parser!(u64).range(1..)).help("Stop after writing COUNT packets"))
        .arg(Arg::new("autostop").short('a').value_name("COND").action(ArgAction::Append).help("Stop when COND holds: duration:SECONDS or packets:N (dumpcap -a)"))
        .arg(Arg::new("snaplen").short('s').long("snapshot-length").value_name("SNAPLEN").value_parser(clap::value_parser!(u32)).help("Bytes kept of each packet (default 262144; 0 means the default)"))
        .arg(Arg::new("no_promisc").short('p').long("no-promiscuous-mode").action(ArgAction::SetTrue).help("Don't put the interface into promiscuous mode"))
        .arg(Arg::new("immediate").long("immediate-mode").action(ArgAction::SetTrue).help("Deliver packets as they arrive instead of in blocks (lower latency, more CPU)"))
        .arg(Arg::new("buffer_size").short('B').long("buffer-size").value_name("KiB").value_parser(clap::value_parser!(u32).range(1..)).help("Kernel capture buffer size in KiB (tcpdump -B; default libpcap's 2 MiB)"))
        .arg(Arg::new("packet_buffered").short('U').long("packet-buffered").action(ArgAction::SetTrue).help("Flush the file after every packet (tcpdump -U)"))
        .arg(Arg::new("precision").long("time-stamp-precision").value_name("micro|nano").value_parser(["micro", "nano"]).help("Time-stamp precision written (default: micro for pcap as tcpdump, nano for pcapng as dumpcap)"))
        .arg(Arg::new("comment").long("comment").value_name("TEXT").action(ArgAction::Append).help("pcapng section comment (dumpcap --capture-comment); repeatable"))
        .arg(Arg::new("list_interfaces").short('D').long("list-interfaces").action(ArgAction::SetTrue).help("Print the interfaces, numbered, and exit"))
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Don't print the listening line and the counts on stderr"))
}
