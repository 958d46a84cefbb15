//! Writers for `-T fields`, `-T json -e` and `-T ek -e`, with tshark 4.0's `-E` options.

use pcaptk_dissect::tree::{render_field, Item, Value};
use pcaptk_dissect::{FieldId, View};
use std::io::{self, Write};

/// `-E` options (tshark-behaviour.md §1.2).
#[derive(Clone, Debug)]
pub struct FieldOpts {
    pub bom: bool,
    pub header: bool,
    pub separator: String,
    pub occurrence: Occurrence,
    pub aggregator: String,
    pub quote: Option<char>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence {
    First,
    Last,
    All,
}

impl Default for FieldOpts {
    fn default() -> Self {
        FieldOpts { bom: false, header: false, separator: "\t".into(), occurrence: Occurrence::All, aggregator: ",".into(), quote: None }
    }
}

/// tshark's help text printed after a bad `-E` option.
pub const E_HELP: &str = "TShark: The available options for field output \"E\" are:
bom=y|n    Prepend output with the UTF-8 BOM (def: N: no)
header=y|n    Print field abbreviations as first line of output (def: N: no)
separator=/t|/s|<character>   Set the separator to use;
     \"/t\" = tab, \"/s\" = space (def: /t: tab)
occurrence=f|l|a  Select the occurrence of a field to use;
     \"f\" = first, \"l\" = last, \"a\" = all (def: a: all)
aggregator=,|/s|<character>   Set the aggregator to use;
     \",\" = comma, \"/s\" = space (def: ,: comma)
quote=d|s|n   Print either d: double-quotes, s: single quotes or 
     n: no quotes around field values (def: n: none)
";

impl FieldOpts {
    /// Applies one `-E name=value`; on error returns the name tshark reports.
    pub fn apply(&mut self, opt: &str) -> Result<(), String> {
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) if !v.is_empty() => (n, v),
            Some((n, _)) => return Err(n.to_string()),
            None => return Err(opt.to_string()),
        };
        let first = value.chars().next().unwrap_or('\0');
        let slash = |v: &str, t_is_tab: bool| -> String {
            if let Some(rest) = v.strip_prefix('/') {
                match rest.chars().next() {
                    Some('t') if t_is_tab => "\t".into(),
                    Some('s') => " ".into(),
                    Some(_) => "\\".into(),
                    None => "/".into(),
                }
            } else {
                first.to_string()
            }
        };
        match name {
            "bom" | "header" => {
                let v = match first {
                    'y' | 'Y' => true,
                    'n' | 'N' => false,
                    _ => return Err(name.to_string()),
                };
                if name == "bom" {
                    self.bom = v
                } else {
                    self.header = v
                }
            }
            "separator" => self.separator = slash(value, true),
            "aggregator" => self.aggregator = slash(value, false),
            "occurrence" => {
                self.occurrence = match first {
                    'f' => Occurrence::First,
                    'l' => Occurrence::Last,
                    'a' => Occurrence::All,
                    _ => return Err(name.to_string()),
                }
            }
            "quote" => {
                self.quote = match first {
                    'd' => Some('"'),
                    's' => Some('\''),
                    'n' => None,
                    _ => return Err(name.to_string()),
                }
            }
            _ => return Err(name.to_string()),
        }
        Ok(())
    }
}

/// A requested output column.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// None: a name that never has a value (an unknown `_ws.col.*`, or an earlier
    /// duplicate of a later column, which tshark leaves empty).
    pub id: Option<FieldId>,
}

/// The occurrences of one column's field that `-E occurrence` selects, in tree order
/// (no allocation: the hot path of every output line).
fn pick<'a>(view: &View<'a>, id: FieldId, occ: Occurrence) -> impl Iterator<Item = &'a Item> + 'a {
    let items = view.items;
    let (first, last) = match occ {
        Occurrence::All => (None, None),
        Occurrence::First => (items.iter().position(|i| i.id == id), None),
        Occurrence::Last => (None, items.iter().rposition(|i| i.id == id)),
    };
    let only = first.or(last);
    let restrict = occ != Occurrence::All;
    items.iter().enumerate().filter(move |(k, i)| i.id == id && (!restrict || Some(*k) == only)).map(|(_, i)| i)
}

pub enum Format {
    Fields,
    Json,
    Ek,
}

/// Writes packets in one of tshark's formats.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    cols: Vec<Column>,
    opts: FieldOpts,
    line: String,
    packets: u64,
    /// A one-character separator (tshark's tab, or `-E separator=,`): pushed without a copy.
    sep_char: Option<char>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format, cols: Vec<Column>, opts: FieldOpts) -> Self {
        let mut chars = opts.separator.chars();
        let sep_char = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        Writer { out, format, cols, opts, line: String::with_capacity(1 << 17), packets: 0, sep_char }
    }

    /// Pushes what is buffered to the output (`-l`, live capture).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(self.line.as_bytes())?;
        self.line.clear();
        self.out.flush()
    }

    /// What comes before the first packet (BOM, header line, JSON's `[`).
    pub fn begin(&mut self) -> io::Result<()> {
        match self.format {
            Format::Fields => {
                if self.opts.bom {
                    self.out.write_all(b"\xef\xbb\xbf")?;
                }
                if self.opts.header {
                    let names: Vec<&str> = self.cols.iter().map(|c| c.name.as_str()).collect();
                    writeln!(self.out, "{}", names.join(&self.opts.separator))?;
                }
            }
            Format::Json => self.out.write_all(b"[")?,
            Format::Ek => {}
        }
        Ok(())
    }

    /// What comes after the last packet.
    pub fn end(&mut self) -> io::Result<()> {
        self.out.write_all(self.line.as_bytes())?;
        self.line.clear();
        if let Format::Json = self.format {
            if self.packets > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"]\n")?;
        }
        self.out.flush()
    }

    /// Formats one packet. Lines accumulate in one buffer written out in 64 KiB chunks
    /// (no per-line copy into a second buffer).
    /// `ts` is the packet's time as the file holds it: (seconds, nanoseconds, possibly
    /// ≥ 10⁹ in a damaged pcap record, which ek's `timestamp` prints unnormalised as tshark).
    pub fn packet(&mut self, view: &View, ts_ns: i64, ts: (i64, u32)) -> io::Result<()> {
        self.packets += 1;
        match self.format {
            Format::Fields => self.fields_line(view),
            Format::Json => self.json_packet(view, ts_ns),
            Format::Ek => self.ek_packet(view, ts_ns, ts),
        }
        if self.line.len() >= 1 << 16 {
            self.out.write_all(self.line.as_bytes())?;
            self.line.clear();
        }
        Ok(())
    }

    fn fields_line(&mut self, view: &View) {
        let line = &mut self.line;
        let sep_char = self.sep_char;
        for (i, col) in self.cols.iter().enumerate() {
            if i > 0 {
                match sep_char {
                    Some(c) => line.push(c),
                    None => line.push_str(&self.opts.separator),
                }
            }
            let Some(id) = col.id else { continue };
            let start = line.len();
            let mut n = 0;
            if let Some(q) = self.opts.quote {
                line.push(q);
            }
            if self.opts.occurrence == Occurrence::All {
                // Every occurrence, in order (the usual case, without `pick`'s bookkeeping).
                for item in view.items.iter().filter(|i| i.id == id) {
                    if n > 0 {
                        line.push_str(&self.opts.aggregator);
                    }
                    render_field(view, item, line);
                    n += 1;
                }
            } else {
                for item in pick(view, id, self.opts.occurrence) {
                    if n > 0 {
                        line.push_str(&self.opts.aggregator);
                    }
                    render_field(view, item, line);
                    n += 1;
                }
            }
            if n == 0 {
                line.truncate(start);
            } else if let Some(q) = self.opts.quote {
                line.push(q);
            }
        }
        line.push('\n');
    }

    fn json_packet(&mut self, view: &View, ts_ns: i64) {
        let line = &mut self.line;
        line.push_str(if self.packets == 1 { "\n" } else { ",\n" });
        line.push_str("  {\n    \"_index\": \"packets-");
        push_local_date(line, ts_ns);
        line.push_str("\",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {");
        let mut any = false;
        let mut buf = String::new();
        for col in &self.cols {
            let Some(id) = col.id else { continue };
            let items: Vec<&Item> = pick(view, id, self.opts.occurrence).collect();
            if items.is_empty() {
                continue;
            }
            line.push_str(if any { ",\n" } else { "\n" });
            any = true;
            line.push_str("        ");
            json_str(line, &col.name);
            line.push_str(": [\n");
            for (k, item) in items.iter().enumerate() {
                buf.clear();
                render_raw(view, item, &mut buf);
                line.push_str("          ");
                json_str(line, &buf);
                line.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
            }
            line.push_str("        ]");
        }
        line.push_str(if any { "\n      }\n    }\n  }" } else { "}\n    }\n  }" });
    }

    fn ek_packet(&mut self, view: &View, ts_ns: i64, (sec, nsec): (i64, u32)) {
        let line = &mut self.line;
        line.push_str("{\"index\":{\"_index\":\"packets-");
        push_local_date(line, ts_ns);
        line.push_str("\",\"_type\":\"doc\"}}\n{\"timestamp\":\"");
        if nsec >= 1_000_000_000 {
            line.push_str(&format!("{}{:03}", sec, nsec / 1_000_000));
        } else {
            line.push_str(&ts_ns.div_euclid(1_000_000).to_string());
        }
        line.push_str("\",\"layers\":{");
        let mut any = false;
        let mut buf = String::new();
        for col in &self.cols {
            let Some(id) = col.id else { continue };
            let items: Vec<&Item> = pick(view, id, self.opts.occurrence).collect();
            if items.is_empty() {
                continue;
            }
            if any {
                line.push(',');
            }
            any = true;
            json_str(line, &col.name.replace('.', "_"));
            line.push_str(":[");
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    line.push(',');
                }
                buf.clear();
                render_raw(view, item, &mut buf);
                json_str(line, &buf);
            }
            line.push(']');
        }
        line.push_str("}}\n");
    }

}

/// A value as JSON carries it: like `-T fields` but strings unescaped (JSON escapes them).
fn render_raw(view: &View, item: &Item, out: &mut String) {
    match item.value {
        Value::Str(s) => out.push_str(view.str(s)),
        _ => render_field(view, item, out),
    }
}

/// JSON string with tshark's escaping: `\" \\ \b \f \n \r \t`, other controls as `\u00XX`.
pub fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_local_date(out: &mut String, ts_ns: i64) {
    use std::fmt::Write;
    let (y, m, d) = pcaptk_dissect::time::local_ymd(ts_ns);
    let _ = write!(out, "{}-{:02}-{:02}", y, m, d);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(list: &[&str]) -> Result<FieldOpts, String> {
        let mut o = FieldOpts::default();
        for e in list {
            o.apply(e)?;
        }
        Ok(o)
    }

    #[test]
    fn separator_and_aggregator_quirks() {
        assert_eq!(opts(&["separator=/t"]).unwrap().separator, "\t");
        assert_eq!(opts(&["separator=/s"]).unwrap().separator, " ");
        assert_eq!(opts(&["separator=/x"]).unwrap().separator, "\\");
        assert_eq!(opts(&["separator=abc"]).unwrap().separator, "a");
        // /t is a tab for the separator only: the aggregator takes it as a backslash.
        assert_eq!(opts(&["aggregator=/t"]).unwrap().aggregator, "\\");
        assert_eq!(opts(&["aggregator=/s"]).unwrap().aggregator, " ");
    }

    #[test]
    fn bad_options_name_what_tshark_names() {
        assert_eq!(opts(&["occurrence=2"]).unwrap_err(), "occurrence");
        assert_eq!(opts(&["header"]).unwrap_err(), "header");
        assert_eq!(opts(&["foo=y"]).unwrap_err(), "foo");
        assert_eq!(opts(&["quote="]).unwrap_err(), "quote");
        let o = opts(&["header=yes", "quote=s", "occurrence=l", "bom=y"]).unwrap();
        assert!(o.header && o.bom);
        assert_eq!(o.quote, Some('\''));
        assert_eq!(o.occurrence, Occurrence::Last);
    }

    #[test]
    fn json_strings_escape_as_tshark() {
        let mut s = String::new();
        json_str(&mut s, "a\u{1}b\"c\\d\u{7f}é\t");
        assert_eq!(s, "\"a\\u0001b\\\"c\\\\d\u{7f}é\\t\"");
    }
}
