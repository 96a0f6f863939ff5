//! End-to-end tests of the scored quiz and the projector mode, with the real binary in
//! pseudo-terminals: a quiz killed with SIGKILL and resumed to the end (results file, re-grading);
//! the quiz countdown; the presenter and its speaker-notes follower over a Unix socket; blanking
//! and the discussion timer. Every wait polls the parsed screen (or the disk) against a generous
//! deadline; nothing sleeps blindly. Each test has its own temp dir and notes socket.

#[path = "support/pty.rs"]
mod pty;

use pty::{BIN, Key, Pty, TIMEOUT, path_arg, temp_data_dir};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const IN_PROGRESS: &str = ".in-progress.toml";

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// The terminal is given back: alternate screen left, line editing and echo on again.
fn assert_terminal_restored(t: &Pty) {
    t.assert_left_alternate_screen();
    if let Some(flags) = t.local_flags() {
        assert!(
            flags.iter().any(|f| f == "ICANON") && flags.iter().any(|f| f == "ECHO"),
            "raw mode was not undone: {flags:?}"
        );
    }
}

fn assert_exit_ok(t: &mut Pty) {
    let status = t.wait_exit(TIMEOUT);
    assert!(
        status.success() && status.exit_code() == 0,
        "expected exit 0, got {status}; the screen shows:\n{}",
        t.screen_text()
    );
    assert_terminal_restored(t);
}

/// The first row of the screen (the header: where we are).
fn header(o: &pty::Output) -> String {
    o.screen_text()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Whether the program is still alive (not exited, not a zombie waiting to be reaped).
fn is_running(t: &Pty) -> bool {
    if t.with_output(|o| o.eof) {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{}/stat", t.pid())) {
        // "pid (comm) S …": the state is the first field after the closing parenthesis.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        // No procfs: the pty still being open is all we can tell.
        Err(_) => true,
    }
}

/// Poll `check` (every 20 ms) until it returns `Some`, or panic after `timeout` with `what` and
/// the last reason `check` gave.
fn poll<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        let why = match check() {
            Ok(v) => return v,
            Err(why) => why,
        };
        if Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for {what}: {why}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn parse_toml(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{} is not valid TOML: {e}\n{text}", path.display()))
}

/// `table.a.b.c` as a TOML value.
fn get<'a>(table: &'a toml::Table, dotted: &str) -> Option<&'a toml::Value> {
    let mut parts = dotted.split('.');
    let mut v = table.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v)
}

// ---------------------------------------------------------------------------------------------
// Scored quiz
// ---------------------------------------------------------------------------------------------

/// The quiz's autosave in `dir`, once there is exactly one.
fn in_progress_file(dir: &Path) -> Result<PathBuf, String> {
    let found: Vec<PathBuf> = files_in(dir)
        .into_iter()
        .filter(|p| file_name(p).ends_with(IN_PROGRESS))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one *{IN_PROGRESS} in {}, found {:?}",
            dir.display(),
            files_in(dir)
        )),
    }
}

/// The text of the focused, selected option ("B. AWS Secrets Manager …") on a question screen.
fn selected_option(screen: &str) -> Option<String> {
    screen
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("›(•)"))
        .map(|rest| rest.trim().to_string())
}

/// From the status line "… · 2/32 answered · …": how many questions are answered.
fn answered_count(screen: &str) -> Option<u32> {
    let line = screen.lines().find(|l| l.contains(" answered"))?;
    let before = line.split(" answered").next()?;
    let fraction = before.split_whitespace().last()?;
    fraction.split('/').next()?.parse().ok()
}

/// On a task of a running quiz: press `n` (one screen at a time) until task `task`'s submit screen,
/// then Enter and `y` to submit it.
fn submit_task(t: &mut Pty, task: usize) {
    let target = format!("Task {task} – submit");
    for _ in 0..20 {
        let now = t.with_output(header);
        if now.contains(&target) {
            break;
        }
        t.send_key(Key::Char('n'));
        t.wait_until(
            &format!("the header to change from {now:?} after n (looking for {target:?})"),
            TIMEOUT,
            |o| header(o) != now,
        );
    }
    // The key bar is drawn last: once it offers "submit task" the whole screen is there.
    t.wait_for_all(&[&target, "submit task"], TIMEOUT);
    t.send_key(Key::Enter);
    t.wait_for_all(&[&format!("Submit Task {task}?"), "y  yes"], TIMEOUT);
    t.send_key(Key::Char('y'));
    if task < 4 {
        t.wait_for_text(&format!("Task {task} submitted and locked"), TIMEOUT);
    }
}

#[test]
fn quiz_survives_kill_9_and_resumes() {
    let tmp = temp_data_dir();
    let data = tmp.path().join("data");
    let results = tmp.path().join("results");
    let (d, r) = (path_arg(&data), path_arg(&results));

    // First session: start, answer Task 1's questions 1 and 2, reveal Hint 1.
    let mut t = Pty::spawn(
        &[
            "quiz",
            "--name",
            "Ana",
            "--results",
            r,
            "--seed",
            "7",
            "--data-dir",
            d,
        ],
        100,
        30,
    );
    t.wait_for_all(
        &["Quiz rules — Ana", "seed 7", "Enter starts the quiz"],
        TIMEOUT,
    );
    t.send_key(Key::Enter);
    t.wait_for_all(&["The scenario", "⏱"], TIMEOUT);
    t.send_key(Key::Char('n'));
    t.wait_for_all(&["Task 1", "Intro"], TIMEOUT);
    t.send_key(Key::Tab);
    // Task 1's options are pinned: A = KMS, B = Secrets Manager.
    t.wait_for_all(
        &[
            "Question 1 of 10",
            "Item 1 — RDS PostgreSQL master password",
            "( ) B. AWS Secrets Manager",
        ],
        TIMEOUT,
    );
    t.send_key(Key::Char('j'));
    t.wait_for_text("›( ) B.", TIMEOUT);
    t.send_key(Key::Space);
    t.wait_for_text("›(•) B. AWS Secrets Manager", TIMEOUT);
    // Feedback waits for the end of the quiz.
    let screen = t.screen_text();
    assert!(
        !screen.contains("✓ correct") && !screen.contains("✗ wrong"),
        "the quiz must not mark answers before the end:\n{screen}"
    );
    t.send_key(Key::Char('h'));
    t.wait_for_text("Reveal Hint 1 for 1 point? y/n", TIMEOUT);
    t.send_key(Key::Char('y'));
    t.wait_for_all(&["Hints 1/", "Hint 1 — 1 of"], TIMEOUT);
    t.send_key(Key::Tab);
    t.wait_for_all(&["Question 2 of 10", "›( ) A."], TIMEOUT);
    t.send_key(Key::Space);
    t.wait_for_text("›(•) A.", TIMEOUT);
    let q2_choice = selected_option(&t.screen_text())
        .unwrap_or_else(|| panic!("no selected option on:\n{}", t.screen_text()));

    // Both answers and the hint are on disk before the kill (autosaved at once).
    let (autosave, (q2_id, q2_value)) = poll(
        "the autosave to hold both answers and the hint",
        TIMEOUT,
        || {
            let path = in_progress_file(&results)?;
            let rec = parse_toml(&path)?;
            let task1 = get(&rec, "answers.task1")
                .and_then(toml::Value::as_table)
                .ok_or_else(|| format!("no [answers.task1] yet: {rec:#?}"))?;
            let hints = get(&rec, "hints.task1").and_then(toml::Value::as_integer);
            let q1 = task1
                .get("rds-master-password")
                .and_then(toml::Value::as_str);
            let q2 = task1
                .iter()
                .find(|(k, _)| k.as_str() != "rds-master-password")
                .and_then(|(k, v)| Some((k.clone(), v.as_str()?.to_string())));
            match (q1, q2, hints) {
                (Some("secrets-manager"), Some(q2), Some(1)) if task1.len() == 2 => Ok((path, q2)),
                _ => Err(format!("not yet: {task1:?}, hints.task1 = {hints:?}")),
            }
        },
    );

    t.signal("KILL");
    t.wait_exit(TIMEOUT);
    drop(t);

    // What the kill left behind is a whole, valid autosave.
    let rec = parse_toml(&autosave).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        get(&rec, "kind").and_then(toml::Value::as_str),
        Some("kmsquest-quiz-in-progress"),
        "{rec:#?}"
    );
    assert_eq!(
        get(&rec, "answers.task1.rds-master-password").and_then(toml::Value::as_str),
        Some("secrets-manager"),
        "{rec:#?}"
    );
    assert_eq!(
        get(&rec, &format!("answers.task1.{q2_id}")).and_then(toml::Value::as_str),
        Some(q2_value.as_str()),
        "{rec:#?}"
    );
    assert_eq!(
        get(&rec, "hints.task1").and_then(toml::Value::as_integer),
        Some(1),
        "{rec:#?}"
    );
    let used_before = get(&rec, "duration_secs")
        .and_then(toml::Value::as_integer)
        .expect("duration_secs in the autosave");

    // Second session: --resume comes back to Task 1 with the answers and the hint.
    let mut t = Pty::spawn(
        &["quiz", "--resume", "--results", r, "--data-dir", d],
        100,
        30,
    );
    t.wait_for_all(
        &[
            "Resumed",
            "Question 1 of 10",
            "(•) B. AWS Secrets Manager",
            "Hints 1/",
            "Hint 1 — 1 of",
        ],
        TIMEOUT,
    );
    t.send_key(Key::Tab);
    t.wait_for_all(
        &[
            "Question 2 of 10",
            &format!("(•) {q2_choice}"),
            "Quiz · Task 1/4",
        ],
        TIMEOUT,
    );
    let screen = t.screen_text();
    assert_eq!(
        answered_count(&screen),
        Some(2),
        "the status line should count the 2 answers given before the kill:\n{screen}"
    );
    assert!(
        screen.contains("1 hint used"),
        "the status line should count the hint revealed before the kill:\n{screen}"
    );

    for task in 1..=4 {
        submit_task(&mut t, task);
    }
    t.wait_for_all(&["Quiz finished — Ana", "Results written to"], TIMEOUT);
    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);

    // The results file replaced the autosave.
    let files = files_in(&results);
    assert!(
        !files.iter().any(|p| file_name(p).ends_with(IN_PROGRESS)),
        "the autosave should be gone after finishing: {files:?}"
    );
    let finals: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let n = file_name(p);
            n.starts_with("Ana-") && n.ends_with(".toml")
        })
        .collect();
    assert_eq!(finals.len(), 1, "expected one Ana-*.toml in {files:?}");
    let final_path = finals[0];
    let rec = parse_toml(final_path).unwrap_or_else(|e| panic!("{e}"));
    let s = |k: &str| get(&rec, k).and_then(toml::Value::as_str);
    let i = |k: &str| get(&rec, k).and_then(toml::Value::as_integer);
    assert_eq!(s("kind"), Some("kmsquest-results"), "{rec:#?}");
    assert_eq!(s("name"), Some("Ana"), "{rec:#?}");
    assert_eq!(i("seed"), Some(7), "{rec:#?}");
    assert_eq!(
        s("answers.task1.rds-master-password"),
        Some("secrets-manager"),
        "{rec:#?}"
    );
    assert_eq!(
        s(&format!("answers.task1.{q2_id}")),
        Some(q2_value.as_str()),
        "{rec:#?}"
    );
    assert_eq!(i("hints.task1"), Some(1), "{rec:#?}");
    assert_eq!(i("hints_used"), Some(1), "{rec:#?}");
    assert_eq!(
        get(&rec, "submitted")
            .and_then(toml::Value::as_array)
            .map(Vec::len),
        Some(4),
        "{rec:#?}"
    );
    assert!(
        i("duration_secs").is_some_and(|d| d >= used_before),
        "the resumed quiz should continue with the time already used ({used_before} s): {rec:#?}"
    );
    let total = get(&rec, "total")
        .and_then(toml::Value::as_float)
        .expect("a total in the results file");

    // `kmsquest grade` re-grades the results file to the same total (hints charged).
    let out = std::process::Command::new(BIN)
        .args(["grade", path_arg(final_path), "--json"])
        .output()
        .expect("run kmsquest grade");
    assert!(
        out.status.success(),
        "kmsquest grade failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "grade --json is not JSON: {e}\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let graded = json["total"].as_f64().expect("a numeric total");
    assert!(
        (graded - total).abs() < 1e-9,
        "grade says {graded}, the results file says {total}"
    );
}

#[test]
fn quiz_time_limit_counts_down() {
    let tmp = temp_data_dir();
    let data = tmp.path().join("data");
    let results = tmp.path().join("results");
    let mut t = Pty::spawn(
        &[
            "quiz",
            "--name",
            "Ana",
            "--results",
            path_arg(&results),
            "--seed",
            "7",
            "--time-limit",
            "1",
            "--data-dir",
            path_arg(&data),
        ],
        100,
        30,
    );
    t.wait_for_all(&["Quiz rules — Ana", "Enter starts the quiz"], TIMEOUT);
    t.send_key(Key::Enter);
    // The first frame after Enter shows the full minute. Should this thread be starved past the
    // first tick, the bytes of that frame still prove it was drawn.
    t.wait_until("⏱ 01:00 left", TIMEOUT, |o| {
        o.shows("⏱ 01:00 left") || pty::find(&o.raw, "01:00 left".as_bytes()).is_some()
    });
    // …and then counts down, without waiting for the minute.
    t.wait_until(
        "the countdown below a minute (⏱ 00:5x left)",
        TIMEOUT,
        |o| {
            o.screen_text()
                .lines()
                .any(|l| l.contains("⏱ 00:5") && l.contains("left"))
        },
    );
    t.send_key(Key::Char('q'));
    assert_exit_ok(&mut t);
}

// ---------------------------------------------------------------------------------------------
// Projector mode
// ---------------------------------------------------------------------------------------------

fn spawn_present(data: &Path, socket: &Path, notes: bool) -> Pty {
    let mut args = vec!["present", "--data-dir", path_arg(data)];
    let (cols, rows) = if notes {
        args.push("--notes");
        (100, 30)
    } else {
        (120, 40)
    };
    Pty::spawn_with(
        BIN,
        &args,
        &[("KMSQUEST_NOTES_SOCKET", path_arg(socket))],
        cols,
        rows,
    )
}

/// The presenter's scenario slide, fully drawn (its key bar is the last row).
fn wait_for_scenario(p: &Pty) {
    p.wait_for_all(&["The scenario", "Present ·", "blank"], TIMEOUT);
}

#[test]
fn presenter_and_notes_follow() {
    let tmp = temp_data_dir();
    let data = tmp.path().join("data");
    let socket = tmp.path().join("notes.sock");

    // The notes first: nobody to follow yet.
    let mut notes = spawn_present(&data, &socket, true);
    notes.wait_for_text("waiting for a presenter", TIMEOUT);

    let mut presenter = spawn_present(&data, &socket, false);
    wait_for_scenario(&presenter);
    notes.wait_for_all(&["following the presenter", "scenario"], TIMEOUT);

    // Scenario → Task 1 intro → question 1.
    presenter.send_key(Key::PageDown);
    presenter.wait_for_text("Present · Task 1/4", TIMEOUT);
    presenter.send_key(Key::PageDown);
    presenter.wait_for_all(
        &[
            "question 1 of 10",
            "Item 1 — RDS PostgreSQL master password",
            "B. AWS Secrets Manager",
            "Q 1/10",
        ],
        TIMEOUT,
    );
    notes.wait_for_all(
        &["Task 1 · question 1 of 10", "✓ correct", "answer hidden"],
        TIMEOUT,
    );
    // Moving around reveals nothing to the room.
    let screen = presenter.screen_text();
    assert!(
        !screen.contains("✓ correct") && !screen.contains("✗ wrong"),
        "the projector must not show the key before `a`:\n{screen}"
    );
    let key_line = notes
        .screen_text()
        .lines()
        .find(|l| l.contains("✓ correct"))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        key_line.contains("B. AWS Secrets Manager"),
        "the notes should mark option B as the key, not: {key_line:?}"
    );

    presenter.send_key(Key::Char('a'));
    presenter.wait_for_all(&["✓ correct", "✗ wrong"], TIMEOUT);
    notes.wait_for_text("answer shown", TIMEOUT);

    // A second presenter on the same socket must not crash (nor steal or remove the socket).
    let mut second = spawn_present(&data, &socket, false);
    second.wait_for_all(&["The scenario", "Speaker notes unavailable"], TIMEOUT);
    second.send_key(Key::Char('q'));
    assert_exit_ok(&mut second);
    drop(second);
    assert!(
        socket.exists(),
        "the second presenter removed the first one's socket"
    );
    // The first presenter still drives the notes.
    presenter.send_key(Key::Char('e'));
    notes.wait_for_all(&["following the presenter", "explanation shown"], TIMEOUT);

    // The presenter dies: the notes say so and keep running.
    presenter.signal("KILL");
    presenter.wait_exit(TIMEOUT);
    drop(presenter);
    notes.wait_for_text("presenter disconnected", TIMEOUT);
    assert!(
        is_running(&notes),
        "the notes ended with the presenter:\n{}",
        notes.screen_text()
    );

    // A new presenter (over the stale socket) is followed again; when it quits, the notes wait.
    let mut presenter = spawn_present(&data, &socket, false);
    wait_for_scenario(&presenter);
    notes.wait_until(
        "the notes to follow the new presenter (back on the scenario)",
        TIMEOUT,
        |o| o.shows("following the presenter") && !o.shows("Task 1 · question 1"),
    );
    presenter.send_key(Key::Char('q'));
    assert_exit_ok(&mut presenter);
    notes.wait_for_text("presenter disconnected", TIMEOUT);
    assert!(is_running(&notes), "the notes ended with the presenter");

    notes.send_key(Key::Char('q'));
    assert_exit_ok(&mut notes);
}

#[test]
fn presenter_blank_and_timer() {
    let tmp = temp_data_dir();
    let data = tmp.path().join("data");
    let socket = tmp.path().join("notes.sock");
    let mut p = spawn_present(&data, &socket, false);
    wait_for_scenario(&p);
    assert!(
        !p.screen_text().contains("⏱ 00:01"),
        "the timer must not run before t:\n{}",
        p.screen_text()
    );

    p.send_key(Key::Char('b'));
    p.wait_until("a blank screen", TIMEOUT, |o| {
        let s = o.screen_text();
        [
            "Task",
            "kmsquest",
            "scenario",
            "lead architect",
            "Present",
            "⏱",
        ]
        .iter()
        .all(|w| !s.contains(w))
    });
    p.send_key(Key::Char('x'));
    wait_for_scenario(&p);

    p.send_key(Key::Char('t'));
    p.wait_for_text("⏱ 00:01", TIMEOUT);
    p.send_key(Key::Char('q'));
    assert_exit_ok(&mut p);
}

/// A second presenter cannot take the notes socket: it says so on its first frame and still runs.
#[test]
fn second_presenter_says_notes_are_unavailable() {
    let tmp = temp_data_dir();
    let data = tmp.path().join("data");
    let socket = tmp.path().join("notes.sock");
    let mut first = spawn_present(&data, &socket, false);
    wait_for_scenario(&first);
    let mut second = spawn_present(&data, &socket, false);
    second.wait_for_all(&["The scenario", "Speaker notes unavailable"], TIMEOUT);
    second.send_key(Key::Char('q'));
    assert_exit_ok(&mut second);
    first.send_key(Key::Char('q'));
    assert_exit_ok(&mut first);
}
