//! `lanyard setup status|mark`: the guided setup checklist over the same state as the window.

use crate::output;
use clap::Subcommand;
use lanyard_core::setup::{Mark, StepId, StepStatus};
use lanyard_core::{ApiError, Core, ErrorCode};

#[derive(Debug, Subcommand)]
pub enum SetupCommand {
    /// Every step of APP's setup with its status, and the health findings with their action.
    Status {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Say a step only you can confirm is done, skipped, or back to do.
    Mark {
        app: String,
        /// A step id, e.g. my_domain (see `lanyard setup status APP`).
        step: String,
        /// done, skipped or todo.
        mark: String,
    },
}

fn bad(m: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, m)
}

pub async fn run(core: &Core, cmd: SetupCommand) -> Result<(), ApiError> {
    let (status, json) = match cmd {
        SetupCommand::Status { app, json } => (core.setup_status(&app).await?, json),
        SetupCommand::Mark { app, step, mark } => {
            let step: StepId = step.parse().map_err(bad)?;
            let mark: Mark = mark.parse().map_err(bad)?;
            (core.setup_mark(&app, step, mark).await?, false)
        }
    };
    if json {
        return output::print_json(&status);
    }
    println!(
        "{}: {} of {} steps done",
        status.app, status.done, status.total
    );
    for s in &status.steps {
        let mark = match s.status {
            StepStatus::Done => "done",
            StepStatus::Todo => "to do",
            StepStatus::NeedsAttention => "ATTENTION",
            StepStatus::Skipped => "skipped",
        };
        println!("  {:<10} {:<24} {}", mark, s.id.as_str(), s.detail);
    }
    for f in &status.findings {
        println!(
            "{:?}: {} → {} (step {})",
            f.severity, f.message, f.action, f.step
        );
    }
    Ok(())
}
