//! Quiz policy through `update`: deferred feedback, priced hints with a floor at 0, submit and lock,
//! the two-minute warning and auto-submit at time-out (time arrives as Tick), seeded shuffles.

use kmsquest::action::{Action, Effect};
use kmsquest::cli::load_puzzle;
use kmsquest::model::{Focus, Model, Overlay, Screen};
use kmsquest::update::update;
use std::sync::Arc;

fn quiz(limit_secs: Option<u64>, seed: u64) -> Model {
    let puzzle = Arc::new(load_puzzle(None).expect("embedded content loads"));
    let mut m = Model::new_quiz(puzzle, Some("Ana".into()), limit_secs, seed);
    assert_eq!(m.screen, Screen::Rules);
    assert_eq!(
        update(&mut m, Action::Check),
        vec![Effect::SaveQuiz],
        "Enter on the rules starts the quiz"
    );
    m
}

fn open_question(m: &mut Model, task: usize, question: usize) {
    kmsquest::update::go_to(m, Screen::Task(task));
    m.tasks[task].focus = Focus::Question(question);
}

/// Select the option whose content id is `id` (display order is shuffled) and press Enter.
fn answer_single(m: &mut Model, task: usize, question: usize, id: &str) -> Vec<Effect> {
    open_question(m, task, question);
    let q = &m.puzzle.tasks[task].questions[question];
    let kmsquest::content::QuestionSpec::Single { options } = &q.spec else {
        panic!("not single")
    };
    let content_index = options
        .iter()
        .position(|o| o.id == id)
        .expect("option exists");
    let pos = m.tasks[task].questions[question]
        .order
        .iter()
        .position(|&i| i == content_index)
        .unwrap();
    m.tasks[task].questions[question].cursor = pos;
    let mut effects = update(m, Action::Select);
    effects.extend(update(m, Action::Check));
    effects
}

#[test]
fn name_prompt_accepts_printable_names_only() {
    let puzzle = Arc::new(load_puzzle(None).unwrap());
    let mut m = Model::new_quiz(puzzle, None, None, 1);
    assert_eq!(m.screen, Screen::NamePrompt);
    update(&mut m, Action::Check);
    assert_eq!(m.screen, Screen::NamePrompt, "an empty name is refused");
    for c in "Bo".chars() {
        update(&mut m, Action::Type(c));
    }
    update(&mut m, Action::Type('\u{1b}'));
    assert_eq!(
        m.quiz.as_ref().unwrap().name_input,
        "Bo",
        "control characters are rejected"
    );
    for _ in 0..50 {
        update(&mut m, Action::Type('x'));
    }
    assert_eq!(
        m.quiz.as_ref().unwrap().name_input.chars().count(),
        40,
        "at most 40 characters"
    );
    update(&mut m, Action::Check);
    assert_eq!(m.screen, Screen::Rules);
}

#[test]
fn navigation_before_start_does_not_start_the_clock() {
    let puzzle = Arc::new(load_puzzle(None).unwrap());
    let mut m = Model::new_quiz(puzzle, Some("Ana".into()), Some(600), 1);
    update(&mut m, Action::NextScreen);
    assert_eq!(m.screen, Screen::Rules);
    assert!(!m.quiz.as_ref().unwrap().started);
    assert_eq!(update(&mut m, Action::Tick(30)), vec![]);
    assert_eq!(
        m.quiz.as_ref().unwrap().elapsed_secs,
        0,
        "the clock runs only after the rules"
    );
}

#[test]
fn feedback_is_deferred_until_the_end() {
    let mut m = quiz(None, 3);
    let effects = answer_single(&mut m, 0, 0, "kms");
    assert!(
        effects.contains(&Effect::SaveQuiz),
        "every answer is autosaved: {effects:?}"
    );
    assert!(!m.reveals_key());
    let notice = m.notice.clone().unwrap_or_default();
    assert!(
        !notice.contains('✓') && !notice.contains('✗'),
        "no verdict during the quiz: {notice}"
    );
    assert_eq!(
        m.tasks[0].focus,
        Focus::Question(1),
        "Enter moves to the next question"
    );
    assert!(!m.solution_unlocked(0), "solutions stay hidden");
}

#[test]
fn answers_are_recorded_on_every_change() {
    let mut m = quiz(None, 3);
    open_question(&mut m, 0, 0);
    let effects = update(&mut m, Action::Select);
    assert_eq!(effects, vec![Effect::SaveQuiz]);
    assert!(
        m.tasks[0].questions[0].checked.is_some(),
        "recorded without Enter"
    );
}

#[test]
fn hints_ask_first_cost_points_and_never_push_a_task_below_zero() {
    let mut m = quiz(None, 3);
    open_question(&mut m, 0, 0);
    assert_eq!(update(&mut m, Action::Hint), vec![]);
    assert_eq!(m.overlay, Some(Overlay::ConfirmHint));
    update(&mut m, Action::No);
    assert_eq!(m.tasks[0].hints_revealed, 0, "n reveals nothing");
    update(&mut m, Action::Hint);
    assert_eq!(update(&mut m, Action::Yes), vec![Effect::SaveQuiz]);
    assert_eq!(m.tasks[0].hints_revealed, 1);
    // One right answer (2 points) minus one hint (1 point).
    answer_single(&mut m, 0, 0, "secrets-manager");
    assert_eq!(m.report().tasks[0].points, 1.0);
    for _ in 0..2 {
        update(&mut m, Action::Hint);
        update(&mut m, Action::Yes);
    }
    assert_eq!(m.tasks[0].hints_revealed, 3);
    assert_eq!(
        m.report().tasks[0].points,
        0.0,
        "2 points − 3 hints floors at 0"
    );
    assert_eq!(m.report().tasks[0].hint_penalty, 3.0);
}

#[test]
fn a_submitted_task_locks() {
    let mut m = quiz(None, 3);
    answer_single(&mut m, 0, 0, "kms");
    kmsquest::update::go_to(&mut m, Screen::Solution(0));
    update(&mut m, Action::Check);
    assert_eq!(m.overlay, Some(Overlay::ConfirmSubmit));
    update(&mut m, Action::Yes);
    assert!(m.task_locked(0));
    assert_eq!(m.screen, Screen::Task(1), "moves on to the next open task");
    let answers = |m: &Model| -> Vec<_> {
        m.tasks[0]
            .questions
            .iter()
            .map(|q| (q.draft.clone(), q.checked.clone()))
            .collect()
    };
    let before = m.tasks[0].clone();
    let before_answers = answers(&m);
    open_question(&mut m, 0, 0);
    update(&mut m, Action::Down);
    update(&mut m, Action::Select);
    update(&mut m, Action::Check);
    update(&mut m, Action::Hint);
    assert_eq!(
        answers(&m),
        before_answers,
        "a locked task's answers cannot change"
    );
    assert_eq!(m.tasks[0].hints_revealed, before.hints_revealed);
}

#[test]
fn submitting_every_task_finishes_and_writes_results() {
    let mut m = quiz(None, 3);
    for t in 0..4 {
        kmsquest::update::go_to(&mut m, Screen::Solution(t));
        update(&mut m, Action::Check);
        let effects = update(&mut m, Action::Yes);
        if t == 3 {
            assert_eq!(effects, vec![Effect::WriteResults]);
        }
    }
    assert!(m.quiz.as_ref().unwrap().finished);
    assert_eq!(m.screen, Screen::Score);
    assert!(m.reveals_key() && m.solution_unlocked(0));
    update(&mut m, Action::Check);
    assert_eq!(m.screen, Screen::Review(0));
}

#[test]
fn two_minute_warning_then_auto_submit_at_zero() {
    let mut m = quiz(Some(600), 3);
    answer_single(&mut m, 1, 0, "secrets-manager");
    assert_eq!(update(&mut m, Action::Tick(1)), vec![]);
    assert_eq!(
        update(&mut m, Action::Tick(5)),
        vec![Effect::SaveQuiz],
        "elapsed time autosaves every 5 s"
    );
    assert_eq!(update(&mut m, Action::Tick(480)), vec![Effect::SaveQuiz]);
    assert!(m.notice.as_deref().unwrap_or("").contains("2 minutes left"));
    assert!(m.quiz.as_ref().unwrap().warned);
    assert_eq!(
        update(&mut m, Action::Tick(481)),
        vec![],
        "no save inside the same 5 s"
    );
    assert!(!m.quiz.as_ref().unwrap().finished);
    assert_eq!(
        update(&mut m, Action::Tick(600)),
        vec![Effect::WriteResults]
    );
    let q = m.quiz.as_ref().unwrap();
    assert!(q.finished && q.submitted.iter().all(|&s| s));
    assert_eq!(m.screen, Screen::Score);
    assert!(
        m.answers().contains_key("task2.storage"),
        "answers given before time-out count"
    );
    assert_eq!(
        update(&mut m, Action::Tick(700)),
        vec![],
        "the clock stops when the quiz ends"
    );
}

#[test]
fn seeded_shuffle_is_stable_and_differs_between_seeds() {
    let a = quiz(None, 12345);
    let b = quiz(None, 12345);
    let orders = |m: &Model| -> Vec<Vec<usize>> {
        m.tasks
            .iter()
            .flat_map(|t| t.questions.iter().map(|q| q.order.clone()))
            .collect()
    };
    assert_eq!(orders(&a), orders(&b));
    let c = quiz(None, 54321);
    assert_ne!(orders(&a), orders(&c));
    // Task 1's A/B options are pinned in the content: they never move.
    assert_eq!(a.tasks[0].questions[0].order, vec![0, 1]);
}

#[test]
fn quitting_a_running_quiz_autosaves_it() {
    let mut m = quiz(None, 3);
    assert_eq!(
        update(&mut m, Action::Quit),
        vec![Effect::SaveQuiz, Effect::Quit]
    );
}

#[test]
fn results_record_round_trips_through_grade() {
    let mut m = quiz(None, 3);
    answer_single(&mut m, 0, 0, "secrets-manager");
    answer_single(&mut m, 0, 2, "kms");
    update(&mut m, Action::Hint);
    update(&mut m, Action::Yes);
    for t in 0..4 {
        kmsquest::update::go_to(&mut m, Screen::Solution(t));
        update(&mut m, Action::Check);
        update(&mut m, Action::Yes);
    }
    m.quiz.as_mut().unwrap().started_at = Some("2026-12-03T10:00:00Z".into());
    let dir = tempfile::tempdir().unwrap();
    let path = kmsquest::results::write_final(dir.path(), &m).unwrap();
    let second = kmsquest::results::write_final(dir.path(), &m).unwrap();
    assert_ne!(path, second, "two results never overwrite each other");
    let text = std::fs::read_to_string(&path).unwrap();
    let rec: kmsquest::results::QuizRecord = toml::from_str(&text).unwrap();
    assert_eq!(rec.name, "Ana");
    assert_eq!(rec.seed, 3);
    assert_eq!(rec.total, m.report().total);
    let regraded = kmsquest::cli::grade_text(&m.puzzle, &text).unwrap();
    assert_eq!(
        regraded.total, rec.total,
        "grade reproduces the results file's score"
    );
    assert_eq!(rec.total, 1.0, "2 points − 1 hint in task 1");
}
