//! The command line: a whole tshark command line, passed through. The definition is only
//! for `--help`, the man page and the completions (see the `docgen` crate); the arguments
//! are routed by `route.rs` and checked by the chosen tool's own definition.

use clap::{Arg, ArgAction, Command};

pub const ABOUT: &str = "Runs a tshark command line through the pcaptk tools, so `alias tshark=pcap-tshark` keeps scripts working";

pub const ROUTES: &str = "\
Routing (the arguments are passed unchanged to the tool, found next to pcap-tshark, then on PATH):
  --export-objects PROTO,DIR          pcap-export-objects
  -z credentials                      pcap-creds
  -z STAT (conv, endpoints, io, ...)  pcap-stats
  -T fields|json|ek, -e, -G           pcap-fields
  -w FILE without -T/-z (capture)     pcap-capture (-i, -f, -w, -c, -a, -b, -s, -p, -F)
  -D                                  the interface list
Anything else — tshark's default packet-summary output, -V, -x, -T pdml/psml/text, or a flag the chosen
tool does not implement — is an error naming what is not supported, never a silent difference.

Examples:
  alias tshark=pcap-tshark
  tshark -r capture.pcap -Y dns -T fields -e dns.qry.name
  tshark -i eth0 -f 'port 53' -Y dns -T fields -e dns.qry.name
  tshark -r capture.pcap -q -z conv,tcp
  tshark -r capture.pcap --export-objects http,out/";

/// The clap definition of `pcap-tshark` (documentation only).
pub fn command() -> Command {
    Command::new("pcap-tshark")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(ROUTES)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(Arg::new("help").long("help").short('h').action(ArgAction::Help).help("Print this help (the routing rules)"))
        .arg(
            Arg::new("tshark_args")
                .value_name("TSHARK ARGUMENTS")
                .num_args(0..)
                .trailing_var_arg(true)
                .allow_hyphen_values(true)
                .help("A tshark command line, e.g. -r in.pcap -Y dns -T fields -e dns.qry.name"),
        )
}
