//! Ethernet II and IEEE 802.3.
crate::declare_fields! {
    after = super::frame::END;
    PROTO = "eth", "Ethernet", Protocol, None;
    DST = "eth.dst", "Destination", Ether, None;
    DST_RESOLVED = "eth.dst_resolved", "Destination (resolved)", String, None;
    DST_LG = "eth.dst.lg", "LG bit", Boolean, None, mask = 0x020000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    DST_IG = "eth.dst.ig", "IG bit", Boolean, None, mask = 0x010000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    SRC = "eth.src", "Source", Ether, None;
    SRC_RESOLVED = "eth.src_resolved", "Source (resolved)", String, None;
    SRC_LG = "eth.src.lg", "LG bit", Boolean, None, mask = 0x020000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    SRC_IG = "eth.src.ig", "IG bit", Boolean, None, mask = 0x010000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    ADDR = "eth.addr", "Address", Ether, None;
    ADDR_RESOLVED = "eth.addr_resolved", "Address (resolved)", String, None;
    LG = "eth.lg", "LG bit", Boolean, None, mask = 0x020000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    IG = "eth.ig", "IG bit", Boolean, None, mask = 0x010000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    TYPE = "eth.type", "Type", U16, Hex;
    LEN = "eth.len", "Length", U16, Dec;
    PADDING = "eth.padding", "Padding", Bytes, None;
    TRAILER = "eth.trailer", "Trailer", Bytes, None;
}
