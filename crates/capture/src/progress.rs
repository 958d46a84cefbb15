//! The progress bar every tool shows on long reads (bytes of the input read so far).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io;
use std::time::{Duration, Instant};

/// A byte-based progress bar on stderr, shown only on a terminal and only once a read has
/// taken more than a second.
pub struct Progress {
    enabled: bool,
    start: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        let live = crate::LIVE_IN_USE.load(std::sync::atomic::Ordering::Relaxed);
        Progress { enabled: enabled && !live && io::IsTerminal::is_terminal(&io::stderr()), start: Instant::now(), bar: None }
    }
    pub fn tick(&mut self, pos: u64, total: Option<u64>) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() {
            if self.start.elapsed() < Duration::from_secs(1) {
                return;
            }
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bar:30} {bytes_per_sec} eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(pos);
        }
    }
    pub fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}
