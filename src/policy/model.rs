//! The data: policies, statements and the request being authorised, plus how one statement
//! matches an action, a resource and a principal. No evaluation order lives here (see `eval`).

use super::glob::{glob_match, glob_match_ignore_case};
use serde::{Deserialize, Serialize};

/// `Allow` or `Deny`, as in a policy statement's `Effect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// One policy statement. Conditions are not modelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The statement id; may be empty (it is then shown as `#n`, its 1-based position).
    pub sid: String,
    pub effect: Effect,
    /// Action patterns such as `kms:Decrypt`, `kms:ReEncrypt*`, `secretsmanager:*` or `*`.
    pub actions: Vec<String>,
    /// Resource ARN patterns with `*` and `?`, or `*` (in a key policy: "this key").
    pub resources: Vec<String>,
    /// Resource policies only: `*`, an account id (`123456789012`), an account root ARN
    /// (`arn:aws:iam::123456789012:root`, the whole account) or an exact role ARN.
    /// Identity policies leave this `None` (and it is ignored there).
    pub principals: Option<Vec<String>>,
}

impl Statement {
    /// An identity-policy style `Allow` (no principals).
    pub fn allow<A, R>(sid: &str, actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        Self::new(sid, Effect::Allow, actions, resources)
    }

    /// An identity-policy style `Deny` (no principals).
    pub fn deny<A, R>(sid: &str, actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        Self::new(sid, Effect::Deny, actions, resources)
    }

    fn new<A, R>(sid: &str, effect: Effect, actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        Statement {
            sid: sid.to_string(),
            effect,
            actions: actions.into_iter().map(Into::into).collect(),
            resources: resources.into_iter().map(Into::into).collect(),
            principals: None,
        }
    }

    /// The same statement with a `Principal` element, for resource policies.
    pub fn with_principals<P>(mut self, principals: P) -> Self
    where
        P: IntoIterator,
        P::Item: Into<String>,
    {
        self.principals = Some(principals.into_iter().map(Into::into).collect());
        self
    }

    /// Does any action pattern match? Case-insensitive, with `*` and `?`.
    pub fn matches_action(&self, action: &str) -> bool {
        self.actions
            .iter()
            .any(|p| glob_match_ignore_case(p, action))
    }

    /// Does any resource pattern match? Case-sensitive, with `*` and `?`.
    pub fn matches_resource(&self, resource_arn: &str) -> bool {
        self.resources.iter().any(|p| glob_match(p, resource_arn))
    }

    /// How the `Principal` element names the caller (resource policies only). A statement with
    /// no `Principal` names nobody.
    pub fn principal_match(&self, principal_arn: &str, principal_account: &str) -> PrincipalMatch {
        let Some(entries) = &self.principals else {
            return PrincipalMatch::None;
        };
        let mut best = PrincipalMatch::None;
        for entry in entries {
            let found = match PrincipalEntry::parse(entry) {
                PrincipalEntry::Anyone => PrincipalMatch::Direct,
                PrincipalEntry::Account(id) if id == principal_account => PrincipalMatch::Account,
                PrincipalEntry::Arn(arn) if arn == principal_arn => PrincipalMatch::Direct,
                _ => PrincipalMatch::None,
            };
            best = best.max(found);
        }
        best
    }
}

/// How a resource-policy statement's `Principal` names the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// Not named.
    None,
    /// The caller's account is named (account id or `:root`): a grant to the account, which its
    /// administrators must pass on through identity policies.
    Account,
    /// The caller itself is named (its exact ARN) or `*` is.
    Direct,
}

/// One entry of a `Principal` element, classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalEntry<'a> {
    Anyone,
    Account(&'a str),
    Arn(&'a str),
}

impl<'a> PrincipalEntry<'a> {
    pub fn parse(entry: &'a str) -> Self {
        if entry == "*" {
            return PrincipalEntry::Anyone;
        }
        if is_account_id(entry) {
            return PrincipalEntry::Account(entry);
        }
        // arn:PARTITION:iam::ACCOUNT:root
        let parts: Vec<&str> = entry.split(':').collect();
        if parts.len() == 6
            && parts[0] == "arn"
            && parts[2] == "iam"
            && parts[3].is_empty()
            && is_account_id(parts[4])
            && parts[5] == "root"
        {
            return PrincipalEntry::Account(parts[4]);
        }
        PrincipalEntry::Arn(entry)
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A policy document: an ordered list of statements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

impl Policy {
    pub fn new(statements: Vec<Statement>) -> Self {
        Policy { statements }
    }
}

/// What kind of resource a request targets; it decides which resource policy applies and
/// whether the KMS rules hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    Secret,
    KmsKey { aws_managed: bool },
    S3Object,
    S3Bucket,
}

/// One API call to authorise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The caller, e.g. `arn:aws:iam::111122223333:role/PaymentsApiTaskRole`.
    pub principal_arn: String,
    pub principal_account: String,
    /// A concrete action, e.g. `secretsmanager:GetSecretValue`.
    pub action: String,
    pub resource_arn: String,
    /// The account owning the resource (S3 ARNs do not carry it).
    pub resource_account: String,
    pub resource_kind: ResourceKind,
}

impl Request {
    /// A request by `principal_arn`, its account taken from the ARN (empty if the ARN has none).
    pub fn new(
        principal_arn: &str,
        action: &str,
        resource_arn: &str,
        resource_account: &str,
        resource_kind: ResourceKind,
    ) -> Self {
        Request {
            principal_arn: principal_arn.to_string(),
            principal_account: arn_account(principal_arn).unwrap_or_default().to_string(),
            action: action.to_string(),
            resource_arn: resource_arn.to_string(),
            resource_account: resource_account.to_string(),
            resource_kind,
        }
    }

    /// Does the call cross an account boundary?
    pub fn is_cross_account(&self) -> bool {
        self.principal_account != self.resource_account
    }

    /// The ARN of the resource whose resource policy governs this request: the bucket for an
    /// object (`arn:aws:s3:::bucket/key` → `arn:aws:s3:::bucket`), else the resource itself.
    pub fn policy_holder_arn(&self) -> &str {
        match self.resource_kind {
            ResourceKind::S3Object => match self.resource_arn.strip_prefix("arn:aws:s3:::") {
                Some(rest) => {
                    let bucket_len = rest.find('/').unwrap_or(rest.len());
                    &self.resource_arn[..self.resource_arn.len() - rest.len() + bucket_len]
                }
                None => &self.resource_arn,
            },
            _ => &self.resource_arn,
        }
    }
}

/// The account field (5th) of an ARN, if present and non-empty.
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let account = parts.nth(3)?;
    (!account.is_empty()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_entries_parse() {
        assert_eq!(PrincipalEntry::parse("*"), PrincipalEntry::Anyone);
        assert_eq!(
            PrincipalEntry::parse("444455556666"),
            PrincipalEntry::Account("444455556666")
        );
        assert_eq!(
            PrincipalEntry::parse("arn:aws:iam::444455556666:root"),
            PrincipalEntry::Account("444455556666")
        );
        let role = "arn:aws:iam::444455556666:role/AuditorReadOnlyRole";
        assert_eq!(PrincipalEntry::parse(role), PrincipalEntry::Arn(role));
    }

    #[test]
    fn policy_holder_of_an_object_is_its_bucket() {
        let r = Request::new(
            "arn:aws:iam::444455556666:role/R",
            "s3:GetObject",
            "arn:aws:s3:::reports/2024/q1.csv",
            "111122223333",
            ResourceKind::S3Object,
        );
        assert_eq!(r.policy_holder_arn(), "arn:aws:s3:::reports");
        assert_eq!(r.principal_account, "444455556666");
        assert!(r.is_cross_account());
    }

    #[test]
    fn arn_accounts() {
        assert_eq!(
            arn_account("arn:aws:iam::111122223333:role/X"),
            Some("111122223333")
        );
        assert_eq!(arn_account("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_account("not-an-arn"), None);
    }
}
