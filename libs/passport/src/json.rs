//! JSON as PASSporTs need it: a strict parse that refuses duplicate member names (RFC 7515 §5.2 allows
//! recipients to refuse them; an attacker's second `orig` must not win), and RFC 8225 §9 canonical form
//! (members in lexicographic order, no white space) for issuing and for the strict check.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

const DUPLICATE: &str = "tiwire: duplicate member";

/// Why JSON was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonError {
    /// Not JSON (or a number out of range, or nested deeper than serde_json's limit).
    Syntax,
    /// An object repeats a member name.
    Duplicate,
}

/// Parses `bytes` as JSON, refusing duplicate member names at any depth. The workspace's one strict JSON
/// reader: tiwire-fedlist uses it for X-Matrix request bodies, whose parsed content must be what the
/// homeserver behind the proxy will see.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, JsonError> {
    match serde_json::from_slice::<Strict>(bytes) {
        Ok(Strict(v)) => Ok(v),
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(JsonError::Duplicate),
        Err(_) => Err(JsonError::Syntax),
    }
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut seen = BTreeSet::new();
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(DUPLICATE));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// RFC 8225 §9 canonical JSON: object members sorted by name (code point order), no white space; strings
/// and numbers as serde_json writes them (shortest escapes, integers without exponent). Sorting is done
/// here rather than relying on `serde_json::Map`'s order, which a feature elsewhere in a build can change.
pub(crate) fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_at_any_depth() {
        assert_eq!(parse_strict(br#"{"a":1,"a":2}"#), Err(JsonError::Duplicate));
        assert_eq!(
            parse_strict(br#"{"o":{"uri":"x","uri":"y"}}"#),
            Err(JsonError::Duplicate)
        );
        assert_eq!(
            parse_strict(br#"[{"a":1},{"a":2}]"#).map(|v| v.to_string()),
            Ok(r#"[{"a":1},{"a":2}]"#.into())
        );
        assert_eq!(parse_strict(b"{"), Err(JsonError::Syntax));
        assert_eq!(parse_strict(b"1e400"), Err(JsonError::Syntax));
    }

    #[test]
    fn canonical_form_sorts_and_strips_white_space() {
        let v = parse_strict(br#"{ "z": [1, {"b":true,"a":null}], "a": "\u00e4\n" }"#).unwrap();
        assert_eq!(canonical(&v), "{\"a\":\"ä\\n\",\"z\":[1,{\"a\":null,\"b\":true}]}");
    }
}
