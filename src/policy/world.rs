//! A store of policies keyed by ARN, so a request can be evaluated without the caller picking
//! the policies by hand: the identity policy by the caller's ARN, the resource policy by the
//! ARN of the resource holding it (the key, the secret, or the bucket of an object).

use super::eval::{Verdict, evaluate};
use super::model::{Policy, Request};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyStore {
    /// Identity policies, keyed by principal (role) ARN. A role with several policies has them
    /// merged into one here; statements keep their own Sids.
    pub identity: BTreeMap<String, Policy>,
    /// Resource policies (key policies, bucket policies, secret resource policies), keyed by the
    /// ARN of the key, bucket or secret.
    pub resource: BTreeMap<String, Policy>,
}

impl PolicyStore {
    pub fn identity_policy(&self, principal_arn: &str) -> Option<&Policy> {
        self.identity.get(principal_arn)
    }

    /// The resource policy that governs `request` (for an S3 object: its bucket's policy).
    pub fn resource_policy(&self, request: &Request) -> Option<&Policy> {
        self.resource.get(request.policy_holder_arn())
    }

    pub fn evaluate(&self, request: &Request) -> Verdict {
        evaluate(
            request,
            self.identity_policy(&request.principal_arn),
            self.resource_policy(request),
        )
    }
}
