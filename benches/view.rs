//! How long one frame takes: `ui::view` drawing every screen into a 120×40 `TestBackend` terminal.
//! Target: ≤ 0.5 ms per frame. Run with `cargo bench --bench view`.
//!
//! The models are built as the game builds them (the embedded puzzle, the practice policy) and put
//! on each screen by the same `update`/`go_to` calls the keys trigger.

use criterion::{Criterion, criterion_group, criterion_main};
use kmsquest::action::Action;
use kmsquest::content::{Kind, Puzzle};
use kmsquest::model::{Model, Screen};
use kmsquest::ui::{self, Theme};
use kmsquest::update::{go_to, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Block;
use std::hint::black_box;
use std::sync::Arc;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn fresh(puzzle: &Arc<Puzzle>) -> Model {
    Model::new(Arc::clone(puzzle), kmsquest::mode::Mode::Practice.policy())
}

fn on(puzzle: &Arc<Puzzle>, screen: Screen) -> Model {
    let mut m = fresh(puzzle);
    go_to(&mut m, screen);
    m
}

fn press(m: &mut Model, actions: &[Action]) {
    for &a in actions {
        update(m, a);
    }
}

/// Answer every question of task `t` (whatever the first choice is), so its solution unlocks.
fn answer_all(m: &mut Model, puzzle: &Puzzle, t: usize) {
    go_to(m, Screen::Task(t));
    for q in &puzzle.tasks[t].questions {
        press(m, &[Action::NextQuestion, Action::Select]);
        if q.spec.kind() == Kind::Ordering {
            // Space picked the step up; put it down again.
            press(m, &[Action::Select]);
        }
        press(m, &[Action::Check]);
    }
}

fn screens(puzzle: &Arc<Puzzle>) -> Vec<(&'static str, Model, &'static str)> {
    let menu = fresh(puzzle);
    let scenario = on(puzzle, Screen::Scenario);
    let intro = on(puzzle, Screen::Task(0));

    // Task 1, question 1: the second option chosen and checked, as a student would.
    let mut checked = on(puzzle, Screen::Task(0));
    press(
        &mut checked,
        &[
            Action::NextQuestion,
            Action::Down,
            Action::Select,
            Action::Check,
        ],
    );

    // Task 2's first access-matrix question, one cell granted.
    let mut matrix = on(puzzle, Screen::Task(1));
    let at = puzzle.tasks[1]
        .questions
        .iter()
        .position(|q| q.spec.kind() == Kind::Matrix)
        .expect("task 2 has an access-matrix question");
    for _ in 0..=at {
        press(&mut matrix, &[Action::NextQuestion]);
    }
    press(&mut matrix, &[Action::Select]);

    let mut solution = fresh(puzzle);
    answer_all(&mut solution, puzzle, 0);
    go_to(&mut solution, Screen::Solution(0));

    let mut last = fresh(puzzle);
    for t in 0..puzzle.tasks.len() {
        answer_all(&mut last, puzzle, t);
    }
    go_to(&mut last, Screen::Final);

    vec![
        ("menu", menu, "Practice"),
        ("scenario", scenario, "The scenario"),
        ("task1_intro", intro, "Intro"),
        ("task1_q1_checked", checked, "✓ correct"),
        ("task2_matrix", matrix, "access matrix"),
        ("solution1", solution, "suggested solution"),
        ("final", last, "Summary"),
    ]
}

fn buffer_text(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    buf.content().iter().map(|c| c.symbol()).collect()
}

fn bench_view(c: &mut Criterion) {
    let puzzle = Arc::new(kmsquest::cli::load_puzzle(None).expect("the embedded puzzle loads"));
    let theme = Theme::dark();
    let mut group = c.benchmark_group(format!("view_{WIDTH}x{HEIGHT}"));
    // The floor: what `terminal.draw` costs for a frame that only paints the background, as
    // `view` does first. The screens below cost this plus their own work.
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    group.bench_function("baseline_background_only", |b| {
        b.iter(|| {
            terminal
                .draw(|f| {
                    let area = f.area();
                    f.render_widget(Block::new().style(theme.base), black_box(area));
                })
                .unwrap();
        })
    });
    for (name, model, expect) in screens(&puzzle) {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal
            .draw(|f| {
                ui::view(&model, &theme, f);
            })
            .unwrap();
        // Make sure the bench measures the screen it names.
        let text = buffer_text(&terminal);
        assert!(
            text.contains(expect),
            "{name}: the frame does not show {expect:?}:\n{}",
            terminal.backend()
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal
                    .draw(|f| {
                        black_box(ui::view(black_box(&model), &theme, f));
                    })
                    .unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_view);
criterion_main!(benches);
