//! The grader: full marks for the key (from a sheet and from the model), exact partial credit for each
//! kind, unanswered questions, and the `grade` command.

use kmsquest::answer::{Answer, Answers};
use kmsquest::content::{self, OptionGrade, Puzzle, QuestionSpec};
use kmsquest::grading::{self, Grade, Verdict, longest_in_order, round2};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn puzzle() -> Puzzle {
    content::load(None)
        .expect("the embedded pack is valid")
        .remove(0)
}

fn key_sheet_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheets/key.toml")
}

/// The key answer of every question, built from the model.
fn key_answers(p: &Puzzle) -> Answers {
    let mut answers = Answers::new();
    for (t, q) in p.questions() {
        let answer = match &q.spec {
            QuestionSpec::Single { options } => Answer::Single(
                options
                    .iter()
                    .find(|o| o.is_key())
                    .expect("every single question has a full-credit option")
                    .id
                    .clone(),
            ),
            QuestionSpec::Multi { options } => Answer::List(
                options
                    .iter()
                    .filter(|o| o.is_key())
                    .map(|o| o.id.clone())
                    .collect(),
            ),
            QuestionSpec::Matrix {
                rows,
                columns,
                grants,
                ..
            } => {
                let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                for &(r, c) in grants {
                    m.entry(rows[r].id.clone())
                        .or_default()
                        .insert(columns[c].id.clone());
                }
                Answer::Matrix(m)
            }
            QuestionSpec::Ordering { steps, order } => {
                Answer::List(order.iter().map(|&i| steps[i].id.clone()).collect())
            }
        };
        answers.insert(Puzzle::question_path(t, q), answer);
    }
    answers
}

fn grade_one(p: &Puzzle, path: &str, answer: Answer) -> Grade {
    let (_, q) = p
        .find_question(path)
        .unwrap_or_else(|| panic!("no question {path}"));
    grading::grade(q, Some(&answer))
}

fn list(ids: &[&str]) -> Answer {
    Answer::List(ids.iter().map(|s| s.to_string()).collect())
}

fn matrix(rows: &[(&str, &[&str])]) -> Answer {
    Answer::Matrix(
        rows.iter()
            .map(|(r, cols)| (r.to_string(), cols.iter().map(|c| c.to_string()).collect()))
            .collect(),
    )
}

const ACCESS_KEY: &[(&str, &[&str])] = &[
    (
        "payments-api",
        &[
            "rds-master-password",
            "payment-gateway-api-key",
            "internal-shared-secret",
        ],
    ),
    (
        "analytics",
        &["rds-readonly-password", "internal-shared-secret"],
    ),
    ("admin-console", &["oauth-client-secret"]),
];

// ---------------------------------------------------------------- longest_in_order

#[test]
fn longest_in_order_cases() {
    assert_eq!(longest_in_order(&[]), 0);
    assert_eq!(longest_in_order(&[0]), 1);
    assert_eq!(longest_in_order(&[0, 1, 2, 3]), 4);
    assert_eq!(longest_in_order(&[3, 2, 1, 0]), 1);
    assert_eq!(longest_in_order(&[1, 0, 2, 3]), 3, "one adjacent swap");
    assert_eq!(longest_in_order(&[0, 1, 3, 2]), 3, "swap at the end");
    assert_eq!(longest_in_order(&[3, 0, 1, 2]), 3, "last step moved first");
    assert_eq!(longest_in_order(&[1, 2, 3, 0]), 3, "first step moved last");
    assert_eq!(longest_in_order(&[1, 0, 3, 2]), 2, "two swaps");
    assert_eq!(longest_in_order(&[2, 3, 0, 1]), 2, "halves exchanged");
    assert_eq!(longest_in_order(&[0, 4, 1, 5, 2, 6, 3]), 4);
    assert_eq!(longest_in_order(&[4, 0, 5, 1, 6, 2, 3]), 4);
    assert_eq!(longest_in_order(&[0, 0, 1]), 2, "strictly increasing");
    assert_eq!(longest_in_order(&[5, 5, 5]), 1);
}

// ---------------------------------------------------------------- the key

#[test]
fn key_sheet_fixture_scores_full_marks() {
    let p = puzzle();
    let text = std::fs::read_to_string(key_sheet_path()).unwrap();
    let report = kmsquest::cli::grade_text(&p, &text).expect("the key sheet is valid");
    let max = f64::from(p.max_points());
    assert_eq!(report.max, max);
    assert_eq!(report.total, max);
    assert_eq!(report.questions.len(), p.questions().count());
    for q in &report.questions {
        assert_eq!(q.grade.verdict, Verdict::Correct, "{}", q.path);
        assert_eq!(q.grade.points, q.grade.max, "{}", q.path);
        assert!(q.grade.misconceptions.is_empty(), "{}", q.path);
    }
    for (t, s) in p.tasks.iter().zip(&report.tasks) {
        assert_eq!(s.task, t.id);
        assert_eq!(s.points, f64::from(t.max_points()));
        assert_eq!(s.hint_penalty, 0.0);
    }
    // The hand-written fixture and the model's key are the same answers.
    assert_eq!(kmsquest::sheet::parse(&p, &text).unwrap(), key_answers(&p));
}

#[test]
fn key_from_the_model_scores_full_marks_for_every_question() {
    let p = puzzle();
    let answers = key_answers(&p);
    assert_eq!(answers.len(), p.questions().count());
    for (t, q) in p.questions() {
        let path = Puzzle::question_path(t, q);
        let g = grading::grade(q, answers.get(&path));
        assert_eq!(g.verdict, Verdict::Correct, "{path}: {:?}", g.feedback);
        assert_eq!(g.points, f64::from(q.points), "{path}");
        assert_eq!(g.max, f64::from(q.points), "{path}");
    }
    let report = grading::grade_all(&p, &answers, &|_| 0, false);
    assert_eq!(report.total, f64::from(p.max_points()));
    assert_eq!(report.total, report.max);
}

#[test]
fn hint_penalties_are_charged_per_task_only_when_the_policy_says_so() {
    let p = puzzle();
    let answers = key_answers(&p);
    let max = f64::from(p.max_points());
    let free = grading::grade_all(&p, &answers, &|_| 3, false);
    assert_eq!(free.total, max);
    // Two hints in task1 (cost 1 each), none elsewhere.
    let charged = grading::grade_all(&p, &answers, &|t| if t.id == "task1" { 2 } else { 0 }, true);
    assert_eq!(charged.total, max - 2.0);
    assert_eq!(charged.tasks[0].hint_penalty, 2.0);
    assert_eq!(
        charged.tasks[0].points,
        f64::from(p.tasks[0].max_points()) - 2.0
    );
    assert_eq!(charged.tasks[1].hint_penalty, 0.0);
    // A task's score never drops below 0.
    let empty = grading::grade_all(&p, &Answers::new(), &|_| 3, true);
    assert_eq!(empty.total, 0.0);
    assert!(empty.tasks.iter().all(|t| t.points == 0.0));
    assert_eq!(grading::hint_penalty(&p.tasks[3], 2), 2.0);
}

// ---------------------------------------------------------------- partial credit, per kind

#[test]
fn single_with_half_credit_option() {
    let p = puzzle();
    let g = grade_one(
        &p,
        "task2.auth.payments-api",
        Answer::Single("ecs-task-execution-role".into()),
    );
    assert_eq!((g.points, g.max), (1.0, 2.0));
    assert_eq!(g.verdict, Verdict::Partial);
    assert_eq!(g.misconceptions, vec!["startup-injection-misses-rotation"]);
    assert!(g.feedback[0].contains("hence half credit"));

    let g = grade_one(
        &p,
        "task2.auth.payments-api",
        Answer::Single("ecs-task-role".into()),
    );
    assert_eq!((g.points, g.verdict), (2.0, Verdict::Correct));
    assert!(g.misconceptions.is_empty());

    let g = grade_one(
        &p,
        "task2.auth.payments-api",
        Answer::Single("iam-user-access-keys".into()),
    );
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Wrong));
    assert_eq!(g.misconceptions, vec!["long-lived-access-keys"]);
}

#[test]
fn multi_set_grading() {
    let p = puzzle();
    let path = "task4.auditor-key-actions";
    let (_, q) = p.find_question(path).unwrap();
    let points = f64::from(q.points);
    assert_eq!(points, 3.0);

    let g = grade_one(&p, path, list(&["kms:Decrypt"]));
    assert_eq!((g.points, g.verdict), (points, Verdict::Correct));
    assert_eq!(g.feedback, vec!["Exactly the right set."]);

    // DescribeKey is optional: it neither earns nor costs.
    let g = grade_one(&p, path, list(&["kms:Decrypt", "kms:DescribeKey"]));
    assert_eq!((g.points, g.verdict), (points, Verdict::Correct));

    // One forbidden action cancels the one required action.
    let g = grade_one(&p, path, list(&["kms:Decrypt", "kms:CreateGrant"]));
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Wrong));
    assert_eq!(g.feedback.len(), 1);
    assert!(
        g.feedback[0].starts_with("Should not include "),
        "{:?}",
        g.feedback
    );
    assert_eq!(g.misconceptions.len(), 1);

    // Only the optional action: the required one is missing.
    let g = grade_one(&p, path, list(&["kms:DescribeKey"]));
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Wrong));
    assert_eq!(g.feedback.len(), 1);
    assert!(g.feedback[0].starts_with("Missing "), "{:?}", g.feedback);
}

#[test]
fn matrix_key_is_full_marks() {
    let p = puzzle();
    let g = grade_one(&p, "task2.access", matrix(ACCESS_KEY));
    assert_eq!((g.points, g.max, g.verdict), (6.0, 6.0, Verdict::Correct));
    assert_eq!(
        g.feedback,
        vec!["Every role has exactly what it needs: least privilege."]
    );
}

#[test]
fn matrix_over_privilege_costs_one_cell() {
    let p = puzzle();
    let (_, q) = p.find_question("task2.access").unwrap();
    let QuestionSpec::Matrix { grants, .. } = &q.spec else {
        unreachable!()
    };
    assert_eq!(grants.len(), 6);
    let points = f64::from(q.points);

    let mut over = ACCESS_KEY.to_vec();
    over[1] = (
        "analytics",
        &[
            "rds-readonly-password",
            "internal-shared-secret",
            "payment-gateway-api-key",
        ],
    );
    let g = grade_one(&p, "task2.access", matrix(&over));
    assert_eq!(g.points, round2(points * (6.0 - 1.0) / 6.0));
    assert_eq!(g.points, 5.0);
    assert_eq!(g.verdict, Verdict::Partial);
    assert_eq!(g.feedback.len(), 1);
    assert!(
        g.feedback[0].starts_with("Over-privilege: ") && g.feedback[0].contains("Analytics"),
        "{:?}",
        g.feedback
    );
    assert_eq!(g.misconceptions, vec!["over-privilege"]);
}

#[test]
fn matrix_under_privilege_misses_one_cell() {
    let p = puzzle();
    let mut under = ACCESS_KEY.to_vec();
    under[1] = ("analytics", &["rds-readonly-password"]);
    let g = grade_one(&p, "task2.access", matrix(&under));
    assert_eq!(g.points, 5.0, "5 of 6 needed cells, no extras");
    assert_eq!(g.verdict, Verdict::Partial);
    assert_eq!(g.feedback.len(), 1);
    assert!(g.feedback[0].starts_with("Under-privilege: "));
    assert_eq!(g.misconceptions, vec!["under-privilege"]);
}

#[test]
fn matrix_everything_granted_scores_zero() {
    let p = puzzle();
    let all: &[&str] = &[
        "rds-master-password",
        "rds-readonly-password",
        "payment-gateway-api-key",
        "internal-shared-secret",
        "oauth-client-secret",
    ];
    let g = grade_one(
        &p,
        "task2.access",
        matrix(&[
            ("payments-api", all),
            ("analytics", all),
            ("admin-console", all),
        ]),
    );
    // 6 needed cells given, 9 extra: max(0, 6 - 9) = 0.
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Wrong));
    assert_eq!(g.feedback.len(), 9);
    assert!(g.feedback.iter().all(|f| f.starts_with("Over-privilege")));
}

#[test]
fn matrix_missing_rows_are_denies() {
    let p = puzzle();
    // Only the Payments API row: 3 of 6 needed cells, no extras.
    let g = grade_one(&p, "task2.access", matrix(&ACCESS_KEY[..1]));
    assert_eq!((g.points, g.verdict), (3.0, Verdict::Partial));
    assert_eq!(g.feedback.len(), 3);
}

#[test]
fn ordering_partial_credit() {
    let p = puzzle();
    let path = "task3.rotation-steps";
    let (_, q) = p.find_question(path).unwrap();
    let points = f64::from(q.points);
    assert_eq!(points, 2.0);

    let g = grade_one(
        &p,
        path,
        list(&[
            "create-secret",
            "set-secret",
            "test-secret",
            "finish-secret",
        ]),
    );
    assert_eq!((g.points, g.verdict), (points, Verdict::Correct));
    assert_eq!(g.feedback, vec!["Every step is in the right order."]);

    let g = grade_one(
        &p,
        path,
        list(&[
            "finish-secret",
            "test-secret",
            "set-secret",
            "create-secret",
        ]),
    );
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Wrong));

    let g = grade_one(
        &p,
        path,
        list(&[
            "set-secret",
            "create-secret",
            "test-secret",
            "finish-secret",
        ]),
    );
    assert_eq!(g.points, round2(points * (3.0 - 1.0) / 3.0));
    assert_eq!(g.points, 1.33);
    assert_eq!(g.verdict, Verdict::Partial);
    assert!(
        g.feedback[0].starts_with(
            "3 of 4 steps are in the right relative order. The order is: createSecret"
        ),
        "{:?}",
        g.feedback
    );

    // An answer that is not a permutation of the steps is treated as unanswered.
    let g = grade_one(&p, path, list(&["create-secret", "set-secret"]));
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Unanswered));
}

#[test]
fn answer_of_the_wrong_shape_is_unanswered() {
    let p = puzzle();
    let g = grade_one(&p, "task2.access", Answer::Single("payments-api".into()));
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Unanswered));
    let g = grade_one(&p, "task1.rds-master-password", list(&["secrets-manager"]));
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Unanswered));
    let g = grade_one(
        &p,
        "task1.rds-master-password",
        Answer::Single("vault".into()),
    );
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Unanswered));
}

#[test]
fn unanswered_question_scores_zero_and_is_listed() {
    let p = puzzle();
    let mut answers = key_answers(&p);
    answers.remove("task3.rotation-steps");
    let (_, q) = p.find_question("task3.rotation-steps").unwrap();
    let g = grading::grade(q, None);
    assert_eq!((g.points, g.verdict), (0.0, Verdict::Unanswered));
    assert_eq!(g.feedback, vec!["Not answered."]);

    let report = grading::grade_all(&p, &answers, &|_| 0, false);
    assert_eq!(report.total, report.max - 2.0);
    let r = report
        .questions
        .iter()
        .find(|r| r.path == "task3.rotation-steps")
        .unwrap();
    assert_eq!(r.grade.verdict, Verdict::Unanswered);
    assert_eq!(r.task, "task3");

    let table = kmsquest::cli::report_table(&p, &report);
    let row = table
        .lines()
        .find(|l| l.starts_with("task3.rotation-steps "))
        .unwrap();
    assert!(row.contains(" 0/2 "), "{row}");
    assert!(row.contains("· unanswered"), "{row}");
    assert!(row.ends_with("Not answered."), "{row}");
    assert!(
        table.contains("\nUnanswered (1): task3.rotation-steps\n"),
        "{table}"
    );
    let max = p.max_points();
    assert!(
        table.ends_with(&format!(
            "Total: {}/{max} ({:.0}%)\n",
            max - 2,
            f64::from(max - 2) / f64::from(max) * 100.0
        )),
        "{table}"
    );
    assert_eq!(
        table.matches("· unanswered").count(),
        1,
        "only one question unanswered"
    );
}

#[test]
fn json_report_shape() {
    let p = puzzle();
    let mut answers = key_answers(&p);
    answers.insert(
        "task2.auth.payments-api".into(),
        Answer::Single("ecs-task-execution-role".into()),
    );
    answers.remove("task4.raw-secrets-in-reports");
    let report = grading::grade_all(&p, &answers, &|_| 0, false);
    let v: serde_json::Value = serde_json::from_str(&kmsquest::cli::report_json(&report)).unwrap();
    let max = f64::from(p.max_points());
    assert_eq!(v["max"].as_f64(), Some(max));
    assert_eq!(v["total"].as_f64(), Some(max - 1.0 - 1.0));
    let qs = v["questions"].as_array().unwrap();
    assert_eq!(qs.len(), p.questions().count());
    let auth = qs
        .iter()
        .find(|q| q["id"] == "task2.auth.payments-api")
        .unwrap();
    assert_eq!(auth["points"].as_f64(), Some(1.0));
    assert_eq!(auth["max"].as_f64(), Some(2.0));
    assert_eq!(auth["verdict"], "partial");
    assert_eq!(
        auth["misconceptions"],
        serde_json::json!(["startup-injection-misses-rotation"])
    );
    let raw = qs
        .iter()
        .find(|q| q["id"] == "task4.raw-secrets-in-reports")
        .unwrap();
    assert_eq!(raw["verdict"], "unanswered");
    assert_eq!(raw["feedback"], "Not answered.");
}

// ---------------------------------------------------------------- every single option

#[test]
fn every_single_option_scores_its_credit_and_says_so() {
    let p = puzzle();
    let mut checked = 0;
    for (t, q) in p.questions() {
        let QuestionSpec::Single { options } = &q.spec else {
            continue;
        };
        let path = Puzzle::question_path(t, q);
        for o in options {
            let OptionGrade::Credit(credit) = o.grade else {
                panic!("{path}: single options carry credit")
            };
            let g = grading::grade(q, Some(&Answer::Single(o.id.clone())));
            let want = round2(credit * f64::from(q.points));
            assert_eq!(g.points, want, "{path} = {}", o.id);
            assert_eq!(g.feedback, vec![o.feedback.clone()], "{path} = {}", o.id);
            let verdict = if credit >= 1.0 {
                Verdict::Correct
            } else if credit > 0.0 {
                Verdict::Partial
            } else {
                Verdict::Wrong
            };
            assert_eq!(g.verdict, verdict, "{path} = {}", o.id);
            let tags: Vec<String> = if credit < 1.0 {
                o.misconception.iter().cloned().collect()
            } else {
                vec![]
            };
            assert_eq!(g.misconceptions, tags, "{path} = {}", o.id);

            // The feedback tells the student the partial credit it gives, and no other.
            let fb = o.feedback.to_lowercase();
            let says = |phrase: &str| fb.contains(phrase);
            assert_eq!(
                says("half credit"),
                credit == 0.5,
                "{path} = {}: {}",
                o.id,
                o.feedback
            );
            assert_eq!(
                says("quarter credit"),
                credit == 0.25,
                "{path} = {}: {}",
                o.id,
                o.feedback
            );
            assert!(
                [0.0, 0.25, 0.5, 1.0].contains(&credit),
                "{path} = {}: credit {credit} has no wording",
                o.id
            );
            // A wrong option never opens with praise; a right one never opens with a rebuke.
            if credit == 0.0 {
                assert!(
                    !fb.starts_with("right.") && !fb.starts_with("yes."),
                    "{path} = {}: {}",
                    o.id,
                    o.feedback
                );
            }
            if credit == 1.0 {
                assert!(
                    !fb.starts_with("not quite") && !fb.starts_with("wrong"),
                    "{path} = {}: {}",
                    o.id,
                    o.feedback
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} options checked");
}

// ---------------------------------------------------------------- the binary

#[test]
fn grade_binary_json_for_the_key_sheet() {
    let p = puzzle();
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["grade", "tests/fixtures/sheets/key.toml", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let max = f64::from(p.max_points());
    assert_eq!(v["total"].as_f64(), Some(max));
    assert_eq!(v["max"].as_f64(), Some(max));
    let qs = v["questions"].as_array().unwrap();
    let ids: Vec<&str> = qs.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"task1.rds-master-password"));
    assert_eq!(ids.len(), p.questions().count());
    assert!(qs.iter().all(|q| q["verdict"] == "correct"));
}

#[test]
fn grade_binary_text_for_the_key_sheet() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["grade", "tests/fixtures/sheets/key.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let p = puzzle();
    assert!(stdout.ends_with(&format!("Total: {0}/{0} (100%)\n", p.max_points())));
    assert!(!stdout.contains("Unanswered"));
}

#[test]
fn grade_binary_rejects_a_bad_sheet_naming_the_id() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["grade", "tests/fixtures/bad-sheets/unknown-option.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "kmsquest: tests/fixtures/bad-sheets/unknown-option.toml: task1.rds-master-password: \
         unknown option \"vault\"; valid ids: \"kms\", \"secrets-manager\"\n"
    );
}

#[test]
fn grade_binary_missing_file_fails() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["grade", "tests/fixtures/sheets/no-such-sheet.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("kmsquest: cannot read tests/fixtures/sheets/no-such-sheet.toml"),
        "{stderr}"
    );
}
