//! The class report over 10,000 results files (the target is well under a second).
//! The files are written once into a temp dir: realistic records made by grading varied answers.

use criterion::{Criterion, criterion_group, criterion_main};
use kmsquest::answer::{Answer, Answers};
use kmsquest::content::{self, Puzzle, QuestionSpec};
use kmsquest::grading::grade_all;
use kmsquest::report;
use kmsquest::results::{
    KIND_FINAL, QuestionRecord, QuizRecord, RESULTS_VERSION, TaskRecord, verdict_name,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

const FILES: usize = 10_000;

/// A tiny deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Some answer to every question (sometimes none): options, subsets, grants and orders at random.
fn answers(p: &Puzzle, rng: &mut Rng) -> Answers {
    let mut out = Answers::new();
    for (t, q) in p.questions() {
        if rng.below(20) == 0 {
            continue;
        }
        let a = match &q.spec {
            QuestionSpec::Single { options } => {
                Answer::Single(options[rng.below(options.len())].id.clone())
            }
            QuestionSpec::Multi { options } => Answer::List(
                options
                    .iter()
                    .filter(|o| rng.below(3) == 0 || (o.is_key() && rng.below(4) != 0))
                    .map(|o| o.id.clone())
                    .collect(),
            ),
            QuestionSpec::Matrix {
                rows,
                columns,
                grants,
                ..
            } => Answer::Matrix(
                rows.iter()
                    .enumerate()
                    .map(|(ri, r)| {
                        let cols = columns
                            .iter()
                            .enumerate()
                            .filter(|(ci, _)| grants.contains(&(ri, *ci)) != (rng.below(6) == 0))
                            .map(|(_, c)| c.id.clone())
                            .collect();
                        (r.id.clone(), cols)
                    })
                    .collect(),
            ),
            QuestionSpec::Ordering { steps, order } => {
                let mut ids: Vec<String> = order.iter().map(|&i| steps[i].id.clone()).collect();
                if rng.below(2) == 0 {
                    let (a, b) = (rng.below(ids.len()), rng.below(ids.len()));
                    ids.swap(a, b);
                }
                Answer::List(ids)
            }
        };
        out.insert(Puzzle::question_path(t, q), a);
    }
    out
}

fn chosen(a: Option<&Answer>) -> Vec<String> {
    match a {
        None => vec![],
        Some(Answer::Single(s)) => vec![s.clone()],
        Some(Answer::List(l)) => l.clone(),
        Some(Answer::Matrix(m)) => m
            .iter()
            .flat_map(|(r, cols)| cols.iter().map(move |c| format!("{r}:{c}")))
            .collect(),
    }
}

fn record(p: &Puzzle, i: usize, rng: &mut Rng) -> QuizRecord {
    let answers = answers(p, rng);
    let hints: BTreeMap<String, usize> = p
        .tasks
        .iter()
        .map(|t| (t.id.clone(), rng.below(t.hints.len() + 1)))
        .collect();
    let r = grade_all(p, &answers, &|t| hints[&t.id], true);
    let minutes = 20 + rng.below(40);
    QuizRecord {
        format_version: RESULTS_VERSION,
        kind: KIND_FINAL.into(),
        name: format!("Student {i:05}"),
        puzzle: p.id.clone(),
        content_hash: p.content_hash.clone(),
        seed: rng.next(),
        started_at: format!(
            "2026-03-{:02}T09:{:02}:{:02}Z",
            1 + i % 28,
            i / 60 % 60,
            i % 60
        ),
        finished_at: Some("2026-03-01T10:00:00Z".into()),
        duration_secs: (minutes * 60 + rng.below(60)) as u64,
        time_limit_secs: Some(3600),
        hints_used: hints.values().sum(),
        hints,
        submitted: p.tasks.iter().map(|t| t.id.clone()).collect(),
        total: r.total,
        max: r.max,
        tasks: r
            .tasks
            .iter()
            .map(|t| TaskRecord {
                id: t.task.clone(),
                points: t.points,
                max: t.max,
                hint_penalty: t.hint_penalty,
            })
            .collect(),
        questions: r
            .questions
            .iter()
            .map(|q| QuestionRecord {
                id: q.path.clone(),
                points: q.grade.points,
                max: q.grade.max,
                verdict: verdict_name(q.grade.verdict).into(),
                chosen: chosen(answers.get(&q.path)),
                misconceptions: q.grade.misconceptions.clone(),
            })
            .collect(),
        answers: kmsquest::sheet::to_table(&answers),
    }
}

fn write_files(p: &Puzzle, dir: &Path) -> u64 {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = 0;
    for i in 0..FILES {
        let text = toml::to_string(&record(p, i, &mut rng)).expect("a record serialises");
        bytes += text.len() as u64;
        std::fs::write(dir.join(format!("student-{i:05}.toml")), text).expect("write");
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let p = content::load(None).expect("embedded pack").remove(0);
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = write_files(&p, dir.path());
    eprintln!("{FILES} results files, {:.1} MB", bytes as f64 / 1e6);
    let paths = [dir.path().to_path_buf()];
    let r = report::build(&p, &paths);
    assert_eq!(r.students.len(), FILES);
    assert!(r.skipped.is_empty());

    let mut g = c.benchmark_group("report");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("build 10k files", |b| {
        b.iter(|| report::build(&p, &paths));
    });
    g.bench_function("build + render_text 10k files", |b| {
        b.iter(|| report::render_text(&report::build(&p, &paths)));
    });
    g.bench_function("render_csv 10k students", |b| {
        b.iter(|| report::render_csv(&r));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
