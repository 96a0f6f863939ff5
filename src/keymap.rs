//! The one keymap: it drives dispatch, the key bar and the help overlay, so they cannot drift apart.

use crate::action::Action;
use crate::model::{Model, Overlay, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere except inside an overlay.
    Any,
    Menu,
    /// Screens with a body to scroll and pages to turn.
    Reading,
    /// A task screen with questions.
    Task,
    Confirm,
    Help,
    /// A text field has the keyboard (the quiz name prompt).
    TextInput,
    /// The quiz rules: Enter starts the clock.
    Rules,
    /// A quiz task's summary: Enter submits the task.
    Submit,
    /// The quiz score: Enter opens the review.
    Score,
    /// Projector mode: clicker keys and reveal keys.
    Present,
    /// Projector mode with the screen blanked: any key returns.
    Blanked,
}

pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written on screen.
    pub keys_label: &'static str,
    pub action: Action,
    /// Short label for the key bar.
    pub label: &'static str,
    /// Longer description for the help overlay.
    pub help: &'static str,
    pub context: Context,
    pub in_bar: bool,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

pub static BINDINGS: &[Binding] = &[
    // Overlays first: they capture keys before anything else.
    Binding {
        keys: &[(KeyCode::Char('y'), NONE), (KeyCode::Char('Y'), SHIFT)],
        keys_label: "y",
        action: Action::Yes,
        label: "yes",
        help: "confirm",
        context: Context::Confirm,
        in_bar: true,
    },
    Binding {
        keys: &[
            (KeyCode::Char('n'), NONE),
            (KeyCode::Char('N'), SHIFT),
            (KeyCode::Esc, NONE),
        ],
        keys_label: "n/Esc",
        action: Action::No,
        label: "no",
        help: "cancel",
        context: Context::Confirm,
        in_bar: true,
    },
    Binding {
        keys: &[
            (KeyCode::Esc, NONE),
            (KeyCode::Char('?'), NONE),
            (KeyCode::Char('?'), SHIFT),
        ],
        keys_label: "Esc/?",
        action: Action::Back,
        label: "close",
        help: "close this help",
        context: Context::Help,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        keys_label: "↑/k",
        action: Action::ScrollUp,
        label: "scroll",
        help: "scroll the help up",
        context: Context::Help,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        keys_label: "↓/j",
        action: Action::ScrollDown,
        label: "scroll",
        help: "scroll the help down",
        context: Context::Help,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        keys_label: "Enter",
        action: Action::Check,
        label: "start",
        help: "accept the name / start the quiz and its clock",
        context: Context::TextInput,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Backspace, NONE)],
        keys_label: "Backspace",
        action: Action::Backspace,
        label: "erase",
        help: "erase a character",
        context: Context::TextInput,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Esc, NONE)],
        keys_label: "Esc",
        action: Action::Back,
        label: "leave",
        help: "leave without starting the quiz",
        context: Context::TextInput,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        keys_label: "Enter",
        action: Action::Check,
        label: "start quiz",
        help: "start the quiz and its clock",
        context: Context::Rules,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        keys_label: "Enter",
        action: Action::Check,
        label: "submit task",
        help: "submit this task (asks y/n); it then locks",
        context: Context::Submit,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        keys_label: "Enter",
        action: Action::Check,
        label: "review",
        help: "on the quiz score: review every question",
        context: Context::Score,
        in_bar: true,
    },
    // Projector.
    Binding {
        keys: &[
            (KeyCode::PageDown, NONE),
            (KeyCode::Right, NONE),
            (KeyCode::Char(' '), NONE),
            (KeyCode::Enter, NONE),
        ],
        keys_label: "PgDn/→/Space",
        action: Action::Advance,
        label: "next",
        help: "next reveal step (answer, explanation), then the next question",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[
            (KeyCode::PageUp, NONE),
            (KeyCode::Left, NONE),
            (KeyCode::Char('p'), NONE),
        ],
        keys_label: "PgUp/←",
        action: Action::Retreat,
        label: "back",
        help: "previous question (keeps what was revealed)",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('n'), NONE)],
        keys_label: "n",
        action: Action::Skip,
        label: "skip",
        help: "next question without revealing anything",
        context: Context::Present,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('a'), NONE)],
        keys_label: "a",
        action: Action::RevealAnswer,
        label: "answer",
        help: "reveal the answer: the key and every option's feedback",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('h'), NONE)],
        keys_label: "h",
        action: Action::Hint,
        label: "hint",
        help: "reveal the task's next hint",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('e'), NONE)],
        keys_label: "e",
        action: Action::RevealExplanation,
        label: "explain",
        help: "reveal the explanation and the concept to teach",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('s'), NONE)],
        keys_label: "s",
        action: Action::RevealSolution,
        label: "solution",
        help: "reveal the task's suggested solution",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('b'), NONE), (KeyCode::Char('.'), NONE)],
        keys_label: "b/.",
        action: Action::Blank,
        label: "blank",
        help: "blank the screen (any key returns)",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('t'), NONE)],
        keys_label: "t",
        action: Action::ToggleTimer,
        label: "timer",
        help: "start / pause the discussion timer",
        context: Context::Present,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('g'), NONE)],
        keys_label: "g 1–4",
        action: Action::JumpPrefix,
        label: "jump",
        help: "jump to a task: g, then its number",
        context: Context::Present,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('+'), NONE), (KeyCode::Char('='), NONE)],
        keys_label: "+",
        action: Action::VoteUp,
        label: "vote",
        help: "add a raised hand to the focused option",
        context: Context::Present,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('-'), NONE)],
        keys_label: "-",
        action: Action::VoteDown,
        label: "unvote",
        help: "take a hand away from the focused option",
        context: Context::Present,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        keys_label: "↑/k",
        action: Action::Up,
        label: "focus",
        help: "focus the previous option (for votes)",
        context: Context::Present,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        keys_label: "↓/j",
        action: Action::Down,
        label: "focus",
        help: "focus the next option (for votes)",
        context: Context::Present,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('l'), NONE)],
        keys_label: "l",
        action: Action::ToggleLab,
        label: "policy lab",
        help: "policy lab on Task 2's access matrix and Task 4's key actions (1–8 switch its options)",
        context: Context::Present,
        in_bar: false,
    },
    // Menu.
    Binding {
        keys: &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        keys_label: "↑/k",
        action: Action::Up,
        label: "up",
        help: "previous entry",
        context: Context::Menu,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        keys_label: "↓/j",
        action: Action::Down,
        label: "down",
        help: "next entry",
        context: Context::Menu,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        keys_label: "Enter",
        action: Action::Check,
        label: "choose",
        help: "open the chosen entry",
        context: Context::Menu,
        in_bar: true,
    },
    // Questions.
    Binding {
        keys: &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        keys_label: "↑/k",
        action: Action::Up,
        label: "move",
        help: "move up (with a step picked up: move it up)",
        context: Context::Task,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        keys_label: "↓/j",
        action: Action::Down,
        label: "move",
        help: "move down (with a step picked up: move it down)",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Left, NONE)],
        keys_label: "←",
        action: Action::Left,
        label: "column",
        help: "previous matrix column",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Right, NONE)],
        keys_label: "→",
        action: Action::Right,
        label: "column",
        help: "next matrix column",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char(' '), NONE)],
        keys_label: "Space",
        action: Action::Select,
        label: "select",
        help: "select / toggle; in a step list pick up or drop the step",
        context: Context::Task,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        keys_label: "Enter",
        action: Action::Check,
        label: "check",
        help: "check the current question",
        context: Context::Task,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Tab, NONE)],
        keys_label: "Tab",
        action: Action::NextQuestion,
        label: "next Q",
        help: "next question",
        context: Context::Task,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)],
        keys_label: "Shift-Tab",
        action: Action::PrevQuestion,
        label: "prev Q",
        help: "previous question",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('h'), NONE)],
        keys_label: "h",
        action: Action::Hint,
        label: "hint",
        help: "reveal the task's next hint",
        context: Context::Task,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('e'), NONE)],
        keys_label: "e",
        action: Action::ToggleExplanation,
        label: "explain",
        help: "show / hide the explanation of a checked question",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('r'), NONE)],
        keys_label: "r",
        action: Action::Reset,
        label: "reset",
        help: "reset this task (asks first)",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('l'), NONE)],
        keys_label: "l",
        action: Action::ToggleLab,
        label: "policy lab",
        help: "policy lab (Task 2 access matrix, Task 4 key actions): live policies, simulator, path check; 1–8 switch its options",
        context: Context::Task,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('x'), NONE)],
        keys_label: "x",
        action: Action::ExportPolicies,
        label: "export",
        help: "policy lab: write your policies as JSON files (into <data dir>/policies)",
        context: Context::Task,
        in_bar: false,
    },
    // Reading.
    Binding {
        keys: &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        keys_label: "↑/k",
        action: Action::ScrollUp,
        label: "scroll",
        help: "scroll up",
        context: Context::Reading,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        keys_label: "↓/j",
        action: Action::ScrollDown,
        label: "scroll",
        help: "scroll down",
        context: Context::Reading,
        in_bar: false,
    },
    // Everywhere.
    Binding {
        keys: &[(KeyCode::Char('n'), NONE), (KeyCode::PageDown, NONE)],
        keys_label: "n/PgDn",
        action: Action::NextScreen,
        label: "next",
        help: "next screen",
        context: Context::Any,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('p'), NONE), (KeyCode::PageUp, NONE)],
        keys_label: "p/PgUp",
        action: Action::PrevScreen,
        label: "back",
        help: "previous screen",
        context: Context::Any,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Char('?'), NONE), (KeyCode::Char('?'), SHIFT)],
        keys_label: "?",
        action: Action::Help,
        label: "help",
        help: "show all keys",
        context: Context::Any,
        in_bar: true,
    },
    Binding {
        keys: &[(KeyCode::Esc, NONE)],
        keys_label: "Esc",
        action: Action::Back,
        label: "menu",
        help: "back to the menu",
        context: Context::Any,
        in_bar: false,
    },
    Binding {
        keys: &[(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)],
        keys_label: "q",
        action: Action::Quit,
        label: "quit",
        help: "quit (progress is saved)",
        context: Context::Any,
        in_bar: true,
    },
];

/// The contexts active for a model, most specific first.
pub fn contexts(model: &Model) -> &'static [Context] {
    match (model.overlay, model.screen) {
        (Some(Overlay::ConfirmReset | Overlay::ConfirmHint | Overlay::ConfirmSubmit), _) => {
            &[Context::Confirm]
        }
        (Some(Overlay::Help), _) => &[Context::Help],
        (None, _) if model.present.as_ref().is_some_and(|p| p.blank) => &[Context::Blanked],
        (None, Screen::Menu) => &[Context::Menu, Context::Any],
        (None, _) if model.policy.presentation => &[Context::Present, Context::Any],
        (None, Screen::Task(_)) => &[Context::Task, Context::Reading, Context::Any],
        (None, Screen::NamePrompt) => &[Context::TextInput],
        (None, Screen::Rules) => &[Context::Rules, Context::Reading, Context::Any],
        (None, Screen::Score) => &[Context::Score, Context::Reading, Context::Any],
        // The quiz's submit screen takes Enter.
        (None, Screen::Solution(t))
            if model.quiz.as_ref().is_some_and(|q| !q.finished) && !model.task_locked(t) =>
        {
            &[Context::Submit, Context::Reading, Context::Any]
        }
        (None, _) => &[Context::Reading, Context::Any],
    }
}

fn matches(binding: &Binding, key: &KeyEvent) -> bool {
    binding.keys.iter().any(|&(code, mods)| {
        code == key.code
            && (mods == key.modifiers
                || (matches!(code, KeyCode::Char(_))
                    && key.modifiers == SHIFT
                    && mods == NONE
                    && code != KeyCode::Char(' ')))
    })
}

/// Map a key press to an action in the model's current contexts. Ctrl-C always quits.
pub fn dispatch(model: &Model, key: &KeyEvent) -> Option<Action> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(CTRL) {
        return Some(Action::Quit);
    }
    let ctxs = contexts(model);
    if ctxs == [Context::Blanked] {
        // Any key brings the screen back: a presenter must never be stuck on black.
        return Some(Action::Blank);
    }
    if model.lab_open
        && !model.present.as_ref().is_some_and(|p| p.awaiting_jump)
        && let KeyCode::Char(c @ '1'..='8') = key.code
    {
        return Some(Action::Digit(c as u8 - b'0'));
    }
    if model.present.as_ref().is_some_and(|p| p.awaiting_jump)
        && let KeyCode::Char(c @ '1'..='9') = key.code
    {
        return Some(Action::Digit(c as u8 - b'0'));
    }
    if ctxs == [Context::TextInput]
        && let KeyCode::Char(c) = key.code
        && !key.modifiers.intersects(CTRL | KeyModifiers::ALT)
    {
        return Some(Action::Type(c));
    }
    for ctx in ctxs {
        if let Some(b) = BINDINGS
            .iter()
            .find(|b| b.context == *ctx && matches(b, key))
        {
            return Some(b.action);
        }
    }
    if model.overlay == Some(Overlay::Help) {
        // Any other key closes the help too: nobody should be stuck in it.
        return Some(Action::Back);
    }
    None
}

/// The bindings to show in the key bar, in table order, one per label.
pub fn bar(model: &Model) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for ctx in contexts(model) {
        for b in BINDINGS.iter().filter(|b| b.context == *ctx && b.in_bar) {
            if !out.iter().any(|(k, l)| *l == b.label || *k == b.keys_label) {
                out.push((b.keys_label, b.label));
            }
        }
    }
    out
}

/// Every binding grouped for the help overlay: (section, keys, description).
pub fn help_rows(model: &Model) -> Vec<(&'static str, &'static str, &'static str)> {
    let presenting = model.policy.presentation;
    let quiz = model.policy.submit_tasks;
    BINDINGS
        .iter()
        .filter(|b| match b.context {
            Context::Help | Context::Blanked => false,
            Context::Present => presenting,
            Context::Task | Context::Reading | Context::Confirm => !presenting,
            Context::TextInput | Context::Rules | Context::Submit | Context::Score => quiz,
            Context::Menu | Context::Any => true,
        })
        // In projector mode the clicker keys override n/p: list each key once.
        .filter(|b| {
            !(presenting
                && b.context == Context::Any
                && matches!(b.action, Action::NextScreen | Action::PrevScreen))
        })
        .map(|b| {
            let section = match b.context {
                Context::Any => "Everywhere",
                Context::Menu => "Menu",
                Context::Reading => "Reading",
                Context::Task => "Questions",
                Context::Confirm => "Confirmations",
                Context::Help => "Help",
                Context::TextInput => "Name prompt",
                Context::Rules | Context::Submit | Context::Score => "Quiz",
                Context::Present | Context::Blanked => "Projector",
            };
            (section, b.keys_label, b.help)
        })
        .collect()
}
