//! The policy evaluator (`kmsquest::policy`): a table of single evaluations, many modelled on
//! AWS documentation examples; the puzzle's answer key run through the simulator; six typical
//! student mistakes, each flipping exactly the scenarios it should; and property tests.

use kmsquest::policy::glob::{glob_match, glob_match_ignore_case};
use kmsquest::policy::puzzle::{
    ActionScope, Design, IdentityOptions, KeyChoice, KmsAction, OLD_MASTER_PASSWORD_ARN,
    ResourceScope, Role, SecretId, Target, identity_policy,
};
use kmsquest::policy::{
    Decision, NamedRequest, Policy, PolicyKind, PuzzleWorld, Reason, Request, ResourceKind,
    Statement, Verdict, evaluate, reference_solution, simulate, simulator_requests,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const PRODUCER: &str = "111122223333";
const AUDITORS: &str = "444455556666";
const PAYMENTS: &str = "arn:aws:iam::111122223333:role/PaymentsApiTaskRole";
const ANALYTICS: &str = "arn:aws:iam::111122223333:role/AnalyticsLambdaRole";
const AUDITOR: &str = "arn:aws:iam::444455556666:role/AuditorReadOnlyRole";
const OTHER_AUDITOR: &str = "arn:aws:iam::444455556666:role/SomeOtherRole";
const KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const MASTER: &str =
    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-AbC123";
const MASTER_OLD: &str =
    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-old-AbC123";
const MASTER_PATTERN: &str =
    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-??????";
const MASTER_PREFIX: &str =
    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-*";
const BUCKET: &str = "arn:aws:s3:::fintech-transaction-reports-111122223333";
const OBJECT: &str = "arn:aws:s3:::fintech-transaction-reports-111122223333/2024/06/tx.csv";
const OBJECTS: &str = "arn:aws:s3:::fintech-transaction-reports-111122223333/*";

const CMK: ResourceKind = ResourceKind::KmsKey { aws_managed: false };
const AWS_MANAGED: ResourceKind = ResourceKind::KmsKey { aws_managed: true };

fn root(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// A request on a resource in the producer account.
fn req(principal: &str, action: &str, resource: &str, kind: ResourceKind) -> Request {
    Request::new(principal, action, resource, PRODUCER, kind)
}

fn policy(statements: Vec<Statement>) -> Option<Policy> {
    Some(Policy::new(statements))
}

fn allow(sid: &str, actions: &[&str], resources: &[&str]) -> Statement {
    Statement::allow(sid, actions.iter().copied(), resources.iter().copied())
}

fn deny(sid: &str, actions: &[&str], resources: &[&str]) -> Statement {
    Statement::deny(sid, actions.iter().copied(), resources.iter().copied())
}

/// The default key policy's first statement (KMS Developer Guide, "Default key policy":
/// `"Sid": "Enable IAM User Permissions"`, the account root, `kms:*`, `"Resource": "*"`).
fn enable_iam(account: &str) -> Statement {
    allow("Enable IAM User Permissions", &["kms:*"], &["*"]).with_principals([root(account)])
}

/// The statement AWS's console adds for key users (KMS Developer Guide, "Default key policy",
/// "Allows key users to use the KMS key").
fn key_users(principals: &[&str]) -> Statement {
    allow(
        "Allow use of the key",
        &[
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        &["*"],
    )
    .with_principals(principals.iter().copied())
}

struct Case {
    name: &'static str,
    request: Request,
    identity: Option<Policy>,
    resource: Option<Policy>,
    decision: Decision,
    reason: Reason,
    deciding: Vec<(PolicyKind, &'static str)>,
}

fn case(
    name: &'static str,
    request: Request,
    identity: Option<Policy>,
    resource: Option<Policy>,
    decision: Decision,
    reason: Reason,
    deciding: &[(PolicyKind, &'static str)],
) -> Case {
    Case {
        name,
        request,
        identity,
        resource,
        decision,
        reason,
        deciding: deciding.to_vec(),
    }
}

fn cases() -> Vec<Case> {
    use Decision::{Allow, Deny};
    use PolicyKind::{BucketPolicy, Identity, KeyPolicy, Resource};
    let get = "secretsmanager:GetSecretValue";
    let read_master = || policy(vec![allow("ReadOwnSecrets", &[get], &[MASTER_PATTERN])]);
    // KMS Developer Guide, "Allowing users in other accounts to use a KMS key": the key policy
    // names the external account; an IAM policy there allows kms:Decrypt on the key's full ARN.
    let external_key_policy = || {
        policy(vec![
            enable_iam(PRODUCER),
            allow(
                "Allow an external account to use this KMS key",
                &["kms:Decrypt", "kms:DescribeKey"],
                &["*"],
            )
            .with_principals([root(AUDITORS)]),
        ])
    };
    let external_identity = || policy(vec![allow("DecryptReports", &["kms:Decrypt"], &[KEY])]);

    vec![
        // ---- explicit deny beats allow -------------------------------------------------------
        case(
            "identity deny beats identity allow",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            policy(vec![
                allow("ReadOwnSecrets", &[get], &[MASTER_PATTERN]),
                deny("DenyMaster", &["secretsmanager:*"], &[MASTER]),
            ]),
            None,
            Deny,
            Reason::ExplicitDeny,
            &[(Identity, "DenyMaster")],
        ),
        case(
            "key policy deny beats identity and key policy allows",
            req(PAYMENTS, "kms:ScheduleKeyDeletion", KEY, CMK),
            policy(vec![allow("KeyAdmin", &["kms:*"], &[KEY])]),
            policy(vec![
                enable_iam(PRODUCER),
                deny("DenyDelete", &["kms:ScheduleKeyDeletion"], &["*"]).with_principals(["*"]),
            ]),
            Deny,
            Reason::ExplicitDeny,
            &[(KeyPolicy, "DenyDelete")],
        ),
        case(
            "bucket policy deny beats identity allow (same account)",
            req(PAYMENTS, "s3:DeleteObject", OBJECT, ResourceKind::S3Object),
            policy(vec![allow("S3Everything", &["s3:*"], &["*"])]),
            policy(vec![
                deny("DenyReportDeletion", &["s3:DeleteObject"], &[OBJECTS]).with_principals(["*"]),
            ]),
            Deny,
            Reason::ExplicitDeny,
            &[(BucketPolicy, "DenyReportDeletion")],
        ),
        case(
            "secret resource policy deny beats both allows across accounts",
            req(AUDITOR, get, MASTER, ResourceKind::Secret),
            policy(vec![allow("ReadProducerSecret", &[get], &[MASTER])]),
            policy(vec![
                allow("ShareWithAuditors", &[get], &["*"]).with_principals([root(AUDITORS)]),
                deny("ButNotThisRole", &[get], &["*"]).with_principals([AUDITOR]),
            ]),
            Deny,
            Reason::ExplicitDeny,
            &[(Resource, "ButNotThisRole")],
        ),
        case(
            "a deny naming the account covers every role in it",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            read_master(),
            policy(vec![
                deny("DenyProducer", &[get], &["*"]).with_principals([PRODUCER]),
            ]),
            Deny,
            Reason::ExplicitDeny,
            &[(Resource, "DenyProducer")],
        ),
        case(
            "a deny naming another role does not apply",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            read_master(),
            policy(vec![
                deny("DenyAnalytics", &[get], &["*"]).with_principals([ANALYTICS]),
            ]),
            Allow,
            Reason::Allowed,
            &[(Identity, "ReadOwnSecrets")],
        ),
        case(
            "a deny on another action does not apply",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            policy(vec![
                allow("ReadOwnSecrets", &[get], &[MASTER_PATTERN]),
                deny("NoDeletes", &["secretsmanager:DeleteSecret"], &["*"]),
            ]),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "ReadOwnSecrets")],
        ),
        // ---- same account --------------------------------------------------------------------
        // Secrets Manager User Guide, "Permissions policy examples": GetSecretValue on one secret.
        case(
            "same account: identity policy alone allows a secret",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            read_master(),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "ReadOwnSecrets")],
        ),
        case(
            "same account: bucket policy naming the role allows without identity policy",
            req(PAYMENTS, "s3:GetObject", OBJECT, ResourceKind::S3Object),
            None,
            policy(vec![
                allow("PaymentsReadsReports", &["s3:GetObject"], &[OBJECTS])
                    .with_principals([PAYMENTS]),
            ]),
            Allow,
            Reason::Allowed,
            &[(BucketPolicy, "PaymentsReadsReports")],
        ),
        case(
            "same account: secret resource policy naming the role allows",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            None,
            policy(vec![
                allow("LetPaymentsRead", &[get], &["*"]).with_principals([PAYMENTS]),
            ]),
            Allow,
            Reason::Allowed,
            &[(Resource, "LetPaymentsRead")],
        ),
        // IAM User Guide, policy evaluation: a grant to the account is passed on via IAM.
        case(
            "same account: bucket policy naming only the account needs the identity policy",
            req(PAYMENTS, "s3:GetObject", OBJECT, ResourceKind::S3Object),
            None,
            policy(vec![
                allow("ProducerAccount", &["s3:GetObject"], &[OBJECTS])
                    .with_principals([root(PRODUCER)]),
            ]),
            Deny,
            Reason::AccountGrantNeedsIdentity {
                resource_policy: BucketPolicy,
            },
            &[],
        ),
        case(
            "same account: account grant plus identity allow",
            req(PAYMENTS, "s3:GetObject", OBJECT, ResourceKind::S3Object),
            policy(vec![allow("ReadReports", &["s3:GetObject"], &[OBJECTS])]),
            policy(vec![
                allow("ProducerAccount", &["s3:GetObject"], &[OBJECTS]).with_principals([PRODUCER]),
            ]),
            Allow,
            Reason::Allowed,
            &[(Identity, "ReadReports"), (BucketPolicy, "ProducerAccount")],
        ),
        case(
            "same account: nothing allows it",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            None,
            None,
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
        // ---- KMS, same account ---------------------------------------------------------------
        // KMS Developer Guide, "Default key policy": the root statement enables IAM policies.
        case(
            "KMS: key policy enables IAM and the identity policy allows",
            req(PAYMENTS, "kms:Decrypt", KEY, CMK),
            policy(vec![allow("DecryptWithKey", &["kms:Decrypt"], &[KEY])]),
            policy(vec![enable_iam(PRODUCER)]),
            Allow,
            Reason::Allowed,
            &[
                (Identity, "DecryptWithKey"),
                (KeyPolicy, "Enable IAM User Permissions"),
            ],
        ),
        case(
            "KMS: key policy enables IAM but the identity policy does not allow",
            req(PAYMENTS, "kms:Decrypt", KEY, CMK),
            None,
            policy(vec![enable_iam(PRODUCER)]),
            Deny,
            Reason::AccountGrantNeedsIdentity {
                resource_policy: KeyPolicy,
            },
            &[],
        ),
        case(
            "KMS: key policy names the role directly, no identity policy needed",
            req(ANALYTICS, "kms:Decrypt", KEY, CMK),
            None,
            policy(vec![enable_iam(PRODUCER), key_users(&[ANALYTICS])]),
            Allow,
            Reason::Allowed,
            &[(KeyPolicy, "Allow use of the key")],
        ),
        case(
            "KMS: account id form enables IAM like the root ARN",
            req(PAYMENTS, "kms:Decrypt", KEY, CMK),
            policy(vec![allow("DecryptWithKey", &["kms:Decrypt"], &[KEY])]),
            policy(vec![
                allow("Account", &["kms:*"], &["*"]).with_principals([PRODUCER]),
            ]),
            Allow,
            Reason::Allowed,
            &[(Identity, "DecryptWithKey"), (KeyPolicy, "Account")],
        ),
        case(
            "KMS: identity allows but the key policy names only another role",
            req(PAYMENTS, "kms:Decrypt", KEY, CMK),
            policy(vec![allow("DecryptWithKey", &["kms:Decrypt"], &[KEY])]),
            policy(vec![key_users(&[ANALYTICS])]),
            Deny,
            Reason::KeyPolicyDoesNotAllow,
            &[],
        ),
        case(
            "KMS: identity allows but there is no key policy",
            req(PAYMENTS, "kms:Decrypt", KEY, CMK),
            policy(vec![allow("DecryptWithKey", &["kms:Decrypt"], &[KEY])]),
            None,
            Deny,
            Reason::KeyPolicyDoesNotAllow,
            &[],
        ),
        // ---- across accounts: both sides must allow ------------------------------------------
        case(
            "cross-account KMS: key policy and identity policy both allow",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            external_key_policy(),
            Allow,
            Reason::CrossAccountAllowed,
            &[
                (Identity, "DecryptReports"),
                (KeyPolicy, "Allow an external account to use this KMS key"),
            ],
        ),
        case(
            "cross-account KMS: key policy allows, identity policy does not",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            None,
            external_key_policy(),
            Deny,
            Reason::CrossAccountNoIdentityAllow {
                resource_policy: KeyPolicy,
            },
            &[],
        ),
        case(
            "cross-account KMS: identity policy allows, key policy does not",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            policy(vec![enable_iam(PRODUCER)]),
            Deny,
            Reason::CrossAccountNoResourceAllow {
                resource_policy: KeyPolicy,
            },
            &[],
        ),
        case(
            "cross-account KMS: neither allows",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            None,
            policy(vec![enable_iam(PRODUCER)]),
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
        // S3 User Guide, "Example 2: Bucket owner granting cross-account bucket permissions":
        // the bucket policy names account B; account B's administrator delegates to a user.
        case(
            "cross-account S3: bucket policy names the account and identity allows",
            req(AUDITOR, "s3:GetObject", OBJECT, ResourceKind::S3Object),
            policy(vec![allow(
                "ReadReportObjects",
                &["s3:GetObject"],
                &[OBJECTS],
            )]),
            policy(vec![
                allow("AuditorAccount", &["s3:GetObject"], &[OBJECTS])
                    .with_principals([root(AUDITORS)]),
            ]),
            Allow,
            Reason::CrossAccountAllowed,
            &[
                (Identity, "ReadReportObjects"),
                (BucketPolicy, "AuditorAccount"),
            ],
        ),
        case(
            "cross-account S3: naming the role directly is not enough without identity",
            req(AUDITOR, "s3:GetObject", OBJECT, ResourceKind::S3Object),
            None,
            policy(vec![
                allow("AuditorRole", &["s3:GetObject"], &[OBJECTS]).with_principals([AUDITOR]),
            ]),
            Deny,
            Reason::CrossAccountNoIdentityAllow {
                resource_policy: BucketPolicy,
            },
            &[],
        ),
        case(
            "cross-account secret without a resource policy",
            req(AUDITOR, get, MASTER, ResourceKind::Secret),
            policy(vec![allow("ReadProducerSecret", &[get], &[MASTER])]),
            None,
            Deny,
            Reason::CrossAccountNoResourceAllow {
                resource_policy: Resource,
            },
            &[],
        ),
        // ---- AWS managed keys ----------------------------------------------------------------
        case(
            "AWS managed key across accounts is denied even with both allows",
            req(AUDITOR, "kms:Decrypt", KEY, AWS_MANAGED),
            external_identity(),
            policy(vec![
                allow("Everyone", &["kms:Decrypt"], &["*"]).with_principals(["*", AUDITORS]),
            ]),
            Deny,
            Reason::AwsManagedKeyCrossAccount,
            &[],
        ),
        case(
            "AWS managed key within its account works through its policy",
            req(PAYMENTS, "kms:Decrypt", KEY, AWS_MANAGED),
            None,
            policy(vec![
                allow("ThroughService", &["kms:Decrypt"], &["*"]).with_principals(["*"]),
            ]),
            Allow,
            Reason::Allowed,
            &[(KeyPolicy, "ThroughService")],
        ),
        // ---- action wildcards (IAM User Guide, "IAM JSON policy elements: Action") -----------
        case(
            "kms:ReEncrypt* matches kms:ReEncryptFrom",
            req(ANALYTICS, "kms:ReEncryptFrom", KEY, CMK),
            None,
            policy(vec![key_users(&[ANALYTICS])]),
            Allow,
            Reason::Allowed,
            &[(KeyPolicy, "Allow use of the key")],
        ),
        case(
            "kms:ReEncrypt* matches kms:ReEncryptTo",
            req(ANALYTICS, "kms:ReEncryptTo", KEY, CMK),
            None,
            policy(vec![
                allow("ReEncryptOnly", &["kms:ReEncrypt*"], &["*"]).with_principals([ANALYTICS]),
            ]),
            Allow,
            Reason::Allowed,
            &[(KeyPolicy, "ReEncryptOnly")],
        ),
        case(
            "kms:ReEncrypt* does not match kms:Encrypt",
            req(ANALYTICS, "kms:Encrypt", KEY, CMK),
            None,
            policy(vec![
                allow("ReEncryptOnly", &["kms:ReEncrypt*"], &["*"]).with_principals([ANALYTICS]),
            ]),
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
        case(
            "kms:GenerateDataKey* matches kms:GenerateDataKeyWithoutPlaintext",
            req(ANALYTICS, "kms:GenerateDataKeyWithoutPlaintext", KEY, CMK),
            None,
            policy(vec![key_users(&[ANALYTICS])]),
            Allow,
            Reason::Allowed,
            &[(KeyPolicy, "Allow use of the key")],
        ),
        case(
            "secretsmanager:* matches DeleteSecret",
            req(
                PAYMENTS,
                "secretsmanager:DeleteSecret",
                MASTER,
                ResourceKind::Secret,
            ),
            policy(vec![allow(
                "AllSecrets",
                &["secretsmanager:*"],
                &[MASTER_PATTERN],
            )]),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "AllSecrets")],
        ),
        case(
            "* matches any action",
            req(PAYMENTS, "s3:GetObject", OBJECT, ResourceKind::S3Object),
            policy(vec![allow("Admin", &["*"], &["*"])]),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "Admin")],
        ),
        case(
            "action match is case-insensitive",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            policy(vec![allow(
                "MixedCase",
                &["SecretsManager:getsecretVALUE"],
                &[MASTER],
            )]),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "MixedCase")],
        ),
        case(
            "GetSecretValue does not cover DeleteSecret",
            req(
                PAYMENTS,
                "secretsmanager:DeleteSecret",
                MASTER,
                ResourceKind::Secret,
            ),
            read_master(),
            None,
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
        // ---- resource patterns (Secrets Manager: "name-??????" matches the 6-char suffix) ---
        case(
            "name-?????? matches the real secret ARN",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            read_master(),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "ReadOwnSecrets")],
        ),
        case(
            "name-?????? does not match rds-master-password-old-…",
            req(PAYMENTS, get, MASTER_OLD, ResourceKind::Secret),
            read_master(),
            None,
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
        case(
            "name-* does match rds-master-password-old-…",
            req(PAYMENTS, get, MASTER_OLD, ResourceKind::Secret),
            policy(vec![allow("TooBroad", &[get], &[MASTER_PREFIX])]),
            None,
            Allow,
            Reason::Allowed,
            &[(Identity, "TooBroad")],
        ),
        case(
            "resource match is case-sensitive",
            req(PAYMENTS, get, MASTER, ResourceKind::Secret),
            policy(vec![allow(
                "WrongCase",
                &[get],
                &[
                    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:RDS-master-password-??????",
                ],
            )]),
            None,
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
        case(
            "bucket-level action does not match the object pattern",
            req(AUDITOR, "s3:ListBucket", BUCKET, ResourceKind::S3Bucket),
            policy(vec![allow("List", &["s3:ListBucket"], &[OBJECTS])]),
            policy(vec![
                allow("List", &["s3:ListBucket"], &[BUCKET]).with_principals([AUDITOR]),
            ]),
            Deny,
            Reason::CrossAccountNoIdentityAllow {
                resource_policy: BucketPolicy,
            },
            &[],
        ),
        // ---- principal forms (IAM User Guide, "AWS JSON policy elements: Principal") --------
        case(
            "principal: bare account id names the auditors' account",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            policy(vec![
                allow("ById", &["kms:Decrypt"], &["*"]).with_principals([AUDITORS]),
            ]),
            Allow,
            Reason::CrossAccountAllowed,
            &[(Identity, "DecryptReports"), (KeyPolicy, "ById")],
        ),
        case(
            "principal: exact role ARN",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            policy(vec![
                allow("ByRole", &["kms:Decrypt"], &["*"]).with_principals([AUDITOR]),
            ]),
            Allow,
            Reason::CrossAccountAllowed,
            &[(Identity, "DecryptReports"), (KeyPolicy, "ByRole")],
        ),
        case(
            "principal: \"*\" names everyone",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            policy(vec![
                allow("Anyone", &["kms:Decrypt"], &["*"]).with_principals(["*"]),
            ]),
            Allow,
            Reason::CrossAccountAllowed,
            &[(Identity, "DecryptReports"), (KeyPolicy, "Anyone")],
        ),
        case(
            "principal: another role of the same account does not name the caller",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            policy(vec![
                allow("OtherRole", &["kms:Decrypt"], &["*"]).with_principals([OTHER_AUDITOR]),
            ]),
            Deny,
            Reason::CrossAccountNoResourceAllow {
                resource_policy: KeyPolicy,
            },
            &[],
        ),
        case(
            "principal: another account's root does not name the caller",
            req(AUDITOR, "kms:Decrypt", KEY, CMK),
            external_identity(),
            policy(vec![
                allow("Elsewhere", &["kms:Decrypt"], &["*"])
                    .with_principals([root("999988887777")]),
            ]),
            Deny,
            Reason::CrossAccountNoResourceAllow {
                resource_policy: KeyPolicy,
            },
            &[],
        ),
        case(
            "principal: a resource statement without Principal names nobody",
            req(ANALYTICS, "kms:Decrypt", KEY, CMK),
            None,
            policy(vec![allow("NoPrincipal", &["kms:Decrypt"], &["*"])]),
            Deny,
            Reason::ImplicitDeny,
            &[],
        ),
    ]
}

#[test]
fn table_of_single_evaluations() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let v = evaluate(&c.request, c.identity.as_ref(), c.resource.as_ref());
        let deciding: Vec<(PolicyKind, &str)> = v
            .deciding
            .iter()
            .map(|r| (r.policy, r.sid.as_str()))
            .collect();
        if v.decision != c.decision || v.reason != c.reason || deciding != c.deciding {
            failures.push(format!(
                "{}: got {:?}/{:?} {:?} ({})",
                c.name,
                v.decision,
                v.reason,
                deciding,
                v.explain()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn explanations_read_as_sentences() {
    let by_name = |name: &str| {
        let c = cases().into_iter().find(|c| c.name == name).expect(name);
        evaluate(&c.request, c.identity.as_ref(), c.resource.as_ref()).explain()
    };
    assert_eq!(
        by_name("same account: identity policy alone allows a secret"),
        "allowed by identity policy statement ReadOwnSecrets"
    );
    assert_eq!(
        by_name("key policy deny beats identity and key policy allows"),
        "explicit deny in key policy statement DenyDelete"
    );
    assert_eq!(
        by_name("same account: nothing allows it"),
        "implicit deny: nothing allows it"
    );
    assert_eq!(
        by_name("cross-account KMS: key policy allows, identity policy does not"),
        "cross-account: the key policy allows it but the caller's identity policy does not"
    );
    assert_eq!(
        by_name("AWS managed key across accounts is denied even with both allows"),
        "AWS managed keys cannot be used across accounts"
    );
    assert!(
        by_name("cross-account KMS: identity policy allows, key policy does not")
            .contains("the key policy does not name the caller's account or role")
    );
}

// ---------------------------------------------------------------------------------------------
// The puzzle through the simulator
// ---------------------------------------------------------------------------------------------

fn outcome<'a>(outcomes: &'a [kmsquest::policy::SimOutcome], name: &str) -> &'a Verdict {
    &outcomes
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no scenario named {name:?}"))
        .verdict
}

/// The scenarios whose decision differs from the answer key's.
fn flips(world: &PuzzleWorld) -> BTreeSet<String> {
    simulate(world, &simulator_requests())
        .into_iter()
        .filter(|o| !o.matches_expected())
        .map(|o| o.name)
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn simulator_has_enough_uniquely_named_scenarios() {
    let requests = simulator_requests();
    assert!(requests.len() >= 12);
    let unique: BTreeSet<&str> = requests.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(unique.len(), requests.len());
    for name in [
        "Payments API reads the RDS master password",
        "Payments API reads the OAuth client secret",
        "Analytics reads the payment gateway API key",
        "Analytics reads the RDS read-only password",
        "Admin Console reads the OAuth client secret",
        "Admin Console reads the RDS master password",
        "Auditor decrypts a report with the CMK",
        "Auditor gets a report object",
        "Auditor encrypts with the CMK",
        "Auditor schedules key deletion",
        "Auditor creates a grant on the key",
        "Auditor puts an object into the bucket",
    ] {
        assert!(unique.contains(name), "missing scenario {name:?}");
    }
}

#[test]
fn reference_solution_meets_every_expectation() {
    let outcomes = simulate(&reference_solution(), &simulator_requests());
    let wrong: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.matches_expected())
        .map(|o| {
            format!(
                "{}: expected {:?}, {}",
                o.name,
                o.expected,
                o.verdict.explain()
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    let v = outcome(&outcomes, "Payments API reads the RDS master password");
    assert!(v.names(PolicyKind::Identity, "PaymentsApiReadOwnSecrets"));
    assert_eq!(
        outcome(&outcomes, "Payments API reads the OAuth client secret").reason,
        Reason::ImplicitDeny
    );
    let v = outcome(&outcomes, "Auditor decrypts a report with the CMK");
    assert_eq!(v.reason, Reason::CrossAccountAllowed);
    assert!(v.names(PolicyKind::KeyPolicy, "AllowAuditorReadOnlyRole"));
    assert!(v.names(PolicyKind::Identity, "UseReportsKey"));
    let v = outcome(&outcomes, "Auditor gets a report object");
    assert!(v.names(PolicyKind::BucketPolicy, "AuditorObjectAccess"));
    // Payments has no KMS permission in IAM; the key's root statement alone does not open it.
    assert_eq!(
        outcome(&outcomes, "Payments API decrypts a report with the CMK").reason,
        Reason::AccountGrantNeedsIdentity {
            resource_policy: PolicyKind::KeyPolicy
        }
    );
    let v = outcome(&outcomes, "Payments API decrypts with the secrets key");
    assert!(v.names(PolicyKind::Identity, "PaymentsApiDecryptSecretsKey"));
    assert!(v.names(PolicyKind::KeyPolicy, "EnableIamUserPermissions"));
}

#[test]
fn mistake_1_analytics_granted_the_payment_gateway_key() {
    let mut design = Design::reference();
    design
        .grants
        .get_mut(&Role::Analytics)
        .unwrap()
        .insert(SecretId::PaymentGatewayApiKey);
    let world = design.build();
    assert_eq!(
        flips(&world),
        names(&["Analytics reads the payment gateway API key"])
    );
    let outcomes = simulate(&world, &simulator_requests());
    let v = outcome(&outcomes, "Analytics reads the payment gateway API key");
    assert!(v.is_allowed());
    assert_eq!(
        v.explain(),
        "allowed by identity policy statement AnalyticsReadOwnSecrets"
    );
}

#[test]
fn mistake_2_payments_reads_any_secret() {
    let mut world = reference_solution();
    let options = IdentityOptions {
        resource_scope: ResourceScope::Wildcard,
        ..IdentityOptions::least_privilege()
    };
    let grants = Design::reference().grants[&Role::PaymentsApi].clone();
    world.policies.identity.insert(
        Role::PaymentsApi.arn(),
        identity_policy(Role::PaymentsApi, &grants, &options),
    );
    assert_eq!(
        flips(&world),
        names(&[
            "Payments API reads the OAuth client secret",
            "Payments API reads the RDS read-only password",
            "Payments API reads the old RDS master password",
        ])
    );
    let outcomes = simulate(&world, &simulator_requests());
    let v = outcome(&outcomes, "Payments API reads the OAuth client secret");
    assert!(v.is_allowed());
    assert!(v.names(PolicyKind::Identity, "PaymentsApiReadOwnSecrets"));
}

#[test]
fn mistake_3_key_policy_without_the_auditors() {
    let mut design = Design::reference();
    design.key_grid.remove(&Role::Auditor.arn());
    let world = design.build();
    assert_eq!(
        flips(&world),
        names(&[
            "Auditor decrypts a report with the CMK",
            "Auditor describes the CMK"
        ])
    );
    let outcomes = simulate(&world, &simulator_requests());
    let v = outcome(&outcomes, "Auditor decrypts a report with the CMK");
    assert!(!v.is_allowed());
    assert!(v.is_implicit_deny());
    assert!(v.deciding.is_empty(), "an implicit deny names no statement");
    assert_eq!(
        v.reason,
        Reason::CrossAccountNoResourceAllow {
            resource_policy: PolicyKind::KeyPolicy
        }
    );
}

#[test]
fn mistake_4_auditors_iam_policy_without_decrypt() {
    let mut design = Design::reference();
    design.auditor_kms.remove(&KmsAction::Decrypt);
    let world = design.build();
    assert_eq!(
        flips(&world),
        names(&["Auditor decrypts a report with the CMK"])
    );
    let outcomes = simulate(&world, &simulator_requests());
    let v = outcome(&outcomes, "Auditor decrypts a report with the CMK");
    assert!(!v.is_allowed());
    assert_eq!(
        v.explain(),
        "cross-account: the key policy allows it but the caller's identity policy does not"
    );
}

#[test]
fn mistake_5_create_grant_for_the_auditors() {
    // In the key policy only: still denied, the auditors' account has to allow it too.
    let mut design = Design::reference();
    design
        .key_grid
        .get_mut(&Role::Auditor.arn())
        .unwrap()
        .insert(KmsAction::CreateGrant);
    let outcomes = simulate(&design.build(), &simulator_requests());
    assert_eq!(
        outcome(&outcomes, "Auditor creates a grant on the key").reason,
        Reason::CrossAccountNoIdentityAllow {
            resource_policy: PolicyKind::KeyPolicy
        }
    );
    // And on the auditors' side as well: now it works, and the key policy statement is named.
    design.auditor_kms.insert(KmsAction::CreateGrant);
    let world = design.build();
    assert_eq!(
        flips(&world),
        names(&["Auditor creates a grant on the key"])
    );
    let outcomes = simulate(&world, &simulator_requests());
    let v = outcome(&outcomes, "Auditor creates a grant on the key");
    assert!(v.is_allowed());
    assert!(v.names(PolicyKind::KeyPolicy, "AllowAuditorReadOnlyRole"));
}

#[test]
fn mistake_6_aws_managed_key_for_the_reports() {
    let mut design = Design::reference();
    design.reports_key = KeyChoice::AwsManaged;
    let world = design.build();
    // The auditors lose the key; and, since aws/s3 serves every principal of the account,
    // per-role control inside the producer account is gone too (Payments can now decrypt).
    assert_eq!(
        flips(&world),
        names(&[
            "Auditor decrypts a report with the CMK",
            "Auditor describes the CMK",
            "Payments API decrypts a report with the CMK",
        ])
    );
    let outcomes = simulate(&world, &simulator_requests());
    let v = outcome(&outcomes, "Auditor decrypts a report with the CMK");
    assert_eq!(v.reason, Reason::AwsManagedKeyCrossAccount);
    assert_eq!(
        v.explain(),
        "AWS managed keys cannot be used across accounts"
    );
}

#[test]
fn broader_secret_scopes_flip_only_what_they_should() {
    let mut design = Design::reference();
    design.identity.resource_scope = ResourceScope::NamePrefix;
    assert_eq!(
        flips(&design.build()),
        names(&["Payments API reads the old RDS master password"])
    );

    let mut design = Design::reference();
    design.identity.action_scope = ActionScope::AllSecretsManager;
    assert_eq!(
        flips(&design.build()),
        names(&["Payments API deletes the RDS master password"])
    );

    // With aws/secretsmanager nothing needs kms:Decrypt in IAM, and no statement is added.
    let mut design = Design::reference();
    design.identity.secrets_key = KeyChoice::AwsManaged;
    let world = design.build();
    assert!(flips(&world).is_empty());
    let payments = &world.policies.identity[&Role::PaymentsApi.arn()];
    assert!(
        payments
            .statements
            .iter()
            .all(|s| !s.sid.contains("Decrypt"))
    );
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn grants_from(rows: &[u8]) -> BTreeMap<Role, BTreeSet<SecretId>> {
    Role::WORKLOADS
        .iter()
        .zip(rows)
        .map(|(role, bits)| {
            let set = SecretId::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, s)| *s)
                .collect();
            (*role, set)
        })
        .collect()
}

/// The naive answer for Task 2 in the producer account, straight from the grant matrix.
fn naive_may_read(
    grants: &BTreeMap<Role, BTreeSet<SecretId>>,
    scope: ResourceScope,
    role: Role,
    target: Target,
) -> bool {
    let Some(row) = grants.get(&role) else {
        return false; // the auditor: another account, and no secret has a resource policy
    };
    match (target, scope) {
        (_, ResourceScope::Wildcard) => !row.is_empty(),
        (Target::Secret(s), _) => row.contains(&s),
        (Target::OldMasterPassword, ResourceScope::NamePrefix) => {
            row.contains(&SecretId::RdsMasterPassword)
        }
        _ => false,
    }
}

fn scope_strategy() -> impl Strategy<Value = ResourceScope> {
    prop_oneof![
        Just(ResourceScope::NamedPattern),
        Just(ResourceScope::NamePrefix),
        Just(ResourceScope::Wildcard),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_grant_matrices_agree_with_brute_force(
        rows in proptest::collection::vec(0u8..32, 3),
        scope in scope_strategy(),
        all_actions in any::<bool>(),
        cmk in any::<bool>(),
    ) {
        let grants = grants_from(&rows);
        let mut design = Design::reference();
        design.grants = grants.clone();
        design.identity = IdentityOptions {
            action_scope: if all_actions { ActionScope::AllSecretsManager } else { ActionScope::GetSecretValue },
            resource_scope: scope,
            secrets_key: if cmk { KeyChoice::CustomerManaged } else { KeyChoice::AwsManaged },
        };
        let world = design.build();

        let mut requests = Vec::new();
        for role in Role::ALL {
            let targets = SecretId::ALL.iter().map(|s| Target::Secret(*s)).chain([Target::OldMasterPassword]);
            for target in targets {
                let expected = if naive_may_read(&grants, scope, role, target) { Decision::Allow } else { Decision::Deny };
                requests.push(NamedRequest::new(
                    &format!("{role:?} reads {target:?}"),
                    role,
                    "secretsmanager:GetSecretValue",
                    target,
                    expected,
                ));
            }
            // With a customer managed secrets key a role may decrypt iff it reads any secret;
            // aws/secretsmanager serves every principal of its own account.
            let may_decrypt = role != Role::Auditor
                && (!cmk || grants.get(&role).is_some_and(|row| !row.is_empty()));
            requests.push(NamedRequest::new(
                &format!("{role:?} decrypts with the secrets key"),
                role,
                "kms:Decrypt",
                Target::SecretsKey,
                if may_decrypt { Decision::Allow } else { Decision::Deny },
            ));
        }

        for o in simulate(&world, &requests) {
            prop_assert!(o.matches_expected(), "{}: {}", o.name, o.verdict.explain());
            // The store's lookup agrees with handing the policies over by hand.
            let identity = world.policies.identity.get(&o.request.principal_arn);
            let resource = world.policies.resource.get(o.request.policy_holder_arn());
            prop_assert_eq!(&o.verdict, &evaluate(&o.request, identity, resource));
            // Every allow names at least one statement; every implicit deny names none.
            if o.verdict.is_allowed() {
                prop_assert!(!o.verdict.deciding.is_empty());
            } else {
                prop_assert!(o.verdict.is_implicit_deny() && o.verdict.deciding.is_empty());
            }
        }
    }

    #[test]
    fn evaluate_never_panics_on_arbitrary_policies(
        statements in proptest::collection::vec(
            (
                any::<bool>(),
                proptest::collection::vec("[a-zA-Z:*?]{0,8}", 0..3),
                proptest::collection::vec("[a-z0-9:/*?-]{0,12}", 0..3),
                proptest::option::of(proptest::collection::vec(
                    prop_oneof![
                        Just("*".to_string()),
                        Just(PRODUCER.to_string()),
                        Just(root(AUDITORS)),
                        Just(AUDITOR.to_string()),
                        "[a-z0-9:/]{0,16}",
                    ],
                    0..3,
                )),
            ),
            0..6,
        ),
        split in 0usize..6,
        action in "[a-zA-Z:]{0,12}",
        resource in "[a-z0-9:/-]{0,16}",
        cross in any::<bool>(),
        kind in prop_oneof![
            Just(ResourceKind::Secret),
            Just(CMK),
            Just(AWS_MANAGED),
            Just(ResourceKind::S3Object),
            Just(ResourceKind::S3Bucket),
        ],
    ) {
        let statements: Vec<Statement> = statements
            .into_iter()
            .map(|(is_allow, actions, resources, principals)| {
                let s = if is_allow {
                    Statement::allow("S", actions, resources)
                } else {
                    Statement::deny("", actions, resources)
                };
                match principals {
                    Some(p) => s.with_principals(p),
                    None => s,
                }
            })
            .collect();
        let split = split.min(statements.len());
        let identity = Policy::new(statements[..split].to_vec());
        let resource_policy = Policy::new(statements[split..].to_vec());
        let principal = if cross { AUDITOR } else { PAYMENTS };
        let request = Request::new(principal, &action, &resource, PRODUCER, kind);
        let v = evaluate(&request, Some(&identity), Some(&resource_policy));
        prop_assert!(!v.explain().is_empty());
        prop_assert_eq!(v.decision == Decision::Allow, v.is_allowed());
        if v.reason == Reason::ExplicitDeny {
            prop_assert!(!v.deciding.is_empty());
        }
    }

    #[test]
    fn glob_agrees_with_a_naive_recursive_matcher(
        pattern in "[ab*?]{0,8}",
        text in "[ab]{0,10}",
    ) {
        fn naive(p: &[u8], t: &[u8]) -> bool {
            match (p.first(), t.first()) {
                (None, _) => t.is_empty(),
                (Some(b'*'), _) => naive(&p[1..], t) || (!t.is_empty() && naive(p, &t[1..])),
                (Some(_), None) => false,
                (Some(b'?'), Some(_)) => naive(&p[1..], &t[1..]),
                (Some(c), Some(d)) => c == d && naive(&p[1..], &t[1..]),
            }
        }
        prop_assert_eq!(glob_match(&pattern, &text), naive(pattern.as_bytes(), text.as_bytes()));
        prop_assert_eq!(
            glob_match_ignore_case(&pattern.to_uppercase(), &text),
            naive(pattern.as_bytes(), text.as_bytes())
        );
    }
}

#[test]
fn the_decoy_secret_really_shares_the_prefix() {
    assert!(
        OLD_MASTER_PASSWORD_ARN.starts_with(
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-password-"
        )
    );
    assert!(glob_match(MASTER_PREFIX, OLD_MASTER_PASSWORD_ARN));
    assert!(!glob_match(MASTER_PATTERN, OLD_MASTER_PASSWORD_ARN));
    assert_eq!(SecretId::RdsMasterPassword.arn(), MASTER);
}
