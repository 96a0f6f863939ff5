//! The speaker-notes window: what the room sees, plus the key, every option's feedback, the
//! explanation, the hints still hidden and the timer.

use super::doc::{self, Doc};
use super::text::{self, sanitize};
use super::theme::Theme;
use crate::content::{Expected, OptionGrade, Puzzle, QuestionSpec};
use crate::model::PresentState;
use crate::notes::{FollowerState, focused};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn mmss(s: u64) -> String {
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// Draw the notes; returns the body's scroll limit.
pub fn render(frame: &mut Frame, puzzle: &Puzzle, st: &FollowerState, theme: &Theme) -> u16 {
    let area = frame.area();
    frame.render_widget(Block::new().style(theme.base), area);
    if area.width < 40 || area.height < 10 {
        frame.render_widget(
            Paragraph::new(Line::styled("Notes: window too small", theme.notice)),
            area,
        );
        return 0;
    }
    let [head, body, foot] = area.layout(&Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let status = match (&st.sync, st.connected, st.was_connected) {
        (_, true, _) => Span::styled("● following the presenter", theme.correct),
        (_, false, true) => Span::styled(
            "✗ presenter disconnected — waiting for it to come back",
            theme.wrong,
        ),
        (_, false, false) => Span::styled(
            "… waiting for a presenter: start `kmsquest present`",
            theme.notice,
        ),
    };
    let mut head_lines = vec![Line::from(vec![
        Span::styled(" Speaker notes  ", theme.key),
        Span::raw(" "),
        status,
    ])];
    if let Some(sync) = &st.sync {
        let plan = u64::from(puzzle.plan_minutes) * 60;
        let run = if sync.present.timer_running {
            "▶"
        } else {
            "⏸"
        };
        head_lines.push(Line::styled(
            format!(
                " ⏱ {} of {} plan {run}   {}",
                mmss(sync.present.timer_secs),
                mmss(plan),
                where_label(puzzle, sync)
            ),
            theme.title,
        ));
        if sync.content_hash != puzzle.content_hash {
            head_lines[1].spans.push(Span::styled(
                "  (content differs from the presenter's)",
                theme.wrong,
            ));
        }
    }
    frame.render_widget(Paragraph::new(head_lines), head);
    frame.render_widget(
        Paragraph::new(Line::styled(
            " ↑/↓ scroll · q quits the notes (the presenter keeps running)",
            theme.dim,
        )),
        foot,
    );
    let inner = Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    };
    let w = inner.width as usize - 1;
    let mut d = Doc::default();
    if let Some(sync) = &st.sync {
        notes_doc(&mut d, puzzle, sync, w, theme);
    }
    doc::draw(frame, inner, d, st.scroll, theme.dim).scroll_limit
}

fn where_label(puzzle: &Puzzle, sync: &crate::notes::NotesSync) -> String {
    match (sync.screen.as_str(), sync.task, sync.question) {
        ("task", Some(t), Some(q)) => format!(
            "Task {} · question {} of {}",
            t + 1,
            q + 1,
            puzzle.tasks.get(t).map_or(0, |x| x.questions.len())
        ),
        ("task", Some(t), None) => format!("Task {} · intro", t + 1),
        ("solution", Some(t), _) => format!("Task {} · suggested solution", t + 1),
        (s, ..) => s.to_string(),
    }
}

fn shown(flag: bool) -> &'static str {
    if flag { "shown" } else { "hidden" }
}

fn notes_doc(
    d: &mut Doc,
    puzzle: &Puzzle,
    sync: &crate::notes::NotesSync,
    w: usize,
    theme: &Theme,
) {
    let p: &PresentState = &sync.present;
    if let Some((t, qi, q)) = focused(puzzle, sync) {
        let answer = p.answers.contains(&(t, qi));
        let expl = p.explanations.contains(&(t, qi));
        d.push(Line::styled(
            format!(
                "The room sees: answer {} · explanation {}",
                shown(answer),
                shown(expl)
            ),
            theme.accent,
        ));
        d.blank();
        d.extend(text::markdown(&q.prompt, theme, w));
        d.blank();
        d.push(Line::styled("Key", theme.heading));
        let votes = p.votes.get(&PresentState::vote_key(t, qi));
        match &q.spec {
            QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
                for (i, o) in options.iter().enumerate() {
                    let (mark, style) = match o.grade {
                        OptionGrade::Credit(c) if c >= 1.0 => {
                            ("✓ correct".to_string(), theme.correct)
                        }
                        OptionGrade::Credit(c) if c > 0.0 => {
                            (format!("◐ {:.0}%", c * 100.0), theme.partial)
                        }
                        OptionGrade::Credit(_) => ("✗ wrong".to_string(), theme.wrong),
                        OptionGrade::Expected(Expected::Required) => {
                            ("✓ required".to_string(), theme.correct)
                        }
                        OptionGrade::Expected(Expected::Optional) => {
                            ("○ optional".to_string(), theme.dim)
                        }
                        OptionGrade::Expected(Expected::Forbidden) => {
                            ("✗ must not".to_string(), theme.wrong)
                        }
                    };
                    let v = votes.and_then(|v| v.get(i)).copied().unwrap_or(0);
                    let letter = (b'A' + (i % 26) as u8) as char;
                    // Wrapped like every other line: a long label must not push its mark off screen.
                    let mut runs = text::inline_runs(&o.label, theme, theme.title);
                    runs.push((format!("  {mark}"), style));
                    if v > 0 {
                        runs.push((format!("  ✋{v}"), theme.notice));
                    }
                    d.extend(text::wrap(
                        &runs,
                        w,
                        &format!("{letter}. "),
                        "   ",
                        theme.accent,
                    ));
                    d.extend(text::wrap(
                        &text::inline_runs(&o.feedback, theme, theme.base),
                        w,
                        "   ",
                        "   ",
                        theme.base,
                    ));
                    if let Some(m) = &o.misconception {
                        d.push(Line::styled(format!("   misconception: {m}"), theme.dim));
                    }
                }
            }
            QuestionSpec::Matrix {
                rows,
                columns,
                grants,
                ..
            } => {
                for (ri, r) in rows.iter().enumerate() {
                    let granted: Vec<&str> = columns
                        .iter()
                        .enumerate()
                        .filter(|(ci, _)| grants.contains(&(ri, *ci)))
                        .map(|(_, c)| c.label.as_str())
                        .collect();
                    d.extend(text::wrap(
                        &[(format!("{} → {}", r.label, granted.join(", ")), theme.base)],
                        w,
                        "✓ ",
                        "  ",
                        theme.correct,
                    ));
                }
            }
            QuestionSpec::Ordering { steps, order } => {
                for (i, &k) in order.iter().enumerate() {
                    d.extend(text::wrap(
                        &[(steps[k].label.clone(), theme.base)],
                        w,
                        &format!("{}. ", i + 1),
                        "   ",
                        theme.accent,
                    ));
                }
            }
        }
        d.blank();
        d.push(Line::styled("Explanation", theme.heading));
        d.extend(text::markdown(&q.explanation, theme, w));
        if let Some(c) = q.extra_concept() {
            d.extend(text::wrap(
                &[(sanitize(c).replace("**", ""), theme.selected)],
                w,
                "Concept to teach: ",
                "  ",
                theme.heading,
            ));
        }
        d.blank();
    }
    if let Some(t) = sync.task
        && let Some(task) = puzzle.tasks.get(t)
    {
        if sync.screen == "solution" {
            d.push(Line::styled(
                format!(
                    "Suggested solution (the room sees it: {})",
                    if p.solutions.contains(&t) {
                        "yes"
                    } else {
                        "no"
                    }
                ),
                theme.heading,
            ));
            d.extend(text::markdown(&task.solution.body, theme, w));
            d.blank();
        }
        let revealed = sync.hints_revealed.get(t).copied().unwrap_or(0);
        let hidden: Vec<_> = task.hints.iter().skip(revealed).collect();
        d.push(Line::styled(
            format!(
                "Hints still hidden ({} of {})",
                hidden.len(),
                task.hints.len()
            ),
            theme.heading,
        ));
        for h in hidden {
            d.extend(text::wrap(
                &[(h.text.clone(), theme.base)],
                w,
                &format!("Hint {}: ", h.number),
                "   ",
                theme.accent,
            ));
        }
        d.blank();
        d.push(Line::styled("Concepts to teach", theme.heading));
        for c in &task.solution.concepts {
            d.extend(text::markdown(&format!("- {c}"), theme, w));
        }
    }
}
