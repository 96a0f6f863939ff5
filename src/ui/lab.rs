//! The policy lab beside its question: live policies, the access simulator, the cross-account path
//! and a small architecture picture of the grants. Marks pair a glyph with a word.

use super::doc::Doc;
use super::text;
use super::theme::Theme;
use crate::lab::{self, LabKind, LabOptions};
use crate::model::Model;
use crate::policy::Decision;
use crate::policy::puzzle::{
    ActionScope, KeyChoice, ResourceScope, Role, S3Action, SecretId, reference_grants,
};
use ratatui::text::{Line, Span};

fn key_word(k: KeyChoice) -> &'static str {
    match k {
        KeyChoice::CustomerManaged => "customer managed",
        KeyChoice::AwsManaged => "AWS managed",
    }
}

fn on(b: bool) -> &'static str {
    if b { "[x]" } else { "[ ]" }
}

/// The lab as lines of width `w` for the focused lab question (`t`, `q`).
pub fn doc(model: &Model, t: usize, q: usize, kind: LabKind, w: usize, theme: &Theme) -> Doc {
    let o = &model.lab;
    let verdicts = model.reveals_key() || model.policy.presentation;
    let mut d = Doc::default();
    d.push(Line::styled(
        "Policy lab — live (l closes, x exports JSON)",
        theme.heading,
    ));
    match kind {
        LabKind::Secrets => {
            let role = crate::lab_update::focused_role(model, t, q);
            let (action, resource) = o
                .scopes
                .get(&role)
                .copied()
                .unwrap_or((ActionScope::GetSecretValue, ResourceScope::NamedPattern));
            let switches = format!(
                "{} (↑/↓ picks the role): 1 action: {} · 2 resource: {} · 3 secrets key (all roles): {}",
                role.label(),
                match action {
                    ActionScope::GetSecretValue => "GetSecretValue",
                    ActionScope::AllSecretsManager => "secretsmanager:*",
                },
                match resource {
                    ResourceScope::NamedPattern => "name-??????",
                    ResourceScope::NamePrefix => "name-*",
                    ResourceScope::Wildcard => "*",
                },
                key_word(o.secrets_key)
            );
            d.extend(text::plain(&switches, theme.accent, w));
            d.blank();
            simulator(&mut d, model, o, kind, verdicts, w, theme);
            if verdicts {
                let findings = lab::findings(model, o);
                if !findings.is_empty() {
                    d.push(Line::styled("Flags", theme.heading));
                    for f in findings {
                        d.extend(text::wrap(&[(f, theme.base)], w, "⚑ ", "  ", theme.wrong));
                    }
                    d.blank();
                }
                diagram(&mut d, model, o, w, theme);
            }
            // The policy of the role under the matrix cursor.
            let world = lab::design(model, o).build();
            d.push(Line::styled(
                format!("{}'s IAM policy", role.label()),
                theme.heading,
            ));
            match world.policies.identity.get(&role.arn()) {
                Some(p) => json(&mut d, &lab::policy_json(p), w, theme),
                None => d.push(Line::styled(
                    "(no statements: this role can read nothing)",
                    theme.dim,
                )),
            }
        }
        LabKind::CrossAccount => {
            let b = &o.bucket_auditor;
            d.extend(text::plain(
                &format!(
                    "Bucket policy for the auditor role: 1 {} GetObject · 2 {} ListBucket · 3 {} PutObject · 4 {} DeleteObject",
                    on(b.contains(&S3Action::GetObject)),
                    on(b.contains(&S3Action::ListBucket)),
                    on(b.contains(&S3Action::PutObject)),
                    on(b.contains(&S3Action::DeleteObject))
                ),
                theme.accent,
                w,
            ));
            d.extend(text::plain(
                &format!(
                    "Auditors' IAM policy: 5 {} kms:Decrypt on the key · 6 {} s3:GetObject · 7 reports key: {}",
                    on(o.auditor_iam_decrypt),
                    on(o.auditor_iam_get_object),
                    key_word(o.reports_key)
                ),
                theme.accent,
                w,
            ));
            d.extend(text::plain(
                "Key policy for the auditor role: your answer to this question (Space toggles).",
                theme.dim,
                w,
            ));
            d.blank();
            if verdicts {
                d.extend(text::plain(
                    "Path: auditor (account B) → bucket policy → GetObject → key policy → Decrypt ← auditor IAM",
                    theme.heading,
                    w,
                ));
                let links = lab::auditor_path(model, o);
                let first_broken = links.iter().position(|l| !l.ok);
                for (i, l) in links.iter().enumerate() {
                    let (mark, style) = if l.ok {
                        ("✓ ok    ", theme.correct)
                    } else {
                        ("✗ broken", theme.wrong)
                    };
                    let label_style = if Some(i) == first_broken {
                        theme.cursor
                    } else {
                        theme.base
                    };
                    d.push(Line::from(vec![
                        Span::styled(format!("{mark} "), style),
                        Span::styled(text::sanitize(&l.label), label_style),
                    ]));
                    if Some(i) == first_broken {
                        d.extend(text::wrap(
                            &[(l.why.clone(), theme.base)],
                            w,
                            "         why: ",
                            "         ",
                            theme.wrong,
                        ));
                    }
                }
                d.blank();
            }
            simulator(&mut d, model, o, kind, verdicts, w, theme);
            let world = lab::design(model, o).build();
            let key_arn = crate::policy::puzzle::reports_key_arn(o.reports_key);
            d.push(Line::styled("Reports key policy", theme.heading));
            if let Some(p) = world.policies.resource.get(key_arn) {
                json(&mut d, &lab::policy_json(p), w, theme);
            }
        }
    }
    d
}

fn simulator(
    d: &mut Doc,
    model: &Model,
    o: &LabOptions,
    kind: LabKind,
    verdicts: bool,
    w: usize,
    theme: &Theme,
) {
    let outcomes = lab::simulation(model, o, kind);
    if !verdicts {
        d.extend(text::plain(
            &format!(
                "Access simulator: {} requests — verdicts appear when the quiz ends.",
                outcomes.len()
            ),
            theme.dim,
            w,
        ));
        d.blank();
        return;
    }
    let ok = outcomes
        .iter()
        .filter(|x| x.verdict.decision == x.expected)
        .count();
    d.extend(text::plain(
        &format!("Access simulator: {ok} of {} as required", outcomes.len()),
        theme.heading,
        w,
    ));
    for x in &outcomes {
        let right = x.verdict.decision == x.expected;
        let (mark, style) = if right {
            ("✓", theme.correct)
        } else {
            ("✗", theme.wrong)
        };
        let verdict = lab::decision_word(x.verdict.decision);
        let expected = if right {
            String::new()
        } else {
            format!(" (must {})", lab::decision_word(x.expected))
        };
        d.extend(text::wrap(
            &[
                (
                    format!("{verdict:<5}{expected} "),
                    if x.verdict.decision == Decision::Allow {
                        theme.accent
                    } else {
                        theme.base
                    },
                ),
                (x.name.clone(), theme.base),
            ],
            w,
            &format!("{mark} "),
            "  ",
            style,
        ));
        if !right {
            d.extend(text::wrap(
                &[(x.verdict.explain(), theme.dim)],
                w,
                "    ",
                "    ",
                theme.dim,
            ));
        }
    }
    d.blank();
}

/// Services as boxes with their grants as arrows, each marked needed / over-privileged / missing.
fn diagram(d: &mut Doc, model: &Model, o: &LabOptions, w: usize, theme: &Theme) {
    let design = lab::design(model, o);
    let need = reference_grants();
    d.push(Line::styled("Grants", theme.heading));
    for role in Role::WORKLOADS {
        let given = design.grants.get(&role).cloned().unwrap_or_default();
        let needed = need.get(&role).cloned().unwrap_or_default();
        let name = role.label();
        d.push(Line::styled(
            format!("┌{}┐", "─".repeat(name.chars().count() + 2)),
            theme.accent,
        ));
        let mut first = true;
        for s in SecretId::ALL {
            let (g, n) = (given.contains(&s), needed.contains(&s));
            let (mark, style) = match (g, n) {
                (true, true) => ("✓ needed", theme.correct),
                (true, false) => ("✗ over-privileged", theme.wrong),
                (false, true) => ("! missing", theme.partial),
                (false, false) => continue,
            };
            let arrow = if g { "──▶" } else { "╌╌▷" };
            let left = if first {
                format!("│ {name} │")
            } else {
                format!("│{}│", " ".repeat(name.chars().count() + 2))
            };
            first = false;
            let line = format!("{left} {arrow} {} ", s.label());
            let pad = w
                .saturating_sub(text::width(&line) + text::width(mark))
                .min(4);
            d.push(Line::from(vec![
                Span::styled(left, theme.accent),
                Span::styled(format!(" {arrow} {} ", s.label()), theme.base),
                Span::raw(" ".repeat(pad)),
                Span::styled(mark, style),
            ]));
        }
        if first {
            d.push(Line::styled(
                format!("│ {name} │  (no grants)"),
                theme.accent,
            ));
        }
        d.push(Line::styled(
            format!("└{}┘", "─".repeat(name.chars().count() + 2)),
            theme.accent,
        ));
    }
    d.blank();
}

fn json(d: &mut Doc, value: &serde_json::Value, w: usize, theme: &Theme) {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    for l in pretty.lines() {
        let indent = l.len() - l.trim_start().len();
        let pad = " ".repeat(indent.min(12));
        d.extend(text::wrap(
            &[(l.trim_start().to_string(), theme.code)],
            w,
            &pad,
            &format!("{pad}  "),
            theme.code,
        ));
    }
    d.blank();
}
