//! End-to-end tests of the real binary in a pseudo-terminal: play, quit, resume; signals; a terminal
//! that is too small; a corrupt progress file; Ctrl-C. Every wait polls the parsed screen with a
//! generous timeout; nothing sleeps blindly.

#[path = "support/pty.rs"]
mod pty;

use pty::{Key, Pty, TIMEOUT, path_arg, temp_data_dir};
use std::path::Path;

/// A complete menu frame: the menu entries and, on the last row (drawn last), the key bar.
fn menu_drawn(o: &pty::Output) -> bool {
    let s = o.screen_text();
    s.contains("Practice")
        && s.contains("Quit")
        && s.lines().last().is_some_and(|l| l.contains("choose"))
}

fn wait_for_menu(t: &Pty) {
    t.wait_until("the menu and its key bar", TIMEOUT, menu_drawn);
}

fn has_flag(flags: &[String], name: &str) -> bool {
    flags.iter().any(|f| f == name)
}

/// While the game runs, the terminal is in raw mode (no line editing, no echo).
fn assert_raw_mode(t: &Pty) {
    if let Some(flags) = t.local_flags() {
        assert!(
            !has_flag(&flags, "ICANON") && !has_flag(&flags, "ECHO"),
            "raw mode is not on while the game runs: {flags:?}"
        );
    }
}

/// After the game ended the terminal is as it was: alternate screen left, mouse capture off, line
/// editing and echo back on.
fn assert_terminal_restored(t: &Pty) {
    t.assert_left_alternate_screen();
    let mouse = t.with_output(|o| o.parser.screen().mouse_protocol_mode());
    assert_eq!(
        mouse,
        vt100::MouseProtocolMode::None,
        "mouse capture was left on"
    );
    if let Some(flags) = t.local_flags() {
        assert!(
            has_flag(&flags, "ICANON") && has_flag(&flags, "ECHO"),
            "raw mode was not undone: {flags:?}"
        );
    }
}

/// The cursor the game hid is shown again.
fn assert_cursor_shown(t: &Pty) {
    let hidden = t.with_output(|o| o.parser.screen().hide_cursor());
    assert!(
        !hidden,
        "the cursor was left hidden (no \\x1b[?25h after the game ended); output tail: {:?}",
        String::from_utf8_lossy(&t.raw_output())
            .chars()
            .rev()
            .take(120)
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>()
    );
}

fn assert_exit_ok(t: &mut Pty) {
    let status = t.wait_exit(TIMEOUT);
    assert!(
        status.success() && status.exit_code() == 0,
        "expected exit 0, got {status}; the screen shows:\n{}",
        t.screen_text()
    );
    assert_terminal_restored(t);
    assert_cursor_shown(t);
}

/// Whether some string anywhere in `v` equals `want`.
fn contains_string(v: &toml::Value, want: &str) -> bool {
    match v {
        toml::Value::String(s) => s == want,
        toml::Value::Array(a) => a.iter().any(|x| contains_string(x, want)),
        toml::Value::Table(t) => t.values().any(|x| contains_string(x, want)),
        _ => false,
    }
}

fn read_progress(dir: &Path) -> toml::Table {
    let path = dir.join("progress.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} should exist after quitting: {e}", path.display()));
    toml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}\n{text}", path.display()))
}

#[test]
fn practice_round_trip_saves_and_resumes() {
    let dir = temp_data_dir();
    let d = path_arg(dir.path());

    // First session: answer question 1 correctly, reveal a hint, quit.
    let mut t = Pty::spawn(&["--data-dir", d], 80, 24);
    wait_for_menu(&t);
    t.wait_for_text("start from the scenario", TIMEOUT);
    assert_raw_mode(&t);
    t.send_key(Key::Enter);
    t.wait_for_text("The scenario", TIMEOUT);
    t.send_key(Key::Char('n'));
    t.wait_for_all(&["Task 1", "Intro"], TIMEOUT);
    t.send_key(Key::Tab);
    t.wait_for_all(
        &["Item 1 — RDS PostgreSQL master password", "( ) B."],
        TIMEOUT,
    );
    t.send_key(Key::Char('j'));
    t.wait_for_text("›( ) B.", TIMEOUT);
    t.send_key(Key::Space);
    t.wait_for_text("›(•) B.", TIMEOUT);
    t.send_key(Key::Enter);
    t.wait_for_text("✓ correct", TIMEOUT);
    t.send_key(Key::Char('h'));
    t.wait_for_text("Hint 1 — 1 of", TIMEOUT);
    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);

    let raw = t.raw_output();
    let entered = pty::find(&raw, pty::ENTER_ALT_SCREEN).expect("the alternate screen was entered");
    let left = pty::rfind(&raw, pty::LEAVE_ALT_SCREEN).expect("the alternate screen was left");
    assert!(
        left > entered,
        "left the alternate screen before entering it"
    );

    let progress = read_progress(dir.path());
    assert_eq!(
        progress.get("version").and_then(toml::Value::as_integer),
        Some(1),
        "progress file version: {progress:#?}"
    );
    let answers: Vec<&toml::Value> = progress
        .get("puzzles")
        .and_then(toml::Value::as_table)
        .expect("a [puzzles] table")
        .values()
        .filter_map(|p| p.get("answers"))
        .collect();
    assert!(
        answers
            .iter()
            .any(|a| contains_string(a, "secrets-manager")),
        "the checked answer `secrets-manager` is not saved: {progress:#?}"
    );
    drop(t);

    // Second session: the menu offers to resume; the answer, its mark and the hint are back.
    let mut t = Pty::spawn(&["--data-dir", d], 80, 24);
    wait_for_menu(&t);
    t.wait_for_text("resume: Task 1", TIMEOUT);
    t.send_key(Key::Enter);
    t.wait_for_all(
        &["(•) B.", "✓ correct", "Hint 1 — 1 of", "Hints 1/"],
        TIMEOUT,
    );
    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);
    drop(t);

    // `kmsquest practice` goes straight to the saved screen, no menu.
    let mut t = Pty::spawn(&["practice", "--data-dir", d], 80, 24);
    t.wait_for_all(&["(•) B.", "✓ correct", "Hint 1 — 1 of"], TIMEOUT);
    assert!(
        !t.screen_text().contains("resume: Task 1"),
        "`practice` should skip the menu:\n{}",
        t.screen_text()
    );
    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);
}

/// SIGTERM/SIGHUP: the game leaves the alternate screen, undoes raw mode and exits 128+signal.
fn signal_restores_terminal(name: &str, number: u32) {
    let dir = temp_data_dir();
    let mut t = Pty::spawn(&["--data-dir", path_arg(dir.path())], 80, 24);
    wait_for_menu(&t);
    assert_raw_mode(&t);
    t.signal(name);
    let status = t.wait_exit(TIMEOUT);
    assert_terminal_restored(&t);
    // The handler restores the terminal and calls exit(128 + signal): a normal exit, not a death
    // by signal (which portable-pty would report as `signal() == Some(..)`, exit code 1).
    assert_eq!(
        (status.signal(), status.exit_code()),
        (None, 128 + number),
        "SIG{name}: unexpected exit status {status}"
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_terminal("TERM", 15);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_terminal("HUP", 1);
}

/// Known bug (src/app.rs): the signal handler calls `restore_terminal()` then `process::exit`, and
/// `ratatui::restore()` does not show the cursor (ratatui's `Terminal` does that in its `Drop`, which
/// `exit` skips), so after SIGTERM/SIGHUP the shell is left with an invisible cursor. Fix: also
/// `execute!(stdout, crossterm::cursor::Show)` in `restore_terminal`.
#[test]
fn sigterm_shows_the_cursor_again() {
    let dir = temp_data_dir();
    let mut t = Pty::spawn(&["--data-dir", path_arg(dir.path())], 80, 24);
    wait_for_menu(&t);
    t.signal("TERM");
    t.wait_exit(TIMEOUT);
    assert_cursor_shown(&t);
}

/// Resize the terminal once the game provably listens for resizes.
///
/// crossterm installs its SIGWINCH handler lazily, on the first `event::read`, which the game calls
/// only after drawing its first frame: a resize in between is lost (the game keeps the old layout
/// until the next key). So first nudge the height (still too small) until the game redraws at the
/// new size, then make the real resize, which must then be seen.
fn resize_when_listening(t: &Pty, cols: u16, rows: u16) {
    for attempt in 1..=20u16 {
        let (w, h) = (40, 10 + attempt);
        t.resize(w, h);
        let notice = format!("have {w}×{h}");
        let seen = t.try_wait_until(&notice, std::time::Duration::from_millis(500), |o| {
            o.shows(&notice)
        });
        if seen.is_ok() {
            if attempt > 1 {
                eprintln!(
                    "note: {} start-up resize(s) were lost (SIGWINCH before the first event read)",
                    attempt - 1
                );
            }
            t.resize(cols, rows);
            return;
        }
    }
    panic!("the game never redrew after a resize:\n{}", t.screen_text());
}

#[test]
fn too_small_terminal_then_resize_shows_the_menu() {
    let dir = temp_data_dir();
    let mut t = Pty::spawn(&["--data-dir", path_arg(dir.path())], 40, 10);
    t.wait_for_text("Terminal too small: need 80×24, have 40×10", TIMEOUT);
    assert!(
        !t.screen_text().contains("Quit"),
        "the menu should not be drawn in a 40×10 terminal:\n{}",
        t.screen_text()
    );
    resize_when_listening(&t, 80, 24);
    t.wait_until("the menu at 80×24, without the notice", TIMEOUT, |o| {
        menu_drawn(o) && !o.screen_text().contains("too small")
    });
    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);
}

#[test]
fn corrupt_progress_is_moved_aside_with_a_notice() {
    let dir = temp_data_dir();
    let garbage = "this is = = not [toml\n\u{0}\u{1}";
    std::fs::write(dir.path().join("progress.toml"), garbage).unwrap();
    // Wide enough for the whole notice (it names the temp dir) on the one-line status bar.
    let mut t = Pty::spawn(&["--data-dir", path_arg(dir.path())], 200, 24);
    wait_for_menu(&t);
    t.wait_for_all(&["corrupt", "moved to", "progress.toml.corrupt-"], TIMEOUT);
    assert!(
        t.screen_text().contains("start from the scenario"),
        "after moving the corrupt file aside the game starts fresh:\n{}",
        t.screen_text()
    );

    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("progress.toml.corrupt-")
        })
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "expected one progress.toml.corrupt-* file in {}",
        dir.path().display()
    );
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).unwrap(),
        garbage,
        "the corrupt file must be kept as it was"
    );
    let notice_names_it = t
        .screen_text()
        .contains(&*aside[0].file_name().to_string_lossy());
    assert!(
        notice_names_it,
        "the notice should name {}:\n{}",
        aside[0].path().display(),
        t.screen_text()
    );

    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);
    // Quitting wrote a fresh, valid progress file; the corrupt one stays beside it.
    read_progress(dir.path());
    assert!(aside[0].path().exists());
}

#[test]
fn ctrl_c_quits_cleanly() {
    let dir = temp_data_dir();
    let mut t = Pty::spawn(&["--data-dir", path_arg(dir.path())], 80, 24);
    wait_for_menu(&t);
    t.send_key(Key::Enter);
    t.wait_for_text("The scenario", TIMEOUT);
    t.send_key(Key::CtrlC);
    assert_exit_ok(&mut t);
}

/// A panic gives the terminal back first, then prints its message where the user can read it.
/// (The panic is requested through a debug-build-only hook: `KMSQUEST_TEST_PANIC` + the help key.)
#[test]
fn panic_restores_the_terminal_before_the_message() {
    let dir = temp_data_dir();
    let mut t = Pty::spawn_with(
        pty::BIN,
        &["--data-dir", path_arg(dir.path())],
        &[("KMSQUEST_TEST_PANIC", "1")],
        80,
        24,
    );
    wait_for_menu(&t);
    t.send_key(Key::Char('?'));
    let status = t.wait_exit(TIMEOUT);
    assert!(
        !status.success(),
        "a panic must not look like success: {status}"
    );
    assert_terminal_restored(&t);
    let raw = String::from_utf8_lossy(&t.raw_output()).into_owned();
    let left = raw
        .rfind("\u{1b}[?1049l")
        .expect("the alternate screen was left");
    let message = raw
        .rfind("test panic requested")
        .expect("the panic message was printed");
    assert!(
        left < message,
        "the message comes after the terminal is restored"
    );
}
