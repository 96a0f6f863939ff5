use anyhow::Result;
use clap::Parser;
use kmsquest::app::{self, Persistence, Storage};
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

/// Where the policy lab exports: `<data dir>/policies`.
fn policies_dir(data_dir: Option<&std::path::Path>) -> std::path::PathBuf {
    data_dir
        .map_or_else(store::default_data_dir, std::path::Path::to_path_buf)
        .join("policies")
}

fn projector_theme(choice: ThemeChoice) -> Theme {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return Theme::monochrome();
    }
    match choice {
        ThemeChoice::Dark => Theme::projector_dark(),
        ThemeChoice::Light => Theme::projector_light(),
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
        Some(Command::Report { paths, csv }) => {
            let ok = kmsquest::report::run(&cli::load_puzzle(content)?, &paths, csv)?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Export { answers }) => {
            print!(
                "{}",
                kmsquest::export::worksheet(&cli::load_puzzle(content)?, answers)
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Quiz {
            name,
            time_limit,
            results,
            seed,
            resume,
        }) => {
            let puzzle = Arc::new(cli::load_puzzle(content)?);
            let data_dir = args
                .data_dir
                .clone()
                .unwrap_or_else(store::default_data_dir);
            let results_dir = results.unwrap_or_else(|| data_dir.join("results"));
            let model = if resume {
                let Some(path) = kmsquest::results::find_in_progress(&results_dir, name.as_deref())
                else {
                    anyhow::bail!(
                        "no unfinished quiz{} in {}",
                        name.as_deref()
                            .map(|n| format!(" for \"{n}\""))
                            .unwrap_or_default(),
                        results_dir.display()
                    );
                };
                let mut model = Model::new_quiz(puzzle, None, None, 0);
                kmsquest::results::resume(&mut model, &path).map_err(anyhow::Error::msg)?;
                model.notice = Some(format!("Resumed {}.", path.display()));
                model
            } else {
                if let Some(n) = &name
                    && !kmsquest::model::valid_name(n)
                {
                    anyhow::bail!("--name must be 1–40 printable characters");
                }
                Model::new_quiz(
                    puzzle,
                    name,
                    time_limit.map(|m| m * 60),
                    seed.unwrap_or_else(app::fresh_seed),
                )
            };
            app::run(
                model,
                theme(args.theme),
                Storage {
                    progress: None,
                    results_dir,
                    projector_theme: projector_theme(args.theme),
                    policies_dir: policies_dir(args.data_dir.as_deref()),
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Present { notes }) => {
            let puzzle = Arc::new(cli::load_puzzle(content)?);
            let projector = projector_theme(args.theme);
            if notes {
                kmsquest::notes::run_follower(puzzle, theme(args.theme))?;
            } else {
                let mut model = Model::new(puzzle, Mode::Present.policy());
                update::go_to(&mut model, Screen::Scenario);
                app::run(
                    model,
                    projector,
                    Storage {
                        progress: None,
                        results_dir: std::env::temp_dir(),
                        projector_theme: projector,
                        policies_dir: policies_dir(args.data_dir.as_deref()),
                    },
                )?;
            }
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
            let results_dir = dir.join("results");
            app::run(
                model,
                theme(args.theme),
                Storage {
                    progress: Some(Persistence {
                        dir,
                        file: loaded.file,
                    }),
                    results_dir,
                    projector_theme: projector_theme(args.theme),
                    policies_dir: policies_dir(args.data_dir.as_deref()),
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
