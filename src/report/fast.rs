//! A strict reader for the TOML subset `toml::to_string` writes for a `QuizRecord`: one statement a
//! line, bare keys, `[table]` / `[[array]]` headers, single-line basic and literal strings, decimal
//! integers and floats, single-line arrays of strings. It returns `None` on anything else —
//! comments, other value types, unknown or missing fields, duplicate keys or tables — and the caller
//! then asks the `toml` crate, so a file it accepts is one `toml::from_str::<QuizRecord>` accepts, with
//! the same values.
use super::{Answered, FxBuild, QuestionIndex, Summary, parse_verdict};
use crate::grading::Verdict;
use std::collections::HashMap;

/// Results files are a few KiB; anything far bigger is left to the toml crate.
const MAX_BYTES: usize = 512 * 1024;

/// A string value still in its quotes: `raw` is the text between them.
#[derive(Clone, Copy)]
struct Str<'a> {
    raw: &'a str,
    /// A basic string with escapes (decode before use).
    escaped: bool,
}

impl Str<'_> {
    fn decode(self) -> String {
        if !self.escaped {
            return self.raw.to_string();
        }
        let mut out = String::with_capacity(self.raw.len());
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            // Escapes were checked while scanning.
            match chars.next() {
                Some('b') => out.push('\u{8}'),
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('f') => out.push('\u{c}'),
                Some('r') => out.push('\r'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some(u @ ('u' | 'U')) => {
                    let n = if u == 'u' { 4 } else { 8 };
                    let hex: String = chars.by_ref().take(n).collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

enum Value<'a> {
    Str(Str<'a>),
    /// A non-negative decimal integer.
    Int(u64),
    Float(f64),
    /// The text between the brackets of a single-line array of strings, already checked.
    Strings(&'a str),
}

/// The first `\n`, eight bytes at a time (a profile showed the plain byte loop).
pub(super) fn find_newline(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().ok()?) ^ (ONES * u64::from(b'\n'));
        // A zero byte in `w` is a newline in the chunk.
        if w.wrapping_sub(ONES) & !w & HIGHS != 0 {
            break;
        }
        i += 8;
    }
    b[i..].iter().position(|&c| c == b'\n').map(|p| p + i)
}

fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Characters TOML forbids raw inside strings (tab is allowed).
fn is_forbidden_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// A string at the start of `s` (which begins with a quote): it and the rest after it.
fn string(s: &str) -> Option<(Str<'_>, &str)> {
    let b = s.as_bytes();
    match b.first()? {
        b'\'' => {
            if s.starts_with("'''") {
                return None;
            }
            let end = 1 + b[1..].iter().position(|&c| c == b'\'')?;
            if b[1..end].iter().any(|&c| is_forbidden_control(c)) {
                return None;
            }
            Some((
                Str {
                    raw: &s[1..end],
                    escaped: false,
                },
                &s[end + 1..],
            ))
        }
        b'"' => {
            if s.starts_with("\"\"\"") {
                return None;
            }
            let mut i = 1;
            let mut escaped = false;
            loop {
                match *b.get(i)? {
                    b'"' => break,
                    b'\\' => {
                        escaped = true;
                        match *b.get(i + 1)? {
                            b'b' | b't' | b'n' | b'f' | b'r' | b'"' | b'\\' => i += 2,
                            u @ (b'u' | b'U') => {
                                let n = if u == b'u' { 4 } else { 8 };
                                let hex = b.get(i + 2..i + 2 + n)?;
                                if !hex.iter().all(u8::is_ascii_hexdigit) {
                                    return None;
                                }
                                let v =
                                    u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                                char::from_u32(v)?;
                                i += 2 + n;
                            }
                            _ => return None,
                        }
                    }
                    c if is_forbidden_control(c) => return None,
                    _ => i += 1,
                }
            }
            Some((
                Str {
                    raw: &s[1..i],
                    escaped,
                },
                &s[i + 1..],
            ))
        }
        _ => None,
    }
}

fn trim_ws(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

/// Check a single-line array of strings at the start of `s` (which begins with `[`).
fn strings_array(s: &str) -> Option<(&str, &str)> {
    let mut rest = trim_ws(&s[1..]);
    let start = s.len() - s[1..].len();
    loop {
        if let Some(after) = rest.strip_prefix(']') {
            let inner = &s[start..s.len() - rest.len()];
            return Some((inner, after));
        }
        let (_, after) = string(rest)?;
        rest = trim_ws(after);
        if let Some(after) = rest.strip_prefix(',') {
            rest = trim_ws(after);
        } else if !rest.starts_with(']') {
            return None;
        }
    }
}

/// The strings of an array checked by `strings_array`.
fn each_string<'a>(inner: &'a str, mut f: impl FnMut(Str<'a>)) {
    let mut rest = trim_ws(inner);
    while let Some((s, after)) = string(rest) {
        f(s);
        rest = trim_ws(trim_ws(after).strip_prefix(',').unwrap_or(after));
    }
}

/// A decimal integer or float token.
fn number(tok: &str) -> Option<Value<'_>> {
    let b = tok.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let neg = b.first() == Some(&b'-');
    let mut i = usize::from(neg);
    let int = digits(i);
    // No leading zeros, no empty integer part.
    if int == 0 || (int > 1 && b[i] == b'0') {
        return None;
    }
    i += int;
    let mut float = false;
    if b.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        if frac == 0 {
            return None;
        }
        i += 1 + frac;
        float = true;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(i);
        if exp == 0 {
            return None;
        }
        i += exp;
        float = true;
    }
    if i != b.len() {
        return None;
    }
    if float {
        // Overflow to infinity is left to the toml crate.
        tok.parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .map(Value::Float)
    } else if neg {
        None
    } else {
        tok.parse().ok().map(Value::Int)
    }
}

/// The value after `key =`, which must end the line.
fn value(s: &str) -> Option<Value<'_>> {
    let (v, rest) = match s.as_bytes().first()? {
        b'"' | b'\'' => {
            let (st, rest) = string(s)?;
            (Value::Str(st), rest)
        }
        b'[' => {
            let (inner, rest) = strings_array(s)?;
            (Value::Strings(inner), rest)
        }
        _ => {
            let end = s.find([' ', '\t']).unwrap_or(s.len());
            (number(&s[..end])?, &s[end..])
        }
    };
    trim_ws(rest).is_empty().then_some(v)
}

/// Bare-key segments of a header, dot-separated, no spaces.
fn header_path(inner: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = inner.split('.').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(is_bare))
        .then_some(parts)
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Root,
    Hints,
    Task,
    Question,
    Answers(usize),
}

/// Nodes of the [answers] tree: only what is needed to refuse what TOML refuses.
enum Node {
    Table(usize),
    Leaf,
}

struct Question {
    seen: u8,
    id: Option<usize>,
    points: f64,
    max: f64,
    verdict: Verdict,
    chosen: Vec<String>,
}

impl Default for Question {
    fn default() -> Self {
        Question {
            seen: 0,
            id: None,
            points: 0.0,
            max: 0.0,
            verdict: Verdict::Unanswered,
            chosen: Vec::new(),
        }
    }
}

// Field bits.
const Q_ID: u8 = 1;
const Q_POINTS: u8 = 2;
const Q_MAX: u8 = 4;
const Q_VERDICT: u8 = 8;
const Q_CHOSEN: u8 = 16;
const Q_MISC: u8 = 32;
const Q_REQUIRED: u8 = Q_ID | Q_POINTS | Q_MAX | Q_VERDICT | Q_CHOSEN;
const T_ID: u8 = 1;
const T_POINTS: u8 = 2;
const T_MAX: u8 = 4;
const T_PENALTY: u8 = 8;
const T_REQUIRED: u8 = T_ID | T_POINTS | T_MAX | T_PENALTY;

const ROOT_KEYS: [&str; 18] = [
    "format_version",
    "kind",
    "name",
    "puzzle",
    "content_hash",
    "seed",
    "started_at",
    "finished_at",
    "duration_secs",
    "time_limit_secs",
    "hints",
    "hints_used",
    "submitted",
    "total",
    "max",
    "tasks",
    "questions",
    "answers",
];
const OPTIONAL_ROOT: [&str; 2] = ["finished_at", "time_limit_secs"];
/// `[[tasks]]` / `[[questions]]` headers mark these bits, shifted past the keys' bits: an array of
/// tables may go on, but may not follow `tasks = []`.
const HEADER_SHIFT: u32 = 32;

fn root_bit(key: &str) -> Option<u64> {
    ROOT_KEYS.iter().position(|k| *k == key).map(|i| 1 << i)
}

pub(super) fn parse(text: &str, index: &QuestionIndex) -> Option<Summary> {
    let mut s = Summary {
        format_version: 0,
        kind: String::new(),
        puzzle: String::new(),
        name: String::new(),
        started_at: String::new(),
        content_hash: String::new(),
        total: 0.0,
        max: 0.0,
        duration_secs: 0,
        hints_used: 0,
        answers: vec![None; index.len()],
    };
    let mut root_seen: u64 = 0;
    let mut section = Section::Root;
    let mut hint_keys: Vec<&str> = Vec::new();
    let mut task_seen: u8 = 0;
    let mut question = Question::default();
    // The [answers] tree: declared flag per table; children by (table, key).
    let mut tables: Vec<bool> = Vec::new();
    let mut children: HashMap<(usize, &str), Node, FxBuild> =
        HashMap::with_capacity_and_hasher(128, FxBuild::default());

    let finish_question = |q: &mut Question, s: &mut Summary| -> Option<()> {
        if q.seen & Q_REQUIRED != Q_REQUIRED {
            return None;
        }
        let q = std::mem::take(q);
        if let Some(i) = q.id
            && s.answers[i].is_none()
        {
            s.answers[i] = Some(Answered {
                points: q.points,
                max: q.max,
                verdict: q.verdict,
                chosen: q.chosen,
            });
        }
        Some(())
    };

    if text.len() > MAX_BYTES {
        return None;
    }
    let mut rest_of_text = text;
    while !rest_of_text.is_empty() {
        let end = find_newline(rest_of_text.as_bytes()).unwrap_or(rest_of_text.len());
        let line = &rest_of_text[..end];
        rest_of_text = rest_of_text.get(end + 1..).unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = trim_ws(line);
        if line.is_empty() {
            continue;
        }
        if let Some(inner) = line.strip_prefix("[[") {
            let (inner, rest) = inner.split_once("]]")?;
            if !trim_ws(rest).is_empty() {
                return None;
            }
            // Close the entry being filled.
            match section {
                Section::Task if task_seen != T_REQUIRED => return None,
                Section::Question => finish_question(&mut question, &mut s)?,
                _ => {}
            }
            let bit = root_bit(inner)?;
            section = match inner {
                "tasks" => {
                    task_seen = 0;
                    Section::Task
                }
                "questions" => Section::Question,
                _ => return None,
            };
            if root_seen & bit != 0 && root_seen & (bit << HEADER_SHIFT) == 0 {
                return None;
            }
            root_seen |= bit | (bit << HEADER_SHIFT);
            continue;
        }
        if let Some(inner) = line.strip_prefix('[') {
            let (inner, rest) = inner.split_once(']')?;
            if !trim_ws(rest).is_empty() {
                return None;
            }
            match section {
                Section::Task if task_seen != T_REQUIRED => return None,
                Section::Question => finish_question(&mut question, &mut s)?,
                _ => {}
            }
            let path = header_path(inner)?;
            section = match path[..] {
                ["hints"] => {
                    if root_seen & root_bit("hints")? != 0 {
                        return None;
                    }
                    root_seen |= root_bit("hints")?;
                    Section::Hints
                }
                ["answers", ..] => {
                    let bit = root_bit("answers")?;
                    if tables.is_empty() {
                        if root_seen & bit != 0 {
                            return None;
                        }
                        root_seen |= bit;
                        tables.push(false);
                    }
                    let mut cur = 0;
                    for seg in &path[1..] {
                        cur = match children.get(&(cur, *seg)) {
                            Some(Node::Table(t)) => *t,
                            Some(Node::Leaf) => return None,
                            None => {
                                tables.push(false);
                                children.insert((cur, seg), Node::Table(tables.len() - 1));
                                tables.len() - 1
                            }
                        };
                    }
                    if tables[cur] {
                        return None;
                    }
                    tables[cur] = true;
                    Section::Answers(cur)
                }
                _ => return None,
            };
            continue;
        }
        // key = value
        let key_len = line.bytes().take_while(|&b| is_bare(b)).count();
        if key_len == 0 {
            return None;
        }
        let key = &line[..key_len];
        let rest = trim_ws(&line[key_len..]).strip_prefix('=')?;
        let v = value(trim_ws(rest))?;
        match section {
            Section::Root => {
                let bit = root_bit(key)?;
                if root_seen & bit != 0 {
                    return None;
                }
                root_seen |= bit;
                match (key, v) {
                    ("format_version", Value::Int(n)) => {
                        s.format_version = u32::try_from(n).ok()?;
                    }
                    ("kind", Value::Str(x)) => s.kind = x.decode(),
                    ("name", Value::Str(x)) => s.name = x.decode(),
                    ("puzzle", Value::Str(x)) => s.puzzle = x.decode(),
                    ("content_hash", Value::Str(x)) => s.content_hash = x.decode(),
                    ("started_at", Value::Str(x)) => s.started_at = x.decode(),
                    ("finished_at", Value::Str(_)) => {}
                    ("seed" | "time_limit_secs", Value::Int(_)) => {}
                    ("duration_secs", Value::Int(n)) => s.duration_secs = n,
                    ("hints_used", Value::Int(n)) => s.hints_used = usize::try_from(n).ok()?,
                    ("total", Value::Float(x)) => s.total = x,
                    ("max", Value::Float(x)) => s.max = x,
                    ("submitted", Value::Strings(_)) => {}
                    // An empty array of tables, written inline.
                    ("tasks" | "questions", Value::Strings(inner)) if trim_ws(inner).is_empty() => {
                    }
                    _ => return None,
                }
            }
            Section::Hints => {
                let Value::Int(n) = v else { return None };
                usize::try_from(n).ok()?;
                if hint_keys.contains(&key) {
                    return None;
                }
                hint_keys.push(key);
            }
            Section::Task => {
                let bit = match (key, v) {
                    ("id", Value::Str(_)) => T_ID,
                    ("points", Value::Float(_)) => T_POINTS,
                    ("max", Value::Float(_)) => T_MAX,
                    ("hint_penalty", Value::Float(_)) => T_PENALTY,
                    _ => return None,
                };
                if task_seen & bit != 0 {
                    return None;
                }
                task_seen |= bit;
            }
            Section::Question => {
                let bit = match (key, v) {
                    ("id", Value::Str(x)) => {
                        question.id = if x.escaped {
                            index.get(&x.decode()).copied()
                        } else {
                            index.get(x.raw).copied()
                        };
                        Q_ID
                    }
                    ("points", Value::Float(x)) => {
                        question.points = x;
                        Q_POINTS
                    }
                    ("max", Value::Float(x)) => {
                        question.max = x;
                        Q_MAX
                    }
                    ("verdict", Value::Str(x)) => {
                        question.verdict = if x.escaped {
                            parse_verdict(&x.decode())
                        } else {
                            parse_verdict(x.raw)
                        };
                        Q_VERDICT
                    }
                    ("chosen", Value::Strings(inner)) => {
                        let mut chosen = Vec::new();
                        each_string(inner, |x| chosen.push(x.decode()));
                        question.chosen = chosen;
                        Q_CHOSEN
                    }
                    ("misconceptions", Value::Strings(_)) => Q_MISC,
                    _ => return None,
                };
                if question.seen & bit != 0 {
                    return None;
                }
                question.seen |= bit;
            }
            Section::Answers(t) => {
                if !matches!(v, Value::Str(_) | Value::Strings(_)) {
                    return None;
                }
                if children.insert((t, key), Node::Leaf).is_some() {
                    return None;
                }
            }
        }
    }
    match section {
        Section::Task if task_seen != T_REQUIRED => return None,
        Section::Question => finish_question(&mut question, &mut s)?,
        _ => {}
    }
    let required = ROOT_KEYS
        .iter()
        .filter(|k| !OPTIONAL_ROOT.contains(k))
        .try_fold(0u64, |acc, k| root_bit(k).map(|b| acc | b))?;
    (root_seen & required == required).then_some(s)
}
