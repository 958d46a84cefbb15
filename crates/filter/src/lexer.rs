//! The tokenizer: Wireshark 4.0's `scanner.l` rules, reimplemented as a hand-written
//! longest-match scanner with three modes (normal, inside `[...]`, after `#`).

use crate::error::FilterError;

/// Comparison operators (the `!=` family differs in its any/all default).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`, `eq`, `any_eq`
    AnyEq,
    /// `!=`, `ne`, `all_ne`
    AllNe,
    /// `===`, `all_eq`
    AllEq,
    /// `!==`, `any_ne`, `~=`
    AnyNe,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    LParen,
    RParen,
    Comma,
    LBrace,
    RBrace,
    DotDot,
    Dollar,
    Any,
    All,
    Cmp(CmpOp),
    Contains,
    Matches,
    Not,
    And,
    Or,
    In,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    BitAnd,
    Hash,
    LBracket,
    RBracket,
    /// Text between `[`, `,` and `]` (a slice range, unparsed).
    RangeNode,
    /// Layer number after `#`.
    Index,
    /// A double-quoted string, decoded.
    Str(Vec<u8>),
    /// A character constant's value.
    CharConst(u64),
    /// A value that cannot be a field (addresses, byte strings, `:`-prefixed values).
    Literal,
    /// A word: a field or protocol name if the table knows it, else a literal value.
    Unparsed,
    /// `.name`: must be a field.
    DotField,
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub off: usize,
    pub len: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Mode {
    Normal,
    Range,
    Layer,
}

pub struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    mode: Mode,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer { src, b: src.as_bytes(), pos: 0, mode: Mode::Normal }
    }

    pub fn text(&self, t: &Token) -> &'a str {
        self.src.get(t.off..t.off + t.len).unwrap_or("")
    }

    fn tok(&mut self, tok: Tok, off: usize, len: usize) -> Result<Token, FilterError> {
        self.pos = off + len;
        Ok(Token { tok, off, len })
    }

    pub fn next_token(&mut self) -> Result<Token, FilterError> {
        match self.mode {
            Mode::Range => return self.next_range(),
            Mode::Layer => return self.next_layer(),
            Mode::Normal => {}
        }
        while self.pos < self.b.len() && is_blank(self.b[self.pos]) {
            self.pos += 1;
        }
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return Ok(Token { tok: Tok::Eof, off: p, len: 0 });
        }
        let c = b[p];
        let at = |i: usize| b.get(p + i).copied().unwrap_or(0);
        // Punctuation and operators (longest first).
        let op: Option<(Tok, usize)> = match c {
            b'(' => Some((Tok::LParen, 1)),
            b')' => Some((Tok::RParen, 1)),
            b',' => Some((Tok::Comma, 1)),
            b'{' => Some((Tok::LBrace, 1)),
            b'}' => Some((Tok::RBrace, 1)),
            b'$' => Some((Tok::Dollar, 1)),
            b'=' if at(1) == b'=' && at(2) == b'=' => Some((Tok::Cmp(CmpOp::AllEq), 3)),
            b'=' if at(1) == b'=' => Some((Tok::Cmp(CmpOp::AnyEq), 2)),
            b'!' if at(1) == b'=' && at(2) == b'=' => Some((Tok::Cmp(CmpOp::AnyNe), 3)),
            b'!' if at(1) == b'=' => Some((Tok::Cmp(CmpOp::AllNe), 2)),
            b'!' => Some((Tok::Not, 1)),
            b'~' if at(1) == b'=' => Some((Tok::Cmp(CmpOp::AnyNe), 2)),
            b'~' => Some((Tok::Matches, 1)),
            b'>' if at(1) == b'=' => Some((Tok::Cmp(CmpOp::Ge), 2)),
            b'>' => Some((Tok::Cmp(CmpOp::Gt), 1)),
            b'<' if at(1) == b'=' => Some((Tok::Cmp(CmpOp::Le), 2)),
            b'<' => Some((Tok::Cmp(CmpOp::Lt), 1)),
            b'&' if at(1) == b'&' => Some((Tok::And, 2)),
            b'&' => Some((Tok::BitAnd, 1)),
            b'|' if at(1) == b'|' => Some((Tok::Or, 2)),
            b'+' => Some((Tok::Plus, 1)),
            b'-' => Some((Tok::Minus, 1)),
            b'*' => Some((Tok::Star, 1)),
            b'/' => Some((Tok::Slash, 1)),
            b'%' => Some((Tok::Percent, 1)),
            b'.' if at(1) == b'.' => Some((Tok::DotDot, 2)),
            _ => None,
        };
        if let Some((t, n)) = op {
            return self.tok(t, p, n);
        }
        match c {
            b'#' => {
                self.mode = Mode::Layer;
                return self.tok(Tok::Hash, p, 1);
            }
            b'[' => {
                self.mode = Mode::Range;
                return self.tok(Tok::LBracket, p, 1);
            }
            b'"' => return self.string(p, 1, false),
            b'r' | b'R' if at(1) == b'"' => return self.string(p, 2, true),
            b'\'' => return self.charconst(p),
            b'.' => {
                let n = ident_len(&b[p + 1..]);
                if n > 0 {
                    return self.tok(Tok::DotField, p, n + 1);
                }
            }
            _ => {}
        }
        // Words and literal values: longest match wins, literals win ties (scanner rule order).
        let rest = &b[p..];
        let lit = literal_len(rest);
        let id = if is_ident(c) && c != b'-' { ident_len(rest) } else { 0 };
        if lit > 0 || id > 0 {
            let (t, n) = if lit >= id { (Tok::Literal, lit) } else { (Tok::Unparsed, id) };
            let n = match (&t, keyword(&rest[..n])) {
                (Tok::Unparsed, Some(k)) => return self.tok(k, p, n),
                _ => n,
            };
            return self.tok(t, p, n);
        }
        self.unexpected_char(p)
    }

    fn unexpected_char(&mut self, p: usize) -> Result<Token, FilterError> {
        let c = self.b[p];
        if (0x20..0x7f).contains(&c) {
            Err(FilterError::at(format!("\"{}\" was unexpected in this context.", c as char), p, 1))
        } else {
            Err(FilterError::at("Non-printable ASCII characters may only appear inside double-quotes.", p, 1))
        }
    }

    fn next_range(&mut self) -> Result<Token, FilterError> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return Err(FilterError::at("The right bracket was missing from a slice.", p, 0));
        }
        match b[p] {
            b',' => self.tok(Tok::Comma, p, 1),
            b']' => {
                self.mode = Mode::Normal;
                self.tok(Tok::RBracket, p, 1)
            }
            _ => {
                let n = b[p..].iter().position(|&c| c == b']' || c == b',').unwrap_or(b.len() - p);
                self.tok(Tok::RangeNode, p, n)
            }
        }
    }

    fn next_layer(&mut self) -> Result<Token, FilterError> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            self.mode = Mode::Normal;
            return Ok(Token { tok: Tok::Eof, off: p, len: 0 });
        }
        if b[p] == b'[' {
            self.mode = Mode::Range;
            return self.tok(Tok::LBracket, p, 1);
        }
        let n = b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            self.mode = Mode::Normal;
            return self.tok(Tok::Index, p, n);
        }
        let ch = self.src[p..].chars().next().unwrap_or('?');
        let l = ch.len_utf8();
        Err(FilterError::at(format!("Expected digit or \"[\", not \"{}\"", ch), p, l))
    }

    fn string(&mut self, p: usize, skip: usize, raw: bool) -> Result<Token, FilterError> {
        let b = self.b;
        let mut i = p + skip;
        let mut out = Vec::new();
        loop {
            if i >= b.len() {
                return Err(FilterError::at("The final quote was missing from a quoted string.", b.len(), 1));
            }
            let c = b[i];
            if c == b'"' {
                return self.tok(Tok::Str(out), p, i + 1 - p);
            }
            if c != b'\\' {
                out.push(c);
                i += 1;
                continue;
            }
            // An escape sequence.
            if i + 1 >= b.len() {
                return Err(FilterError::at("The final quote was missing from a quoted string.", b.len(), 1));
            }
            let e = b[i + 1];
            if raw {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
                continue;
            }
            match e {
                b'0'..=b'7' => {
                    let n = b[i + 1..].iter().take(3).take_while(|c| (b'0'..=b'7').contains(c)).count();
                    let v = b[i + 1..i + 1 + n].iter().fold(0u32, |a, d| a * 8 + (d - b'0') as u32);
                    if v > 0xff {
                        return Err(FilterError::at(format!("{} is larger than 255.", &self.src[i..i + 1 + n]), i, 1 + n));
                    }
                    out.push(v as u8);
                    i += 1 + n;
                }
                b'x' if b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit()) => {
                    let n = b[i + 2..].iter().take(2).take_while(|c| c.is_ascii_hexdigit()).count();
                    let v = u8::from_str_radix(&self.src[i + 2..i + 2 + n], 16).unwrap_or(0);
                    out.push(v);
                    i += 2 + n;
                }
                b'u' | b'U' => {
                    let max = if e == b'u' { 4 } else { 8 };
                    let n = b[i + 2..].iter().take(max).take_while(|c| c.is_ascii_hexdigit()).count();
                    let text = &self.src[i..i + 2 + n];
                    match ucn(text) {
                        Some(ch) => {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        None => {
                            return Err(FilterError::at(format!("{} is not a valid universal character name", text), i, text.len()))
                        }
                    }
                    i += 2 + n;
                }
                _ => {
                    let v = match e {
                        b'a' => 7,
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'v' => 11,
                        b'\\' | b'\'' | b'"' => e,
                        _ => {
                            let ch = self.src[i + 1..].chars().next().unwrap_or('?');
                            let l = 1 + ch.len_utf8();
                            return Err(FilterError::at(format!("\\{} is not a valid character escape sequence", ch), i, l));
                        }
                    };
                    out.push(v);
                    i += 2;
                }
            }
        }
    }

    fn charconst(&mut self, p: usize) -> Result<Token, FilterError> {
        let b = self.b;
        let mut i = p + 1;
        loop {
            if i >= b.len() {
                return Err(FilterError::at("The final quote was missing from a character constant.", b.len(), 1));
            }
            match b[i] {
                b'\'' => break,
                b'\\' => {
                    if i + 1 >= b.len() {
                        return Err(FilterError::at("The final quote was missing from a character constant.", b.len(), 1));
                    }
                    i += 2;
                    // Keep the second byte of an escape whole if it starts a UTF-8 sequence.
                    while i < b.len() && !self.src.is_char_boundary(i) {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        let text = &self.src[p..=i];
        let v = parse_charconst(text).map_err(|m| FilterError::at(m, p, text.len()))?;
        self.tok(Tok::CharConst(v), p, text.len())
    }
}

fn keyword(w: &[u8]) -> Option<Tok> {
    Some(match w {
        b"any" => Tok::Any,
        b"all" => Tok::All,
        b"eq" | b"any_eq" => Tok::Cmp(CmpOp::AnyEq),
        b"ne" | b"all_ne" => Tok::Cmp(CmpOp::AllNe),
        b"all_eq" => Tok::Cmp(CmpOp::AllEq),
        b"any_ne" => Tok::Cmp(CmpOp::AnyNe),
        b"gt" => Tok::Cmp(CmpOp::Gt),
        b"ge" => Tok::Cmp(CmpOp::Ge),
        b"lt" => Tok::Cmp(CmpOp::Lt),
        b"le" => Tok::Cmp(CmpOp::Le),
        b"contains" => Tok::Contains,
        b"matches" => Tok::Matches,
        b"not" => Tok::Not,
        b"and" => Tok::And,
        b"or" => Tok::Or,
        b"in" => Tok::In,
        b"bitwise_and" => Tok::BitAnd,
        _ => return None,
    })
}

/// `[[:alnum:]_-]+(\.[[:alnum:]_-]+)*`
fn ident_len(s: &[u8]) -> usize {
    let mut n = s.iter().take_while(|&&c| is_ident(c)).count();
    if n == 0 {
        return 0;
    }
    loop {
        if s.get(n) == Some(&b'.') {
            let m = s[n + 1..].iter().take_while(|&&c| is_ident(c)).count();
            if m > 0 {
                n += 1 + m;
                continue;
            }
        }
        return n;
    }
}

fn hex2(s: &[u8], i: usize) -> bool {
    s.len() >= i + 2 && s[i].is_ascii_hexdigit() && s[i + 1].is_ascii_hexdigit()
}

/// `{hex2}(SEP{hex2})+` (or `{hex2}:` for colons): length of the longest match.
fn sep_bytes_len(s: &[u8], sep: u8) -> usize {
    if !hex2(s, 0) {
        return 0;
    }
    let mut n = 2;
    while s.get(n) == Some(&sep) && hex2(s, n + 1) {
        n += 3;
    }
    if n == 2 {
        if sep == b':' && s.get(2) == Some(&b':') {
            return 3;
        }
        return 0;
    }
    n
}

/// Dotted quad of decimal octets (no leading zeros), plus `/NN`.
fn ipv4_len(s: &[u8]) -> usize {
    let mut n = 0;
    for k in 0..4 {
        if k > 0 {
            if s.get(n) != Some(&b'.') {
                return 0;
            }
            n += 1;
        }
        let d = s[n..].iter().take(3).take_while(|c| c.is_ascii_digit()).count();
        let mut best = 0;
        for l in 1..=d {
            let t = &s[n..n + l];
            let ok = l == 1 || (t[0] != b'0' && std::str::from_utf8(t).ok().and_then(|x| x.parse::<u32>().ok()).is_some_and(|v| v <= 255));
            if ok {
                best = l;
            }
        }
        if best == 0 {
            return 0;
        }
        if k < 3 && s.get(n + best) != Some(&b'.') {
            return 0;
        }
        n += best;
    }
    n + prefix_len(&s[n..], 2)
}

fn prefix_len(s: &[u8], max: usize) -> usize {
    if s.first() == Some(&b'/') {
        let d = s[1..].iter().take(max).take_while(|c| c.is_ascii_digit()).count();
        if d > 0 {
            return 1 + d;
        }
    }
    0
}

fn ipv6_len(s: &[u8]) -> usize {
    let run = s.iter().take(45).take_while(|c| c.is_ascii_hexdigit() || **c == b':' || **c == b'.').count();
    let r = &s[..run];
    if r.iter().filter(|&&c| c == b':').count() < 2 {
        return 0;
    }
    for l in (2..=run).rev() {
        let t = &r[..l];
        let colons = t.iter().filter(|&&c| c == b':').count();
        let dbl = t.windows(2).any(|w| w == b"::");
        if !(dbl || colons == 7 || (colons == 6 && t.contains(&b'.'))) {
            continue;
        }
        if std::str::from_utf8(t).ok().and_then(|x| x.parse::<std::net::Ipv6Addr>().ok()).is_some() {
            return l + prefix_len(&s[l..], 3);
        }
    }
    0
}

/// Longest literal-value match at the start of `s` (0 if none).
fn literal_len(s: &[u8]) -> usize {
    let mut best = ipv4_len(s).max(ipv6_len(s)).max(sep_bytes_len(s, b':'));
    if s.first() == Some(&b':') {
        let t = &s[1..];
        let hex = t.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let m = hex.max(sep_bytes_len(t, b':')).max(sep_bytes_len(t, b'-')).max(sep_bytes_len(t, b'.'));
        if m > 0 {
            best = best.max(1 + m);
        }
    }
    best
}

/// A universal character name `\uXXXX` / `\UXXXXXXXX` (C's rules: not below 0xA0 except $ @ `).
fn ucn(text: &str) -> Option<char> {
    let want = if text.as_bytes().get(1) == Some(&b'u') { 4 } else { 8 };
    let digits = text.get(2..)?;
    if digits.len() != want {
        return None;
    }
    let v = u32::from_str_radix(digits, 16).ok()?;
    if v < 0xa0 && v != 0x24 && v != 0x40 && v != 0x60 {
        return None;
    }
    char::from_u32(v)
}

/// Value of a character constant (`text` includes both quotes).
pub(crate) fn parse_charconst(text: &str) -> Result<u64, String> {
    let b = text.as_bytes();
    let inner = &b[1..b.len() - 1];
    if inner.is_empty() {
        return Err("Empty character constant.".into());
    }
    let bad = || format!("{} isn't a valid character constant.", text);
    let (value, used) = if inner[0] == b'\\' {
        let Some(&e) = inner.get(1) else { return Err(bad()) };
        match e {
            b'a' => (7, 2),
            b'b' => (8, 2),
            b'f' => (12, 2),
            b'n' => (10, 2),
            b'r' => (13, 2),
            b't' => (9, 2),
            b'v' => (11, 2),
            b'\'' | b'\\' | b'"' => (e as u64, 2),
            b'x' => {
                let n = inner[2..].iter().take(2).take_while(|c| c.is_ascii_hexdigit()).count();
                if n == 0 {
                    return Err(bad());
                }
                if inner.len() > 2 + n && n < 2 {
                    return Err(bad());
                }
                (u64::from_str_radix(&text[3..3 + n], 16).unwrap_or(0), 2 + n)
            }
            b'u' | b'U' => {
                let max = if e == b'u' { 4 } else { 8 };
                let n = inner[2..].iter().take(max).take_while(|c| c.is_ascii_hexdigit()).count();
                match ucn(&text[1..3 + n]) {
                    Some(c) => (c as u64, 2 + n),
                    None => return Err(format!("{} is not a valid universal character name", text)),
                }
            }
            b'0'..=b'7' => {
                let n = inner[1..].iter().take(3).take_while(|c| (b'0'..=b'7').contains(c)).count();
                if inner.len() > 1 + n && n < 3 {
                    return Err(bad());
                }
                let v = inner[1..1 + n].iter().fold(0u64, |a, d| a * 8 + (d - b'0') as u64);
                if v > 0xff {
                    return Err(format!("{} is too large to be a valid character constant.", text));
                }
                (v, 1 + n)
            }
            _ => return Err(bad()),
        }
    } else {
        let c = inner[0];
        if !(0x20..0x7f).contains(&c) {
            return Err(format!("Non-printable value '0x{:02x}' in character constant.", c));
        }
        (c as u64, 1)
    };
    if used != inner.len() {
        return Err(format!("{} is too long to be a valid character constant.", text));
    }
    Ok(value)
}
