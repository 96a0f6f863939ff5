//! The start menu: Practice (with what resuming means), Present, Quiz, Quit.

use super::HitTarget;
use super::doc::{self, Doc, Drawn};
use super::text;
use super::theme::Theme;
use crate::model::{Model, Screen};
use crate::update::{MENU, MenuEntry, resume_screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

fn resume_label(model: &Model) -> String {
    let pct = model.progress_percent();
    match resume_screen(model) {
        Screen::Scenario if pct == 0 => "start from the scenario".into(),
        Screen::Scenario | Screen::Menu => format!("resume: the scenario, {pct}% done"),
        Screen::Task(t) => format!("resume: Task {}, {pct}% done", t + 1),
        Screen::Solution(t) => format!("resume: Task {} solution, {pct}% done", t + 1),
        _ => format!("resume: the summary, {pct}% done"),
    }
}

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Drawn {
    let w = area.width.min(72);
    let x = area.x + (area.width - w) / 2;
    let [inner] = Rect {
        x,
        width: w,
        ..area
    }
    .layout(&Layout::vertical([Constraint::Fill(1)]));
    let mut d = Doc::default();
    d.blank();
    d.extend(text::plain(&model.puzzle.title, theme.title, w as usize));
    d.push(Line::styled(
        "When to use AWS KMS, and when AWS Secrets Manager",
        theme.dim,
    ));
    d.blank();
    for (i, entry) in MENU.iter().enumerate() {
        let (name, detail) = match entry {
            MenuEntry::Practice => ("Practice", resume_label(model)),
            MenuEntry::Present => (
                "Present",
                "projector mode for an instructor-led session".to_string(),
            ),
            MenuEntry::Quiz => (
                "Quiz",
                "scored: rules, timer, results for your instructor".to_string(),
            ),
            MenuEntry::Quit => ("Quit", String::new()),
        };
        let here = model.menu_cursor == i;
        let line = Line::from(vec![
            Span::styled(if here { " › " } else { "   " }, theme.accent),
            Span::styled(
                format!("{name:<10}"),
                if here { theme.cursor } else { theme.title },
            ),
            Span::styled(format!("  {detail}"), theme.dim),
        ]);
        d.push_hit(vec![line], HitTarget::MenuEntry(i), w);
        d.blank();
    }
    d.push(Line::styled(
        "↑/↓ choose · Enter open · ? keys · q quit",
        theme.dim,
    ));
    doc::draw(frame, inner, d, model.scroll, theme.dim)
}
