//! The command line: argument definitions and the non-interactive subcommands.

use crate::content::{self, ContentErrors, Puzzle};
use crate::grading::{self, Report, Verdict};
use crate::sheet;
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "kmsquest",
    version,
    about = "Learn when to use AWS KMS and when to use AWS Secrets Manager: a terminal puzzle game"
)]
pub struct Cli {
    /// Play or check another content pack (a folder with puzzle.toml or puzzle folders).
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Where progress is kept (default: the platform data dir, e.g. ~/.local/share/kmsquest).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Colour theme.
    #[arg(long, global = true, value_enum, default_value_t = ThemeChoice::Dark)]
    pub theme: ThemeChoice,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeChoice {
    Dark,
    Light,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Self-paced practice: immediate feedback, free hints, progress saved.
    Practice,
    /// A scored quiz: rules, optional time limit, feedback at the end, a results file for the grader.
    Quiz {
        /// Your name (asked on screen when missing).
        #[arg(long)]
        name: Option<String>,
        /// Time limit in minutes (no limit without it).
        #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u64).range(1..=600))]
        time_limit: Option<u64>,
        /// Where results (and the in-progress autosave) are written (default: <data dir>/results).
        #[arg(long, value_name = "DIR")]
        results: Option<PathBuf>,
        /// Option-shuffle seed (shown on the rules screen and stored in the results): replays an order.
        #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
        seed: Option<u64>,
        /// Continue the newest unfinished quiz (of --name, when given) with the time already used.
        #[arg(long)]
        resume: bool,
    },
    /// Projector mode for an instructor-led session: big text, nothing revealed until you reveal it.
    Present {
        /// Speaker notes: follow a running presenter from a second terminal (key, feedback, hints, timer).
        #[arg(long)]
        notes: bool,
    },
    /// Print a blank answer sheet (TOML) listing every question and its option ids.
    Sheet,
    /// Grade a filled answer sheet (or a quiz results file).
    Grade {
        file: PathBuf,
        /// Print JSON: {"total", "max", "questions": [{"id", "points", "max", "feedback"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Validate a content pack (the embedded one without DIR); lists every error.
    Check { dir: Option<PathBuf> },
    /// Write the puzzle as a Markdown worksheet.
    Export {
        /// Include the key, every option's feedback, explanations and the suggested solutions.
        #[arg(long)]
        answers: bool,
    },
    /// Class report over quiz results files: per student, per question, a score histogram.
    Report {
        /// Results files, or folders whose *.toml files are read (not their subfolders).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print CSV instead: one row per student per question (skipped files go to stderr).
        #[arg(long)]
        csv: bool,
    },
}

/// Load the puzzle to play or grade: the first puzzle of the pack.
pub fn load_puzzle(dir: Option<&Path>) -> Result<Puzzle> {
    let mut puzzles =
        content::load(dir).map_err(|e| anyhow::anyhow!("the content pack has errors:\n{e}"))?;
    if puzzles.is_empty() {
        bail!("the content pack holds no puzzle");
    }
    Ok(puzzles.remove(0))
}

pub fn run_check(dir: Option<&Path>) -> Result<bool> {
    match content::load(dir) {
        Ok(puzzles) => {
            for p in &puzzles {
                let questions = p.questions().count();
                let hints: usize = p.tasks.iter().map(|t| t.hints.len()).sum();
                println!(
                    "ok: {} \"{}\" — {} tasks, {} questions, {} hints, {} points",
                    p.id,
                    p.title,
                    p.tasks.len(),
                    questions,
                    hints,
                    p.max_points()
                );
            }
            Ok(true)
        }
        Err(ContentErrors(errors)) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!(
                "{} error{} found",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            Ok(false)
        }
    }
}

/// Grade a sheet or results file's text against a puzzle.
pub fn grade_text(puzzle: &Puzzle, text: &str) -> Result<Report, sheet::SheetError> {
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| sheet::SheetError(format!("not valid TOML: {}", e.message().trim())))?;
    // A quiz results file keeps its answers in answer-sheet shape under [answers], and the hints it
    // paid for under [hints]: re-grading charges them again, so the score is reproduced.
    if let Some(toml::Value::Table(t)) = table.get("answers")
        && table.contains_key("format_version")
    {
        let mut t = t.clone();
        if let Some(p) = table.get("puzzle") {
            t.insert("puzzle".into(), p.clone());
        }
        let answers = sheet::parse_table(puzzle, &t)?;
        let hints: std::collections::BTreeMap<String, usize> = table
            .get("hints")
            .and_then(toml::Value::as_table)
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| v.as_integer().map(|n| (k.clone(), n.max(0) as usize)))
                    .collect()
            })
            .unwrap_or_default();
        return Ok(grading::grade_all(
            puzzle,
            &answers,
            &|task| hints.get(&task.id).copied().unwrap_or(0),
            true,
        ));
    }
    let answers = sheet::parse_table(puzzle, &table)?;
    Ok(grading::grade_all(puzzle, &answers, &|_| 0, false))
}

pub fn run_grade(puzzle: &Puzzle, file: &Path, json: bool) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let report =
        grade_text(puzzle, &text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if json {
        println!("{}", report_json(&report));
    } else {
        print!("{}", report_table(puzzle, &report));
    }
    Ok(())
}

pub fn report_json(report: &Report) -> String {
    let questions: Vec<_> = report
        .questions
        .iter()
        .map(|q| {
            serde_json::json!({
                "id": q.path,
                "points": q.grade.points,
                "max": q.grade.max,
                "verdict": match q.grade.verdict {
                    Verdict::Correct => "correct",
                    Verdict::Partial => "partial",
                    Verdict::Wrong => "wrong",
                    Verdict::Unanswered => "unanswered",
                },
                "feedback": q.grade.feedback.join(" "),
                "misconceptions": q.grade.misconceptions,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "total": report.total,
        "max": report.max,
        "questions": questions,
    }))
    .unwrap_or_default()
}

fn fmt_points(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

pub fn report_table(puzzle: &Puzzle, report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let width = report
        .questions
        .iter()
        .map(|q| q.path.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        out,
        "{:<width$}  {:>9}  {:<14}  feedback",
        "question", "points", "verdict"
    );
    for q in &report.questions {
        let pts = format!("{}/{}", fmt_points(q.grade.points), fmt_points(q.grade.max));
        let fb = q.grade.feedback.join(" ");
        let fb = fb.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            out,
            "{:<width$}  {:>9}  {:<14}  {}",
            q.path,
            pts,
            q.grade.verdict.mark(),
            fb
        );
    }
    let _ = writeln!(out);
    for (t, s) in puzzle.tasks.iter().zip(&report.tasks) {
        let _ = writeln!(
            out,
            "Task {} — {}: {}/{}",
            t.number,
            t.title,
            fmt_points(s.points),
            fmt_points(s.max)
        );
    }
    let unanswered: Vec<_> = report
        .questions
        .iter()
        .filter(|q| q.grade.verdict == Verdict::Unanswered)
        .map(|q| q.path.as_str())
        .collect();
    if !unanswered.is_empty() {
        let _ = writeln!(
            out,
            "Unanswered ({}): {}",
            unanswered.len(),
            unanswered.join(", ")
        );
    }
    let pct = if report.max > 0.0 {
        report.total / report.max * 100.0
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "Total: {}/{} ({pct:.0}%)",
        fmt_points(report.total),
        fmt_points(report.max)
    );
    out
}
