//! Compile errors, rendered exactly as tshark 4.0 prints them on stderr.

use std::fmt;

/// A display-filter compile error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// tshark's message, without the `tshark: ` prefix.
    pub message: String,
    /// Byte offset and length of the offending text in the filter, when tshark shows a caret line.
    pub location: Option<(usize, usize)>,
    /// tshark's exit status for this error (2 for `-Y`/`-R` compile errors).
    pub exit_code: i32,
}

impl FilterError {
    pub(crate) fn new(message: impl Into<String>, location: Option<(usize, usize)>) -> FilterError {
        FilterError { message: message.into(), location, exit_code: 2 }
    }
    pub(crate) fn at(message: impl Into<String>, off: usize, len: usize) -> FilterError {
        FilterError::new(message, Some((off, len)))
    }
    pub(crate) fn eof() -> FilterError {
        FilterError::new("Unexpected end of filter expression.", None)
    }

    /// tshark's stderr text: `tshark: MSG` and, with a location, the filter and a caret line.
    ///
    /// Like tshark, the caret column is the byte offset (non-ASCII text inside a string
    /// before the error shifts the caret right, as it does in tshark).
    pub fn render(&self, filter_text: &str) -> String {
        let mut s = format!("tshark: {}\n", self.message);
        if let Some((off, len)) = self.location {
            let off = off.min(filter_text.len());
            let col = off;
            s.push_str("    ");
            s.push_str(filter_text);
            s.push_str("\n    ");
            s.extend(std::iter::repeat_n(' ', col));
            s.push('^');
            s.extend(std::iter::repeat_n('~', len.saturating_sub(1)));
            s.push('\n');
        }
        s
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FilterError {}
