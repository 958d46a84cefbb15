//! Export-object records: what tshark's `--export-objects` taps receive from a dissector.
//!
//! A dissector records one [`Object`] where tshark queues an export-object tap record
//! (an HTTP body, an SMB read or write, a TFTP block, an FTP-DATA segment, an e-mail),
//! only for the protocols the command exports ([`Dissector::export`](crate::Dissector::export)).
//! Whole objects (HTTP, IMF) carry all their bytes; pieces of a file (SMB, TFTP,
//! FTP-DATA) carry the key of the file they belong to and where their bytes go, so a tool
//! can write them to disk as they come instead of keeping files in memory.

/// The export-object protocols of tshark 4.0, as bits of [`Protocols`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Proto {
    Dicom,
    FtpData,
    Http,
    Imf,
    Smb,
    Tftp,
}

impl Proto {
    /// Every protocol, in the order `tshark --export-objects help` lists them.
    pub const ALL: [Proto; 6] = [Proto::Dicom, Proto::FtpData, Proto::Http, Proto::Imf, Proto::Smb, Proto::Tftp];

    /// tshark's name (`--export-objects NAME,DIR`).
    pub fn name(self) -> &'static str {
        match self {
            Proto::Dicom => "dicom",
            Proto::FtpData => "ftp-data",
            Proto::Http => "http",
            Proto::Imf => "imf",
            Proto::Smb => "smb",
            Proto::Tftp => "tftp",
        }
    }

    pub fn from_name(s: &str) -> Option<Proto> {
        Proto::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn bit(self) -> Protocols {
        Protocols(1 << self as u8)
    }
}

/// A set of export protocols.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Protocols(pub u8);

impl Protocols {
    pub fn has(self, p: Proto) -> bool {
        self.0 & p.bit().0 != 0
    }
    pub fn insert(&mut self, p: Proto) {
        self.0 |= p.bit().0;
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Where a piece's bytes go in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// The whole object.
    Whole,
    /// Appended to the file with this key (created by the first piece).
    Append { key: u64 },
    /// Written at this offset of the file with this key; `size` is the file's length when
    /// the protocol tells it.
    At { key: u64, offset: u64, size: Option<u64> },
}

/// One export-object tap record.
#[derive(Clone, Debug)]
pub struct Object {
    pub proto: Proto,
    pub piece: Piece,
    /// The name tshark derives the file name from (before escaping); `None` gives
    /// `object<frame>[.<content type>]`.
    pub filename: Option<Vec<u8>>,
    /// The content type (HTTP's media type, lower case; SMB's "FILE").
    pub content_type: Option<Vec<u8>>,
    /// The host the object came from (HTTP `Host`), for manifests.
    pub host: Option<Vec<u8>>,
    pub data: Vec<u8>,
    /// The data was cut at the per-object cap (a warning is due).
    pub capped: bool,
    /// An HTTP 206 response's `Content-Range`: where these bytes go in the whole resource
    /// (tshark ignores it; `pcap-export-objects --ranges` assembles the parts).
    pub range: Option<ByteRange>,
}

/// `Content-Range: bytes FIRST-LAST/TOTAL` (TOTAL may be `*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    pub first: u64,
    pub last: u64,
    pub total: Option<u64>,
}

impl ByteRange {
    /// Parses a `Content-Range` value; `None` unless it is a satisfied byte range.
    pub fn parse(v: &[u8]) -> Option<ByteRange> {
        let s = std::str::from_utf8(v).ok()?.trim();
        let rest = s.strip_prefix("bytes")?.trim_start();
        let (span, total) = rest.split_once('/')?;
        let (a, b) = span.trim().split_once('-')?;
        let (first, last): (u64, u64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        if last < first {
            return None;
        }
        let total = match total.trim() {
            "*" => None,
            t => Some(t.parse().ok()?),
        };
        Some(ByteRange { first, last, total })
    }
}

/// `g_path_get_basename` on a '/'-separated name: the last component, "/" for a name of
/// slashes only, "." for an empty one.
pub fn basename(s: &[u8]) -> &[u8] {
    if s.is_empty() {
        return b".";
    }
    let trimmed = match s.iter().rposition(|&c| c != b'/') {
        Some(i) => &s[..=i],
        None => return b"/",
    };
    match trimmed.iter().rposition(|&c| c == b'/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basenames_as_glib() {
        assert_eq!(basename(b"/"), b"/");
        assert_eq!(basename(b"///"), b"/");
        assert_eq!(basename(b""), b".");
        assert_eq!(basename(b"/index.html"), b"index.html");
        assert_eq!(basename(b"/dir/sub/file.txt?x=1&y=2"), b"file.txt?x=1&y=2");
        assert_eq!(basename(b"/dir/"), b"dir");
        assert_eq!(basename(b"/a?b=/c"), b"c");
        assert_eq!(basename(b"*"), b"*");
    }

    #[test]
    fn content_ranges() {
        assert_eq!(ByteRange::parse(b"bytes 0-499/1234"), Some(ByteRange { first: 0, last: 499, total: Some(1234) }));
        assert_eq!(ByteRange::parse(b"bytes 500-999/*"), Some(ByteRange { first: 500, last: 999, total: None }));
        assert_eq!(ByteRange::parse(b"bytes */1234"), None);
        assert_eq!(ByteRange::parse(b"bytes 9-1/10"), None);
        assert_eq!(ByteRange::parse(b"items 0-1/2"), None);
    }

    #[test]
    fn protocol_sets() {
        let mut s = Protocols::default();
        assert!(s.is_empty());
        s.insert(Proto::Http);
        assert!(s.has(Proto::Http) && !s.has(Proto::Smb));
        assert_eq!(Proto::from_name("ftp-data"), Some(Proto::FtpData));
        assert_eq!(Proto::from_name("nope"), None);
    }
}
