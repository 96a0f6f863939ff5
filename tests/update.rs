//! `update` and the keymap, table-driven over the real embedded content: every action on every
//! question kind, asserting the state *and* the effects it returns. The model is driven only through
//! `update` (and, for scrolling, one `view` into a `TestBackend` as the loop does).

#[path = "support/screen.rs"]
mod screen;

use kmsquest::action::{Action, Effect};
use kmsquest::answer::Answer;
use kmsquest::content::{Expected, OptionGrade, QuestionSpec};
use kmsquest::grading::Verdict;
use kmsquest::keymap::{self, BINDINGS, Context};
use kmsquest::mode::Mode;
use kmsquest::model::{Draft, Focus, Model, Overlay, QuestionState, Screen};
use kmsquest::ui::{self, HitTarget, Theme};
use kmsquest::update::{MENU, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen::*;
use std::collections::BTreeSet;

const SAVE: Effect = Effect::SaveProgress;

// ---------------------------------------------------------------------------------------------
// Helpers: find content by id (the content is edited by others; indices are looked up, not assumed)
// and drive the model only through `update`.

fn fresh() -> Model {
    Model::new(puzzle(), Mode::Practice.policy())
}

fn task_ix(m: &Model, id: &str) -> usize {
    m.puzzle
        .tasks
        .iter()
        .position(|t| t.id == id)
        .unwrap_or_else(|| panic!("no task {id}"))
}

fn q_ix(m: &Model, t: usize, id: &str) -> usize {
    m.puzzle.tasks[t]
        .questions
        .iter()
        .position(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question {id} in task {t}"))
}

/// (task, question) of `task_id.question_id`.
fn locate(m: &Model, task_id: &str, question_id: &str) -> (usize, usize) {
    let t = task_ix(m, task_id);
    (t, q_ix(m, t, question_id))
}

fn option_ix(m: &Model, t: usize, qi: usize, id: &str) -> usize {
    match &m.puzzle.tasks[t].questions[qi].spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => options
            .iter()
            .position(|o| o.id == id)
            .unwrap_or_else(|| panic!("no option {id}")),
        QuestionSpec::Ordering { steps, .. } => steps
            .iter()
            .position(|s| s.id == id)
            .unwrap_or_else(|| panic!("no step {id}")),
        QuestionSpec::Matrix { .. } => panic!("matrix questions have no options"),
    }
}

fn qs(m: &Model, t: usize, qi: usize) -> &QuestionState {
    &m.tasks[t].questions[qi]
}

/// Apply one action that must have no effect.
fn act(m: &mut Model, a: Action) {
    let effects = update(m, a);
    assert_eq!(effects, vec![], "{a:?} should have no effect");
}

fn acts(m: &mut Model, actions: &[Action]) {
    for &a in actions {
        act(m, a);
    }
}

/// From anywhere (no overlay): page with n/p until `screen`; from the menu, Practice first.
fn go_screen(m: &mut Model, screen: Screen) {
    assert_eq!(m.overlay, None);
    if m.screen == Screen::Menu {
        while m.menu_cursor != 0 {
            act(m, Action::Up);
        }
        act(m, Action::Check);
    }
    let order = m.screen_order();
    let target = order
        .iter()
        .position(|s| *s == screen)
        .expect("a puzzle screen");
    for _ in 0..order.len() * 2 {
        let here = order
            .iter()
            .position(|s| *s == m.screen)
            .expect("on a puzzle screen");
        if here == target {
            return;
        }
        act(
            m,
            if here < target {
                Action::NextScreen
            } else {
                Action::PrevScreen
            },
        );
    }
    panic!("could not reach {screen:?}");
}

/// Open task `t` and Tab to question `qi`.
fn focus(m: &mut Model, t: usize, qi: usize) {
    go_screen(m, Screen::Task(t));
    for _ in 0..=m.puzzle.tasks[t].questions.len() {
        if m.tasks[t].focus == Focus::Question(qi) {
            return;
        }
        act(m, Action::NextQuestion);
    }
    panic!("could not focus question {qi}");
}

fn cursor_to(m: &mut Model, t: usize, qi: usize, row: usize) {
    for _ in 0..64 {
        let c = qs(m, t, qi).cursor;
        match c.cmp(&row) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => act(m, Action::Down),
            std::cmp::Ordering::Greater => act(m, Action::Up),
        }
    }
    panic!("cursor stuck at {}", qs(m, t, qi).cursor);
}

fn column_to(m: &mut Model, t: usize, qi: usize, col: usize) {
    for _ in 0..64 {
        let c = qs(m, t, qi).column;
        match c.cmp(&col) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => act(m, Action::Right),
            std::cmp::Ordering::Greater => act(m, Action::Left),
        }
    }
    panic!("column stuck");
}

/// Focus `task.question`, move to the option and press Space.
fn pick(m: &mut Model, task: &str, question: &str, option: &str) -> (usize, usize) {
    let (t, qi) = locate(m, task, question);
    focus(m, t, qi);
    let row = option_ix(m, t, qi, option);
    cursor_to(m, t, qi, row);
    act(m, Action::Select);
    (t, qi)
}

fn verdict(m: &Model, t: usize, qi: usize) -> Option<Verdict> {
    m.grade_of(t, qi).map(|g| g.verdict)
}

fn notice(m: &Model) -> &str {
    m.notice.as_deref().unwrap_or("")
}

/// Draw one frame at `w`×`h` and keep its scroll limit, as the app loop does.
fn draw(m: &mut Model, w: u16, h: u16) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    let mut info = ui::FrameInfo::default();
    terminal
        .draw(|f| info = ui::view(m, &Theme::dark(), f))
        .expect("draw");
    m.scroll_limit = info.scroll_limit;
}

/// One question of each kind.
const KINDS: [(&str, &str, &str); 4] = [
    ("single", "task1", "rds-master-password"),
    ("multi", "task4", "auditor-key-actions"),
    ("matrix", "task2", "access"),
    ("ordering", "task3", "rotation-steps"),
];

// ---------------------------------------------------------------------------------------------
// Menu

#[test]
fn menu_up_down_wrap() {
    let mut m = fresh();
    assert_eq!((m.screen, m.menu_cursor), (Screen::Menu, 0));
    act(&mut m, Action::Up);
    assert_eq!(
        m.menu_cursor,
        MENU.len() - 1,
        "Up from the top wraps to the bottom"
    );
    act(&mut m, Action::Down);
    assert_eq!(m.menu_cursor, 0, "Down from the bottom wraps to the top");
    for i in 1..=MENU.len() {
        act(&mut m, Action::Down);
        assert_eq!(m.menu_cursor, i % MENU.len());
    }
    assert_eq!(m.screen, Screen::Menu);
}

#[test]
fn menu_entries_table() {
    // (entry, how it is activated, screen after, notice contains, effects)
    let activations = [Action::Check, Action::Select];
    let table: [(usize, Screen, Option<&str>, Vec<Effect>); 4] = [
        (0, Screen::Scenario, None, vec![]),
        // Projector mode and the quiz are models of their own: the loop builds them on these.
        (1, Screen::Menu, None, vec![Effect::StartPresent]),
        (2, Screen::Menu, None, vec![Effect::StartQuiz]),
        (3, Screen::Menu, None, vec![SAVE, Effect::Quit]),
    ];
    for how in activations
        .into_iter()
        .chain((0..MENU.len()).map(|i| Action::Click(HitTarget::MenuEntry(i))))
    {
        for (entry, screen, note, effects) in &table {
            if let Action::Click(HitTarget::MenuEntry(i)) = how
                && i != *entry
            {
                continue;
            }
            let mut m = fresh();
            if !matches!(how, Action::Click(_)) {
                for _ in 0..*entry {
                    act(&mut m, Action::Down);
                }
            }
            let got = update(&mut m, how);
            assert_eq!(&got, effects, "entry {entry} via {how:?}");
            assert_eq!(m.screen, *screen, "entry {entry} via {how:?}");
            assert_eq!(m.menu_cursor, *entry);
            match note {
                Some(n) => assert!(notice(&m).contains(n), "notice {:?}", m.notice),
                None => assert_eq!(m.notice, None),
            }
        }
    }
}

#[test]
fn menu_ignores_out_of_range_click_and_other_actions() {
    let mut m = fresh();
    let before = m.clone();
    for a in [
        Action::Click(HitTarget::MenuEntry(MENU.len())),
        Action::Click(HitTarget::Row(0)),
        Action::Click(HitTarget::Cell(0, 0)),
        Action::Left,
        Action::Right,
        Action::Hint,
        Action::Reset,
        Action::ToggleExplanation,
        Action::NextQuestion,
        Action::PrevQuestion,
        Action::Yes,
        Action::No,
        Action::Back,
        Action::Resize,
    ] {
        act(&mut m, a);
        assert_eq!(m, before, "{a:?} on the menu changes nothing");
    }
}

#[test]
fn practice_resumes_where_the_student_left() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Task(1));
    act(&mut m, Action::Back);
    assert_eq!(m.screen, Screen::Menu);
    assert_eq!(m.resume, Screen::Task(1));
    act(&mut m, Action::Check);
    assert_eq!(
        m.screen,
        Screen::Task(1),
        "Practice resumes the last screen"
    );
    act(&mut m, Action::Back);
    act(&mut m, Action::NextScreen);
    assert_eq!(m.screen, Screen::Task(1), "n on the menu resumes too");
    act(&mut m, Action::Back);
    act(&mut m, Action::PrevScreen);
    assert_eq!(m.screen, Screen::Menu);
    assert!(notice(&m).contains("first screen"));
}

#[test]
fn quit_from_everywhere_saves_then_quits() {
    let mut m = fresh();
    assert_eq!(
        update(&mut m.clone(), Action::Quit),
        vec![SAVE, Effect::Quit]
    );
    for s in m.clone().screen_order() {
        go_screen(&mut m, s);
        assert_eq!(
            update(&mut m.clone(), Action::Quit),
            vec![SAVE, Effect::Quit]
        );
        let mut help = m.clone();
        act(&mut help, Action::Help);
        assert_eq!(update(&mut help, Action::Quit), vec![SAVE, Effect::Quit]);
    }
    go_screen(&mut m, Screen::Task(0));
    act(&mut m, Action::Reset);
    assert_eq!(m.overlay, Some(Overlay::ConfirmReset));
    assert_eq!(update(&mut m, Action::Quit), vec![SAVE, Effect::Quit]);
}

// ---------------------------------------------------------------------------------------------
// Screens

#[test]
fn next_and_prev_screen_order_and_ends() {
    let mut m = fresh();
    let n = m.puzzle.tasks.len();
    let mut expected = vec![Screen::Scenario];
    for t in 0..n {
        expected.push(Screen::Task(t));
        expected.push(Screen::Solution(t));
    }
    expected.push(Screen::Final);
    assert_eq!(m.screen_order(), expected);

    act(&mut m, Action::Check);
    assert_eq!(m.screen, Screen::Scenario);
    for w in expected.windows(2) {
        assert_eq!(m.screen, w[0]);
        act(&mut m, Action::NextScreen);
        assert_eq!(m.screen, w[1]);
        assert_eq!(m.resume, w[1]);
        assert_eq!(m.notice, None);
    }
    act(&mut m, Action::NextScreen);
    assert_eq!(m.screen, Screen::Final);
    assert!(notice(&m).contains("last screen"), "{:?}", m.notice);
    for w in expected.windows(2).rev() {
        assert_eq!(m.screen, w[1]);
        act(&mut m, Action::PrevScreen);
        assert_eq!(m.screen, w[0]);
    }
    act(&mut m, Action::PrevScreen);
    assert_eq!(m.screen, Screen::Scenario);
    assert!(notice(&m).contains("first screen"), "{:?}", m.notice);
    act(&mut m, Action::Resize);
    assert!(
        notice(&m).contains("first screen"),
        "a resize keeps the notice"
    );
    act(&mut m, Action::Up);
    assert_eq!(m.notice, None, "the next key clears the notice");
}

#[test]
fn reading_screens_ignore_question_actions() {
    let mut m = fresh();
    for s in [
        Screen::Scenario,
        Screen::Solution(0),
        Screen::Final,
        Screen::Solution(1),
    ] {
        go_screen(&mut m, s);
        let before = m.clone();
        for a in [
            Action::Select,
            Action::Check,
            Action::Left,
            Action::Right,
            Action::Hint,
            Action::Reset,
            Action::ToggleExplanation,
            Action::NextQuestion,
            Action::PrevQuestion,
            Action::Yes,
            Action::No,
            Action::Click(HitTarget::Row(0)),
            Action::Click(HitTarget::Cell(0, 0)),
            Action::Click(HitTarget::MenuEntry(3)),
        ] {
            act(&mut m, a);
            assert_eq!(m, before, "{a:?} on {s:?}");
        }
    }
}

#[test]
fn tab_and_shift_tab_cycle_focus() {
    let mut m = fresh();
    for t in 0..m.puzzle.tasks.len() {
        go_screen(&mut m, Screen::Task(t));
        let n = m.puzzle.tasks[t].questions.len();
        assert_eq!(m.tasks[t].focus, Focus::Intro);
        for qi in 0..n {
            act(&mut m, Action::NextQuestion);
            assert_eq!(m.tasks[t].focus, Focus::Question(qi));
        }
        act(&mut m, Action::NextQuestion);
        assert_eq!(
            m.tasks[t].focus,
            Focus::Intro,
            "Tab after the last wraps to the intro"
        );
        act(&mut m, Action::PrevQuestion);
        assert_eq!(m.tasks[t].focus, Focus::Question(n - 1));
        for qi in (0..n - 1).rev() {
            act(&mut m, Action::PrevQuestion);
            assert_eq!(m.tasks[t].focus, Focus::Question(qi));
        }
        act(&mut m, Action::PrevQuestion);
        assert_eq!(m.tasks[t].focus, Focus::Intro);
        // Enter (or Space) on the intro opens the first question.
        act(&mut m, Action::Check);
        assert_eq!(m.tasks[t].focus, Focus::Question(0));
        act(&mut m, Action::PrevQuestion);
        act(&mut m, Action::Select);
        assert_eq!(m.tasks[t].focus, Focus::Question(0));
    }
}

#[test]
fn focus_is_kept_per_task() {
    let mut m = fresh();
    focus(&mut m, 0, 2);
    go_screen(&mut m, Screen::Task(1));
    assert_eq!(m.tasks[1].focus, Focus::Intro);
    go_screen(&mut m, Screen::Task(0));
    assert_eq!(m.tasks[0].focus, Focus::Question(2));
}

// ---------------------------------------------------------------------------------------------
// Every action on every question kind, from a freshly focused question.

#[test]
fn every_action_on_every_kind() {
    let actions = [
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::Select,
        Action::Check,
        Action::NextQuestion,
        Action::PrevQuestion,
        Action::NextScreen,
        Action::PrevScreen,
        Action::Hint,
        Action::ToggleExplanation,
        Action::Reset,
        Action::Help,
        Action::Back,
        Action::Quit,
        Action::Yes,
        Action::No,
        Action::ScrollUp,
        Action::ScrollDown,
        Action::Click(HitTarget::Row(1)),
        Action::Click(HitTarget::Row(999)),
        Action::Click(HitTarget::Cell(1, 2)),
        Action::Click(HitTarget::MenuEntry(0)),
        Action::Resize,
    ];
    for (kind, task, question) in KINDS {
        let mut start = fresh();
        let (t, qi) = locate(&start, task, question);
        focus(&mut start, t, qi);
        let n = start.puzzle.tasks[t].questions.len();
        let blank = qs(&start, t, qi).draft.clone();
        for action in actions {
            let mut m = start.clone();
            let effects = update(&mut m, action);
            let s = qs(&m, t, qi);
            let ctx = format!("{kind}: {action:?}");
            // What stays put unless the action says otherwise.
            let mut want_effects: Vec<Effect> = vec![];
            let mut want_draft = blank.clone();
            let mut want_cursor = 0;
            let mut want_column = 0;
            let mut want_screen = Screen::Task(t);
            let mut want_focus = Focus::Question(qi);
            let mut want_overlay = None;
            let mut want_checked = false;
            let mut want_holding = false;
            let mut want_hints = 0;
            match (action, kind) {
                (Action::Down, _) => want_cursor = 1,
                (Action::Right, "matrix") => want_column = 1,
                (Action::Select, "single") => want_draft = Draft::Single(Some(0)),
                (Action::Select, "multi") => want_draft = Draft::Multi(BTreeSet::from([0])),
                (Action::Select, "matrix") => want_draft = Draft::Matrix(BTreeSet::from([(0, 0)])),
                (Action::Select, "ordering") => want_holding = true,
                (Action::Check, "single" | "multi") => {
                    assert!(notice(&m).contains("Choose an option first"), "{ctx}");
                }
                (Action::Check, "matrix" | "ordering") => {
                    // An empty matrix and the starting order are answers too.
                    want_effects = vec![SAVE];
                    want_checked = true;
                }
                (Action::NextQuestion, _) => {
                    want_focus = if qi + 1 == n {
                        Focus::Intro
                    } else {
                        Focus::Question(qi + 1)
                    }
                }
                (Action::PrevQuestion, _) => {
                    want_focus = if qi == 0 {
                        Focus::Intro
                    } else {
                        Focus::Question(qi - 1)
                    }
                }
                (Action::NextScreen, _) => want_screen = Screen::Solution(t),
                (Action::PrevScreen, _) => {
                    want_screen = if t == 0 {
                        Screen::Scenario
                    } else {
                        Screen::Solution(t - 1)
                    }
                }
                (Action::Hint, _) => {
                    want_effects = vec![SAVE];
                    want_hints = 1;
                }
                (Action::ToggleExplanation, _) => {
                    assert!(notice(&m).contains("Check the question first"), "{ctx}");
                }
                (Action::Reset, _) => want_overlay = Some(Overlay::ConfirmReset),
                (Action::Help, _) => want_overlay = Some(Overlay::Help),
                (Action::Back, _) => want_screen = Screen::Menu,
                (Action::Quit, _) => want_effects = vec![SAVE, Effect::Quit],
                (Action::Click(HitTarget::Row(1)), "single") => {
                    want_cursor = 1;
                    want_draft = Draft::Single(Some(1));
                }
                (Action::Click(HitTarget::Row(1)), "multi") => {
                    want_cursor = 1;
                    want_draft = Draft::Multi(BTreeSet::from([1]));
                }
                // A click on a step only moves the cursor.
                (Action::Click(HitTarget::Row(1)), "ordering") => want_cursor = 1,
                // The view gives matrix cells Cell targets; a Row target toggles the cell in the
                // cursor's column.
                (Action::Click(HitTarget::Row(1)), "matrix") => {
                    want_cursor = 1;
                    want_draft = Draft::Matrix(BTreeSet::from([(1, 0)]));
                }
                (Action::Click(HitTarget::Cell(1, 2)), "matrix") => {
                    want_cursor = 1;
                    want_column = 2;
                    want_draft = Draft::Matrix(BTreeSet::from([(1, 2)]));
                }
                (Action::Resize, _) => assert_eq!(m, start, "{ctx}: a resize changes nothing"),
                _ => {}
            }
            assert_eq!(effects, want_effects, "{ctx}: effects");
            assert_eq!(s.draft, want_draft, "{ctx}: draft");
            assert_eq!(s.cursor, want_cursor, "{ctx}: cursor");
            assert_eq!(s.column, want_column, "{ctx}: column");
            assert_eq!(s.holding, want_holding, "{ctx}: holding");
            assert_eq!(s.checked.is_some(), want_checked, "{ctx}: checked");
            assert!(s.explanation_open, "{ctx}: explanation opens by default");
            assert_eq!(m.screen, want_screen, "{ctx}: screen");
            assert_eq!(m.tasks[t].focus, want_focus, "{ctx}: focus");
            assert_eq!(m.overlay, want_overlay, "{ctx}: overlay");
            assert_eq!(m.tasks[t].hints_revealed, want_hints, "{ctx}: hints");
            // No other task or question is touched.
            for (ti, ts) in m.tasks.iter().enumerate() {
                for (qj, q) in ts.questions.iter().enumerate() {
                    if (ti, qj) != (t, qi) {
                        assert_eq!(q, &start.tasks[ti].questions[qj], "{ctx}: other question");
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Single choice

#[test]
fn single_select_sets_the_cursor_option() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task1", "rds-master-password-why");
    focus(&mut m, t, qi);
    assert_eq!(qs(&m, t, qi).draft, Draft::Single(None));
    for row in [2, 0, 3, 1] {
        cursor_to(&mut m, t, qi, row);
        act(&mut m, Action::Select);
        assert_eq!(qs(&m, t, qi).draft, Draft::Single(Some(row)));
        assert_eq!(qs(&m, t, qi).checked, None, "Space never checks");
    }
}

#[test]
fn single_check_right_then_wrong_then_right_again() {
    let mut m = fresh();
    let (t, qi) = pick(&mut m, "task1", "rds-master-password", "secrets-manager");
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let s = qs(&m, t, qi);
    assert_eq!(s.checked, Some(Answer::Single("secrets-manager".into())));
    assert!(s.is_settled(&m.puzzle.tasks[t].questions[qi]));
    assert_eq!(verdict(&m, t, qi), Some(Verdict::Correct));
    assert!(
        notice(&m).starts_with("✓ Correct: 2/2 points"),
        "{:?}",
        m.notice
    );
    assert_eq!(m.report().total, 2.0);

    // Retries are allowed in practice: change the answer, the check stays until re-checked.
    let kms = option_ix(&m, t, qi, "kms");
    cursor_to(&mut m, t, qi, kms);
    act(&mut m, Action::Select);
    let s = qs(&m, t, qi);
    assert_eq!(s.draft, Draft::Single(Some(kms)));
    assert_eq!(s.checked, Some(Answer::Single("secrets-manager".into())));
    assert!(!s.is_settled(&m.puzzle.tasks[t].questions[qi]));
    assert_eq!(
        verdict(&m, t, qi),
        Some(Verdict::Correct),
        "graded as last checked"
    );

    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert_eq!(qs(&m, t, qi).checked, Some(Answer::Single("kms".into())));
    assert_eq!(verdict(&m, t, qi), Some(Verdict::Wrong));
    assert!(
        notice(&m).starts_with("✗ Not right: 0/2 points"),
        "{:?}",
        m.notice
    );
    assert_eq!(m.report().total, 0.0);

    let right = option_ix(&m, t, qi, "secrets-manager");
    cursor_to(&mut m, t, qi, right);
    act(&mut m, Action::Select);
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert_eq!(verdict(&m, t, qi), Some(Verdict::Correct));
}

#[test]
fn single_partial_credit() {
    let mut m = fresh();
    let (t, qi) = pick(
        &mut m,
        "task2",
        "auth.payments-api",
        "ecs-task-execution-role",
    );
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let g = m.grade_of(t, qi).expect("checked");
    assert_eq!(g.verdict, Verdict::Partial);
    assert_eq!((g.points, g.max), (1.0, 2.0));
    assert!(
        notice(&m).starts_with("◐ Partly right: 1/2 points"),
        "{:?}",
        m.notice
    );
}

#[test]
fn check_with_nothing_chosen_is_a_notice() {
    for (task, question) in [
        ("task1", "rds-master-password"),
        ("task4", "auditor-key-actions"),
    ] {
        let mut m = fresh();
        let (t, qi) = locate(&m, task, question);
        focus(&mut m, t, qi);
        assert_eq!(update(&mut m, Action::Check), vec![]);
        assert_eq!(qs(&m, t, qi).checked, None);
        assert!(notice(&m).contains("Choose an option first"));
        assert_eq!(m.checked_count(t), 0);
    }
}

// ---------------------------------------------------------------------------------------------
// Multi-select

#[test]
fn multi_toggles_on_and_off() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task4", "auditor-key-actions");
    focus(&mut m, t, qi);
    act(&mut m, Action::Select);
    assert_eq!(qs(&m, t, qi).draft, Draft::Multi(BTreeSet::from([0])));
    act(&mut m, Action::Select);
    assert_eq!(qs(&m, t, qi).draft, Draft::Multi(BTreeSet::new()));
    acts(
        &mut m,
        &[Action::Select, Action::Down, Action::Down, Action::Select],
    );
    assert_eq!(qs(&m, t, qi).draft, Draft::Multi(BTreeSet::from([0, 2])));
    act(&mut m, Action::Click(HitTarget::Row(0)));
    assert_eq!(qs(&m, t, qi).draft, Draft::Multi(BTreeSet::from([2])));
    assert_eq!(qs(&m, t, qi).cursor, 0);
}

#[test]
fn multi_key_is_correct_and_a_forbidden_action_costs() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task4", "auditor-key-actions");
    focus(&mut m, t, qi);
    let QuestionSpec::Multi { options } = &m.puzzle.tasks[t].questions[qi].spec.clone() else {
        panic!("multi");
    };
    for (i, o) in options.iter().enumerate() {
        if o.grade == OptionGrade::Expected(Expected::Required) {
            cursor_to(&mut m, t, qi, i);
            act(&mut m, Action::Select);
        }
    }
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert_eq!(verdict(&m, t, qi), Some(Verdict::Correct));

    // Optional options do not cost.
    let describe = option_ix(&m, t, qi, "kms:DescribeKey");
    cursor_to(&mut m, t, qi, describe);
    act(&mut m, Action::Select);
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert_eq!(verdict(&m, t, qi), Some(Verdict::Correct));

    // A forbidden action cancels a required one.
    let encrypt = option_ix(&m, t, qi, "kms:Encrypt");
    cursor_to(&mut m, t, qi, encrypt);
    act(&mut m, Action::Select);
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let g = m.grade_of(t, qi).expect("checked");
    assert!(g.points < g.max);
    assert_ne!(g.verdict, Verdict::Correct);
    assert!(
        g.feedback.iter().any(|f| f.contains("Should not include")),
        "{:?}",
        g.feedback
    );
    match &qs(&m, t, qi).checked {
        Some(Answer::List(ids)) => {
            assert!(ids.contains(&"kms:Encrypt".to_string()));
            assert!(ids.contains(&"kms:Decrypt".to_string()));
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Access matrix

#[test]
fn matrix_columns_clamp_and_cells_toggle() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task2", "access");
    focus(&mut m, t, qi);
    let QuestionSpec::Matrix { rows, columns, .. } = &m.puzzle.tasks[t].questions[qi].spec.clone()
    else {
        panic!("matrix");
    };
    act(&mut m, Action::Left);
    assert_eq!(qs(&m, t, qi).column, 0, "Left clamps at the first column");
    for _ in 0..columns.len() + 3 {
        act(&mut m, Action::Right);
    }
    assert_eq!(
        qs(&m, t, qi).column,
        columns.len() - 1,
        "Right clamps at the last"
    );
    act(&mut m, Action::Select);
    assert_eq!(
        qs(&m, t, qi).draft,
        Draft::Matrix(BTreeSet::from([(0, columns.len() - 1)]))
    );
    acts(&mut m, &[Action::Down, Action::Left, Action::Select]);
    assert_eq!(
        qs(&m, t, qi).draft,
        Draft::Matrix(BTreeSet::from([
            (0, columns.len() - 1),
            (1, columns.len() - 2)
        ]))
    );
    acts(&mut m, &[Action::Up, Action::Right, Action::Select]);
    assert_eq!(
        qs(&m, t, qi).draft,
        Draft::Matrix(BTreeSet::from([(1, columns.len() - 2)]))
    );
    for _ in 0..rows.len() + 3 {
        act(&mut m, Action::Down);
    }
    assert_eq!(
        qs(&m, t, qi).cursor,
        rows.len() - 1,
        "Down clamps at the last row"
    );
    // Clicks on cells outside the matrix do nothing.
    let before = m.clone();
    act(&mut m, Action::Click(HitTarget::Cell(rows.len(), 0)));
    act(&mut m, Action::Click(HitTarget::Cell(0, columns.len())));
    act(&mut m, Action::Click(HitTarget::Row(rows.len())));
    assert_eq!(m, before);
}

#[test]
fn matrix_key_over_and_under_privilege() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task2", "access");
    focus(&mut m, t, qi);
    let QuestionSpec::Matrix {
        rows,
        columns,
        grants,
        ..
    } = m.puzzle.tasks[t].questions[qi].spec.clone()
    else {
        panic!("matrix");
    };
    for &(r, c) in &grants {
        cursor_to(&mut m, t, qi, r);
        column_to(&mut m, t, qi, c);
        act(&mut m, Action::Select);
    }
    assert_eq!(qs(&m, t, qi).draft, Draft::Matrix(grants.clone()));
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let g = m.grade_of(t, qi).expect("checked");
    assert_eq!(g.verdict, Verdict::Correct);
    assert_eq!(g.points, g.max);

    // Over-privilege: one cell too many.
    let extra = (0..rows.len())
        .flat_map(|r| (0..columns.len()).map(move |c| (r, c)))
        .find(|cell| !grants.contains(cell))
        .expect("a denied cell");
    act(&mut m, Action::Click(HitTarget::Cell(extra.0, extra.1)));
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let g = m.grade_of(t, qi).expect("checked");
    assert_eq!(g.verdict, Verdict::Partial);
    assert!(g.points < g.max);
    act(&mut m, Action::Click(HitTarget::Cell(extra.0, extra.1)));

    // Under-privilege: one needed cell missing.
    let missing = *grants.iter().next().expect("a grant");
    act(&mut m, Action::Click(HitTarget::Cell(missing.0, missing.1)));
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let g = m.grade_of(t, qi).expect("checked");
    assert_eq!(g.verdict, Verdict::Partial);
    assert!(g.points < g.max);
    assert!(
        g.feedback.iter().any(|f| f.contains("Under-privilege")),
        "{:?}",
        g.feedback
    );
}

// ---------------------------------------------------------------------------------------------
// Ordering

#[test]
fn ordering_pick_up_move_drop_check() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task3", "rotation-steps");
    focus(&mut m, t, qi);
    let QuestionSpec::Ordering { steps, order } = m.puzzle.tasks[t].questions[qi].spec.clone()
    else {
        panic!("ordering");
    };
    let start: Vec<usize> = (0..steps.len()).collect();
    assert_eq!(qs(&m, t, qi).draft, Draft::Ordering(start.clone()));

    act(&mut m, Action::Select);
    assert!(qs(&m, t, qi).holding, "Space picks the step up");
    act(&mut m, Action::Down);
    let s = qs(&m, t, qi);
    assert_eq!(s.cursor, 1, "the cursor follows the held step");
    let mut moved = start.clone();
    moved.swap(0, 1);
    assert_eq!(s.draft, Draft::Ordering(moved.clone()));
    // Moving past the end keeps the order.
    for _ in 0..steps.len() + 2 {
        act(&mut m, Action::Down);
    }
    let mut at_end = moved.clone();
    let held = at_end.remove(1);
    at_end.push(held);
    assert_eq!(qs(&m, t, qi).draft, Draft::Ordering(at_end.clone()));
    assert_eq!(qs(&m, t, qi).cursor, steps.len() - 1);
    act(&mut m, Action::Select);
    assert!(!qs(&m, t, qi).holding, "Space drops it");
    act(&mut m, Action::Up);
    assert_eq!(
        qs(&m, t, qi).draft,
        Draft::Ordering(at_end.clone()),
        "moving without holding keeps the order"
    );

    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    let ids: Vec<String> = at_end.iter().map(|&i| steps[i].id.clone()).collect();
    assert_eq!(qs(&m, t, qi).checked, Some(Answer::List(ids)));
    assert!(m.grade_of(t, qi).is_some());

    // Now put every step in the key's order by moving, and check: correct.
    for (pos, &want) in order.iter().enumerate() {
        let Draft::Ordering(cur) = qs(&m, t, qi).draft.clone() else {
            panic!()
        };
        let from = cur.iter().position(|&s| s == want).expect("a permutation");
        cursor_to(&mut m, t, qi, from);
        act(&mut m, Action::Select);
        cursor_to(&mut m, t, qi, pos);
        act(&mut m, Action::Select);
    }
    assert_eq!(qs(&m, t, qi).draft, Draft::Ordering(order.clone()));
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert_eq!(verdict(&m, t, qi), Some(Verdict::Correct));
}

#[test]
fn ordering_partly_right_and_check_drops_the_held_step() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task4", "auditor-flow");
    focus(&mut m, t, qi);
    act(&mut m, Action::Select);
    act(&mut m, Action::Down);
    assert!(qs(&m, t, qi).holding);
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert!(!qs(&m, t, qi).holding, "checking drops the held step");
    let g = m.grade_of(t, qi).expect("checked");
    assert!(g.points <= g.max);
}

#[test]
fn ordering_click_only_moves_the_cursor() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task3", "rotation-steps");
    focus(&mut m, t, qi);
    let before = qs(&m, t, qi).draft.clone();
    act(&mut m, Action::Click(HitTarget::Row(2)));
    assert_eq!(qs(&m, t, qi).cursor, 2);
    assert_eq!(qs(&m, t, qi).draft, before);
    assert!(!qs(&m, t, qi).holding);
}

// ---------------------------------------------------------------------------------------------
// Hints, reset, help, explanation

#[test]
fn hints_one_at_a_time_then_none_left() {
    let mut m = fresh();
    for t in 0..m.puzzle.tasks.len() {
        go_screen(&mut m, Screen::Task(t));
        let total = m.puzzle.tasks[t].hints.len();
        assert!(total > 0);
        for i in 1..=total {
            assert_eq!(update(&mut m, Action::Hint), vec![SAVE]);
            assert_eq!(m.tasks[t].hints_revealed, i);
            assert!(
                notice(&m).contains(&format!("({i} of {total} for this task)")),
                "{:?}",
                m.notice
            );
            // Focus does not matter for hints.
            act(&mut m, Action::NextQuestion);
        }
        assert_eq!(update(&mut m, Action::Hint), vec![]);
        assert_eq!(m.tasks[t].hints_revealed, total);
        assert!(notice(&m).contains("No hints left"), "{:?}", m.notice);
    }
    let total: usize = m.puzzle.tasks.iter().map(|t| t.hints.len()).sum();
    assert_eq!(m.hints_used(), total);
    // Practice does not charge for hints.
    assert!(m.report().tasks.iter().all(|t| t.hint_penalty == 0.0));
}

#[test]
fn reset_asks_then_no_keeps_and_yes_clears() {
    let mut m = fresh();
    let (t, qi) = pick(&mut m, "task1", "rds-master-password", "secrets-manager");
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert_eq!(update(&mut m, Action::Hint), vec![SAVE]);
    // Another task's state must survive a reset of this one.
    let (t2, q2) = pick(&mut m, "task2", "storage", "secrets-manager");
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    focus(&mut m, t, qi);

    act(&mut m, Action::Reset);
    assert_eq!(m.overlay, Some(Overlay::ConfirmReset));
    // While asking, other actions do nothing.
    let asking = m.clone();
    for a in [
        Action::Down,
        Action::Select,
        Action::Check,
        Action::Hint,
        Action::NextScreen,
        Action::Help,
        Action::Reset,
        Action::Click(HitTarget::Row(1)),
    ] {
        act(&mut m, a);
        assert_eq!(m, asking, "{a:?} while the confirmation is open");
    }
    let before = m.clone();
    act(&mut m, Action::No);
    assert_eq!(m.overlay, None);
    assert_eq!(m.tasks, before.tasks, "No keeps everything");
    assert!(notice(&m).contains("Nothing was reset"));

    act(&mut m, Action::Reset);
    act(&mut m, Action::Back);
    assert_eq!(m.overlay, None, "Esc cancels too");
    assert_eq!(m.tasks, before.tasks);

    act(&mut m, Action::Reset);
    assert_eq!(update(&mut m, Action::Yes), vec![SAVE]);
    assert_eq!(m.overlay, None);
    assert_eq!(m.tasks[t].hints_revealed, 0);
    assert_eq!(m.tasks[t].focus, Focus::Intro);
    assert_eq!(m.checked_count(t), 0);
    for (q, state) in m.puzzle.tasks[t]
        .questions
        .iter()
        .zip(&m.tasks[t].questions)
    {
        assert_eq!(state, &QuestionState::new(q), "{} is blank again", q.id);
    }
    assert_eq!(qs(&m, t, qi).draft, Draft::Single(None));
    assert!(notice(&m).contains("was reset"));
    assert_eq!(
        qs(&m, t2, q2).checked,
        Some(Answer::Single("secrets-manager".into()))
    );
}

#[test]
fn help_opens_and_any_key_closes_it() {
    for key in [
        Action::Back,
        Action::Help,
        Action::Select,
        Action::Check,
        Action::Hint,
        Action::NextScreen,
        Action::Left,
        Action::Yes,
        Action::No,
        Action::Reset,
        Action::Click(HitTarget::Row(1)),
    ] {
        let mut m = fresh();
        let (t, qi) = locate(&m, "task1", "rds-master-password");
        focus(&mut m, t, qi);
        let before = m.clone();
        act(&mut m, Action::Help);
        assert_eq!(m.overlay, Some(Overlay::Help));
        act(&mut m, key);
        assert_eq!(m.overlay, None, "{key:?} closes the help");
        assert_eq!(m.tasks, before.tasks, "{key:?} only closes the help");
        assert_eq!(m.screen, before.screen);
    }
    // Arrows scroll the help (clamped to the limit the frame measured); a resize keeps it open.
    let mut m = fresh();
    act(&mut m, Action::Help);
    draw(&mut m, 80, 24);
    let limit = m.scroll_limit;
    assert!(limit > 0, "the help is taller than 80×24");
    for _ in 0..limit + 5 {
        act(&mut m, Action::Down);
    }
    assert_eq!(m.scroll, limit);
    act(&mut m, Action::ScrollUp);
    assert_eq!(m.scroll, limit - 1);
    act(&mut m, Action::Resize);
    assert_eq!(m.overlay, Some(Overlay::Help));
    act(&mut m, Action::Back);
    assert_eq!((m.overlay, m.scroll), (None, 0));
}

#[test]
fn explanation_toggles_only_after_check() {
    let mut m = fresh();
    let (t, qi) = pick(&mut m, "task1", "oauth-client-secret", "kms");
    act(&mut m, Action::ToggleExplanation);
    assert!(notice(&m).contains("Check the question first"));
    assert!(qs(&m, t, qi).explanation_open);
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert!(
        qs(&m, t, qi).explanation_open,
        "checking opens the explanation"
    );
    act(&mut m, Action::ToggleExplanation);
    assert!(!qs(&m, t, qi).explanation_open);
    act(&mut m, Action::ToggleExplanation);
    assert!(qs(&m, t, qi).explanation_open);
    act(&mut m, Action::ToggleExplanation);
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    assert!(qs(&m, t, qi).explanation_open, "a re-check opens it again");
}

#[test]
fn click_row_selects_that_option() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task1", "rds-master-password-why");
    focus(&mut m, t, qi);
    let n = match &m.puzzle.tasks[t].questions[qi].spec {
        QuestionSpec::Single { options } => options.len(),
        _ => panic!("single"),
    };
    for i in (0..n).rev() {
        act(&mut m, Action::Click(HitTarget::Row(i)));
        assert_eq!(qs(&m, t, qi).draft, Draft::Single(Some(i)));
        assert_eq!(qs(&m, t, qi).cursor, i);
    }
    let before = m.clone();
    act(&mut m, Action::Click(HitTarget::Row(n)));
    assert_eq!(m, before, "a click past the last option does nothing");
    // A click on the intro does nothing.
    act(&mut m, Action::PrevQuestion);
    act(&mut m, Action::PrevQuestion);
    let s = m.tasks[t].clone();
    act(&mut m, Action::Click(HitTarget::Row(0)));
    assert_eq!(m.tasks[t], s);
}

// ---------------------------------------------------------------------------------------------
// Scrolling

#[test]
fn scroll_clamps_to_the_measured_limit() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Scenario);
    draw(&mut m, 80, 24);
    let limit = m.scroll_limit;
    assert!(limit > 0, "the scenario is taller than 80×24");
    for _ in 0..limit + 10 {
        act(&mut m, Action::ScrollDown);
    }
    assert_eq!(m.scroll, limit);
    // On reading screens the arrow keys dispatch to ScrollUp/ScrollDown; the Up/Down actions
    // (question and menu movement) do nothing there.
    act(&mut m, Action::Up);
    assert_eq!(m.scroll, limit);
    for _ in 0..limit + 10 {
        act(&mut m, Action::ScrollUp);
    }
    assert_eq!(m.scroll, 0);
    act(&mut m, Action::ScrollUp);
    assert_eq!(m.scroll, 0);
    // Changing screen resets the scroll and the limit.
    act(&mut m, Action::ScrollDown);
    act(&mut m, Action::NextScreen);
    assert_eq!((m.scroll, m.scroll_limit), (0, 0));
    act(&mut m, Action::ScrollDown);
    assert_eq!(m.scroll, 0, "no limit measured yet: no scroll");
}

#[test]
fn arrows_at_the_end_of_a_list_scroll_the_question() {
    let mut m = fresh();
    let (t, qi) = pick(&mut m, "task1", "rds-master-password", "kms");
    assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
    draw(&mut m, 80, 24);
    let limit = m.scroll_limit;
    assert!(limit > 0, "feedback and explanation overflow 80×24");
    let last = match &m.puzzle.tasks[t].questions[qi].spec {
        QuestionSpec::Single { options } => options.len() - 1,
        _ => panic!(),
    };
    cursor_to(&mut m, t, qi, last);
    for _ in 0..limit + 5 {
        act(&mut m, Action::Down);
    }
    assert_eq!(m.scroll, limit);
    assert_eq!(qs(&m, t, qi).cursor, last);
    cursor_to(&mut m, t, qi, 0);
    act(&mut m, Action::Up);
    assert_eq!(m.scroll, limit - 1, "Up on the first option scrolls back");
    act(&mut m, Action::NextQuestion);
    assert_eq!(m.scroll, 0, "a new question starts at the top");
}

// ---------------------------------------------------------------------------------------------
// Solutions and score

#[test]
fn solution_unlocks_only_when_every_question_is_checked() {
    let mut m = fresh();
    for t in 0..m.puzzle.tasks.len() {
        let n = m.puzzle.tasks[t].questions.len();
        for qi in 0..n {
            assert!(!m.solution_unlocked(t), "task {t} after {qi} of {n}");
            focus(&mut m, t, qi);
            // Select whatever is under the cursor (ordering/matrix are answers as they are).
            if matches!(qs(&m, t, qi).draft, Draft::Single(_) | Draft::Multi(_)) {
                act(&mut m, Action::Select);
            }
            assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
            assert_eq!(m.checked_count(t), qi + 1);
        }
        assert!(m.solution_unlocked(t));
        if t + 1 < m.puzzle.tasks.len() {
            assert!(!m.solution_unlocked(t + 1));
        }
    }
    assert_eq!(m.progress_percent(), 100);
    let r = m.report();
    assert!(r.total <= r.max);
    // Resetting a task locks its solution again.
    go_screen(&mut m, Screen::Task(0));
    act(&mut m, Action::Reset);
    assert_eq!(update(&mut m, Action::Yes), vec![SAVE]);
    assert!(!m.solution_unlocked(0));
    assert!(m.solution_unlocked(1));
}

#[test]
fn full_key_scores_the_maximum() {
    let mut m = fresh();
    let p = m.puzzle.clone();
    for (t, task) in p.tasks.iter().enumerate() {
        for (qi, q) in task.questions.iter().enumerate() {
            focus(&mut m, t, qi);
            match &q.spec {
                QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
                    for (i, o) in options.iter().enumerate() {
                        if o.is_key() {
                            cursor_to(&mut m, t, qi, i);
                            act(&mut m, Action::Select);
                            if matches!(q.spec, QuestionSpec::Single { .. }) {
                                break;
                            }
                        }
                    }
                }
                QuestionSpec::Matrix { grants, .. } => {
                    for &(r, c) in grants {
                        act(&mut m, Action::Click(HitTarget::Cell(r, c)));
                    }
                }
                QuestionSpec::Ordering { order, .. } => {
                    for (pos, &want) in order.iter().enumerate() {
                        let Draft::Ordering(cur) = qs(&m, t, qi).draft.clone() else {
                            panic!()
                        };
                        let from = cur.iter().position(|&s| s == want).expect("permutation");
                        cursor_to(&mut m, t, qi, from);
                        act(&mut m, Action::Select);
                        cursor_to(&mut m, t, qi, pos);
                        act(&mut m, Action::Select);
                    }
                }
            }
            assert_eq!(update(&mut m, Action::Check), vec![SAVE]);
            assert_eq!(verdict(&m, t, qi), Some(Verdict::Correct), "{}", q.id);
        }
    }
    let r = m.report();
    assert_eq!(r.total, r.max);
    assert_eq!(r.max, f64::from(p.max_points()));
}

// ---------------------------------------------------------------------------------------------
// Keymap

fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c), KeyModifiers::NONE)
}

/// A model where `ctx` is the most specific active context.
fn home_of(ctx: Context) -> Model {
    let mut m = fresh();
    match ctx {
        Context::Menu => {}
        Context::Any | Context::Reading => go_screen(&mut m, Screen::Scenario),
        Context::Task => focus(&mut m, 0, 0),
        Context::Confirm => {
            focus(&mut m, 0, 0);
            act(&mut m, Action::Reset);
        }
        Context::Help => act(&mut m, Action::Help),
        Context::TextInput => m = Model::new_quiz(puzzle(), None, None, 1),
        Context::Rules => m = Model::new_quiz(puzzle(), Some("Ada".into()), None, 1),
        Context::Submit => {
            m = Model::new_quiz(puzzle(), Some("Ada".into()), None, 1);
            assert_eq!(m.screen, Screen::Rules);
            update(&mut m, Action::Check);
            while m.screen != Screen::Solution(0) {
                update(&mut m, Action::NextScreen);
            }
        }
        Context::Score => {
            // A timed quiz whose clock runs out ends on the score.
            m = Model::new_quiz(puzzle(), Some("Ada".into()), Some(60), 1);
            update(&mut m, Action::Check);
            update(&mut m, Action::Tick(60));
            assert_eq!(m.screen, Screen::Score);
        }
        // Projector mode, built as the loop builds it on `Effect::StartPresent`.
        Context::Present => m = present_model(),
        Context::Blanked => {
            m = present_model();
            update(&mut m, Action::Blank);
        }
    }
    m
}

fn present_model() -> Model {
    let mut m = Model::new(puzzle(), Mode::Present.policy());
    kmsquest::update::go_to(&mut m, Screen::Scenario);
    m
}

#[test]
fn dispatch_quit_keys() {
    for ctx in [
        Context::Menu,
        Context::Any,
        Context::Task,
        Context::Confirm,
        Context::Help,
    ] {
        let m = home_of(ctx);
        assert_eq!(
            keymap::dispatch(&m, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit),
            "Ctrl-C in {ctx:?}"
        );
    }
    for ctx in [Context::Menu, Context::Any, Context::Task] {
        assert_eq!(
            keymap::dispatch(&home_of(ctx), &ch('q')),
            Some(Action::Quit)
        );
    }
    // In the help any key closes it, q included (it does not quit).
    assert_eq!(
        keymap::dispatch(&home_of(Context::Help), &ch('q')),
        Some(Action::Back)
    );
}

#[test]
fn dispatch_context_specific_keys() {
    let confirm = home_of(Context::Confirm);
    assert_eq!(keymap::dispatch(&confirm, &ch('n')), Some(Action::No));
    assert_eq!(keymap::dispatch(&confirm, &ch('y')), Some(Action::Yes));
    assert_eq!(
        keymap::dispatch(&confirm, &key(KeyCode::Esc, KeyModifiers::NONE)),
        Some(Action::No)
    );
    assert_eq!(keymap::dispatch(&confirm, &ch('j')), None);
    let task = home_of(Context::Task);
    assert_eq!(keymap::dispatch(&task, &ch('n')), Some(Action::NextScreen));
    assert_eq!(keymap::dispatch(&task, &ch('?')), Some(Action::Help));
    assert_eq!(
        keymap::dispatch(&task, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
        Some(Action::Help)
    );
    assert_eq!(keymap::dispatch(&task, &ch('j')), Some(Action::Down));
    assert_eq!(keymap::dispatch(&task, &ch(' ')), Some(Action::Select));
    assert_eq!(
        keymap::dispatch(&task, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(Action::PrevQuestion)
    );
    assert_eq!(keymap::dispatch(&task, &ch('z')), None);
    let reading = home_of(Context::Reading);
    assert_eq!(
        keymap::dispatch(&reading, &ch('j')),
        Some(Action::ScrollDown)
    );
    assert_eq!(keymap::dispatch(&reading, &ch(' ')), None);
    let menu = home_of(Context::Menu);
    assert_eq!(
        keymap::dispatch(&menu, &key(KeyCode::Enter, KeyModifiers::NONE)),
        Some(Action::Check)
    );
    assert_eq!(keymap::dispatch(&menu, &ch('?')), Some(Action::Help));
    let help = home_of(Context::Help);
    assert_eq!(keymap::dispatch(&help, &ch('?')), Some(Action::Back));
    assert_eq!(keymap::dispatch(&help, &ch('z')), Some(Action::Back));
    assert_eq!(keymap::dispatch(&help, &ch('j')), Some(Action::ScrollDown));
}

#[test]
fn every_binding_is_reachable() {
    for b in BINDINGS {
        let m = home_of(b.context);
        assert!(!b.keys.is_empty(), "{} has keys", b.keys_label);
        for &(code, mods) in b.keys {
            assert_eq!(
                keymap::dispatch(&m, &key(code, mods)),
                Some(b.action),
                "{} ({code:?} {mods:?}) in {:?} should give {:?}",
                b.keys_label,
                b.context,
                b.action
            );
        }
        // And update handles it there without an effect the policy forbids.
        let effects = update(&mut m.clone(), b.action);
        assert!(
            m.policy.saves_progress || !effects.contains(&SAVE),
            "{effects:?}"
        );
    }
    // Every binding outside the help is listed in the help overlay of its mode.
    for b in BINDINGS
        .iter()
        .filter(|b| !matches!(b.context, Context::Help | Context::Blanked))
    {
        let rows = keymap::help_rows(&home_of(b.context));
        assert!(
            rows.iter()
                .any(|(_, k, h)| *k == b.keys_label && *h == b.help),
            "{} missing from the help",
            b.keys_label
        );
    }
}

#[test]
fn key_bar_is_never_empty() {
    let mut m = fresh();
    let mut screens = vec![Screen::Menu];
    screens.extend(m.screen_order());
    for s in screens {
        if s != Screen::Menu {
            go_screen(&mut m, s);
        }
        let bar = keymap::bar(&m);
        assert!(!bar.is_empty(), "{s:?}");
        assert!(bar.iter().any(|(_, l)| *l == "quit"), "{s:?}: {bar:?}");
        let mut help = m.clone();
        act(&mut help, Action::Help);
        assert!(!keymap::bar(&help).is_empty(), "{s:?} with help");
        if let Screen::Task(_) = s {
            let mut confirm = m.clone();
            act(&mut confirm, Action::Reset);
            let bar = keymap::bar(&confirm);
            assert!(bar.iter().any(|(_, l)| *l == "yes"), "{bar:?}");
            assert!(bar.iter().any(|(_, l)| *l == "no"), "{bar:?}");
        }
        // Every key shown in the bar dispatches to something here.
        for (keys, _) in keymap::bar(&m) {
            assert!(BINDINGS.iter().any(|b| b.keys_label == keys));
        }
    }
}
