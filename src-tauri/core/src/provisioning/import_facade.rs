//! The manual import's [`Core`] methods: list the target's users with their status, a page at a
//! time or all at once, and import a selection (from the listing the table just made when it is
//! complete and recent, see [`listing`](super::listing)).

use super::connection::{Connection, ConnectionState};
use super::import::{
    self, ImportRequest, ImportResult, ImportStatus, ListingRead, RemotePage, RemoteRow, Written,
};
use super::import_view::{ImportIds, ImportQuery, ImportView};
use super::listing::{self, Lister, Page};
use super::mapping;
use super::packed::{Field, PackedUser};
use super::remote::{self, Cursor};
use super::run::{Cancel, Progress, ProgressFn};
use super::ProvisioningError;
use crate::apps::Application;
use crate::directory::email_key;
use crate::error::{ApiError, HasCode};
use crate::events::{EventName, NewEvent, Outcome};
use crate::Core;
use chrono::{DateTime, Utc};
use sqlx::{Connection as _, SqliteConnection};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

fn api(e: ProvisioningError) -> ApiError {
    e.to_api()
}

/// A cancelled import wrote nothing (it is one transaction, committed only at the end).
fn cancelled() -> ApiError {
    ApiError::new(
        crate::ErrorCode::Conflict,
        "The import was cancelled: nothing was written to the directory. Start it again when you are ready.",
    )
}

/// No listing is held for the table: read it again.
fn not_listed(app: &Application) -> ApiError {
    ApiError::new(
        crate::ErrorCode::NotFound,
        format!(
            "The list of {}'s users is no longer held (it was closed, read more than two hours ago, or the connection changed): read it again.",
            app.label
        ),
    )
}

/// A page asked of a listing that was read again, closed or broken since.
fn replaced(app: &Application) -> ApiError {
    ApiError::new(
        crate::ErrorCode::Conflict,
        format!(
            "This reading of {}'s users was replaced by another (or closed): its pages are not kept. Read the list again.",
            app.label
        ),
    )
}

/// Usernames up to this many are looked up one by one; more, and the target is listed.
const LOOKUP_AT_MOST: usize = 25;

impl Core {
    async fn import_lister(&self, app: &Application, c: &Connection) -> Result<Lister, ApiError> {
        let client = self
            .scim_client(app, c, true, super::facade::REQUEST_TIMEOUT)
            .await?;
        let mut conn = self.conn().await?;
        let known = import::known(&mut conn, &app.id).await.map_err(api)?;
        Ok(Lister {
            client,
            caps: c.capabilities(),
            known,
        })
    }

    /// One page of a listing, kept in the listing (with each user's status); `rows`: also
    /// answer the page's table rows. Answers how many users the listing holds now. The cursors
    /// it answers name the listing (`<serial>/<cursor>`): a page of a reading replaced since is
    /// not kept, and does not disturb the one that replaced it.
    async fn listed_page(
        &self,
        app: &Application,
        c: &Connection,
        cursor: Option<&str>,
        rows: bool,
    ) -> Result<(RemotePage, usize), ApiError> {
        let target = listing::target_of(c);
        let cursor = match cursor {
            None => None,
            Some(text) => Some(
                text.split_once('/')
                    .and_then(|(s, rest)| Some((s.parse::<u32>().ok()?, rest)))
                    .ok_or_else(|| replaced(app))?,
            ),
        };
        if let Some((serial, _)) = cursor {
            // A page of a reading replaced since: not read (it would not be kept).
            if !self.listings.holds(&app.id, serial, self.now()) {
                return Err(replaced(app));
            }
        }
        let continuing = cursor
            .filter(|_| c.state == ConnectionState::Connected)
            .and_then(|cur| self.listings.continuing(&app.id, &target, cur, self.now()));
        let lister = match continuing {
            Some(l) => l,
            None => Arc::new(self.import_lister(app, c).await?),
        };
        let at = import::parse_cursor(cursor.map(|(_, c)| c), lister.caps);
        let (users, next) = import::users_page(&lister.client, lister.caps, &at)
            .await
            .map_err(api)?;
        let next = next.as_ref().map(import::cursor_text);
        let statuses: Vec<_> = users
            .iter()
            .map(|u| import::status_of(u, &lister.known))
            .collect();
        let rows = if rows {
            users
                .iter()
                .zip(&statuses)
                .map(|(u, (s, d))| import::table_row(u, *s, d.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let page = Page {
            cursor,
            next: next.clone(),
            users,
            statuses,
        };
        let (serial, listed) = self
            .listings
            .record(&app.id, &target, lister, page, self.now())
            .ok_or_else(|| replaced(app))?;
        let next = next.map(|n| format!("{serial}/{n}"));
        Ok((RemotePage { rows, next }, listed))
    }

    /// Reads one page (200) of the target's users into the listing the table shows (see
    /// [`Self::import_view`]); pass `next` back for more.
    pub async fn import_read(
        &self,
        app: &str,
        cursor: Option<&str>,
    ) -> Result<ListingRead, ApiError> {
        let app = self.get_app(app).await?;
        let c = self.connection_of(&app).await?;
        let (page, listed) = self.listed_page(&app, &c, cursor, false).await?;
        Ok(ListingRead {
            listed: u32::try_from(listed).unwrap_or(u32::MAX),
            next: page.next,
        })
    }

    /// The rows of the listing the table shows that `q` asks for.
    pub async fn import_view(&self, app: &str, q: &ImportQuery) -> Result<ImportView, ApiError> {
        let app = self.get_app(app).await?;
        self.listings
            .view(&app.id, q, self.now())
            .ok_or_else(|| not_listed(&app))
    }

    /// Every user of the listing the table shows that `q` matches, in its order.
    pub async fn import_ids(&self, app: &str, q: &ImportQuery) -> Result<ImportIds, ApiError> {
        let app = self.get_app(app).await?;
        self.listings
            .ids(&app.id, q, self.now())
            .ok_or_else(|| not_listed(&app))
    }

    /// Lets the listing of `app` go (the table closed); an import running from it keeps it.
    pub async fn import_close(&self, app: &str) -> Result<(), ApiError> {
        let app = self.get_app(app).await?;
        self.listings.close(&app.id);
        Ok(())
    }

    /// Every remote user with its status (`new_only`: the New ones).
    pub async fn import_list(&self, app: &str, new_only: bool) -> Result<Vec<RemoteRow>, ApiError> {
        let app = self.get_app(app).await?;
        let c = self.connection_of(&app).await?;
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let (page, _) = self.listed_page(&app, &c, cursor.as_deref(), true).await?;
            out.extend(
                page.rows
                    .into_iter()
                    .filter(|r| !new_only || r.status == ImportStatus::New),
            );
            match page.next {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
        Ok(out)
    }

    /// Imports remote users into the directory (see [`ImportRequest`]); per-row errors are listed
    /// and the good rows imported, in one transaction.
    pub async fn import_users(
        &self,
        app: &str,
        req: ImportRequest,
        progress: Option<ProgressFn>,
        cancel: Cancel,
    ) -> Result<ImportResult, ApiError> {
        let app = self.get_app(app).await?;
        let mut req = req;
        let c = self.connection_of(&app).await?;
        let client = self
            .scim_client(&app, &c, true, super::facade::REQUEST_TIMEOUT)
            .await?;
        let caps = c.capabilities();
        // Users looked up or listed here; or a listing of the table's, shared with it.
        let mut owned: Vec<PackedUser> = Vec::new();
        let mut listed: Option<Arc<Vec<PackedUser>>> = None;
        // The serial of the listing `listed` is (its indexes are that listing's).
        let mut from: Option<u32> = None;
        // The indexes in the source of the users asked for (None: every one).
        let mut at: Option<Vec<usize>> = None;
        let mut keep: Option<HashSet<String>> = None;
        let mut not_found = Vec::new();
        // Progress counts the users written, out of those to write (not already imported or
        // skipped), with the rate since writing started; reading reports none ("Reading…").
        let report = |started: Instant, done: usize, total: usize| {
            if let Some(p) = &progress {
                let secs = started.elapsed().as_secs_f64().max(1e-3);
                let rate = done as f64 / secs;
                p(Progress {
                    done: u32::try_from(done).unwrap_or(u32::MAX),
                    total: u32::try_from(total.max(done)).unwrap_or(u32::MAX),
                    rate_per_sec: rate,
                    eta_secs: (rate > 0.0).then(|| total.saturating_sub(done) as f64 / rate),
                });
            }
        };
        if let Some(sel) = req.listed.take() {
            // The table's selection: the users at those positions of its listing, as the admin
            // saw them (not looked up again).
            let users = self
                .listings
                .selection(&app.id, sel.listing, &sel.positions, self.now())
                .ok_or_else(|| {
                    ApiError::new(
                        crate::ErrorCode::Conflict,
                        format!(
                            "The list of {}'s users was read again or closed since these users were selected: select them again, then import.",
                            app.label
                        ),
                    )
                })?;
            at = Some(sel.positions.iter().map(|&p| p as usize).collect());
            listed = Some(users);
            from = Some(sel.listing);
        } else {
            match &req.usernames {
                Some(names) if names.len() <= LOOKUP_AT_MOST => {
                    for n in names {
                        if cancel.is_cancelled() {
                            return Err(cancelled());
                        }
                        match remote::user_by_name(&client, n)
                            .await
                            .map_err(|e| api(e.into()))?
                        {
                            Some(r) => owned.push(PackedUser::pack(&mapping::remote_user(&r))),
                            None => not_found.push(n.clone()),
                        }
                    }
                }
                wanted => {
                    keep = wanted
                        .as_ref()
                        .map(|l| l.iter().map(|n| email_key(n)).collect());
                    let target = listing::target_of(&c);
                    if let Some((serial, users)) =
                        self.listings.complete(&app.id, &target, self.now())
                    {
                        listed = Some(users);
                        from = Some(serial);
                    }
                    if listed.is_none() {
                        let mut cursor = Some(Cursor::first(caps));
                        while let Some(cur) = cursor {
                            if cancel.is_cancelled() {
                                return Err(cancelled());
                            }
                            let (list, next) =
                                import::users_page(&client, caps, &cur).await.map_err(api)?;
                            // Only the wanted users are kept (a few out of a large target, say).
                            owned.extend(
                                list.iter()
                                    .map(PackedUser::pack)
                                    .filter(|p| wanted_by(keep.as_ref(), p)),
                            );
                            cursor = next;
                        }
                    }
                }
            }
        }
        let source = listed.as_deref().map_or(owned.as_slice(), Vec::as_slice);
        let mut seen = HashSet::new();
        // Each user once: a server that promises no order may answer a user on two pages.
        let mut once = |i: &usize| {
            let p = &source[*i];
            wanted_by(keep.as_ref(), p) && seen.insert(email_key(p.field(Field::UserName)))
        };
        let picked: Vec<usize> = match at.take() {
            Some(at) => at.into_iter().filter(|i| once(i)).collect(),
            None => (0..source.len()).filter(|i| once(i)).collect(),
        };
        let chosen: Vec<&PackedUser> = picked.iter().map(|&i| &source[i]).collect();
        if let Some(k) = keep {
            not_found = k.into_iter().filter(|n| !seen.contains(n)).collect();
            not_found.sort();
        }
        drop(seen);
        let mut conn = self.conn().await?;
        crate::store::start_bulk_write(&mut conn).await;
        let writing = Instant::now();
        let written = write_import(
            &mut conn,
            &app,
            &chosen,
            &req,
            self.now(),
            &|done, total| report(writing, done, total),
            &cancel,
        )
        .await;
        crate::store::end_bulk_write(&mut conn).await;
        drop(conn);
        let (mut result, written) = written?;
        // The table's statuses follow (New → Imported…), by index in the listing it shows.
        let take: HashSet<String> = req.take_values.iter().map(|t| email_key(t)).collect();
        let took = |u: &PackedUser| take.contains(&email_key(u.field(Field::UserName)));
        let target = listing::target_of(&c);
        let settled_by_index = from.is_some_and(|serial| {
            let settled: Vec<(usize, Written)> = picked
                .iter()
                .copied()
                .zip(written.iter().copied())
                .collect();
            self.listings
                .settle(&app.id, serial, &settled, took, self.now())
        });
        if !settled_by_index {
            // Users looked up, listed apart, or from a listing the table has read again since:
            // found in the one it shows by remote id.
            let ids: HashSet<&str> = chosen.iter().map(|u| u.field(Field::Id)).collect();
            if let Some((serial, index)) =
                self.listings.indexes_of(&app.id, &target, &ids, self.now())
            {
                let settled: Vec<(usize, Written)> = chosen
                    .iter()
                    .zip(written)
                    .filter_map(|(u, w)| index.get(u.field(Field::Id)).map(|&i| (i, w)))
                    .collect();
                self.listings
                    .settle(&app.id, serial, &settled, took, self.now());
            }
        }
        drop(chosen);
        drop(listed);
        drop(owned);
        result.not_found = not_found;
        let outcome = if result.errors.is_empty() && result.not_found.is_empty() {
            Outcome::Ok
        } else {
            Outcome::Warning
        };
        crate::events::record_event(
            self.store().pool(),
            self.now(),
            NewEvent::new(Some(&app.name), EventName::DirectoryImportFromTarget, outcome).detail(format!(
                "imported from the target: {} created, {} updated, {} linked, {} already imported, {} inactive skipped, {} refused{}",
                result.created, result.updated, result.linked, result.already_imported, result.skipped_inactive,
                result.errors.len(),
                result.errors.first().map(|e| format!(" (first: {}: {})", e.email, e.message)).unwrap_or_default()
            )),
        )
        .await;
        Ok(result)
    }
}

/// The import's one transaction on `conn`: committed when every part is written, rolled back
/// when it is cancelled (nothing written then) or fails.
async fn write_import(
    conn: &mut SqliteConnection,
    app: &Application,
    chosen: &[&PackedUser],
    req: &ImportRequest,
    now: DateTime<Utc>,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: &Cancel,
) -> Result<(ImportResult, Vec<Written>), ApiError> {
    let mut tx = conn.begin().await.map_err(|e| api(e.into()))?;
    let written = import::import(&mut tx, app, chosen, req, now, progress, cancel)
        .await
        .map_err(api)?;
    match written.filter(|_| !cancel.is_cancelled()) {
        Some(done) => {
            tx.commit().await.map_err(|e| api(e.into()))?;
            Ok(done)
        }
        None => {
            tx.rollback().await.map_err(|e| api(e.into()))?;
            Err(cancelled())
        }
    }
}

/// Whether `r` is among the usernames `keep` holds, lower-cased (None: every user is).
fn wanted_by(keep: Option<&HashSet<String>>, p: &PackedUser) -> bool {
    keep.is_none_or(|k| k.contains(&email_key(p.field(Field::UserName))))
}
