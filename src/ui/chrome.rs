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
        Screen::Solution(t) if model.policy.submit_tasks && !model.reveals_key() => puzzle
            .tasks
            .get(t)
            .map_or(String::new(), |x| format!("Task {} – submit", x.number)),
        Screen::Solution(t) => puzzle.tasks.get(t).map_or(String::new(), |x| {
            format!("Task {} – suggested solution", x.number)
        }),
        Screen::Final => "Summary".to_string(),
        Screen::NamePrompt => "Quiz – your name".to_string(),
        Screen::Rules => "Quiz – rules".to_string(),
        Screen::Score => "Quiz – score".to_string(),
        Screen::Review(i) => format!("Quiz – review {}/{}", i + 1, model.total_questions()),
    };
    // The place matters more than the puzzle title: shorten the title first, then the place, with "…".
    let width = area.width as usize;
    let place = sanitize(&place);
    let mut title = sanitize(&puzzle.title);
    let fixed = 10 + 1 + 5;
    if fixed + title.chars().count() + place.chars().count() > width {
        let room = width.saturating_sub(fixed + place.chars().count());
        title = if room >= 8 {
            ellipsize(&title, room)
        } else {
            String::new()
        };
    }
    let place = ellipsize(&place, width.saturating_sub(fixed + title.chars().count()));
    let line = Line::from(vec![
        Span::styled(" kmsquest ", theme.key),
        Span::raw(" "),
        Span::styled(title, theme.dim),
        Span::styled("  ›  ", theme.dim),
        Span::styled(place, theme.title),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

pub fn render_status(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    if let Some(n) = &model.notice {
        // A running clock stays visible beside any notice (the two-minute warning above all).
        let clock = model
            .quiz
            .as_ref()
            .and_then(clock_label)
            .map(|c| format!("  {c}"))
            .unwrap_or_default();
        let room = (area.width as usize).saturating_sub(clock.chars().count() + 1);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!(" {}", ellipsize(&sanitize(n), room)), theme.notice),
                Span::styled(clock, theme.title),
            ])),
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
    let entries: Vec<(&str, &str)> = keymap::bar(model)
        .into_iter()
        .map(|(k, l)| (short_keys(k), l))
        .collect();
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
    for (keys, label) in shown.into_iter().map(|(k, l)| (short_keys(k), l)) {
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
    if !quiz.started || quiz.finished {
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

/// Cut `s` to `max` characters, ending with "…" when cut.
fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The key bar's short spelling of a binding's keys (the help overlay lists them all).
fn short_keys(keys: &'static str) -> &'static str {
    match keys {
        "↑/k" | "↓/j" => "↑↓",
        "n/PgDn" => "n",
        "p/PgUp" => "p",
        "PgDn/→/Space" => "→",
        "PgUp/←" => "←",
        "Shift-Tab" => "S-Tab",
        other => other,
    }
}
