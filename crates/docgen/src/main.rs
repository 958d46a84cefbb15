//! `cargo run -p pcaptk-docgen` regenerates man/ and completions/ at the workspace root.
fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let Err(e) = pcaptk_docgen::write_all(&root) {
        eprintln!("pcaptk-docgen: writing man pages and completions failed: {}", e);
        std::process::exit(1);
    }
}
