//! Diagnostics through `tracing`: a log file in the data folder, rotated daily and kept a week
//! (`logs/lanyard.log.YYYY-MM-DD`), and, for `lanyard -v`, standard error too. What is logged is
//! what happened and why it failed, never a token, a password or a key: secrets are
//! [`crate::secrets::Sensitive`], whose Debug is `<redacted>` and which has no Display.

use std::path::{Path, PathBuf};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Days of log files kept.
pub const KEEP_DAYS: usize = 7;

/// Keeps the log writer running; drop it last (it flushes what is buffered).
pub struct LogGuard {
    _file: Option<tracing_appender::non_blocking::WorkerGuard>,
    pub dir: Option<PathBuf>,
}

/// The folder of the log files of a data folder.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Starts logging to `data_dir/logs` (when given) and, with `verbose`, to standard error.
/// `LANYARD_LOG` (e.g. `debug`, `lanyard_core=trace`) overrides the level (default info).
/// Calling it twice keeps the first setup.
pub fn init(data_dir: Option<&Path>, verbose: bool) -> LogGuard {
    let filter =
        || EnvFilter::try_from_env("LANYARD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let mut guard = LogGuard {
        _file: None,
        dir: None,
    };
    let file_layer = data_dir.and_then(|d| {
        let dir = log_dir(d);
        std::fs::create_dir_all(&dir).ok()?;
        let appender = tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("lanyard.log")
            .max_log_files(KEEP_DAYS)
            .build(&dir)
            .ok()?;
        let (writer, worker) = tracing_appender::non_blocking(appender);
        guard._file = Some(worker);
        guard.dir = Some(dir);
        Some(
            fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter()),
        )
    });
    let stderr_layer = verbose.then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_filter(filter())
    });
    let _ = tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    guard
}
