//! Projector mode's reveal state machine: navigation never reveals; each reveal key reveals exactly
//! its part; going back keeps what was revealed. Pure, like `update`.

use crate::action::{Action, Effect};
use crate::content::QuestionSpec;
use crate::model::{Focus, Model, PresentState, Screen};
use crate::update::go_to;

/// One slide: a screen and, on a task screen, the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slide {
    pub screen: Screen,
    pub focus: Option<Focus>,
}

/// The slides in order: scenario; per task its intro, each question, its solution; the summary.
pub fn slides(model: &Model) -> Vec<Slide> {
    let mut out = vec![Slide {
        screen: Screen::Scenario,
        focus: None,
    }];
    for (t, task) in model.puzzle.tasks.iter().enumerate() {
        out.push(Slide {
            screen: Screen::Task(t),
            focus: Some(Focus::Intro),
        });
        for q in 0..task.questions.len() {
            out.push(Slide {
                screen: Screen::Task(t),
                focus: Some(Focus::Question(q)),
            });
        }
        out.push(Slide {
            screen: Screen::Solution(t),
            focus: None,
        });
    }
    out.push(Slide {
        screen: Screen::Final,
        focus: None,
    });
    out
}

pub fn current_slide(model: &Model) -> Slide {
    match model.screen {
        Screen::Task(t) => Slide {
            screen: model.screen,
            focus: model.tasks.get(t).map(|s| s.focus),
        },
        s => Slide {
            screen: s,
            focus: None,
        },
    }
}

fn show(model: &mut Model, slide: Slide) {
    go_to(model, slide.screen);
    if let (Screen::Task(t), Some(f)) = (slide.screen, slide.focus)
        && let Some(state) = model.tasks.get_mut(t)
    {
        state.focus = f;
    }
}

fn step(model: &mut Model, delta: isize) {
    let all = slides(model);
    let here = current_slide(model);
    let i = all.iter().position(|s| *s == here).unwrap_or(0);
    match i.checked_add_signed(delta).and_then(|j| all.get(j)) {
        Some(&s) => show(model, s),
        None => {
            model.notice = Some(
                if delta > 0 {
                    "This is the last slide."
                } else {
                    "This is the first slide."
                }
                .into(),
            )
        }
    }
}

fn focused_question(model: &Model) -> Option<(usize, usize)> {
    match (
        model.screen,
        model
            .current_task()
            .and_then(|t| model.tasks.get(t))
            .map(|s| s.focus),
    ) {
        (Screen::Task(t), Some(Focus::Question(q))) => Some((t, q)),
        _ => None,
    }
}

fn state(model: &mut Model) -> &mut PresentState {
    model.present.get_or_insert_with(PresentState::default)
}

pub fn update(model: &mut Model, action: Action) -> Vec<Effect> {
    let jumping = state(model).awaiting_jump;
    state(model).awaiting_jump = false;
    match action {
        Action::Blank => {
            let p = state(model);
            p.blank = !p.blank;
        }
        Action::Advance => advance(model),
        Action::Retreat => step(model, -1),
        Action::Skip => step(model, 1),
        Action::RevealAnswer => match focused_question(model) {
            Some(tq) => {
                state(model).answers.insert(tq);
            }
            None => {
                model.notice = Some("a reveals a question's answer: go to a question first.".into())
            }
        },
        Action::RevealExplanation => match focused_question(model) {
            Some(tq) => {
                state(model).explanations.insert(tq);
            }
            None => {
                model.notice =
                    Some("e reveals a question's explanation: go to a question first.".into())
            }
        },
        Action::RevealSolution => match model.current_task() {
            Some(t) => {
                state(model).solutions.insert(t);
                go_to(model, Screen::Solution(t));
            }
            None => model.notice = Some("s reveals a task's solution: go to a task first.".into()),
        },
        Action::Hint => match model.current_task() {
            Some(t) => {
                let total = model.puzzle.tasks[t].hints.len();
                let s = &mut model.tasks[t];
                if s.hints_revealed < total {
                    s.hints_revealed += 1;
                    let h = &model.puzzle.tasks[t].hints[s.hints_revealed - 1];
                    model.notice = Some(format!(
                        "Hint {} — {} of {total} for this task",
                        h.number, s.hints_revealed
                    ));
                } else {
                    model.notice = Some("No hints left for this task.".into());
                }
            }
            None => model.notice = Some("h reveals a task's hints: go to a task first.".into()),
        },
        Action::ToggleTimer => {
            let p = state(model);
            p.timer_running = !p.timer_running;
        }
        Action::Tick(secs) => {
            let p = state(model);
            if p.timer_running {
                p.timer_secs = secs.max(p.timer_secs);
            }
        }
        Action::JumpPrefix => {
            state(model).awaiting_jump = true;
            model.notice = Some(format!(
                "Jump to task 1–{}: press its number.",
                model.puzzle.tasks.len()
            ));
        }
        Action::Digit(d) if jumping => {
            let t = usize::from(d).saturating_sub(1);
            if t < model.puzzle.tasks.len() {
                show(
                    model,
                    Slide {
                        screen: Screen::Task(t),
                        focus: Some(Focus::Intro),
                    },
                );
            } else {
                model.notice = Some(format!("There is no task {d}."));
            }
        }
        Action::Up | Action::Down => {
            let at_end = focused_question(model).is_some_and(|(t, q)| {
                let c = model.tasks[t].questions[q].cursor;
                let n = option_count(model, t, q);
                (action == Action::Down && c + 1 >= n)
                    || (action == Action::Up && c == 0 && model.scroll > 0)
            });
            // Past either end of the options the arrows scroll, to reach a long explanation.
            if let (Some((t, q)), false) = (focused_question(model), at_end) {
                let n = option_count(model, t, q);
                let s = &mut model.tasks[t].questions[q];
                s.cursor = if action == Action::Up {
                    s.cursor.saturating_sub(1)
                } else {
                    (s.cursor + 1).min(n.saturating_sub(1))
                };
            } else {
                model.scroll = if action == Action::Up {
                    model.scroll.saturating_sub(1)
                } else {
                    (model.scroll + 1).min(model.scroll_limit)
                };
            }
        }
        Action::VoteUp | Action::VoteDown => vote(model, action == Action::VoteUp),
        _ => {}
    }
    vec![]
}

fn option_count(model: &Model, t: usize, q: usize) -> usize {
    match &model.puzzle.tasks[t].questions[q].spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => options.len(),
        QuestionSpec::Matrix { rows, .. } => rows.len(),
        QuestionSpec::Ordering { steps, .. } => steps.len(),
    }
}

fn vote(model: &mut Model, up: bool) {
    let Some((t, q)) = focused_question(model) else {
        model.notice = Some("Votes are counted on a question's options.".into());
        return;
    };
    let (QuestionSpec::Single { options } | QuestionSpec::Multi { options }) =
        &model.puzzle.tasks[t].questions[q].spec
    else {
        model.notice = Some("Show-of-hands counts are for choice questions.".into());
        return;
    };
    let n = options.len();
    let cursor = model.tasks[t].questions[q].cursor.min(n.saturating_sub(1));
    let counts = state(model)
        .votes
        .entry(PresentState::vote_key(t, q))
        .or_insert_with(|| vec![0; n]);
    counts.resize(n, 0);
    counts[cursor] = if up {
        counts[cursor].saturating_add(1)
    } else {
        counts[cursor].saturating_sub(1)
    };
}

/// The clicker: reveal the answer, then the explanation, then move on; a solution slide reveals
/// its solution before moving on.
fn advance(model: &mut Model) {
    if let Some(tq) = focused_question(model) {
        let p = state(model);
        if !p.answers.contains(&tq) {
            p.answers.insert(tq);
            return;
        }
        if !p.explanations.contains(&tq) {
            p.explanations.insert(tq);
            return;
        }
    }
    if let Screen::Solution(t) = model.screen
        && state(model).solutions.insert(t)
    {
        return;
    }
    step(model, 1);
}
