//! Text for the terminal: control characters made harmless, Markdown rendered (pulldown-cmark) and
//! wrapped to a width (textwrap's first-fit over styled words).

use super::theme::Theme;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use textwrap::core::Fragment;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replace control characters (ESC, BEL, CR …) so no content or input can drive the terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' => ' ',
            c if c.is_control() => '\u{FFFD}',
            // Bidi overrides can disguise text; show them as replacement characters too.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    style: Style,
    /// Followed by a space when not at the end of a line.
    space_after: bool,
}

impl Fragment for Word {
    fn width(&self) -> f64 {
        width(&self.text) as f64
    }
    fn whitespace_width(&self) -> f64 {
        if self.space_after { 1.0 } else { 0.0 }
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Split styled runs into words; words wider than `max` are broken so nothing is cut off.
fn words(spans: &[(String, Style)], max: usize) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for (text, style) in spans {
        let text = sanitize(text);
        let mut current = String::new();
        let mut at_start = true;
        for c in text.chars() {
            if c == ' ' {
                if !current.is_empty() {
                    out.push(Word {
                        text: std::mem::take(&mut current),
                        style: *style,
                        space_after: true,
                    });
                } else if let Some(last) = out.last_mut().filter(|_| at_start) {
                    last.space_after = true;
                }
            } else {
                current.push(c);
            }
            at_start = false;
        }
        if !current.is_empty() {
            // No trailing space: the next run continues the same word (e.g. "**bold**," ).
            out.push(Word {
                text: current,
                style: *style,
                space_after: false,
            });
        }
    }
    let max = max.max(1);
    let mut broken = Vec::with_capacity(out.len());
    for w in out {
        if width(&w.text) <= max {
            broken.push(w);
            continue;
        }
        let mut chunk = String::new();
        let mut chunk_width = 0;
        for c in w.text.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if chunk_width + cw > max && !chunk.is_empty() {
                broken.push(Word {
                    text: std::mem::take(&mut chunk),
                    style: w.style,
                    space_after: false,
                });
                chunk_width = 0;
            }
            chunk.push(c);
            chunk_width += cw;
        }
        broken.push(Word {
            text: chunk,
            style: w.style,
            space_after: w.space_after,
        });
    }
    broken
}

/// Wrap styled runs to `width` columns, with a prefix on the first line and another on the rest.
pub fn wrap(
    spans: &[(String, Style)],
    width_cols: usize,
    first: &str,
    rest: &str,
    prefix_style: Style,
) -> Vec<Line<'static>> {
    let first_w = width(first);
    let rest_w = width(rest);
    let avail_first = width_cols.saturating_sub(first_w).max(1);
    let avail_rest = width_cols.saturating_sub(rest_w).max(1);
    let ws = words(spans, avail_first.min(avail_rest));
    if ws.is_empty() {
        return vec![Line::from(Span::styled(first.to_string(), prefix_style))];
    }
    let line_widths = [avail_first as f64, avail_rest as f64];
    let wrapped = textwrap::wrap_algorithms::wrap_first_fit(&ws, &line_widths);
    let mut lines = Vec::with_capacity(wrapped.len());
    for (i, line_words) in wrapped.iter().enumerate() {
        let prefix = if i == 0 { first } else { rest };
        let mut spans_out: Vec<Span<'static>> =
            vec![Span::styled(prefix.to_string(), prefix_style)];
        for (j, w) in line_words.iter().enumerate() {
            let last = j + 1 == line_words.len();
            let text = if w.space_after && !last {
                format!("{} ", w.text)
            } else {
                w.text.clone()
            };
            // Merge with the previous span when the style is the same: fewer cells to diff.
            match spans_out.last_mut() {
                Some(prev) if prev.style == w.style && j > 0 => {
                    prev.content.to_mut().push_str(&text)
                }
                _ => spans_out.push(Span::styled(text, w.style)),
            }
        }
        lines.push(Line::from(spans_out));
    }
    lines
}

/// Plain text (sanitized) wrapped with a style.
pub fn plain(text: &str, style: Style, width_cols: usize) -> Vec<Line<'static>> {
    wrap(&[(text.to_string(), style)], width_cols, "", "", style)
}

/// Render Markdown (paragraphs, headings, lists, emphasis, code) to wrapped lines.
pub fn markdown(text: &str, theme: &Theme, width_cols: usize) -> Vec<Line<'static>> {
    // Content text never changes while the program runs, but frames are drawn again and again:
    // remember each rendering for its text, width and theme (a pure function's memo).
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let key = (h.finish(), width_cols);
    let hit = MARKDOWN_CACHE.with(|c| {
        c.borrow()
            .get(&key)
            .filter(|(t, _)| t == theme)
            .map(|(_, lines)| lines.clone())
    });
    if let Some(lines) = hit {
        return lines;
    }
    let lines = render_markdown(text, theme, width_cols);
    MARKDOWN_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 512 {
            c.clear();
        }
        c.insert(key, (*theme, lines.clone()));
    });
    lines
}

type MarkdownCache = std::collections::HashMap<(u64, usize), (Theme, Vec<Line<'static>>)>;

thread_local! {
    static MARKDOWN_CACHE: std::cell::RefCell<MarkdownCache> = std::cell::RefCell::new(MarkdownCache::new());
}

fn render_markdown(text: &str, theme: &Theme, width_cols: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut runs: Vec<(String, Style)> = Vec::new();
    let mut style_stack: Vec<Style> = vec![theme.base];
    // One entry per open list: the next number for ordered lists.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut item_prefix: Option<(String, String)> = None;
    let mut in_code_block = false;

    let flush = |runs: &mut Vec<(String, Style)>,
                 lines: &mut Vec<Line<'static>>,
                 prefix: &mut Option<(String, String)>,
                 depth: usize| {
        if runs.iter().all(|(t, _)| t.trim().is_empty()) && prefix.is_none() {
            runs.clear();
            return;
        }
        let indent = "  ".repeat(depth.saturating_sub(1));
        let (first, rest) = match prefix.take() {
            Some((f, r)) => (format!("{indent}{f}"), format!("{indent}{r}")),
            None if depth > 0 => (format!("{indent}  "), format!("{indent}  ")),
            None => (String::new(), String::new()),
        };
        lines.extend(wrap(runs, width_cols, &first, &rest, theme.accent));
        runs.clear();
    };

    for event in Parser::new(text) {
        let current = *style_stack.last().unwrap_or(&theme.base);
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {}
                Tag::Heading { .. } => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    if lines.last().is_some_and(|l| l.width() > 0) {
                        lines.push(Line::default());
                    }
                    style_stack.push(theme.heading);
                }
                Tag::Emphasis => style_stack.push(current.add_modifier(Modifier::ITALIC)),
                Tag::Strong => style_stack.push(current.add_modifier(Modifier::BOLD)),
                Tag::Strikethrough => style_stack.push(current.add_modifier(Modifier::CROSSED_OUT)),
                Tag::CodeBlock(_) => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    in_code_block = true;
                }
                Tag::List(start) => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    if lists.is_empty()
                        && !lines.is_empty()
                        && lines.last().is_some_and(|l| l.width() > 0)
                    {
                        // keep lists attached to their lead-in paragraph
                    }
                    lists.push(start);
                }
                Tag::Item => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    let marker = match lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}. ");
                            *n += 1;
                            m
                        }
                        _ => ["• ", "◦ ", "‣ "][lists.len().saturating_sub(1) % 3].to_string(),
                    };
                    let pad = " ".repeat(width(&marker));
                    item_prefix = Some((marker, pad));
                }
                Tag::BlockQuote(_) => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    style_stack.push(current.add_modifier(Modifier::ITALIC));
                }
                Tag::Link { .. } => style_stack.push(current.add_modifier(Modifier::UNDERLINED)),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    if lists.is_empty() {
                        lines.push(Line::default());
                    }
                }
                TagEnd::Heading(_) => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    style_stack.pop();
                }
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::BlockQuote(_) => {
                    if matches!(tag, TagEnd::BlockQuote(_)) {
                        flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    }
                    if style_stack.len() > 1 {
                        style_stack.pop();
                    }
                }
                TagEnd::CodeBlock => {
                    in_code_block = false;
                    lines.push(Line::default());
                }
                TagEnd::Item => flush(&mut runs, &mut lines, &mut item_prefix, lists.len()),
                TagEnd::List(_) => {
                    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                    lists.pop();
                    if lists.is_empty() {
                        lines.push(Line::default());
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if in_code_block {
                    for l in t.lines() {
                        lines.extend(wrap(
                            &[(l.to_string(), theme.code)],
                            width_cols,
                            "    ",
                            "    ",
                            theme.code,
                        ));
                    }
                } else {
                    runs.push((t.into_string(), current));
                }
            }
            Event::Code(c) => runs.push((c.into_string(), theme.code)),
            Event::SoftBreak => runs.push((" ".into(), current)),
            Event::HardBreak => flush(&mut runs, &mut lines, &mut item_prefix, lists.len()),
            Event::Rule => {
                flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
                lines.push(Line::styled("─".repeat(width_cols.min(40)), theme.dim));
            }
            Event::Html(h) | Event::InlineHtml(h) => runs.push((h.into_string(), current)),
            _ => {}
        }
    }
    flush(&mut runs, &mut lines, &mut item_prefix, lists.len());
    while lines.last().is_some_and(|l| l.width() == 0) {
        lines.pop();
    }
    lines
}

/// Inline Markdown (bold, italics, `code`) as styled runs on `base`, for option labels and one-paragraph
/// feedback; block structure is flattened into one paragraph.
pub fn inline_runs(md: &str, theme: &Theme, base: Style) -> Vec<(String, Style)> {
    let mut runs = Vec::new();
    let mut stack = vec![base];
    for event in Parser::new(md) {
        let current = *stack.last().unwrap_or(&base);
        match event {
            Event::Start(Tag::Emphasis) => stack.push(current.add_modifier(Modifier::ITALIC)),
            Event::Start(Tag::Strong) => stack.push(current.add_modifier(Modifier::BOLD)),
            Event::End(TagEnd::Emphasis | TagEnd::Strong) if stack.len() > 1 => {
                stack.pop();
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                runs.push((t.into_string(), current))
            }
            Event::Code(c) => runs.push((c.into_string(), theme.code)),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                runs.push((" ".into(), current));
            }
            Event::Start(Tag::Item) => runs.push(("• ".into(), current)),
            _ => {}
        }
    }
    runs
}
