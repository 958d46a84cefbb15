//! Which pcaptk tool answers a tshark command line, and with which arguments.
//!
//! The analysis tools take tshark's own flags, so their arguments pass through
//! unchanged; only a capture to a file (`-w` without analysis) is translated to
//! pcap-capture's flags. A flag the chosen tool does not implement is an
//! error naming it (checked with the tool's own clap definition).

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The tool to run and its arguments (without the program name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub tool: &'static str,
    pub args: Vec<String>,
}

/// What pcap-tshark does with a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Run(Route),
    Help,
    Version,
}

/// tshark 4.0's short options that take a value (`-G` takes an optional one).
const WITH_VALUE: &str = "abBcCdeEfFHijJKNoOrRsStTuwWXyYz";
/// tshark long options that take a value.
const LONG_WITH_VALUE: &[&str] = &["--export-objects", "--capture-comment", "--temp-dir", "--elastic-mapping-filter", "--interface", "--read-file", "--display-filter", "--read-filter", "--autostop", "--ring-buffer", "--snapshot-length", "--buffer-size", "--log-level", "--log-fatal", "--log-domains", "--log-file"];

/// One option as written: its name (`-T`, `--export-objects`) and value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Opt {
    name: String,
    value: Option<String>,
}

/// Splits a tshark command line into options (values attached or not).
fn options(args: &[String]) -> Result<Vec<Opt>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            if long.is_empty() {
                return Err("a bare \"--\" (tshark takes a capture filter as the remaining words) is not supported: give the filter with -f".into());
            }
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None if LONG_WITH_VALUE.contains(&a.as_str()) => {
                    let v = args.get(i).cloned().ok_or_else(|| format!("option {a} requires an argument"))?;
                    i += 1;
                    (a.clone(), Some(v))
                }
                None => (a.clone(), None),
            };
            out.push(Opt { name, value });
        } else if a.len() >= 2 && a.starts_with('-') {
            // Bundled flags (-nq) and attached values (-Tfields).
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                let name = format!("-{c}");
                k += 1;
                if WITH_VALUE.contains(c) {
                    let rest: String = chars[k..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else {
                        let v = args.get(i).cloned().ok_or_else(|| format!("option requires an argument -- '{c}'"))?;
                        i += 1;
                        v
                    };
                    out.push(Opt { name, value: Some(value) });
                    break;
                } else if c == 'G' {
                    let rest: String = chars[k..].iter().collect();
                    let value = if !rest.is_empty() {
                        Some(rest)
                    } else if args.get(i).is_some_and(|v| !v.starts_with('-')) {
                        i += 1;
                        args.get(i - 1).cloned()
                    } else {
                        None
                    };
                    out.push(Opt { name, value });
                    break;
                } else {
                    out.push(Opt { name, value: None });
                }
            }
        } else {
            return Err(format!(
                "\"{a}\": a capture filter given as trailing words is not supported by pcap-tshark; give it with -f \"{}\"",
                args[i - 1..].join(" ")
            ));
        }
    }
    Ok(out)
}

/// Routes a tshark command line (without the program name).
pub fn route(args: &[String]) -> Result<Action, String> {
    let opts = options(args)?;
    let has = |n: &str| opts.iter().any(|o| o.name == n);
    let values = |n: &str| -> Vec<String> { opts.iter().filter(|o| o.name == n).filter_map(|o| o.value.clone()).collect() };
    if has("-h") || has("--help") {
        return Ok(Action::Help);
    }
    if has("-v") || has("--version") {
        return Ok(Action::Version);
    }
    let pass = |tool: &'static str| Ok(Action::Run(Route { tool, args: args.to_vec() }));
    if has("-D") {
        return pass("pcap-fields");
    }
    let stats = values("-z");
    let fields = has("-T") || has("-e") || has("-G");
    if has("--export-objects") {
        if !stats.is_empty() || fields {
            return Err("--export-objects together with -z or -T is not supported by pcap-tshark: run them as separate commands".into());
        }
        return pass("pcap-export-objects");
    }
    if !stats.is_empty() {
        if fields {
            return Err("-z together with -T/-e is not supported by pcap-tshark: run the statistics and the field extraction as separate commands".into());
        }
        let creds = stats.iter().filter(|z| z.as_str() == "credentials").count();
        return match creds {
            0 => pass("pcap-stats"),
            n if n == stats.len() => pass("pcap-creds"),
            _ => Err("-z credentials together with other -z statistics is not supported by pcap-tshark: run them as separate commands".into()),
        };
    }
    if fields {
        return pass("pcap-fields");
    }
    if has("-w") {
        if has("-r") {
            return Err("-w with -r (converting or filtering a file) is not supported by pcap-tshark".into());
        }
        return capture(&opts).map(Action::Run);
    }
    if has("-V") || has("-x") || has("-P") || has("-O") {
        let f = ["-V", "-x", "-P", "-O"].into_iter().find(|f| has(f)).unwrap_or("-V");
        return Err(format!("{f} (packet details / hex dump) is not supported by pcap-tshark: pcaptk prints fields (-T fields -e FIELD), statistics (-z) and exported objects"));
    }
    Err("tshark's default output (one summary line per packet) is not supported by pcap-tshark: add -T fields -e FIELD ..., -z STATISTIC or --export-objects PROTO,DIR".into())
}

/// `tshark -i IF -w FILE ...` as pcap-capture flags.
fn capture(opts: &[Opt]) -> Result<Route, String> {
    let mut args = Vec::new();
    let mut quiet = false;
    let mut format = None;
    for o in opts {
        let v = o.value.clone().unwrap_or_default();
        match o.name.as_str() {
            "-i" | "--interface" => args.extend(["-i".to_string(), v]),
            "-f" => args.extend(["-f".to_string(), v]),
            "-w" => args.extend(["-w".to_string(), v]),
            "-c" => args.extend(["-c".to_string(), v]),
            "-a" | "--autostop" => args.extend(["-a".to_string(), v]),
            "-b" | "--ring-buffer" => args.extend(["-b".to_string(), v]),
            "-s" | "--snapshot-length" => args.extend(["-s".to_string(), v]),
            "-F" => format = Some(v),
            "-p" | "--no-promiscuous-mode" => args.push("-p".into()),
            "-B" | "--buffer-size" => {
                let mib: u32 = v.parse().map_err(|_| format!("The specified buffer size \"{v}\" isn't a decimal number"))?;
                args.extend(["-B".to_string(), mib.saturating_mul(1024).to_string()]);
            }
            "--capture-comment" => args.extend(["--comment".to_string(), v]),
            "-q" | "-Q" => quiet = true,
            "-n" => {}
            other => return Err(format!("tshark flag {other} is not supported by pcap-tshark when capturing to a file (pcap-capture)")),
        }
    }
    // tshark writes pcapng unless -F says otherwise.
    args.extend(["-F".to_string(), format.unwrap_or_else(|| "pcapng".into())]);
    if quiet {
        args.push("-q".into());
    }
    Ok(Route { tool: "pcap-capture", args })
}

/// The clap definition of a routed tool.
fn tool_command(tool: &str) -> Option<clap::Command> {
    Some(match tool {
        "pcap-fields" => pcap_fields::cli::command(),
        "pcap-stats" => pcap_stats::cli::command(),
        "pcap-creds" => pcap_creds::cli::command(),
        "pcap-export-objects" => pcap_export_objects::cli::command(),
        "pcap-capture" => pcap_capture::cli::command(),
        _ => return None,
    })
}

/// Checks the route's arguments with the tool's own definition: a flag it
/// does not know is an error naming the flag. Bad values are left to the
/// tool, which reports them with tshark's messages.
pub fn check(r: &Route) -> Result<(), String> {
    let Some(cmd) = tool_command(r.tool) else { return Ok(()) };
    let argv = std::iter::once(r.tool.to_string()).chain(r.args.iter().cloned());
    match cmd.try_get_matches_from(argv) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::UnknownArgument => {
            let flag = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => "?".into(),
            };
            Err(format!("tshark flag {flag} is not supported by pcap-tshark (this command line runs as {}, which does not implement it)", r.tool))
        }
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    fn tool(s: &[&str]) -> &'static str {
        match route(&v(s)).unwrap() {
            Action::Run(r) => r.tool,
            a => panic!("{a:?}"),
        }
    }

    #[test]
    fn routes_by_what_is_asked() {
        assert_eq!(tool(&["-n", "-r", "x.pcap", "-Y", "dns", "-T", "fields", "-e", "dns.qry.name"]), "pcap-fields");
        assert_eq!(tool(&["-nr", "x.pcap", "-Tfields", "-edns.qry.name"]), "pcap-fields");
        assert_eq!(tool(&["-r", "x.pcap", "-q", "-z", "conv,tcp"]), "pcap-stats");
        assert_eq!(tool(&["-r", "x.pcap", "-q", "-z", "credentials"]), "pcap-creds");
        assert_eq!(tool(&["-r", "x.pcap", "--export-objects", "http,out"]), "pcap-export-objects");
        assert_eq!(tool(&["-i", "lo", "-Y", "dns", "-T", "fields", "-e", "dns.qry.name"]), "pcap-fields");
        assert_eq!(tool(&["-D"]), "pcap-fields");
        assert_eq!(tool(&["-G", "fields"]), "pcap-fields");
        assert_eq!(route(&v(&["--help"])).unwrap(), Action::Help);
    }

    #[test]
    fn capture_to_file_is_translated() {
        let Action::Run(r) = route(&v(&["-i", "eth0", "-f", "port 53", "-w", "out.pcapng", "-a", "duration:5", "-B", "4"])).unwrap() else { panic!() };
        assert_eq!(r.tool, "pcap-capture");
        assert_eq!(r.args, v(&["-i", "eth0", "-f", "port 53", "-w", "out.pcapng", "-a", "duration:5", "-B", "4096", "-F", "pcapng"]));
        assert!(route(&v(&["-i", "eth0", "-w", "x", "-V"])).unwrap_err().contains("-V"));
    }

    #[test]
    fn unsupported_is_an_error_naming_the_flag() {
        assert!(route(&v(&["-r", "x.pcap"])).unwrap_err().contains("default output"));
        assert!(route(&v(&["-r", "x.pcap", "-V"])).unwrap_err().starts_with("-V"));
        assert!(route(&v(&["-r", "x.pcap", "-z", "credentials", "-z", "conv,tcp"])).is_err());
        let r = Route { tool: "pcap-fields", args: v(&["-r", "x.pcap", "-T", "fields", "-e", "ip.src", "-X", "lua_script:a.lua"]) };
        assert!(check(&r).unwrap_err().contains("-X"));
        let r = Route { tool: "pcap-fields", args: v(&["-r", "x.pcap", "-T", "fields", "-e", "ip.src"]) };
        assert!(check(&r).is_ok());
        assert!(route(&v(&["-i", "lo", "port", "53"])).unwrap_err().contains("-f \"port 53\""));
    }
}
