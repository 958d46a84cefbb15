//! A JSON Schema (draft-07) checker for the subset the project's schemas use: type (one or
//! several), enum, minimum, required, properties, additionalProperties (false or a schema)
//! and items. Shared by the tools' tests with `#[path]`; a keyword outside the subset fails
//! the test that meets it instead of passing silently.

use serde_json::Value;

pub fn type_ok(v: &Value, t: &str) -> bool {
    match t {
        "array" => v.is_array(),
        "object" => v.is_object(),
        "string" => v.is_string(),
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_u64() || v.is_i64(),
        "number" => v.is_number(),
        _ => panic!("schema type {t} not handled by this checker"),
    }
}

/// Validates `v` against `schema`, collecting errors with their JSON paths.
pub fn validate(v: &Value, schema: &Value, path: &str, errors: &mut Vec<String>) {
    const KNOWN: [&str; 12] =
        ["$schema", "$id", "title", "description", "definitions", "type", "enum", "minimum", "required", "properties", "additionalProperties", "items"];
    for k in schema.as_object().into_iter().flatten().map(|(k, _)| k) {
        assert!(KNOWN.contains(&k.as_str()), "schema keyword {k} at {path} is not handled by this checker");
    }
    if let Some(t) = schema.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(v, t),
            Value::Array(ts) => ts.iter().any(|t| type_ok(v, t.as_str().unwrap())),
            _ => panic!("bad type in schema"),
        };
        if !ok {
            errors.push(format!("{path}: {v} is not of type {t}"));
            return;
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(v) {
            errors.push(format!("{path}: {v} is not one of {allowed:?}"));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        if v.as_f64().is_some_and(|x| x < min) {
            errors.push(format!("{path}: {v} is below {min}"));
        }
    }
    if let Value::Object(o) = v {
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !o.contains_key(r.as_str().unwrap()) {
                errors.push(format!("{path}: missing {r}"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in o {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(val, s, &format!("{path}.{k}"), errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{path}: unexpected property {k}")),
                    Some(s @ Value::Object(_)) => validate(val, s, &format!("{path}.{k}"), errors),
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (v, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(item, s, &format!("{path}[{i}]"), errors);
        }
    }
}
