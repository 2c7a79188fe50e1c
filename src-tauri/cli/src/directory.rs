//! `lanyard directory …` and `lanyard federation-csv`: CSV import and exports.

use crate::output::print_json;
use clap::Subcommand;
use lanyard_core::directory::csv_import::{self, ImportPreview};
use lanyard_core::{ApiError, Core, ErrorCode};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Import users from a CSV file: upsert by email, columns by header name, `groups` separated
    /// by semicolons. Every row is checked first; a file with any bad row imports nothing.
    ImportCsv {
        file: PathBuf,
        /// Check the file and show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Export every user as CSV (the columns the import reads).
    ExportCsv {
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Reads a CSV file as text, refusing one over the size limit before reading it.
fn read_csv(path: &Path) -> Result<String, ApiError> {
    let bad = |what: String| ApiError::new(ErrorCode::InvalidInput, what);
    let meta =
        std::fs::metadata(path).map_err(|e| bad(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(bad(format!(
            "{} is a folder; give a CSV file",
            path.display()
        )));
    }
    if meta.len() > csv_import::MAX_BYTES {
        return Err(bad(format!(
            "{} is {} bytes; the limit is {} bytes: split it into smaller files and import them one after another",
            path.display(),
            meta.len(),
            csv_import::MAX_BYTES
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| bad(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "{} is not UTF-8 text (byte {} is not valid): save it as \"CSV UTF-8\" and try again",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Writes `text` to `out`, or to standard output.
pub fn write_out(out: Option<&Path>, text: &str) -> Result<(), ApiError> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot write {}: {e}", path.display()),
            )
        }),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn print_preview(file: &Path, p: &ImportPreview) {
    println!(
        "{}: {} row(s){}; columns: {}",
        file.display(),
        p.rows,
        if p.blank_rows > 0 {
            format!(" ({} blank skipped)", p.blank_rows)
        } else {
            String::new()
        },
        p.columns.join(", ")
    );
    if !p.ignored_columns.is_empty() {
        println!(
            "ignored columns (no such attribute): {}",
            p.ignored_columns.join(", ")
        );
    }
    println!(
        "create {}, update {}, unchanged {}; memberships +{} -{}",
        p.creates, p.updates, p.unchanged, p.memberships_added, p.memberships_removed
    );
    if !p.new_groups.is_empty() {
        println!("new groups: {}", p.new_groups.join(", "));
    }
    for e in &p.errors {
        println!("line {}: {}", e.line, e.message.replace('\n', " "));
    }
    if p.error_count as usize > p.errors.len() {
        println!(
            "… and {} more bad row(s)",
            p.error_count as usize - p.errors.len()
        );
    }
}

fn bad_rows(p: &ImportPreview) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        format!(
            "{} row(s) have problems (listed above); nothing was imported: fix them and run the import again",
            p.error_count
        ),
    )
}

pub async fn run(core: &Core, cmd: DirectoryCommand) -> Result<(), ApiError> {
    match cmd {
        DirectoryCommand::ImportCsv {
            file,
            dry_run,
            json,
        } => {
            let text = read_csv(&file)?;
            let preview = core.preview_csv_import(&text).await?;
            let summary = if dry_run || preview.error_count > 0 {
                None
            } else {
                Some(core.import_csv(&text).await?)
            };
            if json {
                print_json(&serde_json::json!({
                    "dry_run": dry_run,
                    "preview": preview,
                    "summary": summary,
                }))?;
            } else {
                print_preview(&file, &preview);
            }
            if preview.error_count > 0 {
                return Err(bad_rows(&preview));
            }
            if !json {
                match &summary {
                    None => println!("dry run: nothing was written"),
                    Some(s) => println!(
                        "imported: {} created, {} updated, {} unchanged, {} group(s) created",
                        s.created, s.updated, s.unchanged, s.groups_created
                    ),
                }
            }
            Ok(())
        }
        DirectoryCommand::ExportCsv { out } => {
            let text = core.export_directory_csv().await?;
            write_out(out.as_deref(), &text)
        }
    }
}

/// `lanyard federation-csv APP [--out FILE]`
pub async fn federation_csv(core: &Core, app: &str, out: Option<&Path>) -> Result<(), ApiError> {
    let file = core.federation_csv(app).await?;
    write_out(out, &file.csv)?;
    if let Some(path) = out {
        eprintln!(
            "wrote {} user(s) to {} (Data Loader: update User, match on Username)",
            file.users,
            path.display()
        );
    }
    Ok(())
}
