use anyhow::Result;
use clap::Parser;
use kmsquest::app::{self, Persistence};
use kmsquest::cli::{self, Cli, Command, ThemeChoice};
use kmsquest::mode::Mode;
use kmsquest::model::{Model, Screen};
use kmsquest::ui::Theme;
use kmsquest::{store, update};
use std::process::ExitCode;
use std::sync::Arc;

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

fn theme(choice: ThemeChoice) -> Theme {
    // NO_COLOR (any non-empty value) wins over --theme: https://no-color.org
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return Theme::monochrome();
    }
    match choice {
        ThemeChoice::Dark => Theme::dark(),
        ThemeChoice::Light => Theme::light(),
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
            let straight_in = matches!(args.command, Some(Command::Practice));
            let puzzle = Arc::new(cli::load_puzzle(content)?);
            let mut model = Model::new(puzzle, Mode::Practice.policy());
            let dir = args
                .data_dir
                .clone()
                .unwrap_or_else(store::default_data_dir);
            let loaded = store::load(&dir);
            let mut notices = Vec::new();
            notices.extend(loaded.notice.clone());
            if let Some(saved) = loaded.file.puzzles.get(&model.puzzle.id) {
                notices.extend(store::restore(&mut model, saved));
            }
            if straight_in {
                let at = model.resume;
                update::go_to(
                    &mut model,
                    if at == Screen::Menu {
                        Screen::Scenario
                    } else {
                        at
                    },
                );
            }
            model.notice = (!notices.is_empty()).then(|| notices.join(" "));
            app::run(
                model,
                theme(args.theme),
                Some(Persistence {
                    dir,
                    file: loaded.file,
                }),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
