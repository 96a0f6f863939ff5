//! The only loop: draw → block on the next event → keymap → update → run effects. Only here does the
//! program touch the terminal, the clock and the disk. The terminal is given back on quit, error,
//! panic and SIGTERM/SIGHUP.

use crate::action::{Action, Effect};
use crate::keymap;
use crate::model::Model;
use crate::results;
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
use std::time::{Duration, Instant};

pub struct Persistence {
    pub dir: PathBuf,
    pub file: ProgressFile,
}

/// Where things go on disk for this run.
pub struct Storage {
    /// Practice progress (None: nothing saved).
    pub progress: Option<Persistence>,
    /// Where quiz autosaves and results are written.
    pub results_dir: PathBuf,
    /// The theme projector mode switches to.
    pub projector_theme: Theme,
    /// Where the policy lab exports its JSON policies.
    pub policies_dir: PathBuf,
}

/// Leave the alternate screen, undo raw mode and mouse capture. Safe to call more than once.
pub fn restore_terminal() {
    // ratatui shows the cursor again only when its Terminal drops, which exit() skips: do it here.
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        ratatui::crossterm::cursor::Show
    );
    ratatui::restore();
}

fn install_signal_handlers() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            // Progress and quiz answers are saved the moment they change, so leaving now loses nothing.
            restore_terminal();
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

/// A seed for a new quiz when none is given: different each run, shown on the rules screen.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64 ^ u64::from(std::process::id())) % 1_000_000
}

pub fn run(mut model: Model, theme: Theme, mut storage: Storage) -> Result<()> {
    install_signal_handlers()?;
    let mut terminal = ratatui::try_init()?;
    // ratatui's panic hook restores raw mode and the screen; ours adds mouse capture, then chains.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, &mut model, &theme, &mut storage);
    restore_terminal();
    if let Ok(Some(msg)) = &result {
        println!("{msg}");
    }
    result.map(|_| ())
}

fn draw(terminal: &mut DefaultTerminal, model: &mut Model, theme: &Theme) -> Result<FrameInfo> {
    let mut info = FrameInfo::default();
    terminal.draw(|frame| info = ui::view(model, theme, frame))?;
    model.scroll_limit = info.scroll_limit;
    // After a resize the old scroll may be past the new end: keep ↑ answering at once.
    model.scroll = model.scroll.min(info.scroll_limit);
    Ok(info)
}

/// The quiz clock as the loop keeps it: a monotonic origin such that elapsed = now − origin.
struct Clock {
    origin: Option<Instant>,
}

impl Clock {
    fn sync(&mut self, model: &mut Model) {
        if let Some(p) = model.present.as_ref() {
            if p.timer_running {
                if self.origin.is_none() {
                    self.origin = Instant::now().checked_sub(Duration::from_secs(p.timer_secs));
                }
            } else {
                self.origin = None;
            }
            return;
        }
        let Some(quiz) = model.quiz.as_mut() else {
            return;
        };
        if quiz.clock_running() {
            if quiz.started_at.is_none() {
                quiz.started_at = Some(results::now_rfc3339());
            }
            if self.origin.is_none() {
                self.origin = Instant::now().checked_sub(Duration::from_secs(quiz.elapsed_secs));
            }
        } else {
            self.origin = None;
        }
    }

    /// How long to wait for input before the next tick; None: block (no clock on screen).
    fn timeout(&self) -> Option<(Duration, u64)> {
        let origin = self.origin?;
        let elapsed = origin.elapsed();
        let next = elapsed.as_secs() + 1;
        Some((Duration::from_secs(next).saturating_sub(elapsed), next))
    }
}

/// Save practice progress one last time before the loop swaps in a quiz or projector model.
fn leave_practice(storage: &mut Storage, model: &Model) {
    if let Some(p) = storage.progress.as_mut() {
        p.file
            .puzzles
            .insert(model.puzzle.id.clone(), store::snapshot(model));
        if let Err(e) = store::save(&p.dir, &p.file) {
            eprintln!(
                "kmsquest: could not save progress in {}: {e}",
                p.dir.display()
            );
        }
    }
    storage.progress = None;
}

/// Projector mode publishes its state for `kmsquest present --notes`.
fn start_publisher(model: &mut Model) -> Option<crate::notes::Publisher> {
    model.present.as_ref()?;
    match crate::notes::Publisher::start() {
        Ok(p) => Some(p),
        Err(e) => {
            model.notice = Some(format!("Speaker notes unavailable: {e}"));
            None
        }
    }
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    model: &mut Model,
    theme: &Theme,
    storage: &mut Storage,
) -> Result<Option<String>> {
    let mut clock = Clock { origin: None };
    clock.sync(model);
    let mut theme = *theme;
    // crossterm starts watching for resizes on its first poll: do it before the first frame, so a
    // resize that lands between the frame and the first read is not lost.
    let _ = event::poll(Duration::ZERO)?;
    // Start the notes publisher before the first frame, so a failure notice is drawn.
    let mut publisher = start_publisher(model);
    let mut info = draw(terminal, model, &theme)?;
    if let Some(p) = &publisher {
        p.publish(model);
    }
    let mut farewell = None;
    loop {
        // Blocks until something happens; only a running quiz clock wakes it, once a second.
        let action = match clock.timeout() {
            Some((wait, next)) if !event::poll(wait)? => Some(Action::Tick(next)),
            _ => match event::read()? {
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
            },
        };
        let Some(action) = action else { continue };
        // Test hook (debug builds only): lets the end-to-end suite check that a panic gives the
        // terminal back before the message is printed.
        #[cfg(debug_assertions)]
        if action == Action::Help && std::env::var_os("KMSQUEST_TEST_PANIC").is_some() {
            panic!("test panic requested by KMSQUEST_TEST_PANIC");
        }
        let before = model.clone();
        let effects = update(model, action);
        clock.sync(model);
        let mut quit = false;
        for effect in effects {
            match effect {
                Effect::SaveProgress => {
                    if let Some(p) = storage.progress.as_mut() {
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
                Effect::SaveQuiz => {
                    if let Err(e) = results::save_in_progress(&storage.results_dir, model) {
                        model.notice = Some(format!(
                            "Could not autosave the quiz in {}: {e}",
                            storage.results_dir.display()
                        ));
                    }
                }
                Effect::WriteResults => {
                    if let Some(q) = model.quiz.as_mut() {
                        q.finished_at.get_or_insert_with(results::now_rfc3339);
                    }
                    match results::write_final(&storage.results_dir, model) {
                        Ok(path) => {
                            let msg = format!("Results written to {}", path.display());
                            model.notice = Some(msg.clone());
                            farewell = Some(msg);
                        }
                        Err(e) => {
                            model.notice = Some(format!(
                                "Could not write results in {}: {e}",
                                storage.results_dir.display()
                            ))
                        }
                    }
                }
                Effect::StartQuiz => {
                    leave_practice(storage, model);
                    *model = Model::new_quiz(model.puzzle.clone(), None, None, fresh_seed());
                }
                Effect::StartPresent => {
                    leave_practice(storage, model);
                    *model = Model::new(model.puzzle.clone(), crate::mode::Mode::Present.policy());
                    crate::update::go_to(model, crate::model::Screen::Scenario);
                    theme = storage.projector_theme;
                    publisher = start_publisher(model);
                }
                Effect::ExportPolicies => {
                    let written = std::fs::create_dir_all(&storage.policies_dir).and_then(|_| {
                        let files = crate::lab::export(model, &model.lab);
                        for (name, json) in &files {
                            store::write_atomic(&storage.policies_dir.join(name), json.as_bytes())?;
                        }
                        Ok(files.len())
                    });
                    model.notice = Some(match written {
                        Ok(n) => format!(
                            "Wrote {n} policies (JSON) to {}",
                            storage.policies_dir.display()
                        ),
                        Err(e) => format!(
                            "Could not write policies to {}: {e}",
                            storage.policies_dir.display()
                        ),
                    });
                }
                Effect::Quit => quit = true,
            }
        }
        if quit {
            return Ok(farewell);
        }
        if *model != before || action == Action::Resize {
            info = draw(terminal, model, &theme)?;
            if let Some(p) = &publisher {
                p.publish(model);
            }
        }
    }
}
