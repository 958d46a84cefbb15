//! Prints what the reader sees in tshark's `-T fields` layout for
//! `-e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len
//!  -e frame.interface_id -e frame.comment`, then the error (if any) on stderr
//! as `tshark: <message>`; exits with tshark's code.
use std::io::Write;

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let mut r = match pcaptk_capture::CaptureReader::open(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tshark: {e}");
            std::process::exit(e.exit_code());
        }
    };
    let mut n = 0u64;
    loop {
        match r.next_packet() {
            Ok(Some(p)) => {
                n += 1;
                let (s, ns) = (p.ts_sec, p.ts_nsec);
                writeln!(
                    out,
                    "{n}\t{}\t{}\t{}\t{}\t{}",
                    if p.has_ts { format!("{s}.{ns:09}") } else { String::new() },
                    p.len,
                    p.data.len(),
                    if p.has_interface_id { p.interface_id.to_string() } else { String::new() },
                    p.comments.join(",")
                )
                .unwrap();
            }
            Ok(None) => break,
            Err(e) => {
                out.flush().unwrap();
                eprintln!("tshark: {e}");
                std::process::exit(e.exit_code());
            }
        }
    }
}
