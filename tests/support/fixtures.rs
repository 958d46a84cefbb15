//! The fixture harness every tool's `tests/fixtures.rs` includes: each line
//! `name<TAB>capture<TAB>arguments` of the tool's cases file is run as
//!
//! ```text
//! TOOL -n -r tests/fixtures/CAPTURE ARGUMENTS...
//! ```
//!
//! from the workspace root with `TZ=UTC`, and its standard output, standard
//! error and exit status are compared with `EXPECTED/NAME.out`, `NAME.err` and
//! `NAME.rc`, which the tool's make-expected.sh wrote by running tshark the same
//! way. ARGUMENTS is shell-quoted text, split like Python's `shlex.split` (POSIX
//! mode), which is what make-expected.sh uses.
//!
//! Standard error is compared after dropping tshark's "Running as user
//! \"root\"..." line and reading a leading `TOOL: ` as `tshark: `.
//!
//! All cases are run; the test fails once at the end, listing every failing
//! case with a short diff. `FIXTURE_CASES=substr1,substr2` runs only the cases
//! whose name contains one of the substrings.
//!
//! The including file defines `TOOL`, `BIN` (its `CARGO_BIN_EXE_…`), `CASES`,
//! `EXPECTED` and `REGEN` (paths from the workspace root).

use super::{BIN, CASES, EXPECTED, REGEN, TOOL};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The warning tshark prints when run as root; make-expected.sh drops it from
/// the expected standard error, so it is dropped from ours too.
const ROOT_WARNING: &str = "Running as user \"root\" and group \"root\". This could be dangerous.";
const THEIR_PREFIX: &str = "tshark: ";
/// Per-case limit: the fixtures are tiny, anything slower is a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);
/// Lines of context shown around the first difference.
const DIFF_CONTEXT: usize = 2;

struct Case {
    line: usize,
    name: String,
    capture: String,
    args_text: String,
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// `None` if killed by a signal or by the timeout.
    code: Option<i32>,
    timed_out: bool,
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .join("../..")
        .canonicalize()
        .expect("workspace root (the crate's ../..)")
}

/// POSIX shell-like splitting, as Python's `shlex.split(s)`:
/// whitespace separates words; '...' is literal; inside "..." a backslash
/// escapes only `"` and `\`; outside quotes a backslash escapes any character.
fn shell_split(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err(format!("no closing single quote in: {s}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&n @ ('"' | '\\')) => {
                                cur.push(n);
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(x) => cur.push(x),
                        None => return Err(format!("no closing double quote in: {s}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(x) => cur.push(x),
                    None => return Err(format!("no escaped character at the end of: {s}")),
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

fn read_cases(root: &Path) -> Vec<Case> {
    let path = root.join(CASES);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(name), Some(capture)) = (parts.next(), parts.next()) else {
            panic!("{}:{}: expected name<TAB>capture<TAB>arguments", path.display(), i + 1);
        };
        cases.push(Case {
            line: i + 1,
            name: name.to_string(),
            capture: capture.to_string(),
            args_text: parts.next().unwrap_or("").to_string(),
        });
    }
    assert!(!cases.is_empty(), "no cases in {}", path.display());
    cases
}

fn run(bin: &str, root: &Path, args: &[String]) -> std::io::Result<Outcome> {
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(root)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + CASE_TIMEOUT;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(Outcome {
        stdout: out_thread.join().unwrap_or_default(),
        stderr: err_thread.join().unwrap_or_default(),
        code: if timed_out { None } else { status.code() },
        timed_out,
    })
}

/// Our stderr as it is compared: without tshark's root warning, and with our
/// program-name prefix at the start of a line read as tshark's.
fn normalize_stderr(stderr: &[u8]) -> Vec<u8> {
    // tshark starts its error lines with `tshark: `; we may name ourselves instead. A line
    // of ours starting with `TOOL: ` is compared as if it started with `tshark: ` (the rest
    // of the line must match byte for byte).
    let our_prefix = format!("{TOOL}: ");
    let mut out = Vec::with_capacity(stderr.len());
    for line in stderr.split_inclusive(|&b| b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        if body == ROOT_WARNING.as_bytes() {
            continue;
        }
        match line.strip_prefix(our_prefix.as_bytes()) {
            Some(rest) => {
                out.extend_from_slice(THEIR_PREFIX.as_bytes());
                out.extend_from_slice(rest);
            }
            None => out.extend_from_slice(line),
        }
    }
    out
}

fn shorten(s: &str) -> String {
    const MAX: usize = 160;
    let s = s.escape_debug().to_string();
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// A short description of how `actual` differs from `expected`: the first
/// differing line with a little context, and the line counts.
fn short_diff(what: &str, expected: &[u8], actual: &[u8]) -> String {
    let exp = String::from_utf8_lossy(expected);
    let act = String::from_utf8_lossy(actual);
    let e: Vec<&str> = exp.split_inclusive('\n').collect();
    let a: Vec<&str> = act.split_inclusive('\n').collect();
    let first = e
        .iter()
        .zip(a.iter())
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let mut s = format!(
        "    {what} differs at line {} (expected {} lines / {} bytes, got {} lines / {} bytes)\n",
        first + 1,
        e.len(),
        expected.len(),
        a.len(),
        actual.len()
    );
    let from = first.saturating_sub(DIFF_CONTEXT);
    for i in from..first {
        let _ = writeln!(s, "       {:>5}  {}", i + 1, shorten(e[i]));
    }
    let end = first + 1 + DIFF_CONTEXT;
    for i in first..end.min(e.len()) {
        let _ = writeln!(s, "     - {:>5}  {}", i + 1, shorten(e[i]));
    }
    for i in first..end.min(a.len()) {
        let _ = writeln!(s, "     + {:>5}  {}", i + 1, shorten(a[i]));
    }
    s
}

fn check_case(bin: &str, root: &Path, case: &Case) -> Result<(), String> {
    let expected_dir = root.join(EXPECTED);
    let read = |ext: &str| -> Result<Vec<u8>, String> {
        let p = expected_dir.join(format!("{}.{ext}", case.name));
        std::fs::read(&p).map_err(|e| {
            format!("    cannot read {}: {e} (run {REGEN})\n", p.display())
        })
    };
    let exp_out = read("out")?;
    let exp_err = read("err")?;
    let exp_rc_text = read("rc")?;
    let exp_rc: i32 = String::from_utf8_lossy(&exp_rc_text)
        .trim()
        .parse()
        .map_err(|e| format!("    bad {}.rc: {e}\n", case.name))?;

    let extra = shell_split(&case.args_text).map_err(|e| format!("    cases.tsv:{}: {e}\n", case.line))?;
    let mut args = vec![
        "-n".to_string(),
        "-r".to_string(),
        format!("tests/fixtures/{}", case.capture),
    ];
    args.extend(extra);

    let got = run(bin, root, &args).map_err(|e| format!("    cannot run {bin}: {e}\n"))?;
    let got_err = normalize_stderr(&got.stderr);

    let mut report = String::new();
    if got.timed_out {
        let _ = writeln!(report, "    timed out after {}s", CASE_TIMEOUT.as_secs());
    } else if got.code != Some(exp_rc) {
        let _ = writeln!(
            report,
            "    exit status: expected {exp_rc}, got {}",
            got.code.map_or("a signal".to_string(), |c| c.to_string())
        );
    }
    if got.stdout != exp_out {
        report.push_str(&short_diff("stdout", &exp_out, &got.stdout));
    }
    if got_err != exp_err {
        report.push_str(&short_diff("stderr", &exp_err, &got_err));
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

#[test]
fn fixtures_match_tshark() {
    let bin = BIN;
    let root = workspace_root();
    let only: Vec<String> = std::env::var("FIXTURE_CASES")
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();

    let cases = read_cases(&root);
    let mut ran = 0;
    let mut failures = Vec::new();
    for case in &cases {
        if !only.is_empty() && !only.iter().any(|o| case.name.contains(o.as_str())) {
            continue;
        }
        ran += 1;
        if let Err(report) = check_case(bin, &root, case) {
            failures.push(format!(
                "{} (cases.tsv:{}): {TOOL} -n -r tests/fixtures/{} {}\n{report}",
                case.name, case.line, case.capture, case.args_text
            ));
        }
    }
    assert!(ran > 0, "FIXTURE_CASES={only:?} matched no case");
    assert!(
        failures.is_empty(),
        "{} of {ran} fixture cases differ from tshark:\n\n{}\nfailing: {}",
        failures.len(),
        failures.join("\n"),
        failures
            .iter()
            .map(|f| f.split(' ').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ")
    );
}

#[test]
fn shell_split_matches_shlex() {
    let cases: &[(&str, &[&str])] = &[
        ("-T fields -e frame.number", &["-T", "fields", "-e", "frame.number"]),
        ("-Y 'tcp.port == 8000'", &["-Y", "tcp.port == 8000"]),
        ("-Y ''", &["-Y", ""]),
        ("-E separator=';' -E x=\"a\\\"b\\n\"", &["-E", "separator=;", "-E", "x=a\"b\\n"]),
        ("a\\ b  c", &["a b", "c"]),
        ("-Y '!(arp or icmp)'", &["-Y", "!(arp or icmp)"]),
    ];
    for (text, want) in cases {
        assert_eq!(shell_split(text).unwrap(), *want, "splitting {text:?}");
    }
    assert!(shell_split("'open").is_err());
}

#[test]
fn stderr_normalization() {
    let ours = format!("{ROOT_WARNING}\n{TOOL}: \"x\" is bad.\n  {TOOL}: kept\nTShark: kept\n");
    assert_eq!(
        String::from_utf8(normalize_stderr(ours.as_bytes())).unwrap(),
        format!("tshark: \"x\" is bad.\n  {TOOL}: kept\nTShark: kept\n")
    );
    assert_eq!(normalize_stderr(b"no newline"), b"no newline");
}
