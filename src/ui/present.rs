//! Projector layout of the task and solution screens: big titles, one question at a time, lettered
//! options with the room's votes beside them, and only what the presenter has revealed.

use super::HitTarget;
use super::doc::{self, Doc, Drawn};
use super::text;
use super::theme::Theme;
use super::widgets::{self, Reveal};
use crate::content::{OptionGrade, QuestionSpec};
use crate::model::{Draft, Focus, Model, PresentState, QuestionState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use tui_big_text::{BigText, PixelSize};

/// Widest text column: long lines are hard to follow from the back of a room.
const MAX_COLUMN: u16 = 100;
const VOTE_W: usize = 16;

/// A big block-letter title where there is room, bold text where there is not.
pub fn render_title(frame: &mut Frame, area: Rect, big: &str, small: &str, theme: &Theme) -> Rect {
    let big_w = big.chars().count() as u16 * 4;
    if area.height >= 30 && area.width >= big_w + 4 {
        let [title, sub, rest] = area.layout(&Layout::vertical([
            Constraint::Length(4),
            Constraint::Length(2),
            Constraint::Fill(1),
        ]));
        frame.render_widget(
            BigText::builder()
                .pixel_size(PixelSize::Quadrant)
                .style(theme.heading)
                .lines(vec![Line::from(big.to_string())])
                .centered()
                .build(),
            title,
        );
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Line::styled(text::sanitize(small), theme.title))
                .centered(),
            sub,
        );
        rest
    } else {
        let [title, rest] = area.layout(&Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
        ]));
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Line::styled(
                format!("{big} — {}", text::sanitize(small)),
                theme.heading,
            ))
            .centered(),
            title,
        );
        rest
    }
}

fn column(area: Rect) -> Rect {
    let w = area.width.saturating_sub(4).min(MAX_COLUMN);
    Rect {
        x: area.x + (area.width - w) / 2,
        width: w,
        ..area
    }
}

/// The key as a draft, so the ordinary widget draws it with its marks.
fn key_state(spec: &QuestionSpec, state: &QuestionState) -> QuestionState {
    let mut s = state.clone();
    s.draft = match spec {
        QuestionSpec::Single { options } => Draft::Single(
            options
                .iter()
                .enumerate()
                .max_by(|a, b| credit(a.1.grade).total_cmp(&credit(b.1.grade)))
                .map(|(i, _)| i),
        ),
        QuestionSpec::Multi { options } => Draft::Multi(
            options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.is_key())
                .map(|(i, _)| i)
                .collect(),
        ),
        QuestionSpec::Matrix { grants, .. } => Draft::Matrix(grants.clone()),
        QuestionSpec::Ordering { order, .. } => Draft::Ordering(order.clone()),
    };
    s
}

fn credit(g: OptionGrade) -> f64 {
    match g {
        OptionGrade::Credit(c) => c,
        OptionGrade::Expected(_) => 0.0,
    }
}

pub fn render_task(frame: &mut Frame, area: Rect, model: &Model, t: usize, theme: &Theme) -> Drawn {
    let (Some(task), Some(state), Some(p)) = (
        model.puzzle.tasks.get(t),
        model.tasks.get(t),
        model.present.as_ref(),
    ) else {
        return Drawn::default();
    };
    let subtitle = match state.focus {
        Focus::Intro => task.title.clone(),
        Focus::Question(q) => format!(
            "{} · question {} of {}",
            task.title,
            q + 1,
            task.questions.len()
        ),
    };
    let rest = render_title(
        frame,
        area,
        &format!("Task {}", task.number),
        &subtitle,
        theme,
    );
    let col = column(rest);
    let w = col.width as usize - 1;
    let mut d = Doc::default();
    match state.focus {
        Focus::Intro => d.extend(text::markdown(&task.intro, theme, w)),
        Focus::Question(qi) => {
            let (Some(q), Some(qs)) = (task.questions.get(qi), state.questions.get(qi)) else {
                return Drawn::default();
            };
            d.extend(text::markdown(
                &format!("**{}**", q.prompt.trim()),
                theme,
                w,
            ));
            d.blank();
            let answer = p.answers.contains(&(t, qi));
            let shown = if answer {
                key_state(&q.spec, qs)
            } else {
                qs.clone()
            };
            let votes = p.votes.get(&PresentState::vote_key(t, qi));
            let choice = matches!(
                q.spec,
                QuestionSpec::Single { .. } | QuestionSpec::Multi { .. }
            );
            let widget_w = if choice && votes.is_some() {
                w.saturating_sub(VOTE_W)
            } else {
                w
            };
            let mut wd = Doc::default();
            widgets::render(
                &mut wd,
                q,
                &shown,
                Reveal {
                    marks: answer,
                    key_hints: false,
                },
                theme,
                widget_w,
                true,
            );
            if choice {
                add_votes(&mut wd, votes, theme, widget_w);
            }
            d.extend(wd.lines);
            if p.explanations.contains(&(t, qi)) {
                d.blank();
                d.push(Line::styled("Explanation", theme.heading));
                d.extend(text::markdown(&q.explanation, theme, w));
                d.extend(super::task::concept_lines(q, theme, w));
            }
        }
    }
    if let Some((lt, lq, kind)) = crate::lab_update::focused_lab(model).filter(|_| model.lab_open) {
        d.blank();
        d.extend(super::lab::doc(model, lt, lq, kind, w, theme).lines);
    }
    if state.hints_revealed > 0 {
        d.blank();
        for h in task.hints.iter().take(state.hints_revealed) {
            let head = format!("Hint {}: ", h.number);
            d.extend(text::wrap(
                &text::inline_runs(&h.text, theme, theme.base),
                w,
                &head,
                &" ".repeat(text::width(&head)),
                theme.accent,
            ));
        }
    }
    doc::draw(frame, col, d, model.scroll, theme.dim)
}

/// Put each option's vote count and bar at the end of its first line.
fn add_votes(d: &mut Doc, votes: Option<&Vec<u32>>, theme: &Theme, widget_w: usize) {
    let Some(votes) = votes else { return };
    let total: u32 = votes.iter().sum();
    let max = votes.iter().copied().max().unwrap_or(0).max(1);
    let mut seen = std::collections::BTreeSet::new();
    let firsts: Vec<(usize, usize)> = d
        .hits
        .iter()
        .filter_map(|(line, _, _, t)| match t {
            HitTarget::Row(i) if seen.insert(*i) => Some((*line, *i)),
            _ => None,
        })
        .collect();
    for (line, pos) in firsts {
        // Votes are kept per option in content order; rows are in display order (identity here).
        let count = votes.get(pos).copied().unwrap_or(0);
        if count == 0 && total == 0 {
            continue;
        }
        let bar_len = (count as usize * 8).div_ceil(max as usize).min(8);
        if let Some(l) = d.lines.get_mut(line) {
            let pad = widget_w.saturating_sub(l.width()) + 1;
            l.spans.push(Span::raw(" ".repeat(pad)));
            l.spans.push(Span::styled(
                format!("{:<8}", "█".repeat(bar_len)),
                theme.accent,
            ));
            l.spans
                .push(Span::styled(format!(" {count:>3} ✋"), theme.title));
        }
    }
}

pub fn render_solution(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    t: usize,
    theme: &Theme,
) -> Drawn {
    let Some(task) = model.puzzle.tasks.get(t) else {
        return Drawn::default();
    };
    let rest = render_title(
        frame,
        area,
        &format!("Task {}", task.number),
        "suggested solution",
        theme,
    );
    let col = column(rest);
    let w = col.width as usize - 1;
    let mut d = Doc::default();
    if !model.solution_unlocked(t) {
        d.blank();
        d.push(Line::styled("The suggested solution is hidden.", theme.title).centered());
        d.push(Line::styled("s or → reveals it", theme.dim).centered());
        return doc::draw(frame, col, d, 0, theme.dim);
    }
    d.extend(text::markdown(&task.solution.body, theme, w));
    d.blank();
    d.push(Line::styled("Concepts to teach", theme.heading));
    for c in &task.solution.concepts {
        d.extend(text::markdown(&format!("- {c}"), theme, w));
    }
    doc::draw(frame, col, d, model.scroll, theme.dim)
}
