//! Prints tshark's stderr text for each filter given on the command line (or `OK`).
fn main() {
    for f in std::env::args().skip(1) {
        match pcaptk_filter::Filter::compile(&f) {
            Ok(_) => println!("=== [{}]\nOK", f),
            Err(e) => print!("=== [{}]\n{}", f, e.render(&f)),
        }
    }
}
