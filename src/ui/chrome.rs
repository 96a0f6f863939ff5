//! The frame around every screen: title line, status line, key bar.

use super::text::sanitize;
use super::theme::Theme;
use crate::keymap;
use crate::model::{Model, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render_header(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let puzzle = &model.puzzle;
    let place = match model.screen {
        Screen::Menu => "Menu".to_string(),
        Screen::Scenario => "The scenario".to_string(),
        Screen::Task(t) => puzzle.tasks.get(t).map_or(String::new(), |x| {
            format!("Task {} – {}", x.number, x.title)
        }),
        Screen::Solution(t) => puzzle.tasks.get(t).map_or(String::new(), |x| {
            format!("Task {} – suggested solution", x.number)
        }),
        Screen::Final => "Summary".to_string(),
        Screen::NamePrompt => "Quiz – your name".to_string(),
        Screen::Rules => "Quiz – rules".to_string(),
        Screen::Score => "Quiz – score".to_string(),
        Screen::Review(i) => format!("Quiz – review {}/{}", i + 1, model.total_questions()),
    };
    let line = Line::from(vec![
        Span::styled(" kmsquest ", theme.key),
        Span::raw(" "),
        Span::styled(sanitize(&puzzle.title), theme.dim),
        Span::styled("  ›  ", theme.dim),
        Span::styled(sanitize(&place), theme.title),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

pub fn render_status(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    if let Some(n) = &model.notice {
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {}", sanitize(n)), theme.notice)),
            area,
        );
        return;
    }
    if let Some(p) = &model.present {
        frame.render_widget(Paragraph::new(present_status(model, p, theme)), area);
        return;
    }
    let tasks = model.puzzle.tasks.len();
    let task = model
        .current_task()
        .map_or("–".to_string(), |t| (t + 1).to_string());
    let done: usize = (0..tasks).map(|t| model.checked_count(t)).sum();
    let verb = if model.reveals_key() {
        "checked"
    } else {
        "answered"
    };
    let text = format!(
        " {} · Task {task}/{tasks} · {done}/{} {verb} · {} · {}% done",
        model.policy.label,
        model.total_questions(),
        hints_label(model.hints_used()),
        model.progress_percent()
    );
    let mut spans = vec![Span::styled(text, theme.dim)];
    if let Some(clock) = model.quiz.as_ref().and_then(clock_label) {
        spans.push(Span::styled(format!("  {clock}"), theme.notice));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render_keys(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let entries = keymap::bar(model);
    let need = |(k, l): &(&str, &str)| k.chars().count() + l.chars().count() + 4;
    // Help and quit always fit: a new user must be able to find every other key and leave.
    let essential = |l: &str| l == "help" || l == "quit";
    let reserved: usize = entries.iter().filter(|e| essential(e.1)).map(need).sum();
    let mut budget = (area.width as usize).saturating_sub(1 + reserved);
    let mut shown = Vec::new();
    for e in &entries {
        if essential(e.1) {
            shown.push(*e);
        } else if need(e) <= budget {
            budget -= need(e);
            shown.push(*e);
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (keys, label) in shown {
        spans.push(Span::styled(format!(" {keys} "), theme.key));
        spans.push(Span::styled(format!(" {label} "), theme.base));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.bar), area);
}

fn mmss(secs: u64) -> String {
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

/// "⏱ 12:04 left" with a limit, "⏱ 03:10 elapsed" without; none before the clock starts.
pub fn clock_label(quiz: &crate::model::QuizState) -> Option<String> {
    if !quiz.started {
        return None;
    }
    Some(match quiz.remaining_secs() {
        Some(r) => format!("⏱ {} left", mmss(r)),
        None => format!("⏱ {} elapsed", mmss(quiz.elapsed_secs)),
    })
}

/// Projector status: where we are, and the discussion timer against the plan.
fn present_status(model: &Model, p: &crate::model::PresentState, theme: &Theme) -> Line<'static> {
    let tasks = model.puzzle.tasks.len();
    let mut parts = vec![format!(
        " Present · Task {}/{tasks}",
        model
            .current_task()
            .map_or("–".into(), |t| (t + 1).to_string())
    )];
    if let Some(t) = model.current_task()
        && let crate::model::Focus::Question(q) = model.tasks[t].focus
        && matches!(model.screen, Screen::Task(_))
    {
        parts.push(format!(
            "Q {}/{}",
            q + 1,
            model.puzzle.tasks[t].questions.len()
        ));
    }
    let plan = u64::from(model.puzzle.plan_minutes) * 60;
    let task_plan = model
        .current_task()
        .and_then(|t| model.puzzle.tasks.get(t))
        .map(|t| format!(" (Task {}: {} min)", t.number, t.plan_minutes))
        .unwrap_or_default();
    let state = if p.timer_running {
        "▶"
    } else {
        "⏸ t starts"
    };
    let over = p.timer_secs > plan;
    let mut spans = vec![Span::styled(parts.join(" · "), theme.dim)];
    spans.push(Span::styled(
        format!(
            "  ⏱ {} of {} plan{task_plan} {state}",
            mmss(p.timer_secs),
            mmss(plan)
        ),
        if over { theme.wrong } else { theme.notice },
    ));
    if over {
        spans.push(Span::styled(" over plan", theme.wrong));
    }
    Line::from(spans)
}

/// "1 hint used", "3 hints used".
pub fn hints_label(n: usize) -> String {
    format!("{n} hint{} used", if n == 1 { "" } else { "s" })
}
