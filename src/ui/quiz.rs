//! Quiz screens: name prompt, rules, score and the review of every question after the end.

use super::doc::{self, Doc, Drawn};
use super::final_screen::{bar, fmt_points};
use super::text::{self, sanitize};
use super::theme::Theme;
use crate::grading::points_label;
use crate::model::Model;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

fn column(area: Rect, max: u16) -> Rect {
    let w = area.width.saturating_sub(2).min(max);
    Rect {
        x: area.x + (area.width - w) / 2,
        width: w,
        ..area
    }
}

pub fn render_name_prompt(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Drawn {
    let rect = column(area, 72);
    let input = model
        .quiz
        .as_ref()
        .map_or(String::new(), |q| sanitize(&q.name_input));
    let mut d = Doc::default();
    d.blank();
    d.push(Line::styled("Scored quiz", theme.heading));
    d.blank();
    d.push(Line::styled(
        "Your name, as your instructor should see it in the results:",
        theme.base,
    ));
    d.blank();
    d.push(Line::from(vec![
        Span::styled(" › ", theme.accent),
        Span::styled(format!("{input}▏"), theme.title),
    ]));
    d.blank();
    d.push(Line::styled(
        "1–40 printable characters. Enter continues to the rules; Esc leaves.",
        theme.dim,
    ));
    doc::draw(frame, rect, d, 0, theme.dim)
}

pub fn render_rules(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Drawn {
    let rect = column(area, 90);
    let w = rect.width as usize - 1;
    let Some(quiz) = &model.quiz else {
        return Drawn::default();
    };
    let mut d = Doc::default();
    d.blank();
    d.push(Line::styled(
        format!("Quiz rules — {}", sanitize(&quiz.name)),
        theme.heading,
    ));
    d.blank();
    for t in &model.puzzle.tasks {
        let hint_costs: Vec<String> = t
            .hints
            .iter()
            .map(|h| format!("Hint {} costs {}", h.number, points_label(h.cost)))
            .collect();
        d.extend(text::markdown(
            &format!(
                "- **Task {}** – {}: {} ({} questions). {}.",
                t.number,
                t.title,
                points_label(t.max_points()),
                t.questions.len(),
                if hint_costs.is_empty() {
                    "No hints".into()
                } else {
                    hint_costs.join(", ")
                }
            ),
            theme,
            w,
        ));
    }
    d.blank();
    let time = match quiz.time_limit_secs {
        Some(s) => format!("- **Time limit: {}.** A countdown shows in the status line; at 2 minutes left you are warned; at 0:00 every task is submitted with the answers given so far.", if s / 60 == 1 { "1 minute".to_string() } else { format!("{} minutes", s / 60) }),
        None => "- **No time limit.** The elapsed time shows in the status line and goes into the results.".into(),
    };
    let rules = [
        time,
        "- Partial credit counts as the content defines it. A task's score never goes below 0, whatever its hints cost.".into(),
        "- Revealing a hint asks first and costs its points.".into(),
        "- Your answers are saved the moment you make them. Change them freely until you **submit** the task: `n` after its last question opens the task's summary, where Enter submits it. A submitted task is locked.".into(),
        "- **Feedback comes at the end**: no marks, explanations or solutions until every task is submitted. Then you see your score and can review every question.".into(),
        format!("- Options are shuffled with seed **{}** (your instructor can replay it with `--seed {}`).", quiz.seed, quiz.seed),
        "- `q` saves and quits; `kmsquest quiz --resume` continues with the time already used.".into(),
    ];
    for r in rules {
        d.extend(text::markdown(&r, theme, w));
    }
    d.blank();
    d.push(Line::styled(
        "Enter starts the quiz and its clock.",
        theme.notice,
    ));
    doc::draw(frame, rect, d, model.scroll, theme.dim)
}

pub fn render_score(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Drawn {
    let rect = column(area, 100);
    let w = rect.width as usize - 1;
    let report = model.report();
    let mut d = Doc::default();
    d.blank();
    let name = model
        .quiz
        .as_ref()
        .map_or(String::new(), |q| sanitize(&q.name));
    d.push(Line::styled(
        format!("Quiz finished — {name}"),
        theme.heading,
    ));
    d.blank();
    let pct = if report.max > 0.0 {
        report.total / report.max * 100.0
    } else {
        0.0
    };
    d.push(Line::styled(
        format!(
            "  {} / {} points  ({pct:.0}%)",
            fmt_points(report.total),
            fmt_points(report.max)
        ),
        theme.title,
    ));
    d.blank();
    let bar_w = w.saturating_sub(40).clamp(10, 50);
    for (task, score) in model.puzzle.tasks.iter().zip(&report.tasks) {
        let frac = if score.max > 0.0 {
            score.points / score.max
        } else {
            0.0
        };
        let penalty = if score.hint_penalty > 0.0 {
            format!("  (hints −{})", fmt_points(score.hint_penalty))
        } else {
            String::new()
        };
        d.push(Line::from(vec![
            Span::styled(format!("  Task {}  ", task.number), theme.title),
            Span::styled(bar(frac, bar_w), theme.accent),
            Span::styled(
                format!(
                    "  {:>5}/{:<3}{penalty}",
                    fmt_points(score.points),
                    fmt_points(score.max)
                ),
                theme.base,
            ),
        ]));
    }
    d.blank();
    if let Some(q) = &model.quiz {
        d.push(Line::styled(
            format!(
                "  Time {:02}:{:02} · {} · seed {}",
                q.elapsed_secs / 60,
                q.elapsed_secs % 60,
                super::chrome::hints_label(model.hints_used()),
                q.seed
            ),
            theme.dim,
        ));
    }
    d.blank();
    d.push(Line::styled(
        "Enter or n: review every question with its key, feedback and explanation.",
        theme.accent,
    ));
    doc::draw(frame, rect, d, model.scroll, theme.dim)
}

pub fn render_review(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    index: usize,
    theme: &Theme,
) -> Drawn {
    let rect = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let mut position = None;
    let mut i = 0;
    for (t, task) in model.puzzle.tasks.iter().enumerate() {
        for qi in 0..task.questions.len() {
            if i == index {
                position = Some((t, qi));
            }
            i += 1;
        }
    }
    let Some((t, qi)) = position else {
        return Drawn::default();
    };
    let task = &model.puzzle.tasks[t];
    let mut d = Doc::default();
    d.push(Line::styled(
        format!("Task {} – {}", task.number, task.title),
        theme.heading,
    ));
    let q = super::task::question_doc(model, t, qi, rect.width as usize - 1, theme);
    d.lines.extend(q.lines);
    doc::draw(frame, rect, d, model.scroll, theme.dim)
}
