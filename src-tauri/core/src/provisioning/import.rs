//! Importing the target's existing users into the directory (the "manual import"): list them a
//! page at a time with their status (New, Imported, Matches), then import a selection through the
//! directory's own import pipeline with the mapping read backwards, linking each to its remote id
//! in the same transaction and marking the changes as an import, so provisioning does not push
//! them back.

use super::client::ScimClient;
use super::connection::Capabilities;
use super::links::{self, UserLink};
use super::mapping::{self, AttributeChange, Managed};
use super::remote::{self, Cursor};
use super::ProvisioningError;
use crate::directory::access::AuthorizedUser;
use crate::directory::changes::{self, Change, ChangeKind, ChangeSource};
use crate::directory::import::{self, Read, SourceRow};
use crate::directory::users::UserInput;
use crate::directory::{email_key, groups, RowError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// No directory user has this username.
    New,
    /// A directory user is linked to this remote user.
    Imported,
    /// A directory user has this username but is not linked; `differences` says how they differ.
    Matches,
}

/// One remote user as the import table shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RemoteRow {
    pub remote_id: String,
    pub username: String,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub profile: Option<String>,
    pub title: String,
    pub department: String,
    pub status: ImportStatus,
    /// Matches: directory value → the target's value, per attribute that differs.
    pub differences: Vec<AttributeChange>,
}

/// One page of the list, and where the next one starts (None: that was the last).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RemotePage {
    pub rows: Vec<RemoteRow>,
    pub next: Option<String>,
}

/// What to import.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportRequest {
    /// The usernames to import; None: every remote user.
    pub usernames: Option<Vec<String>>,
    /// Leave inactive remote users out (else they are imported as suspended).
    pub skip_inactive: bool,
    /// Matches whose directory user takes the target's values (else it is only linked).
    pub take_values: Vec<String>,
    /// Add the imported users to this group (created when missing) and bind it to the application.
    pub group: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportResult {
    pub created: u32,
    pub updated: u32,
    pub linked: u32,
    pub already_imported: u32,
    pub skipped_inactive: u32,
    pub not_found: Vec<String>,
    pub errors: Vec<RowError>,
    pub group: Option<String>,
    pub group_members_added: u32,
    /// Imported but not in a group bound to the application, so not linked (not managed yet).
    pub not_in_scope: u32,
}

fn cursor_text(c: &Cursor) -> String {
    match c {
        Cursor::After(Some(id)) => format!("after:{id}"),
        Cursor::After(None) => "after:".into(),
        Cursor::Start(n) => format!("start:{n}"),
    }
}

/// Reads a cursor the window passed back (None: the first page).
pub fn parse_cursor(text: Option<&str>, caps: Capabilities) -> Cursor {
    match text.and_then(|t| t.split_once(':')) {
        Some(("after", "")) => Cursor::After(None),
        Some(("after", id)) => Cursor::After(Some(id.to_owned())),
        Some(("start", n)) => Cursor::Start(n.parse().unwrap_or(1)),
        _ => Cursor::first(caps),
    }
}

/// The directory user a remote user becomes (the mapping, read backwards).
pub fn to_input(r: &Value) -> UserInput {
    let m = mapping::from_remote(r);
    let email = if m.email.eq_ignore_ascii_case(&m.user_name) && !m.email.is_empty() {
        m.email.clone()
    } else {
        m.user_name.clone()
    };
    UserInput {
        email,
        firstname: m.given_name,
        lastname: m.family_name,
        displayname: m.display_name,
        employee_type: m.user_type,
        job_title: m.title,
        employee_identifier: m.employee_number,
        department: m.department,
        company: m.organization,
        address: m.address.unwrap_or_default(),
        phone: m.phone.unwrap_or_default(),
        suspended: !m.active,
        password_expired: false,
        federation_id: None,
    }
}

fn as_authorized(id: &str, u: &UserInput) -> AuthorizedUser {
    AuthorizedUser {
        id: id.to_owned(),
        email: u.email.clone(),
        firstname: u.firstname.clone(),
        lastname: u.lastname.clone(),
        displayname: u.displayname.clone(),
        employee_type: u.employee_type.clone(),
        job_title: u.job_title.clone(),
        employee_identifier: u.employee_identifier.clone(),
        department: u.department.clone(),
        company: u.company.clone(),
        address: u.address.clone(),
        phone: u.phone.clone(),
        suspended: u.suspended,
        password_expired: u.password_expired,
        federation_id: u.federation_id.clone(),
    }
}

/// What the directory knows: users by email key (id and editable fields), and linked remote ids.
pub struct Known {
    pub users: HashMap<String, (String, UserInput)>,
    pub linked_remote: HashSet<String>,
}

pub async fn known(conn: &mut SqliteConnection, app_id: &str) -> Result<Known, ProvisioningError> {
    let rows = crate::directory::users::all_rows(&mut *conn)
        .await
        .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
    let users = rows
        .iter()
        .map(|r| (email_key(&r.email), (r.id.clone(), r.input())))
        .collect();
    let linked_remote = links::user_links(conn, app_id)
        .await?
        .into_values()
        .map(|l| l.remote_id)
        .collect();
    Ok(Known {
        users,
        linked_remote,
    })
}

/// The table row of a remote user.
pub fn row(r: &Value, known: &Known) -> RemoteRow {
    let m = mapping::from_remote(r);
    let id = r
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let profile = r
        .get("entitlements")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(|e| e.get("display").or_else(|| e.get("value")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let (status, differences) = if known.linked_remote.contains(&id) {
        (ImportStatus::Imported, Vec::new())
    } else if let Some((uid, input)) = known.users.get(&email_key(&m.user_name)) {
        let mine = mapping::managed(&as_authorized(uid, input));
        let theirs = mapping::comparable(&m, &mine);
        let mut d = mapping::diff(&mine, &theirs);
        d.retain(|c| c.attribute != "externalId");
        (ImportStatus::Matches, d)
    } else {
        (ImportStatus::New, Vec::new())
    };
    let name = [m.given_name.as_str(), m.family_name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    RemoteRow {
        remote_id: id,
        username: m.user_name.clone(),
        name,
        email: m.email.clone(),
        active: m.active,
        profile,
        title: m.title,
        department: m.department,
        status,
        differences,
    }
}

/// One page of the target's users with their status.
pub async fn page(
    client: &ScimClient,
    caps: Capabilities,
    cursor: &Cursor,
    known: &Known,
) -> Result<(Vec<RemoteRow>, Vec<Value>, Option<String>), ProvisioningError> {
    let (list, next) = remote::users_page(client, caps, cursor).await?;
    let rows = list.iter().map(|r| row(r, known)).collect();
    Ok((rows, list, next.as_ref().map(cursor_text)))
}

/// Imports the chosen remote users in one transaction on `conn` (the caller commits).
pub async fn import(
    conn: &mut SqliteConnection,
    app_id: &str,
    app_name: &str,
    chosen: &[Value],
    req: &ImportRequest,
    now: DateTime<Utc>,
) -> Result<ImportResult, ProvisioningError> {
    let mut result = ImportResult::default();
    let known = known(&mut *conn, app_id).await?;
    let take: HashSet<String> = req.take_values.iter().map(|u| email_key(u)).collect();
    // (email key, remote id, remote user, status)
    let mut selected: Vec<(String, String, &Value, ImportStatus)> = Vec::new();
    for r in chosen {
        let m = mapping::from_remote(r);
        let id = r
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if known.linked_remote.contains(&id) {
            result.already_imported += 1;
            continue;
        }
        if req.skip_inactive && !m.active {
            result.skipped_inactive += 1;
            continue;
        }
        let key = email_key(&m.user_name);
        let status = if known.users.contains_key(&key) {
            ImportStatus::Matches
        } else {
            ImportStatus::New
        };
        selected.push((key, id, r, status));
    }
    let mark = changes::latest_id(&mut *conn)
        .await
        .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
    let mut position = 0u32;
    let plan = import::plan(&mut *conn, |existing| {
        let mut read = Read::default();
        for (key, _, r, status) in &selected {
            position += 1;
            let input = match (status, existing.get(key)) {
                (ImportStatus::Matches, Some(old)) if !take.contains(key) => old.input(),
                (ImportStatus::Matches, Some(old)) => {
                    // The target's values, but the directory's own Federation ID stays.
                    let mut i = to_input(r);
                    i.federation_id = old.federation_id.clone();
                    i
                }
                _ => to_input(r),
            };
            read.count += 1;
            read.rows.push(SourceRow {
                line: position,
                email: input.email.clone(),
                result: input.validate_all().map(|v| (v, None)).map_err(|errs| {
                    errs.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
            });
        }
        Ok(read)
    })
    .await
    .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
    let bad: HashSet<String> = plan.errors.iter().map(|e| email_key(&e.email)).collect();
    result.errors = plan.errors.clone();
    let summary = import::commit_plan(&mut *conn, plan, now, false)
        .await
        .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
    result.created = summary.created;
    result.updated = summary.updated;

    let after = known_users(&mut *conn).await?;
    // The directory users of the good rows (for the group and the links).
    let member_ids: Vec<(String, String)> = selected
        .iter()
        .filter(|(key, ..)| !bad.contains(key))
        .filter_map(|(key, ..)| {
            after
                .get(key)
                .map(|(uid, i)| (uid.clone(), i.email.clone()))
        })
        .collect();
    if let Some(name) = &req.group {
        let (ids, _) = groups::ensure(&mut *conn, std::slice::from_ref(name), now)
            .await
            .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
        let group_id = ids
            .get(&crate::directory::group_key(name))
            .cloned()
            .ok_or_else(|| {
                ProvisioningError::Internal(format!("the group {name:?} could not be made"))
            })?;
        groups::set_binding(&mut *conn, app_name, &group_id, true, now)
            .await
            .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
        // Who is in the group already, then the others in batches (an import is often large).
        let present: HashSet<String> =
            sqlx::query_scalar::<_, String>("SELECT user_id FROM group_members WHERE group_id = ?")
                .bind(&group_id)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
        let joining: Vec<&(String, String)> = member_ids
            .iter()
            .filter(|(uid, _)| !present.contains(uid))
            .collect();
        for chunk in joining.chunks(3000) {
            let mut q: sqlx::QueryBuilder<sqlx::Sqlite> =
                sqlx::QueryBuilder::new("INSERT INTO group_members (group_id, user_id, added_at) ");
            q.push_values(chunk, |mut row, (uid, _)| {
                row.push_bind(&group_id).push_bind(uid).push_bind(now);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *conn).await?;
        }
        let feed: Vec<Change> = joining
            .iter()
            .map(|(uid, email)| Change::member(ChangeKind::MemberAdded, &group_id, uid, email))
            .collect();
        result.group_members_added = u32::try_from(feed.len()).unwrap_or(u32::MAX);
        changes::record(&mut *conn, now, &feed)
            .await
            .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
        result.group = Some(name.clone());
    }
    // Link each good row to its remote id, with what provisioning would push now.
    // Only users in scope (in a group bound to the application) are linked: a link outside
    // scope would be deactivated by the next sync. The others are linked by the sync that
    // first finds them in scope (it matches by userName), so nobody is created twice.
    let in_scope: HashSet<String> = crate::directory::access::authorized_users(&mut *conn, app_id)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let existing_links = links::user_links(&mut *conn, app_id).await?;
    let mut new_links = Vec::new();
    for (key, remote_id, r, status) in &selected {
        if bad.contains(key) {
            continue;
        }
        let Some((uid, input)) = after.get(key) else {
            continue;
        };
        if !in_scope.contains(uid) {
            result.not_in_scope += 1;
            continue;
        }
        if let Some(other) = existing_links
            .get(uid)
            .filter(|l| &l.remote_id != remote_id)
        {
            result.errors.push(RowError {
                line: 0,
                email: input.email.clone(),
                message: format!("{} is already linked to the target's user {}; it was not linked to {remote_id} too.", input.email, other.remote_id),
            });
            continue;
        }
        let mine = mapping::managed(&as_authorized(uid, input));
        let pushed: Managed = if *status == ImportStatus::Matches && !take.contains(key) {
            // Linked only: the directory's values are pushed by the next sync.
            mapping::comparable(&mapping::from_remote(r), &mine)
        } else {
            mine
        };
        if *status == ImportStatus::Matches {
            result.linked += 1;
        }
        let mut link = UserLink::new(uid, remote_id, pushed);
        link.user_name = key.clone();
        new_links.push(link);
    }
    links::upsert_user_links(&mut *conn, app_id, &new_links, now).await?;

    changes::attribute_since(&mut *conn, mark, ChangeSource::SalesforceImport)
        .await
        .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
    Ok(result)
}

async fn known_users(
    conn: &mut SqliteConnection,
) -> Result<HashMap<String, (String, UserInput)>, ProvisioningError> {
    let rows = crate::directory::users::all_rows(conn)
        .await
        .map_err(|e| ProvisioningError::Internal(e.to_string()))?;
    Ok(rows
        .iter()
        .map(|r| (email_key(&r.email), (r.id.clone(), r.input())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_remote_user_reads_back_into_the_directorys_fields() {
        let r = json!({"id":"005x","userName":"ada@acme.example","name":{"givenName":"Ada","familyName":"Lovelace"},
            "displayName":"Ada Lovelace","emails":[{"value":"Ada@acme.example","primary":true}],"active":false,
            "title":"Analyst","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","organization":"Acme","employeeNumber":"7"}});
        let i = to_input(&r);
        assert_eq!(
            i.email, "Ada@acme.example",
            "the email keeps its case when it is the username"
        );
        assert_eq!(
            (i.firstname.as_str(), i.lastname.as_str()),
            ("Ada", "Lovelace")
        );
        assert_eq!(
            (
                i.job_title.as_str(),
                i.department.as_str(),
                i.company.as_str()
            ),
            ("Analyst", "R&D", "Acme")
        );
        assert_eq!(i.employee_identifier, "7");
        assert!(
            i.suspended,
            "an inactive remote user is imported as suspended"
        );
    }

    #[test]
    fn cursors_round_trip() {
        let caps = Capabilities {
            plural_config: true,
            entitlements: true,
            group_create_delete: false,
            id_paging: true,
            user_delete: false,
        };
        for c in [Cursor::After(Some("005a".into())), Cursor::Start(201)] {
            assert_eq!(parse_cursor(Some(&cursor_text(&c)), caps), c);
        }
        assert_eq!(parse_cursor(None, caps), Cursor::After(None));
    }
}
