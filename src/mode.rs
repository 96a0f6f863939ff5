//! Modes are policies: data that decides what is shown, scored and saved. `Mode::policy` is the one
//! place that matches on the mode; screens read the policy, never the mode.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Practice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackTiming {
    /// Marks, feedback and explanation right after a question is checked.
    Immediate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Shown in the status line.
    pub label: &'static str,
    pub feedback: FeedbackTiming,
    /// Whether a checked question can be changed and checked again.
    pub retries: bool,
    /// Whether revealing a hint costs the points the content sets.
    pub hints_cost_points: bool,
    /// Whether progress is written to the data dir after every check.
    pub saves_progress: bool,
    /// Whether a task's suggested solution opens only once all its questions are checked.
    pub solution_needs_all_checked: bool,
}

impl Mode {
    pub fn policy(self) -> Policy {
        match self {
            Mode::Practice => Policy {
                label: "Practice",
                feedback: FeedbackTiming::Immediate,
                retries: true,
                hints_cost_points: false,
                saves_progress: true,
                solution_needs_all_checked: true,
            },
        }
    }
}
