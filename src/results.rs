//! Quiz results on disk: the in-progress autosave and the final results file, both versioned TOML
//! written atomically. Answers are kept in answer-sheet shape so `kmsquest grade` can re-grade them.

use crate::content::Puzzle;
use crate::grading::Verdict;
use crate::model::{Focus, Model, QuizState, draft_from_answer};
use crate::sheet;
use crate::store::write_atomic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const RESULTS_VERSION: u32 = 1;
pub const KIND_FINAL: &str = "kmsquest-results";
pub const KIND_IN_PROGRESS: &str = "kmsquest-quiz-in-progress";
const IN_PROGRESS_SUFFIX: &str = ".in-progress.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizRecord {
    pub format_version: u32,
    pub kind: String,
    pub name: String,
    pub puzzle: String,
    pub content_hash: String,
    pub seed: u64,
    pub started_at: String,
    #[serde(default)]
    pub finished_at: Option<String>,
    pub duration_secs: u64,
    #[serde(default)]
    pub time_limit_secs: Option<u64>,
    /// Hints revealed per task id.
    pub hints: BTreeMap<String, usize>,
    pub hints_used: usize,
    /// Task ids submitted so far.
    pub submitted: Vec<String>,
    pub total: f64,
    pub max: f64,
    pub tasks: Vec<TaskRecord>,
    pub questions: Vec<QuestionRecord>,
    /// The answers in answer-sheet shape.
    pub answers: toml::Table,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    pub id: String,
    pub points: f64,
    pub max: f64,
    pub hint_penalty: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionRecord {
    pub id: String,
    pub points: f64,
    pub max: f64,
    /// "correct", "partial", "wrong" or "unanswered".
    pub verdict: String,
    pub chosen: Vec<String>,
    #[serde(default)]
    pub misconceptions: Vec<String>,
}

pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Correct => "correct",
        Verdict::Partial => "partial",
        Verdict::Wrong => "wrong",
        Verdict::Unanswered => "unanswered",
    }
}

fn chosen_ids(answer: Option<&crate::answer::Answer>) -> Vec<String> {
    use crate::answer::Answer;
    match answer {
        None => vec![],
        Some(Answer::Single(s)) => vec![s.clone()],
        Some(Answer::List(l)) => l.clone(),
        Some(Answer::Matrix(m)) => m
            .iter()
            .flat_map(|(r, cols)| cols.iter().map(move |c| format!("{r}:{c}")))
            .collect(),
    }
}

/// The record of a quiz model (in progress or final).
pub fn record(model: &Model) -> Option<QuizRecord> {
    let quiz = model.quiz.as_ref()?;
    let report = model.report();
    let answers = model.answers();
    let puzzle = &model.puzzle;
    Some(QuizRecord {
        format_version: RESULTS_VERSION,
        kind: if quiz.finished {
            KIND_FINAL
        } else {
            KIND_IN_PROGRESS
        }
        .into(),
        name: quiz.name.clone(),
        puzzle: puzzle.id.clone(),
        content_hash: puzzle.content_hash.clone(),
        seed: quiz.seed,
        started_at: quiz.started_at.clone().unwrap_or_default(),
        finished_at: quiz.finished_at.clone(),
        duration_secs: quiz.elapsed_secs,
        time_limit_secs: quiz.time_limit_secs,
        hints: puzzle
            .tasks
            .iter()
            .zip(&model.tasks)
            .map(|(t, s)| (t.id.clone(), s.hints_revealed))
            .collect(),
        hints_used: model.hints_used(),
        submitted: puzzle
            .tasks
            .iter()
            .zip(&quiz.submitted)
            .filter(|(_, s)| **s)
            .map(|(t, _)| t.id.clone())
            .collect(),
        total: report.total,
        max: report.max,
        tasks: report
            .tasks
            .iter()
            .map(|t| TaskRecord {
                id: t.task.clone(),
                points: t.points,
                max: t.max,
                hint_penalty: t.hint_penalty,
            })
            .collect(),
        questions: report
            .questions
            .iter()
            .map(|q| QuestionRecord {
                id: q.path.clone(),
                points: q.grade.points,
                max: q.grade.max,
                verdict: verdict_name(q.grade.verdict).into(),
                chosen: chosen_ids(answers.get(&q.path)),
                misconceptions: q.grade.misconceptions.clone(),
            })
            .collect(),
        answers: sheet::to_table(&answers),
    })
}

/// Letters, digits, '-' and '_' only: a name must never make a path.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if s.is_empty() { "student".into() } else { s }
}

/// "2026-12-03T14:05:09Z" → "20261203T140509Z" for file names.
pub fn compact_time(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn in_progress_path(dir: &Path, quiz: &QuizState) -> PathBuf {
    let started = quiz.started_at.as_deref().unwrap_or("unstarted");
    dir.join(format!(
        "{}-{}{IN_PROGRESS_SUFFIX}",
        file_stem(&quiz.name),
        compact_time(started)
    ))
}

pub fn save_in_progress(dir: &Path, model: &Model) -> std::io::Result<Option<PathBuf>> {
    let (Some(rec), Some(quiz)) = (record(model), model.quiz.as_ref()) else {
        return Ok(None);
    };
    let path = in_progress_path(dir, quiz);
    let text = toml::to_string(&rec).map_err(std::io::Error::other)?;
    write_atomic(&path, text.as_bytes())?;
    Ok(Some(path))
}

/// Write the final results file (never over another one) and remove the in-progress file.
pub fn write_final(dir: &Path, model: &Model) -> std::io::Result<PathBuf> {
    let (Some(rec), Some(quiz)) = (record(model), model.quiz.as_ref()) else {
        return Err(std::io::Error::other("not a quiz"));
    };
    std::fs::create_dir_all(dir)?;
    let text = toml::to_string(&rec).map_err(std::io::Error::other)?;
    let stem = format!(
        "{}-{}",
        file_stem(&quiz.name),
        compact_time(quiz.started_at.as_deref().unwrap_or(""))
    );
    let mut n = 1;
    let path = loop {
        let candidate = if n == 1 {
            dir.join(format!("{stem}.toml"))
        } else {
            dir.join(format!("{stem}-{n}.toml"))
        };
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut tmp, text.as_bytes())?;
        tmp.as_file().sync_all()?;
        match tmp.persist_noclobber(&candidate) {
            Ok(_) => break candidate,
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e.error),
        }
    };
    let ip = in_progress_path(dir, quiz);
    if ip.exists() {
        std::fs::remove_file(ip)?;
    }
    Ok(path)
}

/// The newest unfinished quiz in `dir` (for `name`, when given).
pub fn find_in_progress(dir: &Path, name: Option<&str>) -> Option<PathBuf> {
    let prefix = name.map(|n| format!("{}-", file_stem(n)));
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            f.ends_with(IN_PROGRESS_SUFFIX)
                && prefix.as_ref().is_none_or(|p| f.starts_with(p.as_str()))
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

/// Rebuild a running quiz from its autosave.
pub fn resume(model: &mut Model, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let rec: QuizRecord = toml::from_str(&text)
        .map_err(|e| format!("{} is not a quiz file: {}", path.display(), e.message()))?;
    if rec.puzzle != model.puzzle.id {
        return Err(format!(
            "{} is a quiz of puzzle \"{}\", not \"{}\"",
            path.display(),
            rec.puzzle,
            model.puzzle.id
        ));
    }
    let puzzle: &Puzzle = &model.puzzle.clone();
    let mut quiz = QuizState::new(
        Some(rec.name.clone()),
        rec.seed,
        rec.time_limit_secs,
        puzzle.tasks.len(),
    );
    quiz.started = true;
    quiz.started_at = Some(rec.started_at.clone());
    quiz.elapsed_secs = rec.duration_secs;
    quiz.warned = rec
        .time_limit_secs
        .is_some_and(|l| l.saturating_sub(rec.duration_secs) <= 120);
    for (i, t) in puzzle.tasks.iter().enumerate() {
        quiz.submitted[i] = rec.submitted.contains(&t.id);
    }
    model.quiz = Some(quiz);
    model.shuffle_options(rec.seed);
    let (answers, _) = sheet::parse_table_lenient(puzzle, &rec.answers);
    for (ti, task) in puzzle.tasks.iter().enumerate() {
        model.tasks[ti].hints_revealed = rec
            .hints
            .get(&task.id)
            .copied()
            .unwrap_or(0)
            .min(task.hints.len());
        for (qi, q) in task.questions.iter().enumerate() {
            if let Some(a) = answers.get(&Puzzle::question_path(task, q))
                && let Some(d) = draft_from_answer(q, a)
            {
                model.tasks[ti].questions[qi].draft = d;
                model.tasks[ti].questions[qi].checked = Some(a.clone());
            }
        }
    }
    let next = (0..puzzle.tasks.len()).find(|&t| !model.task_locked(t));
    if let Some(t) = next {
        model.tasks[t].focus = Focus::Question(0);
        crate::update::go_to(model, crate::model::Screen::Task(t));
    }
    Ok(())
}
