//! A pty tester: one helper owns a pseudo-terminal running the real `kmsquest` binary, a thread
//! drains its output into a `vt100` parser (and keeps the raw bytes), and the test reads as a short
//! script of keys and screens. Nothing here sleeps blindly: every wait polls the parsed screen (or
//! is woken by new output) against a deadline, and every failure message carries the screen.
//!
//! Shared by `tests/e2e_pty.rs` and `benches/startup.rs` (`#[path]`-included), so not every item is
//! used by every includer.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A generous default for anything the app should do "at once": debug builds on a loaded 2-core
/// machine can be slow, and a long timeout costs nothing when things work.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How often waits re-check the screen when no new output woke them.
const POLL: Duration = Duration::from_millis(20);

/// The program under test (available to integration tests and benches of this package).
pub const BIN: &str = env!("CARGO_BIN_EXE_kmsquest");

pub const ENTER_ALT_SCREEN: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT_SCREEN: &[u8] = b"\x1b[?1049l";

/// Keys as a terminal sends them (xterm, normal cursor mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Tab,
    BackTab,
    Esc,
    Space,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    CtrlC,
    Char(char),
}

impl Key {
    pub fn bytes(self) -> String {
        match self {
            Key::Enter => "\r".into(),
            Key::Tab => "\t".into(),
            Key::BackTab => "\x1b[Z".into(),
            Key::Esc => "\x1b".into(),
            Key::Space => " ".into(),
            Key::Up => "\x1b[A".into(),
            Key::Down => "\x1b[B".into(),
            Key::Right => "\x1b[C".into(),
            Key::Left => "\x1b[D".into(),
            Key::PageUp => "\x1b[5~".into(),
            Key::PageDown => "\x1b[6~".into(),
            Key::CtrlC => "\x03".into(),
            Key::Char(c) => c.to_string(),
        }
    }
}

/// What the reader thread shares with the test.
pub struct Output {
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
    /// The reader saw end of file (or an error): every slave fd is closed, the child is gone.
    pub eof: bool,
}

impl Output {
    pub fn screen_text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Whether the screen shows `needle`, also when the app wrapped it over several rows.
    pub fn shows(&self, needle: &str) -> bool {
        let text = self.screen_text();
        text.contains(needle) || squash(&text).contains(&squash(needle))
    }
}

type Shared = Arc<(Mutex<Output>, Condvar)>;

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    shared: Shared,
    reader: Option<JoinHandle<()>>,
    /// When the child was spawned.
    pub spawned_at: Instant,
    exited: bool,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal sizes are at least 1×1")
}

/// Collapse all runs of whitespace (including line breaks) into one space, so a message the app
/// wrapped over several rows still matches.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Position of the last occurrence of `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| &hay[i..i + needle.len()] == needle)
}

/// Position of the first occurrence of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

impl Pty {
    /// Run the kmsquest binary with `args` in a `cols`×`rows` pseudo-terminal.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Pty {
        Pty::spawn_with(BIN, args, &[], cols, rows)
    }

    /// Run `program` with `args` and extra `env` in a `cols`×`rows` pseudo-terminal.
    pub fn spawn_with(
        program: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        // The size must come from the pty, not from the environment of whoever runs the tests.
        cmd.env_remove("LINES");
        cmd.env_remove("COLUMNS");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Ok(dir) = std::env::current_dir() {
            cmd.cwd(dir);
        }
        let spawned_at = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn the binary");
        // Our copy of the slave must go, or the reader never sees EOF when the child exits.
        drop(pair.slave);
        let master = pair.master;
        let mut reader = master.try_clone_reader().expect("pty reader");
        let writer = master.take_writer().expect("pty writer");
        let shared: Shared = Arc::new((
            Mutex::new(Output {
                parser: vt100::Parser::new(nz(rows), nz(cols), 0),
                raw: Vec::new(),
                eof: false,
            }),
            Condvar::new(),
        ));
        let for_thread = Arc::clone(&shared);
        let reader = std::thread::spawn(move || {
            let (lock, cvar) = &*for_thread;
            let mut buf = [0u8; 8192];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        // Linux reports EIO on the master once every slave fd is closed.
                        lock.lock().unwrap_or_else(PoisonError::into_inner).eof = true;
                        cvar.notify_all();
                        return;
                    }
                    Ok(n) => n,
                };
                let mut out = lock.lock().unwrap_or_else(PoisonError::into_inner);
                out.raw.extend_from_slice(&buf[..n]);
                out.parser.process(&buf[..n]);
                drop(out);
                cvar.notify_all();
            }
        });
        Pty {
            master,
            writer,
            child,
            shared,
            reader: Some(reader),
            spawned_at,
            exited: false,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Output> {
        self.shared.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Type `text` into the terminal.
    pub fn send(&mut self, text: &str) {
        self.writer
            .write_all(text.as_bytes())
            .and_then(|()| self.writer.flush())
            .unwrap_or_else(|e| panic!("cannot write {text:?} to the pty: {e}"));
    }

    pub fn send_key(&mut self, key: Key) {
        self.send(&key.bytes());
    }

    /// The parsed screen, rows joined by newlines.
    pub fn screen_text(&self) -> String {
        self.lock().screen_text()
    }

    /// Every byte the program wrote so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.lock().raw.clone()
    }

    /// How many bytes the program wrote so far.
    pub fn raw_len(&self) -> usize {
        self.lock().raw.len()
    }

    /// Run `f` on the shared output (parser, raw bytes) under the lock.
    pub fn with_output<R>(&self, f: impl FnOnce(&Output) -> R) -> R {
        f(&self.lock())
    }

    /// Wait until `ready` holds for the output; woken by every chunk of output and at least every
    /// 20 ms. On timeout (or if the program ends first) panic with `what` and the screen.
    pub fn wait_until(&self, what: &str, timeout: Duration, ready: impl FnMut(&Output) -> bool) {
        if let Err(msg) = self.try_wait_until(what, timeout, ready) {
            panic!("{msg}");
        }
    }

    /// Like [`Pty::wait_until`], but a timeout is an `Err` with the message instead of a panic.
    pub fn try_wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut ready: impl FnMut(&Output) -> bool,
    ) -> Result<(), String> {
        let start = Instant::now();
        let deadline = start + timeout;
        let (lock, cvar) = &*self.shared;
        let mut out = lock.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if ready(&out) {
                return Ok(());
            }
            let now = Instant::now();
            if out.eof || now >= deadline {
                let why = if out.eof {
                    "the program ended"
                } else {
                    "timed out"
                };
                return Err(format!(
                    "{why} after {:?} waiting for {what}; the screen shows:\n{}\n(raw tail: {:?})",
                    start.elapsed(),
                    out.screen_text(),
                    String::from_utf8_lossy(&out.raw[out.raw.len().saturating_sub(300)..]),
                ));
            }
            out = cvar
                .wait_timeout(out, POLL.min(deadline - now))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Wait until the screen shows `needle` (also matched across wrapped rows).
    pub fn wait_for_text(&self, needle: &str, timeout: Duration) {
        self.wait_until(&format!("{needle:?}"), timeout, |o| o.shows(needle));
    }

    /// Wait until the screen shows every one of `needles` at the same time.
    pub fn wait_for_all(&self, needles: &[&str], timeout: Duration) {
        self.wait_until(&format!("all of {needles:?}"), timeout, |o| {
            needles.iter().all(|n| o.shows(n))
        });
    }

    /// Resize the terminal: first the parser (so the redraw is read at the new size), then the pty
    /// (which sends SIGWINCH to the program).
    pub fn resize(&self, cols: u16, rows: u16) {
        self.lock().parser.set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// Send a signal (by name: "TERM", "HUP", …) to the program with kill(1).
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill(1)");
        assert!(status.success(), "kill -{name} {} failed", self.pid());
    }

    /// The pty's line-discipline local flags (`ICANON`, `ECHO`, …) as names, if the platform tells.
    /// Linux reports the slave's settings through the master, even after the program exited.
    pub fn local_flags(&self) -> Option<Vec<String>> {
        let t = self.master.get_termios()?;
        let text = format!("{:?}", t.local_flags);
        Some(
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// Wait for the program to exit (polling, never blocking), then for the reader to drain the
    /// last bytes. On timeout kill it and panic with the screen.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => panic!("try_wait failed: {e}"),
            }
            if Instant::now() >= deadline {
                let screen = self.screen_text();
                let _ = self.child.kill();
                self.exited = true;
                panic!("the program did not exit within {timeout:?}; the screen shows:\n{screen}");
            }
            // Woken early by output (e.g. the terminal being restored), else every 20 ms.
            let (lock, cvar) = &*self.shared;
            let out = lock.lock().unwrap_or_else(PoisonError::into_inner);
            drop(cvar.wait_timeout(out, POLL));
        };
        self.exited = true;
        // The child is gone; its slave fds are closed, so the reader reaches EOF promptly.
        let drain = deadline.max(Instant::now() + Duration::from_secs(5)) - Instant::now();
        self.wait_until("the end of the output", drain, |o| o.eof);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        status
    }

    /// Assert the program wrote "leave the alternate screen" after its last "enter".
    pub fn assert_left_alternate_screen(&self) {
        let raw = self.raw_output();
        let entered = rfind(&raw, ENTER_ALT_SCREEN).unwrap_or_else(|| {
            panic!(
                "the program never entered the alternate screen; output: {:?}",
                String::from_utf8_lossy(&raw)
            )
        });
        let left = rfind(&raw, LEAVE_ALT_SCREEN);
        assert!(
            left.is_some_and(|l| l > entered),
            "the alternate screen was not left after it was last entered (enter at byte {entered}, \
             last leave at {left:?}); output tail: {:?}",
            String::from_utf8_lossy(&raw[entered..])
        );
        assert!(
            !self.with_output(|o| o.parser.screen().alternate_screen()),
            "the parsed terminal is still on the alternate screen"
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if !self.exited && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            // Reap it so no zombie outlives the test; the kill makes this quick.
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
        }
    }
}

/// The data directory for a test: fresh and removed afterwards.
pub fn temp_data_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("kq")
        .tempdir()
        .expect("create a temp dir")
}

pub fn path_arg(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}
