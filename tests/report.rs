//! The class report: students, question facility, most-chosen wrong answers with misconception tags,
//! the histogram, skipped files (corrupt, foreign, duplicate, unfinished), CSV, and the binary.
//!
//! The fixtures in tests/fixtures/results were written by hand: five finished quizzes of the embedded
//! puzzle (Alice, Bob, Chen, Dana, Zoë), one autosave (Evan), one quiz of another puzzle (Frank), a
//! copy of Alice's file, a garbage file and a non-TOML note that is ignored.

use kmsquest::cli;
use kmsquest::content::{self, Puzzle};
use kmsquest::report::{self, Report, SkipReason};
use kmsquest::results::{KIND_IN_PROGRESS, QuizRecord};
use std::path::{Path, PathBuf};
use std::process::Command;

fn puzzle() -> Puzzle {
    content::load(None)
        .expect("the embedded pack is valid")
        .remove(0)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results")
}

fn fixture_report() -> Report {
    report::build(&puzzle(), &[fixtures()])
}

const VALID: [&str; 5] = [
    "Alice_Ng-20260302T090012Z.toml",
    "Bob_Okafor-20260302T090047Z.toml",
    "Chen_Wei-20260302T090105Z.toml",
    "Dana_Petrov-20260302T085958Z.toml",
    "Zo___ngstr_m-20260302T090230Z.toml",
];

fn record(file: &str) -> QuizRecord {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    toml::from_str(&text).unwrap()
}

fn write_record(dir: &Path, file: &str, rec: &QuizRecord) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, toml::to_string(rec).unwrap()).unwrap();
    path
}

fn question<'a>(r: &'a Report, id: &str) -> &'a report::QuestionStats {
    r.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

fn file_name(p: &Path) -> &str {
    p.file_name().unwrap().to_str().unwrap()
}

// ---------------------------------------------------------------- fixtures are real results

/// Every hand-made fixture agrees with the grader: re-grading its [answers] with its [hints] gives its
/// total, task scores and per-question points, verdicts and chosen ids.
#[test]
fn fixtures_are_consistent_with_the_grader() {
    let p = puzzle();
    for file in VALID {
        let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
        let rec: QuizRecord = toml::from_str(&text).unwrap();
        let graded = cli::grade_text(&p, &text).unwrap();
        assert_eq!(graded.total, rec.total, "{file}: total");
        assert_eq!(graded.max, rec.max, "{file}: max");
        assert_eq!(rec.questions.len(), p.questions().count(), "{file}");
        for (g, q) in graded.questions.iter().zip(&rec.questions) {
            assert_eq!(g.path, q.id, "{file}");
            assert_eq!(g.grade.points, q.points, "{file}: {}", q.id);
            assert_eq!(
                kmsquest::results::verdict_name(g.grade.verdict),
                q.verdict,
                "{file}: {}",
                q.id
            );
            assert_eq!(g.grade.misconceptions, q.misconceptions, "{file}: {}", q.id);
        }
        for (g, t) in graded.tasks.iter().zip(&rec.tasks) {
            assert_eq!((g.points, g.hint_penalty), (t.points, t.hint_penalty));
        }
        assert_eq!(rec.hints_used, rec.hints.values().sum::<usize>(), "{file}");
    }
}

/// `kmsquest grade` on a results file re-applies the hint costs from [hints] and reproduces its total.
#[test]
fn grade_binary_reproduces_a_results_fixture_total() {
    for (file, total) in [
        ("Bob_Okafor-20260302T090047Z.toml", 29.08),
        ("Alice_Ng-20260302T090012Z.toml", 50.0),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["grade", &format!("tests/fixtures/results/{file}"), "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["total"].as_f64(), Some(total), "{file}");
        assert_eq!(v["total"].as_f64(), Some(record(file).total), "{file}");
    }
    // Text mode: Bob revealed 1 hint in task 1 and 2 in task 3 (1 point each).
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "grade",
            "tests/fixtures/results/Bob_Okafor-20260302T090047Z.toml",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.ends_with("Total: 29.08/52 (56%)\n"), "{stdout}");
}

// ---------------------------------------------------------------- students

#[test]
fn students_are_listed_by_name_with_exact_scores() {
    let r = fixture_report();
    let rows: Vec<(&str, f64, f64, u64, usize)> = r
        .students
        .iter()
        .map(|s| {
            let x = s;
            (
                x.name.as_str(),
                x.total,
                x.max,
                x.duration_secs,
                x.hints_used,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Alice Ng", 50.0, 52.0, 2710, 1),
            ("Bob Okafor", 29.08, 52.0, 3108, 3),
            ("Chen Wei", 6.66, 52.0, 3600, 0),
            ("Dana Petrov", 47.5, 52.0, 2289, 1),
            ("Zoë Ångström", 37.58, 52.0, 2851, 2),
        ]
    );
    let text = report::render_text(&r);
    for line in [
        "  Alice Ng            50/52   96%   45:10      1\n",
        "  Bob Okafor       29.08/52   56%   51:48      3\n",
        "  Chen Wei          6.66/52   13%   60:00      0\n",
        "  Dana Petrov      47.50/52   91%   38:09      1\n",
        "  Zoë Ångström     37.58/52   72%   47:31      2\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("5 students counted, 4 files skipped\n"));
    // The autosave, the foreign quiz and the duplicate are not students.
    for name in ["Evan Brooks", "Frank Other"] {
        assert!(!text.contains(name), "{name}");
    }
    assert_eq!(text.matches("Alice Ng ").count(), 1);
}

// ---------------------------------------------------------------- questions

#[test]
fn facility_is_the_share_fully_right() {
    let r = fixture_report();
    let p = puzzle();
    let ids: Vec<String> = p
        .questions()
        .map(|(t, q)| Puzzle::question_path(t, q))
        .collect();
    let got: Vec<&str> = r.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(got, ids, "content order");

    // Alice and Dana chose Secrets Manager; Bob, Chen and Zoë chose KMS.
    let q = question(&r, "task1.rds-master-password");
    assert_eq!((q.correct, q.students), (2, 5));
    assert_eq!(q.facility(), Some(0.4));
    // Everyone got the OAuth client secret's service right.
    assert_eq!(
        question(&r, "task1.oauth-client-secret").facility(),
        Some(1.0)
    );
    // Only Alice has exactly least privilege; the other four are partly right.
    let q = question(&r, "task2.access");
    assert_eq!(q.facility(), Some(0.2));
    assert_eq!((q.correct, q.partial, q.wrong, q.unanswered), (1, 4, 0, 0));
    // Chen left three task-3 questions blank.
    let q = question(&r, "task3.blast-radius");
    assert_eq!((q.correct, q.wrong, q.unanswered), (2, 2, 1));

    let text = report::render_text(&r);
    assert!(text.contains(
        "  task1.rds-master-password (single, 2 points): facility 40% (2/5) · partly 0 · wrong 3 · unanswered 0\n"
    ));
    assert!(text.contains("  task2.access (matrix, 6 points): facility 20% (1/5)"));
    assert!(text.contains("  task1.oauth-client-secret (single, 2 points): facility 100% (5/5)"));
}

#[test]
fn most_chosen_wrong_options_carry_their_misconception_tags() {
    let r = fixture_report();
    let top = |id: &str| {
        let w = &question(&r, id).wrong_choices[0];
        (w.choice.clone(), w.count, w.misconception.clone())
    };
    // Single choice: three students think KMS stores the password.
    assert_eq!(
        top("task1.rds-master-password-why"),
        (
            "kms-stores-value".into(),
            3,
            Some("kms-as-secret-store".into())
        )
    );
    // A partial-credit option is still a wrong choice (Bob and Zoë: the task *execution* role).
    assert_eq!(
        top("task2.auth.payments-api"),
        (
            "ecs-task-execution-role".into(),
            2,
            Some("startup-injection-misses-rotation".into())
        )
    );
    // Multi-select: only forbidden picks count, not kms:Decrypt that everyone chose.
    let q = question(&r, "task2.kms-permission");
    let wrong: Vec<(&str, usize)> = q
        .wrong_choices
        .iter()
        .map(|w| (w.choice.as_str(), w.count))
        .collect();
    assert_eq!(wrong, [("kms:*", 2), ("kms:GenerateDataKey", 1)]);
    // Matrix: over-privileged cells, with the cell note's tag; needed cells never count.
    assert_eq!(
        top("task2.access"),
        (
            "analytics:rds-master-password".into(),
            3,
            Some("shared-master-credentials".into())
        )
    );
    assert!(
        question(&r, "task2.access")
            .wrong_choices
            .iter()
            .all(|w| w.choice != "payments-api:rds-master-password")
    );
    // Fully right everywhere: no wrong choices.
    assert!(
        question(&r, "task1.oauth-client-secret")
            .wrong_choices
            .is_empty()
    );

    let text = report::render_text(&r);
    assert!(text.contains("      ×3   kms-stores-value  [kms-as-secret-store]\n"));
    assert!(
        text.contains("      ×3   analytics:rds-master-password  [shared-master-credentials]\n")
    );
    // At most three per question, then a count of the rest.
    let access = text
        .split("  task2.access ")
        .nth(1)
        .unwrap()
        .split("\n  task")
        .next()
        .unwrap();
    assert_eq!(access.matches("      ×").count(), 3);
    assert!(access.contains("(+2 other wrong choices)"));
}

// ---------------------------------------------------------------- histogram

#[test]
fn histogram_counts_scores_by_band() {
    let r = fixture_report();
    // 96 %, 56 %, 13 %, 91 %, 72 %.
    assert_eq!(r.histogram, [0, 1, 0, 0, 0, 1, 0, 1, 0, 2]);
    let text = report::render_text(&r);
    let hist = text
        .split("Score distribution\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let lines: Vec<&str> = hist.lines().collect();
    assert_eq!(lines.len(), 10);
    assert_eq!(lines[0], "    0–10% │   0");
    assert_eq!(lines[1], "   10–20% │█  1");
    assert_eq!(lines[9], "  90–100% │██ 2");
    for (line, want) in lines.iter().zip(r.histogram) {
        let bar = line.chars().filter(|&c| c == '█').count();
        let count: usize = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert_eq!((bar, count), (want, want), "{line}");
    }
}

#[test]
fn histogram_band_edges() {
    let dir = tempfile::tempdir().unwrap();
    let base = record(VALID[0]);
    // 0 %, exactly 10 %, exactly 70 %, 99.9 %, exactly 100 %.
    for (i, total) in [0.0, 5.2, 36.4, 51.95, 52.0].into_iter().enumerate() {
        let mut rec = base.clone();
        rec.name = format!("Student {i}");
        rec.total = total;
        write_record(dir.path(), &format!("s{i}.toml"), &rec);
    }
    let r = report::build(&puzzle(), &[dir.path()]);
    assert_eq!(r.histogram, [1, 1, 0, 0, 0, 0, 0, 1, 0, 2]);
}

#[test]
fn a_wide_histogram_is_scaled_to_forty_cells() {
    let dir = tempfile::tempdir().unwrap();
    let base = record(VALID[0]);
    for i in 0..100 {
        let mut rec = base.clone();
        rec.name = format!("Student {i:03}");
        rec.total = if i < 80 { 50.0 } else { 10.0 };
        write_record(dir.path(), &format!("s{i:03}.toml"), &rec);
    }
    let r = report::build(&puzzle(), &[dir.path()]);
    assert_eq!(r.histogram[9], 80);
    assert_eq!(r.histogram[1], 20);
    let text = report::render_text(&r);
    assert!(text.contains(&format!("  90–100% │{} 80\n", "█".repeat(40))));
    assert!(text.contains(&format!(
        "   10–20% │{}{} 20\n",
        "█".repeat(10),
        " ".repeat(30)
    )));
}

// ---------------------------------------------------------------- skipped files

#[test]
fn skipped_files_are_listed_with_reasons() {
    let r = fixture_report();
    let skipped: Vec<(&str, &str)> = r
        .skipped
        .iter()
        .map(|s| (file_name(&s.path), s.reason.label()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "Evan_Brooks-20260302T090311Z.in-progress.toml",
                "unfinished"
            ),
            ("Frank_Other-20260302T090105Z.toml", "foreign"),
            ("copy-of-alice.toml", "duplicate"),
            ("garbage.toml", "corrupt"),
        ]
    );
    assert_eq!(
        r.skipped[1].reason,
        SkipReason::Foreign {
            puzzle: "other-puzzle".into(),
            expected: "kms-secrets-manager".into()
        }
    );
    let SkipReason::Duplicate { of, same_file } = &r.skipped[2].reason else {
        panic!("{:?}", r.skipped[2]);
    };
    assert_eq!(file_name(of), "Alice_Ng-20260302T090012Z.toml");
    assert!(!same_file);
    let SkipReason::Corrupt(why) = &r.skipped[3].reason else {
        panic!("{:?}", r.skipped[3]);
    };
    assert!(why.starts_with("not valid TOML (line 1)"), "{why}");

    let text = report::render_text(&r);
    let list = text.split("Skipped files (4)\n").nth(1).unwrap();
    assert_eq!(list.lines().count(), 4);
    assert!(list.contains(
        "Frank_Other-20260302T090105Z.toml — foreign: a quiz of puzzle \"other-puzzle\", not \"kms-secrets-manager\""
    ));
    assert!(list.contains("copy-of-alice.toml — duplicate: same name, start time and puzzle as "));
    assert!(list.contains("in-progress.toml — unfinished"));
    assert!(list.contains("garbage.toml — corrupt: not valid TOML"));
    // Files that are not *.toml are ignored, not listed.
    assert!(!text.contains("notes.txt"));
}

#[test]
fn every_kind_of_bad_file_is_skipped_never_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = write_record(d, "a-good.toml", &record(VALID[1]));
    let mut rec = record(VALID[0]);
    rec.kind = "something-else".into();
    write_record(d, "b-kind.toml", &rec);
    let mut rec = record(VALID[0]);
    rec.format_version = 2;
    write_record(d, "c-version.toml", &rec);
    let mut rec = record(VALID[0]);
    rec.kind = KIND_IN_PROGRESS.into();
    write_record(d, "d-autosave-renamed.toml", &rec);
    std::fs::write(d.join("e-sheet.toml"), "puzzle = \"kms-secrets-manager\"\n").unwrap();
    std::fs::write(d.join("f-binary.toml"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    std::fs::write(d.join("g-empty.toml"), "").unwrap();
    std::fs::create_dir(d.join("h-folder.toml")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    write_record(&d.join("sub"), "nested.toml", &record(VALID[2]));

    // The folder, the good file again (reached twice), and a missing path.
    let missing = d.join("no-such-file.toml");
    let r = report::build(&puzzle(), &[d.to_path_buf(), good.clone(), missing]);
    assert_eq!(r.students.len(), 1, "{:#?}", r.skipped);
    assert_eq!(r.students[0].name, "Bob Okafor");
    let reasons: Vec<(&str, String)> = r
        .skipped
        .iter()
        .map(|s| (file_name(&s.path), s.reason.to_string()))
        .collect();
    let want = [
        (
            "b-kind.toml",
            "corrupt: kind is \"something-else\", not \"kmsquest-results\"",
        ),
        (
            "c-version.toml",
            "corrupt: format_version 2 is not supported (this kmsquest reads 1)",
        ),
        (
            "d-autosave-renamed.toml",
            "unfinished: a quiz still in progress (autosave)",
        ),
        ("e-sheet.toml", "corrupt: not a kmsquest results file"),
        ("f-binary.toml", "corrupt: not a text file (invalid UTF-8)"),
        ("g-empty.toml", "corrupt: not a kmsquest results file"),
        ("a-good.toml", "duplicate: the same file as "),
        ("no-such-file.toml", "unreadable: no such file or folder"),
    ];
    assert_eq!(reasons.len(), want.len(), "{reasons:#?}");
    for ((file, reason), (wfile, wreason)) in reasons.iter().zip(want) {
        assert_eq!(*file, wfile);
        assert!(reason.starts_with(wreason), "{file}: {reason}");
    }
    // Subfolders are not read.
    assert!(!report::render_text(&r).contains("Chen Wei"));
}

#[test]
fn the_same_person_twice_is_two_attempts_unless_the_start_time_matches() {
    let dir = tempfile::tempdir().unwrap();
    let first = record(VALID[0]);
    write_record(dir.path(), "1.toml", &first);
    let mut retake = first.clone();
    retake.started_at = "2026-03-09T09:00:00Z".into();
    retake.total = 52.0;
    write_record(dir.path(), "2.toml", &retake);
    // Same attempt, re-exported with another score: still a duplicate (the first one read wins).
    let mut again = first.clone();
    again.total = 1.0;
    write_record(dir.path(), "3.toml", &again);
    let r = report::build(&puzzle(), &[dir.path()]);
    let got: Vec<(&str, f64)> = r
        .students
        .iter()
        .map(|s| (s.started_at.as_str(), s.total))
        .collect();
    assert_eq!(
        got,
        [
            ("2026-03-02T09:00:12Z", 50.0),
            ("2026-03-09T09:00:00Z", 52.0)
        ]
    );
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(file_name(&r.skipped[0].path), "3.toml");
}

#[test]
fn many_files_keep_their_order_and_every_skip() {
    // Enough files for the parallel reader; bad ones interleaved.
    let dir = tempfile::tempdir().unwrap();
    let base = record(VALID[0]);
    for i in 0..300 {
        let file = format!("r{i:04}.toml");
        if i % 50 == 7 {
            std::fs::write(dir.path().join(&file), "garbage = ").unwrap();
            continue;
        }
        let mut rec = base.clone();
        rec.name = format!("Student {:04}", 299 - i);
        write_record(dir.path(), &file, &rec);
    }
    let r = report::build(&puzzle(), &[dir.path()]);
    assert_eq!(r.students.len(), 294);
    assert!(r.students.windows(2).all(|w| w[0].name < w[1].name));
    let skipped: Vec<&str> = r.skipped.iter().map(|s| file_name(&s.path)).collect();
    assert_eq!(
        skipped,
        [
            "r0007.toml",
            "r0057.toml",
            "r0107.toml",
            "r0157.toml",
            "r0207.toml",
            "r0257.toml"
        ]
    );
    assert_eq!(question(&r, "task2.access").correct, 294);
}

#[test]
fn names_from_files_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = record(VALID[0]);
    rec.name = "Mallory\u{1b}[2J\u{7}".into();
    write_record(dir.path(), "m.toml", &rec);
    let text = report::render_text(&report::build(&puzzle(), &[dir.path()]));
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
    assert!(text.contains("Mallory\u{FFFD}[2J\u{FFFD}"));
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_parses_back_with_one_row_per_student_per_question() {
    let r = fixture_report();
    let csv_text = report::render_csv(&r);
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "name",
            "started_at",
            "question",
            "points",
            "max",
            "verdict",
            "chosen"
        ]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let questions = puzzle().questions().count();
    assert_eq!(rows.len(), 5 * questions);
    assert_eq!(csv_text.lines().count(), 5 * questions + 1);

    let bob_access = rows
        .iter()
        .find(|r| &r[0] == "Bob Okafor" && &r[2] == "task2.access")
        .unwrap();
    assert_eq!(
        bob_access.iter().collect::<Vec<_>>(),
        [
            "Bob Okafor",
            "2026-03-02T09:00:47Z",
            "task2.access",
            "3",
            "6",
            "partial",
            "admin-console:oauth-client-secret;analytics:internal-shared-secret;\
             analytics:rds-master-password;payments-api:internal-shared-secret;\
             payments-api:payment-gateway-api-key;payments-api:rds-master-password;\
             payments-api:rds-readonly-password",
        ]
    );
    let zoe = rows
        .iter()
        .find(|r| &r[0] == "Zoë Ångström" && &r[2] == "task2.resource-scope")
        .unwrap();
    assert_eq!(&zoe[3], "0.25");
    assert_eq!(&zoe[5], "partial");
    // An unanswered question has an empty chosen field.
    let chen = rows
        .iter()
        .find(|r| &r[0] == "Chen Wei" && &r[2] == "task3.blast-radius")
        .unwrap();
    assert_eq!((&chen[3], &chen[5], &chen[6]), ("0", "unanswered", ""));
}

#[test]
fn csv_quotes_awkward_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = record(VALID[0]);
    rec.name = "O'Brien, \"Pat\"\nsecond line".into();
    write_record(dir.path(), "x.toml", &rec);
    let r = report::build(&puzzle(), &[dir.path()]);
    let text = report::render_csv(&r);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), puzzle().questions().count());
    assert!(
        rows.iter()
            .all(|row| &row[0] == "O'Brien, \"Pat\"\nsecond line")
    );
    let multi = rows
        .iter()
        .find(|r| &r[2] == "task2.kms-permission")
        .unwrap();
    assert_eq!(&multi[6], "kms:Decrypt;kms:GenerateDataKey");
}

// ---------------------------------------------------------------- the binary

#[test]
fn report_binary_prints_the_report_and_the_skipped_list() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "tests/fixtures/results"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("Class report — "));
    assert!(stdout.contains("  Alice Ng            50/52   96%   45:10      1\n"));
    let tail = "Skipped files (4)\n\
        \x20 tests/fixtures/results/Evan_Brooks-20260302T090311Z.in-progress.toml — unfinished: a quiz still in progress (autosave)\n\
        \x20 tests/fixtures/results/Frank_Other-20260302T090105Z.toml — foreign: a quiz of puzzle \"other-puzzle\", not \"kms-secrets-manager\"\n\
        \x20 tests/fixtures/results/copy-of-alice.toml — duplicate: same name, start time and puzzle as tests/fixtures/results/Alice_Ng-20260302T090012Z.toml\n\
        \x20 tests/fixtures/results/garbage.toml — corrupt: not valid TOML (line 1): ";
    assert!(stdout.contains(tail), "{stdout}");
}

#[test]
fn report_binary_csv_goes_to_stdout_and_skips_to_stderr() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "--csv",
            "tests/fixtures/results/Alice_Ng-20260302T090012Z.toml",
            "tests/fixtures/results/Bob_Okafor-20260302T090047Z.toml",
            "tests/fixtures/results/garbage.toml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut rd = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(rd.records().count(), 2 * puzzle().questions().count());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("skipped tests/fixtures/results/garbage.toml — corrupt"));
}

#[test]
fn report_binary_fails_when_nothing_could_be_read() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "tests/fixtures/results/garbage.toml",
            "tests/fixtures/results/no-such.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("garbage.toml — corrupt"), "{stderr}");
    assert!(stderr.contains("no-such.toml — unreadable: no such file or folder"));
    assert!(stderr.ends_with("kmsquest: no results file could be read (2 skipped)\n"));

    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .args(["report".as_ref(), empty.path().as_os_str()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn report_needs_a_path() {
    let out = Command::new(env!("CARGO_BIN_EXE_kmsquest"))
        .arg("report")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
