//! The scenario: the startup, its services (as a box-drawn picture), requirements and sensitive items.

use super::doc::{self, Doc, Drawn};
use super::text::{self, sanitize, width};
use super::theme::Theme;
use crate::content::Service;
use crate::model::Model;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Drawn {
    let w = area.width.saturating_sub(2).min(110) as usize;
    let x = area.x + (area.width - w as u16) / 2;
    let s = &model.puzzle.scenario;
    let mut d = Doc::default();
    d.blank();
    d.extend(text::markdown(&s.story, theme, w - 1));
    d.blank();
    d.extend(architecture(&s.services, w - 1, theme));
    d.blank();
    section(
        &mut d,
        "Compliance requirements",
        &s.requirements,
        w - 1,
        theme,
    );
    section(&mut d, "Sensitive items", &s.items, w - 1, theme);
    section(&mut d, "You can use", &s.tools, w - 1, theme);
    d.extend(text::markdown(&s.goal, theme, w - 1));
    d.blank();
    d.push(Line::styled("n / PageDown: Task 1 →", theme.accent));
    doc::draw(
        frame,
        Rect {
            x,
            width: w as u16,
            ..area
        },
        d,
        model.scroll,
        theme.dim,
    )
}

fn section(d: &mut Doc, title: &str, items: &[String], w: usize, theme: &Theme) {
    d.push(Line::styled(title.to_string(), theme.heading));
    for (i, it) in items.iter().enumerate() {
        let md = format!("{}. {}", i + 1, it);
        d.extend(text::markdown(&md, theme, w));
    }
    d.blank();
}

/// Services side by side as boxes, their names bold and details wrapped inside.
pub fn architecture(services: &[Service], w: usize, theme: &Theme) -> Vec<Line<'static>> {
    if services.is_empty() {
        return vec![];
    }
    let n = services.len();
    let gap = 2;
    let box_w = ((w.saturating_sub(gap * (n - 1))) / n).clamp(12, 34);
    let inner = box_w - 4;
    let bodies: Vec<Vec<String>> = services
        .iter()
        .map(|s| {
            let mut lines = textwrap::wrap(&sanitize(&s.detail), inner)
                .into_iter()
                .map(|c| c.into_owned())
                .collect::<Vec<_>>();
            let mut name = sanitize(&s.name);
            if width(&name) > inner {
                name = name.chars().take(inner - 1).collect::<String>() + "…";
            }
            lines.insert(0, name);
            lines
        })
        .collect();
    let height = bodies.iter().map(Vec::len).max().unwrap_or(1);
    let mut out = Vec::new();
    let edge = |l: char, r: char| -> Line<'static> {
        let mut spans = Vec::new();
        for i in 0..n {
            if i > 0 {
                spans.push(Span::raw(" ".repeat(gap)));
            }
            spans.push(Span::styled(
                format!("{l}{}{r}", "─".repeat(box_w - 2)),
                theme.accent,
            ));
        }
        Line::from(spans)
    };
    out.push(edge('┌', '┐'));
    for row in 0..height {
        let mut spans = Vec::new();
        for (i, body) in bodies.iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" ".repeat(gap)));
            }
            let cell = body.get(row).cloned().unwrap_or_default();
            let pad = inner.saturating_sub(width(&cell));
            spans.push(Span::styled("│ ", theme.accent));
            spans.push(Span::styled(
                format!("{cell}{}", " ".repeat(pad)),
                if row == 0 { theme.title } else { theme.base },
            ));
            spans.push(Span::styled(" │", theme.accent));
        }
        out.push(Line::from(spans));
    }
    out.push(edge('└', '┘'));
    out
}
