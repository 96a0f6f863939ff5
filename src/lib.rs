//! kmsquest: a terminal tutorial and puzzle game on AWS KMS vs AWS Secrets Manager.
//! The library holds everything testable; `main.rs` is a thin shell over it.

pub mod action;
pub mod answer;
pub mod app;
pub mod cli;
pub mod content;
pub mod export;
pub mod grading;
pub mod keymap;
pub mod lab;
pub mod lab_update;
pub mod mode;
pub mod model;
pub mod notes;
pub mod policy;
pub mod present;
pub mod report;
pub mod results;
pub mod sheet;
pub mod shuffle;
pub mod store;
pub mod ui;
pub mod update;
