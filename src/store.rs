//! Progress on disk: versioned TOML, written atomically (temp file + fsync + rename). A corrupt or
//! newer-version file is moved aside with a message, never silently overwritten.

use crate::content::Puzzle;
use crate::model::{Focus, Model, Screen, draft_from_answer};
use crate::sheet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const PROGRESS_VERSION: u32 = 1;
pub const PROGRESS_FILE: &str = "progress.toml";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressFile {
    pub version: u32,
    #[serde(default)]
    pub puzzles: BTreeMap<String, PuzzleProgress>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PuzzleProgress {
    pub content_hash: String,
    /// "scenario", "task:N", "solution:N", "final" (0-based N).
    pub screen: String,
    /// Per task id: hints revealed and the focused question (0 = intro).
    #[serde(default)]
    pub tasks: BTreeMap<String, TaskProgress>,
    /// Checked answers in answer-sheet shape.
    #[serde(default)]
    pub answers: toml::Table,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskProgress {
    pub hints: usize,
    pub focus: usize,
}

/// The platform's data dir for kmsquest (e.g. ~/.local/share/kmsquest).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("kmsquest")
}

/// Write bytes to `path` atomically: a reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Move a bad file aside as `<name>.corrupt-<unix seconds>`; returns the new path.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut target = path.with_file_name(format!(
        "{}.corrupt-{secs}",
        path.file_name()
            .map_or("file".into(), |n| n.to_string_lossy())
    ));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!(
            "{}.corrupt-{secs}-{n}",
            path.file_name()
                .map_or("file".into(), |n| n.to_string_lossy())
        ));
        n += 1;
    }
    std::fs::rename(path, &target)?;
    Ok(target)
}

/// The outcome of loading progress: the file (fresh if none) and a notice for the student.
pub struct Loaded {
    pub file: ProgressFile,
    pub notice: Option<String>,
}

pub fn load(dir: &Path) -> Loaded {
    let path = dir.join(PROGRESS_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                file: ProgressFile {
                    version: PROGRESS_VERSION,
                    ..Default::default()
                },
                notice: None,
            };
        }
        Err(e) => {
            return Loaded {
                file: ProgressFile {
                    version: PROGRESS_VERSION,
                    ..Default::default()
                },
                notice: Some(format!(
                    "Could not read {}: {e}. Starting fresh.",
                    path.display()
                )),
            };
        }
    };
    let parsed = std::str::from_utf8(&text)
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str::<ProgressFile>(t).map_err(|e| e.message().to_string()));
    let problem = match parsed {
        Ok(f) if f.version == PROGRESS_VERSION => {
            return Loaded {
                file: f,
                notice: None,
            };
        }
        Ok(f) => format!("written by a newer kmsquest (version {})", f.version),
        Err(e) => format!("corrupt ({})", e.lines().next().unwrap_or("").trim()),
    };
    let fresh = ProgressFile {
        version: PROGRESS_VERSION,
        ..Default::default()
    };
    match move_aside(&path) {
        Ok(to) => Loaded {
            file: fresh,
            notice: Some(format!(
                "Starting fresh: progress moved to {} — it was {problem}.",
                to.display()
            )),
        },
        Err(e) => Loaded {
            file: fresh,
            notice: Some(format!(
                "Starting fresh: the progress file was {problem} and could not be moved aside ({e})."
            )),
        },
    }
}

pub fn save(dir: &Path, file: &ProgressFile) -> std::io::Result<()> {
    let text = toml::to_string(file).map_err(std::io::Error::other)?;
    write_atomic(&dir.join(PROGRESS_FILE), text.as_bytes())
}

fn screen_name(s: Screen) -> String {
    match s {
        Screen::Menu
        | Screen::Scenario
        | Screen::NamePrompt
        | Screen::Rules
        | Screen::Score
        | Screen::Review(_) => "scenario".into(),
        Screen::Task(t) => format!("task:{t}"),
        Screen::Solution(t) => format!("solution:{t}"),
        Screen::Final => "final".into(),
    }
}

fn parse_screen(s: &str, tasks: usize) -> Screen {
    let index = |n: &str| n.parse::<usize>().ok().filter(|&t| t < tasks);
    match s.split_once(':') {
        Some(("task", n)) => index(n).map_or(Screen::Scenario, Screen::Task),
        Some(("solution", n)) => index(n).map_or(Screen::Scenario, Screen::Solution),
        _ if s == "final" => Screen::Final,
        _ => Screen::Scenario,
    }
}

/// The model's progress, to be stored under its puzzle id.
pub fn snapshot(model: &Model) -> PuzzleProgress {
    let tasks = model
        .puzzle
        .tasks
        .iter()
        .zip(&model.tasks)
        .map(|(t, s)| {
            let focus = match s.focus {
                Focus::Intro => 0,
                Focus::Question(i) => i + 1,
            };
            (
                t.id.clone(),
                TaskProgress {
                    hints: s.hints_revealed,
                    focus,
                },
            )
        })
        .collect();
    PuzzleProgress {
        content_hash: model.puzzle.content_hash.clone(),
        screen: screen_name(model.resume),
        tasks,
        answers: sheet::to_table(&model.answers()),
    }
}

/// Restore saved progress into a fresh model. Answers that no longer fit edited content are
/// dropped (and said so); nothing here can panic on a hand-edited file.
pub fn restore(model: &mut Model, saved: &PuzzleProgress) -> Option<String> {
    let puzzle: &Puzzle = &model.puzzle.clone();
    let (answers, dropped) = sheet::parse_table_lenient(puzzle, &saved.answers);
    for (ti, task) in puzzle.tasks.iter().enumerate() {
        let state = &mut model.tasks[ti];
        if let Some(tp) = saved.tasks.get(&task.id) {
            state.hints_revealed = tp.hints.min(task.hints.len());
            state.focus = match tp.focus {
                0 => Focus::Intro,
                n if n <= task.questions.len() => Focus::Question(n - 1),
                _ => Focus::Intro,
            };
        }
        for (qi, q) in task.questions.iter().enumerate() {
            let path = Puzzle::question_path(task, q);
            if let Some(a) = answers.get(&path)
                && let Some(draft) = draft_from_answer(q, a)
            {
                state.questions[qi].draft = draft;
                state.questions[qi].checked = Some(a.clone());
            }
        }
    }
    model.resume = parse_screen(&saved.screen, puzzle.tasks.len());
    if saved.content_hash != puzzle.content_hash {
        return Some(if dropped > 0 {
            format!(
                "The content changed since your last session: {dropped} saved answers no longer fit and were dropped."
            )
        } else {
            "The content changed since your last session; your answers still fit and were kept."
                .into()
        });
    }
    None
}
