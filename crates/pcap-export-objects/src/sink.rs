//! One output folder: names objects as tshark does, writes them as they come, and never
//! creates or follows anything outside the folder.
//!
//! Safety: a name is one path component (the `/` and `\` of a capture's names are written
//! as `%2f` and `%5c`, "." and ".." are never used); every file is created with
//! `O_CREAT|O_EXCL|O_NOFOLLOW`, so an entry already in the folder (a file, a directory, a
//! symlink planted there, dangling or not) is counted as taken and never opened; pieces
//! written later reopen their own file with `O_NOFOLLOW`. tshark's rule of at most 1000
//! tries ends, as in tshark, in overwriting the last candidate, but only when it is a
//! regular file.

use crate::names;
use pcaptk_dissect::export::{Object, Piece, Proto};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// tshark's `gui.max_export_objects`.
const MAX_TRIES: u32 = 1000;
/// Bytes of last copies held back for names whose 1000 tries are used up.
const MAX_DEFERRED: usize = 64 << 20;
/// Files of unfinished pieces kept open at once (others are reopened when needed).
const MAX_OPEN: usize = 256;

/// What became of one object.
#[derive(Clone, Debug)]
pub struct Written {
    pub proto: Proto,
    pub frame: u32,
    pub name: Vec<u8>,
    pub host: Option<Vec<u8>>,
    pub content_type: Option<Vec<u8>>,
    pub src: String,
    pub dst: String,
    /// Bytes written.
    pub size: u64,
    /// The file's length when the protocol says it (SMB), for completeness.
    pub expected: Option<u64>,
    /// Bytes of the file that came in (SMB: distinct bytes).
    pub gathered: u64,
    pub capped: bool,
    /// The write failed (message already printed).
    pub failed: bool,
    /// Lower-case hex digests of the object's bytes (`None` for pieces under --list).
    pub sha256: Option<String>,
    pub md5: Option<String>,
}

struct Open {
    index: usize,
    file: Option<File>,
    /// Byte ranges received (SMB), merged, for completeness.
    ranges: Vec<(u64, u64)>,
}

/// The output folder of one protocol.
pub struct Sink {
    pub proto: Proto,
    dir: PathBuf,
    /// Write files (false with --list: names are still chosen as if they were written).
    write: bool,
    dir_state: DirState,
    /// Names chosen in this run (for --list, where nothing is on disk).
    taken: std::collections::HashSet<Vec<u8>>,
    /// Per base name, the first duplicate number not known to be taken: names this run
    /// took stay taken, so the search resumes there instead of retrying every lower
    /// number (1000 copies of "/" would otherwise cost half a million failed opens).
    next_dup: HashMap<Vec<u8>, u32>,
    /// Names whose 1000 tries are used up: the object that overwrites them last.
    deferred: HashMap<Vec<u8>, (usize, Vec<u8>)>,
    /// Bytes held in `deferred` (past [`MAX_DEFERRED`] an overwrite is written at once).
    deferred_bytes: usize,
    pieces: HashMap<u64, Open>,
    open_files: usize,
    pub written: Vec<Written>,
    /// The per-object cap, in bytes.
    cap: u64,
    pub warnings: Vec<String>,
}

#[derive(PartialEq, Eq)]
enum DirState {
    NotYet,
    Ready,
    Failed,
}

/// Where the object came from (for the manifest).
pub struct Origin {
    pub frame: u32,
    pub src: String,
    pub dst: String,
}

impl Sink {
    pub fn new(proto: Proto, dir: PathBuf, write: bool, cap: u64) -> Sink {
        Sink {
            proto,
            dir,
            write,
            dir_state: DirState::NotYet,
            taken: Default::default(),
            next_dup: HashMap::new(),
            deferred: HashMap::new(),
            deferred_bytes: 0,
            pieces: HashMap::new(),
            open_files: 0,
            written: Vec::new(),
            cap,
            warnings: Vec::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the folder (with its parents) as tshark does at the end of a run: once, with
    /// tshark's message on failure (the run still succeeds, as tshark's does).
    pub fn ensure_dir(&mut self) -> bool {
        if self.dir_state == DirState::NotYet {
            self.dir_state = if !self.write {
                DirState::Ready
            } else {
                match std::fs::DirBuilder::new().recursive(true).mode(0o755).create(&self.dir) {
                    Ok(()) => DirState::Ready,
                    Err(e) => {
                        eprintln!("Failed to create export objects output directory \"{}\": {}", self.dir.display(), strerror(&e));
                        DirState::Failed
                    }
                }
            };
        }
        self.dir_state == DirState::Ready
    }

    /// Takes one export-object record.
    pub fn add(&mut self, obj: Object, origin: Origin) {
        if !self.ensure_dir() {
            return;
        }
        match obj.piece {
            Piece::Whole => {
                let (index, file, deferred) = self.create(&obj, &origin);
                let mut data: &[u8] = &obj.data;
                let mut capped = obj.capped;
                if data.len() as u64 > self.cap {
                    data = &data[..self.cap as usize];
                    capped = true;
                }
                if let Some(mut f) = file {
                    if let Err(e) = f.write_all(data) {
                        self.fail(index, &e);
                    }
                }
                if deferred && self.write {
                    let name = self.written[index].name.clone();
                    let held = self.deferred.get(&name).map_or(0, |d| d.1.len());
                    if self.deferred_bytes - held + data.len() <= MAX_DEFERRED {
                        self.deferred_bytes = self.deferred_bytes - held + data.len();
                        self.deferred.insert(name, (index, data.to_vec()));
                    } else {
                        // Too much held back: this copy overwrites the file now.
                        if let Some((_, old)) = self.deferred.remove(&name) {
                            self.deferred_bytes -= old.len();
                        }
                        if let Err(e) = overwrite(&self.dir.join(OsStr::from_bytes(&name)), data) {
                            self.fail(index, &e);
                        }
                    }
                }
                let (sha, md5) = digests(data);
                let w = &mut self.written[index];
                w.size = data.len() as u64;
                w.gathered = w.size;
                w.capped = capped;
                w.sha256 = Some(sha);
                w.md5 = Some(md5);
                if capped {
                    self.warn_cap(index);
                }
            }
            Piece::Append { key } => {
                let index = self.piece_index(key, &obj, &origin, None);
                let at = self.written[index].size;
                self.write_at(key, index, at, &obj.data);
            }
            Piece::At { key, offset, size } => {
                let index = self.piece_index(key, &obj, &origin, size);
                if let Some(s) = size {
                    self.written[index].expected = Some(s);
                }
                self.write_at(key, index, offset, &obj.data);
            }
        }
    }

    fn piece_index(&mut self, key: u64, obj: &Object, origin: &Origin, size: Option<u64>) -> usize {
        if let Some(o) = self.pieces.get(&key) {
            return o.index;
        }
        let (index, file, _) = self.create(obj, origin);
        self.written[index].expected = size;
        if file.is_some() {
            self.open_files += 1;
        }
        self.pieces.insert(key, Open { index, file, ranges: Vec::new() });
        index
    }

    fn write_at(&mut self, key: u64, index: usize, offset: u64, data: &[u8]) {
        let end = offset.saturating_add(data.len() as u64);
        let keep = end.min(self.cap).saturating_sub(offset) as usize;
        if keep < data.len() {
            self.written[index].capped = true;
            self.warn_cap(index);
        }
        let data = &data[..keep.min(data.len())];
        if data.is_empty() {
            return;
        }
        if self.open_files > MAX_OPEN {
            // Close every other file; they reopen on their next piece.
            for o in self.pieces.values_mut() {
                o.file = None;
            }
            self.open_files = 0;
        }
        let path = self.dir.join(OsStr::from_bytes(&self.written[index].name));
        let write = self.write && !self.written[index].failed;
        let Some(o) = self.pieces.get_mut(&key) else { return };
        if write && o.file.is_none() {
            match OpenOptions::new().write(true).custom_flags(libc::O_NOFOLLOW).open(&path) {
                Ok(f) => {
                    o.file = Some(f);
                    self.open_files += 1;
                }
                Err(e) => {
                    self.fail(index, &e);
                    return;
                }
            }
        }
        let res = match (&mut o.file, write) {
            (Some(f), true) => f.seek(SeekFrom::Start(offset)).and_then(|_| f.write_all(data)),
            _ => Ok(()),
        };
        merge(&mut o.ranges, offset, offset + data.len() as u64);
        let gathered = o.ranges.iter().map(|(a, b)| b - a).sum();
        let w = &mut self.written[index];
        w.size = w.size.max(offset + data.len() as u64);
        w.gathered = gathered;
        if let Err(e) = res {
            self.fail(index, &e);
        }
    }

    /// Picks the object's name as tshark does and creates its file.
    fn create(&mut self, obj: &Object, origin: &Origin) -> (usize, Option<File>, bool) {
        let mut chosen = Vec::new();
        let mut file = None;
        let mut failed = false;
        let base = names::candidate(obj.filename.as_deref(), origin.frame, obj.content_type.as_deref(), 0);
        let first = self.next_dup.get(&base).copied().unwrap_or(0);
        let mut used = MAX_TRIES - 1;
        let mut deferred = false;
        for dup in first..MAX_TRIES {
            used = dup;
            let name = names::candidate(obj.filename.as_deref(), origin.frame, obj.content_type.as_deref(), dup);
            let last = dup + 1 == MAX_TRIES;
            if name == b"." || name == b".." {
                continue;
            }
            if !self.write {
                let on_disk = std::fs::symlink_metadata(self.dir.join(OsStr::from_bytes(&name))).is_ok();
                if (self.taken.contains(&name) || on_disk) && !last {
                    continue;
                }
                self.taken.insert(name.clone());
                chosen = name;
                break;
            }
            let path = self.dir.join(OsStr::from_bytes(&name));
            if last && matches!(obj.piece, Piece::Whole) {
                // Every later copy overwrites this name: only the last one's bytes are
                // written, at the end (one write instead of one per copy).
                chosen = name;
                deferred = true;
                break;
            }
            let mut opts = OpenOptions::new();
            opts.write(true).mode(0o644).custom_flags(libc::O_NOFOLLOW);
            if last {
                // tshark overwrites the last candidate; only a regular file is overwritten.
                opts.create(true).truncate(true);
            } else {
                opts.create_new(true);
            }
            match opts.open(&path) {
                Ok(f) => {
                    chosen = name;
                    file = Some(f);
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && !last => continue,
                Err(e) => {
                    eprintln!("pcap-export-objects: cannot write \"{}\": {}; the object of frame {} is skipped", path.display(), strerror(&e), origin.frame);
                    chosen = name;
                    failed = true;
                    break;
                }
            }
        }
        if self.next_dup.len() >= 1 << 16 {
            self.next_dup.clear();
        }
        self.next_dup.insert(base, (used + 1).min(MAX_TRIES - 1));
        self.written.push(Written {
            proto: self.proto,
            frame: origin.frame,
            name: chosen,
            host: obj.host.clone(),
            content_type: obj.content_type.clone(),
            src: origin.src.clone(),
            dst: origin.dst.clone(),
            size: 0,
            expected: None,
            gathered: 0,
            capped: false,
            failed,
            sha256: None,
            md5: None,
        });
        (self.written.len() - 1, file, deferred)
    }

    fn fail(&mut self, index: usize, e: &io::Error) {
        let w = &mut self.written[index];
        if !w.failed {
            w.failed = true;
            eprintln!(
                "pcap-export-objects: writing \"{}\" failed: {}; the object of frame {} is incomplete",
                self.dir.join(OsStr::from_bytes(&w.name)).display(),
                strerror(e),
                w.frame
            );
        }
    }

    fn warn_cap(&mut self, index: usize) {
        let w = &self.written[index];
        let msg = format!(
            "pcap-export-objects: warning: the {} object of frame {} (\"{}\") is cut at {} bytes, the per-object cap (raise it with --max-object-size)",
            self.proto.name(),
            w.frame,
            String::from_utf8_lossy(&w.name),
            self.cap
        );
        if !self.warnings.contains(&msg) {
            eprintln!("{}", msg);
            self.warnings.push(msg);
        }
    }

    /// Closes every file and hashes the ones written in pieces (end of the run).
    pub fn finish(&mut self) {
        self.deferred_bytes = 0;
        for (name, (index, data)) in std::mem::take(&mut self.deferred) {
            if let Err(e) = overwrite(&self.dir.join(OsStr::from_bytes(&name)), &data) {
                self.fail(index, &e);
            }
        }
        let pieces: Vec<usize> = self.pieces.values().map(|o| o.index).collect();
        self.pieces.clear();
        self.open_files = 0;
        if !self.write {
            return;
        }
        for index in pieces {
            let w = &self.written[index];
            if w.failed {
                continue;
            }
            let path = self.dir.join(OsStr::from_bytes(&w.name));
            if let Ok((sha, md5)) = file_digests(&path) {
                let w = &mut self.written[index];
                w.sha256 = Some(sha);
                w.md5 = Some(md5);
            }
        }
    }
}

fn digests(data: &[u8]) -> (String, String) {
    use md5::Digest;
    (hex(&sha2::Sha256::digest(data)), hex(&md5::Md5::digest(data)))
}

fn file_digests(path: &Path) -> io::Result<(String, String)> {
    use md5::Digest;
    use std::io::Read;
    let mut f = OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path)?;
    let mut sha = sha2::Sha256::new();
    let mut md5 = md5::Md5::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        md5.update(&buf[..n]);
    }
    Ok((hex(&sha.finalize()), hex(&md5.finalize())))
}

fn hex(b: &[u8]) -> String {
    pcaptk_dissect::hash::hex(b)
}

/// Replaces a regular file's contents (never through a symlink: `O_NOFOLLOW`).
fn overwrite(path: &Path, data: &[u8]) -> io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .and_then(|mut f| f.write_all(data))
}

/// Adds [a, b) to a sorted list of disjoint ranges.
fn merge(ranges: &mut Vec<(u64, u64)>, a: u64, b: u64) {
    if a >= b || ranges.len() > 4096 {
        // Past 4096 separate ranges the count stops (hostile offsets cost no more memory).
        return;
    }
    let mut a = a;
    let mut b = b;
    let mut out = Vec::with_capacity(ranges.len() + 1);
    let mut placed = false;
    for &(x, y) in ranges.iter() {
        if y < a {
            out.push((x, y));
        } else if x > b {
            if !placed {
                out.push((a, b));
                placed = true;
            }
            out.push((x, y));
        } else {
            a = a.min(x);
            b = b.max(y);
        }
    }
    if !placed {
        out.push((a, b));
    }
    *ranges = out;
}

/// The C library's text for an OS error (what tshark prints), without Rust's "(os error N)".
pub fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge() {
        let mut r = Vec::new();
        merge(&mut r, 10, 20);
        merge(&mut r, 0, 5);
        merge(&mut r, 30, 40);
        assert_eq!(r, vec![(0, 5), (10, 20), (30, 40)]);
        merge(&mut r, 5, 10);
        assert_eq!(r, vec![(0, 20), (30, 40)]);
        merge(&mut r, 15, 35);
        assert_eq!(r, vec![(0, 40)]);
    }
}
