//! The import table's view of a listing: which of the listed users a query shows (search,
//! status and active filters), in which order (the target's, or sorted by columns), and the
//! slice the window has in view. The users stay in the core; the window asks for the rows it
//! shows (200 at a time) and, for "select all" and shift-ranges, for the ids a query matches.

use super::import::{table_row, ImportStatus, RemoteRow};
use super::mapping::AttributeChange;
use super::packed::{Field, PackedUser};
use crate::directory::query::{search_words, MAX_SORTS};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;

/// The most rows one answer holds (as a page of the users table).
pub const MAX_ROWS: u32 = crate::directory::query::MAX_PAGE;

/// The columns the import table sorts by (the ids are the window's column ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportSortKey {
    Username,
    Name,
    Email,
    Active,
    Profile,
    Title,
    Department,
    /// New, then Matches, then Imported ("New users first").
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportSort {
    pub by: ImportSortKey,
    pub desc: bool,
}

/// Which listed users, in which order, and which slice of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ImportQuery {
    /// Whitespace-separated terms; each must appear (any case) in the username, name, email,
    /// profile, title or department.
    pub search: String,
    pub status: Option<ImportStatus>,
    /// true: active users only; false: inactive only.
    pub active: Option<bool>,
    /// Sort columns, most significant first (at most 3 are used); none: the target's order.
    pub sort: Vec<ImportSort>,
    pub offset: u32,
    /// At most [`MAX_ROWS`]; 0 answers only the counts.
    pub limit: u32,
}

impl ImportQuery {
    /// The same query without its slice: what decides the order.
    pub fn order_key(&self) -> ImportQuery {
        ImportQuery {
            offset: 0,
            limit: 0,
            ..self.clone()
        }
    }

    fn shows_all_in_order(&self) -> bool {
        self.status.is_none()
            && self.active.is_none()
            && self.sort.is_empty()
            && terms(&self.search).is_empty()
    }
}

/// The listing's counts, whatever the query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportCounts {
    /// Users listed so far.
    pub listed: u32,
    pub new: u32,
    pub matches: u32,
    pub imported: u32,
    pub inactive: u32,
}

/// One slice of the table.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportView {
    /// Which listing this is (each reading of the target is another): a selection names it.
    pub listing: u32,
    /// Users the query matches.
    pub total: u32,
    pub counts: ImportCounts,
    /// Every page of the target is listed.
    pub complete: bool,
    pub offset: u32,
    pub rows: Vec<RemoteRow>,
    /// Each row's position in the listing (what a selection names, see [`ImportIds`]).
    pub positions: Vec<u32>,
}

/// Every user a query matches, in its order, by position in the listing (a selection of 50,000
/// positions is a few hundred KB in the window; their ids and usernames would be megabytes),
/// and which of them are inactive.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportIds {
    /// The listing the positions are in ([`ImportView::listing`]).
    pub listing: u32,
    pub positions: Vec<u32>,
    pub inactive: Vec<u32>,
}

/// The listed users with their statuses (one per user) and the differences of the Matches
/// (by index).
pub struct Listed<'a> {
    pub users: &'a [PackedUser],
    pub statuses: &'a [ImportStatus],
    pub differences: &'a HashMap<usize, Vec<AttributeChange>>,
}

impl Listed<'_> {
    pub fn counts(&self) -> ImportCounts {
        let mut c = ImportCounts {
            listed: count(self.users.len()),
            ..Default::default()
        };
        for (u, s) in self.users.iter().zip(self.statuses) {
            match s {
                ImportStatus::New => c.new += 1,
                ImportStatus::Matches => c.matches += 1,
                ImportStatus::Imported => c.imported += 1,
            }
            if !u.active() {
                c.inactive += 1;
            }
        }
        c
    }

    /// The indexes of the users `q` matches, in its order (None: every user, in the target's).
    pub fn order(&self, q: &ImportQuery) -> Option<Vec<usize>> {
        if q.shows_all_in_order() {
            return None;
        }
        let terms = terms(&q.search);
        let mut text = String::new();
        let mut order: Vec<usize> = (0..self.users.len().min(self.statuses.len()))
            .filter(|&i| {
                let u = &self.users[i];
                q.status.is_none_or(|s| self.statuses[i] == s)
                    && q.active.is_none_or(|a| u.active() == a)
                    && (terms.is_empty() || {
                        searchable(u, &mut text);
                        terms.iter().all(|t| text.contains(t.as_str()))
                    })
            })
            .collect();
        let sort = &q.sort[..q.sort.len().min(MAX_SORTS)];
        if !sort.is_empty() {
            // Stable: ties keep the target's order.
            order.sort_by(|&a, &b| {
                sort.iter()
                    .map(|s| {
                        let o = self.compare(s.by, a, b);
                        if s.desc {
                            o.reverse()
                        } else {
                            o
                        }
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            });
        }
        Some(order)
    }

    fn compare(&self, by: ImportSortKey, a: usize, b: usize) -> Ordering {
        let (x, y) = (&self.users[a], &self.users[b]);
        let text = |f: Field| cmp_ci(x.field(f).chars(), y.field(f).chars());
        match by {
            ImportSortKey::Username => text(Field::UserName),
            ImportSortKey::Name => cmp_ci(name_chars(x), name_chars(y)),
            ImportSortKey::Email => text(Field::Email),
            // Active first, as the window's "Yes" before "No".
            ImportSortKey::Active => y.active().cmp(&x.active()),
            ImportSortKey::Profile => text(Field::Profile),
            ImportSortKey::Title => text(Field::Title),
            ImportSortKey::Department => text(Field::Department),
            ImportSortKey::Status => rank(self.statuses[a]).cmp(&rank(self.statuses[b])),
        }
    }

    /// The table row of the user at `i`.
    pub fn row(&self, i: usize) -> RemoteRow {
        let differences = self.differences.get(&i).cloned().unwrap_or_default();
        table_row(&self.users[i].unpack(), self.statuses[i], differences)
    }

    /// The slice `q` asks for, with the total it matches; `order` as [`Self::order`] made it.
    pub fn view(
        &self,
        q: &ImportQuery,
        order: Option<&[usize]>,
        listing: u32,
        complete: bool,
    ) -> ImportView {
        let total = order.map_or(self.users.len(), <[usize]>::len);
        let start = (q.offset as usize).min(total);
        let end = start
            .saturating_add(q.limit.min(MAX_ROWS) as usize)
            .min(total);
        let at: Vec<usize> = (start..end).map(|k| order.map_or(k, |o| o[k])).collect();
        ImportView {
            listing,
            total: count(total),
            counts: self.counts(),
            complete,
            offset: q.offset,
            rows: at.iter().map(|&i| self.row(i)).collect(),
            positions: at.into_iter().map(count).collect(),
        }
    }

    /// Every user `order` holds (None: all, in the target's order).
    pub fn ids(&self, order: Option<&[usize]>, listing: u32) -> ImportIds {
        let all: Vec<usize>;
        let order = match order {
            Some(o) => o,
            None => {
                all = (0..self.users.len()).collect();
                &all
            }
        };
        ImportIds {
            listing,
            positions: order.iter().map(|&i| count(i)).collect(),
            inactive: order
                .iter()
                .filter(|&&i| !self.users[i].active())
                .map(|&i| count(i))
                .collect(),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn rank(s: ImportStatus) -> u8 {
    match s {
        ImportStatus::New => 0,
        ImportStatus::Matches => 1,
        ImportStatus::Imported => 2,
    }
}

/// The search's terms, lower-cased (bounded as the users table's search).
fn terms(search: &str) -> Vec<String> {
    search_words(search).map(str::to_lowercase).collect()
}

/// The text a search looks in (username, names, email, profile, title, department: the packed
/// fields after the id), lower-cased into `out` (reused from user to user).
fn searchable(u: &PackedUser, out: &mut String) {
    out.clear();
    for f in [
        Field::UserName,
        Field::GivenName,
        Field::FamilyName,
        Field::Email,
        Field::Profile,
        Field::Title,
        Field::Department,
    ] {
        let f = u.field(f);
        if f.is_ascii() {
            let at = out.len();
            out.push_str(f);
            out[at..].make_ascii_lowercase();
        } else {
            out.extend(f.chars().flat_map(char::to_lowercase));
        }
        out.push('\n');
    }
}

/// The name the table shows (given and family names, the empty ones left out), as characters.
fn name_chars(u: &PackedUser) -> impl Iterator<Item = char> + '_ {
    let (given, family) = (u.field(Field::GivenName), u.field(Field::FamilyName));
    let gap = (!given.is_empty() && !family.is_empty()).then_some(' ');
    given.chars().chain(gap).chain(family.chars())
}

/// Compares without regard to case (and without allocating).
fn cmp_ci(a: impl Iterator<Item = char>, b: impl Iterator<Item = char>) -> Ordering {
    a.flat_map(char::to_lowercase)
        .cmp(b.flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::super::mapping::{Managed, RemoteUser};
    use super::*;

    fn user(id: &str, name: &str, given: &str, active: bool, dept: &str) -> PackedUser {
        PackedUser::pack(&RemoteUser {
            id: id.into(),
            managed: Managed {
                user_name: name.into(),
                given_name: given.into(),
                family_name: "Lee".into(),
                email: name.into(),
                active,
                department: dept.into(),
                ..Default::default()
            },
            profile: Some("Standard User".into()),
        })
    }

    fn fixture() -> (
        Vec<PackedUser>,
        Vec<ImportStatus>,
        HashMap<usize, Vec<AttributeChange>>,
    ) {
        let users = vec![
            user("1", "cy@x.io", "Cy", true, "Sales"),
            user("2", "ann@x.io", "Ann", false, "ops"),
            user("3", "Bo@x.io", "Bo", true, "Ops"),
            user("4", "dee@x.io", "Dee", true, "Sales"),
        ];
        let statuses = vec![
            ImportStatus::Imported,
            ImportStatus::New,
            ImportStatus::Matches,
            ImportStatus::New,
        ];
        let differences = HashMap::from([(
            2,
            vec![AttributeChange {
                attribute: "title".into(),
                before: "a".into(),
                after: "b".into(),
            }],
        )]);
        (users, statuses, differences)
    }

    /// The ids of the users `q` matches, in its order.
    fn ids_of(l: &Listed<'_>, q: &ImportQuery) -> Vec<String> {
        l.ids(l.order(q).as_deref(), 1)
            .positions
            .iter()
            .map(|&p| l.users[p as usize].field(Field::Id).to_owned())
            .collect()
    }

    #[test]
    fn filters_search_and_sorts_case_insensitively_keeping_the_targets_order_on_ties() {
        let (users, statuses, differences) = fixture();
        let l = Listed {
            users: &users,
            statuses: &statuses,
            differences: &differences,
        };
        let q = |f: &dyn Fn(&mut ImportQuery)| {
            let mut q = ImportQuery::default();
            f(&mut q);
            ids_of(&l, &q)
        };
        assert_eq!(
            q(&|_| {}),
            ["1", "2", "3", "4"],
            "no query: the target's order"
        );
        assert_eq!(q(&|q| q.status = Some(ImportStatus::New)), ["2", "4"]);
        assert_eq!(q(&|q| q.active = Some(false)), ["2"]);
        assert_eq!(q(&|q| q.search = "OPS".into()), ["2", "3"]);
        assert_eq!(q(&|q| q.search = "ops bo".into()), ["3"], "every term");
        assert_eq!(
            q(&|q| q.search = "standard".into()).len(),
            4,
            "profile searched"
        );
        let by = |by, desc| ImportSort { by, desc };
        assert_eq!(
            q(&|q| q.sort = vec![by(ImportSortKey::Username, false)]),
            ["2", "3", "1", "4"],
            "Bo between ann and cy: case ignored"
        );
        assert_eq!(
            q(&|q| q.sort = vec![by(ImportSortKey::Status, false)]),
            ["2", "4", "3", "1"],
            "New first, ties in the target's order"
        );
        assert_eq!(
            q(&|q| q.sort = vec![
                by(ImportSortKey::Department, true),
                by(ImportSortKey::Name, false)
            ]),
            ["1", "4", "2", "3"]
        );
        assert_eq!(
            q(&|q| q.sort = vec![by(ImportSortKey::Active, false)]),
            ["1", "3", "4", "2"]
        );
    }

    #[test]
    fn a_view_is_the_slice_asked_with_counts_and_the_differences_of_its_matches() {
        let (users, statuses, differences) = fixture();
        let l = Listed {
            users: &users,
            statuses: &statuses,
            differences: &differences,
        };
        let q = ImportQuery {
            sort: vec![ImportSort {
                by: ImportSortKey::Status,
                desc: false,
            }],
            offset: 1,
            limit: 2,
            ..Default::default()
        };
        let order = l.order(&q);
        let v = l.view(&q, order.as_deref(), 1, false);
        assert_eq!(v.total, 4);
        let rows: Vec<_> = v
            .rows
            .iter()
            .map(|r| (r.remote_id.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(rows, [("4", "Dee Lee"), ("3", "Bo Lee")]);
        assert_eq!(v.positions, [3, 2]);
        assert_eq!(v.rows[1].differences.len(), 1);
        assert_eq!(
            v.counts,
            ImportCounts {
                listed: 4,
                new: 2,
                matches: 1,
                imported: 1,
                inactive: 1
            }
        );
        let past = l.view(
            &ImportQuery {
                offset: 9,
                limit: 5,
                ..q.clone()
            },
            order.as_deref(),
            1,
            true,
        );
        assert!(past.rows.is_empty() && past.total == 4 && past.complete);
        let ids = l.ids(None, 1);
        assert_eq!((ids.positions, ids.inactive), (vec![0, 1, 2, 3], vec![1]));
    }
}
