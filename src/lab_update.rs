//! The policy lab's actions: open/close, its switches (digits), export. `None` when the action is
//! not the lab's, so `update` goes on as usual.

use crate::action::{Action, Effect};
use crate::lab::{LabKind, lab_for};
use crate::model::{Focus, Model, Screen};
use crate::policy::puzzle::{ActionScope, KeyChoice, ResourceScope, S3Action};

/// The lab question in focus, if any.
pub fn focused_lab(model: &Model) -> Option<(usize, usize, LabKind)> {
    let Screen::Task(t) = model.screen else {
        return None;
    };
    let Focus::Question(q) = model.tasks.get(t)?.focus else {
        return None;
    };
    lab_for(&model.puzzle, t, q).map(|k| (t, q, k))
}

fn flip(set: &mut std::collections::BTreeSet<S3Action>, a: S3Action) {
    if !set.remove(&a) {
        set.insert(a);
    }
}

pub fn update(model: &mut Model, action: Action) -> Option<Vec<Effect>> {
    // On Task 4 with another key-policy principal in focus, Space edits that lab row, not the answer.
    if let (Action::Select | Action::Click(_), Some((t, q, LabKind::CrossAccount))) =
        (action, focused_lab(model))
        && model.lab_open
        && model.lab.key_principal != 0
    {
        if let Action::Click(crate::ui::HitTarget::Row(r)) = action {
            model.tasks[t].questions[q].cursor = r;
        }
        let state = &model.tasks[t].questions[q];
        let option = state.option_at(state.cursor);
        let id = match &model.puzzle.tasks[t].questions[q].spec {
            crate::content::QuestionSpec::Multi { options } => {
                options.get(option).map(|o| o.id.clone())
            }
            _ => None,
        };
        if let Some(kms) = id.as_deref().and_then(crate::lab::kms_action_of_option) {
            let principal = crate::lab::key_principals()[model.lab.key_principal]
                .1
                .clone();
            let row = model.lab.key_rows.entry(principal).or_default();
            if !row.remove(&kms) {
                row.insert(kms);
            }
        }
        return Some(vec![]);
    }
    match action {
        Action::ToggleLab => {
            if focused_lab(model).is_some() {
                model.lab_open = !model.lab_open;
            } else {
                model.notice = Some("The policy lab opens on Task 2's access matrix and Task 4's key-policy question.".into());
            }
            Some(vec![])
        }
        Action::ExportPolicies => {
            if model.lab_open && focused_lab(model).is_some() {
                Some(vec![Effect::ExportPolicies])
            } else {
                model.notice = Some("Open the policy lab (l) on a lab question first.".into());
                Some(vec![])
            }
        }
        Action::Digit(d)
            if model.lab_open && !model.present.as_ref().is_some_and(|p| p.awaiting_jump) =>
        {
            let (t, q, kind) = focused_lab(model)?;
            let role = focused_role(model, t, q);
            let o = &mut model.lab;
            let scopes = o
                .scopes
                .entry(role)
                .or_insert((ActionScope::GetSecretValue, ResourceScope::NamedPattern));
            match (kind, d) {
                (LabKind::Secrets, 1) => {
                    scopes.0 = match scopes.0 {
                        ActionScope::GetSecretValue => ActionScope::AllSecretsManager,
                        ActionScope::AllSecretsManager => ActionScope::GetSecretValue,
                    }
                }
                (LabKind::Secrets, 2) => {
                    scopes.1 = match scopes.1 {
                        ResourceScope::NamedPattern => ResourceScope::NamePrefix,
                        ResourceScope::NamePrefix => ResourceScope::Wildcard,
                        ResourceScope::Wildcard => ResourceScope::NamedPattern,
                    }
                }
                (LabKind::Secrets, 3) => o.secrets_key = toggle_key(o.secrets_key),
                (LabKind::CrossAccount, 1) => flip(&mut o.bucket_auditor, S3Action::GetObject),
                (LabKind::CrossAccount, 2) => flip(&mut o.bucket_auditor, S3Action::ListBucket),
                (LabKind::CrossAccount, 3) => flip(&mut o.bucket_auditor, S3Action::PutObject),
                (LabKind::CrossAccount, 4) => flip(&mut o.bucket_auditor, S3Action::DeleteObject),
                (LabKind::CrossAccount, 5) => o.auditor_iam_decrypt = !o.auditor_iam_decrypt,
                (LabKind::CrossAccount, 6) => o.auditor_iam_get_object = !o.auditor_iam_get_object,
                (LabKind::CrossAccount, 7) => o.reports_key = toggle_key(o.reports_key),
                (LabKind::CrossAccount, 8) => {
                    o.key_principal = (o.key_principal + 1) % crate::lab::key_principals().len()
                }
                _ => {}
            }
            Some(vec![])
        }
        _ => None,
    }
}

/// The workload under the matrix cursor (the role whose policy the lab shows and switches).
pub fn focused_role(model: &Model, t: usize, q: usize) -> crate::policy::puzzle::Role {
    let question = &model.puzzle.tasks[t].questions[q];
    let row = model.tasks[t].questions[q].cursor;
    match &question.spec {
        crate::content::QuestionSpec::Matrix { rows, .. } => rows
            .get(row)
            .and_then(|r| crate::lab::role_of_row(&r.id))
            .unwrap_or(crate::policy::puzzle::Role::PaymentsApi),
        _ => crate::policy::puzzle::Role::PaymentsApi,
    }
}

fn toggle_key(k: KeyChoice) -> KeyChoice {
    match k {
        KeyChoice::CustomerManaged => KeyChoice::AwsManaged,
        KeyChoice::AwsManaged => KeyChoice::CustomerManaged,
    }
}
