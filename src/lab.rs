//! The policy lab's pure side: turn the student's answers (the Task 2 access matrix, the Task 4
//! auditor key actions) plus the lab's own switches into real policies, simulate the puzzle's
//! requests against them, check the auditors' cross-account path, and write the policies as AWS
//! policy JSON. No terminal here; `ui::lab` draws it.

use crate::content::{Puzzle, QuestionSpec};
use crate::model::{Draft, Model};
use crate::policy::puzzle::{
    ActionScope, Design, IdentityOptions, KeyChoice, KmsAction, ResourceScope, Role, S3Action,
    SecretId, Target, reference_key_grid,
};
use crate::policy::simulator::{SimOutcome, simulate, simulator_requests};
use crate::policy::{Decision, Effect, Policy};
use std::collections::{BTreeMap, BTreeSet};

/// The lab's own switches (what the questions do not already say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabOptions {
    /// Per role (Task 2's workloads): the action scope and the resource scope of its IAM policy.
    pub scopes: BTreeMap<Role, (ActionScope, ResourceScope)>,
    pub secrets_key: KeyChoice,
    pub reports_key: KeyChoice,
    /// What the bucket policy grants the auditors' role.
    pub bucket_auditor: BTreeSet<S3Action>,
    /// The auditors' own IAM policy: kms:Decrypt on the reports key, s3:GetObject on the bucket.
    pub auditor_iam_decrypt: bool,
    pub auditor_iam_get_object: bool,
    /// Which key-policy principal the Task 4 question's options edit (`KEY_PRINCIPALS`): the
    /// auditor role is the graded answer; the others are the lab's own rows.
    pub key_principal: usize,
    /// Key-policy rows other than the auditor role, by principal.
    pub key_rows: BTreeMap<String, BTreeSet<KmsAction>>,
}

/// The key policy's principals, in the order `8` cycles through them: (label, principal).
pub fn key_principals() -> [(&'static str, String); 3] {
    use crate::policy::puzzle::AUDITOR_ACCOUNT;
    [
        ("Auditor role, account B (your answer)", Role::Auditor.arn()),
        (
            "Auditors' whole account B (root)",
            format!("arn:aws:iam::{AUDITOR_ACCOUNT}:root"),
        ),
        (
            "Analytics role, account A (writes reports)",
            Role::Analytics.arn(),
        ),
    ]
}

impl Default for LabOptions {
    /// Task 2 starts least-privilege (the matrix is the student's); Task 4's bucket policy and the
    /// auditors' IAM policy start empty, so the student builds the cross-account path link by link.
    fn default() -> Self {
        LabOptions {
            scopes: Role::WORKLOADS
                .into_iter()
                .map(|r| {
                    (
                        r,
                        (ActionScope::GetSecretValue, ResourceScope::NamedPattern),
                    )
                })
                .collect(),
            secrets_key: KeyChoice::CustomerManaged,
            reports_key: KeyChoice::CustomerManaged,
            bucket_auditor: BTreeSet::new(),
            auditor_iam_decrypt: false,
            auditor_iam_get_object: false,
            key_principal: 0,
            key_rows: reference_key_grid()
                .into_iter()
                .filter(|(p, _)| *p != Role::Auditor.arn())
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabKind {
    /// Task 2: least-privilege builder and access simulator.
    Secrets,
    /// Task 4: cross-account path checker.
    CrossAccount,
}

/// The role a matrix row id stands for.
pub fn role_of_row(id: &str) -> Option<Role> {
    match id {
        "payments-api" => Some(Role::PaymentsApi),
        "analytics" => Some(Role::Analytics),
        "admin-console" => Some(Role::AdminConsole),
        _ => None,
    }
}

/// The secret a matrix column id stands for (the content's ids, the world's names).
pub fn secret_of_column(id: &str) -> Option<SecretId> {
    SecretId::ALL.into_iter().find(|s| {
        s.name() == id || (id == "rds-readonly-password" && *s == SecretId::RdsReadOnlyPassword)
    })
}

pub fn kms_action_of_option(id: &str) -> Option<KmsAction> {
    KmsAction::ALL
        .into_iter()
        .find(|a| a.pattern().eq_ignore_ascii_case(id))
}

/// Which lab, if any, a question opens: a matrix of workloads × secrets, or a multi-select of KMS actions.
pub fn lab_for(puzzle: &Puzzle, task: usize, question: usize) -> Option<LabKind> {
    let q = puzzle.tasks.get(task)?.questions.get(question)?;
    match &q.spec {
        QuestionSpec::Matrix { rows, columns, .. }
            if rows.iter().all(|r| role_of_row(&r.id).is_some())
                && columns.iter().all(|c| secret_of_column(&c.id).is_some()) =>
        {
            Some(LabKind::Secrets)
        }
        QuestionSpec::Multi { options }
            if options
                .iter()
                .all(|o| kms_action_of_option(&o.id).is_some()) =>
        {
            Some(LabKind::CrossAccount)
        }
        _ => None,
    }
}

/// The student's design: their matrix and auditor actions (wherever those questions are) + the lab switches.
pub fn design(model: &Model, options: &LabOptions) -> Design {
    let mut grants: BTreeMap<Role, BTreeSet<SecretId>> = Role::WORKLOADS
        .into_iter()
        .map(|r| (r, BTreeSet::new()))
        .collect();
    let mut auditor_actions: BTreeSet<KmsAction> = BTreeSet::new();
    for (t, task) in model.puzzle.tasks.iter().enumerate() {
        for (qi, q) in task.questions.iter().enumerate() {
            let draft = &model.tasks[t].questions[qi].draft;
            match (lab_for(&model.puzzle, t, qi), &q.spec, draft) {
                (
                    Some(LabKind::Secrets),
                    QuestionSpec::Matrix { rows, columns, .. },
                    Draft::Matrix(cells),
                ) => {
                    for &(r, c) in cells {
                        if let (Some(role), Some(secret)) = (
                            rows.get(r).and_then(|x| role_of_row(&x.id)),
                            columns.get(c).and_then(|x| secret_of_column(&x.id)),
                        ) {
                            grants.entry(role).or_default().insert(secret);
                        }
                    }
                }
                (
                    Some(LabKind::CrossAccount),
                    QuestionSpec::Multi { options: opts },
                    Draft::Multi(set),
                ) => {
                    auditor_actions.extend(
                        set.iter()
                            .filter_map(|&i| opts.get(i))
                            .filter_map(|o| kms_action_of_option(&o.id)),
                    );
                }
                _ => {}
            }
        }
    }
    let mut key_grid: crate::policy::puzzle::KeyGrid = options.key_rows.clone();
    key_grid.insert(Role::Auditor.arn(), auditor_actions);
    let mut auditor_kms = BTreeSet::new();
    if options.auditor_iam_decrypt {
        auditor_kms.insert(KmsAction::Decrypt);
    }
    let mut auditor_s3 = BTreeSet::new();
    if options.auditor_iam_get_object {
        auditor_s3.insert(S3Action::GetObject);
    }
    Design {
        grants,
        identity: IdentityOptions {
            secrets_key: options.secrets_key,
            ..IdentityOptions::least_privilege()
        },
        role_scopes: options.scopes.clone(),
        reports_key: options.reports_key,
        key_grid,
        bucket_auditor: options.bucket_auditor.clone(),
        auditor_kms,
        auditor_s3,
    }
}

fn is_task4(target: Target) -> bool {
    matches!(
        target,
        Target::ReportsKey | Target::ReportsBucket | Target::ReportObject
    )
}

/// The simulator's table for a lab: the puzzle's requests against the student's policies.
pub fn simulation(model: &Model, options: &LabOptions, kind: LabKind) -> Vec<SimOutcome> {
    let world = design(model, options).build();
    let requests: Vec<_> = simulator_requests()
        .into_iter()
        .filter(|r| is_task4(r.target) == (kind == LabKind::CrossAccount))
        .collect();
    simulate(&world, &requests)
}

/// One link of the auditors' path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub ok: bool,
    pub why: String,
}

/// The chain "auditor role (account B) → bucket policy → S3 GetObject → key policy → kms:Decrypt ←
/// auditor IAM policy", each link checked on its own so the first broken one can be named.
pub fn auditor_path(model: &Model, options: &LabOptions) -> Vec<Link> {
    let d = design(model, options);
    let world = d.build();
    let get = world.policies.evaluate(&world.request(
        Role::Auditor,
        "s3:GetObject",
        Target::ReportObject,
    ));
    let decrypt =
        world
            .policies
            .evaluate(&world.request(Role::Auditor, "kms:Decrypt", Target::ReportsKey));
    let key_allows = d.reports_key == KeyChoice::CustomerManaged
        && d.key_grid
            .get(&Role::Auditor.arn())
            .is_some_and(|a| a.contains(&KmsAction::Decrypt));
    vec![
        Link {
            label: "Auditor role (account B) assumes its read-only role".into(),
            ok: true,
            why: "STS gives the auditors temporary credentials in their own account.".into(),
        },
        Link {
            label: "Bucket policy allows the auditor role s3:GetObject".into(),
            ok: d.bucket_auditor.contains(&S3Action::GetObject),
            why: "Cross-account S3 access needs the bucket policy in the producer account to name the auditors.".into(),
        },
        Link {
            label: "Auditor IAM policy allows s3:GetObject on the bucket".into(),
            ok: options.auditor_iam_get_object,
            why: "Across accounts both sides must allow: the auditors' own IAM policy too.".into(),
        },
        Link { label: "S3 GetObject on the report".into(), ok: get.is_allowed(), why: get.explain() },
        Link {
            label: "Reports key is customer managed".into(),
            ok: d.reports_key == KeyChoice::CustomerManaged,
            why: "AWS managed keys (aws/s3) cannot be used across accounts: their key policies cannot be edited.".into(),
        },
        Link {
            label: "Key policy allows the auditor role kms:Decrypt".into(),
            ok: key_allows,
            why: "The key policy in the producer account must allow the auditors' role (your Task 4 answer).".into(),
        },
        Link {
            label: "Auditor IAM policy allows kms:Decrypt on the key's ARN".into(),
            ok: options.auditor_iam_decrypt,
            why: "Cross-account KMS: the caller's identity policy must also allow kms:Decrypt on the full key ARN.".into(),
        },
        Link { label: "kms:Decrypt of the report's data key".into(), ok: decrypt.is_allowed(), why: decrypt.explain() },
    ]
}

/// Over-privilege findings in the student's Task 2 policies, with the reason.
pub fn findings(model: &Model, options: &LabOptions) -> Vec<String> {
    let d = design(model, options);
    let reference = crate::policy::puzzle::reference_grants();
    let mut out = Vec::new();
    for (role, (action, resource)) in &options.scopes {
        let who = role.label();
        if *action == ActionScope::AllSecretsManager {
            out.push(format!("{who}: secretsmanager:* also lets it write, delete and re-policy secrets: grant GetSecretValue only."));
        }
        match resource {
            ResourceScope::Wildcard => out.push(format!("{who}: Resource \"*\" reads every secret, including ones created later.")),
            ResourceScope::NamePrefix => out.push(format!("{who}: name-* also matches other secrets whose names start the same (e.g. rds-master-password-old-…): use name-??????.")),
            ResourceScope::NamedPattern => {}
        }
    }
    for (role, secrets) in &d.grants {
        let need = reference.get(role).cloned().unwrap_or_default();
        for s in secrets.difference(&need) {
            out.push(format!(
                "Over-privilege: {} can read the {} but does not need it.",
                role.label(),
                s.label()
            ));
        }
        for s in need.difference(secrets) {
            out.push(format!(
                "Missing: {} needs the {} (under-privilege: it will fail at runtime).",
                role.label(),
                s.label()
            ));
        }
    }
    out
}

/// A policy as AWS policy JSON (Version, Statement[Sid, Effect, Principal?, Action, Resource]).
pub fn policy_json(policy: &Policy) -> serde_json::Value {
    let statements: Vec<serde_json::Value> = policy
        .statements
        .iter()
        .map(|s| {
            let mut m = serde_json::Map::new();
            if !s.sid.is_empty() {
                m.insert("Sid".into(), s.sid.clone().into());
            }
            m.insert(
                "Effect".into(),
                if s.effect == Effect::Allow {
                    "Allow"
                } else {
                    "Deny"
                }
                .into(),
            );
            if let Some(p) = &s.principals {
                let aws: Vec<serde_json::Value> = p.iter().cloned().map(Into::into).collect();
                m.insert(
                    "Principal".into(),
                    if p.iter().any(|x| x == "*") {
                        "*".into()
                    } else {
                        serde_json::json!({ "AWS": aws })
                    },
                );
            }
            let one_or_many = |v: &[String]| -> serde_json::Value {
                if v.len() == 1 {
                    v[0].clone().into()
                } else {
                    v.iter()
                        .cloned()
                        .map(Into::into)
                        .collect::<Vec<serde_json::Value>>()
                        .into()
                }
            };
            m.insert("Action".into(), one_or_many(&s.actions));
            m.insert("Resource".into(), one_or_many(&s.resources));
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::json!({ "Version": "2012-10-17", "Statement": statements })
}

/// Every policy of the student's design, as (file name, pretty JSON).
pub fn export(model: &Model, options: &LabOptions) -> Vec<(String, String)> {
    let world = design(model, options).build();
    let mut files = Vec::new();
    // A policy with no statements is not a valid policy document: nothing to write.
    for (arn, p) in world
        .policies
        .identity
        .iter()
        .filter(|(_, p)| !p.statements.is_empty())
    {
        let name = arn.rsplit('/').next().unwrap_or("role");
        files.push((
            format!("iam-{name}.json"),
            serde_json::to_string_pretty(&policy_json(p)).unwrap_or_default(),
        ));
    }
    for (arn, p) in world
        .policies
        .resource
        .iter()
        .filter(|(_, p)| !p.statements.is_empty())
    {
        let kind = if arn.starts_with("arn:aws:kms") {
            "key-policy"
        } else if arn.starts_with("arn:aws:s3") {
            "bucket-policy"
        } else {
            "resource-policy"
        };
        let tail: String = arn
            .rsplit([':', '/'])
            .next()
            .unwrap_or("x")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        files.push((
            format!("{kind}-{tail}.json"),
            serde_json::to_string_pretty(&policy_json(p)).unwrap_or_default(),
        ));
    }
    files
}

/// Did every simulated request come out as expected?
pub fn all_as_expected(outcomes: &[SimOutcome]) -> bool {
    outcomes.iter().all(|o| o.verdict.decision == o.expected)
}

pub fn decision_word(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "ALLOW",
        Decision::Deny => "DENY",
    }
}

/// When the Task 4 lab edits another key-policy principal, the question's options show that row:
/// a copy of the question state whose draft is the lab row. `None` otherwise.
pub fn lab_row_state(model: &Model, t: usize, q: usize) -> Option<crate::model::QuestionState> {
    if !model.lab_open
        || model.lab.key_principal == 0
        || lab_for(&model.puzzle, t, q) != Some(LabKind::CrossAccount)
    {
        return None;
    }
    let QuestionSpec::Multi { options } = &model.puzzle.tasks[t].questions[q].spec else {
        return None;
    };
    let principal = &key_principals()[model.lab.key_principal].1;
    let row = model
        .lab
        .key_rows
        .get(principal)
        .cloned()
        .unwrap_or_default();
    let mut state = model.tasks[t].questions[q].clone();
    state.draft = Draft::Multi(
        options
            .iter()
            .enumerate()
            .filter(|(_, o)| kms_action_of_option(&o.id).is_some_and(|a| row.contains(&a)))
            .map(|(i, _)| i)
            .collect(),
    );
    Some(state)
}
