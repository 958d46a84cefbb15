//! Errors, worded exactly as tshark 4.0 words them.
//!
//! [`CaptureError`]'s `Display` prints tshark's message *without* the leading
//! `tshark: ` (the binary adds it). The path is printed exactly as it was given
//! on the command line.

use std::fmt;
use std::io;

/// What went wrong, in tshark's categories (wiretap's `WTAP_ERR_*` codes and
/// the errno values tshark special-cases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// ENOENT: `The file "X" doesn't exist.`
    NotFound,
    /// EISDIR: `"X" is a directory (folder), not a file.`
    IsDirectory,
    /// EACCES: `You don't have permission to read the file "X".`
    PermissionDenied,
    /// Another error from open(2): `The file "X" could not be opened: <strerror>.`
    OpenFailed(String),
    /// `WTAP_ERR_FILE_UNKNOWN_FORMAT`: no reader recognised the file.
    UnknownFormat,
    /// `WTAP_ERR_SHORT_READ` while reading a packet: the file ends inside a record.
    CutShort,
    /// `WTAP_ERR_SHORT_READ` while opening: the file ends inside the file header.
    CutShortOpen,
    /// `WTAP_ERR_BAD_FILE`, with wiretap's detail string (e.g. `pcap: File has ...`).
    Corrupt(String),
    /// `WTAP_ERR_UNSUPPORTED`, with detail (e.g. `pcap: network type 289 unknown or unsupported`).
    Unsupported(String),
    /// `WTAP_ERR_DECOMPRESS`: the gzip stream is damaged, with detail.
    Decompress(String),
    /// Any other I/O error while reading: `An error occurred while reading the file "X": <detail>.`
    Read(String),
    /// A `-r` glob pattern matched no file (not a tshark message; tshark has no globbing).
    NoMatch,
    /// A `-r` glob pattern is malformed.
    BadPattern(String),
    /// A live-capture error (`-i`): the whole message, worded as tshark's
    /// (no such device, permission, invalid capture filter, libpcap missing).
    Live(String),
}

/// An error opening or reading a capture file. `Display` gives tshark's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureError {
    path: String,
    kind: ErrorKind,
}

impl CaptureError {
    /// Builds an error about `path`.
    pub fn new(path: impl Into<String>, kind: ErrorKind) -> CaptureError {
        CaptureError { path: path.into(), kind }
    }

    /// The path as given on the command line.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The category of the error.
    /// True for errors tshark reports before it has opened the file (it then prints no
    /// packets and no statistics).
    pub fn before_open(&self) -> bool {
        use ErrorKind::*;
        matches!(self.kind(), NotFound | IsDirectory | PermissionDenied | OpenFailed(_) | UnknownFormat | CutShortOpen | Unsupported(_) | NoMatch | BadPattern(_) | Live(_))
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The process exit status tshark uses for this error (2 for every file
    /// error, 1 for capture errors).
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Live(_) => 1,
            _ => 2,
        }
    }

    /// Maps an `open(2)`/`metadata` error to tshark's wording.
    pub(crate) fn from_open(path: &str, e: &io::Error) -> CaptureError {
        let kind = match e.kind() {
            io::ErrorKind::NotFound => ErrorKind::NotFound,
            io::ErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
            io::ErrorKind::IsADirectory => ErrorKind::IsDirectory,
            _ => ErrorKind::OpenFailed(strerror(e)),
        };
        CaptureError::new(path, kind)
    }

    pub(crate) fn with_path(mut self, path: &str) -> CaptureError {
        self.path = path.to_string();
        self
    }
}

/// The C library's text for an I/O error, without Rust's " (os error N)" suffix.
fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.path;
        match &self.kind {
            ErrorKind::NotFound => write!(f, "The file \"{p}\" doesn't exist."),
            ErrorKind::IsDirectory => write!(f, "\"{p}\" is a directory (folder), not a file."),
            ErrorKind::PermissionDenied => {
                write!(f, "You don't have permission to read the file \"{p}\".")
            }
            ErrorKind::OpenFailed(d) => write!(f, "The file \"{p}\" could not be opened: {d}."),
            ErrorKind::UnknownFormat => write!(
                f,
                "The file \"{p}\" isn't a capture file in a format TShark understands."
            ),
            ErrorKind::CutShort => write!(
                f,
                "The file \"{p}\" appears to have been cut short in the middle of a packet."
            ),
            ErrorKind::CutShortOpen => write!(
                f,
                "The file \"{p}\" appears to have been cut short in the middle of a packet or other data."
            ),
            ErrorKind::Corrupt(d) => {
                write!(f, "The file \"{p}\" appears to be damaged or corrupt.\n({d})")
            }
            ErrorKind::Unsupported(d) => write!(
                f,
                "The file \"{p}\" contains record data that TShark doesn't support.\n({d})"
            ),
            ErrorKind::Decompress(d) => write!(
                f,
                "The file \"{p}\" cannot be decompressed; it may be damaged or corrupt.\n({d})"
            ),
            ErrorKind::Read(d) => {
                write!(f, "An error occurred while reading the file \"{p}\": {d}.")
            }
            ErrorKind::NoMatch => write!(f, "The file \"{p}\" doesn't exist."),
            ErrorKind::BadPattern(d) => write!(f, "Invalid file name pattern \"{p}\": {d}."),
            ErrorKind::Live(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CaptureError {}

/// Shorthand used by the format modules, which don't know the path; the
/// reader fills it in before handing the error out.
pub(crate) fn err(kind: ErrorKind) -> CaptureError {
    CaptureError::new(String::new(), kind)
}

pub(crate) fn corrupt(detail: String) -> CaptureError {
    err(ErrorKind::Corrupt(detail))
}

pub(crate) type Result<T> = std::result::Result<T, CaptureError>;
