//! Answer sheets: the blank sheet round-trips, and every malformed sheet in
//! `tests/fixtures/bad-sheets/` is rejected with a message naming the bad id and the valid ones.

use kmsquest::answer::{Answer, Answers};
use kmsquest::content::{self, Puzzle, QuestionSpec};
use kmsquest::sheet::{self, SheetError};
use std::path::{Path, PathBuf};
use std::process::Command;

fn puzzle() -> Puzzle {
    content::load(None)
        .expect("the embedded pack is valid")
        .remove(0)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn bad_sheet(name: &str) -> String {
    let text = std::fs::read_to_string(fixtures().join("bad-sheets").join(name)).unwrap();
    let err = kmsquest::cli::grade_text(&puzzle(), &text)
        .expect_err("a malformed sheet must be rejected");
    // `grade_text` and `sheet::parse` agree on every sheet (neither is a quiz results file).
    assert_eq!(sheet::parse(&puzzle(), &text).unwrap_err(), err);
    err.0
}

fn all_question_paths(p: &Puzzle) -> String {
    p.questions()
        .map(|(t, q)| Puzzle::question_path(t, q))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------- the blank sheet

#[test]
fn blank_sheet_is_valid_toml_and_parses_to_no_answers() {
    let p = puzzle();
    let blank = sheet::blank(&p);
    let table: toml::Table = toml::from_str(&blank).expect("the blank sheet is valid TOML");
    assert_eq!(
        table.get("puzzle").and_then(|v| v.as_str()),
        Some("kms-secrets-manager")
    );
    assert_eq!(table.get("name").and_then(|v| v.as_str()), Some(""));
    for t in &p.tasks {
        assert!(table.contains_key(&t.id), "[{}] is missing", t.id);
    }
    let answers = sheet::parse(&p, &blank).expect("the blank sheet parses");
    assert_eq!(answers, Answers::new());

    let report = kmsquest::cli::grade_text(&p, &blank).unwrap();
    assert_eq!(report.total, 0.0);
    assert_eq!(report.max, f64::from(p.max_points()));
    assert!(
        report
            .questions
            .iter()
            .all(|q| q.grade.verdict == kmsquest::grading::Verdict::Unanswered)
    );
}

#[test]
fn blank_sheet_keeps_plain_keys_out_of_matrix_tables() {
    // task2's matrix `access` sits between plain questions; its `[task2.access]` table must come
    // after `resource-scope` and `kms-permission`, or those keys would land inside the matrix.
    let p = puzzle();
    let table: toml::Table = toml::from_str(&sheet::blank(&p)).unwrap();
    let task2 = table["task2"].as_table().unwrap();
    let access = task2["access"].as_table().unwrap();
    let rows: Vec<&str> = access.keys().map(String::as_str).collect();
    assert_eq!(rows, vec!["admin-console", "analytics", "payments-api"]);
    for key in ["storage", "sts", "resource-scope", "kms-permission"] {
        assert!(task2.contains_key(key), "task2.{key}");
    }
    assert_eq!(task2["kms-permission"].as_array().map(Vec::len), Some(0));
    let auth = task2["auth"].as_table().unwrap();
    assert_eq!(auth["payments-api"].as_str(), Some(""));

    // The same holds for the control pack, whose matrix is followed by an ordering.
    let good = content::load(Some(&fixtures().join("good-pack")))
        .unwrap()
        .remove(0);
    let blank = sheet::blank(&good);
    assert_eq!(sheet::parse(&good, &blank).unwrap(), Answers::new());
    let table: toml::Table = toml::from_str(&blank).unwrap();
    let task1 = table["task1"].as_table().unwrap();
    assert_eq!(task1["steps"].as_array().map(Vec::len), Some(0));
    let grid: Vec<&str> = task1["grid"]
        .as_table()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(grid, vec!["r1", "r2"]);
}

#[test]
fn blank_sheet_lists_every_question_and_its_ids() {
    let p = puzzle();
    let blank = sheet::blank(&p);
    for (t, q) in p.questions() {
        let path = Puzzle::question_path(t, q);
        let unit = if q.points == 1 { "point" } else { "points" };
        let header = format!("# {path} ({}, {} {unit}): ", q.spec.kind().name(), q.points);
        assert!(blank.contains(&header), "{header:?} missing");
        let ids: Vec<&str> = match &q.spec {
            QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
                options.iter().map(|o| o.id.as_str()).collect()
            }
            QuestionSpec::Matrix { columns, .. } => columns.iter().map(|c| c.id.as_str()).collect(),
            QuestionSpec::Ordering { steps, .. } => steps.iter().map(|s| s.id.as_str()).collect(),
        };
        for id in ids {
            assert!(blank.contains(&format!("#   \"{id}\" = ")), "{path}: {id}");
        }
    }
    assert!(blank.contains("\n[task3.rds-master-password]\n"));
    assert!(blank.contains("\n[task2.access]\n"));
}

#[test]
fn sheet_command_prints_the_blank_sheet() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .arg("sheet")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, sheet::blank(&puzzle()));
}

#[test]
fn answers_round_trip_through_to_table() {
    let p = puzzle();
    let text = std::fs::read_to_string(fixtures().join("sheets/key.toml")).unwrap();
    let answers = sheet::parse(&p, &text).unwrap();
    assert_eq!(answers.len(), p.questions().count());
    let written = toml::to_string(&sheet::to_table(&answers)).unwrap();
    assert_eq!(sheet::parse(&p, &written).unwrap(), answers);
    assert_eq!(
        answers.get("task2.access"),
        Some(&Answer::Matrix(
            [
                ("admin-console", vec!["oauth-client-secret"]),
                (
                    "analytics",
                    vec!["internal-shared-secret", "rds-readonly-password"]
                ),
                (
                    "payments-api",
                    vec![
                        "internal-shared-secret",
                        "payment-gateway-api-key",
                        "rds-master-password"
                    ]
                ),
            ]
            .into_iter()
            .map(|(r, cols)| (
                r.to_string(),
                cols.into_iter().map(str::to_string).collect()
            ))
            .collect()
        ))
    );
    assert_eq!(
        answers.get("task3.rds-master-password.method"),
        Some(&Answer::Single("built-in".into()))
    );
}

#[test]
fn empty_values_are_unanswered_not_errors() {
    let p = puzzle();
    let text = r#"
puzzle = "kms-secrets-manager"
name = "Ada"
[task1]
rds-master-password = ""
[task2]
kms-permission = []
[task2.access]
payments-api = []
[task3]
rotation-steps = []
"#;
    assert_eq!(sheet::parse(&p, text).unwrap(), Answers::new());
}

// ---------------------------------------------------------------- malformed sheets

#[test]
fn unknown_question_id() {
    let p = puzzle();
    assert_eq!(
        bad_sheet("unknown-question.toml"),
        format!(
            "unknown question \"task1.rds-master-pasword-why\"; valid questions: {}",
            all_question_paths(&p)
        )
    );
    assert!(all_question_paths(&p).contains("task1.rds-master-password-why"));
}

#[test]
fn unknown_option_value() {
    assert_eq!(
        bad_sheet("unknown-option.toml"),
        "task1.rds-master-password: unknown option \"vault\"; valid ids: \"kms\", \"secrets-manager\""
    );
}

#[test]
fn unknown_task_table() {
    let p = puzzle();
    assert_eq!(
        bad_sheet("unknown-task.toml"),
        format!(
            "unknown question \"task5.summary\"; valid questions: {}",
            all_question_paths(&p)
        )
    );
}

#[test]
fn wrong_type_number_for_single() {
    assert_eq!(
        bad_sheet("wrong-type.toml"),
        "task1.rds-master-password: expected one id as a string, found an integer; \
         valid ids: \"kms\", \"secrets-manager\""
    );
}

#[test]
fn multi_with_unknown_action() {
    assert_eq!(
        bad_sheet("multi-unknown-action.toml"),
        "task4.auditor-key-actions: unknown id \"kms:ReadKey\"; valid ids: \"kms:Decrypt\", \
         \"kms:DescribeKey\", \"kms:Encrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \
         \"kms:CreateGrant\", \"kms:PutKeyPolicy\", \"kms:DisableKey\", \"kms:ScheduleKeyDeletion\""
    );
}

#[test]
fn multi_given_a_string() {
    assert_eq!(
        bad_sheet("multi-not-a-list.toml"),
        "task4.auditor-key-actions: expected a list of ids, found a string"
    );
}

#[test]
fn matrix_with_unknown_row() {
    assert_eq!(
        bad_sheet("matrix-unknown-row.toml"),
        "task2.access: unknown row \"billing\"; valid rows: \"payments-api\", \"analytics\", \
         \"admin-console\""
    );
}

#[test]
fn matrix_with_unknown_column() {
    assert_eq!(
        bad_sheet("matrix-unknown-column.toml"),
        "task2.access.payments-api: unknown id \"s3-bucket\"; valid ids: \"rds-master-password\", \
         \"rds-readonly-password\", \"payment-gateway-api-key\", \"internal-shared-secret\", \
         \"oauth-client-secret\""
    );
}

#[test]
fn matrix_given_a_list() {
    assert_eq!(
        bad_sheet("matrix-not-a-table.toml"),
        "task2.access: expected a table of row = [column ids], found a list"
    );
}

#[test]
fn ordering_missing_a_step() {
    assert_eq!(
        bad_sheet("ordering-missing-step.toml"),
        "task3.rotation-steps: list every step exactly once; missing \"finish-secret\""
    );
}

#[test]
fn ordering_listing_a_step_twice() {
    assert_eq!(
        bad_sheet("ordering-duplicate-step.toml"),
        "task3.rotation-steps: \"set-secret\" is listed twice"
    );
}

#[test]
fn invalid_toml_syntax() {
    assert_eq!(
        bad_sheet("invalid-toml.toml"),
        "not valid TOML: unclosed table, expected `]`"
    );
}

#[test]
fn sheet_for_another_puzzle() {
    assert_eq!(
        bad_sheet("other-puzzle.toml"),
        "this sheet is for puzzle \"other\", but the content is puzzle \"kms-secrets-manager\""
    );
}

#[test]
fn every_bad_sheet_fixture_is_rejected() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("bad-sheets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "invalid-toml.toml",
            "matrix-not-a-table.toml",
            "matrix-unknown-column.toml",
            "matrix-unknown-row.toml",
            "multi-not-a-list.toml",
            "multi-unknown-action.toml",
            "ordering-duplicate-step.toml",
            "ordering-missing-step.toml",
            "other-puzzle.toml",
            "unknown-option.toml",
            "unknown-question.toml",
            "unknown-task.toml",
            "wrong-type.toml",
        ],
        "a new fixture needs its own test above"
    );
    for name in &names {
        let msg = bad_sheet(name);
        assert!(!msg.is_empty(), "{name}");
    }
}

#[test]
fn sheet_error_displays_its_message() {
    let e = SheetError("task1.x: boom".into());
    assert_eq!(e.to_string(), "task1.x: boom");
}

#[test]
fn quiz_results_file_is_graded_from_its_answers_table() {
    // A results file keeps answers in sheet shape under [answers]; `grade` re-grades them.
    let p = puzzle();
    let text = r#"
format_version = 1
puzzle = "kms-secrets-manager"
[answers.task1]
rds-master-password = "secrets-manager"
transaction-reports-key = "secrets-manager"
"#;
    let report = kmsquest::cli::grade_text(&p, text).unwrap();
    assert_eq!(report.total, 2.0);
    let wrong = r#"
format_version = 1
puzzle = "other"
[answers.task1]
rds-master-password = "secrets-manager"
"#;
    assert_eq!(
        kmsquest::cli::grade_text(&p, wrong).unwrap_err().0,
        "this sheet is for puzzle \"other\", but the content is puzzle \"kms-secrets-manager\""
    );
}
