//! The committed man pages and completions must be what the clap definitions generate.
#[test]
fn man_pages_and_completions_are_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (rel, data) in pcaptk_docgen::render_all() {
        match std::fs::read(root.join(&rel)) {
            Ok(on_disk) if on_disk == data => {}
            _ => stale.push(rel),
        }
    }
    assert!(stale.is_empty(), "stale generated files (run `cargo run -p pcaptk-docgen`): {:?}", stale);
}
