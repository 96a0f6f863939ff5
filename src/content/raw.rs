//! Serde mirror of the content TOML. Strict (`deny_unknown_fields`) so a typo is an error, and spanned
//! where validation needs to point at a line.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPuzzle {
    pub format_version: Spanned<u32>,
    pub id: Spanned<String>,
    pub title: String,
    pub plan_minutes: u32,
    pub tasks: Vec<Spanned<String>>,
    pub scenario: RawScenario,
    pub summary: RawSummary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub story: String,
    pub services: Vec<RawService>,
    pub requirements: Vec<String>,
    pub items: Vec<String>,
    pub tools: Vec<String>,
    pub goal: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub id: Spanned<String>,
    pub name: String,
    pub detail: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSummary {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub format_version: Spanned<u32>,
    pub id: Spanned<String>,
    pub number: Spanned<u32>,
    pub title: String,
    pub plan_minutes: u32,
    pub intro: String,
    #[serde(default)]
    pub hints: Vec<RawHint>,
    pub solution: RawSolution,
    pub questions: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHint {
    pub number: Spanned<u32>,
    pub text: Spanned<String>,
    #[serde(default = "default_hint_cost")]
    pub cost: u32,
}

fn default_hint_cost() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSolution {
    pub body: String,
    #[serde(default)]
    pub concepts: Vec<String>,
    #[serde(default)]
    pub going_further: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawKind {
    Single,
    Multi,
    Matrix,
    Ordering,
}

/// A matrix key: row id → granted column ids (spanned to point at a bad id).
pub type RawGrants = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    pub kind: Spanned<RawKind>,
    pub prompt: String,
    pub points: Spanned<u32>,
    pub explanation: String,
    #[serde(default)]
    pub concept: Option<String>,
    #[serde(default)]
    pub options: Vec<RawOption>,
    #[serde(default)]
    pub rows: Vec<RawLabelled>,
    #[serde(default)]
    pub columns: Vec<RawLabelled>,
    #[serde(default)]
    pub grants: Option<Spanned<RawGrants>>,
    #[serde(default)]
    pub cells: Vec<RawCell>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    #[serde(default)]
    pub order: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawExpected {
    Required,
    Optional,
    Forbidden,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: Spanned<String>,
    pub label: String,
    pub feedback: String,
    #[serde(default)]
    pub credit: Option<Spanned<f64>>,
    #[serde(default)]
    pub expected: Option<Spanned<RawExpected>>,
    #[serde(default)]
    pub misconception: Option<String>,
    #[serde(default)]
    pub pin: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLabelled {
    pub id: Spanned<String>,
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCell {
    pub row: Spanned<String>,
    pub column: Spanned<String>,
    pub feedback: String,
    #[serde(default)]
    pub misconception: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub feedback: Option<String>,
}
