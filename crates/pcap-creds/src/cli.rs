//! The command line. The same definition generates the man page and the shell completions
//! (see the `docgen` crate).

use clap::{Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Output (default): one credential per line, TSV with a header line:
  frame  time  protocol  client  server  username  domain  secret  kind  hashcat
time is UTC (RFC 3339, nanoseconds); client and server are address:port ([v6]:port); kind is
cleartext or hash; hashcat is the -m mode of a hash line (empty for cleartext). The same
credential (protocol, username, domain, secret) is listed once, at its first frame, unless --all.
--format csv and --format json give the same columns.

What is read: FTP USER/PASS; HTTP Basic, Bearer, Digest (hashcat 11400), NTLM and Negotiate
(NetNTLMv1/v2, hashcat 5500/5600), urlencoded form POSTs with a password field; POP3
USER/PASS, APOP (hashcat 20), AUTH; IMAP LOGIN, AUTHENTICATE; SMTP AUTH PLAIN/LOGIN/CRAM-MD5
(hashcat 10200) and NTLM; NTLMSSP in SMB1/SMB2 session setups, LDAP binds and any other TCP
payload (DCE-RPC, MSSQL, ...); MSSQL LOGIN7 passwords; Telnet logins; LDAP simple binds;
SNMP v1/v2c communities;
Kerberos AS-REQ pre-authentication (hashcat 7500, 19800, 19900), AS-REP (18200) and TGS-REP
(13100, 19600, 19700). TCP streams are reassembled first.
An NTLM answer is paired with the challenge its server sent on the same TCP connection; with no
challenge in the capture no hash line is written (never a made-up challenge).

tshark compatibility: -z credentials prints tshark 4.0's table (usernames only, as tshark),
byte for byte.

Examples:
  pcap-creds -r capture.pcap
  pcap-creds -r capture.pcap --hashcat hashes/ && hashcat -m 5600 hashes/5600.txt words.txt
  pcap-creds -r capture.pcap --redact --format json | jq '.[] | select(.kind == \"hash\")'
  pcap-creds -r capture.pcap -q -z credentials";

/// The clap definition of `pcap-creds`.
pub fn command() -> Command {
    pcaptk_capture::cli::live_args(
        Command::new("pcap-creds")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Every credential and crackable hash in a capture (cleartext passwords, hashcat lines), and tshark's -z credentials table byte for byte, fast")
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
        .arg(
            Arg::new("stat")
                .short('z')
                .value_name("STATISTIC")
                .action(ArgAction::Append)
                .help("credentials[,ANYTHING]: print tshark's credentials table instead of the credential list (tshark ignores the argument too)"),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .value_parser(["tsv", "csv", "json"])
                .default_value("tsv")
                .help("Credential list format: tsv, csv or json (columns below)"),
        )
        .arg(Arg::new("all").long("all").action(ArgAction::SetTrue).help("List every attempt, not only the first of each (protocol, username, domain, secret)"))
        .arg(Arg::new("redact").long("redact").action(ArgAction::SetTrue).help("Mask secrets in the list (hash files written with --hashcat are not masked)"))
        .arg(
            Arg::new("hashcat")
                .long("hashcat")
                .value_name("DIR")
                .help("Also write each hash line to DIR/MODE.txt, one file per hashcat mode (DIR is created; files in it are replaced; nothing is written elsewhere)"),
        )
        .arg(
            Arg::new("form_user")
                .long("form-user-fields")
                .value_name("WORDS")
                .help("Comma-separated words: an HTTP form field whose lower-cased name contains one holds a username [default: user,login,email,uname,usr,account]"),
        )
        .arg(
            Arg::new("form_password")
                .long("form-password-fields")
                .value_name("WORDS")
                .help("Comma-separated words: an HTTP form field whose lower-cased name contains one holds a password [default: password,passwd,pass,pwd,secret]"),
        )
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Quiet: no progress bar"))
        .arg(Arg::new("no_resolve").short('n').action(ArgAction::SetTrue).help("Disable name resolution (pcap-creds never resolves names)"))
        .arg(Arg::new("resolve").short('N').value_name("FLAGS").help("Name resolution flags (accepted; addresses print as with -n)"))
        .arg(
            Arg::new("threads")
                .long("threads")
                .value_name("N")
                .value_parser(clap::value_parser!(u16).range(1..=8))
                .help("Dissecting threads, the frames split between them by conversation (default: one per core, at most 4); the output is the same with any N"),
        )
        .arg(Arg::new("no_progress").long("no-progress").action(ArgAction::SetTrue).help("Never show a progress bar (one is shown on a terminal for long reads)"))
    )
}
