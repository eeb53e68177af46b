//! Serialisers for one object at a time: indented JSON (as `kubectl get -o json` prints it) and
//! block-style YAML (as `kubectl get -o yaml` prints it). Both write into a `Vec<u8>` so that
//! objects can be rendered in parallel and written in order.

use serde_json::{Map, Value};

/// Indented JSON, four spaces per level, starting at `level`. No trailing newline.
pub fn json(out: &mut Vec<u8>, v: &Value, level: usize) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => json_str(out, s),
        Value::Array(a) if a.is_empty() => out.extend_from_slice(b"[]"),
        Value::Array(a) => {
            out.extend_from_slice(b"[\n");
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                indent(out, (level + 1) * 4);
                json(out, x, level + 1);
            }
            out.push(b'\n');
            indent(out, level * 4);
            out.push(b']');
        }
        Value::Object(m) => json_map(out, m, level),
    }
}

/// JSON without whitespace.
pub fn json_compact(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_compact(out, x);
            }
            out.push(b']');
        }
        Value::Object(m) => json_map_compact(out, m),
        scalar => json(out, scalar, 0),
    }
}

/// JSON without whitespace for a map.
pub fn json_map_compact(out: &mut Vec<u8>, m: &Map<String, Value>) {
    out.push(b'{');
    for (i, (k, x)) in m.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(out, k);
        out.push(b':');
        json_compact(out, x);
    }
    out.push(b'}');
}

/// Indented JSON for a map (see `json`).
pub fn json_map(out: &mut Vec<u8>, m: &Map<String, Value>, level: usize) {
    if m.is_empty() {
        out.extend_from_slice(b"{}");
        return;
    }
    out.extend_from_slice(b"{\n");
    for (i, (k, x)) in m.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        indent(out, (level + 1) * 4);
        json_str(out, k);
        out.extend_from_slice(b": ");
        json(out, x, level + 1);
    }
    out.push(b'\n');
    indent(out, level * 4);
    out.push(b'}');
}

fn indent(out: &mut Vec<u8>, n: usize) {
    out.resize(out.len() + n, b' ');
}

/// A JSON string literal (also a valid YAML double-quoted scalar).
pub fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(format!("\\u{:04x}", b).as_bytes());
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A YAML document body: the mapping `m` at indentation `ind`, first line not yet indented
/// when `first_inline` (it follows a `- ` sequence marker).
pub fn yaml_map(out: &mut Vec<u8>, m: &Map<String, Value>, ind: usize, first_inline: bool) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !first_inline {
            indent(out, ind);
        }
        yaml_scalar_str(out, k, ind);
        out.push(b':');
        match v {
            Value::Object(c) if !c.is_empty() => {
                out.push(b'\n');
                yaml_map(out, c, ind + 2, false);
            }
            // kubectl style: sequence items at the same indentation as their key.
            Value::Array(a) if !a.is_empty() => {
                out.push(b'\n');
                yaml_seq(out, a, ind);
            }
            _ => {
                out.push(b' ');
                yaml_leaf(out, v, ind + 2);
                out.push(b'\n');
            }
        }
    }
}

/// Block sequence items at indentation `ind`.
pub fn yaml_seq(out: &mut Vec<u8>, a: &[Value], ind: usize) {
    for v in a {
        indent(out, ind);
        out.extend_from_slice(b"- ");
        match v {
            Value::Object(c) if !c.is_empty() => yaml_map(out, c, ind + 2, true),
            Value::Array(c) if !c.is_empty() => {
                out.truncate(out.len() - 1);
                out.push(b'\n');
                yaml_seq(out, c, ind + 2);
            }
            _ => {
                yaml_leaf(out, v, ind + 2);
                out.push(b'\n');
            }
        }
    }
}

/// Scalars and empty collections.
fn yaml_leaf(out: &mut Vec<u8>, v: &Value, ind: usize) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => yaml_scalar_str(out, s, ind),
        Value::Array(_) => out.extend_from_slice(b"[]"),
        Value::Object(_) => out.extend_from_slice(b"{}"),
    }
}

/// A string scalar: plain when that reads back as the same string, a literal block (`|`) for
/// simple multi-line text, double-quoted otherwise.
fn yaml_scalar_str(out: &mut Vec<u8>, s: &str, ind: usize) {
    if plain_ok(s) {
        out.extend_from_slice(s.as_bytes());
    } else if literal_ok(s) {
        out.extend_from_slice(b"|\n");
        for line in s[..s.len() - 1].split('\n') {
            if !line.is_empty() {
                indent(out, ind);
                out.extend_from_slice(line.as_bytes());
            }
            out.push(b'\n');
        }
        // The caller writes the newline that ends the value.
        out.pop();
    } else {
        json_str(out, s);
    }
}

fn plain_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if !(first.is_ascii_alphanumeric() || first == b'/' || first == b'_' || first == b'.') {
        return false;
    }
    if b.iter().any(|&c| {
        !(c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'_' | b'.' | b'/' | b':' | b'@' | b'=' | b'+' | b' '
            ))
    }) {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ".inf", ".nan",
    ];
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)) {
        return false;
    }
    // Anything that a YAML 1.1 or 1.2 reader might take for a number, date or time.
    let numberish = first.is_ascii_digit() || first == b'.';
    if numberish
        && b.iter().all(|&c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    b'_' | b':'
                        | b'.'
                        | b'-'
                        | b'+'
                        | b'x'
                        | b'o'
                        | b'X'
                        | b'O'
                        | b' '
                        | b'T'
                        | b't'
                        | b'Z'
                        | b'z'
                )
        })
    {
        return false;
    }
    true
}

fn literal_ok(s: &str) -> bool {
    s.len() > 1
        && s.ends_with('\n')
        && !s.ends_with("\n\n")
        && !s.starts_with([' ', '\n'])
        && s.bytes().all(|c| c == b'\n' || (0x20..0x7f).contains(&c))
        && !s.contains(" \n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(v: &Value) -> String {
        let mut out = Vec::new();
        yaml_map(&mut out, v.as_object().unwrap(), 0, false);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn yaml_shapes() {
        let v = json!({
            "a": "x",
            "b": {"c": 1, "d": []},
            "e": [{"f": true, "g": "0.5"}, "true", ""],
            "h": "line1\nline2\n",
            "i": {},
            "j": "1Gi",
            "k": "10.0.0.0/8",
            "l": "2024-01-01",
            "m": "2024-03-01T12:00:00Z",
        });
        assert_eq!(
            y(&v),
            "a: x\nb:\n  c: 1\n  d: []\ne:\n- f: true\n  g: \"0.5\"\n- \"true\"\n- \"\"\nh: |\n  line1\n  line2\ni: {}\nj: 1Gi\nk: 10.0.0.0/8\nl: \"2024-01-01\"\nm: \"2024-03-01T12:00:00Z\"\n"
        );
    }

    #[test]
    fn json_shape() {
        let mut out = Vec::new();
        json(&mut out, &json!({"a": [1, {"b": "q\"\n"}], "c": {}}), 0);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": \"q\\\"\\n\"\n        }\n    ],\n    \"c\": {}\n}"
        );
    }
}

/// Output layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One `kubectl get -o json` style `List`.
    ListJson,
    /// The same `List` without indentation: one item per line.
    ListJsonCompact,
    /// The same `List` as YAML.
    ListYaml,
    /// A directory: one folder per namespace (and `_cluster/`), a few files in each.
    YamlDir,
    /// One multi-document YAML stream.
    YamlStream,
}

/// The rendered objects of one unit: list items (JSON, without the separator before the first)
/// or YAML documents, exactly as they appear in the output.
pub struct Out {
    format: Format,
    sort: bool,
    pub buf: Vec<u8>,
    pub count: usize,
}

impl Out {
    /// `sort`: sort every map's keys first, as kubectl prints live objects.
    pub fn new(format: Format, sort: bool) -> Out {
        Out {
            format,
            sort,
            buf: Vec::with_capacity(16 * 1024),
            count: 0,
        }
    }

    fn begin(&mut self) {
        if matches!(self.format, Format::ListJson | Format::ListJsonCompact) && self.count > 0 {
            self.buf.extend_from_slice(b",\n");
        }
        self.count += 1;
    }

    pub fn push(&mut self, mut v: Value) {
        if self.sort {
            crate::util::sort_keys(&mut v);
        }
        self.begin();
        let m = v.as_object().expect("objects are maps");
        match self.format {
            Format::ListJson => {
                indent(&mut self.buf, 8);
                json(&mut self.buf, &v, 2);
            }
            Format::ListJsonCompact => json_compact(&mut self.buf, &v),
            Format::ListYaml => {
                self.buf.extend_from_slice(b"- ");
                yaml_map(&mut self.buf, m, 2, true);
            }
            Format::YamlDir | Format::YamlStream => {
                self.buf.extend_from_slice(b"---\n");
                yaml_map(&mut self.buf, m, 0, false);
            }
        }
    }

    /// `push`, with each raw map's marker (a string value, at the depth the raw map was
    /// rendered for) replaced by the raw map.
    pub fn push_raw(&mut self, v: Value, raws: &[&Raw]) {
        let start = self.buf.len();
        self.push(v);
        // Markers start with "QQ" right after the pattern's first byte.
        let mut hits: Vec<(usize, &Raw)> = Vec::new();
        let mut i = start + 1;
        while i + 1 < self.buf.len() {
            if self.buf[i] == b'Q' && self.buf[i + 1] == b'Q' {
                if let Some(r) = raws
                    .iter()
                    .find(|r| self.buf[i - 1..].starts_with(&r.pattern))
                {
                    hits.push((i - 1, r));
                    i += r.pattern.len();
                    continue;
                }
            }
            i += 1;
        }
        if hits.is_empty() {
            return;
        }
        let tail = self.buf.split_off(start);
        let mut at = 0;
        for (pos, r) in hits {
            let pos = pos - start;
            self.buf.extend_from_slice(&tail[at..pos]);
            self.buf.extend_from_slice(&r.replacement);
            at = pos + r.pattern.len();
        }
        self.buf.extend_from_slice(&tail[at..]);
    }

    pub fn extend(&mut self, objects: Vec<Value>) {
        for o in objects {
            self.push(o);
        }
    }

    /// An object `{apiVersion, kind, metadata, spec}` whose spec was rendered once, in advance,
    /// for many objects; `values` fill the spec's markers. Byte-identical to `push`ing the
    /// object with the markers replaced (the values must not need quoting or escaping).
    pub fn push_spliced(
        &mut self,
        api: &str,
        kind: &str,
        mut meta: Map<String, Value>,
        spec: &Spliced,
        values: &[&str],
    ) {
        if self.sort {
            meta.sort_keys();
            for v in meta.values_mut() {
                crate::util::sort_keys(v);
            }
        }
        self.begin();
        let b = &mut self.buf;
        match self.format {
            Format::ListJson => {
                indent(b, 8);
                b.extend_from_slice(b"{\n");
                for (k, v) in [("apiVersion", api), ("kind", kind)] {
                    indent(b, 12);
                    json_str(b, k);
                    b.extend_from_slice(b": ");
                    json_str(b, v);
                    b.extend_from_slice(b",\n");
                }
                indent(b, 12);
                b.extend_from_slice(b"\"metadata\": ");
                json_map(b, &meta, 3);
                b.extend_from_slice(b",\n");
                indent(b, 12);
                b.extend_from_slice(b"\"spec\": ");
                spec.write(b, values);
                b.push(b'\n');
                indent(b, 8);
                b.push(b'}');
            }
            Format::ListJsonCompact => {
                b.extend_from_slice(b"{\"apiVersion\":");
                json_str(b, api);
                b.extend_from_slice(b",\"kind\":");
                json_str(b, kind);
                b.extend_from_slice(b",\"metadata\":");
                json_map_compact(b, &meta);
                b.extend_from_slice(b",\"spec\":");
                spec.write(b, values);
                b.push(b'}');
            }
            Format::ListYaml | Format::YamlDir | Format::YamlStream => {
                let ind = if self.format == Format::ListYaml {
                    b.extend_from_slice(b"- ");
                    2
                } else {
                    b.extend_from_slice(b"---\n");
                    0
                };
                b.extend_from_slice(b"apiVersion: ");
                yaml_scalar_str(b, api, ind + 2);
                b.push(b'\n');
                indent(b, ind);
                b.extend_from_slice(b"kind: ");
                yaml_scalar_str(b, kind, ind + 2);
                b.push(b'\n');
                indent(b, ind);
                b.extend_from_slice(b"metadata:\n");
                yaml_map(b, &meta, ind + 2, false);
                indent(b, ind);
                b.extend_from_slice(b"spec:\n");
                spec.write(b, values);
            }
        }
    }
}

/// A map rendered once, to stand in for a marker string wherever it is pushed (pod templates
/// shared by a controller and its ReplicaSets).
pub struct Raw {
    /// The marker as rendered: `"MARK"` in JSON, ` MARK` after the key in YAML.
    pattern: Vec<u8>,
    replacement: Vec<u8>,
}

impl Raw {
    /// `map` rendered as the value of a field `depth` maps below the top of an object.
    pub fn new(format: Format, map: &Map<String, Value>, depth: usize, marker: &str) -> Raw {
        let mut text = Vec::with_capacity(8 * 1024);
        let (pattern, replacement) = match format {
            Format::ListJson => {
                json_map(&mut text, map, 2 + depth);
                (format!("\"{marker}\"").into_bytes(), text)
            }
            Format::ListJsonCompact => {
                json_map_compact(&mut text, map);
                (format!("\"{marker}\"").into_bytes(), text)
            }
            Format::ListYaml | Format::YamlDir | Format::YamlStream => {
                let base = if format == Format::ListYaml { 2 } else { 0 };
                text.push(b'\n');
                yaml_map(&mut text, map, base + 2 * depth, false);
                text.pop();
                (format!(" {marker}").into_bytes(), text)
            }
        };
        Raw {
            pattern,
            replacement,
        }
    }
}

/// A pod spec rendered once for a format, cut at its markers.
pub struct Spliced {
    /// Rendered text between markers (one more than `slots`).
    segments: Vec<Vec<u8>>,
    /// Which value fills each gap.
    slots: Vec<usize>,
}

impl Spliced {
    /// Render `spec` as the `spec` field of an object written by `Out::push_spliced`, and cut
    /// it wherever one of `markers` occurs.
    pub fn new(format: Format, spec: &Map<String, Value>, markers: &[&str]) -> Spliced {
        let mut text = Vec::with_capacity(8 * 1024);
        match format {
            Format::ListJson => json_map(&mut text, spec, 3),
            Format::ListJsonCompact => json_map_compact(&mut text, spec),
            Format::ListYaml => yaml_map(&mut text, spec, 4, false),
            Format::YamlDir | Format::YamlStream => yaml_map(&mut text, spec, 2, false),
        }
        // Markers start with "QQ", which rendered pod specs never contain otherwise.
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i + 1 < text.len() {
            if text[i] == b'Q' && text[i + 1] == b'Q' {
                if let Some(mi) = markers
                    .iter()
                    .position(|m| text[i..].starts_with(m.as_bytes()))
                {
                    hits.push((i, mi));
                    i += markers[mi].len();
                    continue;
                }
            }
            i += 1;
        }
        let mut segments = Vec::with_capacity(hits.len() + 1);
        let mut slots = Vec::with_capacity(hits.len());
        let mut at = 0;
        for (pos, mi) in hits {
            segments.push(text[at..pos].to_vec());
            slots.push(mi);
            at = pos + markers[mi].len();
        }
        segments.push(text[at..].to_vec());
        Spliced { segments, slots }
    }

    fn write(&self, out: &mut Vec<u8>, values: &[&str]) {
        for (i, seg) in self.segments.iter().enumerate() {
            out.extend_from_slice(seg);
            if let Some(&slot) = self.slots.get(i) {
                out.extend_from_slice(values[slot].as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod splice_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_matches_plain_rendering() {
        let inner = json!({"containers": [{"name": "a", "image": "x:1"}], "hostNetwork": true});
        let with = |spec: Value| {
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                   "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "d"}}, "spec": spec}}})
        };
        for format in [
            Format::ListJson,
            Format::ListJsonCompact,
            Format::ListYaml,
            Format::YamlStream,
        ] {
            let mut plain = Out::new(format, false);
            let mut raw = Out::new(format, false);
            let r = Raw::new(format, inner.as_object().unwrap(), 3, "QQTPLQQ");
            for _ in 0..2 {
                plain.push(with(inner.clone()));
                raw.push_raw(with("QQTPLQQ".into()), &[&r]);
            }
            assert_eq!(
                String::from_utf8(plain.buf).unwrap(),
                String::from_utf8(raw.buf).unwrap(),
                "{format:?}"
            );
        }
    }

    #[test]
    fn spliced_matches_plain_rendering() {
        let meta = json!({"name": "web-1", "namespace": "ns", "labels": {"app": "web"}});
        let spec_with = |node: &str, vol: &str| json!({"nodeName": node, "volumes": [{"name": format!("kube-api-access-{vol}")}], "x": {"y": [1, "a b"]}});
        for format in [
            Format::ListJson,
            Format::ListJsonCompact,
            Format::ListYaml,
            Format::YamlStream,
        ] {
            for sort in [false, true] {
                let mut plain = Out::new(format, sort);
                let mut spliced = Out::new(format, sort);
                let mut marked = spec_with("QQNODEQQ", "QQKAAQQ");
                let mut real = spec_with("ip-10-0-1-2.internal", "abcde");
                if sort {
                    crate::util::sort_keys(&mut marked);
                    crate::util::sort_keys(&mut real);
                }
                let sp = Spliced::new(
                    format,
                    marked.as_object().unwrap(),
                    &["QQNODEQQ", "QQKAAQQ"],
                );
                for _ in 0..2 {
                    plain.push(json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta.clone(), "spec": real.clone()}));
                    spliced.push_spliced(
                        "v1",
                        "Pod",
                        meta.as_object().unwrap().clone(),
                        &sp,
                        &["ip-10-0-1-2.internal", "abcde"],
                    );
                }
                assert_eq!(
                    String::from_utf8(plain.buf).unwrap(),
                    String::from_utf8(spliced.buf).unwrap(),
                    "{format:?} sort={sort}"
                );
            }
        }
    }
}
