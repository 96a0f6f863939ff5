//! A small, pure model of AWS authorisation for the puzzle's two questions — "who may read
//! which secret" (Task 2) and "who may use the reports key and bucket" (Task 4) — with an
//! evaluator that says Allow or Deny, why, and which statements decided it.
//!
//! Files: [`glob`] (wildcards), [`model`] (policies, statements, requests), [`eval`] (the
//! rules below), [`world`] (policies looked up by ARN), [`puzzle`] (the puzzle's accounts,
//! ARNs and policy builders), [`simulator`] (named scenarios with expected decisions).
//!
//! # Matching
//! - **Actions** match case-insensitively, with `*` (any run) and `?` (one character):
//!   `kms:ReEncrypt*` matches `kms:ReEncryptFrom` and `kms:ReEncryptTo`, not `kms:Encrypt`;
//!   `secretsmanager:*` and `*` match what they say.
//! - **Resources** match case-sensitively with the same wildcards; `*` runs across `:` and `/`.
//!   So `…:secret:rds-master-password-??????` matches `rds-master-password-AbC123` but not
//!   `rds-master-password-old-AbC123`, which `rds-master-password-*` does match.
//! - **Principals** (resource policies only) are `*` (anyone), an account id or
//!   `arn:aws:iam::ACCOUNT:root` (the whole account), or an exact role ARN. A resource-policy
//!   statement with no principal names nobody. Naming the caller's ARN or `*` is a *direct*
//!   grant; naming its account is a grant to the account, which its administrators pass on
//!   through identity policies.
//!
//! # Evaluation (after AWS's documented policy evaluation logic, for the cases used here)
//! 1. **Explicit deny wins.** A matching `Deny` in the caller's identity policy, or in the
//!    resource policy naming the caller (directly or by account), denies.
//! 2. **AWS managed keys stay home.** A cross-account request on a key with
//!    `aws_managed: true` is denied: their policies cannot be edited to name another account.
//! 3. **Across accounts both sides must allow**: the resource policy (key, bucket or secret
//!    policy) in the owning account must name the caller's account or the caller, *and* the
//!    caller's identity policy must allow the action on that resource.
//! 4. **Within one account** an allow from either side suffices — the identity policy, or a
//!    resource policy naming the caller directly. A resource policy naming only the account
//!    needs the identity policy to allow too.
//! 5. **Except KMS keys**: the key policy is required. It must name the caller directly, or
//!    name the account (the standard `Enable IAM User Permissions` statement) with the identity
//!    policy also allowing. An identity policy alone never opens a KMS key.
//! 6. Otherwise: **implicit deny**.
//!
//! # Simplified
//! No `Condition` blocks (so no `kms:ViaService`, `kms:CallerAccount`, encryption context,
//! `aws:SecureTransport`), no `NotAction`/`NotResource`/`NotPrincipal`, no SCPs, permission
//! boundaries, session policies, KMS grants, S3 ACLs or Object Ownership, no role sessions
//! (a role ARN stands for its sessions). A `GetSecretValue` is judged on its own: the `kms:Decrypt`
//! that Secrets Manager makes on the caller's behalf is a separate scenario.

pub mod eval;
pub mod glob;
pub mod model;
pub mod puzzle;
pub mod simulator;
pub mod world;

pub use eval::{Decision, PolicyKind, Reason, StatementRef, Verdict, evaluate};
pub use model::{Effect, Policy, PrincipalMatch, Request, ResourceKind, Statement};
pub use puzzle::{Design, PuzzleWorld, reference_solution};
pub use simulator::{NamedRequest, SimOutcome, simulate, simulator_requests};
pub use world::PolicyStore;
