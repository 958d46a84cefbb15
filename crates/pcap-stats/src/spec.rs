//! `-z` arguments, parsed as tshark 4.0 parses them.
//!
//! tshark matches an argument by prefix against its registered tap names, walking its
//! sorted list backwards (so `conv,ipv6` wins over `conv,ip`, and `conv,tcpx` is
//! `conv,tcp`); the filter is whatever follows `<name>,`.

/// The address families of `conv` and `endpoints` tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Eth,
    Ip,
    Ipv6,
    Tcp,
    Udp,
}

impl Table {
    /// The protocol's filter name (`-z conv,NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Eth => "eth",
            Table::Ip => "ip",
            Table::Ipv6 => "ipv6",
            Table::Tcp => "tcp",
            Table::Udp => "udp",
        }
    }
    /// The protocol's short name, as tshark titles its tables.
    pub fn title(self) -> &'static str {
        match self {
            Table::Eth => "Ethernet",
            Table::Ip => "IPv4",
            Table::Ipv6 => "IPv6",
            Table::Tcp => "TCP",
            Table::Udp => "UDP",
        }
    }
    /// TCP and UDP tables show ports.
    pub fn has_ports(self) -> bool {
        matches!(self, Table::Tcp | Table::Udp)
    }
    fn from_name(s: &str) -> Option<Table> {
        Some(match s {
            "eth" => Table::Eth,
            "ip" => Table::Ip,
            "ipv6" => Table::Ipv6,
            "tcp" => Table::Tcp,
            "udp" => Table::Udp,
            _ => return None,
        })
    }
}

/// `-z io,stat,INTERVAL[,FILTER…]`.
#[derive(Clone, Debug, PartialEq)]
pub struct IoStatSpec {
    /// Interval in microseconds; `u64::MAX` for 0 (the whole capture).
    pub interval: u64,
    /// Decimal places of the interval column.
    pub invl_prec: u32,
    /// One column per filter (`None`: every frame).
    pub columns: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Conv(Table),
    Endpoints(Table),
    Phs,
    IoStat(IoStatSpec),
}

/// One `-z` statistic.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    pub kind: Kind,
    /// The tap filter (`None`: none given, as opposed to an empty one).
    pub filter: Option<String>,
}

/// Why a `-z` argument was refused: tshark's message (exit 1) or one of ours.
#[derive(Debug, PartialEq, Eq)]
pub enum SpecError {
    /// No tshark tap has this name: tshark's message, with its list of taps.
    Unknown(String),
    /// A tshark statistic pcap-stats does not compute.
    Unsupported(String),
    /// A malformed argument of a known statistic (tshark's message).
    Invalid(String),
}

static TSHARK_TAPS: &str = include_str!("tshark_taps.txt");

/// Parses one `-z` argument.
pub fn parse(arg: &str) -> Result<Stat, SpecError> {
    let name = TSHARK_TAPS.lines().rev().find(|n| !n.is_empty() && arg.starts_with(n));
    let Some(name) = name else {
        let list: String = TSHARK_TAPS.lines().map(|n| format!("     {}\n", n)).collect();
        return Err(SpecError::Unknown(format!("Invalid -z argument \"{}\"; it must be one of:\n{}", arg, list)));
    };
    let after = |prefix: &str| arg.strip_prefix(prefix).and_then(|r| r.strip_prefix(',')).map(str::to_string);
    if let Some(t) = name.strip_prefix("conv,") {
        if let Some(table) = Table::from_name(t) {
            return Ok(Stat { kind: Kind::Conv(table), filter: after(name) });
        }
    } else if let Some(t) = name.strip_prefix("endpoints,") {
        if let Some(table) = Table::from_name(t) {
            return Ok(Stat { kind: Kind::Endpoints(table), filter: after(name) });
        }
    } else if name == "io,phs" {
        // tshark: "io,phs" alone, or "io,phs,FILTER"; anything else after the name is ignored.
        return Ok(Stat { kind: Kind::Phs, filter: after(name) });
    } else if name == "io,stat" {
        return parse_io_stat(arg);
    }
    Err(SpecError::Unsupported(format!(
        "-z {}: not supported yet (pcap-stats computes conv and endpoints for eth, ip, ipv6, tcp, udp; io,phs; io,stat)",
        name
    )))
}

const IO_STAT_USAGE: &str = "invalid \"-z io,stat,<interval>[,<filter>][,<filter>]...\" argument";

/// `io,stat,INTERVAL[,FILTER]...`: tshark's parsing of the interval (a C double, rounded to
/// microseconds), its precision rules, and its comma-separated column filters.
fn parse_io_stat(arg: &str) -> Result<Stat, SpecError> {
    let invalid = || SpecError::Invalid(IO_STAT_USAGE.to_string());
    if arg.ends_with(',') {
        return Err(invalid());
    }
    let rest = arg.strip_prefix("io,stat,").ok_or_else(invalid)?;
    let num_len = float_prefix_len(rest);
    if num_len == 0 {
        return Err(invalid());
    }
    let interval_f: f64 = rest[..num_len].trim_start().parse().map_err(|_| invalid())?;
    let filters = &rest[num_len..];
    if !filters.is_empty() && !filters.starts_with(',') {
        return Err(invalid());
    }
    let (interval, mut invl_prec) = if interval_f == 0.0 {
        (u64::MAX, 0)
    } else {
        let us = interval_f * 1_000_000.0 + 0.5;
        if us.is_nan() || us < 1.0 {
            return Err(SpecError::Invalid("\"-z\" interval must be >=0.000001 seconds or \"0\" for the entire capture duration.".into()));
        }
        let us = if us >= u64::MAX as f64 { u64::MAX - 1 } else { us as u64 };
        let mut prec = 6u32;
        let mut i = 10u64;
        while i < 10_000_000 {
            if us % i > 0 {
                break;
            }
            prec -= 1;
            i *= 10;
        }
        (us, prec)
    };
    if interval != u64::MAX && invl_prec == 0 {
        // Zeros written after the decimal point ask for that many decimals. tshark counts
        // them up to the next comma; with no comma after the interval its pointer arithmetic
        // goes astray and 4.0.17 shows 6 decimals (or dies of SIGFPE, as for `io,stat,1.0`).
        if let Some(text) = rest.split_once(',').map(|(t, _)| t) {
            if let Some(p) = text.find('.') {
                let n = text.len() - p - 1;
                if n > 0 {
                    invl_prec = n.min(6) as u32;
                }
            }
        } else if rest.contains('.') {
            invl_prec = 6;
        }
    }
    let mut columns = Vec::new();
    if let Some(list) = filters.strip_prefix(',') {
        for f in list.split(',') {
            let f = f.trim();
            columns.push(if f.is_empty() { None } else { Some(f.to_string()) });
        }
    } else {
        columns.push(None);
    }
    for f in columns.iter().flatten() {
        if is_calc_function(f) {
            return Err(SpecError::Unsupported(format!(
                "-z io,stat column \"{}\": not supported yet (pcap-stats computes frames and bytes per filter; COUNT, SUM, MIN, MAX, AVG and LOAD come later)",
                f
            )));
        }
    }
    Ok(Stat { kind: Kind::IoStat(IoStatSpec { interval, invl_prec, columns }), filter: None })
}

/// `FUNC(field)filter` columns of io,stat.
fn is_calc_function(f: &str) -> bool {
    ["FRAMES", "BYTES", "COUNT", "SUM", "MIN", "MAX", "AVG", "LOAD"]
        .iter()
        .any(|name| f.strip_prefix(name).is_some_and(|r| r.trim_start().starts_with('(') || r.starts_with(" BYTES")))
}

/// The length of the longest prefix `strtod` would read as a decimal number.
fn float_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let start = i;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - digits_start;
    if i < b.len() && b[i] == b'.' {
        let d = i + 1;
        let mut j = d;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        digits += j - d;
        if digits > 0 {
            i = j;
        }
    }
    if digits == 0 {
        return 0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let e = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > e {
            i = j;
        }
    }
    let _ = start;
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(arg: &str) -> Kind {
        parse(arg).unwrap().kind
    }

    #[test]
    fn prefixes_as_tshark() {
        assert_eq!(kind("conv,ipv6"), Kind::Conv(Table::Ipv6));
        assert_eq!(kind("conv,ip"), Kind::Conv(Table::Ip));
        assert_eq!(kind("conv,tcpx"), Kind::Conv(Table::Tcp));
        assert_eq!(parse("conv,tcpx").unwrap().filter, None);
        assert_eq!(parse("conv,tcp,").unwrap().filter, Some(String::new()));
        assert_eq!(parse("conv,tcp,a, b").unwrap().filter.as_deref(), Some("a, b"));
        assert_eq!(kind("endpoints,udp"), Kind::Endpoints(Table::Udp));
        assert_eq!(parse("io,phs,udp").unwrap().filter.as_deref(), Some("udp"));
        assert_eq!(parse("io,phs").unwrap().filter, None);
        assert!(matches!(parse("conv,foo"), Err(SpecError::Unknown(_))));
        assert!(matches!(parse("conv,sctp"), Err(SpecError::Unsupported(_))));
    }

    #[test]
    fn io_stat_intervals() {
        let io = |a: &str| match kind(a) {
            Kind::IoStat(s) => s,
            _ => unreachable!(),
        };
        assert_eq!(io("io,stat,1"), IoStatSpec { interval: 1_000_000, invl_prec: 0, columns: vec![None] });
        assert_eq!(io("io,stat,0.5").invl_prec, 1);
        assert_eq!(io("io,stat,0.001").invl_prec, 3);
        assert_eq!(io("io,stat,1.00,tcp").invl_prec, 2);
        assert_eq!(io("io,stat,1.00").invl_prec, 6);
        assert_eq!(io("io,stat,0").interval, u64::MAX);
        assert_eq!(io("io,stat,1,tcp, udp||arp , x").columns.len(), 3);
        assert_eq!(io("io,stat,1,,tcp").columns, vec![None, Some("tcp".into())]);
        assert!(matches!(parse("io,stat,"), Err(SpecError::Invalid(_))));
        assert!(matches!(parse("io,stat,x"), Err(SpecError::Invalid(_))));
        assert!(matches!(parse("io,stat,1,COUNT(tcp)tcp"), Err(SpecError::Unsupported(_))));
    }
}
