//! One page of the users table, sorted, searched and filtered by SQLite, so the window fetches
//! only the rows it shows (100,000 users are ~62 MB of JSON; a page of 200 is ~120 KB).
//!
//! Search: every whitespace-separated term must appear (case-insensitively, ASCII) somewhere in
//! the email, names, department, job title, company, employee id, city or Federation ID. Those
//! fields live, joined, in the FTS5 trigram table `users_search` (migration 0004, kept in sync by
//! triggers): `text LIKE '%term%'` reads its index for terms of 3+ characters and scans the
//! narrow table otherwise (see `examples/bench_directory.rs` for figures). Ordering is stable:
//! every sort ends with the user id (the email alone for the email sort, which is unique).

use super::users::{User, UserRow};
use super::{group_key, DirectoryError};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// The most rows one page may hold.
pub const MAX_PAGE: u32 = 500;
/// The most search terms and sort columns honoured (the rest are ignored); the import table's
/// query keeps the same bounds.
const MAX_TERMS: usize = 8;
pub(crate) const MAX_SORTS: usize = 3;
/// Longest search text considered, in characters.
const MAX_SEARCH_CHARS: usize = 200;

/// The words of a search box's text, bounded: the first [`MAX_TERMS`] words of its first
/// [`MAX_SEARCH_CHARS`] characters.
pub(crate) fn search_words(search: &str) -> impl Iterator<Item = &str> {
    let end = search
        .char_indices()
        .nth(MAX_SEARCH_CHARS)
        .map_or(search.len(), |(i, _)| i);
    search[..end].split_whitespace().take(MAX_TERMS)
}

/// The columns the users table can sort by (the ids are the UI's column ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UserSortKey {
    Email,
    Displayname,
    Department,
    JobTitle,
    Company,
    Locality,
    Status,
    FederationId,
    EmployeeIdentifier,
}

impl UserSortKey {
    fn sql(self) -> &'static str {
        match self {
            UserSortKey::Email => "u.email_key",
            UserSortKey::Displayname => "u.displayname COLLATE NOCASE",
            UserSortKey::Department => "u.department COLLATE NOCASE",
            UserSortKey::JobTitle => "u.job_title COLLATE NOCASE",
            UserSortKey::Company => "u.company COLLATE NOCASE",
            UserSortKey::Locality => "u.locality COLLATE NOCASE",
            UserSortKey::Status => "u.suspended",
            UserSortKey::FederationId => "coalesce(u.federation_id, '') COLLATE NOCASE",
            UserSortKey::EmployeeIdentifier => "u.employee_identifier COLLATE NOCASE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserSort {
    pub by: UserSortKey,
    pub desc: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Suspended,
}

/// Which users, in which order, and which slice of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct UserQuery {
    /// Whitespace-separated terms; each must appear somewhere (see the module notes).
    pub search: String,
    pub status: Option<UserStatus>,
    /// Exact department name.
    pub department: Option<String>,
    /// Group name (any case).
    pub group: Option<String>,
    /// Sort columns, most significant first (at most 3 are used); none = by email.
    pub sort: Vec<UserSort>,
    pub offset: u32,
    /// At most [`MAX_PAGE`]; 0 returns only the counts.
    pub limit: u32,
}

/// One page of users, with the counts the table shows ("Showing total of all").
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserPage {
    /// The change-feed mark read before the page: a newer one means the page may be stale.
    pub mark: u32,
    /// Users matching the query.
    pub total: u32,
    /// Users in the directory.
    pub all: u32,
    pub offset: u32,
    pub rows: Vec<User>,
}

/// What the filters offer: distinct departments and the groups (with member counts).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DirectoryFacets {
    pub mark: u32,
    /// Users in the directory.
    pub users: u32,
    /// Non-empty departments, sorted without regard to case.
    pub departments: Vec<String>,
    pub groups: Vec<super::Group>,
}

/// One search term as a LIKE pattern over `users_search.text`.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pattern: String,
    /// Has `%`, `_` or `\\` (escaped): the ESCAPE clause keeps SQLite off the trigram index.
    escaped: bool,
    /// Answer through the trigram index. Only for terms of 3+ characters, and not for terms
    /// most users match: walking the index for those is slower than reading the narrow table
    /// (~650 ms against ~25 ms for "user0" in 100,000 users), see [`plan_search`].
    indexed: bool,
    /// The term's trigrams, lower-cased (what `users_search_vocab` counts).
    trigrams: Vec<String>,
}

/// A term whose rarest trigram is in more than 1/BROAD_SHARE of the users is matched by a scan.
const BROAD_SHARE: i64 = 5;

/// The search terms, bounded (their index use is decided by [`plan_search`]).
fn terms(search: &str) -> Vec<Term> {
    search_words(search)
        .map(|t| {
            let mut p = String::with_capacity(t.len() + 2);
            let mut escaped = false;
            p.push('%');
            for c in t.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    p.push('\\');
                    escaped = true;
                }
                p.push(c);
            }
            p.push('%');
            let lower: Vec<char> = t.to_lowercase().chars().collect();
            let trigrams: Vec<String> = lower.windows(3).map(|w| w.iter().collect()).collect();
            Term {
                pattern: p,
                escaped,
                indexed: !escaped && !trigrams.is_empty(),
                trigrams,
            }
        })
        .collect()
}

/// The search terms, each marked for the index only when its rarest trigram is in at most a
/// fifth of the `all` users (from the FTS5 vocabulary table: one indexed look-up per trigram).
pub(crate) async fn plan_search(
    conn: &mut SqliteConnection,
    search: &str,
    all: u32,
) -> Result<Vec<Term>, DirectoryError> {
    let mut terms = terms(search);
    for t in terms.iter_mut().filter(|t| t.indexed) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT coalesce(min(n), 0) FROM (SELECT coalesce((SELECT doc FROM users_search_vocab WHERE term = x.value), 0) AS n FROM json_each(",
        );
        q.push_bind(serde_json::to_string(&t.trigrams).unwrap_or_else(|_| "[]".into()));
        q.push(") x)");
        let rarest: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
        t.indexed = rarest * BROAD_SHARE <= i64::from(all);
    }
    Ok(terms)
}

/// How the filters are written for SQLite's planner.
#[derive(Clone, Copy)]
enum Shape {
    /// Counting: the group as `IN` (one pass over its members), the search through the index.
    Count,
    /// A page of few matches: read the matches, then sort them.
    PageFew,
    /// A page of many matches: walk the sort's index and test each row (the search as a set
    /// probed with `+rowid IN`, the group as `EXISTS`), stopping when the page is full.
    PageMany,
    /// Like `PageMany`, but each row walked looks up its own search text instead of the search
    /// being collected as a set first: for pages reached after few rows (a broad term such as
    /// "u" fills the first page after ~200 rows, where collecting the set reads all 100,000).
    PageProbe,
}

/// `PageProbe` when walking to the page's end should test at most this many rows.
const PROBE_ROWS: u64 = 1_000;

/// Above this many matches a page walks the sort order instead of sorting the matches.
const MANY: u32 = 2_000;

/// Appends `text LIKE ? AND …` over users_search, one per search term (`scan`: never through
/// the trigram index).
fn push_terms(q: &mut QueryBuilder<'_, Sqlite>, terms: &[Term], scan: bool) {
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            q.push(" AND ");
        }
        // `+text` is an expression, not the column: SQLite then scans instead of asking FTS5.
        q.push(if t.indexed && !scan {
            "text LIKE "
        } else {
            "+text LIKE "
        });
        q.push_bind(t.pattern.clone());
        if t.escaped {
            q.push(" ESCAPE '\\'");
        }
    }
}

/// Appends ` WHERE …` for the query's search and filters (nothing when there are none).
fn push_where<'a>(
    q: &mut QueryBuilder<'a, Sqlite>,
    query: &'a UserQuery,
    terms: &[Term],
    shape: Shape,
) {
    let mut first = true;
    let mut and = |q: &mut QueryBuilder<'a, Sqlite>| {
        q.push(if first { " WHERE " } else { " AND " });
        first = false;
    };
    if !terms.is_empty() {
        and(q);
        q.push(match shape {
            Shape::PageProbe => "EXISTS (SELECT 1 FROM users_search s WHERE s.rowid = u.rowid AND ",
            Shape::PageMany => "+u.rowid IN (SELECT rowid FROM users_search WHERE ",
            Shape::Count | Shape::PageFew => "u.rowid IN (SELECT rowid FROM users_search WHERE ",
        });
        push_terms(q, terms, matches!(shape, Shape::PageProbe));
        q.push(")");
    }
    // A unary + keeps SQLite from answering a filter through its index, so a page of many
    // matches walks the sort's index instead (and stops when full) rather than sorting them all.
    let plus = if matches!(shape, Shape::PageMany | Shape::PageProbe) {
        "+"
    } else {
        ""
    };
    if let Some(status) = query.status {
        and(q);
        q.push(plus);
        q.push(match status {
            UserStatus::Active => "u.suspended = 0",
            UserStatus::Suspended => "u.suspended = 1",
        });
    }
    if let Some(d) = query.department.as_deref() {
        and(q);
        q.push(plus);
        q.push("u.department = ");
        q.push_bind(d);
    }
    if let Some(g) = query.group.as_deref() {
        and(q);
        let exists = matches!(shape, Shape::PageMany | Shape::PageProbe);
        q.push(if exists {
            "EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = u.id AND m.group_id = (SELECT g.id FROM groups g WHERE g.name_key = "
        } else {
            "u.id IN (SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name_key = "
        });
        q.push_bind(group_key(g));
        q.push(if exists { "))" } else { ")" });
    }
}

fn push_order(q: &mut QueryBuilder<'_, Sqlite>, sort: &[UserSort]) {
    let sort = &sort[..sort.len().min(MAX_SORTS)];
    q.push(" ORDER BY ");
    if sort.is_empty() {
        q.push("u.email_key");
        return;
    }
    for s in sort {
        q.push(s.by.sql());
        q.push(if s.desc { " DESC, " } else { " ASC, " });
    }
    // The tie-break follows the last column's direction so an index on (column, id) serves both.
    let last_desc = sort.last().is_some_and(|s| s.desc);
    q.push(if last_desc { "u.id DESC" } else { "u.id ASC" });
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// How many users match `query`.
pub(crate) async fn count_matching(
    conn: &mut SqliteConnection,
    query: &UserQuery,
    terms: &[Term],
) -> Result<u32, DirectoryError> {
    let only_search = query.status.is_none() && query.department.is_none() && query.group.is_none();
    let only_group = query.status.is_none() && query.department.is_none() && terms.is_empty();
    let mut q = if let (true, Some(g)) = (only_group, query.group.as_deref()) {
        // Every member is a user: count the group's members, without the join.
        let mut q = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name_key = ");
        q.push_bind(group_key(g));
        q
    } else if only_search && !terms.is_empty() {
        // Every users row has one users_search row: count there, without the join.
        let mut q = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM users_search WHERE ");
        push_terms(&mut q, terms, false);
        q
    } else {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM users u");
        push_where(&mut q, query, terms, Shape::Count);
        q
    };
    let n: i64 = q.build_query_scalar().fetch_one(conn).await?;
    Ok(count(n))
}

/// How many users there are.
pub async fn count_all(conn: &mut SqliteConnection) -> Result<u32, DirectoryError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(conn)
        .await?;
    Ok(count(n))
}

/// The slice `offset .. offset + limit` of the users matching `query`, in its order.
/// `total` is how many match (from [`count_matching`]) and `all` how many users there are: they
/// pick the plan.
pub(crate) async fn page(
    conn: &mut SqliteConnection,
    query: &UserQuery,
    terms: &[Term],
    total: u32,
    all: u32,
) -> Result<Vec<User>, DirectoryError> {
    let limit = query.limit.min(MAX_PAGE);
    if limit == 0 || query.offset >= total {
        return Ok(Vec::new());
    }
    // Rows the sort order must be walked through to fill the page, if matches are spread evenly.
    let walked = u64::from(query.offset + limit) * u64::from(all) / u64::from(total.max(1));
    let shape = if total <= MANY {
        Shape::PageFew
    } else if !terms.is_empty() && walked <= PROBE_ROWS {
        Shape::PageProbe
    } else {
        Shape::PageMany
    };
    // Pick the page's ids first (a sort over the bare columns), then read those rows in full:
    // the group names are looked up for the page's rows only.
    let mut q = QueryBuilder::<Sqlite>::new("SELECT u.id FROM users u");
    push_where(&mut q, query, terms, shape);
    push_order(&mut q, &query.sort);
    q.push(" LIMIT ");
    q.push_bind(i64::from(limit));
    q.push(" OFFSET ");
    q.push_bind(i64::from(query.offset));
    let ids: Vec<String> = q.build_query_scalar().fetch_all(&mut *conn).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Sqlite>::new(super::users::SELECT);
    q.push(" WHERE u.id IN (");
    let mut list = q.separated(", ");
    for id in &ids {
        list.push_bind(id.as_str());
    }
    q.push(")");
    let rows: Vec<UserRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut by_id: std::collections::HashMap<String, UserRow> =
        rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(UserRow::into_user)
        .collect())
}

/// The ids of every user matching `query`, in its order (for "select all").
pub async fn ids(
    conn: &mut SqliteConnection,
    query: &UserQuery,
) -> Result<Vec<String>, DirectoryError> {
    let all = count_all(&mut *conn).await?;
    let terms = plan_search(&mut *conn, &query.search, all).await?;
    let mut q = QueryBuilder::<Sqlite>::new("SELECT u.id FROM users u");
    push_where(&mut q, query, &terms, Shape::PageFew);
    push_order(&mut q, &query.sort);
    Ok(q.build_query_scalar().fetch_all(conn).await?)
}

/// Non-empty departments, sorted without regard to case.
pub async fn departments(conn: &mut SqliteConnection) -> Result<Vec<String>, DirectoryError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT department FROM users WHERE department <> '' ORDER BY department COLLATE NOCASE, department",
    )
    .fetch_all(conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_bounded_in_characters_and_in_number() {
        let many = (0..20)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(search_words(&many).count(), MAX_TERMS);
        let long = format!("{} tail", "é".repeat(MAX_SEARCH_CHARS));
        let words: Vec<&str> = search_words(&long).collect();
        assert_eq!(
            words,
            ["é".repeat(MAX_SEARCH_CHARS)],
            "cut at a character, past which nothing counts"
        );
        assert_eq!(search_words("  a\tb ").collect::<Vec<_>>(), ["a", "b"]);
    }
}
