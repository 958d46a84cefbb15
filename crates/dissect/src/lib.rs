//! pcaptk-dissect: the dissection core. Protocol dissectors (one file each under `proto/`),
//! the field table they declare, and the per-packet tree they fill.

// The field blocks chain their ids through `after = super::X::END` constants: more
// modules than the default query depth follows.
#![recursion_limit = "512"]

pub mod ber;
pub mod codec;
pub mod cx;
pub mod decode;
pub mod dissector;
pub mod export;
pub mod field;
mod frag;
pub mod hash;
pub mod parallel;
pub mod ports;
pub mod reasm;
pub mod sasl;
pub mod shard;
pub mod state;
pub mod tap;
pub mod proto;
pub mod time;
pub mod tree;
pub mod tz;

pub use cx::FrameMeta;
pub use dissector::Dissector;
pub use field::{lookup, FieldDef, FieldId, FieldType};
pub use tap::Tap;
pub use tree::{Item, Span, Tree, Value, View};
