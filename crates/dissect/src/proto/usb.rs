//! USB link types: FreeBSD's usbpf header (LINKTYPE_USB_FREEBSD, 186), its leading fields.
crate::declare_fields! {
    after = super::lcp::END;
    PROTO = "usb", "USB", Protocol, None;
    TOTLEN = "usb.totlen", "Total length", U32, Dec;
    BUSUNIT = "usb.busunit", "Host controller unit number", U32, Dec;
    ADDRESS = "usb.address", "USB device index", U8, Dec;
    TRANSFER_MODE = "usb.transfer_mode", "Mode of transfer", U8, Dec;
    FREEBSD_TYPE = "usb.freebsd_type", "URB type", U8, Dec;
    FREEBSD_TRANSFER_TYPE = "usb.freebsd_transfer_type", "URB transfer type", U8, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect_freebsd(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "usb", b.span_to(0, b.len()));
    let (Some(tot), Some(unit)) = (b.le32(0), b.le32(4)) else { return };
    cx.u(TOTLEN, tot, b.span(0, 4));
    cx.u(BUSUNIT, unit, b.span(4, 4));
    for (i, f) in [ADDRESS, TRANSFER_MODE, FREEBSD_TYPE, FREEBSD_TRANSFER_TYPE].into_iter().enumerate() {
        let Some(v) = b.u8(8 + i) else { return };
        cx.u(f, v, b.span(8 + i, 1));
    }
}
