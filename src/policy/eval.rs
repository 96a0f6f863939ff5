//! Evaluation: given a request, the caller's identity policy and the resource's policy, decide
//! Allow or Deny, say why, and name the statements that decided it. The rules are documented
//! on the `policy` module.

use super::model::{Effect, Policy, PrincipalMatch, Request, ResourceKind, Statement};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which policy a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// The caller's IAM identity policy.
    Identity,
    /// A Secrets Manager secret's resource policy.
    Resource,
    /// A KMS key policy.
    KeyPolicy,
    /// An S3 bucket policy.
    BucketPolicy,
}

impl PolicyKind {
    /// The resource policy kind governing a kind of resource.
    pub fn for_resource(kind: ResourceKind) -> PolicyKind {
        match kind {
            ResourceKind::Secret => PolicyKind::Resource,
            ResourceKind::KmsKey { .. } => PolicyKind::KeyPolicy,
            ResourceKind::S3Object | ResourceKind::S3Bucket => PolicyKind::BucketPolicy,
        }
    }

    /// Lower-case noun phrase: "identity policy", "key policy", …
    pub fn noun(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity policy",
            PolicyKind::Resource => "resource policy",
            PolicyKind::KeyPolicy => "key policy",
            PolicyKind::BucketPolicy => "bucket policy",
        }
    }
}

/// A statement that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatementRef {
    pub policy: PolicyKind,
    /// The statement's `Sid`, or `#n` (1-based position) when it has none.
    pub sid: String,
}

impl StatementRef {
    fn of(policy: PolicyKind, index: usize, statement: &Statement) -> Self {
        let sid = if statement.sid.is_empty() {
            format!("#{}", index + 1)
        } else {
            statement.sid.clone()
        };
        StatementRef { policy, sid }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} statement {}", self.policy.noun(), self.sid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    Deny,
}

/// Why the decision came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// An applicable `Deny` statement matched; it beats every `Allow`.
    ExplicitDeny,
    /// Same account: allowed by the identity policy and/or a resource policy naming the caller
    /// (for a KMS key: the key policy naming the caller, or naming the account with the identity
    /// policy allowing too).
    Allowed,
    /// Across accounts: the resource policy names the caller's account or the caller, and the
    /// caller's identity policy allows the action on the resource.
    CrossAccountAllowed,
    /// A cross-account request for an AWS managed key: always denied.
    AwsManagedKeyCrossAccount,
    /// Same account, KMS key: the identity policy allows but the key policy does not (neither
    /// the caller nor its account), and IAM policies alone never grant access to a KMS key.
    KeyPolicyDoesNotAllow,
    /// Same account: the resource policy grants the account (delegating to IAM), but the
    /// caller's identity policy does not allow it.
    AccountGrantNeedsIdentity { resource_policy: PolicyKind },
    /// Across accounts: the resource policy allows it but the caller's identity policy does not.
    CrossAccountNoIdentityAllow { resource_policy: PolicyKind },
    /// Across accounts: the identity policy allows it but the resource policy does not name the
    /// caller's account or the caller.
    CrossAccountNoResourceAllow { resource_policy: PolicyKind },
    /// No statement allows it.
    ImplicitDeny,
}

/// The outcome of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub decision: Decision,
    pub reason: Reason,
    /// For an `Allow`: the `Allow` statements that granted it (identity first, then resource).
    /// For an explicit deny: the matching `Deny` statements. For every implicit deny: empty —
    /// no statement decided it, something was missing.
    pub deciding: Vec<StatementRef>,
}

impl Verdict {
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    /// Denied without any `Deny` statement matching (something was missing).
    pub fn is_implicit_deny(&self) -> bool {
        self.decision == Decision::Deny && self.reason != Reason::ExplicitDeny
    }

    /// Was this statement among the deciding ones?
    pub fn names(&self, policy: PolicyKind, sid: &str) -> bool {
        self.deciding
            .iter()
            .any(|r| r.policy == policy && r.sid == sid)
    }

    /// One plain sentence for the player.
    pub fn explain(&self) -> String {
        let refs = join_refs(&self.deciding);
        match self.reason {
            Reason::ExplicitDeny => format!("explicit deny in {refs}"),
            Reason::Allowed => format!("allowed by {refs}"),
            Reason::CrossAccountAllowed => {
                format!("cross-account: allowed by {refs} (both sides allow it)")
            }
            Reason::AwsManagedKeyCrossAccount => {
                "AWS managed keys cannot be used across accounts".to_string()
            }
            Reason::KeyPolicyDoesNotAllow => "the identity policy allows it but the key policy \
                 does not: a KMS key policy must allow the caller or its account"
                .to_string(),
            Reason::AccountGrantNeedsIdentity { resource_policy } => format!(
                "the {} allows the caller's account, but the caller's identity policy does not \
                 allow it",
                resource_policy.noun()
            ),
            Reason::CrossAccountNoIdentityAllow { resource_policy } => format!(
                "cross-account: the {} allows it but the caller's identity policy does not",
                resource_policy.noun()
            ),
            Reason::CrossAccountNoResourceAllow { resource_policy } => format!(
                "cross-account: the caller's identity policy allows it but the {} does not \
                 name the caller's account or role",
                resource_policy.noun()
            ),
            Reason::ImplicitDeny => "implicit deny: nothing allows it".to_string(),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.explain())
    }
}

fn join_refs(refs: &[StatementRef]) -> String {
    let parts: Vec<String> = refs.iter().map(ToString::to_string).collect();
    match parts.as_slice() {
        [] => "no statement".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Decide `request` against the caller's identity policy and the resource policy governing the
/// resource (key policy, bucket policy or secret resource policy). `None` means "no policy"
/// (for a KMS key that denies everything, as a key without a usable key policy would).
pub fn evaluate(
    request: &Request,
    identity: Option<&Policy>,
    resource: Option<&Policy>,
) -> Verdict {
    let resource_kind = PolicyKind::for_resource(request.resource_kind);
    let applies = |s: &Statement| {
        s.matches_action(&request.action) && s.matches_resource(&request.resource_arn)
    };
    let principal =
        |s: &Statement| s.principal_match(&request.principal_arn, &request.principal_account);

    // Gather the applicable statements from both sides, in evaluation order.
    let mut identity_allow = Vec::new();
    let mut resource_direct = Vec::new();
    let mut resource_account = Vec::new();
    let mut denies = Vec::new();
    for (i, s) in identity
        .map_or(&[][..], |p| &p.statements)
        .iter()
        .enumerate()
    {
        if !applies(s) {
            continue;
        }
        let r = StatementRef::of(PolicyKind::Identity, i, s);
        match s.effect {
            Effect::Allow => identity_allow.push(r),
            Effect::Deny => denies.push(r),
        }
    }
    for (i, s) in resource
        .map_or(&[][..], |p| &p.statements)
        .iter()
        .enumerate()
    {
        if !applies(s) {
            continue;
        }
        let named = principal(s);
        if named == PrincipalMatch::None {
            continue;
        }
        let r = StatementRef::of(resource_kind, i, s);
        match (s.effect, named) {
            (Effect::Deny, _) => denies.push(r),
            (Effect::Allow, PrincipalMatch::Direct) => resource_direct.push(r),
            (Effect::Allow, _) => resource_account.push(r),
        }
    }

    // 1. An explicit deny anywhere wins.
    if !denies.is_empty() {
        return deny(Reason::ExplicitDeny, denies);
    }

    let is_kms = matches!(request.resource_kind, ResourceKind::KmsKey { .. });
    if request.is_cross_account() {
        // 2. AWS managed keys never work across accounts.
        if request.resource_kind == (ResourceKind::KmsKey { aws_managed: true }) {
            return deny(Reason::AwsManagedKeyCrossAccount, Vec::new());
        }
        // 3. Across accounts both sides must allow. Naming the caller's account or the caller
        //    itself both count on the resource side.
        let mut resource_allow = resource_direct;
        resource_allow.extend(resource_account);
        return match (identity_allow.is_empty(), resource_allow.is_empty()) {
            (false, false) => {
                let mut deciding = identity_allow;
                deciding.extend(resource_allow);
                allow(Reason::CrossAccountAllowed, deciding)
            }
            (true, false) => deny(
                Reason::CrossAccountNoIdentityAllow {
                    resource_policy: resource_kind,
                },
                Vec::new(),
            ),
            (false, true) => deny(
                Reason::CrossAccountNoResourceAllow {
                    resource_policy: resource_kind,
                },
                Vec::new(),
            ),
            (true, true) => deny(Reason::ImplicitDeny, Vec::new()),
        };
    }

    // 4. Same account. A grant to the account counts only together with an identity allow.
    let account_grant_used = !resource_account.is_empty() && !identity_allow.is_empty();
    let identity_suffices = !is_kms && !identity_allow.is_empty();
    if !resource_direct.is_empty() || account_grant_used || identity_suffices {
        let mut deciding = Vec::new();
        if account_grant_used || identity_suffices {
            deciding.extend(identity_allow);
        }
        deciding.extend(resource_direct);
        if account_grant_used {
            deciding.extend(resource_account);
        }
        return allow(Reason::Allowed, deciding);
    }
    let reason = if !resource_account.is_empty() {
        Reason::AccountGrantNeedsIdentity {
            resource_policy: resource_kind,
        }
    } else if is_kms && !identity_allow.is_empty() {
        Reason::KeyPolicyDoesNotAllow
    } else {
        Reason::ImplicitDeny
    };
    deny(reason, Vec::new())
}

fn allow(reason: Reason, deciding: Vec<StatementRef>) -> Verdict {
    Verdict {
        decision: Decision::Allow,
        reason,
        deciding,
    }
}

fn deny(reason: Reason, deciding: Vec<StatementRef>) -> Verdict {
    Verdict {
        decision: Decision::Deny,
        reason,
        deciding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/AppRole";
    const KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn key_request(principal: &str, action: &str) -> Request {
        Request::new(
            principal,
            action,
            KEY,
            "111122223333",
            ResourceKind::KmsKey { aws_managed: false },
        )
    }

    #[test]
    fn kms_same_account_identity_alone_is_not_enough() {
        let id = Policy::new(vec![Statement::allow("UseKey", ["kms:Decrypt"], [KEY])]);
        let v = evaluate(
            &key_request(ROLE, "kms:Decrypt"),
            Some(&id),
            Some(&Policy::default()),
        );
        assert_eq!(v.reason, Reason::KeyPolicyDoesNotAllow);
        assert!(v.deciding.is_empty());
    }

    #[test]
    fn explain_lists_several_statements() {
        let kp = Policy::new(vec![
            Statement::allow("EnableIam", ["kms:*"], ["*"])
                .with_principals(["arn:aws:iam::111122223333:root"]),
        ]);
        let id = Policy::new(vec![Statement::allow("UseKey", ["kms:Decrypt"], [KEY])]);
        let v = evaluate(&key_request(ROLE, "kms:Decrypt"), Some(&id), Some(&kp));
        assert!(v.is_allowed());
        assert_eq!(
            v.explain(),
            "allowed by identity policy statement UseKey and key policy statement EnableIam"
        );
    }

    #[test]
    fn unnamed_statements_are_numbered() {
        let id = Policy::new(vec![
            Statement::allow("", ["s3:ListBucket"], ["*"]),
            Statement::deny("", ["kms:*"], ["*"]),
        ]);
        let v = evaluate(&key_request(ROLE, "kms:Decrypt"), Some(&id), None);
        assert_eq!(v.explain(), "explicit deny in identity policy statement #2");
    }
}
