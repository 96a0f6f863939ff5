use anyhow::Result;
use clap::Parser;
use kmsquest::cli::{self, Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Cli::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kmsquest: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Cli) -> Result<ExitCode> {
    let content = args.content.as_deref();
    match args.command {
        Some(Command::Check { dir }) => {
            let ok = cli::run_check(dir.as_deref().or(content))?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Sheet) => {
            print!("{}", kmsquest::sheet::blank(&cli::load_puzzle(content)?));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Grade { file, json }) => {
            cli::run_grade(&cli::load_puzzle(content)?, &file, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { answers }) => {
            print!(
                "{}",
                kmsquest::export::worksheet(&cli::load_puzzle(content)?, answers)
            );
            Ok(ExitCode::SUCCESS)
        }
        None | Some(Command::Practice) => {
            // The screens are not built yet: print the worksheet so the binary is useful.
            print!(
                "{}",
                kmsquest::export::worksheet(&cli::load_puzzle(content)?, false)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
