//! The policy simulator: named requests from the puzzle with the decision the answer key
//! expects, and `simulate`, which evaluates them against a built world.

use super::eval::{Decision, Verdict};
use super::model::Request;
use super::puzzle::{KmsAction, PuzzleWorld, Role, SecretId, Target};
use serde::{Deserialize, Serialize};

/// One scenario: who calls what on which target, and what the answer key expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRequest {
    pub name: String,
    pub principal: Role,
    /// A concrete action, e.g. `kms:Decrypt`.
    pub action: String,
    pub target: Target,
    pub expected: Decision,
}

impl NamedRequest {
    pub fn new(
        name: &str,
        principal: Role,
        action: &str,
        target: Target,
        expected: Decision,
    ) -> Self {
        NamedRequest {
            name: name.to_string(),
            principal,
            action: action.to_string(),
            target,
            expected,
        }
    }
}

/// One evaluated scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimOutcome {
    pub name: String,
    pub request: Request,
    pub expected: Decision,
    pub verdict: Verdict,
}

impl SimOutcome {
    /// Did the world decide as the answer key expects?
    pub fn matches_expected(&self) -> bool {
        self.verdict.decision == self.expected
    }
}

/// Evaluate every request against `world`, in order.
pub fn simulate(world: &PuzzleWorld, requests: &[NamedRequest]) -> Vec<SimOutcome> {
    requests
        .iter()
        .map(|r| {
            let request = world.request(r.principal, &r.action, r.target);
            let verdict = world.policies.evaluate(&request);
            SimOutcome {
                name: r.name.clone(),
                request,
                expected: r.expected,
                verdict,
            }
        })
        .collect()
}

const GET_SECRET: &str = "secretsmanager:GetSecretValue";

/// The puzzle's scenarios (Tasks 2 and 4) with the answer key's decisions.
pub fn simulator_requests() -> Vec<NamedRequest> {
    use Decision::{Allow, Deny};
    use Role::*;
    use SecretId::*;
    let read = |who: Role, secret: SecretId, expected: Decision| {
        NamedRequest::new(
            &format!("{} reads the {}", who.label(), secret.label()),
            who,
            GET_SECRET,
            Target::Secret(secret),
            expected,
        )
    };
    let key = |name: &str, who: Role, action: KmsAction, target: Target, expected: Decision| {
        NamedRequest::new(name, who, action.call(), target, expected)
    };
    vec![
        // Task 2: each workload reads exactly its own secrets.
        read(PaymentsApi, RdsMasterPassword, Allow),
        read(PaymentsApi, PaymentGatewayApiKey, Allow),
        read(PaymentsApi, InternalSharedSecret, Allow),
        read(PaymentsApi, OAuthClientSecret, Deny),
        read(PaymentsApi, RdsReadOnlyPassword, Deny),
        NamedRequest::new(
            "Payments API reads the old RDS master password",
            PaymentsApi,
            GET_SECRET,
            Target::OldMasterPassword,
            Deny,
        ),
        NamedRequest::new(
            "Payments API deletes the RDS master password",
            PaymentsApi,
            "secretsmanager:DeleteSecret",
            Target::Secret(RdsMasterPassword),
            Deny,
        ),
        key(
            "Payments API decrypts with the secrets key",
            PaymentsApi,
            KmsAction::Decrypt,
            Target::SecretsKey,
            Allow,
        ),
        read(Analytics, RdsReadOnlyPassword, Allow),
        read(Analytics, InternalSharedSecret, Allow),
        read(Analytics, PaymentGatewayApiKey, Deny),
        read(Analytics, RdsMasterPassword, Deny),
        read(AdminConsole, OAuthClientSecret, Allow),
        read(AdminConsole, RdsMasterPassword, Deny),
        read(AdminConsole, PaymentGatewayApiKey, Deny),
        // Task 4: the reports key and bucket.
        key(
            "Analytics decrypts a report with the CMK",
            Analytics,
            KmsAction::Decrypt,
            Target::ReportsKey,
            Allow,
        ),
        key(
            "Analytics generates a data key for a new report",
            Analytics,
            KmsAction::GenerateDataKey,
            Target::ReportsKey,
            Allow,
        ),
        key(
            "Payments API decrypts a report with the CMK",
            PaymentsApi,
            KmsAction::Decrypt,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor decrypts a report with the CMK",
            Auditor,
            KmsAction::Decrypt,
            Target::ReportsKey,
            Allow,
        ),
        key(
            "Auditor describes the CMK",
            Auditor,
            KmsAction::DescribeKey,
            Target::ReportsKey,
            Allow,
        ),
        NamedRequest::new(
            "Auditor gets a report object",
            Auditor,
            "s3:GetObject",
            Target::ReportObject,
            Allow,
        ),
        NamedRequest::new(
            "Auditor lists the reports bucket",
            Auditor,
            "s3:ListBucket",
            Target::ReportsBucket,
            Allow,
        ),
        key(
            "Auditor encrypts with the CMK",
            Auditor,
            KmsAction::Encrypt,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor generates a data key",
            Auditor,
            KmsAction::GenerateDataKey,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor re-encrypts with the CMK",
            Auditor,
            KmsAction::ReEncrypt,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor creates a grant on the key",
            Auditor,
            KmsAction::CreateGrant,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor changes the key policy",
            Auditor,
            KmsAction::PutKeyPolicy,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor disables the key",
            Auditor,
            KmsAction::DisableKey,
            Target::ReportsKey,
            Deny,
        ),
        key(
            "Auditor schedules key deletion",
            Auditor,
            KmsAction::ScheduleKeyDeletion,
            Target::ReportsKey,
            Deny,
        ),
        NamedRequest::new(
            "Auditor puts an object into the bucket",
            Auditor,
            "s3:PutObject",
            Target::ReportObject,
            Deny,
        ),
        NamedRequest::new(
            "Auditor deletes a report object",
            Auditor,
            "s3:DeleteObject",
            Target::ReportObject,
            Deny,
        ),
        NamedRequest::new(
            "Auditor reads the RDS master password",
            Auditor,
            GET_SECRET,
            Target::Secret(RdsMasterPassword),
            Deny,
        ),
    ]
}
