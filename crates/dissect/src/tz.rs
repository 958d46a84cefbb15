//! Local time, as tshark renders `frame.time` (the process's TZ, via the C library).

/// (year, month 1-12, day, hour, minute, second, zone abbreviation) of a Unix time in the local zone.
pub fn local(secs: i64) -> (i64, u32, u32, u32, u32, u32, String) {
    // SAFETY: localtime_r writes into the tm we own; tm_zone points to static storage in libc.
    unsafe {
        let t: libc::time_t = secs as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
            let r = secs.rem_euclid(86_400);
            return (y, m, d, (r / 3600) as u32, (r / 60 % 60) as u32, (r % 60) as u32, "UTC".into());
        }
        let zone = if tm.tm_zone.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(tm.tm_zone).to_string_lossy().into_owned()
        };
        (
            tm.tm_year as i64 + 1900,
            tm.tm_mon as u32 + 1,
            tm.tm_mday as u32,
            tm.tm_hour as u32,
            tm.tm_min as u32,
            tm.tm_sec as u32,
            zone,
        )
    }
}
