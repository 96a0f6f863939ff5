//! Content validation: the embedded pack is complete, and every malformed pack in
//! `tests/fixtures/bad-packs/` is rejected with an error naming the file, line, column, field and problem.

use kmsquest::content::{
    self, ContentError, ContentErrors, Expected, Kind, OptionGrade, Puzzle, QuestionSpec, embedded,
    load_pack,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn bad_pack(case: &str) -> PathBuf {
    fixtures().join("bad-packs").join(case)
}

fn load_dir(dir: &Path) -> Result<Vec<Puzzle>, ContentErrors> {
    let pack = embedded::pack_from_dir(dir).expect("the fixture folder is readable");
    load_pack(&pack)
}

/// What one bad pack must report: exactly one error, pointing here.
struct Expect {
    /// Path relative to the pack root.
    file: &'static str,
    /// 0 when the error has no span.
    line: usize,
    column: usize,
    field: &'static str,
    message: &'static str,
    /// Text that must start at `line:column` in the file (proves the position is the culprit's).
    at: Option<&'static str>,
}

fn only_error(dir: &Path) -> ContentError {
    let errors = match load_dir(dir) {
        Ok(p) => panic!(
            "{} loaded ({} puzzles) but must fail",
            dir.display(),
            p.len()
        ),
        Err(ContentErrors(errors)) => errors,
    };
    assert_eq!(
        errors.len(),
        1,
        "{}: expected exactly one error, got:\n{}",
        dir.display(),
        ContentErrors(errors.clone())
    );
    errors.into_iter().next().unwrap()
}

fn check_error(dir: &Path, e: &ContentError, want: &Expect) {
    let expected_file = format!("{}/{}", dir.display(), want.file);
    assert_eq!(e.file, expected_file, "file of {e}");
    assert!(e.file.ends_with(&format!("/{}", want.file)));
    assert_eq!(
        (e.line, e.column),
        (want.line, want.column),
        "position of {e}"
    );
    assert_eq!(e.field, want.field, "field of {e}");
    assert!(
        e.message.contains(want.message),
        "message {:?} should contain {:?}",
        e.message,
        want.message
    );
    assert!(!e.fix.is_empty(), "every error says how to fix it: {e}");
    if let Some(at) = want.at {
        let bytes = std::fs::read(dir.join(want.file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let line = text.lines().nth(want.line - 1).unwrap();
        let rest: String = line.chars().skip(want.column - 1).collect();
        assert!(
            rest.starts_with(at),
            "{}:{}:{} is {rest:?}, expected it to start with {at:?}",
            want.file,
            want.line,
            want.column
        );
    }
    // The rendered form is what `kmsquest check` prints.
    let shown = e.to_string();
    if want.line > 0 {
        assert!(shown.starts_with(&format!("{expected_file}:{}:{}: ", want.line, want.column)));
    } else {
        assert!(shown.starts_with(&format!("{expected_file}: ")));
    }
    if !want.field.is_empty() {
        assert!(shown.contains(&format!("field `{}`: ", want.field)));
    }
}

fn expect_bad(case: &str, want: Expect) {
    let dir = bad_pack(case);
    let e = only_error(&dir);
    check_error(&dir, &e, &want);
}

// ---------------------------------------------------------------- the control pack

#[test]
fn good_pack_fixture_loads_with_every_kind() {
    let puzzles = load_dir(&fixtures().join("good-pack")).expect("the control pack is valid");
    assert_eq!(puzzles.len(), 1);
    let p = &puzzles[0];
    assert_eq!(p.id, "tiny");
    assert_eq!(p.tasks.len(), 1);
    let t = &p.tasks[0];
    assert_eq!(
        t.hints
            .iter()
            .map(|h| (h.number, h.cost))
            .collect::<Vec<_>>(),
        vec![(1, 1), (2, 2)],
        "cost defaults to 1"
    );
    let kinds: Vec<(&str, Kind, u32)> = t
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.spec.kind(), q.points))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("pick", Kind::Single, 2),
            ("choose", Kind::Multi, 2),
            ("grid", Kind::Matrix, 3),
            ("steps", Kind::Ordering, 1),
        ]
    );
    assert_eq!(p.max_points(), 8);
    match &t.questions[0].spec {
        QuestionSpec::Single { options } => {
            let grades: Vec<_> = options.iter().map(|o| o.grade).collect();
            assert_eq!(
                grades,
                vec![
                    OptionGrade::Credit(1.0),
                    OptionGrade::Credit(0.5),
                    OptionGrade::Credit(0.0)
                ],
                "credit defaults to 0"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    match &t.questions[1].spec {
        QuestionSpec::Multi { options } => {
            let grades: Vec<_> = options.iter().map(|o| o.grade).collect();
            assert_eq!(
                grades,
                vec![
                    OptionGrade::Expected(Expected::Required),
                    OptionGrade::Expected(Expected::Optional),
                    OptionGrade::Expected(Expected::Forbidden)
                ]
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    match &t.questions[2].spec {
        QuestionSpec::Matrix { grants, cells, .. } => {
            assert_eq!(
                grants.iter().copied().collect::<Vec<_>>(),
                vec![(0, 0), (1, 0), (1, 1)]
            );
            assert_eq!(cells.len(), 1);
            assert_eq!((cells[0].row, cells[0].column), (0, 1));
            assert_eq!(cells[0].misconception.as_deref(), Some("over-privilege"));
        }
        other => panic!("unexpected {other:?}"),
    }
    match &t.questions[3].spec {
        QuestionSpec::Ordering { steps, order } => {
            let ids: Vec<_> = steps.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids, vec!["s2", "s3", "s1"]);
            assert_eq!(
                order,
                &vec![2, 0, 1],
                "key s1, s2, s3 as indices into steps"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

// ---------------------------------------------------------------- one test per bad pack

#[test]
fn duplicate_option_id() {
    expect_bad(
        "duplicate-option-id",
        Expect {
            file: "task1.toml",
            line: 29,
            column: 6,
            field: "questions[0].options[1].id",
            message: "duplicate id \"a\"",
            at: Some("\"a\""),
        },
    );
}

#[test]
fn single_question_without_full_credit_option() {
    expect_bad(
        "no-full-credit",
        Expect {
            file: "task1.toml",
            line: 16,
            column: 6,
            field: "questions[0].options",
            message: "the key is empty: no option has `credit = 1.0`",
            at: Some("\"q1\""),
        },
    );
}

#[test]
fn matrix_grants_unknown_column() {
    expect_bad(
        "matrix-unknown-column",
        Expect {
            file: "task1.toml",
            line: 39,
            column: 13,
            field: "questions[0].grants.r1",
            message: "\"c3\" is not a column of this matrix (columns: c1, c2)",
            at: Some("\"c3\""),
        },
    );
}

#[test]
fn matrix_grants_unknown_row() {
    expect_bad(
        "matrix-unknown-row",
        Expect {
            file: "task1.toml",
            line: 40,
            column: 1,
            field: "questions[0].grants.r9",
            message: "\"r9\" is not a row of this matrix (rows: r1, r2)",
            at: Some("r9 = "),
        },
    );
}

#[test]
fn ordering_order_missing_a_step() {
    expect_bad(
        "order-missing-step",
        Expect {
            file: "task1.toml",
            line: 21,
            column: 9,
            field: "questions[0].order",
            message: "`order` is not a permutation of the steps: missing s3",
            at: Some("[\"s1\", \"s2\"]"),
        },
    );
}

#[test]
fn ordering_order_unknown_step() {
    expect_bad(
        "order-unknown-step",
        Expect {
            file: "task1.toml",
            line: 21,
            column: 22,
            field: "questions[0].order",
            message: "\"s9\" is not a step (steps: s1, s2, s3)",
            at: Some("\"s9\""),
        },
    );
}

#[test]
fn ordering_order_duplicated_step() {
    expect_bad(
        "order-duplicate-step",
        Expect {
            file: "task1.toml",
            line: 21,
            column: 22,
            field: "questions[0].order",
            message: "\"s2\" appears twice: `order` must be a permutation of the steps",
            at: Some("\"s2\"]"),
        },
    );
}

#[test]
fn ordering_steps_already_in_key_order() {
    expect_bad(
        "steps-in-key-order",
        Expect {
            file: "task1.toml",
            line: 21,
            column: 9,
            field: "questions[0].order",
            message: "the steps are listed in the key's order, so the student starts with the answer",
            at: Some("[\"s1\", \"s2\", \"s3\"]"),
        },
    );
}

#[test]
fn empty_hint_text() {
    expect_bad(
        "empty-hint",
        Expect {
            file: "task1.toml",
            line: 10,
            column: 8,
            field: "hints[0].text",
            message: "hint text is empty",
            at: Some("\"   \""),
        },
    );
}

#[test]
fn hint_numbers_must_climb() {
    expect_bad(
        "hints-not-climbing",
        Expect {
            file: "task1.toml",
            line: 13,
            column: 10,
            field: "hints[1].number",
            message: "Hint 1 comes after Hint 2: the ladder must climb",
            at: Some("1"),
        },
    );
}

#[test]
fn unknown_field_typo() {
    // A TOML shape error has no field path of its own: the message names the unknown key instead.
    expect_bad(
        "unknown-field",
        Expect {
            file: "task1.toml",
            line: 31,
            column: 1,
            field: "",
            message: "unknown field `feedbak`, expected one of `id`, `label`, `feedback`",
            at: Some("feedbak = "),
        },
    );
    let e = only_error(&bad_pack("unknown-field"));
    assert_eq!(
        e.fix,
        "remove the field or correct its spelling (see docs/content-format.md)"
    );
}

#[test]
fn format_version_2() {
    expect_bad(
        "format-version-2",
        Expect {
            file: "puzzle.toml",
            line: 1,
            column: 18,
            field: "format_version",
            message: "format_version 2 is not supported; this kmsquest reads version 1",
            at: Some("2"),
        },
    );
}

#[test]
fn invalid_utf8_in_task_file() {
    let dir = bad_pack("invalid-utf8");
    let bytes = std::fs::read(dir.join("task1.toml")).unwrap();
    let bad_at = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    assert_eq!(bad_at, 218);
    assert_eq!(bytes[bad_at], 0xE9, "the fixture holds a Latin-1 é");
    expect_bad(
        "invalid-utf8",
        Expect {
            file: "task1.toml",
            line: 18,
            column: 14,
            field: "",
            message: "invalid UTF-8 at byte 218",
            at: None,
        },
    );
    // Line 18, column 14 is just after `prompt = "Caf`.
    let line_start = bytes[..bad_at].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    assert_eq!(&bytes[line_start..bad_at], b"prompt = \"Caf");
}

#[test]
fn file_over_one_mib() {
    let tmp = tempfile::tempdir().unwrap();
    let good = fixtures().join("good-pack");
    for name in ["puzzle.toml", "task1.toml"] {
        std::fs::copy(good.join(name), tmp.path().join(name)).unwrap();
    }
    // Pad task1.toml with a comment line to just over 1 MiB: still valid TOML, only too large.
    let mut task = std::fs::read(tmp.path().join("task1.toml")).unwrap();
    task.extend_from_slice(b"# ");
    task.resize(1024 * 1024 + 10, b'x');
    task.push(b'\n');
    std::fs::write(tmp.path().join("task1.toml"), &task).unwrap();

    let e = only_error(tmp.path());
    assert_eq!(e.file, format!("{}/task1.toml", tmp.path().display()));
    assert_eq!((e.line, e.column), (0, 0));
    assert_eq!(e.field, "");
    // The folder reader stops one byte past the limit, so the size it reports is limit + 1.
    assert_eq!(
        e.message,
        "file is 1048577 bytes; the limit is 1048576 (1 MiB)"
    );
    assert_eq!(e.fix, "split the content or shorten it");

    // Exactly 1 MiB is allowed.
    task.truncate(1024 * 1024 - 1);
    task.push(b'\n');
    assert_eq!(task.len(), 1024 * 1024);
    std::fs::write(tmp.path().join("task1.toml"), &task).unwrap();
    let puzzles = load_dir(tmp.path()).expect("a 1 MiB file is within the limit");
    assert_eq!(puzzles[0].id, "tiny");
}

#[test]
fn task_file_listed_but_missing() {
    expect_bad(
        "missing-task-file",
        Expect {
            file: "puzzle.toml",
            line: 5,
            column: 24,
            field: "tasks[1]",
            message: "task file \"task2.toml\" does not exist",
            at: Some("\"task2.toml\""),
        },
    );
}

#[test]
fn multi_option_missing_expected() {
    expect_bad(
        "multi-missing-expected",
        Expect {
            file: "task1.toml",
            line: 29,
            column: 6,
            field: "questions[0].options[1].expected",
            message: "option \"b\" has no `expected`",
            at: Some("\"b\""),
        },
    );
}

#[test]
fn credit_above_one() {
    expect_bad(
        "credit-out-of-range",
        Expect {
            file: "task1.toml",
            line: 25,
            column: 10,
            field: "questions[0].options[0].credit",
            message: "credit 1.5 is outside 0.0..=1.0",
            at: Some("1.5"),
        },
    );
}

#[test]
fn options_on_a_matrix_question() {
    // This rule has no span: the error names the file and the field only.
    expect_bad(
        "options-on-matrix",
        Expect {
            file: "task1.toml",
            line: 0,
            column: 0,
            field: "questions[0].options",
            message: "`options` is not used by kind \"matrix\"",
            at: None,
        },
    );
}

#[test]
fn duplicate_question_id() {
    expect_bad(
        "duplicate-question-id",
        Expect {
            file: "task1.toml",
            line: 34,
            column: 6,
            field: "questions[1].id",
            message: "duplicate question id \"q1\"",
            at: Some("\"q1\""),
        },
    );
}

#[test]
fn cell_note_unknown_row() {
    expect_bad(
        "cell-unknown-row",
        Expect {
            file: "task1.toml",
            line: 43,
            column: 7,
            field: "questions[0].cells[0].row",
            message: "\"r9\" is not a row of this matrix",
            at: Some("\"r9\""),
        },
    );
}

#[test]
fn question_id_not_kebab_case() {
    expect_bad(
        "question-id-not-kebab",
        Expect {
            file: "task1.toml",
            line: 16,
            column: 6,
            field: "questions[0].id",
            message: "\"Q_One\" is not a valid question id",
            at: Some("\"Q_One\""),
        },
    );
}

/// Every committed bad pack: a new fixture must be added here (and get its own test above).
const BAD_PACKS: &[&str] = &[
    "cell-unknown-row",
    "credit-out-of-range",
    "duplicate-option-id",
    "duplicate-question-id",
    "empty-hint",
    "format-version-2",
    "hints-not-climbing",
    "invalid-utf8",
    "matrix-unknown-column",
    "matrix-unknown-row",
    "missing-task-file",
    "multi-missing-expected",
    "no-full-credit",
    "options-on-matrix",
    "order-duplicate-step",
    "order-missing-step",
    "order-unknown-step",
    "question-id-not-kebab",
    "steps-in-key-order",
    "unknown-field",
];

#[test]
fn every_bad_pack_returns_err_without_panicking() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures().join("bad-packs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, BAD_PACKS, "fixtures and the list must match");
    assert!(BAD_PACKS.len() >= 18);
    for case in BAD_PACKS {
        let dir = bad_pack(case);
        let outcome = std::panic::catch_unwind(|| load_dir(&dir));
        match outcome {
            Err(_) => panic!("{case}: validation panicked"),
            Ok(Ok(_)) => panic!("{case}: loaded but must fail"),
            Ok(Err(ContentErrors(errors))) => {
                assert_eq!(errors.len(), 1, "{case}: {}", ContentErrors(errors.clone()));
                assert!(errors[0].file.starts_with(&dir.display().to_string()));
            }
        }
        // `content::load` (what `--content DIR` uses) gives the same answer.
        assert_eq!(
            content::load(Some(&dir)).unwrap_err(),
            load_dir(&dir).unwrap_err(),
            "{case}"
        );
    }
}

#[test]
fn unreadable_content_folder_is_an_error_not_a_panic() {
    let missing = fixtures().join("no-such-pack");
    let ContentErrors(errors) = content::load(Some(&missing)).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, missing.display().to_string());
    assert!(
        errors[0]
            .message
            .starts_with("cannot read the content folder: ")
    );
}

// ---------------------------------------------------------------- the binary

#[test]
fn check_binary_reports_file_line_column_and_field() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "tests/fixtures/bad-packs/credit-out-of-range"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "error: tests/fixtures/bad-packs/credit-out-of-range/task1.toml:25:10: \
             field `questions[0].options[0].credit`: credit 1.5 is outside 0.0..=1.0"
        ),
        "stderr: {stderr}"
    );
    assert!(stderr.ends_with("1 error found\n"), "stderr: {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn check_binary_without_dir_validates_the_embedded_pack() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let p = &content::load(None).unwrap()[0];
    assert_eq!(
        stdout,
        format!(
            "ok: kms-secrets-manager \"{}\" — 4 tasks, {} questions, 12 hints, {} points\n",
            p.title,
            p.questions().count(),
            p.max_points()
        )
    );
}

// ---------------------------------------------------------------- the embedded pack

fn embedded() -> Puzzle {
    let mut puzzles = content::load(None).expect("the embedded pack is valid");
    assert_eq!(puzzles.len(), 1);
    puzzles.remove(0)
}

#[test]
fn embedded_pack_has_four_tasks_and_twelve_hints_in_order() {
    let p = embedded();
    assert_eq!(p.id, "kms-secrets-manager");
    let tasks: Vec<(&str, u32)> = p.tasks.iter().map(|t| (t.id.as_str(), t.number)).collect();
    assert_eq!(
        tasks,
        vec![("task1", 1), ("task2", 2), ("task3", 3), ("task4", 4)]
    );
    let all: Vec<u32> = p
        .tasks
        .iter()
        .flat_map(|t| t.hints.iter().map(|h| h.number))
        .collect();
    assert_eq!(all, (1..=12).collect::<Vec<_>>());
    let per_task: Vec<Vec<u32>> = p
        .tasks
        .iter()
        .map(|t| t.hints.iter().map(|h| h.number).collect())
        .collect();
    assert_eq!(
        per_task,
        vec![
            vec![1, 2, 3],
            vec![4, 5, 6],
            vec![7, 8, 9],
            vec![10, 11, 12]
        ]
    );
    for h in p.tasks.iter().flat_map(|t| &t.hints) {
        assert!(!h.text.trim().is_empty(), "Hint {}", h.number);
        assert_eq!(h.cost, 1, "Hint {}", h.number);
    }
    assert_eq!(p.content_hash.len(), 64);
    assert!(p.content_hash.chars().all(|c| c.is_ascii_hexdigit()));
}

const TASK1_ITEMS: [&str; 5] = [
    "rds-master-password",
    "payment-gateway-api-key",
    "oauth-client-secret",
    "internal-shared-secret",
    "transaction-reports-key",
];

#[test]
fn embedded_task1_has_the_five_items() {
    let p = embedded();
    let ids: Vec<&str> = p.tasks[0].questions.iter().map(|q| q.id.as_str()).collect();
    for item in TASK1_ITEMS {
        assert!(ids.contains(&item), "task1.{item} is missing from {ids:?}");
        let why = format!("{item}-why");
        assert!(ids.contains(&why.as_str()), "task1.{why} is missing");
        let (_, q) = p.find_question(&format!("task1.{item}")).unwrap();
        assert_eq!(q.spec.kind(), Kind::Single);
    }
    // Item 5 is the one KMS answer; the other four are Secrets Manager.
    for item in TASK1_ITEMS {
        let (_, q) = p.find_question(&format!("task1.{item}")).unwrap();
        let QuestionSpec::Single { options } = &q.spec else {
            unreachable!()
        };
        let key: Vec<&str> = options
            .iter()
            .filter(|o| o.is_key())
            .map(|o| o.id.as_str())
            .collect();
        let want = if item == "transaction-reports-key" {
            "kms"
        } else {
            "secrets-manager"
        };
        assert_eq!(key, vec![want], "task1.{item}");
    }
    assert_eq!(p.scenario.items.len(), 5);
}

#[test]
fn worksheet_with_answers_has_hints_concepts_and_items() {
    let p = embedded();
    let sheet = kmsquest::export::worksheet(&p, true);
    for t in &p.tasks {
        for h in &t.hints {
            assert!(
                sheet.contains(&format!("- **Hint {}:** {}", h.number, h.text.trim())),
                "Hint {} is missing",
                h.number
            );
        }
        assert!(!t.solution.concepts.is_empty(), "{} has concepts", t.id);
        for c in &t.solution.concepts {
            assert!(
                sheet.contains(&format!("- {c}")),
                "concept {c:?} is missing"
            );
        }
    }
    // The five items as Task 1 states them (U+2011 is the non-breaking hyphen the seed uses).
    for item in [
        "1. RDS PostgreSQL master password",
        "2. Third\u{2011}party payment gateway API key",
        "3. OAuth client secret for the Admin Console",
        "4. Internal service\u{2011}to\u{2011}service shared secret between Payments API and Analytics Service",
        "5. KMS key to encrypt/decrypt transaction report files in S3 (with cross\u{2011}account read\u{2011}only decryption for auditors)",
    ] {
        assert!(sheet.contains(item), "Task 1 item {item:?} is missing");
    }
    for item in &p.scenario.items {
        assert!(
            sheet.contains(&format!("- {item}")),
            "scenario item {item:?}"
        );
    }
    // Without answers the key and the concepts stay hidden, but hints and items are there.
    let blank = kmsquest::export::worksheet(&p, false);
    assert!(!blank.contains("✓ correct"));
    assert!(!blank.contains("### Concepts to teach"));
    assert!(blank.contains("- **Hint 12:** "));
    assert!(blank.contains("1. RDS PostgreSQL master password"));
}

#[test]
fn embedded_single_questions_do_not_give_away_the_answer_by_position() {
    // Questions with pinned options (Task 1's A/B items) keep their fixed order; every other
    // single-choice question with 3+ options must not habitually list a right answer first.
    let p = embedded();
    let mut total = 0;
    let mut key_first = Vec::new();
    for (t, q) in p.questions() {
        let QuestionSpec::Single { options } = &q.spec else {
            continue;
        };
        if options.len() < 3 || options.iter().any(|o| o.pin.is_some()) {
            continue;
        }
        total += 1;
        if options[0].is_key() {
            key_first.push(Puzzle::question_path(t, q));
        }
    }
    assert!(total >= 15, "{total}");
    assert!(
        key_first.len() * 4 <= total,
        "{} of {total} list a right answer first: {key_first:?}",
        key_first.len()
    );
    // Where the key sits varies: at least three different positions are used.
    let positions: std::collections::BTreeSet<usize> = p
        .questions()
        .filter_map(|(_, q)| match &q.spec {
            QuestionSpec::Single { options }
                if options.len() >= 3 && options.iter().all(|o| o.pin.is_none()) =>
            {
                options.iter().position(|o| o.is_key())
            }
            _ => None,
        })
        .collect();
    assert!(positions.len() >= 3, "{positions:?}");
}
