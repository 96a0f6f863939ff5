//! The one grader: the TUI, answer sheets, quiz results and class reports all score through here.

use crate::answer::{Answer, Answers};
use crate::content::{Expected, OptionGrade, Puzzle, Question, QuestionSpec, Task};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Correct,
    Partial,
    Wrong,
    Unanswered,
}

impl Verdict {
    /// A glyph and a word: meaning never rests on colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            Verdict::Correct => "✓ correct",
            Verdict::Partial => "◐ partly",
            Verdict::Wrong => "✗ wrong",
            Verdict::Unanswered => "· unanswered",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub points: f64,
    pub max: f64,
    pub verdict: Verdict,
    /// Feedback lines for what the student chose (or missed), in display order.
    pub feedback: Vec<String>,
    /// Misconception tags revealed by this answer.
    pub misconceptions: Vec<String>,
}

fn verdict_of(fraction: f64) -> Verdict {
    if fraction >= 1.0 - 1e-9 {
        Verdict::Correct
    } else if fraction > 1e-9 {
        Verdict::Partial
    } else {
        Verdict::Wrong
    }
}

/// "1 point", "2 points".
pub fn points_label(points: u32) -> String {
    format!("{points} point{}", if points == 1 { "" } else { "s" })
}

/// Round to hundredths so totals print cleanly and compare stably.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Length of the longest subsequence of `seq` that is increasing (i.e. in the key's relative order).
pub fn longest_in_order(seq: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &x in seq {
        match tails.binary_search(&x) {
            Ok(_) => {}
            Err(i) if i == tails.len() => tails.push(x),
            Err(i) => tails[i] = x,
        }
    }
    tails.len()
}

/// Grade one question. `None` or a malformed answer of the wrong shape counts as unanswered.
pub fn grade(question: &Question, answer: Option<&Answer>) -> Grade {
    let max = f64::from(question.points);
    let unanswered = Grade {
        points: 0.0,
        max,
        verdict: Verdict::Unanswered,
        feedback: vec!["Not answered.".into()],
        misconceptions: vec![],
    };
    let Some(answer) = answer else {
        return unanswered;
    };
    let (fraction, feedback, misconceptions) = match (&question.spec, answer) {
        (QuestionSpec::Single { options }, Answer::Single(id)) => {
            let Some(o) = options.iter().find(|o| &o.id == id) else {
                return unanswered;
            };
            let credit = match o.grade {
                OptionGrade::Credit(c) => c,
                OptionGrade::Expected(_) => 0.0,
            };
            let tags = if credit < 1.0 {
                o.misconception.iter().cloned().collect()
            } else {
                vec![]
            };
            (credit, vec![o.feedback.clone()], tags)
        }
        (QuestionSpec::Multi { options }, Answer::List(ids)) => {
            let chosen: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
            let required = options
                .iter()
                .filter(|o| o.grade == OptionGrade::Expected(Expected::Required))
                .count();
            let mut hits = 0usize;
            let mut wrong = 0usize;
            let mut feedback = Vec::new();
            let mut tags = Vec::new();
            for o in options {
                let picked = chosen.contains(o.id.as_str());
                match (o.grade, picked) {
                    (OptionGrade::Expected(Expected::Required), true) => hits += 1,
                    (OptionGrade::Expected(Expected::Required), false) => {
                        feedback.push(format!("Missing {}: {}", o.label, o.feedback));
                    }
                    (OptionGrade::Expected(Expected::Forbidden), true) => {
                        wrong += 1;
                        feedback.push(format!("Should not include {}: {}", o.label, o.feedback));
                        tags.extend(o.misconception.iter().cloned());
                    }
                    _ => {}
                }
            }
            let fraction = if required == 0 {
                0.0
            } else {
                hits.saturating_sub(wrong) as f64 / required as f64
            };
            if feedback.is_empty() {
                feedback.push("Exactly the right set.".into());
            }
            (fraction, feedback, tags)
        }
        (
            QuestionSpec::Matrix {
                rows,
                columns,
                grants,
                cells,
            },
            Answer::Matrix(given),
        ) => {
            let mut hits = 0usize;
            let mut extra = 0usize;
            let mut feedback = Vec::new();
            let mut tags = Vec::new();
            for (ri, r) in rows.iter().enumerate() {
                for (ci, c) in columns.iter().enumerate() {
                    let granted = given.get(&r.id).is_some_and(|s| s.contains(&c.id));
                    let needed = grants.contains(&(ri, ci));
                    if granted == needed {
                        hits += usize::from(needed);
                        continue;
                    }
                    let note = cells.iter().find(|n| n.row == ri && n.column == ci);
                    let generic = if needed {
                        format!(
                            "Under-privilege: {} cannot read {} but needs it.",
                            r.label, c.label
                        )
                    } else {
                        extra += 1;
                        format!(
                            "Over-privilege: {} can read {} but does not need it.",
                            r.label, c.label
                        )
                    };
                    feedback.push(note.map_or(generic, |n| n.feedback.clone()));
                    tags.extend(note.and_then(|n| n.misconception.clone()));
                }
            }
            let needed_total = grants.len().max(1);
            let fraction = hits.saturating_sub(extra) as f64 / needed_total as f64;
            if feedback.is_empty() {
                feedback.push("Every role has exactly what it needs: least privilege.".into());
            }
            (fraction, feedback, tags)
        }
        (QuestionSpec::Ordering { steps, order }, Answer::List(ids)) => {
            // Position of each step in the key; an answer that is not a permutation is unanswered.
            let mut key_pos = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(step) = steps.iter().position(|s| &s.id == id) else {
                    return unanswered;
                };
                let Some(pos) = order.iter().position(|&k| k == step) else {
                    return unanswered;
                };
                key_pos.push(pos);
            }
            let unique: BTreeSet<_> = key_pos.iter().collect();
            if key_pos.len() != steps.len() || unique.len() != steps.len() {
                return unanswered;
            }
            let in_order = longest_in_order(&key_pos);
            let n = steps.len();
            let fraction = if n <= 1 {
                1.0
            } else {
                (in_order - 1) as f64 / (n - 1) as f64
            };
            let feedback = if in_order == n {
                vec!["Every step is in the right order.".into()]
            } else {
                let key: Vec<_> = order.iter().map(|&i| steps[i].label.as_str()).collect();
                vec![format!(
                    "{in_order} of {n} steps are in the right relative order. The order is: {}.",
                    key.join(" → ")
                )]
            };
            (fraction, feedback, vec![])
        }
        _ => return unanswered,
    };
    let fraction = fraction.clamp(0.0, 1.0);
    Grade {
        points: round2(max * fraction),
        max,
        verdict: verdict_of(fraction),
        feedback,
        misconceptions,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub path: String,
    pub task: String,
    pub grade: Grade,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskScore {
    pub task: String,
    pub points: f64,
    pub max: f64,
    pub hint_penalty: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub questions: Vec<QuestionResult>,
    pub tasks: Vec<TaskScore>,
    pub total: f64,
    pub max: f64,
}

/// Hints revealed per task id and what each costs: charged against that task, never below 0.
pub fn hint_penalty(task: &Task, hints_revealed: usize) -> f64 {
    // Fold from +0.0: an empty f64 sum is -0.0, which would print as "-0" in results files.
    task.hints
        .iter()
        .take(hints_revealed)
        .map(|h| f64::from(h.cost))
        .fold(0.0, |a, b| a + b)
}

/// Grade every question of a puzzle. `hints_used(task)` says how many hints the student revealed in
/// that task and `charge_hints` whether the policy charges for them.
pub fn grade_all(
    puzzle: &Puzzle,
    answers: &Answers,
    hints_used: &dyn Fn(&Task) -> usize,
    charge_hints: bool,
) -> Report {
    let mut questions = Vec::new();
    let mut tasks = Vec::new();
    for task in &puzzle.tasks {
        let mut points = 0.0;
        for q in &task.questions {
            let path = Puzzle::question_path(task, q);
            let g = grade(q, answers.get(&path));
            points += g.points;
            questions.push(QuestionResult {
                path,
                task: task.id.clone(),
                grade: g,
            });
        }
        let penalty = if charge_hints {
            hint_penalty(task, hints_used(task))
        } else {
            0.0
        };
        tasks.push(TaskScore {
            task: task.id.clone(),
            points: round2((points - penalty).max(0.0)),
            max: f64::from(task.max_points()),
            hint_penalty: penalty,
        });
    }
    let total = round2(tasks.iter().map(|t| t.points).sum());
    Report {
        questions,
        tasks,
        total,
        max: f64::from(puzzle.max_points()),
    }
}
