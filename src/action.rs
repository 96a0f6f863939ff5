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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the session's progress (atomically).
    SaveProgress,
    Quit,
}
