//! The command line: tshark's `--export-objects` and reading flags, plus the manifest. The
//! same definition generates the man page and the shell completions (see `docgen`).

use clap::{Arg, ArgAction, Command};

pub const EXAMPLES: &str = "\
Protocols (--export-objects PROTO,DIR, repeatable: several protocols in one pass, one folder each):
  http      HTTP bodies (requests and responses), de-chunked and decompressed, named after the URI
  imf       e-mail messages sent over SMTP, named after their Subject
  smb       files read or written over SMB2, rebuilt at their offsets
  tftp      TFTP transfers
  ftp-data  FTP-DATA transfers started by RETR or STOR, named after the command's argument
  dicom     accepted; DICOM objects are not carved yet

Names, contents and order are tshark 4.0's: unsafe characters become %xx, names are cut to 255 bytes
keeping the extension, a duplicate becomes name(N).ext, and files already in DIR are never
overwritten (tshark's limit of 1000 tries aside). Unlike tshark, objects are written as they complete
(memory holds only objects in flight), no name from a capture can create or follow anything outside
DIR, and each object is cut at --max-object-size with a warning.

Manifest (--manifest FILE, TSV, or JSON when FILE ends in .json; --list prints it without writing
files) columns: frame protocol src dst host content_type size expected complete sha256 md5 file
  src, dst       the addresses and ports of the packet that completed the object
  size           bytes written; expected: the length the protocol announced (SMB), else empty
  complete       yes, no (pieces missing, or cut at the cap), or the percentage gathered (SMB)
  file           the name in DIR

Examples (the seed playbook's tshark commands, with pcap-export-objects in place of tshark):
  pcap-export-objects -r capture.pcap --export-objects http,./http_objects
  pcap-export-objects -r capture.pcap --export-objects smb,./smb_objects
  pcap-export-objects -r 'cases/*.pcapng' --export-objects http,out/http --export-objects smb,out/smb --manifest out/manifest.tsv
  pcap-export-objects -r capture.pcap --export-objects http,x --list | sort -t$'\\t' -k7,7nr | head
  pcap-export-objects -r capture.pcap --export-objects http,out --ranges    # 206 parts rebuilt into one file";

/// The clap definition of `pcap-export-objects`.
pub fn command() -> Command {
    pcaptk_capture::cli::live_args(
        Command::new("pcap-export-objects")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Carve the files a capture carries (HTTP, SMB, TFTP, IMF, FTP-DATA) as tshark --export-objects does, streamed to disk, safely, with a hash manifest")
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
            Arg::new("export")
                .long("export-objects")
                .value_name("PROTO,DIR")
                .action(ArgAction::Append)
                .help("Write the objects of PROTO (http, imf, smb, tftp, ftp-data, dicom) into DIR, created if needed; \"help\" lists the protocols"),
        )
        .arg(
            Arg::new("manifest")
                .long("manifest")
                .value_name("FILE")
                .help("Also write a manifest of every object (frame, protocol, addresses, host, content type, size, completeness, SHA-256, MD5, file name): JSON if FILE ends in .json, else TSV"),
        )
        .arg(
            Arg::new("ranges")
                .long("ranges")
                .action(ArgAction::SetTrue)
                .help("Assemble HTTP 206 partial responses (Content-Range) into one file per resource, as NetworkMiner does (tshark writes each part as its own object; off by default for compatibility)"),
        )
        .arg(Arg::new("list").long("list").action(ArgAction::SetTrue).help("Print the manifest (TSV) on stdout without writing any file"))
        .arg(
            Arg::new("max_object_size")
                .long("max-object-size")
                .value_name("BYTES")
                .default_value("64M")
                .help("Cut each object (and each decompressed body) at this size, with a warning; suffixes K, M, G"),
        )
        .arg(
            Arg::new("display_filter")
                .short('Y')
                .long("display-filter")
                .value_name("FILTER")
                .help("Display filter: checked as tshark checks it; as with tshark, objects are exported whatever it matches"),
        )
        .arg(Arg::new("count").short('c').value_name("N").value_parser(clap::value_parser!(u64)).help("Stop after reading N packets"))
        .arg(Arg::new("quiet").short('q').action(ArgAction::SetTrue).help("Quiet: no progress bar (pcap-export-objects never prints packet lines)"))
        .arg(Arg::new("no_resolve").short('n').action(ArgAction::SetTrue).help("Disable name resolution (accepted; nothing is resolved)"))
        .arg(Arg::new("no_progress").long("no-progress").action(ArgAction::SetTrue).help("Never show a progress bar (one is shown on a terminal for long reads)"))
    )
}
