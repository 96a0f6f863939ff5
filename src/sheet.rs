//! Answer sheets: the public TOML interface for take-home quizzes and LMS autograding.
//! `blank` writes one, `parse` reads a filled one into `Answers` (checking every id), `to_table`
//! writes answers back in the same shape (used inside quiz results so `grade` can re-grade them).

use crate::answer::{Answer, Answers};
use crate::content::{Puzzle, Question, QuestionSpec, Task};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use toml::{Table, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SheetError(pub String);

/// Top-level keys a sheet may carry besides task tables.
const HEADER_KEYS: &[&str] = &["puzzle", "name"];

fn valid_ids(question: &Question) -> Vec<&str> {
    match &question.spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
            options.iter().map(|o| o.id.as_str()).collect()
        }
        QuestionSpec::Matrix { columns, .. } => columns.iter().map(|c| c.id.as_str()).collect(),
        QuestionSpec::Ordering { steps, .. } => steps.iter().map(|s| s.id.as_str()).collect(),
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Questions of a task grouped by the table they live in: "" for the task table itself.
fn tables_of(task: &Task) -> Vec<(String, Vec<(&str, &Question)>)> {
    let mut tables: Vec<(String, Vec<(&str, &Question)>)> = vec![(String::new(), vec![])];
    for q in &task.questions {
        let (table, key) = match q.id.rsplit_once('.') {
            Some((t, k)) => (t.to_string(), k),
            None => (String::new(), q.id.as_str()),
        };
        match tables.iter_mut().find(|(t, _)| *t == table) {
            Some((_, qs)) => qs.push((key, q)),
            None => tables.push((table, vec![(key, q)])),
        }
    }
    tables
}

/// One line of plain text for a TOML comment (no newlines, no Markdown emphasis markers).
fn comment_text(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("**", "")
        .replace('`', "")
}

/// A blank answer sheet with comments listing every question and its option ids.
pub fn blank(puzzle: &Puzzle) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# kmsquest answer sheet — {}",
        comment_text(&puzzle.title)
    );
    let _ = writeln!(
        out,
        "# Fill in every value with the ids listed in the comments, then run:"
    );
    let _ = writeln!(
        out,
        "#   kmsquest grade THIS_FILE        (add --json for machine-readable output)"
    );
    let _ = writeln!(out, "# An empty value counts as unanswered (0 points).\n");
    let _ = writeln!(out, "puzzle = \"{}\"", puzzle.id);
    let _ = writeln!(out, "name = \"\"   # your name (optional)\n");
    for task in &puzzle.tasks {
        for (table, questions) in tables_of(task) {
            if table.is_empty() {
                let _ = writeln!(out, "[{}]", task.id);
                let _ = writeln!(
                    out,
                    "# Task {} — {} ({} points)",
                    task.number,
                    comment_text(&task.title),
                    task.max_points()
                );
            } else if questions.len() == 1
                && matches!(questions[0].1.spec, QuestionSpec::Matrix { .. })
            {
                // A matrix question is a table of its own: written below with its rows.
            } else {
                let _ = writeln!(out, "[{}.{}]", task.id, table);
            }
            // A matrix opens a `[path]` table of its own, so it must follow the table's plain keys.
            let (matrices, plain): (Vec<_>, Vec<_>) = questions
                .into_iter()
                .partition(|(_, q)| matches!(q.spec, QuestionSpec::Matrix { .. }));
            for (key, q) in plain.into_iter().chain(matrices) {
                let path = Puzzle::question_path(task, q);
                let _ = writeln!(
                    out,
                    "\n# {path} ({}, {}): {}",
                    q.spec.kind().name(),
                    crate::grading::points_label(q.points),
                    comment_text(&q.prompt)
                );
                match &q.spec {
                    QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
                        for o in options {
                            let _ = writeln!(out, "#   \"{}\" = {}", o.id, comment_text(&o.label));
                        }
                        if matches!(q.spec, QuestionSpec::Single { .. }) {
                            let _ = writeln!(out, "{} = \"\"", toml_key(key));
                        } else {
                            let _ = writeln!(out, "# choose every id that applies");
                            let _ = writeln!(out, "{} = []", toml_key(key));
                        }
                    }
                    QuestionSpec::Ordering { steps, .. } => {
                        for s in steps {
                            let _ = writeln!(out, "#   \"{}\" = {}", s.id, comment_text(&s.label));
                        }
                        let _ = writeln!(out, "# list every step id, first to last");
                        let _ = writeln!(out, "{} = []", toml_key(key));
                    }
                    QuestionSpec::Matrix { rows, columns, .. } => {
                        let _ = writeln!(out, "[{path}]");
                        let _ = writeln!(
                            out,
                            "# for each row, the column ids it is granted; columns:"
                        );
                        for c in columns {
                            let _ = writeln!(out, "#   \"{}\" = {}", c.id, comment_text(&c.label));
                        }
                        for r in rows {
                            let _ = writeln!(
                                out,
                                "{} = []   # {}",
                                toml_key(&r.id),
                                comment_text(&r.label)
                            );
                        }
                    }
                }
            }
            let _ = writeln!(out);
        }
    }
    out
}

fn toml_key(k: &str) -> String {
    if k.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_string()
    } else {
        format!("\"{k}\"")
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn string_list(path: &str, v: &Value, valid: &[&str]) -> Result<Vec<String>, SheetError> {
    let Value::Array(items) = v else {
        return Err(SheetError(format!(
            "{path}: expected a list of ids, found {}",
            describe(v)
        )));
    };
    let mut out = Vec::new();
    for item in items {
        let Value::String(s) = item else {
            return Err(SheetError(format!(
                "{path}: expected ids as strings, found {}",
                describe(item)
            )));
        };
        if !valid.contains(&s.as_str()) {
            return Err(SheetError(format!(
                "{path}: unknown id \"{s}\"; valid ids: {}",
                quoted(valid)
            )));
        }
        if out.contains(s) {
            return Err(SheetError(format!("{path}: \"{s}\" is listed twice")));
        }
        out.push(s.clone());
    }
    Ok(out)
}

/// Convert one sheet value into an answer; `Ok(None)` for an empty (unanswered) value.
fn answer_from_value(path: &str, q: &Question, v: &Value) -> Result<Option<Answer>, SheetError> {
    let valid = valid_ids(q);
    match &q.spec {
        QuestionSpec::Single { .. } => {
            let Value::String(s) = v else {
                return Err(SheetError(format!(
                    "{path}: expected one id as a string, found {}; valid ids: {}",
                    describe(v),
                    quoted(&valid)
                )));
            };
            if s.is_empty() {
                return Ok(None);
            }
            if !valid.contains(&s.as_str()) {
                return Err(SheetError(format!(
                    "{path}: unknown option \"{s}\"; valid ids: {}",
                    quoted(&valid)
                )));
            }
            Ok(Some(Answer::Single(s.clone())))
        }
        QuestionSpec::Multi { .. } => {
            let ids = string_list(path, v, &valid)?;
            Ok((!ids.is_empty()).then_some(Answer::List(ids)))
        }
        QuestionSpec::Ordering { steps, .. } => {
            let ids = string_list(path, v, &valid)?;
            if ids.is_empty() {
                return Ok(None);
            }
            if ids.len() != steps.len() {
                let missing: Vec<&str> = valid
                    .iter()
                    .copied()
                    .filter(|id| !ids.iter().any(|s| s == id))
                    .collect();
                return Err(SheetError(format!(
                    "{path}: list every step exactly once; missing {}",
                    quoted(&missing)
                )));
            }
            Ok(Some(Answer::List(ids)))
        }
        QuestionSpec::Matrix { rows, .. } => {
            let Value::Table(t) = v else {
                return Err(SheetError(format!(
                    "{path}: expected a table of row = [column ids], found {}",
                    describe(v)
                )));
            };
            let row_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            let mut grants = BTreeMap::new();
            for (row, cols) in t {
                if !row_ids.contains(&row.as_str()) {
                    return Err(SheetError(format!(
                        "{path}: unknown row \"{row}\"; valid rows: {}",
                        quoted(&row_ids)
                    )));
                }
                let cols = string_list(&format!("{path}.{row}"), cols, &valid)?;
                grants.insert(row.clone(), cols.into_iter().collect::<BTreeSet<_>>());
            }
            let any = grants.values().any(|c| !c.is_empty());
            Ok(any.then_some(Answer::Matrix(grants)))
        }
    }
}

fn lookup<'a>(table: &'a Table, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut current = table.get(parts.next()?)?;
    for p in parts {
        current = current.as_table()?.get(p)?;
    }
    Some(current)
}

/// Every leaf path in the sheet that is not a question (matrix tables count as leaves).
fn unknown_paths(puzzle: &Puzzle, table: &Table, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in table {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if prefix.is_empty() && HEADER_KEYS.contains(&k.as_str()) {
            continue;
        }
        if puzzle.find_question(&path).is_some() {
            continue;
        }
        match v {
            Value::Table(t) => unknown_paths(puzzle, t, &path, out),
            _ => out.push(path),
        }
    }
}

/// Parse a filled answer sheet. Unknown question or option ids are errors naming the valid ones.
pub fn parse(puzzle: &Puzzle, text: &str) -> Result<Answers, SheetError> {
    let table: Table = toml::from_str(text)
        .map_err(|e| SheetError(format!("not valid TOML: {}", e.message().trim())))?;
    parse_table(puzzle, &table)
}

pub fn parse_table(puzzle: &Puzzle, table: &Table) -> Result<Answers, SheetError> {
    if let Some(p) = table.get("puzzle")
        && p.as_str() != Some(puzzle.id.as_str())
    {
        return Err(SheetError(format!(
            "this sheet is for puzzle {p}, but the content is puzzle \"{}\"",
            puzzle.id
        )));
    }
    let mut unknown = Vec::new();
    unknown_paths(puzzle, table, "", &mut unknown);
    if let Some(first) = unknown.first() {
        let valid: Vec<String> = puzzle
            .questions()
            .map(|(t, q)| Puzzle::question_path(t, q))
            .collect();
        return Err(SheetError(format!(
            "unknown question \"{first}\"; valid questions: {}",
            valid.join(", ")
        )));
    }
    let mut answers = Answers::new();
    for (task, q) in puzzle.questions() {
        let path = Puzzle::question_path(task, q);
        if let Some(v) = lookup(table, &path)
            && let Some(a) = answer_from_value(&path, q, v)?
        {
            answers.insert(path, a);
        }
    }
    Ok(answers)
}

/// Answers as a nested TOML table in answer-sheet shape.
pub fn to_table(answers: &Answers) -> Table {
    let mut root = Table::new();
    for (path, answer) in answers {
        let value = match answer {
            Answer::Single(s) => Value::String(s.clone()),
            Answer::List(ids) => Value::Array(ids.iter().cloned().map(Value::String).collect()),
            Answer::Matrix(m) => Value::Table(
                m.iter()
                    .map(|(r, cols)| {
                        (
                            r.clone(),
                            Value::Array(cols.iter().cloned().map(Value::String).collect()),
                        )
                    })
                    .collect(),
            ),
        };
        let parts: Vec<&str> = path.split('.').collect();
        insert_path(&mut root, &parts, value);
    }
    root
}

fn insert_path(table: &mut Table, parts: &[&str], value: Value) {
    match parts {
        [] => {}
        [last] => {
            table.insert((*last).to_string(), value);
        }
        [first, rest @ ..] => {
            let entry = table
                .entry((*first).to_string())
                .or_insert_with(|| Value::Table(Table::new()));
            if let Value::Table(t) = entry {
                insert_path(t, rest, value);
            }
        }
    }
}

/// Read answers that still fit the content, skipping any that do not (content edited since they
/// were saved). Returns the answers and how many entries were dropped.
pub fn parse_table_lenient(puzzle: &Puzzle, table: &Table) -> (Answers, usize) {
    let mut answers = Answers::new();
    let mut dropped = 0;
    for (task, q) in puzzle.questions() {
        let path = Puzzle::question_path(task, q);
        if let Some(v) = lookup(table, &path) {
            match answer_from_value(&path, q, v) {
                Ok(Some(a)) => {
                    answers.insert(path, a);
                }
                Ok(None) => {}
                Err(_) => dropped += 1,
            }
        }
    }
    (answers, dropped)
}
