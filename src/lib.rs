//! kmsquest: a terminal tutorial and puzzle game on AWS KMS vs AWS Secrets Manager.
//! The library holds everything testable; `main.rs` is a thin shell over it.

pub mod answer;
pub mod cli;
pub mod content;
pub mod export;
pub mod grading;
pub mod sheet;
