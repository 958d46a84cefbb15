//! Wireshark 4.0 display filters, compiled once against the pcaptk field table and
//! evaluated per packet without allocation.
//!
//! ```text
//! let f = Filter::compile("tcp.port in {80, 443} && !(ip.src == 10.0.0.0/8)")?;
//! if f.matches(&tree.view(frame)) { ... }
//! ```
//!
//! Differences from tshark 4.0 (documented, deliberate):
//! * `matches` uses the `regex` crate, not PCRE2: case-insensitive by default like 4.0,
//!   `(?-i)` honoured, but no look-around or backreferences; regex error texts differ.
//! * No "That read filter code looks like a valid capture filter" note (no libpcap).
//! * Names Wireshark knows but pcaptk does not dissect yet fail with
//!   `NAME is a Wireshark field that pcaptk does not dissect yet.` instead of matching nothing.
//! * No display-filter macros (every `${name}` is "macro 'name' does not exist") and no
//!   field references (`$field`).
//! * Host names are never resolved (as with `-n`).

pub mod compile;
pub mod error;
pub mod eval;
pub mod lexer;
pub mod literal;
pub mod parser;

use pcaptk_dissect::field::FieldId;
use pcaptk_dissect::View;

pub use error::FilterError;
/// The dissection crate the filter is compiled against (re-exported for callers and the fuzz target).
pub use pcaptk_dissect;

/// A compiled display filter.
#[derive(Clone, Debug)]
pub struct Filter {
    test: eval::Test,
    fields: Vec<FieldId>,
}

impl Filter {
    /// Compiles a filter; empty or whitespace-only text matches everything.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        if let Some(e) = macro_error(text) {
            return Err(e);
        }
        let ast = parser::parse(text)?;
        let mut c = compile::Compiler { fields: Vec::new() };
        let test = match ast {
            None => eval::Test::True,
            Some(e) => c.expr(&e)?,
        };
        Ok(Filter { test, fields: c.fields })
    }

    /// Whether the packet passes the filter.
    pub fn matches(&self, view: &View) -> bool {
        self.test.eval(view)
    }

    /// Every field and protocol the filter reads.
    pub fn fields(&self) -> Vec<FieldId> {
        self.fields.clone()
    }

    /// True for the empty filter.
    pub fn is_empty(&self) -> bool {
        matches!(self.test, eval::Test::True)
    }
}

/// `${name}` macro references: we have no macros, so each is an error (as tshark without them).
fn macro_error(text: &str) -> Option<FilterError> {
    let p = text.find("${")?;
    let rest = &text[p + 2..];
    let end = rest.find(['}', ':', ';']).unwrap_or(rest.len());
    Some(FilterError::new(format!("macro '{}' does not exist", &rest[..end]), None))
}

static WIRESHARK_PROTOCOLS: &str = include_str!("wireshark_protocols.txt");

/// Whether `name` belongs to a protocol Wireshark 4.0 knows (`tshark -G protocols`): the
/// whole name or the text before its first `.` is a protocol filter name.
pub fn wireshark_knows(name: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| WIRESHARK_PROTOCOLS.lines().map(str::trim).filter(|l| !l.is_empty()).collect());
    if set.contains(name) {
        return true;
    }
    // `tcp.srcport-1` is arithmetic written without spaces, not a field name.
    if name.rsplit_once('-').is_some_and(|(_, d)| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    match name.split_once('.') {
        Some((p, _)) => set.contains(p),
        None => false,
    }
}

#[cfg(test)]
mod tests;
