//! Keystorm: random terminal sizes and random sequences of actions (and of key presses through the
//! one keymap), applied through `update` and drawn after every step into a `TestBackend` of that
//! size, as the app loop does. Nothing may panic, cursors stay in range, the score never exceeds
//! its maximum, and the only effects are the ones the policy allows.

use kmsquest::action::{Action, Effect};
use kmsquest::content::{Puzzle, QuestionSpec};
use kmsquest::keymap::{self, BINDINGS};
use kmsquest::mode::Mode;
use kmsquest::model::{Draft, Focus, Model, Screen};
use kmsquest::ui::{self, FrameInfo, HitTarget, Theme};
use kmsquest::update::{MENU, go_to, update};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use proptest::test_runner::TestCaseError;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

fn puzzle() -> Arc<Puzzle> {
    static P: OnceLock<Arc<Puzzle>> = OnceLock::new();
    P.get_or_init(|| {
        Arc::new(kmsquest::cli::load_puzzle(None).expect("the embedded content loads"))
    })
    .clone()
}

/// How a storm's model starts: practice from the menu, or a quiz (as `kmsquest quiz` builds it).
#[derive(Debug, Clone, Copy)]
enum Start {
    Practice,
    /// The name prompt first.
    Quiz,
    /// Named on the command line: the rules first.
    QuizNamed,
    /// Named and timed, so the clock can run out.
    QuizTimed(u64),
    /// Projector mode, as the menu's Present entry starts it.
    Present,
}

fn start() -> impl Strategy<Value = Start> {
    prop_oneof![
        4 => Just(Start::Practice),
        1 => Just(Start::Quiz),
        1 => Just(Start::QuizNamed),
        1 => (1u64..600).prop_map(Start::QuizTimed),
        1 => Just(Start::Present),
    ]
}

fn new_model(start: Start, seed: u64) -> Model {
    match start {
        Start::Practice => Model::new(puzzle(), Mode::Practice.policy()),
        Start::Quiz => Model::new_quiz(puzzle(), None, None, seed),
        Start::QuizNamed => Model::new_quiz(puzzle(), Some("Ada".into()), None, seed),
        Start::QuizTimed(limit) => Model::new_quiz(puzzle(), Some("Ada".into()), Some(limit), seed),
        Start::Present => present_model(),
    }
}

/// The projector model, built as the loop builds it on `Effect::StartPresent`.
fn present_model() -> Model {
    let mut m = Model::new(puzzle(), Mode::Present.policy());
    go_to(&mut m, Screen::Scenario);
    m
}

/// One step of a storm.
#[derive(Debug, Clone)]
enum Op {
    Act(Action),
    Key(KeyEvent),
    /// A left click at a cell of the terminal, mapped through the last frame's hit map.
    ClickAt(u16, u16),
    /// The terminal changes size (then the model gets `Action::Resize`).
    Resize(u16, u16),
}

const PLAIN_ACTIONS: [Action; 33] = [
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
    Action::Yes,
    Action::No,
    Action::ScrollUp,
    Action::ScrollDown,
    Action::Resize,
    Action::Backspace,
    Action::Tick(0),
    // Projector mode.
    Action::Advance,
    Action::Retreat,
    Action::Skip,
    Action::RevealAnswer,
    Action::RevealExplanation,
    Action::RevealSolution,
    Action::Blank,
    Action::ToggleTimer,
    Action::JumpPrefix,
    Action::VoteUp,
    Action::VoteDown,
];

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        100 => prop::sample::select(PLAIN_ACTIONS.to_vec()),
        8 => (0usize..12).prop_map(|i| Action::Click(HitTarget::Row(i))),
        8 => (0usize..6, 0usize..8).prop_map(|(r, c)| Action::Click(HitTarget::Cell(r, c))),
        2 => (0usize..6).prop_map(|i| Action::Click(HitTarget::MenuEntry(i))),
        2 => any::<char>().prop_map(Action::Type),
        2 => (0u64..10_000).prop_map(Action::Tick),
        2 => (0u8..12).prop_map(Action::Digit),
        1 => Just(Action::Quit),
    ]
}

fn size() -> impl Strategy<Value = (u16, u16)> {
    (1u16..200, 1u16..60)
}

fn action_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        60 => action().prop_map(Op::Act),
        6 => (0u16..200, 0u16..60).prop_map(|(x, y)| Op::ClickAt(x, y)),
        1 => size().prop_map(|(w, h)| Op::Resize(w, h)),
    ]
}

/// Every key the keymap binds (quit keys apart: they end a storm, so they come rarely).
fn bound_keys(quit: bool) -> Vec<KeyEvent> {
    let mut keys: Vec<KeyEvent> = BINDINGS
        .iter()
        .filter(|b| (b.action == Action::Quit) == quit)
        .flat_map(|b| b.keys.iter().map(|&(c, m)| KeyEvent::new(c, m)))
        .collect();
    keys.dedup();
    keys
}

fn other_key() -> impl Strategy<Value = KeyEvent> {
    let specials = vec![
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::Backspace,
        KeyCode::Null,
        KeyCode::F(1),
        KeyCode::F(5),
        KeyCode::F(12),
        KeyCode::CapsLock,
        KeyCode::Menu,
    ];
    let mods = prop::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
        KeyModifiers::SHIFT | KeyModifiers::ALT,
    ]);
    prop_oneof![
        4 => (any::<char>(), prop::sample::select(vec![KeyModifiers::NONE, KeyModifiers::SHIFT]))
            .prop_map(|(c, m)| KeyEvent::new(KeyCode::Char(c), m)),
        1 => (prop::sample::select(specials), mods.clone()).prop_map(|(c, m)| KeyEvent::new(c, m)),
        // Bound keys with unexpected modifiers.
        1 => (prop::sample::select(bound_keys(false)), mods)
            .prop_map(|(k, m)| KeyEvent::new(k.code, m)),
    ]
}

fn key_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        80 => prop::sample::select(bound_keys(false)).prop_map(Op::Key),
        12 => other_key().prop_map(Op::Key),
        4 => (0u16..200, 0u16..60).prop_map(|(x, y)| Op::ClickAt(x, y)),
        1 => size().prop_map(|(w, h)| Op::Resize(w, h)),
        1 => prop::sample::select(bound_keys(true)).prop_map(Op::Key),
    ]
}

/// Draw one frame, as the loop does, and check it.
fn draw(
    terminal: &mut Terminal<TestBackend>,
    model: &mut Model,
    theme: &Theme,
) -> Result<FrameInfo, TestCaseError> {
    let mut info = FrameInfo::default();
    terminal
        .draw(|f| info = ui::view(model, theme, f))
        .map_err(|e| TestCaseError::fail(format!("draw failed: {e}")))?;
    model.scroll_limit = info.scroll_limit;
    let area = terminal.backend().buffer().area;
    for (r, t) in &info.hits {
        prop_assert!(
            r.intersection(area) == *r || r.area() == 0,
            "hit {t:?} at {r:?} outside the {area:?} frame"
        );
    }
    Ok(info)
}

fn rows_and_columns(spec: &QuestionSpec) -> (usize, usize) {
    match spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => (options.len(), 1),
        QuestionSpec::Matrix { rows, columns, .. } => (rows.len(), columns.len()),
        QuestionSpec::Ordering { steps, .. } => (steps.len(), 1),
    }
}

fn invariants(m: &Model) -> Result<(), TestCaseError> {
    prop_assert!(m.menu_cursor < MENU.len());
    let order = m.screen_order();
    prop_assert!(
        m.screen == Screen::Menu || order.contains(&m.screen) || m.quiz.is_some(),
        "unexpected screen {:?}",
        m.screen
    );
    prop_assert!(order.contains(&m.resume) || m.quiz.is_some());
    if let Screen::Review(i) = m.screen {
        prop_assert!(i < m.total_questions(), "review {i}");
    }
    if let Some(q) = &m.quiz {
        prop_assert_eq!(q.submitted.len(), m.tasks.len());
        if q.finished {
            prop_assert!(
                q.submitted.iter().all(|&s| s),
                "finished with unsubmitted tasks"
            );
        }
        if let Some(limit) = q.time_limit_secs {
            prop_assert!(
                q.finished || q.elapsed_secs < limit,
                "time ran out unfinished"
            );
        }
    }
    if let Some(p) = &m.present {
        let in_range =
            |&(t, q): &(usize, usize)| m.puzzle.tasks.get(t).is_some_and(|x| q < x.questions.len());
        prop_assert!(
            p.answers.iter().all(in_range),
            "revealed answers {:?}",
            p.answers
        );
        prop_assert!(p.explanations.iter().all(in_range), "{:?}", p.explanations);
        prop_assert!(
            p.solutions.iter().all(|&t| t < m.tasks.len()),
            "{:?}",
            p.solutions
        );
        for (key, votes) in &p.votes {
            let found = m.puzzle.tasks.iter().enumerate().any(|(t, task)| {
                task.questions.iter().enumerate().any(|(q, question)| {
                    kmsquest::model::PresentState::vote_key(t, q) == *key
                        && rows_and_columns(&question.spec).0 == votes.len()
                })
            });
            prop_assert!(found, "votes {key}: {votes:?}");
        }
    }
    for (task, state) in m.puzzle.tasks.iter().zip(&m.tasks) {
        if let Focus::Question(i) = state.focus {
            prop_assert!(i < task.questions.len(), "focus {i} in {}", task.id);
        }
        prop_assert!(state.hints_revealed <= task.hints.len());
        for (q, s) in task.questions.iter().zip(&state.questions) {
            let (rows, columns) = rows_and_columns(&q.spec);
            let ctx = format!("{}.{}", task.id, q.id);
            prop_assert!(s.cursor < rows, "{ctx}: cursor {} of {rows}", s.cursor);
            prop_assert!(
                s.column < columns,
                "{ctx}: column {} of {columns}",
                s.column
            );
            // Choice options have a display order that is a permutation (a quiz shuffles it).
            let order: BTreeSet<usize> = s.order.iter().copied().collect();
            match &q.spec {
                QuestionSpec::Single { .. } | QuestionSpec::Multi { .. } => {
                    prop_assert_eq!(s.order.len(), rows, "{}: display order", &ctx);
                    prop_assert_eq!(order, (0..rows).collect::<BTreeSet<_>>(), "{}", &ctx);
                }
                _ => {}
            }
            if s.holding {
                prop_assert!(matches!(s.draft, Draft::Ordering(_)), "{ctx}: holding");
            }
            match &s.draft {
                Draft::Single(c) => prop_assert!(c.is_none_or(|i| i < rows), "{ctx}"),
                Draft::Multi(set) => prop_assert!(set.iter().all(|&i| i < rows), "{ctx}"),
                Draft::Matrix(cells) => {
                    prop_assert!(cells.iter().all(|&(r, c)| r < rows && c < columns), "{ctx}")
                }
                Draft::Ordering(order) => {
                    let set: BTreeSet<usize> = order.iter().copied().collect();
                    prop_assert_eq!(
                        set,
                        (0..rows).collect::<BTreeSet<_>>(),
                        "{}: {:?} is not a permutation",
                        ctx,
                        order
                    );
                    prop_assert_eq!(order.len(), rows);
                }
            }
        }
    }
    let report = m.report();
    prop_assert!(
        report.total <= report.max + 1e-9,
        "total {} > max {}",
        report.total,
        report.max
    );
    prop_assert!(report.total >= 0.0);
    for t in &report.tasks {
        prop_assert!(
            t.points <= t.max + 1e-9,
            "{}: {} > {}",
            t.task,
            t.points,
            t.max
        );
        prop_assert!(t.points >= 0.0);
    }
    for q in &report.questions {
        prop_assert!(q.grade.points <= q.grade.max + 1e-9, "{}", q.path);
    }
    Ok(())
}

/// The effects an action may return under the model's policy. Returns whether the storm ends.
fn allowed(before: &Model, effects: &[Effect]) -> Result<bool, TestCaseError> {
    let mut ends = false;
    for e in effects {
        match e {
            Effect::SaveProgress => prop_assert!(
                before.policy.saves_progress,
                "SaveProgress under a policy that does not save"
            ),
            Effect::Quit => ends = true,
            // Exporting the lab's policies: only with the lab open on a lab question.
            Effect::ExportPolicies => prop_assert!(
                before.lab_open && kmsquest::lab_update::focused_lab(before).is_some(),
                "ExportPolicies outside the policy lab"
            ),
            // Leaving practice for a quiz: only from the menu; the loop builds a new model.
            Effect::StartQuiz => {
                prop_assert_eq!(before.screen, Screen::Menu, "StartQuiz off the menu");
                prop_assert!(
                    before.quiz.as_ref().is_none_or(|q| !q.clock_running()),
                    "StartQuiz inside a running quiz"
                );
            }
            Effect::StartPresent => {
                prop_assert_eq!(before.screen, Screen::Menu, "StartPresent off the menu");
                prop_assert!(
                    before.quiz.as_ref().is_none_or(|q| !q.clock_running()),
                    "StartPresent inside a running quiz"
                );
            }
            Effect::SaveQuiz => prop_assert!(
                before.policy.writes_results && before.quiz.is_some(),
                "SaveQuiz outside a quiz"
            ),
            Effect::WriteResults => prop_assert!(
                before
                    .quiz
                    .as_ref()
                    .is_some_and(|q| q.started && !q.finished),
                "WriteResults outside a running quiz"
            ),
        }
    }
    if effects.contains(&Effect::Quit) {
        prop_assert_eq!(effects.last(), Some(&Effect::Quit), "Quit comes last");
    }
    Ok(ends)
}

/// A submitted quiz task is locked: nothing may change its answers or hints afterwards.
fn locked_tasks_unchanged(before: &Model, after: &Model) -> Result<(), TestCaseError> {
    for t in 0..before.tasks.len() {
        if !before.task_locked(t) {
            continue;
        }
        let (b, a) = (&before.tasks[t], &after.tasks[t]);
        prop_assert_eq!(
            b.hints_revealed,
            a.hints_revealed,
            "task {} hints after submit",
            t
        );
        for (qb, qa) in b.questions.iter().zip(&a.questions) {
            prop_assert_eq!(&qb.draft, &qa.draft, "task {} draft after submit", t);
            prop_assert_eq!(&qb.checked, &qa.checked, "task {} answer after submit", t);
        }
    }
    Ok(())
}

fn storm(
    start: Start,
    seed: u64,
    (w, h): (u16, u16),
    ops: Vec<Op>,
    theme: &Theme,
) -> Result<(), TestCaseError> {
    let mut model = new_model(start, seed);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("backend");
    let mut info = draw(&mut terminal, &mut model, theme)?;
    let mut results_written = 0;
    for op in ops {
        let action = match op {
            Op::Act(a) => Some(a),
            Op::Key(k) => {
                let a = keymap::dispatch(&model, &k);
                if k.code == KeyCode::Char('c') && k.modifiers == KeyModifiers::CONTROL {
                    prop_assert_eq!(a, Some(Action::Quit), "Ctrl-C always quits");
                }
                a
            }
            Op::ClickAt(x, y) => info.hit(x, y).map(Action::Click),
            Op::Resize(w, h) => {
                terminal.backend_mut().resize(w, h);
                terminal
                    .resize(Rect::new(0, 0, w, h))
                    .map_err(|e| TestCaseError::fail(format!("resize: {e}")))?;
                Some(Action::Resize)
            }
        };
        let Some(action) = action else { continue };
        let before = model.clone();
        let effects = update(&mut model, action);
        let ends = allowed(&before, &effects)?;
        if action == Action::Resize {
            prop_assert_eq!(&model, &before, "a resize changes nothing but the frame");
        }
        if effects.contains(&Effect::WriteResults) {
            results_written += 1;
            prop_assert_eq!(results_written, 1, "results written twice");
            prop_assert!(model.quiz.as_ref().is_some_and(|q| q.finished));
        }
        locked_tasks_unchanged(&before, &model)?;
        invariants(&model)?;
        if ends {
            break;
        }
        if effects.contains(&Effect::StartQuiz) {
            // As the loop does: practice is left for a fresh quiz model.
            model = Model::new_quiz(model.puzzle.clone(), None, None, seed);
        }
        if effects.contains(&Effect::StartPresent) {
            model = present_model();
        }
        info = draw(&mut terminal, &mut model, theme)?;
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // Integration tests have no lib.rs beside them, so name the file: failures found here are
        // replayed first on every later run (commit it).
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/keystorm.txt",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn action_storm(
        start in start(),
        seed in any::<u64>(),
        size in size(),
        ops in prop::collection::vec(action_op(), 0..300),
    ) {
        storm(start, seed, size, ops, &Theme::dark())?;
    }

    #[test]
    fn key_storm(
        start in start(),
        seed in any::<u64>(),
        size in size(),
        ops in prop::collection::vec(key_op(), 0..300),
        mono in any::<bool>(),
    ) {
        let theme = if mono { Theme::monochrome() } else { Theme::light() };
        storm(start, seed, size, ops, &theme)?;
    }
}

// The storms start on the menu; this one starts deep in a task at a size that shows everything, so
// the question widgets get most of the keys.
proptest! {
    #![proptest_config(config())]

    #[test]
    fn task_storm(
        task in 0usize..4,
        size in (80u16..200, 24u16..60),
        ops in prop::collection::vec(action_op(), 0..300),
    ) {
        let mut model = Model::new(puzzle(), Mode::Practice.policy());
        let task = task % model.puzzle.tasks.len();
        // Enter Practice and page to the task, as a student would.
        update(&mut model, Action::Check);
        while model.screen != Screen::Task(task) {
            prop_assert!(update(&mut model, Action::NextScreen).is_empty());
        }
        update(&mut model, Action::NextQuestion);
        let (w, h) = size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("backend");
        let mut info = draw(&mut terminal, &mut model, &Theme::dark())?;
        for op in ops {
            let action = match op {
                Op::Act(Action::Back | Action::Quit | Action::NextScreen | Action::PrevScreen) => {
                    continue
                }
                Op::Act(a) => a,
                Op::ClickAt(x, y) => match info.hit(x, y) {
                    Some(t) => Action::Click(t),
                    None => continue,
                },
                Op::Key(_) | Op::Resize(..) => continue,
            };
            let before = model.clone();
            let effects = update(&mut model, action);
            allowed(&before, &effects)?;
            prop_assert!(!effects.contains(&Effect::StartQuiz));
            prop_assert!(!effects.contains(&Effect::StartPresent));
            invariants(&model)?;
            info = draw(&mut terminal, &mut model, &Theme::dark())?;
        }
    }
}
