//! The puzzle as a Markdown worksheet, for printing or an LMS; `with_answers` adds the key and teaching.

use crate::content::{Expected, OptionGrade, Puzzle, Question, QuestionSpec, Task};
use std::fmt::Write as _;

pub fn worksheet(puzzle: &Puzzle, with_answers: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", puzzle.title);
    let s = &puzzle.scenario;
    let _ = writeln!(out, "{}\n", s.story.trim());
    let _ = writeln!(out, "## The services\n");
    for (i, svc) in s.services.iter().enumerate() {
        let _ = writeln!(out, "{}. **{}** ({})", i + 1, svc.name, svc.detail);
    }
    let _ = writeln!(out, "\n## Requirements\n");
    for r in &s.requirements {
        let _ = writeln!(out, "- {r}");
    }
    let _ = writeln!(out, "\n## Sensitive items\n");
    for it in &s.items {
        let _ = writeln!(out, "- {it}");
    }
    let _ = writeln!(out, "\n## You can use\n");
    for t in &s.tools {
        let _ = writeln!(out, "- {t}");
    }
    let _ = writeln!(out, "\n{}\n", s.goal.trim());
    for task in &puzzle.tasks {
        write_task(&mut out, task, with_answers);
    }
    if with_answers {
        let _ = writeln!(
            out,
            "## {}\n\n{}\n",
            puzzle.summary.title,
            puzzle.summary.body.trim()
        );
    }
    out
}

fn write_task(out: &mut String, task: &Task, with_answers: bool) {
    let _ = writeln!(
        out,
        "---\n\n## Task {} – {} ({} points)\n",
        task.number,
        task.title,
        task.max_points()
    );
    let _ = writeln!(out, "{}\n", task.intro.trim());
    let _ = writeln!(out, "### Hints\n");
    for h in &task.hints {
        let _ = writeln!(out, "- **Hint {}:** {}", h.number, h.text.trim());
    }
    let _ = writeln!(out);
    for (i, q) in task.questions.iter().enumerate() {
        write_question(out, task, i, q, with_answers);
    }
    if with_answers {
        let _ = writeln!(
            out,
            "### Suggested solution\n\n{}\n",
            task.solution.body.trim()
        );
        let _ = writeln!(out, "### Concepts to teach\n");
        for c in &task.solution.concepts {
            let _ = writeln!(out, "- {c}");
        }
        if !task.solution.going_further.is_empty() {
            let _ = writeln!(out, "\n### Going further\n");
            for g in &task.solution.going_further {
                let _ = writeln!(out, "- {g}");
            }
        }
        let _ = writeln!(out);
    }
}

fn write_question(out: &mut String, task: &Task, index: usize, q: &Question, with_answers: bool) {
    let _ = writeln!(
        out,
        "### {}.{} `{}` ({} {}, {})\n",
        task.number,
        index + 1,
        Puzzle::question_path(task, q),
        q.points,
        if q.points == 1 { "point" } else { "points" },
        q.spec.kind().name()
    );
    let _ = writeln!(out, "{}\n", q.prompt.trim());
    match &q.spec {
        QuestionSpec::Single { options } | QuestionSpec::Multi { options } => {
            for (i, o) in options.iter().enumerate() {
                let letter = (b'A' + (i % 26) as u8) as char;
                if with_answers {
                    let mark = match o.grade {
                        OptionGrade::Credit(c) if c >= 1.0 => "✓ correct".to_string(),
                        OptionGrade::Credit(c) if c > 0.0 => {
                            format!("◐ partly ({:.0}%)", c * 100.0)
                        }
                        OptionGrade::Credit(_) => "✗ wrong".to_string(),
                        OptionGrade::Expected(Expected::Required) => "✓ required".to_string(),
                        OptionGrade::Expected(Expected::Optional) => "○ optional".to_string(),
                        OptionGrade::Expected(Expected::Forbidden) => "✗ must not".to_string(),
                    };
                    let _ = writeln!(
                        out,
                        "- {letter}. {} (`{}`) — **{mark}**: {}",
                        o.label,
                        o.id,
                        o.feedback.trim()
                    );
                } else {
                    let _ = writeln!(out, "- [ ] {letter}. {} (`{}`)", o.label, o.id);
                }
            }
        }
        QuestionSpec::Matrix {
            rows,
            columns,
            grants,
            ..
        } => {
            let _ = write!(out, "| |");
            for c in columns {
                let _ = write!(out, " {} |", c.label);
            }
            let _ = write!(out, "\n|---|");
            for _ in columns {
                let _ = write!(out, "---|");
            }
            let _ = writeln!(out);
            for (ri, r) in rows.iter().enumerate() {
                let _ = write!(out, "| {} |", r.label);
                for ci in 0..columns.len() {
                    let cell = if !with_answers {
                        " "
                    } else if grants.contains(&(ri, ci)) {
                        "✓ allow"
                    } else {
                        "✗ deny"
                    };
                    let _ = write!(out, " {cell} |");
                }
                let _ = writeln!(out);
            }
        }
        QuestionSpec::Ordering { steps, order } => {
            let _ = writeln!(out, "Put these steps in order:\n");
            for s in steps {
                let _ = writeln!(out, "- [ ] {} (`{}`)", s.label, s.id);
            }
            if with_answers {
                let _ = writeln!(out, "\n**Order:**\n");
                for (i, &k) in order.iter().enumerate() {
                    let _ = writeln!(out, "{}. {}", i + 1, steps[k].label);
                }
            }
        }
    }
    let _ = writeln!(out);
    if with_answers {
        let _ = writeln!(out, "**Explanation.** {}\n", q.explanation.trim());
        if let Some(c) = q.extra_concept() {
            let _ = writeln!(
                out,
                "> Concept to teach: *{}*\n",
                c.trim().trim_matches('*')
            );
        }
    }
}
