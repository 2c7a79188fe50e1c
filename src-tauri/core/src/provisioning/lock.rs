//! One sync at a time per application, across processes (the window, the CLI, a second window):
//! a row in `sync_locks` names the holder (process id, host) and is refreshed while the run
//! goes on. A row whose process is gone (killed, say) or that went silent is taken over.

use super::ProvisioningError;
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use std::time::Duration;

/// How often the holder says it is alive, and after how long silence a lock is taken over.
const HEARTBEAT: Duration = Duration::from_secs(10);
const SILENT_FOR: i64 = 60;

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into())
}

fn alive(pid: i64) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Held while a sync runs; dropping it releases the lock.
pub struct SyncLock {
    pool: SqlitePool,
    app_id: String,
    run_id: String,
    heartbeat: tokio::task::JoinHandle<()>,
}

/// Takes the application's sync lock, or says who holds it.
pub async fn acquire(
    pool: &SqlitePool,
    app_id: &str,
    app_name: &str,
    run_id: &str,
    now: DateTime<Utc>,
) -> Result<SyncLock, ProvisioningError> {
    let me = i64::from(std::process::id());
    let here = host();
    let mut tx = pool.begin().await?;
    let held: Option<(i64, String, DateTime<Utc>)> =
        sqlx::query_as("SELECT pid, host, heartbeat_at FROM sync_locks WHERE app_id = ?")
            .bind(app_id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((pid, host, beat)) = held {
        let fresh = (now - beat).num_seconds() < SILENT_FOR;
        let running = fresh && (host != here || alive(pid));
        if running {
            return Err(ProvisioningError::Busy(format!(
                "A sync of {app_name} is already running (process {pid} on {host}, alive {} s ago). Wait for it to end, or cancel it, and sync again.",
                (now - beat).num_seconds().max(0)
            )));
        }
    }
    sqlx::query(
        "INSERT INTO sync_locks (app_id, run_id, pid, host, heartbeat_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET run_id = excluded.run_id, pid = excluded.pid,
           host = excluded.host, heartbeat_at = excluded.heartbeat_at",
    )
    .bind(app_id)
    .bind(run_id)
    .bind(me)
    .bind(&here)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (p, a, r) = (pool.clone(), app_id.to_owned(), run_id.to_owned());
    let heartbeat = tokio::spawn(async move {
        loop {
            tokio::time::sleep(HEARTBEAT).await;
            let _ = sqlx::query(
                "UPDATE sync_locks SET heartbeat_at = ? WHERE app_id = ? AND run_id = ?",
            )
            .bind(Utc::now())
            .bind(&a)
            .bind(&r)
            .execute(&p)
            .await;
        }
    });
    Ok(SyncLock {
        pool: pool.clone(),
        app_id: app_id.to_owned(),
        run_id: run_id.to_owned(),
        heartbeat,
    })
}

impl SyncLock {
    /// Releases the lock (also done, in the background, when dropped).
    pub async fn release(self) {
        self.heartbeat.abort();
        let _ = sqlx::query("DELETE FROM sync_locks WHERE app_id = ? AND run_id = ?")
            .bind(&self.app_id)
            .bind(&self.run_id)
            .execute(&self.pool)
            .await;
        std::mem::forget(self);
    }
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        self.heartbeat.abort();
        let (p, a, r) = (self.pool.clone(), self.app_id.clone(), self.run_id.clone());
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let _ = sqlx::query("DELETE FROM sync_locks WHERE app_id = ? AND run_id = ?")
                    .bind(&a)
                    .bind(&r)
                    .execute(&p)
                    .await;
            });
        }
    }
}
