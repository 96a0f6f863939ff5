//! Projector mode's reveal state machine: navigation never reveals, each reveal key reveals exactly
//! its part, going back keeps what was revealed; votes, blank, jumps and the timer.

use kmsquest::action::{Action, Effect};
use kmsquest::cli::load_puzzle;
use kmsquest::mode::Mode;
use kmsquest::model::{Focus, Model, PresentState, Screen};
use kmsquest::notes::NotesSync;
use kmsquest::update::{go_to, update};
use std::sync::Arc;

fn presenter() -> Model {
    let puzzle = Arc::new(load_puzzle(None).expect("embedded content loads"));
    let mut m = Model::new(puzzle, Mode::Present.policy());
    go_to(&mut m, Screen::Scenario);
    m
}

fn revealed(m: &Model) -> PresentState {
    m.present.clone().unwrap()
}

fn nothing_revealed(m: &Model) -> bool {
    let p = revealed(m);
    p.answers.is_empty()
        && p.explanations.is_empty()
        && p.solutions.is_empty()
        && m.tasks.iter().all(|t| t.hints_revealed == 0)
}

#[test]
fn navigation_never_reveals() {
    let mut m = presenter();
    for a in [
        Action::Skip,
        Action::Skip,
        Action::Skip,
        Action::Retreat,
        Action::Up,
        Action::Down,
        Action::JumpPrefix,
        Action::Digit(3),
        Action::Skip,
        Action::Retreat,
        Action::Retreat,
    ] {
        assert_eq!(update(&mut m, a), vec![], "{a:?} has no side effects");
        assert!(nothing_revealed(&m), "{a:?} revealed something");
    }
    // Walk every slide forwards and back with Skip / Retreat.
    for _ in 0..60 {
        update(&mut m, Action::Skip);
    }
    assert_eq!(m.screen, Screen::Final);
    for _ in 0..60 {
        update(&mut m, Action::Retreat);
    }
    assert_eq!(m.screen, Screen::Scenario);
    assert!(nothing_revealed(&m));
}

#[test]
fn each_reveal_key_reveals_exactly_its_part() {
    let mut m = presenter();
    update(&mut m, Action::Skip); // Task 1 intro
    update(&mut m, Action::Skip); // question 1
    assert_eq!(m.screen, Screen::Task(0));
    assert_eq!(m.tasks[0].focus, Focus::Question(0));

    update(&mut m, Action::RevealAnswer);
    let p = revealed(&m);
    assert!(p.answers.contains(&(0, 0)) && p.explanations.is_empty() && p.solutions.is_empty());
    assert_eq!(m.tasks[0].hints_revealed, 0);

    update(&mut m, Action::Hint);
    assert_eq!(m.tasks[0].hints_revealed, 1);
    assert_eq!(revealed(&m).explanations.len(), 0);

    update(&mut m, Action::RevealExplanation);
    let p = revealed(&m);
    assert!(p.explanations.contains(&(0, 0)) && p.answers.len() == 1 && p.solutions.is_empty());

    update(&mut m, Action::RevealSolution);
    assert_eq!(m.screen, Screen::Solution(0));
    assert!(revealed(&m).solutions.contains(&0));
    assert!(m.solution_unlocked(0) && !m.solution_unlocked(1));
}

#[test]
fn the_clicker_steps_through_answer_then_explanation_then_the_next_question() {
    let mut m = presenter();
    update(&mut m, Action::Advance); // intro
    update(&mut m, Action::Advance); // question 1, nothing shown
    assert_eq!(m.tasks[0].focus, Focus::Question(0));
    assert!(nothing_revealed(&m));
    update(&mut m, Action::Advance);
    assert_eq!(revealed(&m).answers.len(), 1);
    assert!(revealed(&m).explanations.is_empty());
    update(&mut m, Action::Advance);
    assert_eq!(revealed(&m).explanations.len(), 1);
    update(&mut m, Action::Advance);
    assert_eq!(m.tasks[0].focus, Focus::Question(1));
    assert!(
        !revealed(&m).answers.contains(&(0, 1)),
        "arriving at a question reveals nothing"
    );
}

#[test]
fn going_back_keeps_what_was_revealed() {
    let mut m = presenter();
    update(&mut m, Action::Skip);
    update(&mut m, Action::Skip);
    update(&mut m, Action::RevealAnswer);
    update(&mut m, Action::Skip);
    update(&mut m, Action::Retreat);
    assert_eq!(m.tasks[0].focus, Focus::Question(0));
    assert!(revealed(&m).answers.contains(&(0, 0)));
}

#[test]
fn jump_goes_to_a_task_intro_and_rejects_unknown_tasks() {
    let mut m = presenter();
    update(&mut m, Action::JumpPrefix);
    update(&mut m, Action::Digit(3));
    assert_eq!(m.screen, Screen::Task(2));
    assert_eq!(m.tasks[2].focus, Focus::Intro);
    update(&mut m, Action::JumpPrefix);
    update(&mut m, Action::Digit(9));
    assert_eq!(m.screen, Screen::Task(2));
    assert!(m.notice.as_deref().unwrap_or("").contains("no task 9"));
    update(&mut m, Action::Digit(1));
    assert_eq!(m.screen, Screen::Task(2), "a digit without g does nothing");
}

#[test]
fn votes_are_counted_per_focused_option_and_never_negative() {
    let mut m = presenter();
    update(&mut m, Action::Skip);
    update(&mut m, Action::Skip);
    update(&mut m, Action::VoteUp);
    update(&mut m, Action::VoteUp);
    update(&mut m, Action::Down);
    update(&mut m, Action::VoteUp);
    update(&mut m, Action::VoteDown);
    update(&mut m, Action::VoteDown);
    let votes = &revealed(&m).votes[&PresentState::vote_key(0, 0)];
    assert_eq!(votes, &vec![2, 0]);
    update(&mut m, Action::Skip);
    update(&mut m, Action::Retreat);
    assert_eq!(
        revealed(&m).votes[&PresentState::vote_key(0, 0)],
        vec![2, 0],
        "kept for the session"
    );
    assert!(nothing_revealed(&m), "voting reveals nothing");
}

#[test]
fn blank_toggles_and_any_key_returns() {
    let mut m = presenter();
    update(&mut m, Action::Blank);
    assert!(revealed(&m).blank);
    let key =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('x'));
    assert_eq!(kmsquest::keymap::dispatch(&m, &key), Some(Action::Blank));
    update(&mut m, Action::Blank);
    assert!(!revealed(&m).blank);
}

#[test]
fn timer_runs_only_when_started_and_keeps_time_when_paused() {
    let mut m = presenter();
    update(&mut m, Action::Tick(5));
    assert_eq!(revealed(&m).timer_secs, 0);
    update(&mut m, Action::ToggleTimer);
    update(&mut m, Action::Tick(7));
    assert_eq!(revealed(&m).timer_secs, 7);
    update(&mut m, Action::ToggleTimer);
    update(&mut m, Action::Tick(20));
    assert_eq!(revealed(&m).timer_secs, 7);
}

#[test]
fn projector_mode_has_no_side_effects() {
    let mut m = presenter();
    for a in [
        Action::Advance,
        Action::Advance,
        Action::Advance,
        Action::Hint,
        Action::RevealSolution,
        Action::VoteUp,
    ] {
        let effects = update(&mut m, a);
        assert!(effects.is_empty(), "{a:?} → {effects:?}");
    }
    assert_eq!(
        update(&mut m, Action::Quit),
        vec![Effect::Quit],
        "quitting saves nothing"
    );
}

#[test]
fn notes_sync_carries_position_and_reveals_and_round_trips() {
    let mut m = presenter();
    update(&mut m, Action::Skip);
    update(&mut m, Action::Skip);
    update(&mut m, Action::RevealAnswer);
    let sync = NotesSync::of(&m).unwrap();
    assert_eq!(
        (sync.screen.as_str(), sync.task, sync.question),
        ("task", Some(0), Some(0))
    );
    let json = serde_json::to_string(&sync).unwrap();
    let back: NotesSync = serde_json::from_str(&json).unwrap();
    assert_eq!(back, sync);
    assert!(back.present.answers.contains(&(0, 0)));
}
