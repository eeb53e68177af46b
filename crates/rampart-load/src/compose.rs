//! The fast path of the YAML loader: a [`Node`] tree built straight from the
//! event stream of granit-parser (the parser under serde-saphyr), without the
//! serde layer in between.
//!
//! It reads exactly what [`crate::yaml::parse_document_reference`] reads, or
//! declines. It handles the shape of nearly every Kubernetes manifest: block
//! and flow mappings and sequences with string keys, quoted and block
//! scalars, and plain scalars typed the way serde-saphyr types them
//! (`null`, YAML 1.1 booleans, integers). Anything else makes it return
//! `None`, and the caller parses the document with serde-saphyr instead:
//! anchors and aliases, `<<` merge keys, tags, directives, complex keys, any
//! syntax error (so error messages stay serde-saphyr's), a document whose
//! root is a scalar or empty, and documents beyond the budgets. Plain scalars
//! that might be numbers other than small decimal integers (`0.5`, `0644`,
//! `1e3`, `0x1F`, `.inf`) are typed by serde-saphyr itself, one scalar at a
//! time, so the typing rules live in one place.
//!
//! `tests/yaml_equivalence.rs` checks both paths give the same trees, lines
//! and problems on every document of the corpus, the examples and the
//! fixtures, and on generated tricky scalars.

use rampart_model::{Node, Text, Value};
use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle, Span};

/// Containers nested deeper than this go to serde-saphyr, whose depth budget
/// (128) then decides.
const MAX_DEPTH: usize = 100;

/// Build the tree of one document, or `None` to fall back to serde-saphyr.
/// The root's line and every line inside are relative to `text`.
pub(crate) fn compose(text: &str) -> Option<Node> {
    // serde-saphyr's parser options for our budgets: the defaults (the
    // depth limit, 128, is below the parser's own), without comments.
    let mut options = granit_parser::Options::default();
    options.emit_comments = false;
    let mut c = Composer {
        parser: Parser::new_from_str_with_options(text, options),
        nodes: 0,
        max_nodes: 250_000usize.max(text.len() / 2),
        items: Vec::new(),
        entries: Vec::new(),
    };
    if !matches!(c.next()?.0, Event::StreamStart) {
        return None;
    }
    if !matches!(c.next()?.0, Event::DocumentStart(_, None)) {
        return None;
    }
    let (event, span) = c.next()?;
    if !matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
        return None;
    }
    let line = line_of(&span);
    let value = c.node(event, 0)?;
    if !matches!(c.next()?.0, Event::DocumentEnd) || !matches!(c.next()?.0, Event::StreamEnd) {
        return None;
    }
    Some(Node::new(line, value))
}

struct Composer<'a> {
    parser: Parser<'a, granit_parser::StrInput<'a>>,
    nodes: usize,
    max_nodes: usize,
    /// Children of the open sequences and mappings, innermost last: each
    /// container is moved out at its end into a vector of exactly its size.
    items: Vec<Node>,
    entries: Vec<(Text, Node)>,
}

impl<'a> Composer<'a> {
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        self.parser.next_event()?.ok()
    }

    fn node(&mut self, event: Event<'a>, depth: usize) -> Option<Value> {
        self.nodes += 1;
        if self.nodes > self.max_nodes || depth > MAX_DEPTH {
            return None;
        }
        match event {
            Event::Scalar(text, style, 0, None) => scalar(&text, style),
            Event::SequenceStart(_, 0, None) => {
                let start = self.items.len();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    let line = line_of(&span);
                    let item = Node::new(line, self.node(event, depth + 1)?);
                    self.items.push(item);
                }
                Some(Value::Seq(self.items.drain(start..).collect()))
            }
            Event::MappingStart(_, 0, None) => {
                let start = self.entries.len();
                loop {
                    let (event, span) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => break,
                        Event::Scalar(text, style, 0, None) => key(&text, style)?,
                        _ => return None,
                    };
                    // `<<` merges; serde-saphyr expands it.
                    if key == "<<" {
                        return None;
                    }
                    self.nodes += 1;
                    let (event, _) = self.next()?;
                    let value = self.node(event, depth + 1)?;
                    self.entries.push((key, Node::new(line_of(&span), value)));
                }
                Some(Value::Map(self.entries.drain(start..).collect()))
            }
            _ => None,
        }
    }
}

fn line_of(span: &Span) -> u32 {
    u32::try_from(span.start.line()).unwrap_or(u32::MAX)
}

/// A scalar value, typed as serde-saphyr types it for an untyped target.
fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(Text::from(text)));
    }
    match plain(text)? {
        Plain::Null => Some(Value::Null),
        Plain::Bool(b) => Some(Value::Bool(b)),
        Plain::Int(i) => Some(Value::Int(i)),
        Plain::Str => Some(Value::Str(Text::from(text))),
        Plain::Other => crate::yaml::resolve_plain_scalar(text),
    }
}

/// A mapping key, as text (the way the reference loader turns scalar keys
/// into JSON object keys).
fn key(text: &str, style: ScalarStyle) -> Option<Text> {
    if style != ScalarStyle::Plain {
        return Some(Text::from(text));
    }
    match plain(text)? {
        Plain::Null => Some(Text::const_new("null")),
        Plain::Bool(true) => Some(Text::const_new("true")),
        Plain::Bool(false) => Some(Text::const_new("false")),
        // A small decimal integer prints back as written.
        Plain::Int(_) | Plain::Str => Some(Text::from(text)),
        Plain::Other => crate::yaml::resolve_plain_key(text),
    }
}

enum Plain {
    Null,
    Bool(bool),
    Int(i64),
    Str,
    /// Might be a number of another form: typed by serde-saphyr.
    Other,
}

/// Classify a plain scalar. `None` when its text would not read back as the
/// same plain scalar on its own (only possible for odd numeric-looking text),
/// which sends the whole document to serde-saphyr.
fn plain(text: &str) -> Option<Plain> {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Plain::Null);
    }
    let bytes = text.as_bytes();
    if !matches!(bytes[0], b'0'..=b'9' | b'+' | b'-' | b'.') {
        // Neither an integer nor a float can start otherwise; only the
        // YAML 1.1 booleans remain.
        return Some(match yaml11_bool(text) {
            Some(b) => Plain::Bool(b),
            None => Plain::Str,
        });
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.as_bytes()),
        None => (false, bytes),
    };
    if (1..=18).contains(&digits.len())
        && digits.iter().all(u8::is_ascii_digit)
        && (digits[0] != b'0' || (digits.len() == 1 && !negative))
    {
        let magnitude = digits
            .iter()
            .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
        return Some(Plain::Int(if negative { -magnitude } else { magnitude }));
    }
    // Text that a standalone document would read as something other than
    // this plain scalar: a sequence entry or a document marker.
    let dash_entry = bytes[0] == b'-' && bytes.get(1).is_none_or(|b| b.is_ascii_whitespace());
    if dash_entry || text.starts_with("---") || text.starts_with("...") || text.contains('\n') {
        return None;
    }
    Some(Plain::Other)
}

/// YAML 1.1 booleans, as Kubernetes' go-yaml v2 reads them.
fn yaml11_bool(text: &str) -> Option<bool> {
    if text.len() > 5 {
        return None;
    }
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if is("true") || is("yes") || is("y") || is("on") {
        Some(true)
    } else if is("false") || is("no") || is("n") || is("off") {
        Some(false)
    } else {
        None
    }
}
