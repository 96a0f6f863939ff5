//! Helpers shared by the headless screen suites: the embedded puzzle, drawing a model the way the
//! loop does, and reading text back out of a buffer.
#![allow(dead_code)] // each suite uses its own subset

use kmsquest::content::Puzzle;
use kmsquest::model::Model;
use kmsquest::ui::{self, FrameInfo, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::sync::{Arc, OnceLock};
use unicode_width::UnicodeWidthStr;

/// The embedded puzzle, loaded once per test binary.
pub fn puzzle() -> Arc<Puzzle> {
    static P: OnceLock<Arc<Puzzle>> = OnceLock::new();
    P.get_or_init(|| {
        Arc::new(kmsquest::cli::load_puzzle(None).expect("the embedded content loads"))
    })
    .clone()
}

/// Draw like the loop: the frame's scroll limit goes back into the model.
pub fn render(m: &mut Model, w: u16, h: u16, theme: &Theme) -> (Terminal<TestBackend>, FrameInfo) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("backend");
    let mut info = FrameInfo::default();
    terminal
        .draw(|f| info = ui::view(m, theme, f))
        .expect("draw");
    m.scroll_limit = info.scroll_limit;
    (terminal, info)
}

pub fn buffer_at(m: &Model, w: u16, h: u16, theme: &Theme) -> Buffer {
    let mut m = m.clone();
    let (terminal, _) = render(&mut m, w, h, theme);
    terminal.backend().buffer().clone()
}

/// Whether the cell is the second half of a wide character drawn just before it.
pub fn covered(buf: &Buffer, x: u16, y: u16) -> bool {
    x > 0 && buf[(x - 1, y)].symbol().width() > 1
}

/// A row as the terminal shows it: wide characters take two cells but are one character here.
pub fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .filter(|&x| !covered(buf, x, y))
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

pub fn screen_text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every place `text` is drawn: (x, y) of its first cell. Matches cell by cell, one char a cell.
pub fn find(buf: &Buffer, text: &str) -> Vec<(u16, u16)> {
    let chars: Vec<String> = text.chars().map(|c| c.to_string()).collect();
    let w = buf.area.width as usize;
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..w.saturating_sub(chars.len() - 1) {
            if chars
                .iter()
                .enumerate()
                .all(|(i, c)| buf[((x + i) as u16, y)].symbol() == c)
            {
                out.push((x as u16, y));
            }
        }
    }
    out
}
