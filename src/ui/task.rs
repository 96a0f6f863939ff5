//! A task screen: question strip, the intro or the current question (widget, marks, feedback,
//! explanation), and the hint pane (beside the question when wide, below it when narrow).

use super::doc::{self, Doc, Drawn};
use super::text;
use super::theme::Theme;
use super::widgets::{self, Reveal};
use crate::content::Task;
use crate::grading::{self, Verdict};
use crate::mode::FeedbackTiming;
use crate::model::{Focus, Model, TaskState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

/// From this width the hint pane sits beside the question.
const SIDE_BY_SIDE: u16 = 110;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, t: usize, theme: &Theme) -> Drawn {
    let (Some(task), Some(state)) = (model.puzzle.tasks.get(t), model.tasks.get(t)) else {
        return Drawn::default();
    };
    let [strip, main] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    render_strip(frame, strip, model, t, task, state, theme);
    let (question_area, hint_area) = if area.width >= SIDE_BY_SIDE {
        let lab_open = model.lab_open && crate::lab_update::focused_lab(model).is_some();
        let hint_w = if lab_open {
            (area.width / 2).clamp(50, 90)
        } else {
            (area.width / 3).clamp(34, 60)
        };
        let [q, h] = main.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(hint_w),
        ]));
        (q, h)
    } else {
        let h = hint_height(task, state, main.width);
        let [q, h] = main.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(h),
        ]));
        (q, h)
    };
    let narrow = area.width < SIDE_BY_SIDE;
    let lab = crate::lab_update::focused_lab(model).filter(|_| model.lab_open);
    // Wide, the lab pane takes the scroll keys and the wheel; the question beside it stays put.
    let mut lab_drawn = None;
    match lab {
        Some((lt, lq, kind)) if !narrow => {
            let block = Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme.accent);
            let inner = block.inner(hint_area);
            frame.render_widget(block, hint_area);
            let inner = Rect {
                x: inner.x + 1,
                width: inner.width.saturating_sub(1),
                ..inner
            };
            let d = super::lab::doc(
                model,
                lt,
                lq,
                kind,
                inner.width.saturating_sub(2) as usize,
                theme,
            );
            lab_drawn = Some(doc::draw(frame, inner, d, model.scroll, theme.dim));
        }
        _ => render_hints(frame, hint_area, task, state, theme, narrow),
    }
    let inner = Rect {
        x: question_area.x + 1,
        width: question_area.width.saturating_sub(2),
        ..question_area
    };
    let w = inner.width as usize - 1;
    let mut d = match state.focus {
        Focus::Intro => intro_doc(task, w, theme),
        Focus::Question(qi) => question_doc(model, t, qi, w, theme),
    };
    if let Some((lt, lq, kind)) = lab.filter(|_| narrow) {
        d.blank();
        d.extend(super::lab::doc(model, lt, lq, kind, w, theme).lines);
    }
    if narrow && state.hints_revealed > 1 {
        // The narrow pane shows only the newest hint; every hint stays readable here.
        d.blank();
        d.push(Line::styled("Hints revealed", theme.heading));
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
    match lab_drawn {
        Some(lab) => {
            let question = doc::draw(frame, inner, d, 0, theme.dim);
            doc::Drawn {
                scroll_limit: lab.scroll_limit,
                hits: question.hits,
            }
        }
        None => doc::draw(frame, inner, d, model.scroll, theme.dim),
    }
}

fn render_strip(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    t: usize,
    task: &Task,
    state: &TaskState,
    theme: &Theme,
) {
    let mut spans = vec![Span::styled(
        " Intro ",
        if state.focus == Focus::Intro {
            theme.cursor
        } else {
            theme.dim
        },
    )];
    for qi in 0..task.questions.len() {
        let glyph = match model.grade_of(t, qi).map(|g| g.verdict) {
            Some(_) if !reveals_marks(model) => "•",
            Some(Verdict::Correct) => "✓",
            Some(Verdict::Partial) => "◐",
            Some(Verdict::Wrong) => "✗",
            _ => "·",
        };
        let style = if state.focus == Focus::Question(qi) {
            theme.cursor
        } else {
            theme.base
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!("{}{glyph}", qi + 1), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn reveals_marks(model: &Model) -> bool {
    model.policy.feedback == FeedbackTiming::Immediate || model.reveals_key()
}

/// The hint ladder as lines; `newest_only` keeps just the latest hint (the narrow pane), the others
/// then follow the question text where they can be scrolled to.
fn hint_lines(
    task: &Task,
    state: &TaskState,
    w: usize,
    theme: &Theme,
    newest_only: bool,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let total = task.hints.len();
    let skip = if newest_only {
        state.hints_revealed.saturating_sub(1)
    } else {
        0
    };
    if skip > 0 {
        lines.push(Line::styled(
            "(earlier hints: after the text above, scroll down)",
            theme.dim,
        ));
    }
    for (i, h) in task
        .hints
        .iter()
        .take(state.hints_revealed)
        .enumerate()
        .skip(skip)
    {
        lines.push(Line::styled(
            format!("Hint {} — {} of {total} for this task", h.number, i + 1),
            theme.heading,
        ));
        lines.extend(text::markdown(&h.text, theme, w));
    }
    let left = total.saturating_sub(state.hints_revealed);
    lines.push(Line::styled(
        match (total, left) {
            (0, _) => "This task has no hints.".to_string(),
            (_, 0) => "No hints left for this task.".to_string(),
            (_, n) => format!("h: reveal the next hint ({n} left)"),
        },
        theme.dim,
    ));
    lines
}

fn hint_height(task: &Task, state: &TaskState, width: u16) -> u16 {
    let n = hint_lines(
        task,
        state,
        width.saturating_sub(4) as usize,
        &Theme::monochrome(),
        true,
    )
    .len() as u16;
    (n + 2).min(8)
}

fn render_hints(
    frame: &mut Frame,
    area: Rect,
    task: &Task,
    state: &TaskState,
    theme: &Theme,
    narrow: bool,
) {
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Hints {}/{} ", state.hints_revealed, task.hints.len()),
            theme.title,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let mut d = Doc::default();
    d.extend(hint_lines(
        task,
        state,
        inner.width.saturating_sub(1) as usize,
        theme,
        narrow,
    ));
    // Newest hints matter most: when they do not fit, show the end.
    let limit = d.len().saturating_sub(inner.height as usize) as u16;
    doc::draw(frame, inner, d, limit, theme.dim);
}

fn intro_doc(task: &Task, w: usize, theme: &Theme) -> Doc {
    let mut d = Doc::default();
    d.push(Line::styled(
        format!("Task {} – {}", task.number, task.title),
        theme.heading,
    ));
    d.blank();
    d.extend(text::markdown(&task.intro, theme, w));
    d.blank();
    d.push(Line::styled(
        format!(
            "{} questions · {} · Enter or Tab: first question",
            task.questions.len(),
            grading::points_label(task.max_points())
        ),
        theme.accent,
    ));
    d
}

pub(super) fn question_doc(model: &Model, t: usize, qi: usize, w: usize, theme: &Theme) -> Doc {
    let task = &model.puzzle.tasks[t];
    let mut d = Doc::default();
    let (Some(q), Some(state)) = (task.questions.get(qi), model.tasks[t].questions.get(qi)) else {
        return d;
    };
    let kind = match q.spec.kind() {
        crate::content::Kind::Single => "choose one",
        crate::content::Kind::Multi => "choose all that apply",
        crate::content::Kind::Matrix => "access matrix",
        crate::content::Kind::Ordering => "put in order",
    };
    d.push(Line::styled(
        format!(
            "Question {} of {} · {kind} · {}",
            qi + 1,
            task.questions.len(),
            grading::points_label(q.points)
        ),
        theme.dim,
    ));
    d.extend(text::markdown(&q.prompt, theme, w));
    d.blank();
    let settled = state.is_settled(q);
    let marks = settled && reveals_marks(model);
    // With the policy lab editing another key-policy principal, the options show that lab row.
    let lab_row = crate::lab::lab_row_state(model, t, qi);
    let shown = lab_row.as_ref().unwrap_or(state);
    if lab_row.is_some() {
        let label = crate::lab::key_principals()[model.lab.key_principal].0;
        d.extend(text::plain(
            &format!("Editing the lab's key-policy row: {label}. 8 switches back to your answer."),
            theme.notice,
            w,
        ));
    }
    let marks = marks && lab_row.is_none();
    widgets::render(
        &mut d,
        q,
        shown,
        Reveal {
            marks,
            key_hints: !model.task_locked(t),
        },
        theme,
        w,
        true,
    );
    d.blank();
    if state.checked.is_some() && !settled {
        d.push(Line::styled(
            "Answer changed since it was checked: Enter checks it again.",
            theme.notice,
        ));
        return d;
    }
    if !marks {
        if state.checked.is_some() {
            d.push(Line::styled(
                "Answer saved. Feedback comes when the quiz ends.",
                theme.dim,
            ));
        }
        if model.task_locked(t) && !model.reveals_key() {
            d.push(Line::styled(
                "This task is submitted: its answers are locked.",
                theme.notice,
            ));
        }
        return d;
    }
    let g = grading::grade(q, state.checked.as_ref());
    let style = match g.verdict {
        Verdict::Correct => theme.correct,
        Verdict::Partial => theme.partial,
        _ => theme.wrong,
    };
    d.push(Line::from(vec![
        Span::styled(g.verdict.mark().to_string(), style),
        Span::styled(
            format!(
                "  {}/{} points",
                super::final_screen::fmt_points(g.points),
                super::final_screen::fmt_points(g.max)
            ),
            theme.base,
        ),
    ]));
    // Per-option feedback is already beside each option; matrices and orderings say it here.
    if matches!(
        q.spec.kind(),
        crate::content::Kind::Matrix | crate::content::Kind::Ordering | crate::content::Kind::Multi
    ) {
        for f in &g.feedback {
            d.extend(text::wrap(
                &[(f.clone(), theme.base)],
                w,
                "  • ",
                "    ",
                theme.accent,
            ));
        }
    }
    d.blank();
    if state.explanation_open {
        d.push(Line::styled("Explanation (e hides)", theme.heading));
        d.extend(text::markdown(&q.explanation, theme, w));
        d.extend(concept_lines(q, theme, w));
    } else {
        d.push(Line::styled("e: show the explanation", theme.dim));
    }
    d
}

/// The "Concept to teach" line after an explanation, unless the explanation already says it.
pub(super) fn concept_lines(
    q: &crate::content::Question,
    theme: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let Some(c) = q.extra_concept() else {
        return vec![];
    };
    let mut lines = vec![Line::default()];
    lines.extend(text::wrap(
        &text::inline_runs(c, theme, theme.selected),
        w,
        "Concept to teach: ",
        &" ".repeat(text::width("Concept to teach: ")),
        theme.heading,
    ));
    lines
}
