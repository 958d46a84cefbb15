//! One module per protocol. Each declares its fields with `declare_fields!` (the first
//! entry being the protocol itself) and, where it dissects something, a `dissect` function.

pub mod frame;
pub mod eth;
pub mod ip;
pub mod tcp;
pub mod udp;

/// Every protocol's field block, in id order (`after =` chains them).
pub static ALL_FIELDS: &[(u16, &[crate::field::FieldDef])] = &[
    (frame::BASE, frame::FIELDS),
    (eth::BASE, eth::FIELDS),
    (ip::BASE, ip::FIELDS),
    (tcp::BASE, tcp::FIELDS),
    (udp::BASE, udp::FIELDS),
];
