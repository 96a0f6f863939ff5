//! Question widgets, one per kind: choice list, checklist, access matrix, step list. Each writes
//! lines into a `Doc` (with click targets); after a check, marks pair a glyph with a word.

use super::HitTarget;
use super::doc::Doc;
use super::text::{self, sanitize, width};
use super::theme::Theme;
use crate::content::{Expected, OptionGrade, Question, QuestionSpec};
use crate::model::{Draft, QuestionState};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// What the widget may show about the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reveal {
    /// Mark each option right/wrong and show its feedback.
    pub marks: bool,
    /// Show the editing keys under a matrix or step list (not on a projector, not when locked).
    pub key_hints: bool,
}

fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

fn option_mark(grade: OptionGrade, chosen: bool, theme: &Theme) -> (String, Style) {
    match grade {
        OptionGrade::Credit(c) if c >= 1.0 => ("✓ correct".into(), theme.correct),
        OptionGrade::Credit(c) if c > 0.0 => {
            (format!("◐ partly ({:.0}%)", c * 100.0), theme.partial)
        }
        OptionGrade::Credit(_) => ("✗ wrong".into(), theme.wrong),
        OptionGrade::Expected(Expected::Required) if chosen => ("✓ needed".into(), theme.correct),
        OptionGrade::Expected(Expected::Required) => ("✗ missing".into(), theme.wrong),
        OptionGrade::Expected(Expected::Optional) => ("○ optional".into(), theme.dim),
        OptionGrade::Expected(Expected::Forbidden) if chosen => ("✗ must not".into(), theme.wrong),
        OptionGrade::Expected(Expected::Forbidden) => ("✓ rightly left out".into(), theme.correct),
    }
}

pub fn render(
    doc: &mut Doc,
    q: &Question,
    state: &QuestionState,
    reveal: Reveal,
    theme: &Theme,
    w: usize,
    active: bool,
) {
    let cursor_style = |on: bool| {
        if on && active {
            theme.cursor
        } else {
            theme.base
        }
    };
    match (&q.spec, &state.draft) {
        (QuestionSpec::Single { options }, Draft::Single(choice)) => {
            let marker = |oi: usize| {
                if *choice == Some(oi) {
                    ("(•)", true)
                } else {
                    ("( )", false)
                }
            };
            choice_list(doc, options, state, &marker, reveal, theme, w, active);
        }
        (QuestionSpec::Multi { options }, Draft::Multi(set)) => {
            let marker = |oi: usize| {
                if set.contains(&oi) {
                    ("[x]", true)
                } else {
                    ("[ ]", false)
                }
            };
            choice_list(doc, options, state, &marker, reveal, theme, w, active);
        }
        (
            QuestionSpec::Matrix {
                rows,
                columns,
                grants,
                ..
            },
            Draft::Matrix(cells),
        ) => {
            // Columns are numbered with a legend above: five secret names never fit 80 columns side by side.
            for (ci, c) in columns.iter().enumerate() {
                doc.extend(text::wrap(
                    &[(c.label.clone(), theme.base)],
                    w,
                    &format!("  {} = ", ci + 1),
                    "      ",
                    theme.accent,
                ));
            }
            doc.blank();
            let label_w = rows
                .iter()
                .map(|r| width(&r.label))
                .max()
                .unwrap_or(8)
                .clamp(8, (w / 2).max(8));
            let cell_w = 5usize;
            let mut header = vec![Span::raw(" ".repeat(label_w + 2))];
            for ci in 0..columns.len() {
                let here = active && state.column == ci;
                header.push(Span::styled(
                    format!("{:^cell_w$}", ci + 1),
                    if here { theme.heading } else { theme.accent },
                ));
            }
            doc.push(Line::from(header));
            for (ri, r) in rows.iter().enumerate() {
                let mut label: String = sanitize(&r.label);
                if width(&label) > label_w {
                    label = label
                        .chars()
                        .take(label_w.saturating_sub(1))
                        .collect::<String>()
                        + "…";
                }
                let pad = label_w.saturating_sub(width(&label));
                let pointer = if active && state.cursor == ri {
                    "›"
                } else {
                    " "
                };
                let mut spans = vec![Span::styled(
                    format!("{pointer} {label}{}", " ".repeat(pad)),
                    theme.base,
                )];
                for ci in 0..columns.len() {
                    let granted = cells.contains(&(ri, ci));
                    let needed = grants.contains(&(ri, ci));
                    let (glyph, style) = if reveal.marks {
                        match (granted, needed) {
                            (true, true) => ("[✓]", theme.correct),
                            (true, false) => ("[✗]", theme.wrong),
                            (false, true) => ("[!]", theme.partial),
                            (false, false) => ("[ ]", theme.dim),
                        }
                    } else if granted {
                        ("[x]", theme.selected)
                    } else {
                        ("[ ]", theme.base)
                    };
                    let here = active && state.cursor == ri && state.column == ci;
                    spans.push(Span::raw(" "));
                    spans.push(Span::styled(glyph, if here { theme.cursor } else { style }));
                    spans.push(Span::raw(" "));
                }
                let line_index = doc.len();
                doc.push(Line::from(spans));
                for ci in 0..columns.len() {
                    let x = (label_w + 2 + ci * cell_w) as u16;
                    doc.hits
                        .push((line_index, x, cell_w as u16, HitTarget::Cell(ri, ci)));
                }
            }
            doc.blank();
            // The legend wraps like any text: it must never be cut off at 80 columns.
            let legend: Vec<(String, Style)> = if reveal.marks {
                vec![
                    ("[✓] needed  ".into(), theme.correct),
                    ("[✗] over-privilege  ".into(), theme.wrong),
                    ("[!] missing (under-privilege)  ".into(), theme.partial),
                    ("[ ] rightly denied".into(), theme.dim),
                ]
            } else if reveal.key_hints {
                vec![(
                    "[x] granted  [ ] denied · ←/→ column · Space toggles".into(),
                    theme.dim,
                )]
            } else {
                vec![("[x] granted  [ ] denied".into(), theme.dim)]
            };
            doc.extend(text::wrap(&legend, w, "", "", theme.dim));
        }
        (QuestionSpec::Ordering { steps, order }, Draft::Ordering(current)) => {
            for (pos, &si) in current.iter().enumerate() {
                let Some(step) = steps.get(si) else { continue };
                let here = state.cursor == pos;
                let pointer = if here && active {
                    if state.holding { "⇕" } else { "›" }
                } else {
                    " "
                };
                let head = format!("{pointer} {}. ", pos + 1);
                let style = if here && state.holding {
                    theme.selected
                } else {
                    theme.base
                };
                let mut lines = text::wrap(
                    &text::inline_runs(&step.label, theme, style),
                    w,
                    &head,
                    &" ".repeat(width(&head)),
                    cursor_style(here),
                );
                if reveal.marks {
                    let right = order.get(pos) == Some(&si);
                    let key_pos = order.iter().position(|&k| k == si).map_or(0, |p| p + 1);
                    let (mark, st) = if right {
                        ("✓ in place".to_string(), theme.correct)
                    } else {
                        (format!("✗ belongs at {key_pos}"), theme.wrong)
                    };
                    append_mark(&mut lines, &mark, st, w);
                }
                doc.push_hit(lines, HitTarget::Row(pos), w as u16);
                if reveal.marks
                    && let Some(f) = &step.feedback
                {
                    doc.extend(text::wrap(
                        &text::inline_runs(f, theme, theme.dim),
                        w,
                        "      ",
                        "      ",
                        theme.dim,
                    ));
                }
            }
            doc.blank();
            if reveal.key_hints {
                doc.push(Line::styled(
                    if state.holding {
                        "Holding a step: ↑/↓ move it, Space drops it."
                    } else {
                        "Space picks up the step under the cursor; ↑/↓ then move it."
                    },
                    theme.dim,
                ));
            }
        }
        _ => doc.push(Line::styled(
            "(this answer does not fit the question)",
            theme.wrong,
        )),
    }
}

/// Put a mark at the end of the last line, or on a line of its own when it does not fit.
fn append_mark(lines: &mut Vec<Line<'static>>, mark: &str, style: Style, w: usize) {
    let fits = lines
        .last()
        .is_some_and(|l| l.width() + 2 + width(mark) <= w);
    if fits && let Some(last) = lines.last_mut() {
        last.spans.push(Span::raw("  "));
        last.spans.push(Span::styled(mark.to_string(), style));
    } else {
        lines.push(Line::from(vec![
            Span::raw("       "),
            Span::styled(mark.to_string(), style),
        ]));
    }
}

/// A lettered list of options in display order; `marker` gives each option's box and whether it is
/// chosen (a radio for single choice, a check box for multi-select).
#[allow(clippy::too_many_arguments)]
fn choice_list(
    doc: &mut Doc,
    options: &[crate::content::ChoiceOption],
    state: &QuestionState,
    marker: &dyn Fn(usize) -> (&'static str, bool),
    reveal: Reveal,
    theme: &Theme,
    w: usize,
    active: bool,
) {
    let positions = (0..options.len())
        .map(|p| (p, state.option_at(p)))
        .filter(|(_, oi)| *oi < options.len());
    for (i, oi) in positions {
        let o = &options[oi];
        let (boxed, chosen) = marker(oi);
        let here = state.cursor == i;
        let pointer = if here && active { "›" } else { " " };
        let head = format!("{pointer}{boxed} {}. ", letter(i));
        let label_style = if chosen { theme.selected } else { theme.base };
        let cursor_style = if here && active {
            theme.cursor
        } else {
            theme.base
        };
        let mut lines = text::wrap(
            &text::inline_runs(&o.label, theme, label_style),
            w,
            &head,
            &" ".repeat(width(&head)),
            cursor_style,
        );
        if reveal.marks {
            let (mark, style) = option_mark(o.grade, chosen, theme);
            append_mark(&mut lines, &mark, style, w);
        }
        doc.push_hit(lines, HitTarget::Row(i), w as u16);
        if reveal.marks {
            doc.extend(text::wrap(
                &text::inline_runs(&o.feedback, theme, theme.dim),
                w,
                "       ",
                "       ",
                theme.dim,
            ));
        }
    }
}
