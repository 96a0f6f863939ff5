//! Nothing from a content pack reaches the terminal as a control character: a label carrying an
//! escape sequence is drawn with the control character replaced.

use kmsquest::action::Action;
use kmsquest::content::embedded::pack_from_dir;
use kmsquest::content::load_pack;
use kmsquest::mode::Mode;
use kmsquest::model::{Focus, Model, Screen};
use kmsquest::ui::{self, Theme, text::sanitize};
use kmsquest::update::{go_to, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

#[test]
fn sanitize_replaces_every_control_character() {
    assert_eq!(sanitize("a\x1b[2Jb"), "a\u{FFFD}[2Jb");
    assert_eq!(sanitize("bell\x07"), "bell\u{FFFD}");
    assert_eq!(sanitize("tab\tnewline\n"), "tab newline ");
    assert_eq!(sanitize("rtl\u{202E}x"), "rtl\u{FFFD}x");
    assert_eq!(sanitize("plain — ünïcode ✓"), "plain — ünïcode ✓");
}

#[test]
fn an_escape_sequence_in_content_is_drawn_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good-pack");
    for f in ["puzzle.toml", "task1.toml"] {
        let text = std::fs::read_to_string(good.join(f)).unwrap();
        // TOML's \u001b escape puts a real ESC into the label and the title.
        let text = text
            .replacen(
                "label = \"Option a\"",
                "label = \"Option \\u001b[2J\\u001b]0;pwned\\u0007a\"",
                1,
            )
            .replacen("title = \"", "title = \"\\u001b[31m", 1);
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    let puzzles = load_pack(&pack_from_dir(dir.path()).unwrap()).expect("the pack still loads");
    let mut m = Model::new(
        Arc::new(puzzles.into_iter().next().unwrap()),
        Mode::Practice.policy(),
    );
    go_to(&mut m, Screen::Task(0));
    m.tasks[0].focus = Focus::Question(0);
    update(&mut m, Action::Resize);
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    term.draw(|f| {
        ui::view(&m, &Theme::dark(), f);
    })
    .unwrap();
    let buf = term.backend().buffer().clone();
    let all: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(
        all.contains("Option \u{FFFD}[2J"),
        "the label is drawn with the ESC replaced"
    );
    assert!(
        !all.chars().any(|c| c.is_control()),
        "no control character in any cell"
    );
}
