//! Every practice screen and widget state drawn headless into a `TestBackend` (gitui's start test):
//! the model is driven through `update` with the actions a student would send, then snapshotted at
//! 80×24 and 120×40. Insta ignores colour, so the styles that carry meaning are asserted on the
//! buffer: marks use the theme's correct/wrong colours, the cursor its background, and the
//! monochrome theme (NO_COLOR) uses no colour at all.

#[path = "support/screen.rs"]
mod screen;

use kmsquest::action::{Action, Effect};
use kmsquest::content::{Expected, OptionGrade, QuestionSpec};
use kmsquest::mode::Mode;
use kmsquest::model::{Draft, Focus, Model, Screen};
use kmsquest::ui::{FrameInfo, HitTarget, Theme};
use kmsquest::update::update;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use screen::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

// ---------------------------------------------------------------------------------------------
// Driving the model

fn fresh() -> Model {
    Model::new(puzzle(), Mode::Practice.policy())
}

/// Apply an action that may only save.
fn act(m: &mut Model, a: Action) {
    let effects = update(m, a);
    assert!(
        effects.iter().all(|e| *e == Effect::SaveProgress),
        "{a:?} gave {effects:?}"
    );
}

fn locate(m: &Model, task: &str, question: &str) -> (usize, usize) {
    let t = m
        .puzzle
        .tasks
        .iter()
        .position(|x| x.id == task)
        .unwrap_or_else(|| panic!("no task {task}"));
    let qi = m.puzzle.tasks[t]
        .questions
        .iter()
        .position(|q| q.id == question)
        .unwrap_or_else(|| panic!("no question {question}"));
    (t, qi)
}

fn option_ix(m: &Model, t: usize, qi: usize, id: &str) -> usize {
    match &m.puzzle.tasks[t].questions[qi].spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
            options.iter().position(|o| o.id == id).expect("option")
        }
        _ => panic!("not a choice question"),
    }
}

fn go_screen(m: &mut Model, screen: Screen) {
    if m.screen == Screen::Menu {
        while m.menu_cursor != 0 {
            act(m, Action::Up);
        }
        act(m, Action::Check);
    }
    let order = m.screen_order();
    let target = order.iter().position(|s| *s == screen).expect("screen");
    for _ in 0..order.len() * 2 {
        let here = order.iter().position(|s| *s == m.screen).expect("here");
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

fn focus(m: &mut Model, t: usize, qi: usize) {
    go_screen(m, Screen::Task(t));
    for _ in 0..=m.puzzle.tasks[t].questions.len() {
        if m.tasks[t].focus == Focus::Question(qi) {
            return;
        }
        act(m, Action::NextQuestion);
    }
    panic!("no question {qi}");
}

fn cursor_to(m: &mut Model, t: usize, qi: usize, row: usize) {
    for _ in 0..64 {
        let c = m.tasks[t].questions[qi].cursor;
        if c == row {
            return;
        }
        act(m, if c < row { Action::Down } else { Action::Up });
    }
    panic!("cursor stuck");
}

/// Focus a choice question and Space the options with these ids.
fn choose(m: &mut Model, task: &str, question: &str, ids: &[&str]) -> (usize, usize) {
    let (t, qi) = locate(m, task, question);
    focus(m, t, qi);
    for id in ids {
        let row = option_ix(m, t, qi, id);
        cursor_to(m, t, qi, row);
        act(m, Action::Select);
    }
    (t, qi)
}

fn check(m: &mut Model) {
    assert_eq!(update(m, Action::Check), vec![Effect::SaveProgress]);
}

/// Put the ordering draft into `order` by picking up and moving steps.
fn arrange(m: &mut Model, t: usize, qi: usize, order: &[usize]) {
    for (pos, &want) in order.iter().enumerate() {
        let Draft::Ordering(cur) = m.tasks[t].questions[qi].draft.clone() else {
            panic!("ordering")
        };
        let from = cur.iter().position(|&s| s == want).expect("permutation");
        cursor_to(m, t, qi, from);
        act(m, Action::Select);
        cursor_to(m, t, qi, pos);
        act(m, Action::Select);
    }
}

/// Check every question of task `t` with whatever the cursor is on.
fn check_whole_task(m: &mut Model, t: usize) {
    for qi in 0..m.puzzle.tasks[t].questions.len() {
        focus(m, t, qi);
        if matches!(
            m.tasks[t].questions[qi].draft,
            Draft::Single(_) | Draft::Multi(_)
        ) {
            act(m, Action::Select);
        }
        check(m);
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// Snapshot `m` at both sizes as `<name>_<w>x<h>`.
fn snap(name: &str, m: &Model) {
    for (w, h) in SIZES {
        let mut m = m.clone();
        let (terminal, _) = render(&mut m, w, h, &Theme::dark());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

/// Every cell of every occurrence of `text` has foreground `fg`, except where the cursor is drawn
/// (the cursor's own style shows focus there); returns how many occurrences had `fg`.
fn assert_fg(buf: &Buffer, text: &str, fg: Color) -> usize {
    let cursor_bg = Theme::dark().cursor.bg;
    let mut found = 0;
    for (x, y) in find(buf, text) {
        let cells: Vec<_> = (0..text.chars().count() as u16)
            .map(|i| &buf[(x + i, y)])
            .collect();
        if cells.iter().all(|c| Some(c.bg) == cursor_bg) {
            continue;
        }
        for (i, c) in cells.iter().enumerate() {
            assert_eq!(
                c.fg,
                fg,
                "{text:?} at ({x},{y}) cell {i}\n{}",
                screen_text(buf)
            );
        }
        found += 1;
    }
    found
}

// ---------------------------------------------------------------------------------------------
// The model states, as a student reaches them

fn single_checked(option: &str) -> Model {
    let mut m = fresh();
    choose(&mut m, "task1", "rds-master-password", &[option]);
    check(&mut m);
    m
}

fn matrix_with(over: bool, under: bool) -> Model {
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
        panic!("matrix")
    };
    let mut cells = grants.clone();
    if over {
        let extra = (0..rows.len())
            .flat_map(|r| (0..columns.len()).map(move |c| (r, c)))
            .find(|c| !grants.contains(c))
            .expect("a denied cell");
        cells.insert(extra);
    }
    if under {
        let first = *grants.iter().next().expect("a grant");
        cells.remove(&first);
    }
    for (r, c) in cells {
        act(&mut m, Action::Click(HitTarget::Cell(r, c)));
    }
    check(&mut m);
    m
}

fn ordering() -> (Model, usize, usize) {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task3", "rotation-steps");
    focus(&mut m, t, qi);
    (m, t, qi)
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn menu() {
    let m = fresh();
    snap("menu_fresh", &m);
    let mut m = fresh();
    choose(&mut m, "task1", "rds-master-password", &["secrets-manager"]);
    check(&mut m);
    choose(
        &mut m,
        "task1",
        "rds-master-password-why",
        &["kms-stores-value"],
    );
    check(&mut m);
    act(&mut m, Action::Back);
    act(&mut m, Action::Down);
    assert_eq!(m.screen, Screen::Menu);
    snap("menu_resume", &m);
    // Up from the top wraps to Quit.
    let mut last = fresh();
    act(&mut last, Action::Up);
    snap("menu_cursor_on_quit", &last);
}

#[test]
fn scenario() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Scenario);
    snap("scenario", &m);
    // Scrolled to the end (the limit is measured by a frame, as in the loop).
    for (w, h) in SIZES {
        let mut s = m.clone();
        render(&mut s, w, h, &Theme::dark());
        for _ in 0..s.scroll_limit {
            act(&mut s, Action::ScrollDown);
        }
        let (terminal, _) = render(&mut s, w, h, &Theme::dark());
        insta::assert_snapshot!(format!("scenario_end_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn task_intro() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Task(0));
    snap("task1_intro", &m);
    go_screen(&mut m, Screen::Task(1));
    snap("task2_intro", &m);
}

#[test]
fn single_choice() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task1", "rds-master-password");
    focus(&mut m, t, qi);
    snap("single_unanswered", &m);
    act(&mut m, Action::Down);
    act(&mut m, Action::Select);
    snap("single_selected", &m);
    snap("single_right", &single_checked("secrets-manager"));
    snap("single_wrong", &single_checked("kms"));

    let mut p = fresh();
    choose(
        &mut p,
        "task2",
        "auth.payments-api",
        &["ecs-task-execution-role"],
    );
    check(&mut p);
    snap("single_partial", &p);

    // Explanation hidden with e.
    let mut e = single_checked("secrets-manager");
    act(&mut e, Action::ToggleExplanation);
    snap("single_explanation_hidden", &e);

    // Changed after check.
    let mut c = single_checked("secrets-manager");
    act(&mut c, Action::Up);
    act(&mut c, Action::Select);
    snap("single_changed_after_check", &c);
    let buf = buffer_at(&c, 120, 40, &Theme::dark());
    assert!(
        screen_text(&buf).contains("Answer changed since it was checked"),
        "{}",
        screen_text(&buf)
    );
}

#[test]
fn multi_select() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task4", "auditor-key-actions");
    focus(&mut m, t, qi);
    snap("multi_unanswered", &m);
    let mut f = fresh();
    choose(
        &mut f,
        "task4",
        "auditor-key-actions",
        &["kms:Decrypt", "kms:Encrypt"],
    );
    snap("multi_selected", &f);
    check(&mut f);
    snap("multi_forbidden", &f);
    let QuestionSpec::Multi { options } = &m.puzzle.tasks[t].questions[qi].spec else {
        panic!()
    };
    let required: Vec<&str> = options
        .iter()
        .filter(|o| o.grade == OptionGrade::Expected(Expected::Required))
        .map(|o| o.id.as_str())
        .collect();
    let mut k = fresh();
    choose(&mut k, "task4", "auditor-key-actions", &required);
    check(&mut k);
    snap("multi_right", &k);
}

#[test]
fn access_matrix() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task2", "access");
    focus(&mut m, t, qi);
    snap("matrix_unanswered", &m);
    act(&mut m, Action::Right);
    act(&mut m, Action::Select);
    act(&mut m, Action::Down);
    act(&mut m, Action::Right);
    snap("matrix_cursor_moved", &m);
    snap("matrix_right", &matrix_with(false, false));
    snap("matrix_over_privileged", &matrix_with(true, false));
    snap("matrix_under_privileged", &matrix_with(false, true));
}

#[test]
fn ordering_states() {
    let (m, t, qi) = ordering();
    snap("ordering_unanswered", &m);
    let mut h = m.clone();
    act(&mut h, Action::Select);
    act(&mut h, Action::Down);
    assert!(h.tasks[t].questions[qi].holding);
    snap("ordering_holding", &h);
    let mut p = h.clone();
    check(&mut p);
    snap("ordering_checked_partly", &p);
    let QuestionSpec::Ordering { order, .. } = m.puzzle.tasks[t].questions[qi].spec.clone() else {
        panic!()
    };
    let mut r = m.clone();
    arrange(&mut r, t, qi, &order);
    check(&mut r);
    snap("ordering_right", &r);
}

#[test]
fn hints() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Task(0));
    act(&mut m, Action::Hint);
    snap("hints_1", &m);
    let total = m.puzzle.tasks[0].hints.len();
    for _ in 1..total {
        act(&mut m, Action::Hint);
    }
    assert_eq!(m.tasks[0].hints_revealed, total);
    snap("hints_all", &m);
    act(&mut m, Action::Hint);
    assert!(m.notice.as_deref().unwrap_or("").contains("No hints left"));
    snap("hints_none_left", &m);
    // Hints beside (or below) a question.
    act(&mut m, Action::NextQuestion);
    snap("hints_all_with_question", &m);
}

#[test]
fn overlays() {
    let mut m = fresh();
    let (t, qi) = locate(&m, "task1", "rds-master-password");
    focus(&mut m, t, qi);
    let mut help = m.clone();
    act(&mut help, Action::Help);
    snap("help_overlay", &help);
    let mut menu_help = fresh();
    act(&mut menu_help, Action::Help);
    snap("help_overlay_menu", &menu_help);
    let mut reset = m.clone();
    act(&mut reset, Action::Reset);
    snap("reset_confirm", &reset);
}

#[test]
fn solution_locked_and_unlocked() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Solution(0));
    snap("solution_locked", &m);
    let mut u = fresh();
    check_whole_task(&mut u, 0);
    assert!(u.solution_unlocked(0));
    go_screen(&mut u, Screen::Solution(0));
    snap("solution_unlocked", &u);
}

#[test]
fn final_screen() {
    let mut m = fresh();
    go_screen(&mut m, Screen::Final);
    snap("final_fresh", &m);
    let mut s = fresh();
    check_whole_task(&mut s, 0);
    choose(
        &mut s,
        "task2",
        "auth.payments-api",
        &["ecs-task-execution-role"],
    );
    check(&mut s);
    let (t, qi) = locate(&s, "task3", "rotation-steps");
    focus(&mut s, t, qi);
    check(&mut s);
    act(&mut s, Action::Hint);
    go_screen(&mut s, Screen::Final);
    let r = s.report();
    assert!(r.total > 0.0 && r.total < r.max);
    snap("final_some_score", &s);
}

#[test]
fn too_small() {
    for (w, h) in [(40, 10), (79, 24), (80, 23), (1, 1)] {
        for m in [fresh(), single_checked("kms")] {
            let mut m = m;
            let (terminal, info) = render(&mut m, w, h, &Theme::dark());
            assert_eq!(
                info,
                FrameInfo::default(),
                "no clicks or scroll when too small"
            );
            if (w, h) == (40, 10) && m.screen == Screen::Menu {
                let text = screen_text(terminal.backend().buffer());
                assert!(text.contains("too small"), "{text}");
                insta::assert_snapshot!("too_small_40x10", terminal.backend());
            }
            if (w, h) == (1, 1) && m.screen == Screen::Menu {
                insta::assert_snapshot!("too_small_1x1", terminal.backend());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Styles that carry meaning

#[test]
fn correct_and_wrong_marks_use_their_colours() {
    let dark = Theme::dark();
    for (w, h) in SIZES {
        let right = buffer_at(&single_checked("secrets-manager"), w, h, &dark);
        let n = assert_fg(&right, "✓ correct", dark.correct.fg.expect("a colour"));
        assert!(
            n >= 1,
            "✓ correct drawn at {w}×{h}\n{}",
            screen_text(&right)
        );
        let wrong = buffer_at(&single_checked("kms"), w, h, &dark);
        let n = assert_fg(&wrong, "✗ wrong", dark.wrong.fg.expect("a colour"));
        assert!(n >= 1, "✗ wrong drawn at {w}×{h}\n{}", screen_text(&wrong));
        // The right answer is still marked correct next to the wrong choice.
        assert!(assert_fg(&wrong, "✓ correct", dark.correct.fg.expect("a colour")) >= 1);
    }
    // The verdict line under the options is one of them: at 120×40 it is in view.
    let right = buffer_at(&single_checked("secrets-manager"), 120, 40, &dark);
    let (x, y) = find(&right, "✓ correct  2/2 points")[0];
    assert_eq!(right[(x, y)].fg, dark.correct.fg.unwrap());
    // Matrix marks: over-privilege ✗ in the wrong colour, missing ! in the partial colour.
    let over = buffer_at(&matrix_with(true, true), 120, 40, &dark);
    assert!(assert_fg(&over, "[✗]", dark.wrong.fg.unwrap()) >= 1);
    assert!(assert_fg(&over, "[!]", dark.partial.fg.unwrap()) >= 1);
    assert!(assert_fg(&over, "[✓]", dark.correct.fg.unwrap()) >= 1);
}

#[test]
fn cursor_line_uses_the_cursor_background() {
    let dark = Theme::dark();
    let cursor_bg = dark.cursor.bg.expect("a cursor background");
    let mut m = fresh();
    let (t, qi) = locate(&m, "task1", "rds-master-password-why");
    focus(&mut m, t, qi);
    act(&mut m, Action::Down);
    for (w, h) in SIZES {
        let buf = buffer_at(&m, w, h, &dark);
        let pointers = find(&buf, "›( ) B.");
        assert_eq!(pointers.len(), 1, "{}", screen_text(&buf));
        let (x, y) = pointers[0];
        for i in 0..7 {
            assert_eq!(buf[(x + i, y)].bg, cursor_bg, "cell {i} of the cursor line");
        }
        // Other options are not highlighted.
        for (x, y) in find(&buf, " ( ) A.") {
            assert_ne!(buf[(x + 1, y)].bg, cursor_bg);
        }
    }
    // The menu's current entry too.
    let buf = buffer_at(&fresh(), 80, 24, &dark);
    let practice = find(&buf, "Practice");
    assert!(!practice.is_empty());
    assert!(
        practice.iter().any(|&(x, y)| buf[(x, y)].bg == cursor_bg),
        "{}",
        screen_text(&buf)
    );
}

#[test]
fn monochrome_uses_no_colour() {
    let mono = Theme::monochrome();
    let mut states: Vec<(&str, Model)> = vec![
        ("menu", fresh()),
        ("right", single_checked("secrets-manager")),
        ("wrong", single_checked("kms")),
        ("matrix", matrix_with(true, true)),
    ];
    let mut p = fresh();
    choose(
        &mut p,
        "task2",
        "auth.payments-api",
        &["ecs-task-execution-role"],
    );
    check(&mut p);
    act(&mut p, Action::Hint);
    states.push(("partial", p));
    let (mut o, _, _) = ordering();
    act(&mut o, Action::Select);
    states.push(("holding", o.clone()));
    check(&mut o);
    states.push(("ordering", o));
    let mut s = fresh();
    go_screen(&mut s, Screen::Scenario);
    states.push(("scenario", s.clone()));
    go_screen(&mut s, Screen::Final);
    states.push(("final", s.clone()));
    go_screen(&mut s, Screen::Solution(0));
    states.push(("solution", s.clone()));
    act(&mut s, Action::Help);
    states.push(("help", s));
    let mut r = single_checked("kms");
    act(&mut r, Action::Reset);
    states.push(("reset", r));
    for (name, m) in &states {
        for (w, h) in SIZES.into_iter().chain([(40, 10)]) {
            let buf = buffer_at(m, w, h, &mono);
            for y in 0..h {
                for x in 0..w {
                    let c = &buf[(x, y)];
                    assert!(
                        c.fg == Color::Reset && c.bg == Color::Reset,
                        "{name} {w}×{h}: cell ({x},{y}) {:?} has fg {:?} bg {:?}",
                        c.symbol(),
                        c.fg,
                        c.bg
                    );
                }
            }
        }
    }
}

#[test]
fn clicks_land_on_what_was_drawn() {
    // The hit map of a frame points at the rows the student sees.
    let mut m = fresh();
    let (t, qi) = locate(&m, "task1", "rds-master-password-why");
    focus(&mut m, t, qi);
    for (w, h) in SIZES {
        let mut s = m.clone();
        let (terminal, info) = render(&mut s, w, h, &Theme::dark());
        let buf = terminal.backend().buffer();
        for (label, target) in [("( ) B.", HitTarget::Row(1)), ("( ) D.", HitTarget::Row(3))] {
            let (x, y) = find(buf, label)[0];
            assert_eq!(info.hit(x, y), Some(target), "{label} at {w}×{h}");
            act(&mut s, Action::Click(target));
        }
        assert_eq!(s.tasks[t].questions[qi].draft, Draft::Single(Some(3)));
    }
    // Menu entries.
    let mut menu = fresh();
    let (terminal, info) = render(&mut menu, 80, 24, &Theme::dark());
    let (x, y) = find(terminal.backend().buffer(), "Quiz")[0];
    assert_eq!(info.hit(x, y), Some(HitTarget::MenuEntry(2)));
}
