//! Compiles arbitrary UTF-8 as a display filter: must never panic, and every error must render.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match pcaptk_filter::Filter::compile(text) {
            Ok(f) => {
                let tree = pcaptk_filter::pcaptk_dissect::Tree::default();
                let frame = [0u8; 64];
                let _ = f.matches(&tree.view(&frame));
                let _ = f.fields();
            }
            Err(e) => {
                let _ = e.render(text);
            }
        }
    }
});
