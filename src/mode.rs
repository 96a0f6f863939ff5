//! Modes are policies: data that decides what is shown, scored and saved. `Mode::policy` is the one
//! place that matches on the mode; screens read the policy, never the mode.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Practice,
    Quiz,
    Present,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackTiming {
    /// Marks, feedback and explanation right after a question is checked.
    Immediate,
    /// Nothing about the key until the whole quiz is finished.
    AtEnd,
    /// Only what the presenter reveals, part by part.
    OnReveal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Shown in the status line.
    pub label: &'static str,
    pub feedback: FeedbackTiming,
    /// Whether a checked question can be changed and checked again.
    pub retries: bool,
    /// Whether revealing a hint costs the points the content sets (and asks first).
    pub hints_cost_points: bool,
    /// Whether progress is written to the data dir after every check.
    pub saves_progress: bool,
    /// Whether a task's suggested solution opens only once all its questions are checked.
    pub solution_needs_all_checked: bool,
    /// Whether solutions, marks and explanations wait until the quiz is finished.
    pub reveal_after_finish: bool,
    /// Whether options are shown in a seeded shuffled order.
    pub shuffle_options: bool,
    /// Whether every answer change is recorded at once (no answer is ever lost to a crash).
    pub record_on_change: bool,
    /// Whether tasks are submitted (and then locked) from their summary screen.
    pub submit_tasks: bool,
    /// Whether the run is timed and written as a results file.
    pub writes_results: bool,
    /// Projector layout: big titles, one question at a time, lettered options, vote tallies,
    /// reveal keys and a discussion timer.
    pub presentation: bool,
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
                reveal_after_finish: false,
                shuffle_options: false,
                record_on_change: false,
                submit_tasks: false,
                writes_results: false,
                presentation: false,
            },
            Mode::Quiz => Policy {
                label: "Quiz",
                feedback: FeedbackTiming::AtEnd,
                retries: true,
                hints_cost_points: true,
                saves_progress: false,
                solution_needs_all_checked: true,
                reveal_after_finish: true,
                shuffle_options: true,
                record_on_change: true,
                submit_tasks: true,
                writes_results: true,
                presentation: false,
            },
            Mode::Present => Policy {
                label: "Present",
                feedback: FeedbackTiming::OnReveal,
                retries: false,
                hints_cost_points: false,
                saves_progress: false,
                solution_needs_all_checked: false,
                reveal_after_finish: false,
                shuffle_options: false,
                record_on_change: false,
                submit_tasks: false,
                writes_results: false,
                presentation: true,
            },
        }
    }
}
