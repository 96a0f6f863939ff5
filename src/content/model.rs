//! The checked content model: what the game, the grader and the exporters read. Built only by `validate`.

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Puzzle {
    pub id: String,
    pub title: String,
    pub plan_minutes: u32,
    pub scenario: Scenario,
    pub tasks: Vec<Task>,
    pub summary: Summary,
    /// Hex SHA-256 over every content file: progress and results are keyed by it.
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub story: String,
    pub services: Vec<Service>,
    pub requirements: Vec<String>,
    pub items: Vec<String>,
    pub tools: Vec<String>,
    pub goal: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub plan_minutes: u32,
    pub intro: String,
    pub hints: Vec<Hint>,
    pub solution: Solution,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    /// The seed's global numbering (Hint 1…12), not the position in the task.
    pub number: u32,
    pub text: String,
    /// Points a scored quiz charges for revealing it.
    pub cost: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub body: String,
    pub concepts: Vec<String>,
    pub going_further: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub points: u32,
    pub explanation: String,
    pub concept: Option<String>,
    pub spec: QuestionSpec,
}

impl Question {
    /// The concept line to show after the explanation, unless the explanation already states it.
    pub fn extra_concept(&self) -> Option<&str> {
        let c = self.concept.as_deref()?;
        let core = c
            .trim()
            .trim_matches(|ch: char| ch == '*' || ch == '_' || ch.is_whitespace());
        (!self.explanation.contains(core)).then_some(c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Single,
    Multi,
    Matrix,
    Ordering,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multi => "multi",
            Kind::Matrix => "matrix",
            Kind::Ordering => "ordering",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionSpec {
    Single {
        options: Vec<ChoiceOption>,
    },
    Multi {
        options: Vec<ChoiceOption>,
    },
    Matrix {
        rows: Vec<Labelled>,
        columns: Vec<Labelled>,
        /// The key: (row index, column index) pairs that must be granted; every other cell is a deny.
        grants: BTreeSet<(usize, usize)>,
        cells: Vec<CellNote>,
    },
    Ordering {
        /// In the order the student first sees them.
        steps: Vec<Step>,
        /// The key, as indices into `steps`.
        order: Vec<usize>,
    },
}

impl QuestionSpec {
    pub fn kind(&self) -> Kind {
        match self {
            QuestionSpec::Single { .. } => Kind::Single,
            QuestionSpec::Multi { .. } => Kind::Multi,
            QuestionSpec::Matrix { .. } => Kind::Matrix,
            QuestionSpec::Ordering { .. } => Kind::Ordering,
        }
    }
}

/// How an option counts when graded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptionGrade {
    /// Single choice: fraction of the question's points earned by choosing it.
    Credit(f64),
    /// Multi-select: whether the set must, may or must not contain it.
    Expected(Expected),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Required,
    Optional,
    Forbidden,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
    pub feedback: String,
    pub grade: OptionGrade,
    pub misconception: Option<String>,
    /// Fixed 1-based position when a quiz shuffles options.
    pub pin: Option<u32>,
}

impl ChoiceOption {
    /// Is this option part of the key (full credit, or required)?
    pub fn is_key(&self) -> bool {
        match self.grade {
            OptionGrade::Credit(c) => c >= 1.0,
            OptionGrade::Expected(e) => e == Expected::Required,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CellNote {
    pub row: usize,
    pub column: usize,
    pub feedback: String,
    pub misconception: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub feedback: Option<String>,
}

impl Puzzle {
    /// Every question with its task, in play order.
    pub fn questions(&self) -> impl Iterator<Item = (&Task, &Question)> {
        self.tasks
            .iter()
            .flat_map(|t| t.questions.iter().map(move |q| (t, q)))
    }

    pub fn max_points(&self) -> u32 {
        self.tasks.iter().map(Task::max_points).sum()
    }

    /// The answer-sheet path of a question: `<task id>.<question id>`.
    pub fn question_path(task: &Task, question: &Question) -> String {
        format!("{}.{}", task.id, question.id)
    }

    pub fn find_question(&self, path: &str) -> Option<(&Task, &Question)> {
        self.questions()
            .find(|(t, q)| Self::question_path(t, q) == path)
    }
}

impl Task {
    pub fn max_points(&self) -> u32 {
        self.questions.iter().map(|q| q.points).sum()
    }
}
