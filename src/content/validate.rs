//! Raw TOML → checked `Puzzle`. Every rule names the file, line, field and fix; nothing panics.

use super::error::{ContentError, ContentErrors, line_col};
use super::model::*;
use super::raw::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;
use toml::Spanned;

pub const FORMAT_VERSION: u32 = 1;
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A content pack's files, by path relative to the pack root (`/`-separated).
#[derive(Debug, Clone, Default)]
pub struct PackFiles {
    /// How to name the pack root in messages (`content` for the embedded pack, the folder otherwise).
    pub root: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl PackFiles {
    /// The puzzle folders in the pack: `""` when the root itself holds a `puzzle.toml`.
    pub fn puzzle_dirs(&self) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|p| {
                if p == "puzzle.toml" {
                    Some(String::new())
                } else {
                    p.strip_suffix("/puzzle.toml")
                        .filter(|d| !d.contains('/'))
                        .map(str::to_string)
                }
            })
            .collect()
    }

    fn display(&self, rel: &str) -> String {
        if self.root.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{}", self.root.trim_end_matches('/'), rel)
        }
    }
}

/// Load and check every puzzle of a pack. All errors are collected, not just the first.
pub fn load_pack(pack: &PackFiles) -> Result<Vec<Puzzle>, ContentErrors> {
    let dirs = pack.puzzle_dirs();
    if dirs.is_empty() {
        return Err(ContentErrors(vec![ContentError {
            file: pack.display("puzzle.toml"),
            line: 0,
            column: 0,
            field: String::new(),
            message:
                "no puzzle found: the pack has no `puzzle.toml` (at its root or one folder down)"
                    .into(),
            fix: "add `<puzzle-id>/puzzle.toml`; see docs/content-format.md".into(),
        }]));
    }
    let mut errors = Vec::new();
    let mut puzzles = Vec::new();
    for dir in dirs {
        match load_puzzle(pack, &dir) {
            Ok(p) => puzzles.push(p),
            Err(mut e) => errors.append(&mut e.0),
        }
    }
    let mut seen = HashSet::new();
    for p in &puzzles {
        if !seen.insert(p.id.clone()) {
            errors.push(ContentError {
                file: pack.display(""),
                line: 0,
                column: 0,
                field: "id".into(),
                message: format!("two puzzles share the id \"{}\"", p.id),
                fix: "give each puzzle a unique id".into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(puzzles)
    } else {
        Err(ContentErrors(errors))
    }
}

/// One file being checked: where errors point.
struct Source<'a> {
    display: String,
    text: &'a str,
}

impl Source<'_> {
    fn error(
        &self,
        span: Option<Range<usize>>,
        field: &str,
        message: String,
        fix: &str,
    ) -> ContentError {
        let (line, column) = span.map_or((0, 0), |s| line_col(self.text, s.start));
        ContentError {
            file: self.display.clone(),
            line,
            column,
            field: field.to_string(),
            message,
            fix: fix.to_string(),
        }
    }
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// Size, UTF-8 and TOML syntax/shape checks shared by every file.
fn parse_file<'a, T: serde::de::DeserializeOwned>(
    pack: &'a PackFiles,
    rel: &str,
    errors: &mut Vec<ContentError>,
) -> Option<(T, Source<'a>)> {
    let display = pack.display(rel);
    let whole_file = |message: String, fix: &str| ContentError {
        file: display.clone(),
        line: 0,
        column: 0,
        field: String::new(),
        message,
        fix: fix.to_string(),
    };
    let Some(bytes) = pack.files.get(rel) else {
        errors.push(whole_file(
            "file not found".into(),
            "create it, or fix the name listed in `tasks`",
        ));
        return None;
    };
    if bytes.len() > MAX_FILE_BYTES {
        errors.push(whole_file(
            format!(
                "file is {} bytes; the limit is {MAX_FILE_BYTES} (1 MiB)",
                bytes.len()
            ),
            "split the content or shorten it",
        ));
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = line_col(valid, valid.len());
            errors.push(ContentError {
                file: display,
                line,
                column,
                field: String::new(),
                message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                fix: "save the file as UTF-8".into(),
            });
            return None;
        }
    };
    let source = Source { display, text };
    match toml::from_str::<T>(text) {
        Ok(v) => Some((v, source)),
        Err(e) => {
            let message = e.message().trim().to_string();
            let fix = if message.contains("unknown field") {
                "remove the field or correct its spelling (see docs/content-format.md)"
            } else if message.contains("missing field") {
                "add the field (see docs/content-format.md)"
            } else {
                "correct the TOML at this position"
            };
            errors.push(source.error(e.span(), "", message, fix));
            None
        }
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Question ids are kebab-case segments joined by dots (dots nest answer-sheet tables).
fn is_question_id(s: &str) -> bool {
    s.split('.').all(is_kebab)
}

/// Option/step/row/column ids appear in answer sheets: no spaces, quotes or control characters.
fn is_answer_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\'' && c != '\\')
}

fn check_version(src: &Source, v: &Spanned<u32>, errors: &mut Vec<ContentError>) {
    if *v.get_ref() != FORMAT_VERSION {
        errors.push(src.error(
            Some(v.span()),
            "format_version",
            format!(
                "format_version {} is not supported; this kmsquest reads version {FORMAT_VERSION}",
                v.get_ref()
            ),
            "set `format_version = 1`, or upgrade kmsquest",
        ));
    }
}

fn check_text(src: &Source, field: &str, text: &str, errors: &mut Vec<ContentError>) {
    if text.trim().is_empty() {
        errors.push(src.error(None, field, "must not be empty".into(), "write the text"));
    }
}

fn load_puzzle(pack: &PackFiles, dir: &str) -> Result<Puzzle, ContentErrors> {
    let mut errors = Vec::new();
    let puzzle_rel = join(dir, "puzzle.toml");
    let Some((raw, src)) = parse_file::<RawPuzzle>(pack, &puzzle_rel, &mut errors) else {
        return Err(ContentErrors(errors));
    };
    let RawPuzzle {
        format_version,
        id,
        title,
        plan_minutes,
        tasks: task_files,
        scenario,
        summary,
    } = raw;
    check_version(&src, &format_version, &mut errors);
    if !is_kebab(id.get_ref()) {
        errors.push(src.error(
            Some(id.span()),
            "id",
            format!("\"{}\" is not a kebab-case id", id.get_ref()),
            "use lowercase letters, digits and hyphens, e.g. \"kms-secrets-manager\"",
        ));
    }
    check_text(&src, "title", &title, &mut errors);
    let RawScenario {
        story,
        services: raw_services,
        requirements,
        items,
        tools,
        goal,
    } = scenario;
    check_text(&src, "scenario.story", &story, &mut errors);
    let mut service_ids = HashSet::new();
    let mut services = Vec::new();
    for (i, s) in raw_services.into_iter().enumerate() {
        let RawService {
            id: sid,
            name,
            detail,
        } = s;
        if !is_kebab(sid.get_ref()) || !service_ids.insert(sid.get_ref().clone()) {
            errors.push(src.error(
                Some(sid.span()),
                &format!("scenario.services[{i}].id"),
                format!("\"{}\" is a duplicate or not kebab-case", sid.get_ref()),
                "give each service a unique kebab-case id",
            ));
        }
        services.push(Service {
            id: sid.into_inner(),
            name,
            detail,
        });
    }
    let RawSummary {
        title: summary_title,
        body: summary_body,
    } = summary;
    check_text(&src, "summary.body", &summary_body, &mut errors);
    if task_files.is_empty() {
        errors.push(src.error(
            None,
            "tasks",
            "lists no task files".into(),
            "list at least one, e.g. [\"task1.toml\"]",
        ));
    }

    let mut tasks = Vec::new();
    let mut hasher = Sha256::new();
    hasher.update(puzzle_rel.as_bytes());
    hasher.update(
        pack.files
            .get(&puzzle_rel)
            .map(Vec::as_slice)
            .unwrap_or_default(),
    );
    let mut seen_files = HashSet::new();
    for (i, file) in task_files.iter().enumerate() {
        if !seen_files.insert(file.get_ref().clone()) {
            errors.push(src.error(
                Some(file.span()),
                &format!("tasks[{i}]"),
                format!("\"{}\" is listed twice", file.get_ref()),
                "list each task file once",
            ));
            continue;
        }
        let rel = join(dir, file.get_ref());
        if !pack.files.contains_key(&rel) {
            errors.push(src.error(
                Some(file.span()),
                &format!("tasks[{i}]"),
                format!("task file \"{}\" does not exist", file.get_ref()),
                "create the file or correct the name",
            ));
            continue;
        }
        hasher.update(rel.as_bytes());
        hasher.update(&pack.files[&rel]);
        if let Some(task) = load_task(pack, &rel, i + 1, &mut errors) {
            tasks.push(task);
        }
    }
    // Ids and hint numbers must be unique across the puzzle, not just within a task.
    let mut task_ids = HashSet::new();
    let mut hint_numbers = HashSet::new();
    for t in &tasks {
        if !task_ids.insert(t.id.clone()) {
            errors.push(src.error(
                None,
                "tasks",
                format!("two tasks share the id \"{}\"", t.id),
                "give each task a unique id",
            ));
        }
        for h in &t.hints {
            if !hint_numbers.insert(h.number) {
                errors.push(src.error(
                    None,
                    "tasks",
                    format!(
                        "Hint {} appears in more than one place (task \"{}\")",
                        h.number, t.id
                    ),
                    "number hints uniquely across the puzzle",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(ContentErrors(errors));
    }
    Ok(Puzzle {
        id: id.into_inner(),
        title,
        plan_minutes,
        scenario: Scenario {
            story,
            services,
            requirements,
            items,
            tools,
            goal,
        },
        tasks,
        summary: Summary {
            title: summary_title,
            body: summary_body,
        },
        content_hash: format!("{:x}", hasher.finalize()),
    })
}

fn load_task(
    pack: &PackFiles,
    rel: &str,
    position: usize,
    errors: &mut Vec<ContentError>,
) -> Option<Task> {
    let (raw, src) = parse_file::<RawTask>(pack, rel, errors)?;
    let before = errors.len();
    let RawTask {
        format_version,
        id,
        number,
        title,
        plan_minutes,
        intro,
        hints: raw_hints,
        solution,
        questions: raw_questions,
    } = raw;
    check_version(&src, &format_version, errors);
    if !is_kebab(id.get_ref()) {
        errors.push(src.error(
            Some(id.span()),
            "id",
            format!("\"{}\" is not a kebab-case id", id.get_ref()),
            "use lowercase letters, digits and hyphens, e.g. \"task1\"",
        ));
    }
    if *number.get_ref() as usize != position {
        errors.push(src.error(
            Some(number.span()),
            "number",
            format!(
                "task number {} but it is listed in position {position}",
                number.get_ref()
            ),
            &format!("set `number = {position}` or reorder `tasks` in puzzle.toml"),
        ));
    }
    check_text(&src, "title", &title, errors);
    check_text(&src, "intro", &intro, errors);

    let mut hints = Vec::new();
    let mut last_number = 0;
    for (i, h) in raw_hints.into_iter().enumerate() {
        let RawHint {
            number: n,
            text,
            cost,
        } = h;
        if text.get_ref().trim().is_empty() {
            errors.push(src.error(
                Some(text.span()),
                &format!("hints[{i}].text"),
                "hint text is empty".into(),
                "write the hint, or remove the [[hints]] entry",
            ));
        }
        if *n.get_ref() <= last_number {
            errors.push(src.error(
                Some(n.span()),
                &format!("hints[{i}].number"),
                format!(
                    "Hint {} comes after Hint {last_number}: the ladder must climb",
                    n.get_ref()
                ),
                "number hints in increasing order",
            ));
        }
        last_number = *n.get_ref();
        hints.push(Hint {
            number: n.into_inner(),
            text: text.into_inner(),
            cost,
        });
    }

    let RawSolution {
        body,
        concepts,
        going_further,
    } = solution;
    check_text(&src, "solution.body", &body, errors);

    if raw_questions.is_empty() {
        errors.push(src.error(
            None,
            "questions",
            "the task has no questions".into(),
            "add at least one [[questions]]",
        ));
    }
    let mut questions = Vec::new();
    let mut question_ids: Vec<String> = Vec::new();
    for (i, q) in raw_questions.into_iter().enumerate() {
        let qid = q.id.get_ref().clone();
        let id_span = q.id.span();
        let field = format!("questions[{i}].id");
        if !is_question_id(&qid) {
            errors.push(src.error(
                Some(id_span.clone()),
                &field,
                format!("\"{qid}\" is not a valid question id"),
                "use kebab-case segments joined by dots, e.g. \"rds-master-password.method\"",
            ));
        } else if question_ids.contains(&qid) {
            errors.push(src.error(
                Some(id_span.clone()),
                &field,
                format!("duplicate question id \"{qid}\""),
                "give each question a unique id",
            ));
        } else if let Some(clash) = question_ids.iter().find(|other| {
            other.starts_with(&format!("{qid}.")) || qid.starts_with(&format!("{other}."))
        }) {
            errors.push(src.error(
                Some(id_span.clone()),
                &field,
                format!("\"{qid}\" and \"{clash}\" cannot both be answer-sheet entries (one would be a table holding the other)"),
                "rename one of them",
            ));
        }
        question_ids.push(qid);
        if let Some(question) = check_question(&src, i, q, errors) {
            questions.push(question);
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Task {
        id: id.into_inner(),
        number: number.into_inner(),
        title,
        plan_minutes,
        intro,
        hints,
        solution: Solution {
            body,
            concepts,
            going_further,
        },
        questions,
    })
}

/// Checks ids of a list for validity and uniqueness; returns id → index.
fn check_ids<'a>(
    src: &Source,
    field: &str,
    ids: impl Iterator<Item = &'a Spanned<String>>,
    errors: &mut Vec<ContentError>,
) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        let f = format!("{field}[{i}].id");
        if !is_answer_id(id.get_ref()) {
            errors.push(src.error(
                Some(id.span()),
                &f,
                format!("\"{}\" is not a valid id", id.get_ref()),
                "use 1–64 visible ASCII characters without spaces or quotes",
            ));
        } else if map.insert(id.get_ref().clone(), i).is_some() {
            errors.push(src.error(
                Some(id.span()),
                &f,
                format!("duplicate id \"{}\"", id.get_ref()),
                "give each entry a unique id",
            ));
        }
    }
    map
}

fn unused_field(
    src: &Source,
    q: usize,
    field: &str,
    kind: &str,
    present: bool,
    errors: &mut Vec<ContentError>,
) {
    if present {
        errors.push(src.error(
            None,
            &format!("questions[{q}].{field}"),
            format!("`{field}` is not used by kind \"{kind}\""),
            "remove it, or change `kind`",
        ));
    }
}

fn check_question(
    src: &Source,
    qi: usize,
    raw: RawQuestion,
    errors: &mut Vec<ContentError>,
) -> Option<Question> {
    let before = errors.len();
    let RawQuestion {
        id,
        kind,
        prompt,
        points,
        explanation,
        concept,
        options,
        rows,
        columns,
        grants,
        cells,
        steps,
        order,
    } = raw;
    let q = |f: &str| format!("questions[{qi}].{f}");
    check_text(src, &q("prompt"), &prompt, errors);
    check_text(src, &q("explanation"), &explanation, errors);
    if *points.get_ref() == 0 {
        errors.push(src.error(
            Some(points.span()),
            &q("points"),
            "points must be at least 1".into(),
            "set `points = 1` or more",
        ));
    }
    let kind_name = match kind.get_ref() {
        RawKind::Single => "single",
        RawKind::Multi => "multi",
        RawKind::Matrix => "matrix",
        RawKind::Ordering => "ordering",
    };
    let spec = match *kind.get_ref() {
        RawKind::Single | RawKind::Multi => {
            let single = *kind.get_ref() == RawKind::Single;
            unused_field(src, qi, "rows", kind_name, !rows.is_empty(), errors);
            unused_field(src, qi, "columns", kind_name, !columns.is_empty(), errors);
            unused_field(src, qi, "grants", kind_name, grants.is_some(), errors);
            unused_field(src, qi, "cells", kind_name, !cells.is_empty(), errors);
            unused_field(src, qi, "steps", kind_name, !steps.is_empty(), errors);
            unused_field(src, qi, "order", kind_name, order.is_some(), errors);
            if options.len() < 2 {
                errors.push(src.error(
                    Some(kind.span()),
                    &q("options"),
                    format!(
                        "a {kind_name} question needs at least 2 options, it has {}",
                        options.len()
                    ),
                    "add [[questions.options]] entries",
                ));
            }
            check_ids(src, &q("options"), options.iter().map(|o| &o.id), errors);
            let n = options.len() as u32;
            let mut pins = HashSet::new();
            let mut checked = Vec::new();
            for (oi, o) in options.into_iter().enumerate() {
                let RawOption {
                    id: oid,
                    label,
                    feedback,
                    credit,
                    expected,
                    misconception,
                    pin,
                } = o;
                let of = |f: &str| q(&format!("options[{oi}].{f}"));
                check_text(src, &of("label"), &label, errors);
                check_text(src, &of("feedback"), &feedback, errors);
                if let Some(p) = &pin
                    && (*p.get_ref() == 0 || *p.get_ref() > n || !pins.insert(*p.get_ref()))
                {
                    errors.push(src.error(
                        Some(p.span()),
                        &of("pin"),
                        format!("pin {} is out of 1..={n} or used twice", p.get_ref()),
                        "pin each option to a distinct position within the list",
                    ));
                }
                let grade = if single {
                    if let Some(e) = &expected {
                        errors.push(src.error(
                            Some(e.span()),
                            &of("expected"),
                            "`expected` is for multi questions".into(),
                            "use `credit = 0.0 … 1.0` on single-choice options",
                        ));
                    }
                    let c = credit.as_ref().map_or(0.0, |c| *c.get_ref());
                    if !(0.0..=1.0).contains(&c) {
                        errors.push(src.error(
                            credit.as_ref().map(Spanned::span),
                            &of("credit"),
                            format!("credit {c} is outside 0.0..=1.0"),
                            "use a fraction of the question's points between 0.0 and 1.0",
                        ));
                    }
                    OptionGrade::Credit(c)
                } else {
                    if let Some(c) = &credit {
                        errors.push(src.error(
                            Some(c.span()),
                            &of("credit"),
                            "`credit` is for single questions".into(),
                            "use `expected = \"required\" | \"optional\" | \"forbidden\"`",
                        ));
                    }
                    let Some(e) = expected else {
                        errors.push(src.error(
                            Some(oid.span()),
                            &of("expected"),
                            format!("option \"{}\" has no `expected`", oid.get_ref()),
                            "add `expected = \"required\"`, \"optional\" or \"forbidden\"",
                        ));
                        continue;
                    };
                    OptionGrade::Expected(match e.into_inner() {
                        RawExpected::Required => Expected::Required,
                        RawExpected::Optional => Expected::Optional,
                        RawExpected::Forbidden => Expected::Forbidden,
                    })
                };
                checked.push(ChoiceOption {
                    id: oid.into_inner(),
                    label,
                    feedback,
                    grade,
                    misconception,
                    pin: pin.map(Spanned::into_inner),
                });
            }
            if !checked.iter().any(ChoiceOption::is_key) && errors.len() == before {
                let (what, fix) = if single {
                    (
                        "no option has `credit = 1.0`",
                        "give the right answer `credit = 1.0`",
                    )
                } else {
                    (
                        "no option is `expected = \"required\"`",
                        "mark the right answers `expected = \"required\"`",
                    )
                };
                errors.push(src.error(
                    Some(id.span()),
                    &q("options"),
                    format!("the key is empty: {what}"),
                    fix,
                ));
            }
            if single {
                QuestionSpec::Single { options: checked }
            } else {
                QuestionSpec::Multi { options: checked }
            }
        }
        RawKind::Matrix => {
            unused_field(src, qi, "options", kind_name, !options.is_empty(), errors);
            unused_field(src, qi, "steps", kind_name, !steps.is_empty(), errors);
            unused_field(src, qi, "order", kind_name, order.is_some(), errors);
            if rows.is_empty() || columns.is_empty() {
                errors.push(src.error(
                    Some(kind.span()),
                    &q("rows"),
                    "a matrix needs rows and columns".into(),
                    "add [[questions.rows]] and [[questions.columns]]",
                ));
            }
            let row_ids = check_ids(src, &q("rows"), rows.iter().map(|r| &r.id), errors);
            let col_ids = check_ids(src, &q("columns"), columns.iter().map(|c| &c.id), errors);
            let mut key = BTreeSet::new();
            match grants {
                None => errors.push(src.error(
                    Some(kind.span()),
                    &q("grants"),
                    "a matrix needs its key in `grants`".into(),
                    "add [questions.grants] with row id = [column ids]",
                )),
                Some(g) => {
                    for (row, cols) in g.into_inner() {
                        let row_span = row.span();
                        let row = row.into_inner();
                        let Some(&r) = row_ids.get(&row) else {
                            errors.push(src.error(
                                Some(row_span),
                                &q(&format!("grants.{row}")),
                                format!(
                                    "\"{row}\" is not a row of this matrix (rows: {})",
                                    join_ids(row_ids.keys())
                                ),
                                "use one of the row ids",
                            ));
                            continue;
                        };
                        for c in cols {
                            match col_ids.get(c.get_ref()) {
                                Some(&ci) => {
                                    if !key.insert((r, ci)) {
                                        errors.push(src.error(
                                            Some(c.span()),
                                            &q(&format!("grants.{row}")),
                                            format!("\"{}\" is granted twice", c.get_ref()),
                                            "list each column once",
                                        ));
                                    }
                                }
                                None => errors.push(src.error(
                                    Some(c.span()),
                                    &q(&format!("grants.{row}")),
                                    format!(
                                        "\"{}\" is not a column of this matrix (columns: {})",
                                        c.get_ref(),
                                        join_ids(col_ids.keys())
                                    ),
                                    "use one of the column ids",
                                )),
                            }
                        }
                    }
                }
            }
            let mut notes = Vec::new();
            for (ci, cell) in cells.into_iter().enumerate() {
                let RawCell {
                    row,
                    column,
                    feedback,
                    misconception,
                } = cell;
                let r = row_ids.get(row.get_ref()).copied();
                let c = col_ids.get(column.get_ref()).copied();
                match (r, c) {
                    (Some(r), Some(c)) => notes.push(CellNote {
                        row: r,
                        column: c,
                        feedback,
                        misconception,
                    }),
                    (None, _) => errors.push(src.error(
                        Some(row.span()),
                        &q(&format!("cells[{ci}].row")),
                        format!("\"{}\" is not a row of this matrix", row.get_ref()),
                        "use one of the row ids",
                    )),
                    (_, None) => errors.push(src.error(
                        Some(column.span()),
                        &q(&format!("cells[{ci}].column")),
                        format!("\"{}\" is not a column of this matrix", column.get_ref()),
                        "use one of the column ids",
                    )),
                }
            }
            QuestionSpec::Matrix {
                rows: rows
                    .into_iter()
                    .map(|r| Labelled {
                        id: r.id.into_inner(),
                        label: r.label,
                    })
                    .collect(),
                columns: columns
                    .into_iter()
                    .map(|c| Labelled {
                        id: c.id.into_inner(),
                        label: c.label,
                    })
                    .collect(),
                grants: key,
                cells: notes,
            }
        }
        RawKind::Ordering => {
            unused_field(src, qi, "options", kind_name, !options.is_empty(), errors);
            unused_field(src, qi, "rows", kind_name, !rows.is_empty(), errors);
            unused_field(src, qi, "columns", kind_name, !columns.is_empty(), errors);
            unused_field(src, qi, "grants", kind_name, grants.is_some(), errors);
            unused_field(src, qi, "cells", kind_name, !cells.is_empty(), errors);
            if steps.len() < 2 {
                errors.push(src.error(
                    Some(kind.span()),
                    &q("steps"),
                    format!("an ordering needs at least 2 steps, it has {}", steps.len()),
                    "add [[questions.steps]] entries",
                ));
            }
            let step_ids = check_ids(src, &q("steps"), steps.iter().map(|s| &s.id), errors);
            let mut key = Vec::new();
            match order {
                None => errors.push(src.error(
                    Some(kind.span()),
                    &q("order"),
                    "an ordering needs its key in `order`".into(),
                    "add `order = [step ids in the right order]`",
                )),
                Some(o) => {
                    let span = o.span();
                    let mut used = HashSet::new();
                    for s in o.get_ref() {
                        match step_ids.get(s.get_ref()) {
                            Some(&i) if used.insert(i) => key.push(i),
                            Some(_) => errors.push(src.error(Some(s.span()), &q("order"), format!("\"{}\" appears twice: `order` must be a permutation of the steps", s.get_ref()), "list each step exactly once")),
                            None => errors.push(src.error(Some(s.span()), &q("order"), format!("\"{}\" is not a step (steps: {})", s.get_ref(), join_ids(step_ids.keys())), "use the step ids")),
                        }
                    }
                    if key.len() != steps.len() && used.len() == key.len() && errors.len() == before
                    {
                        let missing: Vec<_> = step_ids
                            .iter()
                            .filter(|(_, i)| !used.contains(*i))
                            .map(|(id, _)| id.clone())
                            .collect();
                        errors.push(src.error(
                            Some(span.clone()),
                            &q("order"),
                            format!(
                                "`order` is not a permutation of the steps: missing {}",
                                missing.join(", ")
                            ),
                            "list every step exactly once",
                        ));
                    }
                    if key.len() == steps.len()
                        && key.iter().enumerate().all(|(i, &k)| i == k)
                        && steps.len() > 1
                    {
                        errors.push(src.error(Some(span), &q("order"), "the steps are listed in the key's order, so the student starts with the answer".into(), "list [[questions.steps]] in a shuffled order"));
                    }
                }
            }
            QuestionSpec::Ordering {
                steps: steps
                    .into_iter()
                    .map(|s| Step {
                        id: s.id.into_inner(),
                        label: s.label,
                        feedback: s.feedback,
                    })
                    .collect(),
                order: key,
            }
        }
    };
    if errors.len() > before {
        return None;
    }
    Some(Question {
        id: id.into_inner(),
        prompt,
        points: points.into_inner(),
        explanation,
        concept,
        spec,
    })
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    ids.map(String::as_str).collect::<Vec<_>>().join(", ")
}
