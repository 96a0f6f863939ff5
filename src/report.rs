//! The class report: many quiz results files summed up for the grader — per student, per question
//! (facility and the most-chosen wrong answers with their misconception tags), a score histogram and
//! the files that were skipped, with why. `build` does the reading and counting; `render_text` and
//! `render_csv` only format, so tests and benches need no process.

use crate::content::{ChoiceOption, Expected, OptionGrade, Puzzle, QuestionSpec};
use crate::results::{KIND_FINAL, KIND_IN_PROGRESS, QuizRecord, RESULTS_VERSION};
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// The suffix of a quiz autosave: never a finished result.
const IN_PROGRESS_SUFFIX: &str = ".in-progress.toml";
/// How many wrong answers the text report shows per question.
const TOP_WRONG: usize = 3;
/// Below this many files one thread reads them all (spawning costs more than it saves).
const PARALLEL_MIN_FILES: usize = 64;
/// The longest histogram bar, in cells.
const BAR_WIDTH: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub puzzle_id: String,
    pub puzzle_title: String,
    /// One per results file read, sorted by name (case-insensitively), then start time.
    pub students: Vec<Student>,
    /// Every question of the puzzle, in content order.
    pub questions: Vec<QuestionStats>,
    /// Students per score band: 0–10 %, 10–20 %, … 90–100 % (100 % falls in the last band).
    pub histogram: [usize; 10],
    /// Files listed but not counted, in the order they were met.
    pub skipped: Vec<Skipped>,
    /// How many of the students' files were written against other content (a different hash).
    pub other_content: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Student {
    pub path: PathBuf,
    pub record: QuizRecord,
}

impl Student {
    pub fn percent(&self) -> f64 {
        percent(self.record.total, self.record.max)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionStats {
    /// The answer-sheet path, e.g. `task1.rds-master-password`.
    pub id: String,
    /// "single", "multi", "matrix" or "ordering".
    pub kind: &'static str,
    pub points: u32,
    /// Students counted (every student, whether or not their file holds this question).
    pub students: usize,
    pub correct: usize,
    pub partial: usize,
    pub wrong: usize,
    pub unanswered: usize,
    /// Wrong choices of the students who did not get it fully right, most chosen first.
    pub wrong_choices: Vec<WrongChoice>,
}

impl QuestionStats {
    /// Share of students who got it fully right (0–1); `None` without students.
    pub fn facility(&self) -> Option<f64> {
        (self.students > 0).then(|| self.correct as f64 / self.students as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WrongChoice {
    /// An option id; a matrix cell as `row:column`; an ordering as `a → b → c`.
    pub choice: String,
    /// How many students chose it.
    pub count: usize,
    pub misconception: Option<String>,
    /// Content position, for a stable order among equal counts.
    rank: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    /// A quiz autosave (`*.in-progress.toml`, or kind "kmsquest-quiz-in-progress").
    Unfinished,
    /// Missing, a folder that cannot be listed, or a file that cannot be read.
    Unreadable(String),
    /// Not TOML, not a results record, the wrong kind or an unsupported format version.
    Corrupt(String),
    /// A results file of another puzzle.
    Foreign { puzzle: String, expected: String },
    /// The same attempt (name, start time and puzzle) as a file already read, or that very file again.
    Duplicate { of: PathBuf, same_file: bool },
}

impl SkipReason {
    /// One word for the kind of reason: "unfinished", "unreadable", "corrupt", "foreign", "duplicate".
    pub fn label(&self) -> &'static str {
        match self {
            SkipReason::Unfinished => "unfinished",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::Corrupt(_) => "corrupt",
            SkipReason::Foreign { .. } => "foreign",
            SkipReason::Duplicate { .. } => "duplicate",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Unfinished => write!(f, "unfinished: a quiz still in progress (autosave)"),
            SkipReason::Unreadable(e) => write!(f, "unreadable: {e}"),
            SkipReason::Corrupt(e) => write!(f, "corrupt: {e}"),
            SkipReason::Foreign { puzzle, expected } => write!(
                f,
                "foreign: a quiz of puzzle \"{}\", not \"{}\"",
                clean(puzzle),
                clean(expected)
            ),
            SkipReason::Duplicate { of, same_file } => {
                if *same_file {
                    write!(
                        f,
                        "duplicate: the same file as {}",
                        clean(&of.display().to_string())
                    )
                } else {
                    write!(
                        f,
                        "duplicate: same name, start time and puzzle as {}",
                        clean(&of.display().to_string())
                    )
                }
            }
        }
    }
}

fn percent(total: f64, max: f64) -> f64 {
    if max > 0.0 { total / max * 100.0 } else { 0.0 }
}

/// The histogram band of a score: 0 for 0–10 % … 9 for 90–100 %.
fn band(total: f64, max: f64) -> usize {
    if max <= 0.0 || !total.is_finite() {
        return 0;
    }
    // The epsilon keeps e.g. 7/10 in the 70 % band despite rounding.
    ((total / max * 10.0 + 1e-9).floor().max(0.0) as usize).min(9)
}

/// What became of one file before the sequential checks.
enum Loaded {
    Record(Box<QuizRecord>),
    Unfinished,
    Unreadable(String),
    Corrupt(String),
}

/// A file found from the arguments, in the order it is met.
enum Found {
    File(PathBuf),
    Skip(Skipped),
}

fn is_in_progress(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(IN_PROGRESS_SUFFIX))
}

/// Expand the arguments: files as given, folders into their `*.toml` files (sorted by name).
fn discover<P: AsRef<Path>>(paths: &[P]) -> Vec<Found> {
    let mut found = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                found.push(Found::Skip(Skipped {
                    path: p.to_path_buf(),
                    reason: SkipReason::Unreadable(io_reason(&e)),
                }));
                continue;
            }
        };
        if !meta.is_dir() {
            found.push(if is_in_progress(p) {
                Found::Skip(Skipped {
                    path: p.to_path_buf(),
                    reason: SkipReason::Unfinished,
                })
            } else {
                Found::File(p.to_path_buf())
            });
            continue;
        }
        let entries = match std::fs::read_dir(p) {
            Ok(rd) => rd,
            Err(e) => {
                found.push(Found::Skip(Skipped {
                    path: p.to_path_buf(),
                    reason: SkipReason::Unreadable(io_reason(&e)),
                }));
                continue;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.ends_with(".toml"))
                    // Folders named *.toml are not results; symlinks to files are followed.
                    && std::fs::metadata(e.path()).is_ok_and(|m| m.is_file())
            })
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            found.push(if is_in_progress(&f) {
                Found::Skip(Skipped {
                    path: f,
                    reason: SkipReason::Unfinished,
                })
            } else {
                Found::File(f)
            });
        }
    }
    found
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Read and parse one file; every failure becomes a reason.
fn load(path: &Path) -> Loaded {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Loaded::Unreadable(io_reason(&e)),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Loaded::Corrupt("not a text file (invalid UTF-8)".into());
    };
    let record: QuizRecord = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            // Only on failure: tell "not TOML" apart from "TOML, but not a results file".
            let at = e
                .span()
                .map(|s| format!(" (line {})", line_of(text, s.start)))
                .unwrap_or_default();
            return Loaded::Corrupt(match toml::from_str::<toml::Table>(text) {
                Err(_) => format!("not valid TOML{at}: {}", one_line(e.message())),
                Ok(t) if t.get("kind").and_then(toml::Value::as_str) == Some(KIND_IN_PROGRESS) => {
                    return Loaded::Unfinished;
                }
                Ok(_) => format!("not a kmsquest results file{at}: {}", one_line(e.message())),
            });
        }
    };
    if record.kind == KIND_IN_PROGRESS {
        return Loaded::Unfinished;
    }
    if record.kind != KIND_FINAL {
        return Loaded::Corrupt(format!(
            "kind is \"{}\", not \"{KIND_FINAL}\"",
            clean(&record.kind)
        ));
    }
    if record.format_version != RESULTS_VERSION {
        return Loaded::Corrupt(format!(
            "format_version {} is not supported (this kmsquest reads {RESULTS_VERSION})",
            record.format_version
        ));
    }
    Loaded::Record(Box::new(record))
}

/// Load every file (with its canonical path), in parallel when there are many; order is kept.
fn load_all(files: &[PathBuf]) -> Vec<(Option<PathBuf>, Loaded)> {
    let one = |p: &PathBuf| (std::fs::canonicalize(p).ok(), load(p));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || files.len() < PARALLEL_MIN_FILES {
        return files.iter().map(one).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Read results files and folders of results files, and sum them up against `puzzle`.
/// Never fails: every file that cannot be counted is listed in `skipped` with the reason.
pub fn build<P: AsRef<Path>>(puzzle: &Puzzle, paths: &[P]) -> Report {
    let found = discover(paths);
    let files: Vec<PathBuf> = found
        .iter()
        .filter_map(|f| match f {
            Found::File(p) => Some(p.clone()),
            Found::Skip(_) => None,
        })
        .collect();
    let mut loaded = load_all(&files).into_iter();

    let mut skipped = Vec::new();
    let mut students: Vec<Student> = Vec::new();
    let mut seen_files: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut seen_attempts: HashMap<(String, String, String), PathBuf> = HashMap::new();
    for f in found {
        let path = match f {
            Found::Skip(s) => {
                skipped.push(s);
                continue;
            }
            Found::File(p) => p,
        };
        let Some((canonical, result)) = loaded.next() else {
            break;
        };
        let skip = |reason| Skipped {
            path: path.clone(),
            reason,
        };
        if let Some(c) = canonical {
            if let Some(first) = seen_files.get(&c) {
                skipped.push(skip(SkipReason::Duplicate {
                    of: first.clone(),
                    same_file: true,
                }));
                continue;
            }
            seen_files.insert(c, path.clone());
        }
        let record = match result {
            Loaded::Record(r) => r,
            Loaded::Unfinished => {
                skipped.push(skip(SkipReason::Unfinished));
                continue;
            }
            Loaded::Unreadable(e) => {
                skipped.push(skip(SkipReason::Unreadable(e)));
                continue;
            }
            Loaded::Corrupt(e) => {
                skipped.push(skip(SkipReason::Corrupt(e)));
                continue;
            }
        };
        if record.puzzle != puzzle.id {
            skipped.push(skip(SkipReason::Foreign {
                puzzle: record.puzzle.clone(),
                expected: puzzle.id.clone(),
            }));
            continue;
        }
        let key = (
            record.name.clone(),
            record.started_at.clone(),
            record.puzzle.clone(),
        );
        if let Some(first) = seen_attempts.get(&key) {
            skipped.push(skip(SkipReason::Duplicate {
                of: first.clone(),
                same_file: false,
            }));
            continue;
        }
        seen_attempts.insert(key, path.clone());
        students.push(Student {
            path,
            record: *record,
        });
    }
    students.sort_by_cached_key(|s| {
        (
            s.record.name.to_lowercase(),
            s.record.name.clone(),
            s.record.started_at.clone(),
        )
    });

    let mut histogram = [0usize; 10];
    for s in &students {
        histogram[band(s.record.total, s.record.max)] += 1;
    }
    let other_content = students
        .iter()
        .filter(|s| s.record.content_hash != puzzle.content_hash)
        .count();
    Report {
        puzzle_id: puzzle.id.clone(),
        puzzle_title: puzzle.title.clone(),
        questions: question_stats(puzzle, &students),
        students,
        histogram,
        skipped,
        other_content,
    }
}

fn option_rank<'a>(options: &'a [ChoiceOption], id: &str) -> (usize, Option<&'a ChoiceOption>) {
    match options.iter().position(|o| o.id == id) {
        Some(i) => (i, Some(&options[i])),
        None => (usize::MAX, None),
    }
}

/// The wrong choices inside one non-correct answer: (choice, content rank, misconception tag).
fn wrong_in(spec: &QuestionSpec, chosen: &[String]) -> Vec<(String, usize, Option<String>)> {
    match spec {
        QuestionSpec::Single { options } => chosen
            .iter()
            .filter_map(|id| match option_rank(options, id) {
                (_, Some(o)) if o.is_key() => None,
                (rank, o) => Some((id.clone(), rank, o.and_then(|o| o.misconception.clone()))),
            })
            .collect(),
        QuestionSpec::Multi { options } => chosen
            .iter()
            .filter_map(|id| match option_rank(options, id) {
                (rank, Some(o)) => (o.grade == OptionGrade::Expected(Expected::Forbidden))
                    .then(|| (id.clone(), rank, o.misconception.clone())),
                (rank, None) => Some((id.clone(), rank, None)),
            })
            .collect(),
        QuestionSpec::Matrix {
            rows,
            columns,
            grants,
            cells,
        } => chosen
            .iter()
            .filter_map(|cell| {
                let (r, c) = cell.split_once(':')?;
                let ri = rows.iter().position(|x| x.id == r);
                let ci = columns.iter().position(|x| x.id == c);
                let (Some(ri), Some(ci)) = (ri, ci) else {
                    return Some((cell.clone(), usize::MAX, None));
                };
                if grants.contains(&(ri, ci)) {
                    return None;
                }
                // Over-privilege: granted but not needed.
                let tag = cells
                    .iter()
                    .find(|n| n.row == ri && n.column == ci)
                    .and_then(|n| n.misconception.clone());
                Some((cell.clone(), ri * columns.len() + ci, tag))
            })
            .collect(),
        QuestionSpec::Ordering { .. } => {
            if chosen.is_empty() {
                vec![]
            } else {
                vec![(chosen.join(" → "), usize::MAX, None)]
            }
        }
    }
}

/// How many chose a wrong choice, its content rank and its misconception tag.
type Tally = (usize, usize, Option<String>);

fn question_stats(puzzle: &Puzzle, students: &[Student]) -> Vec<QuestionStats> {
    let mut stats: Vec<QuestionStats> = puzzle
        .questions()
        .map(|(t, q)| QuestionStats {
            id: Puzzle::question_path(t, q),
            kind: q.spec.kind().name(),
            points: q.points,
            students: students.len(),
            correct: 0,
            partial: 0,
            wrong: 0,
            unanswered: 0,
            wrong_choices: vec![],
        })
        .collect();
    let specs: Vec<&QuestionSpec> = puzzle.questions().map(|(_, q)| &q.spec).collect();
    let index: HashMap<String, usize> = stats
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    // Per question: choice → (count, rank, tag).
    let mut tallies: Vec<HashMap<String, Tally>> = vec![HashMap::new(); stats.len()];
    for s in students {
        let mut seen = HashSet::new();
        for q in &s.record.questions {
            let Some(&i) = index.get(q.id.as_str()) else {
                continue;
            };
            // A question listed twice in one file counts once.
            if !seen.insert(i) {
                continue;
            }
            match q.verdict.as_str() {
                "correct" => {
                    stats[i].correct += 1;
                    continue;
                }
                "partial" => stats[i].partial += 1,
                "wrong" => stats[i].wrong += 1,
                _ => stats[i].unanswered += 1,
            }
            let mut mine = HashSet::new();
            for (choice, rank, tag) in wrong_in(specs[i], &q.chosen) {
                if mine.insert(choice.clone()) {
                    tallies[i].entry(choice).or_insert((0, rank, tag)).0 += 1;
                }
            }
        }
        // A question missing from a file (other content) is unanswered.
        for (i, st) in stats.iter_mut().enumerate() {
            if !seen.contains(&i) {
                st.unanswered += 1;
            }
        }
    }
    for (st, tally) in stats.iter_mut().zip(tallies) {
        let mut wrong: Vec<WrongChoice> = tally
            .into_iter()
            .map(|(choice, (count, rank, misconception))| WrongChoice {
                choice,
                count,
                misconception,
                rank,
            })
            .collect();
        wrong.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.rank.cmp(&b.rank))
                .then_with(|| a.choice.cmp(&b.choice))
        });
        st.wrong_choices = wrong;
    }
    stats
}

/// Control characters from a file never reach the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// Pad to a display width (names may be wide or combining characters).
fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn fmt_points(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// Seconds as `mm:ss` (minutes grow past 99 when they must).
pub fn mm_ss(secs: u64) -> String {
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

/// The histogram band labels: "0–10%" … "90–100%".
pub fn band_label(i: usize) -> String {
    format!("{}–{}%", i * 10, i * 10 + 10)
}

/// The report as text for a terminal or a file.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let n = report.students.len();
    let _ = writeln!(
        out,
        "Class report — {} ({})",
        clean(&report.puzzle_title),
        clean(&report.puzzle_id)
    );
    let _ = writeln!(
        out,
        "{n} student{} counted, {} file{} skipped",
        if n == 1 { "" } else { "s" },
        report.skipped.len(),
        if report.skipped.len() == 1 { "" } else { "s" }
    );
    if report.other_content > 0 {
        let _ = writeln!(
            out,
            "Note: {} of these results were taken with other content (a different content hash); \
             their questions are matched by id.",
            report.other_content
        );
    }

    let _ = writeln!(out, "\nStudents");
    let names: Vec<String> = report
        .students
        .iter()
        .map(|s| clean(&s.record.name))
        .collect();
    let nw = names
        .iter()
        .map(|s| s.width())
        .max()
        .unwrap_or(0)
        .clamp(4, 40);
    let _ = writeln!(
        out,
        "  {}  {:>11}  {:>4}  {:>6}  {:>5}",
        pad("name", nw),
        "score",
        "%",
        "time",
        "hints"
    );
    for (s, name) in report.students.iter().zip(&names) {
        let r = &s.record;
        let score = format!("{}/{}", fmt_points(r.total), fmt_points(r.max));
        let _ = writeln!(
            out,
            "  {}  {score:>11}  {:>3.0}%  {:>6}  {:>5}",
            pad(name, nw),
            s.percent(),
            mm_ss(r.duration_secs),
            r.hints_used
        );
    }
    if n > 0 {
        let mean = report.students.iter().map(Student::percent).sum::<f64>() / n as f64;
        let _ = writeln!(out, "  mean {mean:.0}%");
    }

    let _ = writeln!(
        out,
        "\nQuestions (facility = share of students fully right)"
    );
    for q in &report.questions {
        let facility = q
            .facility()
            .map_or("—".to_string(), |f| format!("{:.0}%", f * 100.0));
        let _ = writeln!(
            out,
            "  {} ({}, {}): facility {facility} ({}/{}) · partly {} · wrong {} · unanswered {}",
            q.id,
            q.kind,
            crate::grading::points_label(q.points),
            q.correct,
            q.students,
            q.partial,
            q.wrong,
            q.unanswered
        );
        for w in q.wrong_choices.iter().take(TOP_WRONG) {
            let tag = w
                .misconception
                .as_deref()
                .map(|t| format!("  [{}]", clean(t)))
                .unwrap_or_default();
            let _ = writeln!(out, "      ×{:<3} {}{tag}", w.count, clean(&w.choice));
        }
        if q.wrong_choices.len() > TOP_WRONG {
            let _ = writeln!(
                out,
                "      (+{} other wrong choice{})",
                q.wrong_choices.len() - TOP_WRONG,
                if q.wrong_choices.len() - TOP_WRONG == 1 {
                    ""
                } else {
                    "s"
                }
            );
        }
    }

    let _ = writeln!(out, "\nScore distribution");
    let top = report.histogram.iter().copied().max().unwrap_or(0);
    for (i, &count) in report.histogram.iter().enumerate() {
        // One cell per student up to BAR_WIDTH; beyond, scaled (a non-empty band always shows).
        let cells = if top <= BAR_WIDTH {
            count
        } else {
            (count * BAR_WIDTH).div_ceil(top)
        };
        let _ = writeln!(
            out,
            "  {:>7} │{}{} {count}",
            band_label(i),
            "█".repeat(cells),
            " ".repeat(top.min(BAR_WIDTH) - cells)
        );
    }

    let _ = writeln!(out, "\nSkipped files ({})", report.skipped.len());
    if report.skipped.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "  {} — {}",
            clean(&s.path.display().to_string()),
            s.reason
        );
    }
    out
}

/// The CSV header.
pub const CSV_HEADER: [&str; 7] = [
    "name",
    "started_at",
    "question",
    "points",
    "max",
    "verdict",
    "chosen",
];

/// One row per student per question (content order; a question missing from a file is
/// unanswered), `chosen` joined with ';'.
pub fn write_csv<W: std::io::Write>(report: &Report, out: W) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for s in &report.students {
        let r = &s.record;
        let by_id: HashMap<&str, &crate::results::QuestionRecord> = r
            .questions
            .iter()
            .rev() // the first of duplicated ids wins, as in the statistics
            .map(|q| (q.id.as_str(), q))
            .collect();
        for q in &report.questions {
            let (points, max, verdict, chosen) = match by_id.get(q.id.as_str()) {
                Some(a) => (
                    fmt_points(a.points),
                    fmt_points(a.max),
                    a.verdict.as_str(),
                    a.chosen.join(";"),
                ),
                None => (
                    "0".into(),
                    q.points.to_string(),
                    "unanswered",
                    String::new(),
                ),
            };
            w.write_record([
                r.name.as_str(),
                r.started_at.as_str(),
                q.id.as_str(),
                &points,
                &max,
                verdict,
                &chosen,
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

pub fn render_csv(report: &Report) -> String {
    let mut buf = Vec::new();
    // Writing to memory only fails on a bug; every field is a Rust string, so the bytes are UTF-8.
    write_csv(report, &mut buf).expect("CSV to memory");
    String::from_utf8(buf).expect("CSV of strings is UTF-8")
}

/// The skipped files, one a line, for stderr when stdout carries CSV.
pub fn render_skipped(report: &Report) -> String {
    let mut out = String::new();
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "skipped {} — {}",
            clean(&s.path.display().to_string()),
            s.reason
        );
    }
    out
}

/// `kmsquest report`: print the report. `Ok(false)` when no results file could be read.
pub fn run<P: AsRef<Path>>(puzzle: &Puzzle, paths: &[P], csv: bool) -> anyhow::Result<bool> {
    use std::io::Write;
    let report = build(puzzle, paths);
    if report.students.is_empty() {
        eprint!("{}", render_skipped(&report));
        eprintln!(
            "kmsquest: no results file could be read ({} skipped)",
            report.skipped.len()
        );
        return Ok(false);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if csv {
        eprint!("{}", render_skipped(&report));
        write_csv(&report, &mut out).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => std::io::Error::other(format!("{other:?}")),
        })
    } else {
        out.write_all(render_text(&report).as_bytes())
    }
    .and_then(|()| out.flush());
    match written {
        // `kmsquest report … | head` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(true),
        other => other.map(|()| true).map_err(Into::into),
    }
}
