//! Importing the target's existing users into the directory (the "manual import"): list them a
//! page at a time with their status (New, Imported, Matches), then import a selection through the
//! directory's own import pipeline with the mapping read backwards, linking each to its remote id
//! in the same transaction and marking the changes as an import, so provisioning does not push
//! them back.

use super::client::ScimClient;
use super::connection::Capabilities;
use super::links::{self, UserLink};
use super::mapping::{self, AttributeChange, Managed, RemoteUser};
use super::packed::{Field, PackedUser};
use super::remote::{self, Cursor};
use super::run::Cancel;
use super::ProvisioningError;
use crate::directory::access::AuthorizedUser;
use crate::directory::changes::{self, Change, ChangeKind, ChangeSource};
use crate::directory::import::{self, Read, SourceRow};
use crate::directory::users::UserInput;
use crate::directory::{email_key, groups, RowError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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

/// One page read into the listing the table shows: how many users it holds now, and where the
/// next page starts (None: that was the last).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListingRead {
    pub listed: u32,
    pub next: Option<String>,
}

/// Users of the import table's listing, by position.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListedUsers {
    /// The listing the positions are in ([`super::import_view::ImportView::listing`]).
    pub listing: u32,
    pub positions: Vec<u32>,
}

/// What to import.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportRequest {
    /// The usernames to import; None: every remote user.
    pub usernames: Option<Vec<String>>,
    /// Instead of `usernames`: the users at these positions of the listing the import table
    /// shows (its selection; see [`super::import_view::ImportIds`]).
    #[serde(default)]
    pub listed: Option<ListedUsers>,
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

/// A cursor as the window passes it back.
pub fn cursor_text(c: &Cursor) -> String {
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

/// The directory user a remote user becomes (its managed attributes, read back by the mapping).
pub fn to_input(m: &Managed) -> UserInput {
    let email = if m.email.eq_ignore_ascii_case(&m.user_name) && !m.email.is_empty() {
        &m.email
    } else {
        &m.user_name
    };
    UserInput {
        email: email.clone(),
        firstname: m.given_name.clone(),
        lastname: m.family_name.clone(),
        displayname: m.display_name.clone(),
        employee_type: m.user_type.clone(),
        job_title: m.title.clone(),
        employee_identifier: m.employee_number.clone(),
        department: m.department.clone(),
        company: m.organization.clone(),
        address: m.address.clone().unwrap_or_default(),
        phone: m.phone.clone().unwrap_or_default(),
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
    let linked_remote = links::remote_ids(conn, app_id)
        .await?
        .into_values()
        .collect();
    Ok(Known {
        users,
        linked_remote,
    })
}

/// A remote user's import status against what the directory knows, with the differences of a
/// Matches (directory value → the target's value).
pub fn status_of(r: &RemoteUser, known: &Known) -> (ImportStatus, Vec<AttributeChange>) {
    let m = &r.managed;
    if known.linked_remote.contains(&r.id) {
        (ImportStatus::Imported, Vec::new())
    } else if let Some((uid, input)) = known.users.get(&email_key(&m.user_name)) {
        let mine = mapping::managed(&as_authorized(uid, input));
        let theirs = mapping::comparable(m, &mine);
        let mut d = mapping::diff(&mine, &theirs);
        d.retain(|c| c.attribute != "externalId");
        (ImportStatus::Matches, d)
    } else {
        (ImportStatus::New, Vec::new())
    }
}

/// The name the table shows: given and family names, the empty ones left out.
pub fn display_name(m: &Managed) -> String {
    match (m.given_name.is_empty(), m.family_name.is_empty()) {
        (false, false) => format!("{} {}", m.given_name, m.family_name),
        (false, true) => m.given_name.clone(),
        (true, _) => m.family_name.clone(),
    }
}

/// A remote user as the table shows it, with its status.
pub fn table_row(
    r: &RemoteUser,
    status: ImportStatus,
    differences: Vec<AttributeChange>,
) -> RemoteRow {
    let m = &r.managed;
    RemoteRow {
        remote_id: r.id.clone(),
        username: m.user_name.clone(),
        name: display_name(m),
        email: m.email.clone(),
        active: m.active,
        profile: r.profile.clone(),
        title: m.title.clone(),
        department: m.department.clone(),
        status,
        differences,
    }
}

/// One page of the target's users, read back by the mapping (the page's JSON is dropped here),
/// and where the next page starts.
pub async fn users_page(
    client: &ScimClient,
    caps: Capabilities,
    cursor: &Cursor,
) -> Result<(Vec<RemoteUser>, Option<Cursor>), ProvisioningError> {
    let (list, next) = remote::users_page(client, caps, cursor).await?;
    Ok((list.iter().map(mapping::remote_user).collect(), next))
}

/// What an import did to one chosen user, for the import table's statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Not written: refused, or skipped as inactive.
    Untouched,
    /// Linked to its remote user (before the import, or by it).
    Linked,
    /// In the directory, not linked (outside the application's groups, or linked elsewhere).
    InDirectory,
}

/// An import writes this many users at a time (all in the caller's one transaction): each part
/// is read back, checked, written and linked, and dropped before the next, so a large import
/// holds one part's worth of users rather than several copies of the whole selection, and its
/// progress and a cancel are taken between parts. bench_import, 50,000 users, three runs each:
/// parts of 2,000 4.86-5.08 s, a 21.1 MiB heap peak and a 57 MiB process peak; parts of 1,000
/// 4.70-4.99 s, 18.2 and 50-52 MiB.
const PART: usize = 1_000;

/// What an import holds across its parts.
struct Context<'a> {
    app_id: &'a str,
    now: DateTime<Utc>,
    existing: import::Existing,
    /// Directory user id → remote id, of every user already linked.
    linked: HashMap<String, String>,
    /// Email keys whose Matches take the target's values.
    take: HashSet<String>,
    /// Users authorized for the application before the import.
    in_scope: HashSet<String>,
    /// The group the imported users join (bound to the application), and who was in it before.
    group: Option<(String, HashSet<String>)>,
    /// Users already linked to another remote user: listed after the rows the directory refused.
    link_errors: Vec<RowError>,
    /// What became of each candidate.
    written: Vec<Written>,
}

/// Imports the chosen remote users (each once: no two with one username) on `conn`, inside the
/// caller's transaction (the caller commits), and answers what became of each of them (in
/// `chosen`'s order). `progress` is told how many users are written after each part, out of
/// those to write (not already imported, not skipped as inactive); when `cancel` is set the
/// import stops between parts and answers None (the caller rolls back).
pub async fn import(
    conn: &mut SqliteConnection,
    app: &crate::apps::Application,
    chosen: &[&PackedUser],
    req: &ImportRequest,
    now: DateTime<Utc>,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: &Cancel,
) -> Result<Option<(ImportResult, Vec<Written>)>, ProvisioningError> {
    let internal = |e: &dyn std::fmt::Display| ProvisioningError::Internal(e.to_string());
    debug_assert!(
        {
            let mut keys = HashSet::new();
            chosen
                .iter()
                .all(|p| keys.insert(email_key(p.field(Field::UserName))))
        },
        "each user is chosen once"
    );
    let app_id = app.id.as_str();
    let mut result = ImportResult::default();
    let linked = links::remote_ids(&mut *conn, app_id).await?;
    let mut written = vec![Written::Untouched; chosen.len()];
    // (index in `chosen`, user)
    let candidates: Vec<(usize, &PackedUser)> = {
        let linked_remote: HashSet<&str> = linked.values().map(String::as_str).collect();
        chosen
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, p)| {
                if linked_remote.contains(p.field(Field::Id)) {
                    result.already_imported += 1;
                    written[*i] = Written::Linked;
                    false
                } else if req.skip_inactive && !p.active() {
                    result.skipped_inactive += 1;
                    false
                } else {
                    true
                }
            })
            .collect()
    };
    let mark = changes::latest_id(&mut *conn)
        .await
        .map_err(|e| internal(&e))?;
    let in_scope: HashSet<String> = crate::directory::access::authorized_ids(&mut *conn, app_id)
        .await?
        .into_iter()
        .collect();
    let group = match &req.group {
        Some(name) => {
            let (ids, _) = groups::ensure(&mut *conn, std::slice::from_ref(name), now)
                .await
                .map_err(|e| internal(&e))?;
            let group_id = ids
                .get(&crate::directory::group_key(name))
                .cloned()
                .ok_or_else(|| internal(&format!("the group {name:?} could not be made")))?;
            groups::set_binding(&mut *conn, &app.name, &group_id, true, now)
                .await
                .map_err(|e| internal(&e))?;
            let present: HashSet<String> = sqlx::query_scalar::<_, String>(
                "SELECT user_id FROM group_members WHERE group_id = ?",
            )
            .bind(&group_id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
            result.group = Some(name.clone());
            Some((group_id, present))
        }
        None => None,
    };
    let mut cx = Context {
        app_id,
        now,
        existing: import::Existing::load(&mut *conn)
            .await
            .map_err(|e| internal(&e))?,
        linked,
        take: req.take_values.iter().map(|u| email_key(u)).collect(),
        in_scope,
        group,
        link_errors: Vec::new(),
        written: vec![Written::InDirectory; candidates.len()],
    };
    let mut done = 0usize;
    for part in candidates.chunks(PART) {
        if cancel.is_cancelled() {
            return Ok(None);
        }
        // Unpacked a part at a time: the whole selection is never held unpacked.
        let users: Vec<RemoteUser> = part.iter().map(|(_, p)| p.unpack()).collect();
        let users: Vec<&RemoteUser> = users.iter().collect();
        import_part(&mut *conn, &mut cx, &users, done, &mut result).await?;
        done += part.len();
        progress(done, candidates.len());
    }
    if cancel.is_cancelled() {
        return Ok(None);
    }
    result.errors.append(&mut cx.link_errors);
    for (k, (i, _)) in candidates.iter().enumerate() {
        written[*i] = cx.written[k];
    }
    changes::attribute_since(&mut *conn, mark, ChangeSource::SalesforceImport)
        .await
        .map_err(|e| internal(&e))?;
    Ok(Some((result, written)))
}

/// One part of an import: read back, checked and written through the directory's pipeline,
/// added to the group, and linked. `before`: how many candidates earlier parts had (row numbers
/// in errors continue across parts).
async fn import_part(
    conn: &mut SqliteConnection,
    cx: &mut Context<'_>,
    part: &[&RemoteUser],
    before: usize,
    result: &mut ImportResult,
) -> Result<(), ProvisioningError> {
    let internal = |e: &dyn std::fmt::Display| ProvisioningError::Internal(e.to_string());
    // (email key, remote id, remote user, status)
    let mut selected: Vec<(String, &str, &Managed, ImportStatus)> = Vec::new();
    // The directory users the Matches are, as they are now (id and fields).
    let mut matched: HashMap<String, (String, UserInput)> = HashMap::new();
    let take = &cx.take;
    let plan = import::plan_against(&mut *conn, &cx.existing, |existing| {
        let mut read = Read::default();
        for (i, r) in part.iter().enumerate() {
            let m = &r.managed;
            let key = email_key(&m.user_name);
            let old = existing.get(&key);
            let input = match old {
                Some(old) if !take.contains(&key) => old.input(),
                Some(old) => {
                    // The target's values, but the directory's own Federation ID stays.
                    let mut i = to_input(m);
                    i.federation_id = old.federation_id.clone();
                    i
                }
                None => to_input(m),
            };
            let status = match old {
                Some(old) => {
                    matched.insert(key.clone(), (old.id.clone(), old.input()));
                    ImportStatus::Matches
                }
                None => ImportStatus::New,
            };
            read.count += 1;
            read.rows.push(SourceRow {
                line: u32::try_from(before + i + 1).unwrap_or(u32::MAX),
                email: input.email.clone(),
                result: input.validate_all().map(|v| (v, None)).map_err(|errs| {
                    errs.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
            });
            selected.push((key, &r.id, m, status));
        }
        Ok(read)
    })
    .await
    .map_err(|e| internal(&e))?;
    let bad: HashSet<String> = plan.errors.iter().map(|e| email_key(&e.email)).collect();
    result.errors.extend(plan.errors.iter().cloned());
    let committed = import::commit_plan(&mut *conn, plan, cx.now, false)
        .await
        .map_err(|e| internal(&e))?;
    result.created += committed.summary.created;
    result.updated += committed.summary.updated;

    // The directory users of the good rows as stored now: written by the import, else as they
    // were (for the group and the links).
    let after = |key: &str| committed.written.get(key).or_else(|| matched.get(key));
    if let Some((group_id, present)) = &cx.group {
        // Who was in the group before the import is skipped; the others join in batches. (Each
        // user is chosen once, so no part adds one an earlier part added: the set of members
        // does not grow with the import.)
        let joining: Vec<(String, String)> = selected
            .iter()
            .filter(|(key, ..)| !bad.contains(key))
            .filter_map(|(key, ..)| after(key))
            .filter(|(uid, _)| !present.contains(uid))
            .map(|(uid, i)| (uid.clone(), i.email.clone()))
            .collect();
        for chunk in joining.chunks(1000) {
            let mut q: sqlx::QueryBuilder<sqlx::Sqlite> =
                sqlx::QueryBuilder::new("INSERT INTO group_members (group_id, user_id, added_at) ");
            q.push_values(chunk, |mut row, (uid, _)| {
                row.push_bind(&*group_id).push_bind(uid).push_bind(cx.now);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *conn).await?;
        }
        let feed: Vec<Change> = joining
            .iter()
            .map(|(uid, email)| Change::member(ChangeKind::MemberAdded, group_id, uid, email))
            .collect();
        result.group_members_added += u32::try_from(feed.len()).unwrap_or(u32::MAX);
        changes::record(&mut *conn, cx.now, &feed)
            .await
            .map_err(|e| internal(&e))?;
    }
    // Link each good row to its remote id, with what provisioning would push now.
    // Only users in scope (in a group bound to the application) are linked: a link outside
    // scope would be deactivated by the next sync. The others are linked by the sync that
    // first finds them in scope (it matches by userName), so nobody is created twice. Scope is
    // who was authorized before the import, and everyone the import put in its bound group.
    let mut new_links = Vec::new();
    for (i, (key, remote_id, r, status)) in selected.iter().enumerate() {
        if bad.contains(key) {
            cx.written[before + i] = Written::Untouched;
            continue;
        }
        let Some((uid, input)) = after(key) else {
            cx.written[before + i] = Written::Untouched;
            continue;
        };
        if cx.group.is_none() && !cx.in_scope.contains(uid) {
            result.not_in_scope += 1;
            continue;
        }
        if let Some(other) = cx.linked.get(uid).filter(|l| l.as_str() != *remote_id) {
            cx.link_errors.push(RowError {
                line: 0,
                email: input.email.clone(),
                message: format!("{} is already linked to the target's user {other}; it was not linked to {remote_id} too.", input.email),
            });
            continue;
        }
        let mine = mapping::managed(&as_authorized(uid, input));
        let pushed: Managed = if *status == ImportStatus::Matches && !cx.take.contains(key) {
            // Linked only: the directory's values are pushed by the next sync.
            mapping::comparable(r, &mine)
        } else {
            mine
        };
        if *status == ImportStatus::Matches {
            result.linked += 1;
        }
        let mut link = UserLink::new(uid, remote_id, pushed);
        link.user_name = key.clone();
        new_links.push(link);
        cx.written[before + i] = Written::Linked;
    }
    links::upsert_user_links(&mut *conn, cx.app_id, &new_links, cx.now).await?;
    Ok(())
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
        let i = to_input(&mapping::from_remote(&r));
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
