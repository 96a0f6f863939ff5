//! A student's answer to one question, by ids (stable across option shuffles and content edits).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// Single choice: the chosen option id.
    Single(String),
    /// Multi-select (a set of option ids) or ordering (step ids in the student's order).
    List(Vec<String>),
    /// Access matrix: row id → granted column ids.
    Matrix(BTreeMap<String, BTreeSet<String>>),
}

/// Answers for a whole puzzle, keyed by answer-sheet path (`task1.rds-master-password`).
pub type Answers = BTreeMap<String, Answer>;
