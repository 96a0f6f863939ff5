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
            let (principal_label, _) = &lab::key_principals()[o.key_principal];
            d.extend(text::plain(
                &format!("Key policy row: 8 {principal_label} — the options on the left are this row (Space toggles)."),
                if o.key_principal == 0 { theme.dim } else { theme.notice },
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
                    d.extend(text::wrap(
                        &[(l.label.clone(), label_style)],
                        w,
                        &format!("{mark} "),
                        "         ",
                        style,
                    ));
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
            if verdicts {
                diagram_cross_account(&mut d, model, o, w, theme);
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

/// One arrow of the picture: the call, its target, and the mark (glyph and word) with its style.
struct Arrow {
    drawn: bool,
    label: String,
    mark: &'static str,
    style: ratatui::style::Style,
}

/// A service as a box, its arrows beside it: `──▶` for a grant it has, `╌╌▷` for one it lacks.
fn boxed_arrows(d: &mut Doc, name: &str, arrows: &[Arrow], w: usize, theme: &Theme) {
    let inner = name.chars().count() + 2;
    d.push(Line::styled(
        format!("┌{}┐", "─".repeat(inner)),
        theme.accent,
    ));
    if arrows.is_empty() {
        d.push(Line::styled(
            format!("│ {name} │  (no grants)"),
            theme.accent,
        ));
    }
    for (i, a) in arrows.iter().enumerate() {
        let left = if i == 0 {
            format!("│ {name} │")
        } else {
            format!("│{}│", " ".repeat(inner))
        };
        let arrow = if a.drawn { "──▶" } else { "╌╌▷" };
        let body = format!(" {arrow} {} ", a.label);
        let fits = text::width(&left) + text::width(&body) + text::width(a.mark) <= w;
        if fits {
            let room = w - (text::width(&left) + text::width(&body) + text::width(a.mark));
            d.push(Line::from(vec![
                Span::styled(left, theme.accent),
                Span::styled(body, theme.base),
                Span::raw(" ".repeat(room.min(4))),
                Span::styled(a.mark, a.style),
            ]));
        } else {
            // Narrow: the arrow's text wraps after the box, its mark on the line below.
            // Continuation lines keep the box's sides.
            let pad = format!("│{}│", " ".repeat(inner));
            let mut lines = text::wrap(
                &[(body.trim_start().to_string(), theme.base)],
                w,
                &format!("{left} "),
                &format!("{pad} "),
                theme.accent,
            );
            if let Some(first) = lines.first_mut() {
                first.spans[0] = Span::styled(format!("{left} "), theme.accent);
            }
            d.extend(lines);
            d.push(Line::from(vec![
                Span::raw(format!("{pad} ")),
                Span::styled(a.mark, a.style),
            ]));
        }
    }
    d.push(Line::styled(
        format!("└{}┘", "─".repeat(inner)),
        theme.accent,
    ));
}

/// Task 2: the three services and their secrets, each arrow marked needed / over-privileged / missing.
fn diagram(d: &mut Doc, model: &Model, o: &LabOptions, w: usize, theme: &Theme) {
    let design = lab::design(model, o);
    let need = reference_grants();
    d.push(Line::styled("Grants", theme.heading));
    for role in Role::WORKLOADS {
        let given = design.grants.get(&role).cloned().unwrap_or_default();
        let needed = need.get(&role).cloned().unwrap_or_default();
        let arrows: Vec<Arrow> = SecretId::ALL
            .into_iter()
            .filter_map(|s| {
                let (mark, style) = match (given.contains(&s), needed.contains(&s)) {
                    (true, true) => ("✓ needed", theme.correct),
                    (true, false) => ("✗ over-privileged", theme.wrong),
                    (false, true) => ("! missing", theme.partial),
                    (false, false) => return None,
                };
                Some(Arrow {
                    drawn: given.contains(&s),
                    label: s.label().to_string(),
                    mark,
                    style,
                })
            })
            .collect();
        boxed_arrows(d, role.label(), &arrows, w, theme);
    }
    d.blank();
}

/// Task 4: the auditors' account reaching into the producer's bucket and key.
fn diagram_cross_account(d: &mut Doc, model: &Model, o: &LabOptions, w: usize, theme: &Theme) {
    use crate::policy::puzzle::KmsAction;
    let design = lab::design(model, o);
    let links = lab::auditor_path(model, o);
    let link_ok = |prefix: &str| {
        links
            .iter()
            .filter(|l| l.label.starts_with(prefix))
            .all(|l| l.ok)
    };
    let mark = |ok: bool| {
        if ok {
            ("✓ needed", theme.correct)
        } else {
            ("! missing", theme.partial)
        }
    };
    let mut arrows = Vec::new();
    let get_ok = link_ok("S3 GetObject");
    let (m, st) = mark(get_ok);
    arrows.push(Arrow {
        drawn: get_ok,
        label: "s3:GetObject → reports bucket (account A)".into(),
        mark: m,
        style: st,
    });
    let dec_ok = link_ok("kms:Decrypt");
    let (m, st) = mark(dec_ok);
    let key = if design.reports_key == KeyChoice::CustomerManaged {
        "reports key (account A)"
    } else {
        "aws/s3 key (account A)"
    };
    arrows.push(Arrow {
        drawn: dec_ok,
        label: format!("kms:Decrypt → {key}"),
        mark: m,
        style: st,
    });
    for a in &design.bucket_auditor {
        if matches!(a, S3Action::PutObject | S3Action::DeleteObject) {
            arrows.push(Arrow {
                drawn: true,
                label: format!("{} → reports bucket", a.action()),
                mark: "✗ over-privileged",
                style: theme.wrong,
            });
        }
    }
    // Anything the auditors' role or their whole account may do to the key beyond reading it.
    let auditor_root = lab::key_principals()[1].1.clone();
    for (principal, who) in [
        (Role::Auditor.arn(), ""),
        (auditor_root, " (whole account)"),
    ] {
        if let Some(actions) = design.key_grid.get(&principal) {
            for a in actions
                .iter()
                .filter(|a| !matches!(a, KmsAction::Decrypt | KmsAction::DescribeKey))
            {
                arrows.push(Arrow {
                    drawn: true,
                    label: format!("{} → reports key{who}", a.pattern()),
                    mark: "✗ over-privileged",
                    style: theme.wrong,
                });
            }
        }
    }
    d.push(Line::styled("Picture", theme.heading));
    boxed_arrows(d, "Auditors (account B)", &arrows, w, theme);
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
