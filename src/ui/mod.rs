//! The view: a pure function of the model (and theme) that draws a frame and reports where clicks
//! land. One layout split into named areas, one `render_*` per area, every style from the theme.

mod chrome;
pub mod doc;
mod final_screen;
pub mod lab;
mod menu;
pub mod notes;
mod overlays;
mod present;
mod quiz;
mod scenario;
mod solution;
mod task;
pub mod text;
pub mod theme;
pub mod widgets;

use crate::model::{Model, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};
pub use theme::Theme;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Something a mouse click can land on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitTarget {
    MenuEntry(usize),
    /// An option, a step or a matrix row.
    Row(usize),
    Cell(usize, usize),
}

/// What the loop keeps from a frame: the body's scroll limit and the click map.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    pub scroll_limit: u16,
    pub hits: Vec<(Rect, HitTarget)>,
}

impl FrameInfo {
    pub fn hit(&self, x: u16, y: u16) -> Option<HitTarget> {
        self.hits
            .iter()
            .find(|(r, _)| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)
            .map(|(_, t)| *t)
    }
}

pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) -> FrameInfo {
    let area = frame.area();
    frame.render_widget(Block::new().style(theme.base), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(frame, area, theme);
        return FrameInfo::default();
    }
    let [header, body, status, keys] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    if model.present.as_ref().is_some_and(|p| p.blank) {
        // Blank means blank: the room sees nothing until any key is pressed.
        return FrameInfo::default();
    }
    chrome::render_header(frame, header, model, theme);
    let drawn = match model.screen {
        Screen::Menu => menu::render(frame, body, model, theme),
        Screen::Scenario if model.policy.presentation => {
            let rest = present::render_title(frame, body, "Scenario", &model.puzzle.title, theme);
            scenario::render(frame, rest, model, theme)
        }
        Screen::Scenario => scenario::render(frame, body, model, theme),
        Screen::Task(t) if model.policy.presentation => {
            present::render_task(frame, body, model, t, theme)
        }
        Screen::Solution(t) if model.policy.presentation => {
            present::render_solution(frame, body, model, t, theme)
        }
        Screen::Task(t) => task::render(frame, body, model, t, theme),
        Screen::Solution(t) => solution::render(frame, body, model, t, theme),
        Screen::Final => final_screen::render(frame, body, model, theme),
        Screen::NamePrompt => quiz::render_name_prompt(frame, body, model, theme),
        Screen::Rules => quiz::render_rules(frame, body, model, theme),
        Screen::Score => quiz::render_score(frame, body, model, theme),
        Screen::Review(i) => quiz::render_review(frame, body, model, i, theme),
    };
    chrome::render_status(frame, status, model, theme);
    chrome::render_keys(frame, keys, model, theme);
    let overlay_limit = overlays::render(frame, body, model, theme);
    FrameInfo {
        scroll_limit: overlay_limit.unwrap_or(drawn.scroll_limit),
        // Clicks go to the screen only when no overlay covers it.
        hits: if model.overlay.is_some() {
            vec![]
        } else {
            drawn.hits
        },
    }
}

fn render_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let msg = format!(
        "Terminal too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}. Enlarge the window (q quits).",
        area.width, area.height
    );
    let lines = (msg.len() as u16).div_ceil(area.width.max(1)).max(1);
    let y = area.y + area.height.saturating_sub(lines) / 2;
    let rect = Rect {
        x: area.x,
        y,
        width: area.width,
        height: lines.min(area.height),
    };
    frame.render_widget(
        Paragraph::new(Line::styled(msg, theme.notice))
            .centered()
            .wrap(Wrap { trim: true }),
        rect,
    );
}
