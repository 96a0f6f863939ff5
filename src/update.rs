//! `update`: the only place the state changes. No I/O and no clock: it returns effects for the loop.

use crate::action::{Action, Effect};
use crate::content::QuestionSpec;
use crate::grading::{self, Verdict};
use crate::model::{Draft, Focus, Model, Overlay, QuestionState, Screen, draft_answer};
use crate::ui::HitTarget;

/// Menu entries, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuEntry {
    Practice,
    Present,
    Quiz,
    Quit,
}

pub const MENU: [MenuEntry; 4] = [
    MenuEntry::Practice,
    MenuEntry::Present,
    MenuEntry::Quiz,
    MenuEntry::Quit,
];

pub fn update(model: &mut Model, action: Action) -> Vec<Effect> {
    if let Action::Tick(elapsed) = action {
        if model.policy.presentation {
            return crate::present::update(model, action);
        }
        return tick(model, elapsed);
    }
    if action != Action::Resize {
        model.notice = None;
    }
    if model.overlay.is_none()
        && let Some(effects) = crate::lab_update::update(model, action)
    {
        return effects;
    }
    if model.policy.presentation && model.overlay.is_none() && model.screen != Screen::Menu {
        match action {
            Action::Quit => return quit(model),
            Action::Help => {
                open_help(model);
                return vec![];
            }
            Action::Back => {
                // The menu belongs to practice; a session in front of a class ends with q.
                model.notice = Some("q ends the session.".into());
                return vec![];
            }
            Action::Resize | Action::ScrollUp | Action::ScrollDown | Action::Click(_) => {}
            _ => return crate::present::update(model, action),
        }
    }
    match model.overlay {
        Some(Overlay::ConfirmReset) => return confirm_reset(model, action),
        Some(Overlay::ConfirmHint) => return confirm_hint(model, action),
        Some(Overlay::ConfirmSubmit) => return confirm_submit(model, action),
        Some(Overlay::Help) => {
            match action {
                Action::ScrollUp | Action::Up => model.scroll = model.scroll.saturating_sub(1),
                Action::ScrollDown | Action::Down => {
                    model.scroll = (model.scroll + 1).min(model.scroll_limit)
                }
                Action::Quit => return quit(model),
                Action::Resize => {}
                _ => {
                    model.overlay = None;
                    model.scroll = model.scroll_behind_overlay;
                }
            }
            return vec![];
        }
        None => {}
    }
    match action {
        Action::Quit => quit(model),
        Action::Resize => vec![],
        Action::Help => {
            open_help(model);
            vec![]
        }
        Action::Back => {
            match &model.quiz {
                // Nothing started yet: Esc on the name prompt leaves.
                Some(_) if model.screen == Screen::NamePrompt => return vec![Effect::Quit],
                Some(q) if q.started && !q.finished => {
                    model.notice = Some("The quiz is running: q saves and quits (resume with kmsquest quiz --resume).".into());
                }
                // The menu belongs to practice: a quiz ends with q.
                Some(_) => model.notice = Some("q quits.".into()),
                None if model.screen != Screen::Menu => go_to(model, Screen::Menu),
                None => {}
            }
            vec![]
        }
        Action::NextScreen => {
            step_screen(model, 1);
            vec![]
        }
        Action::PrevScreen => {
            step_screen(model, -1);
            vec![]
        }
        Action::ScrollUp => {
            model.scroll = model.scroll.saturating_sub(1);
            vec![]
        }
        Action::ScrollDown => {
            model.scroll = (model.scroll + 1).min(model.scroll_limit);
            vec![]
        }
        _ => match model.screen {
            Screen::Menu => menu(model, action),
            Screen::Task(t) => task(model, t, action),
            Screen::NamePrompt => name_prompt(model, action),
            Screen::Rules if action == Action::Check => start_quiz(model),
            Screen::Solution(t)
                if action == Action::Check && model.quiz.as_ref().is_some_and(|q| !q.finished) =>
            {
                if model.task_locked(t) {
                    model.notice = Some(format!("Task {} is already submitted.", t + 1));
                } else {
                    model.overlay = Some(Overlay::ConfirmSubmit);
                }
                vec![]
            }
            Screen::Score if action == Action::Check => {
                go_to(model, Screen::Review(0));
                vec![]
            }
            _ => vec![],
        },
    }
}

/// Quiz effects after a change: autosave while running.
fn quiz_save(model: &Model) -> Vec<Effect> {
    if model.policy.saves_progress {
        vec![Effect::SaveProgress]
    } else if model
        .quiz
        .as_ref()
        .is_some_and(|q| q.started && !q.finished)
    {
        vec![Effect::SaveQuiz]
    } else {
        vec![]
    }
}

fn tick(model: &mut Model, elapsed: u64) -> Vec<Effect> {
    let Some(quiz) = model.quiz.as_mut() else {
        return vec![];
    };
    if !quiz.clock_running() {
        return vec![];
    }
    let before = quiz.elapsed_secs;
    quiz.elapsed_secs = elapsed.max(before);
    match quiz.remaining_secs() {
        Some(0) => {
            model.notice =
                Some("Time is up: every task was submitted with the answers given so far.".into());
            return finish(model);
        }
        // The warning is for quizzes long enough to have a "two minutes before the end".
        Some(r) if r <= 120 && !quiz.warned && quiz.time_limit_secs.is_some_and(|l| l > 120) => {
            quiz.warned = true;
            model.notice = Some(
                "2 minutes left: unsubmitted tasks are submitted automatically at 0:00.".into(),
            );
            return vec![Effect::SaveQuiz];
        }
        _ => {}
    }
    // The elapsed time is autosaved every few seconds; answers are saved the moment they change.
    if quiz.elapsed_secs / 5 != before / 5 {
        vec![Effect::SaveQuiz]
    } else {
        vec![]
    }
}

fn name_prompt(model: &mut Model, action: Action) -> Vec<Effect> {
    let Some(quiz) = model.quiz.as_mut() else {
        return vec![];
    };
    match action {
        Action::Type(c) if !c.is_control() && quiz.name_input.chars().count() < 40 => {
            quiz.name_input.push(c)
        }
        Action::Type(_) => model.notice = Some("Names are 1–40 printable characters.".into()),
        Action::Backspace => {
            quiz.name_input.pop();
        }
        Action::Check => {
            if crate::model::valid_name(&quiz.name_input) {
                quiz.name = quiz.name_input.trim().to_string();
                go_to(model, Screen::Rules);
            } else {
                model.notice =
                    Some("Type your name (1–40 printable characters), then Enter.".into());
            }
        }
        _ => {}
    }
    vec![]
}

fn start_quiz(model: &mut Model) -> Vec<Effect> {
    let Some(quiz) = model.quiz.as_mut() else {
        return vec![];
    };
    if quiz.finished {
        go_to(model, Screen::Score);
        return vec![];
    }
    quiz.started = true;
    let first = model.resume;
    go_to(
        model,
        if matches!(
            first,
            Screen::Task(_) | Screen::Solution(_) | Screen::Scenario
        ) {
            first
        } else {
            Screen::Scenario
        },
    );
    vec![Effect::SaveQuiz]
}

/// Submit every task, lock everything and reveal: the quiz is over.
fn finish(model: &mut Model) -> Vec<Effect> {
    if let Some(quiz) = model.quiz.as_mut() {
        quiz.submitted.iter_mut().for_each(|s| *s = true);
        quiz.finished = true;
    }
    model.overlay = None;
    for t in &mut model.tasks {
        for q in &mut t.questions {
            q.holding = false;
        }
    }
    go_to(model, Screen::Score);
    vec![Effect::WriteResults]
}

fn confirm_hint(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Yes => {
            model.overlay = None;
            if let Screen::Task(t) = model.screen {
                return reveal_hint(model, t);
            }
            vec![]
        }
        Action::No | Action::Back => {
            model.overlay = None;
            model.notice = Some("No hint revealed.".into());
            vec![]
        }
        Action::Quit => quit(model),
        _ => vec![],
    }
}

fn confirm_submit(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Yes => {
            model.overlay = None;
            let Screen::Solution(t) = model.screen else {
                return vec![];
            };
            let Some(quiz) = model.quiz.as_mut() else {
                return vec![];
            };
            if let Some(s) = quiz.submitted.get_mut(t) {
                *s = true;
            }
            if quiz.submitted.iter().all(|&s| s) {
                model.notice = Some("All tasks submitted: here is your score.".into());
                return finish(model);
            }
            model.notice = Some(format!("Task {} submitted and locked.", t + 1));
            let next = (0..model.tasks.len())
                .find(|&i| !model.task_locked(i))
                .map_or(Screen::Score, Screen::Task);
            go_to(model, next);
            quiz_save(model)
        }
        Action::No | Action::Back => {
            model.overlay = None;
            model.notice = Some("Not submitted.".into());
            vec![]
        }
        Action::Quit => quit(model),
        _ => vec![],
    }
}

fn reveal_hint(model: &mut Model, t: usize) -> Vec<Effect> {
    let puzzle = model.puzzle.clone();
    let Some(task) = puzzle.tasks.get(t) else {
        return vec![];
    };
    let state = &mut model.tasks[t];
    let Some(hint) = task.hints.get(state.hints_revealed) else {
        return vec![];
    };
    state.hints_revealed += 1;
    model.notice = Some(format!(
        "Hint {} revealed ({} of {} for this task).",
        hint.number,
        state.hints_revealed,
        task.hints.len()
    ));
    quiz_save(model)
}

fn quit(model: &Model) -> Vec<Effect> {
    let mut effects = Vec::new();
    if model.policy.saves_progress {
        effects.push(Effect::SaveProgress);
    }
    if model
        .quiz
        .as_ref()
        .is_some_and(|q| q.started && !q.finished)
    {
        effects.push(Effect::SaveQuiz);
    }
    effects.push(Effect::Quit);
    effects
}

pub fn go_to(model: &mut Model, screen: Screen) {
    if screen != Screen::Menu {
        model.resume = screen;
    }
    model.screen = screen;
    model.scroll = 0;
    model.scroll_limit = 0;
}

fn step_screen(model: &mut Model, delta: isize) {
    let order = model.screen_order();
    if order.is_empty() {
        model.notice = Some("Enter starts the quiz and its clock.".into());
        return;
    }
    let next = match order.iter().position(|s| *s == model.screen) {
        Some(i) => i
            .checked_add_signed(delta)
            .and_then(|j| order.get(j))
            .copied(),
        // From the menu, "next" enters the puzzle where the student left off.
        None if delta > 0 => Some(resume_screen(model)),
        None => None,
    };
    match next {
        Some(s) => go_to(model, s),
        None if delta > 0 => {
            model.notice = Some(
                if model.policy.submit_tasks {
                    "This is the last screen."
                } else {
                    "This is the last screen. Esc returns to the menu."
                }
                .into(),
            )
        }
        None => model.notice = Some("This is the first screen.".into()),
    }
}

/// Where "Practice" resumes: the screen the student last left.
pub fn resume_screen(model: &Model) -> Screen {
    model.resume
}

fn menu(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Up => {
            model.menu_cursor = model.menu_cursor.checked_sub(1).unwrap_or(MENU.len() - 1)
        }
        Action::Down => model.menu_cursor = (model.menu_cursor + 1) % MENU.len(),
        Action::Click(HitTarget::MenuEntry(i)) if i < MENU.len() => {
            model.menu_cursor = i;
            return activate_menu(model);
        }
        Action::Check | Action::Select => return activate_menu(model),
        _ => {}
    }
    vec![]
}

fn activate_menu(model: &mut Model) -> Vec<Effect> {
    match MENU[model.menu_cursor.min(MENU.len() - 1)] {
        MenuEntry::Practice => {
            let s = resume_screen(model);
            go_to(model, s);
            vec![]
        }
        MenuEntry::Present => vec![Effect::StartPresent],
        MenuEntry::Quiz => vec![Effect::StartQuiz],
        MenuEntry::Quit => quit(model),
    }
}

fn confirm_reset(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Yes => {
            model.overlay = None;
            if let Screen::Task(t) = model.screen
                && let (Some(task), Some(state)) =
                    (model.puzzle.tasks.get(t), model.tasks.get_mut(t))
            {
                state.hints_revealed = 0;
                state.focus = Focus::Intro;
                state.questions = task.questions.iter().map(QuestionState::new).collect();
                model.scroll = 0;
                model.notice = Some(format!("Task {} was reset.", task.number));
                if model.policy.saves_progress {
                    return vec![Effect::SaveProgress];
                }
            }
            vec![]
        }
        Action::No | Action::Back => {
            model.overlay = None;
            model.notice = Some("Nothing was reset.".into());
            vec![]
        }
        Action::Quit => quit(model),
        _ => vec![],
    }
}

fn task(model: &mut Model, t: usize, action: Action) -> Vec<Effect> {
    let puzzle = model.puzzle.clone();
    let Some(task) = puzzle.tasks.get(t) else {
        return vec![];
    };
    let n = task.questions.len();
    let focus = model.tasks[t].focus;
    match action {
        Action::Hint => {
            let state = &model.tasks[t];
            if let Some(hint) = task.hints.get(state.hints_revealed) {
                if model.task_locked(t) {
                    model.notice =
                        Some(format!("Task {} is submitted: no more hints.", task.number));
                    return vec![];
                }
                if model.policy.hints_cost_points {
                    model.overlay = Some(Overlay::ConfirmHint);
                    model.notice = Some(format!(
                        "Reveal Hint {} for {}? y/n",
                        hint.number,
                        crate::grading::points_label(hint.cost)
                    ));
                    return vec![];
                }
                return reveal_hint(model, t);
            }
            model.notice = Some(if task.hints.is_empty() {
                "This task has no hints.".into()
            } else {
                "No hints left for this task: all are shown.".into()
            });
            vec![]
        }
        Action::Reset if model.policy.writes_results => {
            model.notice = Some("A quiz cannot be reset.".into());
            vec![]
        }
        Action::Reset => {
            model.overlay = Some(Overlay::ConfirmReset);
            vec![]
        }
        Action::NextQuestion | Action::PrevQuestion => {
            // Focus cycles Intro → Q1 … Qn → Intro.
            let pos = match focus {
                Focus::Intro => 0,
                Focus::Question(i) => i + 1,
            };
            let len = n + 1;
            let next = if action == Action::NextQuestion {
                (pos + 1) % len
            } else {
                (pos + len - 1) % len
            };
            model.tasks[t].focus = if next == 0 {
                Focus::Intro
            } else {
                Focus::Question(next - 1)
            };
            model.scroll = 0;
            model.scroll_limit = 0;
            vec![]
        }
        _ => match focus {
            Focus::Intro => match action {
                Action::Check | Action::Select => {
                    if n > 0 {
                        model.tasks[t].focus = Focus::Question(0);
                        model.scroll = 0;
                    }
                    vec![]
                }
                Action::Up => update(model, Action::ScrollUp),
                Action::Down => update(model, Action::ScrollDown),
                _ => vec![],
            },
            Focus::Question(qi) => question(model, t, qi.min(n.saturating_sub(1)), action),
        },
    }
}

fn question(model: &mut Model, t: usize, qi: usize, action: Action) -> Vec<Effect> {
    let puzzle = model.puzzle.clone();
    let Some(q) = puzzle.tasks.get(t).and_then(|task| task.questions.get(qi)) else {
        return vec![];
    };
    let policy = model.policy;
    let task_locked = model.task_locked(t);
    let reveals = model.reveals_key();
    let state = &mut model.tasks[t].questions[qi];
    let locked = task_locked || (!policy.retries && state.checked.is_some());
    let before = state.draft.clone();
    let rows = match &q.spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => options.len(),
        QuestionSpec::Matrix { rows, .. } => rows.len(),
        QuestionSpec::Ordering { steps, .. } => steps.len(),
    };
    let columns = match &q.spec {
        QuestionSpec::Matrix { columns, .. } => columns.len(),
        _ => 1,
    };
    state.cursor = state.cursor.min(rows.saturating_sub(1));
    state.column = state.column.min(columns.saturating_sub(1));
    match action {
        // At either end of the list the arrows scroll the text instead, to reach long feedback.
        Action::Down if state.cursor + 1 >= rows && !state.holding => {
            model.scroll = (model.scroll + 1).min(model.scroll_limit);
        }
        Action::Up if state.cursor == 0 && !state.holding && model.scroll > 0 => {
            model.scroll -= 1;
        }
        Action::Up | Action::Down => {
            let down = action == Action::Down;
            let target = if down {
                (state.cursor + 1).min(rows.saturating_sub(1))
            } else {
                state.cursor.saturating_sub(1)
            };
            if state.holding
                && !locked
                && let Draft::Ordering(order) = &mut state.draft
                && target != state.cursor
            {
                order.swap(state.cursor, target);
            }
            state.cursor = target;
        }
        Action::Left => state.column = state.column.saturating_sub(1),
        Action::Right => state.column = (state.column + 1).min(columns.saturating_sub(1)),
        Action::Click(target) => {
            match target {
                // Holding a step, a click drops it there.
                HitTarget::Row(r) if r < rows && state.holding && !locked => {
                    if let Draft::Ordering(order) = &mut state.draft {
                        let step = order.remove(state.cursor);
                        order.insert(r, step);
                    }
                    state.cursor = r;
                    state.holding = false;
                }
                HitTarget::Row(r) if r < rows => state.cursor = r,
                HitTarget::Cell(r, c) if r < rows && c < columns => {
                    state.cursor = r;
                    state.column = c;
                }
                _ => return vec![],
            }
            // Otherwise an ordering click only moves the cursor (Space picks the step up).
            if !matches!(state.draft, Draft::Ordering(_)) {
                return question(model, t, qi, Action::Select);
            }
        }
        Action::Select => {
            if locked {
                model.notice = Some(
                    if task_locked {
                        "This task is submitted: its answers are locked."
                    } else {
                        "This question is locked."
                    }
                    .into(),
                );
                return vec![];
            }
            let (cursor, column) = (state.option_at(state.cursor), state.column);
            match &mut state.draft {
                Draft::Single(choice) => *choice = Some(cursor),
                Draft::Multi(set) => {
                    if !set.remove(&cursor) {
                        set.insert(cursor);
                    }
                }
                Draft::Matrix(cells) => {
                    if !cells.remove(&(cursor, column)) {
                        cells.insert((cursor, column));
                    }
                }
                Draft::Ordering(_) => state.holding = !state.holding,
            }
        }
        Action::Check => {
            if locked {
                model.notice = Some(
                    if task_locked {
                        "This task is submitted: its answers are locked."
                    } else {
                        "Already checked."
                    }
                    .into(),
                );
                return vec![];
            }
            let Some(answer) = draft_answer(q, &state.draft) else {
                model.notice = Some("Choose an option first (Space selects).".into());
                return vec![];
            };
            if !reveals {
                // Feedback waits for the end: record the answer and move on.
                state.holding = false;
                state.checked = Some(answer);
                let n = model.tasks[t].questions.len();
                if qi + 1 < n {
                    model.tasks[t].focus = Focus::Question(qi + 1);
                    model.scroll = 0;
                    model.notice = Some("Answer saved. Next question.".into());
                } else {
                    model.notice =
                        Some("Answer saved. n: this task's summary, where you submit it.".into());
                }
                return quiz_save(model);
            }
            state.holding = false;
            state.checked = Some(answer);
            state.explanation_open = true;
            let g = grading::grade(q, state.checked.as_ref());
            model.notice = Some(match g.verdict {
                Verdict::Correct => format!("✓ Correct: {}.", points(g.points, g.max)),
                Verdict::Partial => format!(
                    "◐ Partly right: {}. Read the feedback, change and check again.",
                    points(g.points, g.max)
                ),
                Verdict::Wrong | Verdict::Unanswered => format!(
                    "✗ Not right: {}. Read the feedback, then try again.",
                    points(g.points, g.max)
                ),
            });
            model.scroll = 0;
            return if policy.saves_progress {
                vec![Effect::SaveProgress]
            } else {
                vec![]
            };
        }
        Action::ToggleExplanation => {
            if state.checked.is_some() {
                state.explanation_open = !state.explanation_open;
            } else {
                model.notice = Some("Check the question first; then its explanation opens.".into());
            }
        }
        _ => {}
    }
    // A quiz records every change at once, so a crash never loses an answer.
    if policy.record_on_change && !locked && state.draft != before {
        state.checked = draft_answer(q, &state.draft);
        return quiz_save(model);
    }
    vec![]
}

fn points(p: f64, max: f64) -> String {
    let f = |x: f64| {
        if (x - x.round()).abs() < 1e-9 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    format!("{}/{} points", f(p), f(max))
}

/// Open the help; the screen's scroll is kept and restored when it closes.
fn open_help(model: &mut Model) {
    model.overlay = Some(Overlay::Help);
    model.scroll_behind_overlay = model.scroll;
    model.scroll = 0;
}
