//! Conversion of literal text (words, quoted strings, character constants) into typed
//! constants for a given field type, with Wireshark 4.0's error messages.

use pcaptk_dissect::field::{FieldDef, FieldType, Strings};

/// A typed constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Int(i128),
    Float(f64),
    /// Nanoseconds (absolute: since the epoch).
    Time(i64),
    Bytes(Box<[u8]>),
    Str(Box<[u8]>),
    /// Address and netmask.
    V4(u32, u32),
    /// Address and prefix length.
    V6([u8; 16], u8),
}

/// How the literal was written.
#[derive(Copy, Clone, Debug)]
pub enum LitSrc<'a> {
    /// A bare word or address-like value.
    Word(&'a str),
    /// A double-quoted string (decoded bytes).
    Str(&'a [u8]),
    Char(u64),
}

fn q(s: &str) -> String {
    format!("\"{}\"", s)
}

/// strtoull(s, 0) plus `0b` binary: Err(true) = overflow, Err(false) = not a number.
pub fn parse_uint(s: &str) -> Result<u64, bool> {
    let (digits, radix) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(false);
    }
    u64::from_str_radix(digits, radix).map_err(|_| true)
}

fn lookup_vals(def: &FieldDef, s: &str) -> Option<u64> {
    match def.strings {
        Strings::Vals(v) => v.iter().find(|(_, l)| l.eq_ignore_ascii_case(s)).map(|(n, _)| *n),
        _ => None,
    }
}

fn not_found(s: &str, def: &FieldDef) -> String {
    format!("\"{}\" cannot be found among the possible values for {}.", s, def.abbrev)
}

fn from_string_err(ft: FieldType, s: &str) -> String {
    format!("{} cannot be converted from a string (\"{}\").", ft.pretty_name(), s)
}

/// Converts a literal to a constant of type `ft` (`def`: the field whose value strings apply).
pub fn convert(lit: LitSrc, ft: FieldType, def: Option<&FieldDef>) -> Result<Const, String> {
    use FieldType::{AbsTime, Boolean, Bytes, Double, Ether, Float, FrameNum, Ipv4, Ipv6, Protocol, RelTime, I16, I32, I64, I8, U16, U24, U32, U64, U8};
    let lossy;
    let text: &str = match lit {
        LitSrc::Word(w) => w,
        LitSrc::Str(b) => {
            lossy = String::from_utf8_lossy(b).into_owned();
            &lossy
        }
        LitSrc::Char(_) => "",
    };
    let is_str = matches!(lit, LitSrc::Str(_));
    match ft {
        U8 | U16 | U24 | U32 | U64 | FrameNum | I8 | I16 | I32 | I64 => {
            let v: i128 = match lit {
                LitSrc::Char(c) => c as i128,
                _ => match (if is_str { Err(false) } else { parse_uint(text) }, def.and_then(|d| lookup_vals(d, text))) {
                    (Ok(v), _) => v as i128,
                    (Err(_), Some(v)) => v as i128,
                    (Err(overflow), None) => {
                        if let Some(d) = def.filter(|d| matches!(d.strings, Strings::Vals(_))) {
                            return Err(not_found(text, d));
                        }
                        if is_str {
                            return Err(from_string_err(ft, text));
                        }
                        return Err(if overflow { format!("{} causes an integer overflow.", q(text)) } else { format!("{} is not a valid number.", q(text)) });
                    }
                },
            };
            if ft.is_unsigned() {
                let max = ft.max_unsigned() as i128;
                if v > max {
                    return Err(format!("{} too big for this field, maximum {}.", q(&text_or(lit, v)), max));
                }
            } else {
                let bits = match ft {
                    I8 => 8,
                    I16 => 16,
                    I32 => 32,
                    _ => 64,
                };
                let max = (1i128 << (bits - 1)) - 1;
                if v > max {
                    return Err(format!("{} too big for this field, maximum {}.", q(&text_or(lit, v)), max));
                }
            }
            Ok(Const::Int(v))
        }
        Boolean => {
            if let LitSrc::Char(c) = lit {
                return Ok(Const::Int((c != 0) as i128));
            }
            if !is_str {
                if let Ok(v) = parse_uint(text) {
                    return Ok(Const::Int((v != 0) as i128));
                }
            }
            match text {
                "True" | "TRUE" => return Ok(Const::Int(1)),
                "False" | "FALSE" => return Ok(Const::Int(0)),
                _ => {}
            }
            let (t, f) = match def.map(|d| d.strings) {
                Some(Strings::Tfs(t, f)) => (t, f),
                _ => ("True", "False"),
            };
            if text.eq_ignore_ascii_case(t) {
                return Ok(Const::Int(1));
            }
            if text.eq_ignore_ascii_case(f) {
                return Ok(Const::Int(0));
            }
            match def {
                Some(d) => Err(not_found(text, d)),
                None => Err(format!("{} is not a valid boolean.", q(text))),
            }
        }
        Float | Double => {
            if let LitSrc::Char(c) = lit {
                return Ok(Const::Float(c as f64));
            }
            if is_str {
                return Err(from_string_err(ft, text));
            }
            parse_float(text).map(Const::Float).ok_or_else(|| format!("{} is not a valid floating point number.", q(text)))
        }
        RelTime => {
            if is_str {
                return Err(from_string_err(ft, text));
            }
            parse_reltime(text).map(Const::Time).ok_or_else(|| format!("{} is not a valid time.", q(text)))
        }
        AbsTime => parse_abstime(text).map(Const::Time).ok_or_else(|| {
            format!("{} is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"", q(text))
        }),
        // OIDs and GUIDs are held as their text: a literal is compared as that text.
        FieldType::String | FieldType::Oid | FieldType::Guid => Ok(Const::Str(match lit {
            LitSrc::Word(w) => w.as_bytes().into(),
            LitSrc::Str(b) => b.into(),
            LitSrc::Char(c) => char::from_u32(c as u32).unwrap_or('?').to_string().into_bytes().into(),
        })),
        Bytes | Protocol | FieldType::None => match lit {
            LitSrc::Word(w) => parse_bytes(w).map(Into::into).map(Const::Bytes).ok_or_else(|| format!("{} is not a valid byte string.", q(w))),
            LitSrc::Str(b) => Ok(Const::Bytes(b.into())),
            LitSrc::Char(c) => Ok(Const::Bytes(vec![c as u8].into())),
        },
        Ether => {
            if is_str {
                return Err(from_string_err(ft, text));
            }
            match parse_bytes(text) {
                Some(b) if b.len() == 6 => Ok(Const::Bytes(b.into())),
                Some(b) if b.len() < 6 => Err(format!("{} contains too few bytes to be a valid Ethernet address.", q(text))),
                Some(_) => Err(format!("{} contains too many bytes to be a valid Ethernet address.", q(text))),
                None => Err(format!("{} is not a valid Ethernet address.", q(text))),
            }
        }
        Ipv4 | Ipv6 if is_str => Err(from_string_err(ft, text)),
        Ipv4 => {
            let (addr, pfx) = match text.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (text, None),
            };
            let a: std::net::Ipv4Addr = strict_v4(addr).ok_or_else(|| format!("{} is not a valid hostname or IPv4 address.", q(addr)))?;
            let bits = match pfx {
                Some(p) => {
                    let n: u32 = p.parse().map_err(|_| format!("{} is not a valid hostname or IPv4 address.", q(text)))?;
                    if n > 32 {
                        return Err(format!("Netmask bits in a CIDR IPv4 address should be <= 32, not {}", n));
                    }
                    n
                }
                None => 32,
            };
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            Ok(Const::V4(u32::from(a), mask))
        }
        Ipv6 => {
            let (addr, pfx) = match text.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (text, None),
            };
            let a: std::net::Ipv6Addr = addr.parse().map_err(|_| format!("{} is not a valid hostname or IPv6 address.", q(addr)))?;
            let bits = match pfx {
                Some(p) => {
                    let n: u32 = p.parse().map_err(|_| format!("{} is not a valid hostname or IPv6 address.", q(text)))?;
                    if n > 128 {
                        return Err(format!("Prefix in a IPv6 address should be <= 128, not {}", n));
                    }
                    n
                }
                None => 128,
            };
            Ok(Const::V6(a.octets(), bits as u8))
        }
    }
}

fn text_or(lit: LitSrc, v: i128) -> String {
    match lit {
        LitSrc::Word(w) => w.to_string(),
        LitSrc::Str(b) => String::from_utf8_lossy(b).into_owned(),
        LitSrc::Char(_) => v.to_string(),
    }
}

fn strict_v4(s: &str) -> Option<std::net::Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut o = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        o[i] = p.parse().ok()?;
    }
    Some(o.into())
}

/// `aa:bb:cc`, `aa-bb-cc`, `aa.bb.cc`, `aabb.ccdd`, plain hex `aabbcc`, a single digit `a`;
/// a leading `:` is allowed.
pub fn parse_bytes(s: &str) -> Option<Vec<u8>> {
    let s = s.strip_prefix(':').unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'-' | b'.')) {
        return None;
    }
    let sep = s.bytes().find(|c| !c.is_ascii_hexdigit());
    let groups: Vec<&str> = match sep {
        Some(c) => s.split(c as char).collect(),
        None => vec![s],
    };
    let mut out = Vec::new();
    for g in groups {
        if g.is_empty() || !g.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        if g.len() == 1 {
            out.push(u8::from_str_radix(g, 16).ok()?);
        } else if g.len() % 2 == 0 {
            for i in (0..g.len()).step_by(2) {
                out.push(u8::from_str_radix(&g[i..i + 2], 16).ok()?);
            }
        } else {
            return None;
        }
    }
    Some(out)
}

fn parse_float(s: &str) -> Option<f64> {
    if let Ok(v) = parse_uint(s) {
        return Some(v as f64);
    }
    let ok = s.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

/// Seconds with an optional fraction (`55`, `0.4`, `1700000007.5`) to nanoseconds.
pub fn parse_reltime(s: &str) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if (int.is_empty() && frac.is_empty()) || !int.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut ns: i64 = 0;
    for (i, c) in frac.bytes().take(9).enumerate() {
        ns += (c - b'0') as i64 * 10i64.pow(8 - i as u32);
    }
    secs.checked_mul(1_000_000_000)?.checked_add(ns)
}

/// `Nov 12, 1999 08:55:44.123` or `2011-07-04 12:34:56[.frac]` (also with `T`), local time;
/// a trailing ` UTC`/`Z` means UTC.
pub fn parse_abstime(s: &str) -> Option<i64> {
    let s = s.trim();
    let (s, utc) = if let Some(r) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix('Z')) { (r, true) } else { (s, false) };
    const MON: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let (y, mo, d, rest): (i64, u32, u32, &str);
    if s.len() >= 3 && s.is_char_boundary(3) && MON.contains(&s[..3].to_ascii_lowercase().as_str()) {
        mo = MON.iter().position(|m| *m == s[..3].to_ascii_lowercase()).unwrap() as u32 + 1;
        let r = s[3..].trim_start();
        let (dd, r) = r.split_once(',')?;
        d = dd.trim().parse().ok()?;
        let r = r.trim_start();
        let (yy, r) = r.split_once(' ').unwrap_or((r, ""));
        y = yy.parse().ok()?;
        rest = r;
    } else {
        let (date, r) = s.split_once([' ', 'T']).unwrap_or((s, ""));
        let mut it = date.split('-');
        y = it.next()?.parse().ok()?;
        mo = it.next()?.parse().ok()?;
        d = it.next()?.parse().ok()?;
        if it.next().is_some() {
            return None;
        }
        rest = r;
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let rest = rest.trim();
    let (mut h, mut mi, mut sec, mut ns) = (0u32, 0u32, 0u32, 0i64);
    if !rest.is_empty() {
        let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let mut it = hms.split(':');
        h = it.next()?.parse().ok()?;
        mi = it.next()?.parse().ok()?;
        sec = match it.next() {
            Some(x) => x.parse().ok()?,
            None => 0,
        };
        if it.next().is_some() || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        if !frac.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        for (i, c) in frac.bytes().take(9).enumerate() {
            ns += (c - b'0') as i64 * 10i64.pow(8 - i as u32);
        }
    }
    let secs = if utc {
        days_from_civil(y, mo, d) * 86400 + (h * 3600 + mi * 60 + sec) as i64
    } else {
        local_mktime(y, mo, d, h, mi, sec)?
    };
    Some(secs * 1_000_000_000 + ns)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn local_mktime(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    // SAFETY: mktime reads and normalises the tm we own.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        tm.tm_year = (y - 1900) as libc::c_int;
        tm.tm_mon = mo as libc::c_int - 1;
        tm.tm_mday = d as libc::c_int;
        tm.tm_hour = h as libc::c_int;
        tm.tm_min = mi as libc::c_int;
        tm.tm_sec = s as libc::c_int;
        tm.tm_isdst = -1;
        let t = libc::mktime(&mut tm);
        if t == -1 {
            return Some(days_from_civil(y, mo, d) * 86400 + (h * 3600 + mi * 60 + s) as i64);
        }
        Some(t as i64)
    }
}
