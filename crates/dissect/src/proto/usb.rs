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
    if let Some(need) = freebsd_overrun(b) {
        cx.bounds_error(need, b.reported);
    }
    let (Some(tot), Some(unit)) = (b.le32(0), b.le32(4)) else { return };
    cx.u(TOTLEN, tot, b.span(0, 4));
    cx.u(BUSUNIT, unit, b.span(4, 4));
    for (i, f) in [ADDRESS, TRANSFER_MODE, FREEBSD_TYPE, FREEBSD_TRANSFER_TYPE].into_iter().enumerate() {
        let Some(v) = b.u8(8 + i) else { return };
        cx.u(f, v, b.span(8 + i, 1));
    }
}

/// Where tshark's reading of a usbpf header runs past the captured bytes, if it does: the
/// header's fields (up to the speed byte), then, after the 128-byte header, the 8-byte
/// header of each of the frames it counts (each followed by its data when flagged).
fn freebsd_overrun(b: Bytes) -> Option<usize> {
    const FIELD_ENDS: [usize; 15] = [4, 8, 9, 10, 11, 12, 16, 20, 24, 28, 32, 36, 40, 44, 45];
    if let Some(&e) = FIELD_ENDS.iter().find(|&&e| e > b.len()) {
        return Some(e);
    }
    let nframes = b.le32(28)?;
    let mut off = 128usize;
    for _ in 0..nframes {
        let (Some(len), Some(flags)) = (b.le32(off), b.le32(off + 4)) else { return Some(off + 8) };
        off += 8;
        if flags & 1 != 0 {
            off = off.saturating_add((len as usize + 3) & !3);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::cx::Bytes;
    use crate::tree::Buf;

    #[test]
    fn freebsd_header_cut() {
        let h = [0u8; 29];
        assert_eq!(super::freebsd_overrun(Bytes::new(&h[..18], Buf::Frame)), Some(20));
        assert_eq!(super::freebsd_overrun(Bytes::new(&h, Buf::Frame)), Some(32));
        // The whole header, no frames.
        let h = [0u8; 128];
        assert_eq!(super::freebsd_overrun(Bytes::new(&h, Buf::Frame)), None);
        // One frame counted, its header missing.
        let mut h = [0u8; 128];
        h[28] = 1;
        assert_eq!(super::freebsd_overrun(Bytes::new(&h, Buf::Frame)), Some(136));
    }
}
