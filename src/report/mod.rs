//! The class report: many quiz results files summed up for the grader — per student, per question
//! (facility and the most-chosen wrong answers with their misconception tags), a score histogram and
//! the files that were skipped, with why. `build` does the reading and counting; `render_text` and
//! `render_csv` only format, so tests and benches need no process.
//!
//! Speed: a class of 10,000 files must take well under a second. Parsing TOML dominates, so files in
//! the exact shape kmsquest writes go through a small strict reader (`fast`) that accepts only a
//! subset of TOML; anything else (hand edits, comments, odd strings, errors) is read by the `toml`
//! crate into a `QuizRecord`, so both paths accept and reject exactly the same files.

use crate::content::{ChoiceOption, Expected, OptionGrade, Puzzle, QuestionSpec};
use crate::grading::Verdict;
use crate::results::{KIND_FINAL, KIND_IN_PROGRESS, QuizRecord, RESULTS_VERSION, verdict_name};
use std::collections::HashMap;
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

/// What the report keeps of one results file.
#[derive(Debug, Clone, PartialEq)]
pub struct Student {
    pub path: PathBuf,
    pub name: String,
    pub started_at: String,
    pub content_hash: String,
    /// The score after hint costs, as the file records it.
    pub total: f64,
    pub max: f64,
    pub duration_secs: u64,
    pub hints_used: usize,
    /// The file's answer to each question of the loaded puzzle, by content position (`None`: the
    /// file does not list it). Questions the content no longer has are dropped.
    pub answers: Vec<Option<Answered>>,
}

impl Student {
    pub fn percent(&self) -> f64 {
        percent(self.total, self.max)
    }
}

/// One question of a results file.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub points: f64,
    pub max: f64,
    /// An unknown verdict word counts as unanswered.
    pub verdict: Verdict,
    /// Option ids; matrix cells as `row:column`; an ordering's step ids in the student's order.
    pub chosen: Vec<String>,
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
    /// Unanswered, or missing from the file.
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
                let of = clean(&of.display().to_string());
                if *same_file {
                    write!(f, "duplicate: the same file as {of}")
                } else {
                    write!(f, "duplicate: same name, start time and puzzle as {of}")
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

fn parse_verdict(word: &str) -> Verdict {
    match word {
        "correct" => Verdict::Correct,
        "partial" => Verdict::Partial,
        "wrong" => Verdict::Wrong,
        _ => Verdict::Unanswered,
    }
}

/// A results file as the report reads it, before the checks against the puzzle.
#[derive(Debug, Clone, PartialEq)]
struct Summary {
    format_version: u32,
    kind: String,
    puzzle: String,
    name: String,
    started_at: String,
    content_hash: String,
    total: f64,
    max: f64,
    duration_secs: u64,
    hints_used: usize,
    answers: Vec<Option<Answered>>,
}

/// The puzzle's question paths → content position.
type QuestionIndex = HashMap<String, usize, FxBuild>;

/// FxHash (rustc-hash) for the short keys of one puzzle's ids and one file's tables: SipHash
/// showed in profiles. The maps it serves are bounded by the (size-capped) file.
type FxBuild = rustc_hash::FxBuildHasher;

impl Summary {
    fn from_record(r: QuizRecord, index: &QuestionIndex) -> Summary {
        let mut answers: Vec<Option<Answered>> = vec![None; index.len()];
        for q in r.questions {
            if let Some(&i) = index.get(&q.id)
                && answers[i].is_none()
            {
                answers[i] = Some(Answered {
                    points: q.points,
                    max: q.max,
                    verdict: parse_verdict(&q.verdict),
                    chosen: q.chosen,
                });
            }
        }
        Summary {
            format_version: r.format_version,
            kind: r.kind,
            puzzle: r.puzzle,
            name: r.name,
            started_at: r.started_at,
            content_hash: r.content_hash,
            total: r.total,
            max: r.max,
            duration_secs: r.duration_secs,
            hints_used: r.hints_used,
            answers,
        }
    }
}

/// What became of one file before the sequential checks.
enum Loaded {
    Read(Box<Summary>),
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

fn found_file(path: PathBuf) -> Found {
    if is_in_progress(&path) {
        Found::Skip(Skipped {
            path,
            reason: SkipReason::Unfinished,
        })
    } else {
        Found::File(path)
    }
}

/// Expand the arguments: files as given, folders into their `*.toml` files (sorted by name).
fn discover<P: AsRef<Path>>(paths: &[P]) -> Vec<Found> {
    let mut found = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let unreadable = |e: &std::io::Error| {
            Found::Skip(Skipped {
                path: p.to_path_buf(),
                reason: SkipReason::Unreadable(io_reason(e)),
            })
        };
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                found.push(unreadable(&e));
                continue;
            }
        };
        if !meta.is_dir() {
            found.push(found_file(p.to_path_buf()));
            continue;
        }
        let entries = match std::fs::read_dir(p) {
            Ok(rd) => rd,
            Err(e) => {
                found.push(unreadable(&e));
                continue;
            }
        };
        let mut files: Vec<(std::ffi::OsString, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name().to_str().is_some_and(|n| n.ends_with(".toml"))
                    // Folders named *.toml are not results; symlinks to files are followed.
                    && e.file_type().is_ok_and(|t| {
                        t.is_file()
                            || (t.is_symlink() && std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()))
                    })
            })
            .map(|e| (e.file_name(), e.path()))
            .collect();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        found.extend(files.into_iter().map(|(_, p)| found_file(p)));
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

/// Parse a results file's text: the fast reader when it can, else the `toml` crate.
fn parse(text: &str, index: &QuestionIndex) -> Result<Summary, Loaded> {
    if let Some(s) = fast::parse(text, index) {
        return Ok(s);
    }
    match toml::from_str::<QuizRecord>(text) {
        Ok(r) => Ok(Summary::from_record(r, index)),
        Err(e) => {
            // Only on failure: tell "not TOML" apart from "TOML, but not a results file".
            let at = e
                .span()
                .map(|s| format!(" (line {})", line_of(text, s.start)))
                .unwrap_or_default();
            Err(match toml::from_str::<toml::Table>(text) {
                Err(_) => Loaded::Corrupt(format!("not valid TOML{at}: {}", one_line(e.message()))),
                Ok(t) if t.get("kind").and_then(toml::Value::as_str) == Some(KIND_IN_PROGRESS) => {
                    Loaded::Unfinished
                }
                Ok(_) => Loaded::Corrupt(format!(
                    "not a kmsquest results file{at}: {}",
                    one_line(e.message())
                )),
            })
        }
    }
}

/// Read and parse one file; every failure becomes a reason. `buf` is reused from file to file.
fn load(path: &Path, index: &QuestionIndex, buf: &mut Vec<u8>) -> Loaded {
    use std::io::Read;
    buf.clear();
    if let Err(e) = std::fs::File::open(path).and_then(|mut f| f.read_to_end(buf)) {
        return Loaded::Unreadable(io_reason(&e));
    }
    let Ok(text) = std::str::from_utf8(buf) else {
        return Loaded::Corrupt("not a text file (invalid UTF-8)".into());
    };
    let summary = match parse(text, index) {
        Ok(s) => s,
        Err(l) => return l,
    };
    if summary.kind == KIND_IN_PROGRESS {
        return Loaded::Unfinished;
    }
    if summary.kind != KIND_FINAL {
        return Loaded::Corrupt(format!(
            "kind is \"{}\", not \"{KIND_FINAL}\"",
            clean(&summary.kind)
        ));
    }
    if summary.format_version != RESULTS_VERSION {
        return Loaded::Corrupt(format!(
            "format_version {} is not supported (this kmsquest reads {RESULTS_VERSION})",
            summary.format_version
        ));
    }
    Loaded::Read(Box::new(summary))
}

/// Load every file (with its canonical path), in parallel when there are many; order is kept.
fn load_all(files: &[PathBuf], index: &QuestionIndex) -> Vec<(Option<std::ffi::OsString>, Loaded)> {
    let some = |files: &[PathBuf]| {
        let mut buf = Vec::with_capacity(16 * 1024);
        files
            .iter()
            .map(|p| {
                let canonical = std::fs::canonicalize(p).ok().map(PathBuf::into_os_string);
                (canonical, load(p, index, &mut buf))
            })
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || files.len() < PARALLEL_MIN_FILES {
        return some(files);
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || some(c)))
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
    let index: QuestionIndex = puzzle
        .questions()
        .enumerate()
        .map(|(i, (t, q))| (Puzzle::question_path(t, q), i))
        .collect();
    let found = discover(paths);
    let files: Vec<PathBuf> = found
        .iter()
        .filter_map(|f| match f {
            Found::File(p) => Some(p.clone()),
            Found::Skip(_) => None,
        })
        .collect();
    let mut loaded = load_all(&files, &index).into_iter();

    let mut skipped = Vec::new();
    let mut students: Vec<Student> = Vec::with_capacity(files.len());
    let mut seen_files: HashMap<std::ffi::OsString, PathBuf> = HashMap::with_capacity(files.len());
    let mut seen_attempts: HashMap<(String, String), PathBuf> = HashMap::with_capacity(files.len());
    'files: for f in found {
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
        let reason = 'checks: {
            if let Some(c) = canonical {
                if let Some(first) = seen_files.get(&c) {
                    break 'checks SkipReason::Duplicate {
                        of: first.clone(),
                        same_file: true,
                    };
                }
                seen_files.insert(c, path.clone());
            }
            let s = match result {
                Loaded::Read(s) => *s,
                Loaded::Unfinished => break 'checks SkipReason::Unfinished,
                Loaded::Unreadable(e) => break 'checks SkipReason::Unreadable(e),
                Loaded::Corrupt(e) => break 'checks SkipReason::Corrupt(e),
            };
            if s.puzzle != puzzle.id {
                break 'checks SkipReason::Foreign {
                    puzzle: s.puzzle,
                    expected: puzzle.id.clone(),
                };
            }
            // The puzzle is the same for every file counted, so name + start time identify an attempt.
            let key = (s.name.clone(), s.started_at.clone());
            if let Some(first) = seen_attempts.get(&key) {
                break 'checks SkipReason::Duplicate {
                    of: first.clone(),
                    same_file: false,
                };
            }
            seen_attempts.insert(key, path.clone());
            students.push(Student {
                path,
                name: s.name,
                started_at: s.started_at,
                content_hash: s.content_hash,
                total: s.total,
                max: s.max,
                duration_secs: s.duration_secs,
                hints_used: s.hints_used,
                answers: s.answers,
            });
            continue 'files;
        };
        skipped.push(Skipped { path, reason });
    }
    students.sort_by_cached_key(|s| (s.name.to_lowercase(), s.name.clone(), s.started_at.clone()));

    let mut histogram = [0usize; 10];
    for s in &students {
        histogram[band(s.total, s.max)] += 1;
    }
    let other_content = students
        .iter()
        .filter(|s| s.content_hash != puzzle.content_hash)
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

/// A wrong choice as counted: borrowed from the students while tallying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Choice<'a> {
    One(&'a str),
    /// An ordering, step by step.
    Sequence(&'a [String]),
}

/// The wrong choices inside one non-correct answer: (choice, content rank, misconception tag).
fn wrong_in<'a, 'q>(
    spec: &'q QuestionSpec,
    chosen: &'a [String],
    out: &mut Vec<(Choice<'a>, usize, Option<&'q str>)>,
) {
    out.clear();
    match spec {
        QuestionSpec::Single { options } => {
            for id in chosen {
                match option_rank(options, id) {
                    (_, Some(o)) if o.is_key() => {}
                    (rank, o) => out.push((
                        Choice::One(id),
                        rank,
                        o.and_then(|o| o.misconception.as_deref()),
                    )),
                }
            }
        }
        QuestionSpec::Multi { options } => {
            for id in chosen {
                match option_rank(options, id) {
                    (rank, Some(o)) => {
                        if o.grade == OptionGrade::Expected(Expected::Forbidden) {
                            out.push((Choice::One(id), rank, o.misconception.as_deref()));
                        }
                    }
                    (rank, None) => out.push((Choice::One(id), rank, None)),
                }
            }
        }
        QuestionSpec::Matrix {
            rows,
            columns,
            grants,
            cells,
        } => {
            for cell in chosen {
                let Some((r, c)) = cell.split_once(':') else {
                    out.push((Choice::One(cell), usize::MAX, None));
                    continue;
                };
                let ri = rows.iter().position(|x| x.id == r);
                let ci = columns.iter().position(|x| x.id == c);
                let (Some(ri), Some(ci)) = (ri, ci) else {
                    out.push((Choice::One(cell), usize::MAX, None));
                    continue;
                };
                if grants.contains(&(ri, ci)) {
                    continue;
                }
                // Over-privilege: granted but not needed; the cell note names the misconception.
                let tag = cells
                    .iter()
                    .find(|n| n.row == ri && n.column == ci)
                    .and_then(|n| n.misconception.as_deref());
                out.push((Choice::One(cell), ri * columns.len() + ci, tag));
            }
        }
        QuestionSpec::Ordering { .. } => {
            if !chosen.is_empty() {
                out.push((Choice::Sequence(chosen), usize::MAX, None));
            }
        }
    }
}

/// How many chose a wrong choice, its content rank and its misconception tag.
type Tally<'q> = (usize, usize, Option<&'q str>);

fn question_stats(puzzle: &Puzzle, students: &[Student]) -> Vec<QuestionStats> {
    let questions: Vec<_> = puzzle.questions().collect();
    let mut stats: Vec<QuestionStats> = questions
        .iter()
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
    let mut tallies: Vec<HashMap<Choice, Tally>> = vec![HashMap::new(); stats.len()];
    let mut wrong = Vec::new();
    for s in students {
        for (i, a) in s.answers.iter().enumerate().take(stats.len()) {
            let Some(a) = a else {
                // Missing from the file (taken with other content): unanswered.
                stats[i].unanswered += 1;
                continue;
            };
            match a.verdict {
                Verdict::Correct => {
                    stats[i].correct += 1;
                    continue;
                }
                Verdict::Partial => stats[i].partial += 1,
                Verdict::Wrong => stats[i].wrong += 1,
                Verdict::Unanswered => stats[i].unanswered += 1,
            }
            wrong_in(&questions[i].1.spec, &a.chosen, &mut wrong);
            for (k, &(choice, rank, tag)) in wrong.iter().enumerate() {
                // A choice listed twice in one answer counts once.
                if wrong[..k].iter().any(|w| w.0 == choice) {
                    continue;
                }
                tallies[i].entry(choice).or_insert((0, rank, tag)).0 += 1;
            }
        }
    }
    for (st, tally) in stats.iter_mut().zip(tallies) {
        let mut list: Vec<WrongChoice> = tally
            .into_iter()
            .map(|(choice, (count, rank, tag))| WrongChoice {
                choice: match choice {
                    Choice::One(s) => s.to_string(),
                    Choice::Sequence(steps) => steps.join(" → "),
                },
                count,
                misconception: tag.map(str::to_string),
                rank,
            })
            .collect();
        list.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.rank.cmp(&b.rank))
                .then_with(|| a.choice.cmp(&b.choice))
        });
        st.wrong_choices = list;
    }
    stats
}

/// Control characters from a file never reach the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// Pad to a display width (names may hold wide characters).
fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// "2" for whole points, else two decimals ("29.08").
pub fn fmt_points(x: f64) -> String {
    let mut s = String::new();
    push_points(&mut s, x);
    s
}

fn push_points(out: &mut String, x: f64) {
    if (x - x.round()).abs() < 1e-9 {
        let _ = write!(out, "{x:.0}");
    } else {
        let _ = write!(out, "{x:.2}");
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
        plural(n),
        report.skipped.len(),
        plural(report.skipped.len())
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
    let names: Vec<String> = report.students.iter().map(|s| clean(&s.name)).collect();
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
        let score = format!("{}/{}", fmt_points(s.total), fmt_points(s.max));
        let _ = writeln!(
            out,
            "  {}  {score:>11}  {:>3.0}%  {:>6}  {:>5}",
            pad(name, nw),
            s.percent(),
            mm_ss(s.duration_secs),
            s.hints_used
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
            let more = q.wrong_choices.len() - TOP_WRONG;
            let _ = writeln!(out, "      (+{more} other wrong choice{})", plural(more));
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
/// unanswered with 0 points), `chosen` joined with ';'.
pub fn write_csv<W: std::io::Write>(report: &Report, out: W) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    let (mut points, mut max, mut chosen) = (String::new(), String::new(), String::new());
    for s in &report.students {
        for (i, q) in report.questions.iter().enumerate() {
            points.clear();
            max.clear();
            chosen.clear();
            let verdict = match s.answers.get(i).and_then(Option::as_ref) {
                Some(a) => {
                    push_points(&mut points, a.points);
                    push_points(&mut max, a.max);
                    for (k, c) in a.chosen.iter().enumerate() {
                        if k > 0 {
                            chosen.push(';');
                        }
                        chosen.push_str(c);
                    }
                    verdict_name(a.verdict)
                }
                None => {
                    points.push('0');
                    let _ = write!(max, "{}", q.points);
                    "unanswered"
                }
            };
            w.write_record([
                s.name.as_str(),
                s.started_at.as_str(),
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

mod fast;

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> QuestionIndex {
        let p = crate::content::load(None).unwrap().remove(0);
        p.questions()
            .enumerate()
            .map(|(i, (t, q))| (Puzzle::question_path(t, q), i))
            .collect()
    }

    fn slow(text: &str, index: &QuestionIndex) -> Option<Summary> {
        toml::from_str::<QuizRecord>(text)
            .ok()
            .map(|r| Summary::from_record(r, index))
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/results")
                .join(name),
        )
        .unwrap()
    }

    const FIXTURES: [&str; 7] = [
        "Alice_Ng-20260302T090012Z.toml",
        "Bob_Okafor-20260302T090047Z.toml",
        "Chen_Wei-20260302T090105Z.toml",
        "Dana_Petrov-20260302T085958Z.toml",
        "Zo___ngstr_m-20260302T090230Z.toml",
        "Evan_Brooks-20260302T090311Z.in-progress.toml",
        "Frank_Other-20260302T090105Z.toml",
    ];

    /// The written shape is read by the fast reader, with the same result as the toml crate.
    #[test]
    fn fast_reader_reads_what_kmsquest_writes() {
        let index = index();
        for f in FIXTURES {
            let text = fixture(f);
            let fast = fast::parse(&text, &index);
            assert!(fast.is_some(), "{f}: the fast reader refused it");
            assert_eq!(fast, slow(&text, &index), "{f}");
        }
    }

    /// Whatever the fast reader accepts, the toml crate accepts with the same values.
    fn agrees(text: &str, index: &QuestionIndex) {
        if let Some(fast) = fast::parse(text, index) {
            assert_eq!(Some(fast), slow(text, index), "differs on:\n{text}");
        }
    }

    #[test]
    fn fast_reader_refuses_or_agrees_on_edge_cases() {
        let index = index();
        let base = fixture(FIXTURES[1]);
        let cases: Vec<String> = vec![
            base.replace("name = \"Bob Okafor\"", "name = 'Bob \"The\" Okafor'"),
            base.replace(
                "name = \"Bob Okafor\"",
                "name = \"Bob \\\"B\\\" \\u00e9 \\U0001F600\"",
            ),
            base.replace("name = \"Bob Okafor\"", "name = \"Bob\\e\""),
            base.replace("name = \"Bob Okafor\"", "name = \"Bob\\ud800\""),
            base.replace("name = \"Bob Okafor\"", "name = \"Bob\tOkafor\""),
            base.replace("name = \"Bob Okafor\"", "name = \"\"\"Bob\"\"\""),
            base.replace("name = \"Bob Okafor\"", "name = \"Bob\" # comment"),
            base.replace("name = \"Bob Okafor\"", "name = \"Bob\"\nname = \"Bob\""),
            base.replace("name = \"Bob Okafor\"", "\"name\" = \"Bob\""),
            base.replace("name = \"Bob Okafor\"", "name=\"Bob\""),
            base.replace("total = 29.08", "total = 29"),
            base.replace("total = 29.08", "total = 2.908e1"),
            base.replace("total = 29.08", "total = 029.08"),
            base.replace("total = 29.08", "total = +29.08"),
            base.replace("total = 29.08", "total = 29.08.1"),
            base.replace("total = 29.08", "total = inf"),
            base.replace("total = 29.08", "total = 29_0.08"),
            base.replace("format_version = 1", "format_version = 4294967296"),
            base.replace("format_version = 1", "format_version = 01"),
            base.replace("format_version = 1", "format_version = -1"),
            base.replace("format_version = 1", "format_version = 2"),
            base.replace("seed = 1290384756", "seed = 18446744073709551615"),
            base.replace("seed = 1290384756", "seed = 18446744073709551616"),
            base.replace("hints_used = 3", "hints_used = 3\nextra = 1"),
            base.replace("[hints]", "[hints]\ntask9 = 1"),
            base.replace("[hints]", "[hints]\ntask1 = 5"),
            base.replace("[hints]", "[hints]\ntask1 = -1"),
            base.replace("[hints]\n", "hints = {}\n[other]\n"),
            base.replace("verdict = \"partial\"", "verdict = \"mystery\""),
            base.replace(
                "verdict = \"partial\"",
                "verdict = \"partial\"\nverdict = \"partial\"",
            ),
            base.replace("misconceptions = []", ""),
            base.replace("chosen = [\"kms\"]", "chosen = [ \"kms\" , 'x', ]"),
            base.replace("chosen = [\"kms\"]", "chosen = [\"kms\",,]"),
            base.replace("chosen = [\"kms\"]", "chosen = [\n\"kms\"]"),
            base.replace("chosen = [\"kms\"]", "chosen = [1]"),
            base.replace("[answers.task2.auth]", "[answers.task2]"),
            base.replace("[answers.task2.auth]", "[answers]\n[answers.task2.auth]"),
            base.replace(
                "[answers.task2.auth]",
                "[answers.task2.auth.x]\n[answers.task2.auth]",
            ),
            base.replace(
                "[answers.task2.auth]",
                "[answers.task2.access.admin-console]",
            ),
            base.replace("[answers.task2.auth]", "[ answers.task2.auth ]"),
            base.replace("[answers.task2.auth]", "[answers.\"task2\".auth]"),
            base.replace("[[tasks]]", "[tasks]"),
            base.replace("[[tasks]]\nid = \"task1\"", "[[tasks]]"),
            base.replace("\n[[tasks]]", "\ntasks = []\n[[tasks]]"),
            base.replace("\n[[questions]]", "\n[[questions]]\n[questions.x]"),
            base.replace("\n", "\r\n"),
            base.replace("\n", "\r"),
            base.replace(
                "[answers.task1]",
                "[answers.task1]\ntransaction-reports-key = \"kms\"",
            ),
            base.replace("kind = \"kmsquest-results\"\n", ""),
            base.replace("started_at", "started_at = \"x\"\nstarted"),
            format!("\u{feff}{base}"),
            format!("{base}\n[answers.task1]\n"),
            format!("{base}\nextra = 1\n"),
            base[..base.len() / 2].to_string(),
            String::new(),
        ];
        for c in &cases {
            agrees(c, &index);
        }
        // Accepted shapes stay on the fast path.
        for c in &cases[..2] {
            assert!(fast::parse(c, &index).is_some());
        }
        assert!(fast::parse(&base.replace('\n', "\r\n"), &index).is_some());
    }

    /// Every single-line edit of a results file: the fast reader refuses it or agrees.
    #[test]
    fn fast_reader_agrees_under_line_edits() {
        let index = index();
        let base = fixture(FIXTURES[2]);
        let lines: Vec<&str> = base.lines().collect();
        for i in 0..lines.len() {
            let mut v = lines.clone();
            v.remove(i);
            agrees(&v.join("\n"), &index);
            let mut v = lines.clone();
            v.insert(i, lines[i]);
            agrees(&v.join("\n"), &index);
            let mut v = lines.clone();
            v.swap(i, (i * 7 + 3) % lines.len());
            agrees(&v.join("\n"), &index);
        }
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;

        fn record_with(name: String, total: f64, chosen: Vec<String>, seed: u64) -> String {
            let mut r: QuizRecord = toml::from_str(&fixture(FIXTURES[0])).unwrap();
            r.name = name;
            r.total = total;
            r.seed = seed;
            r.questions[3].chosen = chosen;
            toml::to_string(&r).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            /// Arbitrary strings and numbers as toml writes them: fast agrees with toml (or refuses).
            #[test]
            fn written_records_agree(
                name in any::<String>(),
                total in any::<f64>(),
                chosen in proptest::collection::vec(any::<String>(), 0..4),
                seed in any::<u64>(),
            ) {
                let index = index();
                agrees(&record_with(name, total, chosen, seed), &index);
            }

            /// Plain names and scores stay on the fast path.
            #[test]
            fn plain_records_are_fast(
                name in "[A-Za-zÀ-ÿ .\"\\\\-]{1,40}|[A-Za-z' -]{1,40}",
                total in 0.0f64..52.0,
                seed in any::<u64>(),
            ) {
                let index = index();
                let text = record_with(name, total, vec!["a:b".into()], seed);
                prop_assert!(fast::parse(&text, &index).is_some(), "{}", text);
                agrees(&text, &index);
            }

            #[test]
            fn find_newline_finds_the_first(
                bytes in proptest::collection::vec(prop_oneof![Just(b'\n'), any::<u8>()], 0..40),
            ) {
                prop_assert_eq!(
                    fast::find_newline(&bytes),
                    bytes.iter().position(|&b| b == b'\n')
                );
            }

            /// Random byte edits anywhere: refused, or read the same as toml reads them.
            #[test]
            fn byte_edits_agree(at in 0usize..6000, byte in any::<u8>(), delete in any::<bool>()) {
                let index = index();
                let mut text = fixture(FIXTURES[3]).into_bytes();
                let at = at % text.len();
                if delete { text.remove(at); } else { text.insert(at, byte); }
                if let Ok(text) = String::from_utf8(text) {
                    agrees(&text, &index);
                }
            }
        }
    }
}
