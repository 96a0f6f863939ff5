//! The policy lab inside Task 2 and Task 4: the student's answers become policies, the simulator
//! and the cross-account path follow every change, and the export is valid policy JSON.

use insta::assert_snapshot;
use kmsquest::action::{Action, Effect};
use kmsquest::cli::load_puzzle;
use kmsquest::lab::{self, LabKind};
use kmsquest::mode::Mode;
use kmsquest::model::{Draft, Focus, Model, Screen};
use kmsquest::policy::Decision;
use kmsquest::ui::{self, Theme};
use kmsquest::update::{go_to, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

fn practice() -> Model {
    Model::new(
        Arc::new(load_puzzle(None).unwrap()),
        Mode::Practice.policy(),
    )
}

fn locate(m: &Model, task: &str, question: &str) -> (usize, usize) {
    let t = m.puzzle.tasks.iter().position(|x| x.id == task).unwrap();
    let q = m.puzzle.tasks[t]
        .questions
        .iter()
        .position(|x| x.id == question)
        .unwrap();
    (t, q)
}

fn open_lab(m: &mut Model, task: &str, question: &str) -> (usize, usize) {
    let (t, q) = locate(m, task, question);
    go_to(m, Screen::Task(t));
    m.tasks[t].focus = Focus::Question(q);
    assert_eq!(update(m, Action::ToggleLab), vec![]);
    assert!(m.lab_open, "l opens the lab on {task}.{question}");
    (t, q)
}

/// Toggle matrix cells through update, as a student would.
fn grant(m: &mut Model, t: usize, q: usize, row: usize, col: usize) {
    m.tasks[t].questions[q].cursor = row;
    m.tasks[t].questions[q].column = col;
    update(m, Action::Select);
}

fn key_matrix(m: &mut Model, t: usize, q: usize) {
    for (r, cols) in [(0, vec![0, 2, 3]), (1, vec![1, 3]), (2, vec![4])] {
        for c in cols {
            grant(m, t, q, r, c);
        }
    }
}

fn outcome<'a>(
    outcomes: &'a [kmsquest::policy::SimOutcome],
    name: &str,
) -> &'a kmsquest::policy::SimOutcome {
    outcomes
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no request named {name}"))
}

#[test]
fn the_lab_opens_only_on_lab_questions() {
    let mut m = practice();
    go_to(&mut m, Screen::Task(0));
    m.tasks[0].focus = Focus::Question(0);
    update(&mut m, Action::ToggleLab);
    assert!(!m.lab_open);
    assert!(m.notice.as_deref().unwrap_or("").contains("policy lab"));
    let (t, q) = locate(&m, "task2", "access");
    assert_eq!(lab::lab_for(&m.puzzle, t, q), Some(LabKind::Secrets));
    let (t, q) = locate(&m, "task4", "auditor-key-actions");
    assert_eq!(lab::lab_for(&m.puzzle, t, q), Some(LabKind::CrossAccount));
}

#[test]
fn the_answer_key_matrix_passes_every_simulated_request() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task2", "access");
    let empty = lab::simulation(&m, &m.lab, LabKind::Secrets);
    assert!(
        !lab::all_as_expected(&empty),
        "an empty matrix denies what the services need"
    );
    key_matrix(&mut m, t, q);
    let outcomes = lab::simulation(&m, &m.lab, LabKind::Secrets);
    assert!(
        outcomes.len() >= 12,
        "at least 12 requests, got {}",
        outcomes.len()
    );
    for o in &outcomes {
        assert_eq!(
            o.verdict.decision,
            o.expected,
            "{}: {}",
            o.name,
            o.verdict.explain()
        );
    }
    assert!(lab::findings(&m, &m.lab).is_empty());
}

#[test]
fn granting_analytics_the_gateway_key_flips_that_request_and_is_flagged() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task2", "access");
    key_matrix(&mut m, t, q);
    grant(&mut m, t, q, 1, 2); // Analytics × payment gateway API key
    let outcomes = lab::simulation(&m, &m.lab, LabKind::Secrets);
    let o = outcome(&outcomes, "Analytics reads the payment gateway API key");
    assert_eq!(o.verdict.decision, Decision::Allow);
    assert_eq!(o.expected, Decision::Deny);
    assert!(
        o.verdict.explain().contains("Analytics"),
        "names the deciding statement: {}",
        o.verdict.explain()
    );
    let flags = lab::findings(&m, &m.lab).join("\n");
    assert!(
        flags.contains("Over-privilege: Analytics can read the payment gateway API key"),
        "{flags}"
    );
    // The same grant through the grader: the matrix question loses points for over-privilege.
    update(&mut m, Action::Check);
    let g = m.grade_of(t, q).unwrap();
    assert!(g.points < g.max);
}

#[test]
fn wildcards_are_flagged_and_widen_access() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task2", "access");
    key_matrix(&mut m, t, q);
    // The switches apply to the role under the matrix cursor: the Payments API's row.
    m.tasks[t].questions[q].cursor = 0;
    update(&mut m, Action::Digit(2)); // name-*
    update(&mut m, Action::Digit(2)); // *
    let outcomes = lab::simulation(&m, &m.lab, LabKind::Secrets);
    assert_eq!(
        outcome(&outcomes, "Payments API reads the OAuth client secret")
            .verdict
            .decision,
        Decision::Allow
    );
    assert_eq!(
        outcome(&outcomes, "Analytics reads the payment gateway API key")
            .verdict
            .decision,
        Decision::Deny,
        "other roles keep their own scope"
    );
    assert!(
        lab::findings(&m, &m.lab)
            .iter()
            .any(|f| f.starts_with("Payments API: Resource \"*\""))
    );
    update(&mut m, Action::Digit(2));
    update(&mut m, Action::Digit(1)); // secretsmanager:*
    let outcomes = lab::simulation(&m, &m.lab, LabKind::Secrets);
    assert_eq!(
        outcome(&outcomes, "Payments API deletes the RDS master password")
            .verdict
            .decision,
        Decision::Allow
    );
}

#[test]
fn the_cross_account_path_is_built_link_by_link() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task4", "auditor-key-actions");
    // The student's key-policy answer: kms:Decrypt for the auditors.
    let decrypt = match &m.puzzle.tasks[t].questions[q].spec {
        kmsquest::content::QuestionSpec::Multi { options } => {
            options.iter().position(|o| o.id == "kms:Decrypt").unwrap()
        }
        _ => unreachable!(),
    };
    m.tasks[t].questions[q].cursor = m.tasks[t].questions[q]
        .order
        .iter()
        .position(|&i| i == decrypt)
        .unwrap();
    update(&mut m, Action::Select);
    assert!(matches!(&m.tasks[t].questions[q].draft, Draft::Multi(s) if s.contains(&decrypt)));
    let first_broken = |m: &Model| {
        lab::auditor_path(m, &m.lab)
            .into_iter()
            .find(|l| !l.ok)
            .map(|l| l.label)
    };
    assert_eq!(
        first_broken(&m).as_deref(),
        Some("Bucket policy allows the auditor role s3:GetObject")
    );
    update(&mut m, Action::Digit(1));
    assert_eq!(
        first_broken(&m).as_deref(),
        Some("Auditor IAM policy allows s3:GetObject on the bucket")
    );
    update(&mut m, Action::Digit(6));
    assert_eq!(
        first_broken(&m).as_deref(),
        Some("Auditor IAM policy allows kms:Decrypt on the key's ARN")
    );
    update(&mut m, Action::Digit(5));
    assert_eq!(first_broken(&m), None, "every link holds");
    let outcomes = lab::simulation(&m, &m.lab, LabKind::CrossAccount);
    for must_fail in [
        "Auditor encrypts with the CMK",
        "Auditor schedules key deletion",
        "Auditor creates a grant on the key",
        "Auditor puts an object into the bucket",
    ] {
        if let Some(o) = outcomes.iter().find(|o| o.name == must_fail) {
            assert_eq!(o.verdict.decision, Decision::Deny, "{must_fail}");
        }
    }
    update(&mut m, Action::Digit(7)); // AWS managed key
    assert_eq!(
        first_broken(&m).as_deref(),
        Some("Reports key is customer managed")
    );
}

#[test]
fn export_writes_valid_policy_json() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task2", "access");
    key_matrix(&mut m, t, q);
    assert_eq!(
        update(&mut m, Action::ExportPolicies),
        vec![Effect::ExportPolicies]
    );
    let files = lab::export(&m, &m.lab);
    assert!(
        files
            .iter()
            .any(|(n, _)| n == "iam-PaymentsApiTaskRole.json")
    );
    for (name, json) in files {
        let v: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v["Version"], "2012-10-17", "{name}");
        let statements = v["Statement"].as_array().unwrap();
        assert!(!statements.is_empty(), "{name}");
        for s in statements {
            assert!(s["Effect"] == "Allow" || s["Effect"] == "Deny", "{name}");
            assert!(
                s.get("Action").is_some() && s.get("Resource").is_some(),
                "{name}"
            );
        }
    }
}

#[test]
fn quiz_mode_hides_the_lab_verdicts_until_the_end() {
    let mut m = Model::new_quiz(
        Arc::new(load_puzzle(None).unwrap()),
        Some("Ana".into()),
        None,
        1,
    );
    update(&mut m, Action::Check);
    let (t, q) = open_lab(&mut m, "task2", "access");
    let text = screen(&mut m, 120, 40);
    assert!(text.contains("verdicts appear"), "{text}");
    assert!(!text.contains("must ALLOW") && !text.contains("✓ DENY"));
    let _ = (t, q);
}

fn screen(m: &mut Model, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| {
        ui::view(m, &Theme::dark(), f);
    })
    .unwrap();
    let buf = term.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

fn snap(name: &str, m: &mut Model) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| {
            ui::view(m, &Theme::dark(), f);
        })
        .unwrap();
        assert_snapshot!(format!("{name}_{w}x{h}"), term.backend());
    }
}

#[test]
fn lab_snapshots() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task2", "access");
    snap("lab_builder_empty", &mut m);
    key_matrix(&mut m, t, q);
    grant(&mut m, t, q, 1, 2);
    snap("lab_simulator_over_privileged", &mut m);
    // Narrow terminals put the lab below the question: scroll to it.
    for _ in 0..25 {
        update(&mut m, Action::ScrollDown);
        m.scroll_limit = 200;
    }
    snap("lab_diagram_scrolled", &mut m);
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task4", "auditor-key-actions");
    let _ = (t, q);
    update(&mut m, Action::Digit(1));
    snap("lab_path_checker", &mut m);
}

#[test]
fn key_policy_rows_for_other_principals_are_the_labs_not_the_answer() {
    let mut m = practice();
    let (t, q) = open_lab(&mut m, "task4", "auditor-key-actions");
    let answer_before = m.tasks[t].questions[q].draft.clone();
    update(&mut m, Action::Digit(8)); // the auditors' whole account (root)
    assert_eq!(m.lab.key_principal, 1);
    let create_grant = match &m.puzzle.tasks[t].questions[q].spec {
        kmsquest::content::QuestionSpec::Multi { options } => options
            .iter()
            .position(|o| o.id == "kms:CreateGrant")
            .unwrap(),
        _ => unreachable!(),
    };
    m.tasks[t].questions[q].cursor = m.tasks[t].questions[q]
        .order
        .iter()
        .position(|&i| i == create_grant)
        .unwrap();
    assert_eq!(update(&mut m, Action::Select), vec![]);
    assert_eq!(
        m.tasks[t].questions[q].draft, answer_before,
        "the graded answer is untouched"
    );
    let root = lab::key_principals()[1].1.clone();
    let design = lab::design(&m, &m.lab);
    assert!(design.key_grid[&root].contains(&kmsquest::policy::puzzle::KmsAction::CreateGrant));
    let text = screen(&mut m, 120, 40);
    assert!(text.contains("Editing the lab's key-policy row"), "{text}");
    update(&mut m, Action::Digit(8));
    update(&mut m, Action::Digit(8));
    assert_eq!(m.lab.key_principal, 0, "8 cycles back to the answer");
}
