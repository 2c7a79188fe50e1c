//! The directory's import pipeline, whatever the rows come from (a CSV file, a SCIM target):
//! a source reads rows (each a user it asks for, or what is wrong with it), [`plan`] checks
//! them against the database (creates, updates, unchanged, Federation IDs, group memberships)
//! and writes nothing, [`Plan::preview`] says what would happen, [`commit_plan`] writes it.

use super::changes::{self, Change, ChangeKind};
use super::users::{self, UserInput, UserRow, ValidUser};
use super::{email_key, group_key, groups, DirectoryError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{HashMap, HashSet};

/// Row errors listed in a preview (all are counted).
const MAX_LISTED_ERRORS: usize = 1000;
/// Rows shown in a preview's sample.
const SAMPLE_ROWS: usize = 200;

/// One bad row: its line in the file (1 is the header) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowError {
    pub line: u32,
    /// The row's email as written (may be empty or invalid).
    pub email: String,
    pub message: String,
}

/// What importing would do to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowPlan {
    pub line: u32,
    pub email: String,
    pub action: RowAction,
}

/// What an import would do; nothing has been written. Field names are stable (`--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPreview {
    /// Data rows read (blank rows not counted).
    pub rows: u32,
    pub blank_rows: u32,
    pub creates: u32,
    pub updates: u32,
    pub unchanged: u32,
    pub new_groups: Vec<String>,
    pub memberships_added: u32,
    pub memberships_removed: u32,
    /// Recognised columns, by their canonical names, in file order.
    pub columns: Vec<String>,
    /// Header cells that match no attribute (their values are not imported).
    pub ignored_columns: Vec<String>,
    /// How many rows are bad; the import is refused while this is not 0.
    pub error_count: u32,
    /// The bad rows (the first 1,000).
    pub errors: Vec<RowError>,
    /// The first 200 rows and what would happen to each.
    pub sample: Vec<RowPlan>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub groups_created: u32,
    pub memberships_added: u32,
    pub memberships_removed: u32,
}

/// What [`commit_plan`] wrote: the summary, and each created or updated user by email key, with
/// its id and its fields as stored (for a source that links them to something, as the import
/// from a SCIM target does, without reading the directory again).
pub(crate) struct Committed {
    pub summary: ImportSummary,
    pub written: HashMap<String, (String, UserInput)>,
}

/// One row a source read: where it is (a line, or a position), the email it names, and the user
/// it asks for with the groups it wants the user in (None: memberships left alone), or what is
/// wrong with it.
pub(crate) struct SourceRow {
    pub line: u32,
    pub email: String,
    pub result: Result<(ValidUser, Option<Vec<String>>), String>,
}

/// What a source read.
#[derive(Default)]
pub(crate) struct Read {
    pub rows: Vec<SourceRow>,
    /// Rows read (blank ones not counted).
    pub count: usize,
    pub blank: usize,
    pub columns: Vec<String>,
    pub ignored: Vec<String>,
    /// The rows say which groups their users are in.
    pub has_groups: bool,
}

/// Who a membership change is for.
#[derive(Debug, Clone)]
pub(crate) enum Member {
    Existing {
        id: String,
        email: String,
    },
    /// The n-th entry of `Plan::creates`.
    New(usize),
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) rows: usize,
    pub(crate) blank_rows: usize,
    pub(crate) columns: Vec<String>,
    pub(crate) ignored: Vec<String>,
    pub(crate) errors: Vec<RowError>,
    pub(crate) creates: Vec<ValidUser>,
    pub(crate) updates: Vec<(String, ValidUser)>,
    pub(crate) unchanged: usize,
    /// Group display names to create, in order of first appearance.
    pub(crate) new_groups: Vec<String>,
    /// (group key, member, add?)
    pub(crate) memberships: Vec<(String, Member, bool)>,
    pub(crate) sample: Vec<RowPlan>,
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The directory users as they are when planning starts, by email key. Loaded once for an
/// import planned in several parts (the parts name different users, so what an earlier part
/// wrote never changes what a later one sees).
pub(crate) struct Existing {
    rows: Vec<UserRow>,
    by_key: HashMap<String, usize>,
}

impl Existing {
    pub(crate) async fn load(conn: &mut SqliteConnection) -> Result<Self, DirectoryError> {
        let rows = users::all_rows(&mut *conn).await?;
        let by_key = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (email_key(&r.email), i))
            .collect();
        Ok(Self { rows, by_key })
    }

    /// The user with this email key.
    pub(crate) fn get(&self, key: &str) -> Option<&UserRow> {
        self.by_key.get(key).and_then(|&i| self.rows.get(i))
    }
}

/// Reads the source (which sees the existing users, by email key) and checks every row against
/// the database as it is on `conn`. Writes nothing.
pub(crate) async fn plan<F>(conn: &mut SqliteConnection, read: F) -> Result<Plan, DirectoryError>
where
    F: FnOnce(&Existing) -> Result<Read, DirectoryError>,
{
    let existing = Existing::load(&mut *conn).await?;
    plan_against(conn, &existing, read).await
}

/// [`plan`] against directory users already loaded.
pub(crate) async fn plan_against<F>(
    conn: &mut SqliteConnection,
    existing: &Existing,
    read: F,
) -> Result<Plan, DirectoryError>
where
    F: FnOnce(&Existing) -> Result<Read, DirectoryError>,
{
    let read = read(existing)?;
    let group_ids = groups::existing_ids(&mut *conn).await?;
    let group_of_id: HashMap<&str, &str> = group_ids
        .iter()
        .map(|(k, id)| (id.as_str(), k.as_str()))
        .collect();
    let mut current: HashMap<String, HashSet<String>> = HashMap::new();
    if read.has_groups {
        let pairs: Vec<(String, String)> =
            sqlx::query_as("SELECT user_id, group_id FROM group_members")
                .fetch_all(&mut *conn)
                .await?;
        for (user_id, group_id) in pairs {
            if let Some(key) = group_of_id.get(group_id.as_str()) {
                current
                    .entry(user_id)
                    .or_default()
                    .insert((*key).to_owned());
            }
        }
    }

    let mut plan = Plan {
        rows: read.count,
        blank_rows: read.blank,
        columns: read.columns.clone(),
        ignored: read.ignored.clone(),
        ..Default::default()
    };
    let seen: HashSet<String> = read.rows.iter().map(|r| email_key(&r.email)).collect();
    let parsed = read.rows;
    // Federation IDs must stay unique: those of users the file does not mention stay as they are.
    let mut fed_owner: HashMap<String, String> = existing
        .rows
        .iter()
        .filter(|r| !seen.contains(&email_key(&r.email)))
        .filter_map(|r| r.federation_id.clone().map(|f| (f, r.email.clone())))
        .collect();

    let mut new_group_keys: HashSet<String> = HashSet::new();
    for row in parsed {
        let mut result = row.result;
        if let Ok((valid, _)) = &result {
            if let Some(fed) = &valid.fields.federation_id {
                match fed_owner.get(fed) {
                    Some(owner) if email_key(owner) != valid.email_key => {
                        result = Err(format!(
                            "the Federation ID {fed:?} already belongs to {owner}; each user needs its own"
                        ));
                    }
                    _ => {
                        fed_owner.insert(fed.clone(), valid.fields.email.clone());
                    }
                }
            }
        }
        let action = match result {
            Err(message) => {
                plan.errors.push(RowError {
                    line: row.line,
                    email: row.email.clone(),
                    message,
                });
                RowAction::Error
            }
            Ok((valid, wanted)) => {
                let old = existing.get(&valid.email_key);
                let member = match old {
                    Some(r) => Member::Existing {
                        id: r.id.clone(),
                        email: valid.fields.email.clone(),
                    },
                    None => Member::New(plan.creates.len()),
                };
                if let Some(wanted) = wanted {
                    let have = old
                        .and_then(|r| current.get(&r.id))
                        .cloned()
                        .unwrap_or_default();
                    let want: HashSet<String> = wanted.iter().map(|n| group_key(n)).collect();
                    for name in &wanted {
                        let k = group_key(name);
                        if !group_ids.contains_key(&k) && new_group_keys.insert(k.clone()) {
                            plan.new_groups.push(name.clone());
                        }
                        if !have.contains(&k) {
                            plan.memberships.push((k, member.clone(), true));
                        }
                    }
                    for k in have.difference(&want) {
                        plan.memberships.push((k.clone(), member.clone(), false));
                    }
                }
                match old {
                    None => {
                        plan.creates.push(valid);
                        RowAction::Create
                    }
                    Some(r) if r.input() == valid.fields => {
                        plan.unchanged += 1;
                        RowAction::Unchanged
                    }
                    Some(r) => {
                        plan.updates.push((r.id.clone(), valid));
                        RowAction::Update
                    }
                }
            }
        };
        if plan.sample.len() < SAMPLE_ROWS {
            plan.sample.push(RowPlan {
                line: row.line,
                email: row.email,
                action,
            });
        }
    }
    Ok(plan)
}

impl Plan {
    pub(crate) fn preview(self) -> ImportPreview {
        let added = self.memberships.iter().filter(|m| m.2).count();
        ImportPreview {
            rows: count(self.rows),
            blank_rows: count(self.blank_rows),
            creates: count(self.creates.len()),
            updates: count(self.updates.len()),
            unchanged: count(self.unchanged),
            new_groups: self.new_groups,
            memberships_added: count(added),
            memberships_removed: count(self.memberships.len() - added),
            columns: self.columns,
            ignored_columns: self.ignored,
            error_count: count(self.errors.len()),
            errors: self.errors.into_iter().take(MAX_LISTED_ERRORS).collect(),
            sample: self.sample,
        }
    }
}

/// Writes a plan on `conn`, which must be inside a transaction: the caller commits only when
/// this returns Ok, so a failure anywhere leaves the database as it was. With `all_or_nothing`
/// a plan with any bad row is refused whole (the CSV import); otherwise the good rows are
/// written and the bad ones left out (the import from a SCIM target lists them).
pub(crate) async fn commit_plan(
    conn: &mut SqliteConnection,
    plan: Plan,
    now: DateTime<Utc>,
    all_or_nothing: bool,
) -> Result<Committed, DirectoryError> {
    if let Some(first) = plan.errors.first().filter(|_| all_or_nothing) {
        return Err(DirectoryError::CsvHasErrors {
            count: plan.errors.len(),
            first_line: u64::from(first.line),
            first_message: first.message.clone(),
        });
    }
    let (group_ids, groups_created) = groups::ensure(&mut *conn, &plan.new_groups, now).await?;
    let new_ids = users::insert_many(&mut *conn, &plan.creates, now).await?;
    users::update_many(&mut *conn, &plan.updates, now).await?;

    let mut adds: Vec<(&str, String, String)> = Vec::new(); // (group id, user id, email)
    let mut feed: Vec<Change> = Vec::new();
    let mut removed = 0usize;
    for (key, member, add) in &plan.memberships {
        let Some(group_id) = group_ids.get(key) else {
            continue;
        };
        let (user_id, email) = match member {
            Member::Existing { id, email } => (id.clone(), email.clone()),
            Member::New(i) => match (new_ids.get(*i), plan.creates.get(*i)) {
                (Some(id), Some(u)) => (id.clone(), u.fields.email.clone()),
                _ => continue,
            },
        };
        if *add {
            feed.push(Change::member(
                ChangeKind::MemberAdded,
                group_id,
                &user_id,
                &email,
            ));
            adds.push((group_id.as_str(), user_id, email));
        } else {
            sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
                .bind(group_id)
                .bind(&user_id)
                .execute(&mut *conn)
                .await?;
            feed.push(Change::member(
                ChangeKind::MemberRemoved,
                group_id,
                &user_id,
                &email,
            ));
            removed += 1;
        }
    }
    for chunk in adds.chunks(3000) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO group_members (group_id, user_id, added_at) ");
        q.push_values(chunk, |mut row, (group_id, user_id, _)| {
            row.push_bind(*group_id)
                .push_bind(user_id.as_str())
                .push_bind(now);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    changes::record(&mut *conn, now, &feed).await?;
    let summary = ImportSummary {
        created: count(plan.creates.len()),
        updated: count(plan.updates.len()),
        unchanged: count(plan.unchanged),
        groups_created: count(groups_created),
        memberships_added: count(adds.len()),
        memberships_removed: count(removed),
    };
    let written = new_ids
        .into_iter()
        .zip(plan.creates)
        .chain(plan.updates)
        .map(|(id, u)| (u.email_key, (id, u.fields)))
        .collect();
    Ok(Committed { summary, written })
}
