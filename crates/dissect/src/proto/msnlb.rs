//! Microsoft Network Load Balancing heartbeats (ethertype 0x886f): the common fields.
crate::declare_fields! {
    after = super::ethloop::END;
    PROTO = "msnlb", "MS Network Load Balancing", Protocol, None;
    SIGNATURE = "msnlb.signature", "Signature", U32, Hex;
    UNIQUE_HOST_ID = "msnlb.unique_host_id", "Unique Host ID", U32, Dec;
    CLUSTER_IP = "msnlb.cluster_ip", "Cluster IP", Ipv4, None;
    HOST_IP = "msnlb.host_ip", "Host IP", Ipv4, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "msnlb", b.span_to(off, b.len()));
    let Some(sig) = b.le32(off) else { return };
    cx.u(SIGNATURE, sig, b.span(off, 4));
    let Some(id) = b.le32(off + 8) else { return };
    cx.u(UNIQUE_HOST_ID, id, b.span(off + 8, 4));
    let (Some(c), Some(h)) = (b.arr::<4>(off + 12), b.arr::<4>(off + 16)) else { return };
    cx.add(CLUSTER_IP, Value::Ipv4(c), b.span(off + 12, 4));
    cx.add(HOST_IP, Value::Ipv4(h), b.span(off + 16, 4));
}
