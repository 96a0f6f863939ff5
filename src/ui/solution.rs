//! A task's suggested solution and concepts to teach, unlocked once its questions are checked.

use super::doc::{self, Doc, Drawn};
use super::text;
use super::theme::Theme;
use crate::model::Model;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, t: usize, theme: &Theme) -> Drawn {
    let w = area.width.saturating_sub(2).min(110) as usize;
    let x = area.x + (area.width - w as u16) / 2;
    let rect = Rect {
        x,
        width: w as u16,
        ..area
    };
    let Some(task) = model.puzzle.tasks.get(t) else {
        return Drawn::default();
    };
    let tw = w - 1;
    let mut d = Doc::default();
    d.blank();
    if model.policy.submit_tasks && !model.reveals_key() {
        submit_doc(&mut d, model, t, tw, theme);
        return doc::draw(frame, rect, d, model.scroll, theme.dim);
    }
    if !model.solution_unlocked(t) {
        let done = model.checked_count(t);
        d.push(Line::styled(
            format!("Task {} – suggested solution: locked", task.number),
            theme.heading,
        ));
        d.blank();
        d.extend(text::plain(
            &format!(
                "Check every question of Task {} first ({done} of {} checked). Then the suggested solution and the concepts to teach open here.",
                task.number,
                task.questions.len()
            ),
            theme.base,
            tw,
        ));
        d.blank();
        d.push(Line::styled("p / PageUp: back to the task", theme.accent));
        return doc::draw(frame, rect, d, model.scroll, theme.dim);
    }
    d.push(Line::styled(
        format!("Task {} – suggested solution", task.number),
        theme.heading,
    ));
    d.blank();
    d.extend(text::markdown(&task.solution.body, theme, tw));
    d.blank();
    if !task.solution.concepts.is_empty() {
        d.push(Line::styled("Concepts to teach", theme.heading));
        for c in &task.solution.concepts {
            d.extend(text::markdown(&format!("- {c}"), theme, tw));
        }
        d.blank();
    }
    if !task.solution.going_further.is_empty() {
        d.push(Line::styled(
            "Going further (current AWS practice)",
            theme.heading,
        ));
        for g in &task.solution.going_further {
            d.extend(text::markdown(&format!("- {g}"), theme, tw));
        }
        d.blank();
    }
    d.push(Line::styled("n / PageDown: next →", theme.accent));
    doc::draw(frame, rect, d, model.scroll, theme.dim)
}

/// A quiz task's summary: what is answered, and the way to submit it.
fn submit_doc(d: &mut Doc, model: &Model, t: usize, w: usize, theme: &Theme) {
    let task = &model.puzzle.tasks[t];
    let answered = model.checked_count(t);
    let missing: Vec<String> = model.tasks[t]
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.checked.is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    d.push(Line::styled(
        format!("Task {} – {}", task.number, task.title),
        theme.heading,
    ));
    d.blank();
    d.push(Line::styled(
        format!("{answered} of {} questions answered.", task.questions.len()),
        theme.title,
    ));
    if !missing.is_empty() {
        d.extend(text::plain(
            &format!("Not answered yet: {}.", missing.join(", ")),
            theme.partial,
            w,
        ));
    }
    d.push(Line::styled(
        format!("Hints revealed: {}", model.tasks[t].hints_revealed),
        theme.base,
    ));
    d.blank();
    if model.task_locked(t) {
        d.push(Line::styled(
            "✓ Submitted: this task's answers are locked.",
            theme.correct,
        ));
        d.push(Line::styled("n: next task", theme.accent));
    } else {
        d.extend(text::plain(
            "Enter submits this task (you will be asked to confirm). After that its answers are locked. The solution and feedback come when the whole quiz is finished.",
            theme.base,
            w,
        ));
        d.blank();
        d.push(Line::styled(
            "p: back to the questions · Enter: submit",
            theme.accent,
        ));
    }
}
