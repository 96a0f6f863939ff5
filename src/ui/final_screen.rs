//! The last screen: score per task as bars, progress, and the puzzle's closing summary.

use super::doc::{self, Doc, Drawn};
use super::text;
use super::theme::Theme;
use crate::model::Model;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn fmt_points(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// A bar of `width` cells filled to `fraction`, with eighth-block precision.
pub fn bar(fraction: f64, width: usize) -> String {
    let eighths = (fraction.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let full = eighths / 8;
    let part = eighths % 8;
    let mut s = "█".repeat(full);
    if part > 0 {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][part - 1]);
    }
    let used = full + usize::from(part > 0);
    s.push_str(&"·".repeat(width.saturating_sub(used)));
    s
}

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) -> Drawn {
    let w = area.width.saturating_sub(2).min(110) as usize;
    let x = area.x + (area.width - w as u16) / 2;
    let tw = w - 1;
    let report = model.report();
    let mut d = Doc::default();
    d.blank();
    d.push(Line::styled("Your score", theme.heading));
    d.blank();
    let bar_w = tw.saturating_sub(30).clamp(10, 50);
    for (task, score) in model.puzzle.tasks.iter().zip(&report.tasks) {
        let frac = if score.max > 0.0 {
            score.points / score.max
        } else {
            0.0
        };
        d.push(Line::from(vec![
            Span::styled(format!("  Task {}  ", task.number), theme.title),
            Span::styled(bar(frac, bar_w), theme.accent),
            Span::styled(
                format!(
                    "  {:>5}/{:<3}",
                    fmt_points(score.points),
                    fmt_points(score.max)
                ),
                theme.base,
            ),
        ]));
    }
    let pct = if report.max > 0.0 {
        report.total / report.max * 100.0
    } else {
        0.0
    };
    d.blank();
    d.push(Line::from(vec![
        Span::styled(
            format!(
                "  Total {}/{} ({pct:.0}%)",
                fmt_points(report.total),
                fmt_points(report.max)
            ),
            theme.title,
        ),
        Span::styled(
            format!(
                "  ·  {}% of questions checked  ·  {}",
                model.progress_percent(),
                super::chrome::hints_label(model.hints_used())
            ),
            theme.dim,
        ),
    ]));
    d.blank();
    d.push(Line::styled(
        model.puzzle.summary.title.clone(),
        theme.heading,
    ));
    d.blank();
    d.extend(text::markdown(&model.puzzle.summary.body, theme, tw));
    d.blank();
    d.push(Line::styled("Esc: menu · p: back · q: quit", theme.accent));
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
