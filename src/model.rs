//! The whole game state: plain data, no terminal. `update` changes it, `ui::view` draws it.

use crate::answer::{Answer, Answers};
use crate::content::{Puzzle, Question, QuestionSpec};
use crate::grading::{self, Grade};
use crate::mode::Policy;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Menu,
    /// Quiz: the student types a name.
    NamePrompt,
    /// Quiz: the rules, before the clock starts.
    Rules,
    /// Quiz: the score after finishing.
    Score,
    /// Quiz: the review of question N (index over the whole puzzle) after finishing.
    Review(usize),
    Scenario,
    Task(usize),
    /// A task's suggested solution and concepts to teach.
    Solution(usize),
    Final,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    ConfirmReset,
    /// Quiz: "Reveal Hint N for K points?"
    ConfirmHint,
    /// Quiz: "Submit Task N? It locks."
    ConfirmSubmit,
}

/// A scored quiz in progress (or finished). Time arrives through `Action::Tick`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizState {
    pub name: String,
    /// The name being typed on the name prompt.
    pub name_input: String,
    pub seed: u64,
    /// The clock has started (Enter on the rules screen).
    pub started: bool,
    /// RFC 3339 UTC, stamped by the loop when the clock starts.
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub elapsed_secs: u64,
    pub time_limit_secs: Option<u64>,
    pub submitted: Vec<bool>,
    pub finished: bool,
    /// The two-minute warning has been given.
    pub warned: bool,
}

impl QuizState {
    pub fn new(
        name: Option<String>,
        seed: u64,
        time_limit_secs: Option<u64>,
        tasks: usize,
    ) -> Self {
        QuizState {
            name: name.unwrap_or_default(),
            name_input: String::new(),
            seed,
            started: false,
            started_at: None,
            finished_at: None,
            elapsed_secs: 0,
            time_limit_secs,
            submitted: vec![false; tasks],
            finished: false,
            warned: false,
        }
    }

    /// The clock runs from the rules screen's Enter until the quiz is finished.
    pub fn clock_running(&self) -> bool {
        self.started && !self.finished
    }

    pub fn remaining_secs(&self) -> Option<u64> {
        self.time_limit_secs
            .map(|l| l.saturating_sub(self.elapsed_secs))
    }
}

/// What the presenter has revealed and the room has voted, for this session only.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PresentState {
    /// (task, question) pairs whose answer key is shown.
    pub answers: BTreeSet<(usize, usize)>,
    /// (task, question) pairs whose explanation and concept are shown.
    pub explanations: BTreeSet<(usize, usize)>,
    /// Tasks whose suggested solution is shown.
    pub solutions: BTreeSet<usize>,
    /// Show-of-hands counts per (task, question), one per option in content order.
    pub votes: BTreeMap<String, Vec<u32>>,
    pub blank: bool,
    pub timer_running: bool,
    pub timer_secs: u64,
    /// `g` was pressed: the next digit jumps to that task.
    pub awaiting_jump: bool,
}

impl PresentState {
    pub fn vote_key(task: usize, question: usize) -> String {
        format!("{task}.{question}")
    }
}

/// Is this name acceptable for a quiz: 1–40 printable characters, no control characters?
pub fn valid_name(name: &str) -> bool {
    let n = name.trim().chars().count();
    (1..=40).contains(&n) && !name.chars().any(char::is_control)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Intro,
    Question(usize),
}

/// A question's in-progress answer, by indices into the content's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draft {
    Single(Option<usize>),
    Multi(BTreeSet<usize>),
    Matrix(BTreeSet<(usize, usize)>),
    /// The student's current order, as step indices.
    Ordering(Vec<usize>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionState {
    pub draft: Draft,
    /// The answer as last checked (what is graded and saved).
    pub checked: Option<Answer>,
    /// Row (option, step or matrix row) under the cursor.
    pub cursor: usize,
    /// Matrix column under the cursor.
    pub column: usize,
    /// Ordering: the step under the cursor is picked up and moves with ↑/↓.
    pub holding: bool,
    pub explanation_open: bool,
    /// Display order of choice options: display position → content index (a quiz shuffles it).
    pub order: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    pub focus: Focus,
    pub hints_revealed: usize,
    pub questions: Vec<QuestionState>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub puzzle: Arc<Puzzle>,
    pub policy: Policy,
    pub screen: Screen,
    pub tasks: Vec<TaskState>,
    pub overlay: Option<Overlay>,
    /// Lines scrolled in the current screen's body; reset when the screen or question changes.
    pub scroll: u16,
    /// The largest useful scroll, as measured by the last frame drawn (set by the loop).
    pub scroll_limit: u16,
    /// The screen's scroll while the help overlay uses `scroll`.
    pub scroll_behind_overlay: u16,
    pub menu_cursor: usize,
    /// Where "Practice" continues: the last screen visited outside the menu.
    pub resume: Screen,
    /// A one-line message for the status line, cleared by the next key.
    pub notice: Option<String>,
    /// Present in quiz mode.
    pub quiz: Option<QuizState>,
    /// Present in projector mode.
    pub present: Option<PresentState>,
    /// The policy lab is shown beside its question (Task 2's matrix, Task 4's key actions).
    pub lab_open: bool,
    pub lab: crate::lab::LabOptions,
}

pub fn blank_draft(question: &Question) -> Draft {
    match &question.spec {
        QuestionSpec::Single { .. } => Draft::Single(None),
        QuestionSpec::Multi { .. } => Draft::Multi(BTreeSet::new()),
        QuestionSpec::Matrix { .. } => Draft::Matrix(BTreeSet::new()),
        QuestionSpec::Ordering { steps, .. } => Draft::Ordering((0..steps.len()).collect()),
    }
}

/// The draft as an answer by ids; `None` when there is nothing to check yet.
pub fn draft_answer(question: &Question, draft: &Draft) -> Option<Answer> {
    match (&question.spec, draft) {
        (QuestionSpec::Single { options }, Draft::Single(choice)) => choice
            .and_then(|i| options.get(i))
            .map(|o| Answer::Single(o.id.clone())),
        (QuestionSpec::Multi { options }, Draft::Multi(set)) => (!set.is_empty()).then(|| {
            Answer::List(
                set.iter()
                    .filter_map(|&i| options.get(i))
                    .map(|o| o.id.clone())
                    .collect(),
            )
        }),
        (QuestionSpec::Matrix { rows, columns, .. }, Draft::Matrix(cells)) => {
            let mut grants: BTreeMap<String, BTreeSet<String>> = rows
                .iter()
                .map(|r| (r.id.clone(), BTreeSet::new()))
                .collect();
            for &(r, c) in cells {
                if let (Some(row), Some(col)) = (rows.get(r), columns.get(c)) {
                    grants
                        .entry(row.id.clone())
                        .or_default()
                        .insert(col.id.clone());
                }
            }
            Some(Answer::Matrix(grants))
        }
        (QuestionSpec::Ordering { steps, .. }, Draft::Ordering(order)) => Some(Answer::List(
            order
                .iter()
                .filter_map(|&i| steps.get(i))
                .map(|s| s.id.clone())
                .collect(),
        )),
        _ => None,
    }
}

/// Rebuild a draft from a saved answer; `None` if the answer no longer fits the content.
pub fn draft_from_answer(question: &Question, answer: &Answer) -> Option<Draft> {
    match (&question.spec, answer) {
        (QuestionSpec::Single { options }, Answer::Single(id)) => options
            .iter()
            .position(|o| &o.id == id)
            .map(|i| Draft::Single(Some(i))),
        (QuestionSpec::Multi { options }, Answer::List(ids)) => ids
            .iter()
            .map(|id| options.iter().position(|o| &o.id == id))
            .collect::<Option<BTreeSet<_>>>()
            .map(Draft::Multi),
        (QuestionSpec::Matrix { rows, columns, .. }, Answer::Matrix(grants)) => {
            let mut cells = BTreeSet::new();
            for (row, cols) in grants {
                let r = rows.iter().position(|x| &x.id == row)?;
                for col in cols {
                    cells.insert((r, columns.iter().position(|x| &x.id == col)?));
                }
            }
            Some(Draft::Matrix(cells))
        }
        (QuestionSpec::Ordering { steps, .. }, Answer::List(ids)) => {
            let order: Vec<usize> = ids
                .iter()
                .map(|id| steps.iter().position(|s| &s.id == id))
                .collect::<Option<_>>()?;
            let unique: BTreeSet<_> = order.iter().collect();
            (order.len() == steps.len() && unique.len() == steps.len())
                .then_some(Draft::Ordering(order))
        }
        _ => None,
    }
}

impl QuestionState {
    pub fn new(question: &Question) -> Self {
        QuestionState {
            draft: blank_draft(question),
            checked: None,
            cursor: 0,
            column: 0,
            holding: false,
            explanation_open: true,
            order: match &question.spec {
                QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
                    (0..options.len()).collect()
                }
                _ => vec![],
            },
        }
    }

    /// The content index of the option shown at display position `pos`.
    pub fn option_at(&self, pos: usize) -> usize {
        self.order.get(pos).copied().unwrap_or(pos)
    }

    /// Checked, and the draft still says what was checked.
    pub fn is_settled(&self, question: &Question) -> bool {
        self.checked.is_some() && self.checked == draft_answer(question, &self.draft)
    }
}

impl Model {
    pub fn new(puzzle: Arc<Puzzle>, policy: Policy) -> Self {
        let tasks = puzzle
            .tasks
            .iter()
            .map(|t| TaskState {
                focus: Focus::Intro,
                hints_revealed: 0,
                questions: t.questions.iter().map(QuestionState::new).collect(),
            })
            .collect();
        Model {
            puzzle,
            policy,
            screen: Screen::Menu,
            tasks,
            overlay: None,
            scroll: 0,
            scroll_limit: 0,
            scroll_behind_overlay: 0,
            menu_cursor: 0,
            resume: Screen::Scenario,
            notice: None,
            quiz: None,
            present: policy.presentation.then(PresentState::default),
            lab_open: false,
            lab: crate::lab::LabOptions::default(),
        }
    }

    /// The screen sequence the student pages through with n/p.
    pub fn screen_order(&self) -> Vec<Screen> {
        match &self.quiz {
            Some(q) if !q.started => return vec![],
            Some(q) if q.finished => {
                return std::iter::once(Screen::Score)
                    .chain((0..self.total_questions()).map(Screen::Review))
                    .collect();
            }
            _ => {}
        }
        let mut order = vec![Screen::Scenario];
        for i in 0..self.puzzle.tasks.len() {
            order.push(Screen::Task(i));
            order.push(Screen::Solution(i));
        }
        if !self.policy.submit_tasks {
            order.push(Screen::Final);
        }
        order
    }

    /// Every checked answer, keyed by answer-sheet path.
    pub fn answers(&self) -> Answers {
        let mut out = Answers::new();
        for (task, state) in self.puzzle.tasks.iter().zip(&self.tasks) {
            for (q, qs) in task.questions.iter().zip(&state.questions) {
                if let Some(a) = &qs.checked {
                    out.insert(crate::content::Puzzle::question_path(task, q), a.clone());
                }
            }
        }
        out
    }

    pub fn report(&self) -> grading::Report {
        let hints: BTreeMap<&str, usize> = self
            .puzzle
            .tasks
            .iter()
            .zip(&self.tasks)
            .map(|(t, s)| (t.id.as_str(), s.hints_revealed))
            .collect();
        grading::grade_all(
            &self.puzzle,
            &self.answers(),
            &|t| hints.get(t.id.as_str()).copied().unwrap_or(0),
            self.policy.hints_cost_points,
        )
    }

    /// The grade of a checked question.
    pub fn grade_of(&self, task: usize, question: usize) -> Option<Grade> {
        let q = self.puzzle.tasks.get(task)?.questions.get(question)?;
        let state = self.tasks.get(task)?.questions.get(question)?;
        state.checked.as_ref().map(|a| grading::grade(q, Some(a)))
    }

    pub fn checked_count(&self, task: usize) -> usize {
        self.tasks.get(task).map_or(0, |t| {
            t.questions.iter().filter(|q| q.checked.is_some()).count()
        })
    }

    pub fn total_questions(&self) -> usize {
        self.puzzle.tasks.iter().map(|t| t.questions.len()).sum()
    }

    /// Share of questions checked, 0–100.
    pub fn progress_percent(&self) -> u32 {
        let total = self.total_questions();
        let done: usize = (0..self.tasks.len()).map(|t| self.checked_count(t)).sum();
        (done * 100).checked_div(total).unwrap_or(0) as u32
    }

    pub fn hints_used(&self) -> usize {
        self.tasks.iter().map(|t| t.hints_revealed).sum()
    }

    /// A fresh quiz: the name prompt (or the rules when the name is known), options shuffled by `seed`.
    pub fn new_quiz(
        puzzle: Arc<Puzzle>,
        name: Option<String>,
        time_limit_secs: Option<u64>,
        seed: u64,
    ) -> Self {
        let tasks = puzzle.tasks.len();
        let mut model = Model::new(puzzle, crate::mode::Mode::Quiz.policy());
        let named = name.as_deref().is_some_and(valid_name);
        model.quiz = Some(QuizState::new(
            name.filter(|n| valid_name(n)).map(|n| n.trim().to_string()),
            seed,
            time_limit_secs,
            tasks,
        ));
        model.shuffle_options(seed);
        model.screen = if named {
            Screen::Rules
        } else {
            Screen::NamePrompt
        };
        model
    }

    /// May the key, marks and explanations be shown now?
    pub fn reveals_key(&self) -> bool {
        !self.policy.reveal_after_finish || self.quiz.as_ref().is_some_and(|q| q.finished)
    }

    /// Is this task submitted (and so locked)?
    pub fn task_locked(&self, task: usize) -> bool {
        self.quiz
            .as_ref()
            .is_some_and(|q| q.finished || q.submitted.get(task).copied().unwrap_or(false))
    }

    pub fn solution_unlocked(&self, task: usize) -> bool {
        if let Some(p) = &self.present {
            return p.solutions.contains(&task);
        }
        if self.policy.reveal_after_finish {
            return self.reveals_key();
        }
        !self.policy.solution_needs_all_checked
            || self
                .puzzle
                .tasks
                .get(task)
                .is_some_and(|t| self.checked_count(task) == t.questions.len())
    }

    /// The task the student is in or last left (for "resume: Task 2").
    pub fn current_task(&self) -> Option<usize> {
        match self.screen {
            Screen::Task(t) | Screen::Solution(t) => Some(t),
            _ => None,
        }
    }

    /// Apply the policy's option shuffle: seeded per question, pinned options stay put.
    pub fn shuffle_options(&mut self, seed: u64) {
        let puzzle = self.puzzle.clone();
        for (task, state) in puzzle.tasks.iter().zip(self.tasks.iter_mut()) {
            for (q, qs) in task.questions.iter().zip(state.questions.iter_mut()) {
                if let QuestionSpec::Single { options } | QuestionSpec::Multi { options } = &q.spec
                {
                    let pins: Vec<Option<u32>> = options.iter().map(|o| o.pin).collect();
                    let path = crate::content::Puzzle::question_path(task, q);
                    qs.order = crate::shuffle::shuffled_order(&pins, seed, &path);
                }
            }
        }
    }
}
