//! Speaker notes over a local Unix domain socket. The presenter publishes one JSON line per change;
//! `kmsquest present --notes` follows it in a second terminal and shows the key, every option's
//! feedback, the explanation, the hints still hidden and the timer. Neither side can hang the
//! other: writes have a timeout, a dead follower is dropped, a dead presenter is waited for.

use crate::content::{Puzzle, QuestionSpec};
use crate::model::{Focus, Model, PresentState, Screen};
use crate::ui::{self, Theme};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the follower needs to know of the presenter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotesSync {
    pub puzzle: String,
    pub content_hash: String,
    /// "menu", "scenario", "task", "solution", "final".
    pub screen: String,
    pub task: Option<usize>,
    /// The focused question on a task screen.
    pub question: Option<usize>,
    pub hints_revealed: Vec<usize>,
    pub present: PresentState,
}

impl NotesSync {
    pub fn of(model: &Model) -> Option<NotesSync> {
        let present = model.present.clone()?;
        let (screen, task) = match model.screen {
            Screen::Scenario => ("scenario", None),
            Screen::Task(t) => ("task", Some(t)),
            Screen::Solution(t) => ("solution", Some(t)),
            Screen::Final => ("final", None),
            _ => ("menu", None),
        };
        let question = match (model.screen, task.and_then(|t| model.tasks.get(t))) {
            (Screen::Task(_), Some(s)) => match s.focus {
                Focus::Question(q) => Some(q),
                Focus::Intro => None,
            },
            _ => None,
        };
        Some(NotesSync {
            puzzle: model.puzzle.id.clone(),
            content_hash: model.puzzle.content_hash.clone(),
            screen: screen.into(),
            task,
            question,
            hints_revealed: model.tasks.iter().map(|t| t.hints_revealed).collect(),
            present,
        })
    }
}

/// Where the presenter listens: `$KMSQUEST_NOTES_SOCKET`, else the runtime dir.
pub fn socket_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KMSQUEST_NOTES_SOCKET") {
        return PathBuf::from(p);
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
    dirs::runtime_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("kmsquest-present-{user}.sock"))
}

/// The presenter's side: accepts followers on a thread, sends them each change.
pub struct Publisher {
    path: PathBuf,
    clients: Arc<Mutex<Vec<UnixStream>>>,
    last: Arc<Mutex<String>>,
}

impl Publisher {
    /// Start listening; `None` (with a reason) when another presenter already owns the socket.
    pub fn start() -> std::result::Result<Publisher, String> {
        let path = socket_path();
        if path.exists() {
            if UnixStream::connect(&path).is_ok() {
                return Err(format!(
                    "another presenter is already publishing notes on {}",
                    path.display()
                ));
            }
            // Left behind by a presenter that was killed: nobody answers it.
            let _ = std::fs::remove_file(&path);
        }
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let listener = UnixListener::bind(&path)
            .map_err(|e| format!("cannot listen on {}: {e}", path.display()))?;
        let clients: Arc<Mutex<Vec<UnixStream>>> = Arc::default();
        let last: Arc<Mutex<String>> = Arc::default();
        let (c, l) = (clients.clone(), last.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
                let mut stream = stream;
                let current = l.lock().map(|s| s.clone()).unwrap_or_default();
                if !current.is_empty() && stream.write_all(current.as_bytes()).is_err() {
                    continue;
                }
                if let Ok(mut v) = c.lock() {
                    v.push(stream);
                }
            }
        });
        Ok(Publisher {
            path,
            clients,
            last,
        })
    }

    /// Send the model's state to every follower, if it changed. A follower that cannot take it is dropped.
    pub fn publish(&self, model: &Model) {
        let Some(sync) = NotesSync::of(model) else {
            return;
        };
        let Ok(mut line) = serde_json::to_string(&sync) else {
            return;
        };
        line.push('\n');
        if let Ok(mut last) = self.last.lock() {
            if *last == line {
                return;
            }
            last.clone_from(&line);
        }
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain_mut(|s| s.write_all(line.as_bytes()).is_ok());
        }
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What the follower shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowerState {
    pub sync: Option<NotesSync>,
    pub connected: bool,
    pub was_connected: bool,
    pub scroll: u16,
    pub scroll_limit: u16,
}

/// Run the notes window: follow the presenter until `q`.
pub fn run_follower(puzzle: Arc<Puzzle>, theme: Theme) -> Result<()> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyModifiers};
    let terminal = Arc::new(Mutex::new(ratatui::try_init()?));
    let state = Arc::new(Mutex::new(FollowerState::default()));
    let redraw = {
        let (terminal, state, puzzle) = (terminal.clone(), state.clone(), puzzle.clone());
        move || {
            if let (Ok(mut term), Ok(mut st)) = (terminal.lock(), state.lock()) {
                let mut limit = 0;
                let _ = term.draw(|f| limit = ui::notes::render(f, &puzzle, &st, &theme));
                st.scroll_limit = limit;
            }
        }
    };
    redraw();
    {
        let (state, redraw) = (state.clone(), redraw.clone());
        std::thread::spawn(move || follow(&state, &redraw));
    }
    loop {
        match event::read()? {
            Event::Key(k) if k.is_press() => {
                let quit = matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                    || (k.code == KeyCode::Char('c')
                        && k.modifiers.contains(KeyModifiers::CONTROL));
                if quit {
                    break;
                }
                if let Ok(mut st) = state.lock() {
                    match k.code {
                        KeyCode::Up | KeyCode::Char('k') => st.scroll = st.scroll.saturating_sub(1),
                        KeyCode::Down | KeyCode::Char('j') => {
                            st.scroll = (st.scroll + 1).min(st.scroll_limit)
                        }
                        _ => {}
                    }
                }
                redraw();
            }
            Event::Resize(..) => redraw(),
            _ => {}
        }
    }
    ratatui::restore();
    Ok(())
}

/// Connect, read lines until the presenter goes away, wait, reconnect. Never returns.
fn follow(state: &Mutex<FollowerState>, redraw: &dyn Fn()) -> ! {
    let path = socket_path();
    loop {
        match UnixStream::connect(&path) {
            Ok(stream) => {
                if let Ok(mut st) = state.lock() {
                    st.connected = true;
                    st.was_connected = true;
                }
                redraw();
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if let Ok(sync) = serde_json::from_str::<NotesSync>(&line)
                        && let Ok(mut st) = state.lock()
                    {
                        if st.sync.as_ref().map(|s| (&s.task, &s.question))
                            != Some((&sync.task, &sync.question))
                        {
                            st.scroll = 0;
                        }
                        st.sync = Some(sync);
                    }
                    redraw();
                }
                if let Ok(mut st) = state.lock() {
                    st.connected = false;
                }
                redraw();
            }
            // Waiting for a presenter: the only periodic wake-up, and only while disconnected.
            Err(_) => std::thread::sleep(Duration::from_millis(500)),
        }
    }
}

/// The question a sync points at, if any.
pub fn focused<'a>(
    puzzle: &'a Puzzle,
    sync: &NotesSync,
) -> Option<(usize, usize, &'a crate::content::Question)> {
    let t = sync.task?;
    let q = sync.question?;
    let question = puzzle.tasks.get(t)?.questions.get(q)?;
    Some((t, q, question))
}

/// Whether a question kind gets show-of-hands counts.
pub fn votable(spec: &QuestionSpec) -> bool {
    matches!(
        spec,
        QuestionSpec::Single { .. } | QuestionSpec::Multi { .. }
    )
}
