//! Every style comes from one theme value. Meaning is never carried by colour alone: marks pair a
//! glyph with a word, and the no-colour theme keeps bold/reverse so the cursor stays visible.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub heading: Style,
    pub dim: Style,
    pub accent: Style,
    pub key: Style,
    pub cursor: Style,
    pub selected: Style,
    pub correct: Style,
    pub wrong: Style,
    pub partial: Style,
    pub code: Style,
    pub border: Style,
    pub bar: Style,
    pub notice: Style,
}

impl Theme {
    pub fn dark() -> Self {
        let fg = Color::Gray;
        Theme {
            base: Style::new().fg(fg),
            title: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
            heading: Style::new()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::LightCyan),
            key: Style::new().fg(Color::Black).bg(Color::Gray),
            cursor: Style::new()
                .fg(Color::Black)
                .bg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            selected: Style::new()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            correct: Style::new()
                .fg(Color::LightGreen)
                .add_modifier(Modifier::BOLD),
            wrong: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            partial: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            code: Style::new().fg(Color::LightMagenta),
            border: Style::new().fg(Color::DarkGray),
            bar: Style::new().fg(Color::Gray).bg(Color::Rgb(30, 30, 40)),
            notice: Style::new()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn light() -> Self {
        Theme {
            base: Style::new().fg(Color::Black),
            title: Style::new().fg(Color::Black).add_modifier(Modifier::BOLD),
            heading: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::Blue),
            key: Style::new().fg(Color::White).bg(Color::DarkGray),
            cursor: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            selected: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            correct: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            wrong: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            partial: Style::new()
                .fg(Color::Rgb(160, 100, 0))
                .add_modifier(Modifier::BOLD),
            code: Style::new().fg(Color::Magenta),
            border: Style::new().fg(Color::Gray),
            bar: Style::new().fg(Color::Black).bg(Color::Rgb(220, 220, 230)),
            notice: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
        }
    }

    /// Projector, dark room: white on black, saturated marks, everything bold enough to read from the back.
    pub fn projector_dark() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new().fg(Color::White).bg(Color::Black),
            title: Style::new().fg(Color::White).add_modifier(bold),
            heading: Style::new().fg(Color::LightCyan).add_modifier(bold),
            dim: Style::new().fg(Color::Gray),
            accent: Style::new().fg(Color::LightCyan).add_modifier(bold),
            key: Style::new().fg(Color::Black).bg(Color::White),
            cursor: Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(bold),
            selected: Style::new().fg(Color::LightYellow).add_modifier(bold),
            correct: Style::new().fg(Color::LightGreen).add_modifier(bold),
            wrong: Style::new().fg(Color::LightRed).add_modifier(bold),
            partial: Style::new().fg(Color::Yellow).add_modifier(bold),
            code: Style::new().fg(Color::LightMagenta).add_modifier(bold),
            border: Style::new().fg(Color::Gray),
            bar: Style::new().fg(Color::White).bg(Color::Black),
            notice: Style::new().fg(Color::LightYellow).add_modifier(bold),
        }
    }

    /// Projector, lit room (projectors wash out dark backgrounds): black on white, deep colours.
    pub fn projector_light() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new().fg(Color::Black).bg(Color::White),
            title: Style::new().fg(Color::Black).add_modifier(bold),
            heading: Style::new().fg(Color::Blue).add_modifier(bold),
            dim: Style::new().fg(Color::Black),
            accent: Style::new().fg(Color::Blue).add_modifier(bold),
            key: Style::new().fg(Color::White).bg(Color::Black),
            cursor: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(bold),
            selected: Style::new().fg(Color::Magenta).add_modifier(bold),
            correct: Style::new().fg(Color::Green).add_modifier(bold),
            wrong: Style::new().fg(Color::Red).add_modifier(bold),
            partial: Style::new().fg(Color::Rgb(150, 90, 0)).add_modifier(bold),
            code: Style::new().fg(Color::Magenta).add_modifier(bold),
            border: Style::new().fg(Color::Black),
            bar: Style::new().fg(Color::Black).bg(Color::White),
            notice: Style::new().fg(Color::Blue).add_modifier(bold),
        }
    }

    /// For NO_COLOR: no colours at all, only bold, underline and reverse.
    pub fn monochrome() -> Self {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            base: plain,
            title: bold,
            heading: bold.add_modifier(Modifier::UNDERLINED),
            dim: plain,
            accent: plain,
            key: Style::new().add_modifier(Modifier::REVERSED),
            cursor: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected: bold,
            correct: bold,
            wrong: bold,
            partial: bold,
            code: plain,
            border: plain,
            bar: Style::new().add_modifier(Modifier::REVERSED),
            notice: bold,
        }
    }
}
