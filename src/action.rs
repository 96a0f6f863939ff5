//! What the user meant (`Action`) and what the loop must do about it (`Effect`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    /// Space: select / toggle / pick up or drop.
    Select,
    /// Enter: check the current question (or activate a menu entry).
    Check,
    NextQuestion,
    PrevQuestion,
    NextScreen,
    PrevScreen,
    Hint,
    ToggleExplanation,
    Reset,
    Help,
    /// Esc: close an overlay, or go back.
    Back,
    Quit,
    Yes,
    No,
    ScrollUp,
    ScrollDown,
    /// A mouse click on something the last frame drew.
    Click(crate::ui::HitTarget),
    /// The terminal was resized: nothing to change but a redraw.
    Resize,
    /// A character typed into a text field (the quiz name prompt).
    Type(char),
    Backspace,
    /// The quiz clock: total seconds elapsed in this quiz (sent once a second while it runs).
    Tick(u64),
    /// Projector: the clicker's "next" — the next reveal step, else the next slide.
    Advance,
    /// Projector: the previous slide (reveals nothing, keeps what was revealed).
    Retreat,
    /// Projector: the next slide without revealing anything.
    Skip,
    RevealAnswer,
    RevealExplanation,
    RevealSolution,
    /// Projector: blank the screen, or bring it back.
    Blank,
    ToggleTimer,
    /// Projector: `g`, waiting for a task number.
    JumpPrefix,
    Digit(u8),
    VoteUp,
    VoteDown,
    /// Open / close the policy lab beside a lab question.
    ToggleLab,
    /// Write the lab's policies as JSON files.
    ExportPolicies,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the session's progress (atomically).
    SaveProgress,
    /// Quiz: autosave the in-progress state (atomically).
    SaveQuiz,
    /// Quiz: write the final results file and remove the in-progress one.
    WriteResults,
    /// Leave practice and start a quiz (the loop builds the quiz model).
    StartQuiz,
    /// Leave practice and present to a class (the loop builds the projector model).
    StartPresent,
    /// Write the policy lab's policies as JSON files (the loop does the I/O).
    ExportPolicies,
    Quit,
}
