//! The only loop: draw → block on the next event → keymap → update → run effects. Only here does the
//! program touch the terminal and the disk. The terminal is given back on quit, error, panic and
//! SIGTERM/SIGHUP.

use crate::action::{Action, Effect};
use crate::keymap;
use crate::model::Model;
use crate::store::{self, ProgressFile};
use crate::ui::{self, FrameInfo, Theme};
use crate::update::update;
use anyhow::Result;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use std::path::PathBuf;

pub struct Persistence {
    pub dir: PathBuf,
    pub file: ProgressFile,
}

/// Leave the alternate screen, undo raw mode and mouse capture. Safe to call more than once.
pub fn restore_terminal() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

fn install_signal_handlers() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            // Progress is saved after every check, so nothing is lost by leaving now.
            restore_terminal();
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

pub fn run(mut model: Model, theme: Theme, mut persistence: Option<Persistence>) -> Result<()> {
    install_signal_handlers()?;
    let mut terminal = ratatui::try_init()?;
    // ratatui's panic hook restores raw mode and the screen; ours adds mouse capture, then chains.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, &mut model, &theme, &mut persistence);
    restore_terminal();
    result
}

fn draw(terminal: &mut DefaultTerminal, model: &mut Model, theme: &Theme) -> Result<FrameInfo> {
    let mut info = FrameInfo::default();
    terminal.draw(|frame| info = ui::view(model, theme, frame))?;
    model.scroll_limit = info.scroll_limit;
    Ok(info)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    model: &mut Model,
    theme: &Theme,
    persistence: &mut Option<Persistence>,
) -> Result<()> {
    let mut info = draw(terminal, model, theme)?;
    loop {
        // Blocks until something happens: no polling, no timer, zero CPU while idle.
        let action = match event::read()? {
            Event::Key(key) if key.is_press() => keymap::dispatch(model, &key),
            Event::Mouse(m) => match m.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    info.hit(m.column, m.row).map(Action::Click)
                }
                MouseEventKind::ScrollDown => Some(Action::ScrollDown),
                MouseEventKind::ScrollUp => Some(Action::ScrollUp),
                _ => None,
            },
            Event::Resize(..) => Some(Action::Resize),
            _ => None,
        };
        let Some(action) = action else { continue };
        let before = model.clone();
        let effects = update(model, action);
        let mut quit = false;
        for effect in effects {
            match effect {
                Effect::SaveProgress => {
                    if let Some(p) = persistence.as_mut() {
                        p.file
                            .puzzles
                            .insert(model.puzzle.id.clone(), store::snapshot(model));
                        if let Err(e) = store::save(&p.dir, &p.file) {
                            model.notice = Some(format!(
                                "Could not save progress in {}: {e}",
                                p.dir.display()
                            ));
                        }
                    }
                }
                Effect::Quit => quit = true,
            }
        }
        if quit {
            return Ok(());
        }
        if *model != before || action == Action::Resize {
            info = draw(terminal, model, theme)?;
        }
    }
}
