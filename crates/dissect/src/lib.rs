//! pcaptk-dissect: the dissection core. Protocol dissectors (one file each under `proto/`),
//! the field table they declare, and the per-packet tree they fill.

pub mod field;
pub mod proto;
pub mod time;
pub mod tree;
mod tz;

pub use field::{lookup, FieldDef, FieldId, FieldType};
pub use tree::{Item, Span, Tree, Value, View};
