//! The field table against tshark's own glossary (`tshark -G fields`): every field we
//! declare must exist in tshark 4.0 with the same type and display base, so `-e` output
//! and filter semantics follow the same rules. Skipped when tshark is not installed.

use pcaptk_dissect::field::{self, Base, FieldType};
use std::collections::HashMap;
use std::process::Command;

fn tshark_glossary() -> Option<HashMap<String, (String, String, String)>> {
    let out = Command::new("tshark").args(["-G", "fields"]).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut map = HashMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.first() {
            Some(&"P") if f.len() >= 3 => {
                map.insert(f[2].to_string(), ("FT_PROTOCOL".into(), String::new(), String::new()));
            }
            Some(&"F") if f.len() >= 7 => {
                map.insert(f[2].to_string(), (f[3].to_string(), f[5].to_string(), f[6].to_string()));
            }
            _ => {}
        }
    }
    Some(map)
}

#[test]
fn ids_are_dense_and_names_unique() {
    let t = field::table();
    assert!(t.defs.len() > 100);
    assert_eq!(t.by_name.len(), t.defs.len(), "duplicate abbreviation in the field table");
    for (i, d) in t.defs.iter().enumerate() {
        assert_eq!(field::lookup(d.abbrev).map(|f| f.index()), Some(i));
    }
}

#[test]
fn every_field_matches_tshark() {
    let Some(ws) = tshark_glossary() else {
        eprintln!("tshark not installed: skipped");
        return;
    };
    let mut bad = Vec::new();
    for d in &field::table().defs {
        // Our own fields (JA3/JA4) are named under `pcaptk.`, which Wireshark does not use.
        if d.abbrev.starts_with("pcaptk.") {
            assert!(!ws.contains_key(d.abbrev), "{} collides with a Wireshark field", d.abbrev);
            continue;
        }
        let Some((ft, base, _mask)) = ws.get(d.abbrev) else {
            bad.push(format!("{}: unknown to tshark", d.abbrev));
            continue;
        };
        let ours = d.ftype.ft_name();
        // tshark prints FT_UINT16 port fields with BASE_PT_TCP/UDP and uses BASE_CUSTOM for a few
        // computed values; both render as decimal.
        // FT_STRINGZ (IMAP's strings) renders and filters as FT_STRING, which the table uses.
        if ours != ft && !(ours == "FT_STRING" && ft == "FT_STRINGZ") {
            bad.push(format!("{}: type {} but tshark has {}", d.abbrev, ours, ft));
            continue;
        }
        let int = d.ftype.is_unsigned() && d.ftype != FieldType::FrameNum || d.ftype.is_signed();
        if int {
            let theirs_hex = base.starts_with("BASE_HEX") || base == "BASE_OUI";
            let ours_hex = matches!(d.base, Base::Hex | Base::HexDec);
            if theirs_hex != ours_hex {
                bad.push(format!("{}: base {} but tshark has {}", d.abbrev, d.base.name(), base));
            }
        }
    }
    assert!(bad.is_empty(), "field table disagrees with tshark:\n{}", bad.join("\n"));
}
