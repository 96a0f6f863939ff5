//! The puzzle's world (seed 000: Task 2's secrets and Task 4's reports) as data, and builders
//! that turn a player's design — who reads which secret, how broad the IAM policies are, which
//! key encrypts what, the key policy grid, the bucket policy and the auditors' IAM policy —
//! into concrete policies in a [`PolicyStore`].
//!
//! The producer account `111122223333` holds the secrets, both KMS keys and the reports
//! bucket; the auditors' account `444455556666` holds `AuditorReadOnlyRole`.

use super::model::{Policy, Request, ResourceKind, Statement};
use super::world::PolicyStore;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const REGION: &str = "eu-west-1";
/// The fintech's own account: secrets, keys, bucket and workload roles live here.
pub const PRODUCER_ACCOUNT: &str = "111122223333";
/// The external auditors' account.
pub const AUDITOR_ACCOUNT: &str = "444455556666";

/// Task 4's customer managed key for the transaction reports.
pub const REPORTS_KEY_ARN: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/// A customer managed key for the secrets, when the design picks one.
pub const SECRETS_KEY_ARN: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/0b3c5d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d";
/// The AWS managed key `aws/secretsmanager` in the producer account.
pub const AWS_SECRETSMANAGER_KEY_ARN: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
/// The AWS managed key `aws/s3` in the producer account.
pub const AWS_S3_KEY_ARN: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
pub const REPORTS_BUCKET_ARN: &str = "arn:aws:s3:::fintech-transaction-reports-111122223333";
/// One SSE-KMS encrypted report in the bucket.
pub const REPORT_OBJECT_ARN: &str =
    "arn:aws:s3:::fintech-transaction-reports-111122223333/2024/06/transactions-2024-06.csv";
/// A decoy: a leftover secret whose name shares the master password's prefix. `name-??????`
/// does not match it; `name-*` does (the accuracy notes' point).
pub const OLD_MASTER_PASSWORD_ARN: &str =
    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-old-Qw7ErT";

/// The five Secrets Manager secrets of Task 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SecretId {
    RdsMasterPassword,
    RdsReadOnlyPassword,
    PaymentGatewayApiKey,
    InternalSharedSecret,
    OAuthClientSecret,
}

impl SecretId {
    pub const ALL: [SecretId; 5] = [
        SecretId::RdsMasterPassword,
        SecretId::RdsReadOnlyPassword,
        SecretId::PaymentGatewayApiKey,
        SecretId::InternalSharedSecret,
        SecretId::OAuthClientSecret,
    ];

    /// The secret's name in Secrets Manager.
    pub fn name(self) -> &'static str {
        match self {
            SecretId::RdsMasterPassword => "rds-master-password",
            SecretId::RdsReadOnlyPassword => "rds-ro-password",
            SecretId::PaymentGatewayApiKey => "payment-gateway-api-key",
            SecretId::InternalSharedSecret => "internal-shared-secret",
            SecretId::OAuthClientSecret => "oauth-client-secret",
        }
    }

    /// The six random characters Secrets Manager appended to the ARN.
    pub fn suffix(self) -> &'static str {
        match self {
            SecretId::RdsMasterPassword => "AbC123",
            SecretId::RdsReadOnlyPassword => "x7Yz9Q",
            SecretId::PaymentGatewayApiKey => "Gt4Wq1",
            SecretId::InternalSharedSecret => "pL2mN8",
            SecretId::OAuthClientSecret => "Hk5sV0",
        }
    }

    /// Human label, e.g. "RDS master password".
    pub fn label(self) -> &'static str {
        match self {
            SecretId::RdsMasterPassword => "RDS master password",
            SecretId::RdsReadOnlyPassword => "RDS read-only password",
            SecretId::PaymentGatewayApiKey => "payment gateway API key",
            SecretId::InternalSharedSecret => "internal shared secret",
            SecretId::OAuthClientSecret => "OAuth client secret",
        }
    }

    /// The full ARN, e.g. `arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-AbC123`.
    pub fn arn(self) -> String {
        format!("{}{}-{}", secret_arn_prefix(), self.name(), self.suffix())
    }

    /// The ARN pattern an IAM policy uses for this secret under `scope`.
    pub fn pattern(self, scope: ResourceScope) -> String {
        match scope {
            ResourceScope::NamedPattern => format!("{}{}-??????", secret_arn_prefix(), self.name()),
            ResourceScope::NamePrefix => format!("{}{}-*", secret_arn_prefix(), self.name()),
            ResourceScope::Wildcard => "*".to_string(),
        }
    }
}

fn secret_arn_prefix() -> String {
    format!("arn:aws:secretsmanager:{REGION}:{PRODUCER_ACCOUNT}:secret:")
}

/// The four roles of the puzzle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// ECS task role of the Payments API.
    PaymentsApi,
    /// Lambda execution role of the Analytics Service.
    Analytics,
    /// Lambda execution role of the Admin Console backend.
    AdminConsole,
    /// The auditors' read-only role, in the auditors' account.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::PaymentsApi,
        Role::Analytics,
        Role::AdminConsole,
        Role::Auditor,
    ];
    /// The three producer-account workloads of Task 2.
    pub const WORKLOADS: [Role; 3] = [Role::PaymentsApi, Role::Analytics, Role::AdminConsole];

    pub fn role_name(self) -> &'static str {
        match self {
            Role::PaymentsApi => "PaymentsApiTaskRole",
            Role::Analytics => "AnalyticsLambdaRole",
            Role::AdminConsole => "AdminConsoleLambdaRole",
            Role::Auditor => "AuditorReadOnlyRole",
        }
    }

    /// Prefix for the Sids of statements built for this role.
    pub fn sid_prefix(self) -> &'static str {
        match self {
            Role::PaymentsApi => "PaymentsApi",
            Role::Analytics => "Analytics",
            Role::AdminConsole => "AdminConsole",
            Role::Auditor => "Auditor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::PaymentsApi => "Payments API",
            Role::Analytics => "Analytics",
            Role::AdminConsole => "Admin Console",
            Role::Auditor => "Auditor",
        }
    }

    pub fn account(self) -> &'static str {
        match self {
            Role::Auditor => AUDITOR_ACCOUNT,
            _ => PRODUCER_ACCOUNT,
        }
    }

    pub fn arn(self) -> String {
        format!("arn:aws:iam::{}:role/{}", self.account(), self.role_name())
    }
}

/// AWS managed (`aws/secretsmanager`, `aws/s3`) or customer managed key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyChoice {
    AwsManaged,
    CustomerManaged,
}

/// Which Secrets Manager actions an identity policy grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionScope {
    /// `secretsmanager:GetSecretValue` only (least privilege).
    GetSecretValue,
    /// `secretsmanager:*`.
    AllSecretsManager,
}

impl ActionScope {
    pub fn action(self) -> &'static str {
        match self {
            ActionScope::GetSecretValue => "secretsmanager:GetSecretValue",
            ActionScope::AllSecretsManager => "secretsmanager:*",
        }
    }
}

/// How an identity policy names the secrets it grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceScope {
    /// `…:secret:name-??????`: exactly that secret (least privilege).
    NamedPattern,
    /// `…:secret:name-*`: also every secret whose name starts with `name-`.
    NamePrefix,
    /// `*`: every secret.
    Wildcard,
}

/// How the workloads' identity policies are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdentityOptions {
    pub action_scope: ActionScope,
    pub resource_scope: ResourceScope,
    /// The key encrypting the secrets; a customer managed one makes every reader need
    /// `kms:Decrypt` on it.
    pub secrets_key: KeyChoice,
}

impl IdentityOptions {
    /// The least-privilege choice: `GetSecretValue` on `name-??????`, customer managed key.
    pub fn least_privilege() -> Self {
        IdentityOptions {
            action_scope: ActionScope::GetSecretValue,
            resource_scope: ResourceScope::NamedPattern,
            secrets_key: KeyChoice::CustomerManaged,
        }
    }
}

/// Which role may read which secrets.
pub type GrantMatrix = BTreeMap<Role, BTreeSet<SecretId>>;

/// Task 2's answer: Payments reads the master password, the gateway key and the shared secret;
/// Analytics the read-only password and the shared secret; the Admin Console the OAuth secret.
pub fn reference_grants() -> GrantMatrix {
    use SecretId::*;
    BTreeMap::from([
        (
            Role::PaymentsApi,
            BTreeSet::from([
                RdsMasterPassword,
                PaymentGatewayApiKey,
                InternalSharedSecret,
            ]),
        ),
        (
            Role::Analytics,
            BTreeSet::from([RdsReadOnlyPassword, InternalSharedSecret]),
        ),
        (Role::AdminConsole, BTreeSet::from([OAuthClientSecret])),
    ])
}

/// The secrets key ARN for a key choice.
pub fn secrets_key_arn(choice: KeyChoice) -> &'static str {
    match choice {
        KeyChoice::AwsManaged => AWS_SECRETSMANAGER_KEY_ARN,
        KeyChoice::CustomerManaged => SECRETS_KEY_ARN,
    }
}

/// The reports key ARN for a key choice.
pub fn reports_key_arn(choice: KeyChoice) -> &'static str {
    match choice {
        KeyChoice::AwsManaged => AWS_S3_KEY_ARN,
        KeyChoice::CustomerManaged => REPORTS_KEY_ARN,
    }
}

/// The secrets part of a role's identity policy: `<Role>ReadOwnSecrets` and, with a customer
/// managed secrets key, `<Role>DecryptSecretsKey` (`kms:Decrypt` on that key's ARN). No
/// statements at all for an empty set.
pub fn secrets_statements(
    role: Role,
    secrets: &BTreeSet<SecretId>,
    options: &IdentityOptions,
) -> Vec<Statement> {
    if secrets.is_empty() {
        return Vec::new();
    }
    let mut resources: Vec<String> = secrets
        .iter()
        .map(|s| s.pattern(options.resource_scope))
        .collect();
    resources.dedup();
    let mut statements = vec![Statement::allow(
        &format!("{}ReadOwnSecrets", role.sid_prefix()),
        [options.action_scope.action()],
        resources,
    )];
    if options.secrets_key == KeyChoice::CustomerManaged {
        statements.push(Statement::allow(
            &format!("{}DecryptSecretsKey", role.sid_prefix()),
            ["kms:Decrypt"],
            [SECRETS_KEY_ARN],
        ));
    }
    statements
}

/// A role's whole identity policy for Task 2.
pub fn identity_policy(
    role: Role,
    secrets: &BTreeSet<SecretId>,
    options: &IdentityOptions,
) -> Policy {
    Policy::new(secrets_statements(role, secrets, options))
}

/// The nine KMS permissions of the key-policy grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum KmsAction {
    Decrypt,
    DescribeKey,
    Encrypt,
    GenerateDataKey,
    ReEncrypt,
    CreateGrant,
    PutKeyPolicy,
    DisableKey,
    ScheduleKeyDeletion,
}

impl KmsAction {
    pub const ALL: [KmsAction; 9] = [
        KmsAction::Decrypt,
        KmsAction::DescribeKey,
        KmsAction::Encrypt,
        KmsAction::GenerateDataKey,
        KmsAction::ReEncrypt,
        KmsAction::CreateGrant,
        KmsAction::PutKeyPolicy,
        KmsAction::DisableKey,
        KmsAction::ScheduleKeyDeletion,
    ];

    /// As written in a policy: `kms:GenerateDataKey*`, `kms:ReEncrypt*`, `kms:Decrypt`, …
    pub fn pattern(self) -> &'static str {
        match self {
            KmsAction::Decrypt => "kms:Decrypt",
            KmsAction::DescribeKey => "kms:DescribeKey",
            KmsAction::Encrypt => "kms:Encrypt",
            KmsAction::GenerateDataKey => "kms:GenerateDataKey*",
            KmsAction::ReEncrypt => "kms:ReEncrypt*",
            KmsAction::CreateGrant => "kms:CreateGrant",
            KmsAction::PutKeyPolicy => "kms:PutKeyPolicy",
            KmsAction::DisableKey => "kms:DisableKey",
            KmsAction::ScheduleKeyDeletion => "kms:ScheduleKeyDeletion",
        }
    }

    /// A concrete API call covered by [`pattern`](Self::pattern).
    pub fn call(self) -> &'static str {
        match self {
            KmsAction::GenerateDataKey => "kms:GenerateDataKey",
            KmsAction::ReEncrypt => "kms:ReEncryptFrom",
            other => other.pattern(),
        }
    }
}

/// Key policy grid: principal entry (role ARN, account id or `:root` ARN) → granted actions.
pub type KeyGrid = BTreeMap<String, BTreeSet<KmsAction>>;

/// Task 4's key grid: Analytics (which writes and reads the reports) may use the key; the
/// auditor role may only `Decrypt` and `DescribeKey`.
pub fn reference_key_grid() -> KeyGrid {
    use KmsAction::*;
    BTreeMap::from([
        (
            Role::Analytics.arn(),
            BTreeSet::from([Decrypt, DescribeKey, Encrypt, GenerateDataKey, ReEncrypt]),
        ),
        (Role::Auditor.arn(), BTreeSet::from([Decrypt, DescribeKey])),
    ])
}

/// Sid for a grid principal: `Allow` + role name, or `AllowAccount` + account id.
pub fn key_grid_sid(principal: &str) -> String {
    match principal.rsplit_once('/') {
        Some((_, name)) => format!("Allow{name}"),
        None => {
            let account: String = principal.chars().filter(char::is_ascii_digit).collect();
            format!("AllowAccount{account}")
        }
    }
}

/// A customer managed key's policy: AWS's default `Enable IAM User Permissions` statement
/// (`kms:*` for the owning account's root, which lets IAM policies grant use of the key), then
/// one statement per grid principal with a non-empty set of actions.
pub fn key_policy(owner_account: &str, grid: &KeyGrid) -> Policy {
    let mut statements = vec![
        Statement::allow("EnableIamUserPermissions", ["kms:*"], ["*"])
            .with_principals([format!("arn:aws:iam::{owner_account}:root")]),
    ];
    for (principal, actions) in grid {
        if actions.is_empty() {
            continue;
        }
        statements.push(
            Statement::allow(
                &key_grid_sid(principal),
                actions.iter().map(|a| a.pattern()),
                ["*"],
            )
            .with_principals([principal.clone()]),
        );
    }
    Policy::new(statements)
}

/// The shape of an AWS managed key's policy (`aws/s3`, `aws/secretsmanager`; `service` is
/// `"S3"` or `"SecretsManager"`): use through the service for every principal of the account.
/// The real policy limits this with `kms:CallerAccount` and `kms:ViaService` conditions, which
/// are not modelled — the evaluator's "AWS managed keys are never usable across accounts" rule
/// stands in for the first. Nobody can edit it.
pub fn aws_managed_key_policy(owner_account: &str, service: &str) -> Policy {
    Policy::new(vec![
        Statement::allow(
            &format!("AllowAccessThrough{service}ForAccountPrincipals"),
            [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:CreateGrant",
                "kms:DescribeKey",
            ],
            ["*"],
        )
        .with_principals(["*"]),
        Statement::allow(
            "AllowDirectAccessToKeyMetadata",
            ["kms:Describe*", "kms:Get*", "kms:List*"],
            ["*"],
        )
        .with_principals([format!("arn:aws:iam::{owner_account}:root")]),
    ])
}

/// The S3 permissions of the bucket policy and the auditors' IAM policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum S3Action {
    GetObject,
    ListBucket,
    PutObject,
    DeleteObject,
}

impl S3Action {
    pub const ALL: [S3Action; 4] = [
        S3Action::GetObject,
        S3Action::ListBucket,
        S3Action::PutObject,
        S3Action::DeleteObject,
    ];

    pub fn action(self) -> &'static str {
        match self {
            S3Action::GetObject => "s3:GetObject",
            S3Action::ListBucket => "s3:ListBucket",
            S3Action::PutObject => "s3:PutObject",
            S3Action::DeleteObject => "s3:DeleteObject",
        }
    }

    /// `ListBucket` acts on the bucket, the others on objects.
    pub fn is_bucket_level(self) -> bool {
        self == S3Action::ListBucket
    }
}

fn reports_objects_pattern() -> String {
    format!("{REPORTS_BUCKET_ARN}/*")
}

/// Object-level and bucket-level statements for a set of S3 actions, with the given Sids.
fn s3_statements(
    actions: &BTreeSet<S3Action>,
    object_sid: &str,
    bucket_sid: &str,
) -> Vec<Statement> {
    let object: Vec<&str> = actions
        .iter()
        .filter(|a| !a.is_bucket_level())
        .map(|a| a.action())
        .collect();
    let bucket: Vec<&str> = actions
        .iter()
        .filter(|a| a.is_bucket_level())
        .map(|a| a.action())
        .collect();
    let mut statements = Vec::new();
    if !object.is_empty() {
        statements.push(Statement::allow(
            object_sid,
            object,
            [reports_objects_pattern()],
        ));
    }
    if !bucket.is_empty() {
        statements.push(Statement::allow(bucket_sid, bucket, [REPORTS_BUCKET_ARN]));
    }
    statements
}

/// The reports bucket's policy granting `auditor_actions` to the auditor role.
pub fn bucket_policy(auditor_actions: &BTreeSet<S3Action>) -> Policy {
    let auditor = Role::Auditor.arn();
    Policy::new(
        s3_statements(
            auditor_actions,
            "AuditorObjectAccess",
            "AuditorBucketAccess",
        )
        .into_iter()
        .map(|s| s.with_principals([auditor.clone()]))
        .collect(),
    )
}

/// The auditors' own IAM policy on `AuditorReadOnlyRole` (in their account): `UseReportsKey`
/// (the KMS actions on the reports key's full ARN), then `ReadReportObjects` / `ListReportsBucket`.
pub fn auditor_identity_policy(
    kms_actions: &BTreeSet<KmsAction>,
    key_arn: &str,
    s3_actions: &BTreeSet<S3Action>,
) -> Policy {
    let mut statements = Vec::new();
    if !kms_actions.is_empty() {
        statements.push(Statement::allow(
            "UseReportsKey",
            kms_actions.iter().map(|a| a.pattern()),
            [key_arn],
        ));
    }
    statements.extend(s3_statements(
        s3_actions,
        "ReadReportObjects",
        "ListReportsBucket",
    ));
    Policy::new(statements)
}

/// Everything a player decides, in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Design {
    pub grants: GrantMatrix,
    pub identity: IdentityOptions,
    /// Per-role action and resource scope, where a role differs from `identity`.
    pub role_scopes: BTreeMap<Role, (ActionScope, ResourceScope)>,
    pub reports_key: KeyChoice,
    /// Ignored when `reports_key` is AWS managed (its policy cannot be edited).
    pub key_grid: KeyGrid,
    /// What the bucket policy grants the auditor role.
    pub bucket_auditor: BTreeSet<S3Action>,
    /// What the auditors' IAM policy allows on the reports key.
    pub auditor_kms: BTreeSet<KmsAction>,
    /// What the auditors' IAM policy allows on the bucket.
    pub auditor_s3: BTreeSet<S3Action>,
}

impl Design {
    /// The puzzle's answer key for Tasks 2 and 4.
    pub fn reference() -> Self {
        Design {
            grants: reference_grants(),
            identity: IdentityOptions::least_privilege(),
            role_scopes: BTreeMap::new(),
            reports_key: KeyChoice::CustomerManaged,
            key_grid: reference_key_grid(),
            bucket_auditor: BTreeSet::from([S3Action::GetObject, S3Action::ListBucket]),
            auditor_kms: BTreeSet::from([KmsAction::Decrypt, KmsAction::DescribeKey]),
            auditor_s3: BTreeSet::from([S3Action::GetObject, S3Action::ListBucket]),
        }
    }

    /// The identity options of one role: the design's, with that role's scopes if it has its own.
    pub fn options_for(&self, role: Role) -> IdentityOptions {
        match self.role_scopes.get(&role) {
            Some(&(action_scope, resource_scope)) => IdentityOptions {
                action_scope,
                resource_scope,
                ..self.identity
            },
            None => self.identity,
        }
    }

    /// Build every policy of the design.
    pub fn build(&self) -> PuzzleWorld {
        let mut policies = PolicyStore::default();
        for (role, secrets) in &self.grants {
            let options = self.options_for(*role);
            let statements = secrets_statements(*role, secrets, &options);
            if !statements.is_empty() {
                policies
                    .identity
                    .insert(role.arn(), Policy::new(statements));
            }
        }
        let auditor = auditor_identity_policy(
            &self.auditor_kms,
            reports_key_arn(self.reports_key),
            &self.auditor_s3,
        );
        policies
            .identity
            .entry(Role::Auditor.arn())
            .or_default()
            .statements
            .extend(auditor.statements);

        let reports_key_policy = match self.reports_key {
            KeyChoice::CustomerManaged => key_policy(PRODUCER_ACCOUNT, &self.key_grid),
            KeyChoice::AwsManaged => aws_managed_key_policy(PRODUCER_ACCOUNT, "S3"),
        };
        policies.resource.insert(
            reports_key_arn(self.reports_key).to_string(),
            reports_key_policy,
        );
        let secrets_key_policy = match self.identity.secrets_key {
            KeyChoice::CustomerManaged => key_policy(PRODUCER_ACCOUNT, &KeyGrid::new()),
            KeyChoice::AwsManaged => aws_managed_key_policy(PRODUCER_ACCOUNT, "SecretsManager"),
        };
        policies.resource.insert(
            secrets_key_arn(self.identity.secrets_key).to_string(),
            secrets_key_policy,
        );
        policies.resource.insert(
            REPORTS_BUCKET_ARN.to_string(),
            bucket_policy(&self.bucket_auditor),
        );

        PuzzleWorld {
            policies,
            secrets_key: self.identity.secrets_key,
            reports_key: self.reports_key,
        }
    }
}

/// The puzzle's answer key, built.
pub fn reference_solution() -> PuzzleWorld {
    Design::reference().build()
}

/// What a simulated request targets, resolved against the world's key choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Secret(SecretId),
    /// The decoy `rds-master-password-old-…` secret.
    OldMasterPassword,
    /// Whichever key encrypts the secrets.
    SecretsKey,
    /// Whichever key encrypts the reports.
    ReportsKey,
    ReportsBucket,
    ReportObject,
}

/// Built policies plus the key choices needed to resolve [`Target`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PuzzleWorld {
    pub policies: PolicyStore,
    pub secrets_key: KeyChoice,
    pub reports_key: KeyChoice,
}

impl PuzzleWorld {
    /// The concrete request for `principal` calling `action` on `target`.
    pub fn request(&self, principal: Role, action: &str, target: Target) -> Request {
        let key = |choice: KeyChoice, arn: &str| {
            (
                arn.to_string(),
                ResourceKind::KmsKey {
                    aws_managed: choice == KeyChoice::AwsManaged,
                },
            )
        };
        let (arn, kind) = match target {
            Target::Secret(s) => (s.arn(), ResourceKind::Secret),
            Target::OldMasterPassword => {
                (OLD_MASTER_PASSWORD_ARN.to_string(), ResourceKind::Secret)
            }
            Target::SecretsKey => key(self.secrets_key, secrets_key_arn(self.secrets_key)),
            Target::ReportsKey => key(self.reports_key, reports_key_arn(self.reports_key)),
            Target::ReportsBucket => (REPORTS_BUCKET_ARN.to_string(), ResourceKind::S3Bucket),
            Target::ReportObject => (REPORT_OBJECT_ARN.to_string(), ResourceKind::S3Object),
        };
        Request::new(&principal.arn(), action, &arn, PRODUCER_ACCOUNT, kind)
    }
}
