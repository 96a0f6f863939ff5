//! A screen body as a document of pre-wrapped lines: one scroll model and one hit map for every screen.

use super::HitTarget;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

#[derive(Debug, Default)]
pub struct Doc {
    pub lines: Vec<Line<'static>>,
    /// (line index, first column, width, target): clickable places.
    pub hits: Vec<(usize, u16, u16, HitTarget)>,
}

impl Doc {
    pub fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    pub fn extend(&mut self, lines: impl IntoIterator<Item = Line<'static>>) {
        self.lines.extend(lines);
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// Add lines that click as `target`.
    pub fn push_hit(&mut self, lines: Vec<Line<'static>>, target: HitTarget, width: u16) {
        for l in lines {
            self.hits.push((self.lines.len(), 0, width, target));
            self.lines.push(l);
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// What drawing a document produced: the scroll it can take, and where clicks land.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub scroll_limit: u16,
    pub hits: Vec<(Rect, HitTarget)>,
}

/// Draw a document into `area` at `scroll` (clamped to what the document needs), with a
/// scrollbar when it does not fit, so nothing is ever cut off silently.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    doc: Doc,
    scroll: u16,
    scroll_style: ratatui::style::Style,
) -> Drawn {
    if area.width == 0 || area.height == 0 {
        return Drawn::default();
    }
    let total = doc.lines.len();
    let height = area.height as usize;
    let limit = total.saturating_sub(height);
    let top = (scroll as usize).min(limit);
    let overflow = total > height;
    let text_area = if overflow {
        Rect {
            width: area.width.saturating_sub(1),
            ..area
        }
    } else {
        area
    };
    let visible: Vec<Line> = doc.lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(visible), text_area);
    if overflow {
        let mut state = ScrollbarState::new(limit + 1)
            .position(top)
            .viewport_content_length(height);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(Some("▲"))
                .end_symbol(Some("▼"))
                .style(scroll_style),
            area,
            &mut state,
        );
    }
    let hits = doc
        .hits
        .into_iter()
        .filter(|(line, ..)| *line >= top && *line < top + height)
        .map(|(line, x, w, t)| {
            let rect = Rect {
                x: text_area.x + x.min(text_area.width),
                y: text_area.y + (line - top) as u16,
                width: w.min(text_area.width.saturating_sub(x)),
                height: 1,
            };
            (rect, t)
        })
        .collect();
    Drawn {
        scroll_limit: limit.min(u16::MAX as usize) as u16,
        hits,
    }
}
