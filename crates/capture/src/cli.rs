//! The live-capture flags every tool shares, as tshark spells them:
//! `-i IFACE` (repeatable), `-f BPF`, `-a duration:N|packets:N`, `-D`,
//! `-s SNAPLEN`, `-p`, `-B MiB`, `-c COUNT`.
//!
//! A tool adds them to its clap definition with [`live_args`] and reads them
//! back with [`live_options`]; messages are tshark's.

use crate::live::{self, LiveConfig};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::time::Duration;

/// Adds the live-capture flags to a tool's command (and `-c` if it has none).
pub fn live_args(cmd: Command) -> Command {
    let has_count = cmd.get_arguments().any(|a| a.get_id() == "count");
    let cmd = cmd
        .arg(
            Arg::new("interface")
                .short('i')
                .long("interface")
                .value_name("IFACE")
                .action(ArgAction::Append)
                .help_heading("Live capture")
                .help("Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)"),
        )
        .arg(
            Arg::new("capture_filter")
                .short('f')
                .value_name("CAPTURE FILTER")
                .help_heading("Live capture")
                .help("Capture filter in libpcap (BPF) syntax, e.g. \"port 53\" or \"host 192.168.1.100\""),
        )
        .arg(
            Arg::new("autostop")
                .short('a')
                .long("autostop")
                .value_name("COND")
                .action(ArgAction::Append)
                .help_heading("Live capture")
                .help("Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)"),
        )
        .arg(
            Arg::new("list_interfaces")
                .short('D')
                .long("list-interfaces")
                .action(ArgAction::SetTrue)
                .help_heading("Live capture")
                .help("Print the interfaces live capture can use, numbered, and exit"),
        )
        .arg(
            Arg::new("snaplen")
                .short('s')
                .long("snapshot-length")
                .value_name("SNAPLEN")
                .help_heading("Live capture")
                .help("Bytes kept of each captured packet (default 262144)"),
        )
        .arg(
            Arg::new("no_promisc")
                .short('p')
                .long("no-promiscuous-mode")
                .action(ArgAction::SetTrue)
                .help_heading("Live capture")
                .help("Don't put the interface into promiscuous mode"),
        )
        .arg(
            Arg::new("line_buffered")
                .short('l')
                .action(ArgAction::SetTrue)
                .help_heading("Live capture")
                .help("Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark's -l)"),
        )
        .arg(
            Arg::new("no_mmap")
                .long("no-mmap")
                .action(ArgAction::SetTrue)
                .help_heading("Input")
                .help("Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)"),
        )
        .arg(
            Arg::new("buffer_size")
                .short('B')
                .long("buffer-size")
                .value_name("MiB")
                .help_heading("Live capture")
                .help("Kernel capture buffer size in MiB (default 2)"),
        );
    if has_count {
        cmd
    } else {
        cmd.arg(Arg::new("count").short('c').value_name("COUNT").help("Stop after reading COUNT packets"))
    }
}

/// What the shared flags asked for.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// `-D`: list the interfaces and exit.
    pub list: bool,
    /// Some when `-i` was given.
    pub config: Option<LiveConfig>,
    /// `-a packets:N` (tshark stops after N packets, as `-c`).
    pub packets: Option<u64>,
}

fn decimal(text: &str, what: &str) -> Result<u64, String> {
    text.parse::<u64>().map_err(|_| format!("The specified {what} \"{text}\" isn't a decimal number"))
}

/// Reads the shared flags back. Errors are tshark's messages (without the
/// `tshark: ` prefix); live-only flags without `-i` are an error naming them.
pub fn live_options(m: &ArgMatches) -> Result<LiveOptions, String> {
    let mut o = LiveOptions { list: m.get_flag("list_interfaces"), ..LiveOptions::default() };
    let mut cfg = LiveConfig::default();
    for a in m.get_many::<String>("autostop").into_iter().flatten() {
        let (key, value) = a.split_once(':').unwrap_or((a.as_str(), ""));
        match key {
            "duration" => {
                let secs: f64 = value
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| format!("Invalid or unknown -a flag \"{a}\""))?;
                cfg.duration = Some(Duration::from_secs_f64(secs));
            }
            "packets" => o.packets = Some(decimal(value, "packet count").map_err(|_| format!("Invalid or unknown -a flag \"{a}\""))?),
            _ => return Err(format!("Invalid or unknown -a flag \"{a}\" (pcaptk supports duration:SECONDS and packets:N)")),
        }
    }
    if let Some(s) = m.get_one::<String>("snaplen") {
        let n = decimal(s, "snapshot length")?;
        cfg.snaplen = if n == 0 { 262_144 } else { n.min(262_144) as u32 };
    }
    if let Some(b) = m.get_one::<String>("buffer_size") {
        let n = decimal(b, "buffer size")?;
        if n == 0 {
            return Err(format!("The specified buffer size \"{b}\" is zero"));
        }
        cfg.buffer_size = Some(n.saturating_mul(1 << 20).min(i32::MAX as u64) as u32);
    }
    cfg.promisc = !m.get_flag("no_promisc");
    cfg.filter = m.get_one::<String>("capture_filter").cloned();
    cfg.interfaces = m.get_many::<String>("interface").into_iter().flatten().cloned().collect();
    if cfg.interfaces.is_empty() {
        let live_only = [
            ("capture_filter", "-f"),
            ("autostop", "-a"),
            ("snaplen", "-s"),
            ("buffer_size", "-B"),
        ];
        for (id, flag) in live_only {
            if m.contains_id(id) && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
                return Err(format!("{flag} is a live-capture flag: give the interface with -i IFACE (reading a file, use a display filter -Y instead)"));
            }
        }
        if m.get_flag("no_promisc") {
            return Err("-p is a live-capture flag: give the interface with -i IFACE".into());
        }
    } else {
        let reading = m.try_get_many::<String>("read").ok().flatten().is_some_and(|mut v| v.next().is_some());
        if reading {
            return Err("-r and -i can't be used together: read a file or capture live, not both".into());
        }
        o.config = Some(cfg);
    }
    Ok(o)
}

/// `-D`: tshark's numbered list, or the error.
pub fn interface_list() -> Result<String, String> {
    live::interfaces().map(|l| live::format_interface_list(&l)).map_err(|e| e.to_string())
}

/// `-D`, handled before a tool checks its other flags: prints the list (or
/// the error, after `prefix`) and gives the exit code; None without `-D`.
pub fn list_interfaces_if_asked(m: &ArgMatches, prefix: &str) -> Option<u8> {
    if !m.try_get_one::<bool>("list_interfaces").ok().flatten().copied().unwrap_or(false) {
        return None;
    }
    match interface_list() {
        Ok(list) => {
            print!("{list}");
            Some(0)
        }
        Err(e) => {
            eprintln!("{prefix}{e}");
            Some(2)
        }
    }
}

/// Where a tool's packets come from, once the shared flags are handled.
#[derive(Debug)]
pub enum Inputs {
    /// `-D` printed the interface list: exit 0.
    Listed,
    /// Read these files (expanded), or, when empty, the live capture already
    /// opened and handed to [`crate::use_live`]. `packets` is `-a packets:N`
    /// for tools that count packets themselves (`tool_counts`).
    Ready { files: Vec<String>, packets: Option<u64> },
}

/// Handles the shared flags for a tool's `main`: `-D` (prints the list), `-i`
/// (opens the capture, printing tshark's "Capturing on" line), `-r` files
/// (expanded), `-c`/`-a packets:N` (set as the readers' packet limit unless
/// the tool counts packets itself). Errors: (exit code, tshark's message).
pub fn prepare(m: &ArgMatches, tool_counts: bool) -> Result<Inputs, (u8, String)> {
    let o = live_options(m).map_err(|e| (1, e))?;
    crate::set_mmap(!m.try_get_one::<bool>("no_mmap").ok().flatten().copied().unwrap_or(false));
    if o.list {
        let list = interface_list().map_err(|e| (2, e))?;
        print!("{list}");
        return Ok(Inputs::Listed);
    }
    if !tool_counts {
        let count = match m.try_get_one::<String>("count").ok().flatten() {
            None => None,
            Some(c) => match c.parse::<u64>() {
                Ok(0) => return Err((1, "The specified packet count is zero".into())),
                Ok(n) => Some(n),
                Err(_) => return Err((1, format!("The specified packet count \"{c}\" isn't a decimal number"))),
            },
        };
        let limit = match (count, o.packets) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        crate::set_packet_limit(limit);
    }
    if let Some(cfg) = o.config {
        let cap = crate::LiveCapture::open(&cfg).map_err(|e| (e.exit_code() as u8, e.to_string()))?;
        crate::use_live(cap);
        return Ok(Inputs::Ready { files: Vec::new(), packets: o.packets });
    }
    let files: Vec<String> = m.try_get_many::<String>("read").ok().flatten().into_iter().flatten().cloned().collect();
    if files.is_empty() {
        return Err((1, "no capture file: give one with -r FILE, or capture live with -i IFACE (-D lists the interfaces)".into()));
    }
    let files = crate::expand_inputs(&files).map_err(|e| (e.exit_code() as u8, e.to_string()))?;
    Ok(Inputs::Ready { files, packets: o.packets })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<LiveOptions, String> {
        let cmd = live_args(Command::new("t").arg(Arg::new("read").short('r').action(ArgAction::Append)));
        let m = cmd.try_get_matches_from(std::iter::once("t").chain(args.iter().copied())).map_err(|e| e.to_string())?;
        live_options(&m)
    }

    #[test]
    fn live_flags_parse() {
        let o = parse(&["-i", "lo", "-i", "any", "-f", "port 53", "-a", "duration:5", "-s", "96", "-p", "-B", "4"]).unwrap();
        let c = o.config.unwrap();
        assert_eq!(c.interfaces, ["lo", "any"]);
        assert_eq!(c.filter.as_deref(), Some("port 53"));
        assert_eq!(c.duration, Some(Duration::from_secs(5)));
        assert_eq!(c.snaplen, 96);
        assert!(!c.promisc);
        assert_eq!(c.buffer_size, Some(4 << 20));
        assert_eq!(parse(&["-i", "lo", "-a", "packets:7"]).unwrap().packets, Some(7));
    }

    #[test]
    fn bad_live_flags_are_named() {
        assert_eq!(parse(&["-i", "lo", "-a", "foo:3"]).unwrap_err(), "Invalid or unknown -a flag \"foo:3\" (pcaptk supports duration:SECONDS and packets:N)");
        assert_eq!(parse(&["-i", "lo", "-s", "abc"]).unwrap_err(), "The specified snapshot length \"abc\" isn't a decimal number");
        assert!(parse(&["-f", "port 53"]).unwrap_err().starts_with("-f is a live-capture flag"));
        assert!(parse(&["-r", "x.pcap", "-i", "lo"]).unwrap_err().starts_with("-r and -i"));
        assert!(parse(&["-r", "x.pcap"]).unwrap().config.is_none());
    }
}
