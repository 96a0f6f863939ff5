//! The quiz, projector and speaker-notes screens drawn headless into a `TestBackend`, in the style
//! of `snapshots.rs`: every model is driven through `update` with the actions a student or a
//! presenter would send (typing a name, Enter, ticks of the clock, the clicker's reveal keys), then
//! snapshotted. Insta ignores colour, so what colour carries is asserted on the buffer: the
//! projector themes' background and text, and the revealed marks' colour. Leaks are asserted too:
//! no mark or explanation is drawn during a quiz or before the presenter reveals it.

#[path = "support/screen.rs"]
mod screen;

use kmsquest::action::{Action, Effect};
use kmsquest::content::{OptionGrade, Question, QuestionSpec};
use kmsquest::mode::Mode;
use kmsquest::model::{Focus, Model, Overlay, Screen};
use kmsquest::notes::{FollowerState, NotesSync};
use kmsquest::ui::{self, Theme};
use kmsquest::update::{go_to, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use screen::*;

const QUIZ_SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const PROJECTOR_SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];
const NOTES_SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];
/// The option shuffle's seed: fixed, so the snapshots are too.
const SEED: u64 = 7;
/// `--time-limit 20` (minutes).
const LIMIT: u64 = 20 * 60;
/// What must never be drawn before the key may be shown.
const LEAKS: [&str; 3] = ["✓ correct", "✗ wrong", "Explanation"];

// ---------------------------------------------------------------------------------------------
// Driving the models

/// Apply an action as a user would; it must not quit or switch modes.
fn act(m: &mut Model, a: Action) -> Vec<Effect> {
    let effects = update(m, a);
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::SaveQuiz | Effect::WriteResults)),
        "{a:?} gave {effects:?}"
    );
    effects
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        act(m, Action::Type(c));
    }
}

/// A fresh quiz on its name prompt, as `kmsquest quiz [--time-limit 20]` opens it.
fn quiz_prompt(limit: Option<u64>) -> Model {
    let m = Model::new_quiz(puzzle(), None, limit, SEED);
    assert_eq!(m.screen, Screen::NamePrompt);
    m
}

/// The rules, after the student typed a name and pressed Enter.
fn quiz_rules(limit: Option<u64>) -> Model {
    let mut m = quiz_prompt(limit);
    type_text(&mut m, "Ana Lima");
    act(&mut m, Action::Check);
    assert_eq!(m.screen, Screen::Rules);
    m
}

/// Enter on the rules: the clock starts and the scenario opens.
fn quiz_started(limit: Option<u64>) -> Model {
    let mut m = quiz_rules(limit);
    assert_eq!(act(&mut m, Action::Check), vec![Effect::SaveQuiz]);
    assert_eq!(m.screen, Screen::Scenario);
    assert!(m.quiz.as_ref().unwrap().clock_running());
    m
}

/// Page with n/p to `screen`.
fn page_to(m: &mut Model, screen: Screen) {
    for _ in 0..32 {
        if m.screen == screen {
            return;
        }
        let order = m.screen_order();
        let here = order.iter().position(|s| *s == m.screen);
        let there = order.iter().position(|s| *s == screen).expect("screen");
        act(
            m,
            if here.is_some_and(|h| h > there) {
                Action::PrevScreen
            } else {
                Action::NextScreen
            },
        );
    }
    panic!("could not reach {screen:?} from {:?}", m.screen);
}

/// Tab through the task's questions to question `qi`.
fn focus_question(m: &mut Model, t: usize, qi: usize) {
    page_to(m, Screen::Task(t));
    for _ in 0..=m.puzzle.tasks[t].questions.len() {
        if m.tasks[t].focus == Focus::Question(qi) {
            return;
        }
        act(m, Action::NextQuestion);
    }
    panic!("no question {qi}");
}

fn question(m: &Model, t: usize, qi: usize) -> &Question {
    &m.puzzle.tasks[t].questions[qi]
}

fn credit(g: OptionGrade) -> f64 {
    match g {
        OptionGrade::Credit(c) => c,
        OptionGrade::Expected(_) => 0.0,
    }
}

/// Content index of a choice question's best option (`right`) or of a no-credit one.
fn option_for(q: &Question, right: bool) -> usize {
    let QuestionSpec::Single { options } = &q.spec else {
        panic!("{} is not a single-choice question", q.id)
    };
    let pick = if right {
        options
            .iter()
            .enumerate()
            .max_by(|a, b| credit(a.1.grade).total_cmp(&credit(b.1.grade)))
    } else {
        options
            .iter()
            .enumerate()
            .find(|(_, o)| credit(o.grade) == 0.0)
    };
    pick.expect("an option").0
}

/// On the focused single-choice question, arrow to the option (shown shuffled) and press Space.
fn choose(m: &mut Model, t: usize, qi: usize, right: bool) {
    assert_eq!(m.tasks[t].focus, Focus::Question(qi));
    let want = option_for(question(m, t, qi), right);
    for _ in 0..16 {
        let s = &m.tasks[t].questions[qi];
        let here = s.option_at(s.cursor);
        if here == want {
            act(m, Action::Select);
            return;
        }
        let pos = s.order.iter().position(|&i| i == want).expect("shown");
        act(
            m,
            if pos > s.cursor {
                Action::Down
            } else {
                Action::Up
            },
        );
    }
    panic!("cursor stuck");
}

/// Choose and press Enter: the quiz records it and moves on without a verdict.
fn answer(m: &mut Model, t: usize, qi: usize, right: bool) {
    focus_question(m, t, qi);
    choose(m, t, qi, right);
    assert_eq!(act(m, Action::Check), vec![Effect::SaveQuiz]);
    assert!(
        m.notice
            .as_deref()
            .unwrap_or("")
            .starts_with("Answer saved"),
        "{:?}",
        m.notice
    );
}

/// h, then y: reveal the task's next hint at its price.
fn buy_hint(m: &mut Model) {
    act(m, Action::Hint);
    assert_eq!(m.overlay, Some(Overlay::ConfirmHint));
    act(m, Action::Yes);
    assert_eq!(m.overlay, None);
}

/// n to the task's summary, Enter, y.
fn submit(m: &mut Model, t: usize) {
    page_to(m, Screen::Solution(t));
    act(m, Action::Check);
    assert_eq!(m.overlay, Some(Overlay::ConfirmSubmit));
    act(m, Action::Yes);
    assert!(m.task_locked(t));
}

/// Task 1: question 1 right, question 2 wrong, question 3 right, a hint bought; the rest blank.
fn quiz_answered() -> Model {
    let mut m = quiz_started(Some(LIMIT));
    answer(&mut m, 0, 0, true);
    answer(&mut m, 0, 1, false);
    answer(&mut m, 0, 2, true);
    buy_hint(&mut m);
    m
}

/// Every task submitted: the score screen.
fn quiz_finished() -> Model {
    let mut m = quiz_answered();
    act(&mut m, Action::Tick(421));
    for t in 0..m.puzzle.tasks.len() {
        submit(&mut m, t);
    }
    assert!(m.quiz.as_ref().unwrap().finished);
    assert_eq!(m.screen, Screen::Score);
    m
}

/// Projector mode as `kmsquest present` opens it: the scenario.
fn presenter() -> Model {
    let mut m = Model::new(puzzle(), Mode::Present.policy());
    go_to(&mut m, Screen::Scenario);
    m
}

/// The clicker from the scenario to Task 1's intro, then its first question (nothing revealed).
fn presenter_task1_intro() -> Model {
    let mut m = presenter();
    act(&mut m, Action::Advance);
    assert_eq!(m.screen, Screen::Task(0));
    assert_eq!(m.tasks[0].focus, Focus::Intro);
    m
}

fn presenter_q1() -> Model {
    let mut m = presenter_task1_intro();
    act(&mut m, Action::Advance);
    assert_eq!(m.tasks[0].focus, Focus::Question(0));
    assert!(m.present.as_ref().unwrap().answers.is_empty());
    m
}

/// g 2, then → past the questions without revealing, to Task 2's access matrix.
fn presenter_matrix() -> Model {
    let mut m = presenter();
    act(&mut m, Action::JumpPrefix);
    act(&mut m, Action::Digit(2));
    assert_eq!(m.screen, Screen::Task(1));
    let qi = m.puzzle.tasks[1]
        .questions
        .iter()
        .position(|q| q.id == "access")
        .expect("the access matrix");
    for _ in 0..=qi {
        act(&mut m, Action::Skip);
    }
    assert_eq!(m.tasks[1].focus, Focus::Question(qi));
    m
}

/// Votes: two hands on option A, three on option B.
fn presenter_votes() -> Model {
    let mut m = presenter_q1();
    act(&mut m, Action::VoteUp);
    act(&mut m, Action::VoteUp);
    act(&mut m, Action::Down);
    for _ in 0..3 {
        act(&mut m, Action::VoteUp);
    }
    assert_eq!(
        m.present.as_ref().unwrap().votes.get("0.0"),
        Some(&vec![2, 3])
    );
    m
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// Every scroll position of the screen, as the wheel reaches them: the whole page, not only its top.
fn pages(m: &Model, w: u16, h: u16, theme: &Theme) -> Vec<Buffer> {
    let mut m = m.clone();
    let mut out = Vec::new();
    loop {
        let (terminal, _) = render(&mut m, w, h, theme);
        out.push(terminal.backend().buffer().clone());
        if m.scroll >= m.scroll_limit || out.len() > 200 {
            return out;
        }
        act(&mut m, Action::ScrollDown);
    }
}

/// Scrolled with the wheel as far as it goes (the limit is measured by a frame, as in the loop).
fn scrolled_to_end(m: &Model, w: u16, h: u16, theme: &Theme) -> Model {
    let mut m = m.clone();
    for _ in 0..200 {
        render(&mut m, w, h, theme);
        if m.scroll >= m.scroll_limit {
            return m;
        }
        act(&mut m, Action::ScrollDown);
    }
    panic!("no end");
}

/// The text of every scroll position, one after another.
fn page_text(m: &Model, w: u16, h: u16, theme: &Theme) -> String {
    pages(m, w, h, theme)
        .iter()
        .map(screen_text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Snapshot a quiz model at 80×24 and 120×40 (dark theme) as `quiz_<name>_<w>x<h>`.
fn snap_quiz(name: &str, m: &Model) {
    for (w, h) in QUIZ_SIZES {
        let mut m = m.clone();
        let (terminal, _) = render(&mut m, w, h, &Theme::dark());
        insta::assert_snapshot!(format!("quiz_{name}_{w}x{h}"), terminal.backend());
    }
}

/// Snapshot a projector model at 80×24, 120×40 and 200×60 as `present_<name>_<w>x<h>`. The text
/// is the same in both projector themes (asserted: only colours differ), so one snapshot covers
/// both; every cell's background comes from the theme, never the terminal's default.
fn snap_projector(name: &str, m: &Model) {
    for (w, h) in PROJECTOR_SIZES {
        let dark = buffer_at(m, w, h, &Theme::projector_dark());
        let light = buffer_at(m, w, h, &Theme::projector_light());
        assert_eq!(
            screen_text(&dark),
            screen_text(&light),
            "{name} {w}×{h}: the light theme draws different text"
        );
        assert_theme_backgrounds(&dark, &Theme::projector_dark(), name);
        assert_theme_backgrounds(&light, &Theme::projector_light(), name);
        let mut m = m.clone();
        let (terminal, _) = render(&mut m, w, h, &Theme::projector_dark());
        insta::assert_snapshot!(format!("present_{name}_{w}x{h}"), terminal.backend());
    }
}

fn render_notes(st: &FollowerState, w: u16, h: u16) -> Terminal<TestBackend> {
    let puzzle = puzzle();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("backend");
    terminal
        .draw(|f| {
            ui::notes::render(f, &puzzle, st, &Theme::dark());
        })
        .expect("draw");
    terminal
}

/// The status line: the second row from the bottom.
fn status_text(buf: &Buffer) -> String {
    row_text(buf, buf.area.height - 2)
}

/// Every cell of every occurrence of `text` has foreground `fg`; returns how many there were.
fn assert_fg(buf: &Buffer, text: &str, fg: Color) -> usize {
    let found = find(buf, text);
    for &(x, y) in &found {
        for i in 0..text.chars().count() as u16 {
            assert_eq!(
                buf[(x + i, y)].fg,
                fg,
                "{text:?} at ({x},{y}) cell {i}\n{}",
                screen_text(buf)
            );
        }
    }
    found.len()
}

/// No cell falls back to the terminal's background: each has the theme's base, cursor or key-cap
/// background (a projector theme must paint the whole screen).
fn assert_theme_backgrounds(buf: &Buffer, theme: &Theme, name: &str) {
    let allowed = [theme.base.bg, theme.cursor.bg, theme.key.bg, theme.bar.bg];
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if covered(buf, x, y) {
                continue;
            }
            let bg = buf[(x, y)].bg;
            assert!(
                bg != Color::Reset && allowed.contains(&Some(bg)),
                "{name}: cell ({x},{y}) {:?} has background {bg:?}",
                buf[(x, y)].symbol()
            );
        }
    }
}

fn assert_no_leaks(buf: &Buffer, what: &str) {
    let text = screen_text(buf);
    for leak in LEAKS {
        assert!(
            !text.contains(leak),
            "{what}: {leak:?} drawn before it may be\n{text}"
        );
    }
}

/// No leak at any scroll position of the screen.
fn assert_no_leaks_anywhere(m: &Model, w: u16, h: u16, theme: &Theme, what: &str) {
    for buf in pages(m, w, h, theme) {
        assert_no_leaks(&buf, &format!("{what} at {w}×{h}"));
    }
}

fn assert_shows(buf: &Buffer, want: &str, what: &str) {
    let text = screen_text(buf);
    assert!(text.contains(want), "{what}: {want:?} not drawn\n{text}");
}

/// The first `n` words of a Markdown text, without its emphasis and code marks.
fn first_words(md: &str, n: usize) -> String {
    md.replace(['*', '`'], "")
        .split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Quiz

#[test]
fn quiz_name_prompt_and_rules() {
    let mut m = quiz_prompt(Some(LIMIT));
    snap_quiz("name_empty", &m);
    type_text(&mut m, "Ana Lima");
    snap_quiz("name_typed", &m);
    let buf = buffer_at(&m, 80, 24, &Theme::dark());
    assert_shows(&buf, "Ana Lima▏", "the typed name with its caret");

    let limited = quiz_rules(Some(LIMIT));
    snap_quiz("rules_time_limit", &limited);
    let open = quiz_rules(None);
    snap_quiz("rules_no_limit", &open);
    for (w, h) in QUIZ_SIZES {
        let buf = buffer_at(&limited, w, h, &Theme::dark());
        assert_shows(&buf, "Quiz rules — Ana Lima", "rules heading");
        assert_shows(&buf, "Time limit: 20 minutes.", "the limit");
        let buf = buffer_at(&open, w, h, &Theme::dark());
        assert_shows(&buf, "No time limit.", "no limit");
        // The clock has not started: no countdown yet.
        assert!(!status_text(&buf).contains('⏱'), "{}", status_text(&buf));
    }
}

#[test]
fn quiz_question_after_an_answer() {
    let mut m = quiz_started(Some(LIMIT));
    answer(&mut m, 0, 0, true);
    // Enter moved on to question 2 and said so in the status line.
    assert_eq!(m.tasks[0].focus, Focus::Question(1));
    snap_quiz("answer_saved_next_question", &m);
    // Back to the answered question: saved, unmarked, no explanation.
    act(&mut m, Action::PrevQuestion);
    assert_eq!(m.tasks[0].focus, Focus::Question(0));
    snap_quiz("answered_question", &m);
    for (w, h) in QUIZ_SIZES {
        let buf = buffer_at(&m, w, h, &Theme::dark());
        assert_shows(
            &buf,
            "Answer saved. Feedback comes when the quiz ends.",
            "answered question",
        );
        assert_no_leaks_anywhere(&m, w, h, &Theme::dark(), "answered question");
        // Not even the question strip hints at a verdict: answered questions are a dot.
        let text = screen_text(&buf);
        assert!(!text.contains('✓') && !text.contains('✗'), "{text}");
        assert_shows(&buf, "1•", "strip mark of an answered question");
    }
}

#[test]
fn quiz_status_line_clock() {
    let mut m = quiz_started(Some(LIMIT));
    act(&mut m, Action::NextScreen);
    act(&mut m, Action::Tick(65));
    snap_quiz("countdown", &m);
    let mut e = quiz_started(None);
    act(&mut e, Action::NextScreen);
    act(&mut e, Action::Tick(65));
    snap_quiz("elapsed", &e);
    for (w, h) in QUIZ_SIZES {
        let status = status_text(&buffer_at(&m, w, h, &Theme::dark()));
        assert!(status.contains("⏱ 18:55 left"), "{w}×{h}: {status}");
        let status = status_text(&buffer_at(&e, w, h, &Theme::dark()));
        assert!(status.contains("⏱ 01:05 elapsed"), "{w}×{h}: {status}");
    }
}

#[test]
fn quiz_two_minute_warning() {
    let mut m = quiz_started(Some(LIMIT));
    act(&mut m, Action::NextScreen);
    act(&mut m, Action::Check);
    act(&mut m, Action::Tick(1079));
    assert!(m.notice.is_none(), "{:?}", m.notice);
    assert_eq!(act(&mut m, Action::Tick(1080)), vec![Effect::SaveQuiz]);
    assert!(m.quiz.as_ref().unwrap().warned);
    snap_quiz("two_minute_warning", &m);
    for (w, h) in QUIZ_SIZES {
        let status = status_text(&buffer_at(&m, w, h, &Theme::dark()));
        // The warning shows beside the countdown (shortened with … where the line is narrow).
        assert!(
            status.contains("2 minutes left: unsubmitted tasks are submitted"),
            "{w}×{h}: {status}"
        );
        assert!(
            status.contains("⏱ 02:00 left"),
            "{w}×{h}: the clock stays visible: {status}"
        );
    }
    // The next key clears the warning and the countdown is back.
    act(&mut m, Action::Down);
    act(&mut m, Action::Tick(1085));
    let status = status_text(&buffer_at(&m, 80, 24, &Theme::dark()));
    assert!(status.contains("⏱ 01:55 left"), "{status}");
}

#[test]
fn quiz_hint_confirmation() {
    let mut m = quiz_started(Some(LIMIT));
    focus_question(&mut m, 0, 0);
    act(&mut m, Action::Hint);
    assert_eq!(m.overlay, Some(Overlay::ConfirmHint));
    snap_quiz("hint_confirm", &m);
    for (w, h) in QUIZ_SIZES {
        let buf = buffer_at(&m, w, h, &Theme::dark());
        assert_shows(&buf, "Reveal Hint 1?", "confirm title");
        assert_shows(
            &buf,
            "It costs 1 point from Task 1's score.",
            "confirm detail",
        );
    }
    // y reveals it; it shows in the hint pane.
    act(&mut m, Action::Yes);
    snap_quiz("hint_bought", &m);
}

#[test]
fn quiz_submit_and_lock() {
    let mut m = quiz_started(Some(LIMIT));
    answer(&mut m, 0, 0, true);
    answer(&mut m, 0, 1, false);
    page_to(&mut m, Screen::Solution(0));
    snap_quiz("submit_screen", &m);
    act(&mut m, Action::Check);
    assert_eq!(m.overlay, Some(Overlay::ConfirmSubmit));
    snap_quiz("submit_confirm", &m);
    let buf = buffer_at(&m, 80, 24, &Theme::dark());
    assert_shows(&buf, "Submit Task 1?", "confirm title");
    let detail = format!(
        "2 of {} answered. Submitted answers are locked.",
        m.puzzle.tasks[0].questions.len()
    );
    assert_shows(&buf, &detail, "confirm detail");
    act(&mut m, Action::Yes);
    assert_eq!(m.screen, Screen::Task(1), "on to the next task");
    snap_quiz("submitted_next_task", &m);
    // Back to the submitted task: its summary says so, its questions are locked.
    act(&mut m, Action::PrevScreen);
    assert_eq!(m.screen, Screen::Solution(0));
    snap_quiz("submitted_summary", &m);
    act(&mut m, Action::PrevScreen);
    assert_eq!(m.screen, Screen::Task(0));
    focus_question(&mut m, 0, 0);
    act(&mut m, Action::Select);
    assert_eq!(
        m.notice.as_deref(),
        Some("This task is submitted: its answers are locked.")
    );
    snap_quiz("submitted_question", &m);
    for (w, h) in QUIZ_SIZES {
        assert_no_leaks_anywhere(&m, w, h, &Theme::dark(), "submitted question");
    }
    // An unanswered question of the submitted task says it was not answered.
    act(&mut m, Action::PrevQuestion);
    act(&mut m, Action::PrevQuestion);
    let last = m.puzzle.tasks[0].questions.len() - 1;
    assert_eq!(m.tasks[0].focus, Focus::Question(last));
    assert!(m.tasks[0].questions[last].checked.is_none());
    let buf = buffer_at(&m, 120, 40, &Theme::dark());
    assert_shows(
        &buf,
        "This task is submitted: its answers are locked.",
        "locked",
    );
}

#[test]
fn quiz_never_leaks_the_key_while_running() {
    let mut states: Vec<(&str, Model)> = Vec::new();
    let mut m = quiz_started(Some(LIMIT));
    states.push(("scenario", m.clone()));
    for t in 0..m.puzzle.tasks.len() {
        for qi in 0..m.puzzle.tasks[t].questions.len() {
            focus_question(&mut m, t, qi);
            if matches!(
                m.puzzle.tasks[t].questions[qi].spec,
                QuestionSpec::Single { .. } | QuestionSpec::Multi { .. }
            ) {
                act(&mut m, Action::Select);
            }
            act(&mut m, Action::Check);
            // The answered question itself, back from wherever Enter moved the focus.
            focus_question(&mut m, t, qi);
            states.push(("question", m.clone()));
        }
        page_to(&mut m, Screen::Solution(t));
        states.push(("summary", m.clone()));
    }
    states.push(("hinted", quiz_answered()));
    for (what, m) in &states {
        assert!(!m.quiz.as_ref().unwrap().finished);
        for (w, h) in QUIZ_SIZES {
            assert_no_leaks_anywhere(m, w, h, &Theme::dark(), what);
        }
    }
}

#[test]
fn quiz_score_and_review() {
    let m = quiz_finished();
    let report = m.report();
    assert!(report.total > 0.0 && report.total < report.max);
    assert!(report.tasks[0].hint_penalty > 0.0);
    snap_quiz("score", &m);
    for (w, h) in QUIZ_SIZES {
        let buf = buffer_at(&m, w, h, &Theme::dark());
        assert_shows(&buf, "(hints −1)", "the hint penalty");
        assert_shows(&buf, "Time 07:01", "the time taken");
    }
    // Enter: review question 1 (right), n: question 2 (wrong).
    let mut r = m.clone();
    act(&mut r, Action::Check);
    assert_eq!(r.screen, Screen::Review(0));
    snap_quiz("review_right", &r);
    let mut wrong = r.clone();
    act(&mut wrong, Action::NextScreen);
    assert_eq!(wrong.screen, Screen::Review(1));
    snap_quiz("review_wrong", &wrong);
    let dark = Theme::dark();
    for (w, h) in QUIZ_SIZES {
        let buf = buffer_at(&r, w, h, &dark);
        assert!(assert_fg(&buf, "✓ correct", dark.correct.fg.unwrap()) >= 1);
        let buf = buffer_at(&wrong, w, h, &dark);
        assert!(assert_fg(&buf, "✗ wrong", dark.wrong.fg.unwrap()) >= 1);
        // The key is marked beside the wrong choice.
        assert!(assert_fg(&buf, "✓ correct", dark.correct.fg.unwrap()) >= 1);
        // The explanation follows the options (below the fold at 80×24: the wheel reaches it).
        for (what, m) in [("right", &r), ("wrong", &wrong)] {
            let text = page_text(m, w, h, &dark);
            assert!(
                text.contains("Explanation (e hides)"),
                "review of a {what} answer at {w}×{h}\n{text}"
            );
        }
    }
    // The end of the wrong answer's review: its explanation, scrolled to.
    for (w, h) in QUIZ_SIZES {
        let mut end = scrolled_to_end(&wrong, w, h, &dark);
        assert!(end.scroll > 0 || h >= 40, "{w}×{h}: the review fits");
        let (terminal, _) = render(&mut end, w, h, &dark);
        insta::assert_snapshot!(format!("quiz_review_wrong_end_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn quiz_time_out_submits_everything() {
    let mut m = quiz_started(Some(LIMIT));
    answer(&mut m, 0, 0, true);
    assert_eq!(act(&mut m, Action::Tick(LIMIT)), vec![Effect::WriteResults]);
    let quiz = m.quiz.as_ref().unwrap();
    assert!(quiz.finished && quiz.submitted.iter().all(|&s| s));
    assert_eq!(m.screen, Screen::Score);
    snap_quiz("time_out", &m);
    for (w, h) in QUIZ_SIZES {
        let buf = buffer_at(&m, w, h, &Theme::dark());
        assert!(
            status_text(&buf).contains("Time is up"),
            "{}",
            status_text(&buf)
        );
        assert_shows(&buf, "Time 20:00", "the whole limit used");
    }
}

// ---------------------------------------------------------------------------------------------
// Projector

#[test]
fn projector_scenario_and_intro() {
    snap_projector("scenario", &presenter());
    let m = presenter_task1_intro();
    snap_projector("task1_intro", &m);
    for (w, h) in PROJECTOR_SIZES {
        assert_no_leaks_anywhere(&m, w, h, &Theme::projector_dark(), "intro");
    }
}

#[test]
fn projector_question_reveals() {
    let q1 = presenter_q1();
    snap_projector("q1_unrevealed", &q1);
    let votes = presenter_votes();
    snap_projector("q1_votes", &votes);
    for m in [&q1, &votes] {
        for (w, h) in PROJECTOR_SIZES {
            for theme in [Theme::projector_dark(), Theme::projector_light()] {
                assert_no_leaks_anywhere(m, w, h, &theme, "unrevealed question");
            }
        }
    }
    for (w, h) in PROJECTOR_SIZES {
        let buf = buffer_at(&votes, w, h, &Theme::projector_dark());
        let text = screen_text(&buf);
        assert_eq!(text.matches("   2 ✋").count(), 1, "{text}");
        assert_eq!(text.matches("   3 ✋").count(), 1, "{text}");
    }

    let mut answered = votes.clone();
    act(&mut answered, Action::RevealAnswer);
    snap_projector("q1_answer", &answered);
    let mut hinted = answered.clone();
    act(&mut hinted, Action::Hint);
    assert_eq!(hinted.tasks[0].hints_revealed, 1);
    snap_projector("q1_hint", &hinted);
    let mut explained = hinted.clone();
    act(&mut explained, Action::RevealExplanation);
    snap_projector("q1_explanation", &explained);

    for (w, h) in PROJECTOR_SIZES {
        for theme in [Theme::projector_dark(), Theme::projector_light()] {
            let buf = buffer_at(&answered, w, h, &theme);
            let fg = theme.correct.fg.expect("a colour");
            assert!(
                assert_fg(&buf, "✓ correct", fg) >= 1,
                "{w}×{h}\n{}",
                screen_text(&buf)
            );
            // The answer alone: the explanation waits for e.
            assert!(find(&buf, "Explanation").is_empty());
            let buf = buffer_at(&hinted, w, h, &theme);
            assert_shows(&buf, "Hint 1: ", "hint under the question");
        }
    }
    // The explanation is long: at 200×60 its heading is on screen without scrolling.
    let buf = buffer_at(&explained, 200, 60, &Theme::projector_dark());
    assert_shows(&buf, "Explanation", "revealed explanation");
}

#[test]
fn projector_solution_hidden_then_revealed() {
    let mut m = presenter_q1();
    let n = m.puzzle.tasks[0].questions.len();
    for _ in 0..n {
        act(&mut m, Action::Skip);
    }
    assert_eq!(m.screen, Screen::Solution(0));
    assert!(!m.solution_unlocked(0));
    snap_projector("solution_hidden", &m);
    for (w, h) in PROJECTOR_SIZES {
        let buf = buffer_at(&m, w, h, &Theme::projector_dark());
        assert_shows(&buf, "The suggested solution is hidden.", "hidden solution");
    }
    act(&mut m, Action::RevealSolution);
    assert!(m.solution_unlocked(0));
    snap_projector("solution_revealed", &m);
    let first = m.puzzle.tasks[0]
        .solution
        .body
        .lines()
        .map(|l| first_words(l, 3))
        .find(|l| !l.is_empty())
        .expect("a solution");
    for (w, h) in PROJECTOR_SIZES {
        let buf = buffer_at(&m, w, h, &Theme::projector_dark());
        assert_shows(&buf, &first, "revealed solution");
    }
}

#[test]
fn projector_blank_is_blank() {
    let mut m = presenter_votes();
    act(&mut m, Action::RevealAnswer);
    act(&mut m, Action::Blank);
    snap_projector("blank", &m);
    for (w, h) in PROJECTOR_SIZES {
        for theme in [Theme::projector_dark(), Theme::projector_light()] {
            let buf = buffer_at(&m, w, h, &theme);
            for y in 0..h {
                for x in 0..w {
                    let c = &buf[(x, y)];
                    assert_eq!(c.symbol(), " ", "{w}×{h}: cell ({x},{y}) is drawn");
                    assert_eq!(Some(c.bg), theme.base.bg, "{w}×{h}: cell ({x},{y})");
                }
            }
        }
    }
    // Any key brings the slide back as it was.
    act(&mut m, Action::Blank);
    let buf = buffer_at(&m, 120, 40, &Theme::projector_dark());
    assert_shows(&buf, "✓ correct", "the slide after blanking");
}

#[test]
fn projector_timer() {
    let mut m = presenter_q1();
    act(&mut m, Action::ToggleTimer);
    act(&mut m, Action::Tick(125));
    snap_projector("timer_running", &m);
    for (w, h) in PROJECTOR_SIZES {
        let status = status_text(&buffer_at(&m, w, h, &Theme::projector_dark()));
        assert!(
            status.contains("⏱ 02:05 of 15:00 plan"),
            "{w}×{h}: {status}"
        );
        assert!(status.contains('▶'), "{w}×{h}: {status}");
    }
    // Paused, ticks do not count.
    act(&mut m, Action::ToggleTimer);
    act(&mut m, Action::Tick(200));
    let status = status_text(&buffer_at(&m, 80, 24, &Theme::projector_dark()));
    assert!(status.contains("⏱ 02:05 of 15:00 plan"), "{status}");
}

#[test]
fn projector_matrix_question() {
    let m = presenter_matrix();
    snap_projector("matrix_unrevealed", &m);
    let mut a = m.clone();
    act(&mut a, Action::RevealAnswer);
    snap_projector("matrix_answer", &a);
    for (w, h) in PROJECTOR_SIZES {
        assert_no_leaks_anywhere(&m, w, h, &Theme::projector_dark(), "matrix");
        let buf = buffer_at(&a, w, h, &Theme::projector_dark());
        assert_shows(&buf, "[✓]", "matrix key");
    }
}

/// Nothing that matters is pushed off the slide: the prompt's first words and the first word of
/// every option (or matrix row and column) are on screen at every projector size.
#[test]
fn projector_questions_fit() {
    for (what, m) in [
        ("Task 1 question 1", presenter_q1()),
        ("Task 2 access matrix", presenter_matrix()),
    ] {
        let Screen::Task(t) = m.screen else {
            panic!("{what}: not on a task")
        };
        let Focus::Question(qi) = m.tasks[t].focus else {
            panic!("{what}: not on a question")
        };
        let q = question(&m, t, qi);
        let mut words = vec![first_words(&q.prompt, 3)];
        match &q.spec {
            QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
                words.extend(options.iter().map(|o| first_words(&o.label, 1)));
            }
            QuestionSpec::Matrix { rows, columns, .. } => {
                words.extend(rows.iter().map(|r| first_words(&r.label, 1)));
                words.extend(columns.iter().map(|c| first_words(&c.label, 1)));
            }
            QuestionSpec::Ordering { steps, .. } => {
                words.extend(steps.iter().map(|s| first_words(&s.label, 1)));
            }
        }
        for (w, h) in PROJECTOR_SIZES {
            for theme in [Theme::projector_dark(), Theme::projector_light()] {
                let buf = buffer_at(&m, w, h, &theme);
                let text = screen_text(&buf);
                for word in &words {
                    assert!(
                        text.contains(word.as_str()),
                        "{what} at {w}×{h}: {word:?} is not on screen\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn projector_theme_colours() {
    let m = presenter_q1();
    let prompt_word = first_words(&question(&m, 0, 0).prompt, 1);
    for (theme, bg, fg) in [
        (Theme::projector_light(), Color::White, Color::Black),
        (Theme::projector_dark(), Color::Black, Color::White),
    ] {
        assert_eq!(theme.base.bg, Some(bg));
        assert_eq!(theme.base.fg, Some(fg));
        for (w, h) in PROJECTOR_SIZES {
            let buf = buffer_at(&m, w, h, &theme);
            // An empty cell in the body: the room sees the theme's background.
            let c = &buf[(0, h / 2)];
            assert_eq!((c.symbol(), c.bg, c.fg), (" ", bg, fg), "{w}×{h}");
            // The prompt is text in the base colour.
            assert!(
                assert_fg(&buf, &prompt_word, fg) >= 1,
                "{w}×{h}: {prompt_word:?}\n{}",
                screen_text(&buf)
            );
            for &(x, y) in &find(&buf, &prompt_word) {
                assert_eq!(buf[(x, y)].bg, bg);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Speaker notes

fn follower(m: &Model, connected: bool) -> FollowerState {
    FollowerState {
        sync: Some(NotesSync::of(m).expect("a presenter model")),
        connected,
        was_connected: true,
        ..FollowerState::default()
    }
}

#[test]
fn notes_waiting_following_disconnected() {
    let waiting = FollowerState::default();
    let mut voted = presenter_q1();
    act(&mut voted, Action::Down);
    act(&mut voted, Action::VoteUp);
    let following = follower(&voted, true);
    let gone = follower(&voted, false);
    let q = question(&voted, 0, 0);
    let QuestionSpec::Single { options } = &q.spec else {
        panic!("single")
    };
    let feedback = first_words(&options[0].feedback, 4);
    for (w, h) in NOTES_SIZES {
        let terminal = render_notes(&waiting, w, h);
        insta::assert_snapshot!(format!("notes_waiting_{w}x{h}"), terminal.backend());
        let buf = terminal.backend().buffer();
        assert_shows(buf, "waiting for a presenter", "waiting");

        let terminal = render_notes(&following, w, h);
        insta::assert_snapshot!(format!("notes_following_{w}x{h}"), terminal.backend());
        let buf = terminal.backend().buffer();
        let text = screen_text(buf);
        assert_shows(buf, "● following the presenter", "following");
        assert_shows(buf, "answer hidden", "what the room sees");
        assert_shows(buf, "✓ correct", "the key");
        assert_shows(buf, "✋1", "the vote");
        assert!(
            text.contains(&feedback),
            "{w}×{h}: feedback {feedback:?}\n{text}"
        );
        assert_shows(buf, "Task 1 · question 1 of", "where the presenter is");
        let dark = Theme::dark();
        assert!(assert_fg(buf, "✓ correct", dark.correct.fg.unwrap()) >= 1);

        let terminal = render_notes(&gone, w, h);
        insta::assert_snapshot!(format!("notes_disconnected_{w}x{h}"), terminal.backend());
        let buf = terminal.backend().buffer();
        assert_shows(buf, "presenter disconnected", "disconnected");
        // The last state stays readable while waiting for the presenter to come back.
        assert_shows(buf, "✓ correct", "the key after a disconnect");
    }
}
