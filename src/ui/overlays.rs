//! Overlays drawn over the body: the help (from the keymap table) and the reset confirmation.

use super::doc::{self, Doc};
use super::theme::Theme;
use crate::keymap;
use crate::model::{Model, Overlay};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Draws the overlay, if any; returns its scroll limit.
pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Option<u16> {
    match model.overlay? {
        Overlay::Help => {
            let rect = centered(area, 76, area.height);
            frame.render_widget(Clear, rect);
            let block = Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme.accent)
                .title(Span::styled(" Keys ", theme.title))
                .title_bottom(Span::styled(" Esc or ? closes ", theme.dim))
                .style(theme.base);
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let mut d = Doc::default();
            let mut section = "";
            for (sec, keys, help) in keymap::help_rows(model) {
                if sec != section {
                    if !section.is_empty() {
                        d.blank();
                    }
                    d.push(Line::styled(sec.to_string(), theme.heading));
                    section = sec;
                }
                d.push(Line::from(vec![
                    Span::styled(format!("  {keys:<12}"), theme.accent),
                    Span::styled(help.to_string(), theme.base),
                ]));
            }
            d.blank();
            d.push(Line::styled(
                "Mouse: click an option or matrix cell to select it; the wheel scrolls.",
                theme.dim,
            ));
            Some(doc::draw(frame, inner, d, model.scroll, theme.dim).scroll_limit)
        }
        overlay => {
            let (title, detail) = confirm_text(model, overlay);
            let rect = centered(area, 60, 5);
            frame.render_widget(Clear, rect);
            let block = Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme.wrong)
                .style(theme.base);
            let text = vec![
                Line::styled(title, theme.title),
                Line::styled(detail, theme.base),
                Line::from(vec![
                    Span::styled(" y ", theme.key),
                    Span::raw(" yes   "),
                    Span::styled(" n ", theme.key),
                    Span::raw(" no"),
                ]),
            ];
            frame.render_widget(Paragraph::new(text).block(block).centered(), rect);
            Some(0)
        }
    }
}

fn confirm_text(model: &Model, overlay: Overlay) -> (String, String) {
    let task = model
        .current_task()
        .and_then(|t| model.puzzle.tasks.get(t).map(|x| (t, x)));
    match (overlay, task) {
        (Overlay::ConfirmHint, Some((t, task))) => {
            let next = model.tasks[t].hints_revealed;
            let hint = task.hints.get(next);
            (
                format!("Reveal Hint {}?", hint.map_or(0, |h| h.number)),
                format!(
                    "It costs {} from Task {}'s score.",
                    crate::grading::points_label(hint.map_or(0, |h| h.cost)),
                    task.number
                ),
            )
        }
        (Overlay::ConfirmSubmit, Some((t, task))) => (
            format!("Submit Task {}?", task.number),
            format!(
                "{} of {} answered. Submitted answers are locked.",
                model.checked_count(t),
                task.questions.len()
            ),
        ),
        _ => (
            "Reset this task?".into(),
            "Its answers and revealed hints will be cleared.".into(),
        ),
    }
}
