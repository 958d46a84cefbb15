//! The frame pseudo-protocol: capture metadata.
crate::declare_fields! {
    after = 0;
    PROTO = "frame", "Frame", Protocol, None;
    INTERFACE_ID = "frame.interface_id", "Interface id", U32, Dec;
    COMMENT = "frame.comment", "Comment", String, None;
    ENCAP_TYPE = "frame.encap_type", "Encapsulation type", I16, Dec;
    TIME = "frame.time", "Arrival Time", AbsTime, None;
    OFFSET_SHIFT = "frame.offset_shift", "Time shift for this packet", RelTime, None;
    TIME_EPOCH = "frame.time_epoch", "Epoch Time", RelTime, None;
    TIME_DELTA = "frame.time_delta", "Time delta from previous captured frame", RelTime, None;
    TIME_DELTA_DISPLAYED = "frame.time_delta_displayed", "Time delta from previous displayed frame", RelTime, None;
    TIME_RELATIVE = "frame.time_relative", "Time since reference or first frame", RelTime, None;
    NUMBER = "frame.number", "Frame Number", U32, Dec;
    LEN = "frame.len", "Frame Length", U32, Dec;
    CAP_LEN = "frame.cap_len", "Capture Length", U32, Dec;
    MARKED = "frame.marked", "Frame is marked", Boolean, None;
    IGNORED = "frame.ignored", "Frame is ignored", Boolean, None;
    PROTOCOLS = "frame.protocols", "Protocols in frame", String, None;
}
