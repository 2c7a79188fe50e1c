//! The target's users as the import table lists them, held in the core: the table asks for the
//! rows in view (see [`import_view`](super::import_view)) instead of holding every user, and the
//! import that follows reuses the listing instead of reading the whole target again just after
//! the table did. Per application: the users read back by the mapping (not their JSON) with
//! their statuses, reusable for an import once the last page is in, for the same target and
//! account, and only while recent; the table's view of it lasts longer, until the page is
//! closed. The pages of a listing share one [`Lister`].

use super::client::ScimClient;
use super::connection::{Capabilities, Connection};
use super::import::{ImportStatus, Known, Written};
use super::import_view::{ImportIds, ImportQuery, ImportView, Listed};
use super::mapping::{AttributeChange, RemoteUser};
use super::packed::{Field, PackedUser};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// How long a complete listing stands for an import (older, an import lists again).
pub const KEPT_FOR: chrono::Duration = chrono::Duration::minutes(15);
/// How long the table can show a listing (older, it is dropped and the table reads again).
pub const SHOWN_FOR: chrono::Duration = chrono::Duration::hours(2);

/// What listing the target's users with their status needs, set up once for all the pages of a
/// listing: the client, and what the directory knows when the listing starts.
pub struct Lister {
    pub client: ScimClient,
    pub caps: Capabilities,
    pub known: Known,
}

/// Which target a listing was read from: another URL or account is another listing.
pub fn target_of(c: &Connection) -> String {
    format!(
        "{}\n{}",
        c.scim_base,
        c.account.as_deref().unwrap_or_default()
    )
}

struct Listing {
    /// This listing among all (a selection names it: its positions mean nothing in another).
    serial: u32,
    target: String,
    /// The client and the directory's view, while pages are still to come (dropped with the last).
    lister: Option<Arc<Lister>>,
    started: DateTime<Utc>,
    /// Where the next page starts; None: the last page is in.
    next: Option<String>,
    /// Shared with an import that runs from it (the table stays usable meanwhile).
    users: Arc<Vec<PackedUser>>,
    /// One per user.
    statuses: Vec<ImportStatus>,
    /// The differences of each Matches, by index.
    differences: HashMap<usize, Vec<AttributeChange>>,
    /// The remote ids listed, while pages come from a target that promises no order (startIndex
    /// paging may answer a user twice): each is listed once.
    seen: Option<HashSet<String>>,
    /// The last query's order (None: all, in the target's order), for the length it was made at.
    order: Option<(ImportQuery, usize, Option<Vec<usize>>)>,
}

impl Listing {
    fn stands(&self, target: &str, now: DateTime<Utc>) -> bool {
        self.target == target && now - self.started < KEPT_FOR
    }

    fn append(
        &mut self,
        users: Vec<RemoteUser>,
        statuses: Vec<(ImportStatus, Vec<AttributeChange>)>,
    ) {
        let list = Arc::make_mut(&mut self.users);
        for (u, (status, differences)) in users.into_iter().zip(statuses) {
            if let Some(seen) = &mut self.seen {
                if !seen.insert(u.id.clone()) {
                    continue;
                }
            }
            if !differences.is_empty() {
                self.differences.insert(list.len(), differences);
            }
            list.push(PackedUser::pack(&u));
            self.statuses.push(status);
        }
    }

    /// The order `q` shows, made once per query and length (scrolling asks the same query).
    fn ordered(&mut self, q: &ImportQuery) -> (Listed<'_>, Option<&[usize]>) {
        let key = q.order_key();
        let len = self.users.len();
        let listed = Listed {
            users: &self.users,
            statuses: &self.statuses,
            differences: &self.differences,
        };
        let fresh = matches!(&self.order, Some((k, n, _)) if *k == key && *n == len);
        if !fresh {
            self.order = Some((key, len, listed.order(q)));
        }
        let order = self.order.as_ref().and_then(|(_, _, o)| o.as_deref());
        (listed, order)
    }
}

/// The listings in progress or complete, by application id.
#[derive(Default)]
pub struct Listings {
    all: Mutex<HashMap<String, Listing>>,
    /// The last import of a selection of each application's listing: the same selection stays
    /// importable once the table has read the target again (the offer to add those users to a
    /// group re-runs it).
    last: Mutex<HashMap<String, LastSelection>>,
    serials: AtomicU32,
}

struct LastSelection {
    serial: u32,
    started: DateTime<Utc>,
    positions: Vec<u32>,
    users: Arc<Vec<PackedUser>>,
}

/// A listing's serial, and the index in its users of each remote id asked.
pub type Found = (u32, HashMap<String, usize>);

/// What became of each user an import wrote, by its index in a listing's users.
pub type Settled<'a> = &'a [(usize, Written)];

/// One page of a listing: where it started (None: the first page; else the listing's serial
/// and the cursor) and where the next starts, its users with their statuses (one each).
pub struct Page<'a> {
    pub cursor: Option<(u32, &'a str)>,
    pub next: Option<String>,
    pub users: Vec<RemoteUser>,
    pub statuses: Vec<(ImportStatus, Vec<AttributeChange>)>,
}

impl Listings {
    /// The listings, those too old to show dropped (with their users and client).
    fn lock(&self, now: DateTime<Utc>) -> std::sync::MutexGuard<'_, HashMap<String, Listing>> {
        let mut all = self.all.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|_, l| now - l.started < SHOWN_FOR);
        all
    }

    /// The lister of listing `serial` when it continues at `cursor`.
    pub fn continuing(
        &self,
        app_id: &str,
        target: &str,
        (serial, cursor): (u32, &str),
        now: DateTime<Utc>,
    ) -> Option<Arc<Lister>> {
        self.lock(now)
            .get(app_id)
            .filter(|l| {
                l.serial == serial && l.target == target && l.next.as_deref() == Some(cursor)
            })
            .and_then(|l| l.lister.clone())
    }

    /// Keeps a page: a first page starts a new listing, the page the last one pointed to extends
    /// it, and another page of it (resumed elsewhere) leaves a hole, so the listing is dropped;
    /// a page of a listing replaced since is not kept (a reading the window left, still
    /// answering). Answers the listing's serial and how many users it holds now (None: not
    /// kept).
    pub fn record(
        &self,
        app_id: &str,
        target: &str,
        lister: Arc<Lister>,
        page: Page<'_>,
        now: DateTime<Utc>,
    ) -> Option<(u32, usize)> {
        let mut all = self.lock(now);
        let l = match page.cursor {
            None => {
                let fresh = Listing {
                    serial: self.serials.fetch_add(1, Ordering::Relaxed) + 1,
                    target: target.to_owned(),
                    seen: (!lister.caps.id_paging).then(HashSet::new),
                    lister: Some(lister),
                    started: now,
                    next: None,
                    users: Arc::default(),
                    statuses: Vec::new(),
                    differences: HashMap::new(),
                    order: None,
                };
                all.insert(app_id.to_owned(), fresh);
                all.get_mut(app_id)
            }
            Some((serial, cursor)) => match all.get_mut(app_id) {
                Some(l) if l.serial != serial => None,
                Some(l) if l.target == target && l.next.as_deref() == Some(cursor) => Some(l),
                _ => {
                    all.remove(app_id);
                    None
                }
            },
        };
        let l = l?;
        l.append(page.users, page.statuses);
        l.next = page.next;
        if l.next.is_none() {
            l.lister = None;
            l.seen = None;
            // The list grew by doubling: up to a third of it was room for users not coming.
            Arc::make_mut(&mut l.users).shrink_to_fit();
            l.statuses.shrink_to_fit();
        }
        Some((l.serial, l.users.len()))
    }

    /// Drops the listing of `app_id` (the table closed).
    pub fn close(&self, app_id: &str) {
        self.all
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(app_id);
    }

    /// Drops everything of `app_id` (its connection changed: another target or credentials).
    pub fn forget(&self, app_id: &str) {
        self.close(app_id);
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(app_id);
    }

    /// The complete listing of `app_id` when it was read from `target` and is recent (it stays
    /// for the table).
    pub fn complete(
        &self,
        app_id: &str,
        target: &str,
        now: DateTime<Utc>,
    ) -> Option<(u32, Arc<Vec<PackedUser>>)> {
        self.lock(now)
            .get(app_id)
            .filter(|l| l.next.is_none() && l.stands(target, now))
            .map(|l| (l.serial, l.users.clone()))
    }

    /// Whether listing `serial` of `app_id` is the one held (a page of another is not kept).
    pub fn holds(&self, app_id: &str, serial: u32, now: DateTime<Utc>) -> bool {
        self.lock(now)
            .get(app_id)
            .is_some_and(|l| l.serial == serial)
    }

    /// The slice of the listing of `app_id` that `q` asks for (None: no listing is held).
    pub fn view(&self, app_id: &str, q: &ImportQuery, now: DateTime<Utc>) -> Option<ImportView> {
        let mut all = self.lock(now);
        let l = all.get_mut(app_id)?;
        let (complete, serial) = (l.next.is_none(), l.serial);
        let (listed, order) = l.ordered(q);
        Some(listed.view(q, order, serial, complete))
    }

    /// Every user of the listing of `app_id` that `q` matches, in its order.
    pub fn ids(&self, app_id: &str, q: &ImportQuery, now: DateTime<Utc>) -> Option<ImportIds> {
        let mut all = self.lock(now);
        let l = all.get_mut(app_id)?;
        let serial = l.serial;
        let (listed, order) = l.ordered(q);
        Some(listed.ids(order, serial))
    }

    /// The users of listing `serial` of `app_id` for a selection of `positions`: the listing
    /// the table shows, or the one the same selection was last imported from (None: neither,
    /// or a position past it). The selection is remembered for a next import of it.
    pub fn selection(
        &self,
        app_id: &str,
        serial: u32,
        positions: &[u32],
        now: DateTime<Utc>,
    ) -> Option<Arc<Vec<PackedUser>>> {
        let live = self
            .lock(now)
            .get(app_id)
            .filter(|l| l.serial == serial)
            .map(|l| (l.users.clone(), l.started));
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.retain(|_, s| now - s.started < SHOWN_FOR);
        let (users, started) = match live {
            Some(found) => found,
            None => last
                .get(app_id)
                .filter(|s| s.serial == serial && s.positions == positions)
                .map(|s| (s.users.clone(), s.started))?,
        };
        if positions.iter().any(|&p| p as usize >= users.len()) {
            return None;
        }
        last.insert(
            app_id.to_owned(),
            LastSelection {
                serial,
                started,
                positions: positions.to_vec(),
                users: users.clone(),
            },
        );
        Some(users)
    }

    /// After an import: the statuses of the users it wrote (`settled`, by index in listing
    /// `serial`), when that is still the listing the table shows (false: it is not). Linked users are Imported;
    /// users now in the directory but not linked are Matches (keeping their differences when
    /// they were Matches whose values the import did not take, see `took`). The table then
    /// shows the statuses as the directory has them, without reading the target again, and
    /// its positions stay valid.
    pub fn settle(
        &self,
        app_id: &str,
        serial: u32,
        settled: Settled<'_>,
        took: impl Fn(&PackedUser) -> bool,
        now: DateTime<Utc>,
    ) -> bool {
        let mut all = self.lock(now);
        // Positions never move within a listing (pages are only added after), so the serial
        // says the indexes are its own.
        let Some(l) = all.get_mut(app_id).filter(|l| l.serial == serial) else {
            return false;
        };
        for &(i, w) in settled {
            let (Some(status), Some(u)) = (l.statuses.get_mut(i), l.users.get(i)) else {
                continue;
            };
            match w {
                Written::Untouched => {}
                Written::Linked => {
                    *status = ImportStatus::Imported;
                    l.differences.remove(&i);
                }
                Written::InDirectory => {
                    if *status != ImportStatus::Matches || took(u) {
                        l.differences.remove(&i);
                    }
                    *status = ImportStatus::Matches;
                }
            }
        }
        l.order = None;
        true
    }

    /// The index in the table's listing of `app_id` of each remote id asked (those listed), and
    /// that listing's serial (None: no listing from `target` is held).
    pub fn indexes_of(
        &self,
        app_id: &str,
        target: &str,
        ids: &HashSet<&str>,
        now: DateTime<Utc>,
    ) -> Option<Found> {
        let all = self.lock(now);
        let l = all.get(app_id).filter(|l| l.target == target)?;
        let found = l
            .users
            .iter()
            .enumerate()
            .filter(|(_, u)| ids.contains(u.field(Field::Id)))
            .map(|(i, u)| (u.field(Field::Id).to_owned(), i))
            .collect();
        Some((l.serial, found))
    }
}

#[cfg(test)]
mod tests {
    use super::super::auth::Auth;
    use super::super::mapping::Managed;
    use super::*;
    use crate::secrets::Sensitive;

    fn lister() -> Arc<Lister> {
        Arc::new(Lister {
            client: ScimClient::new(
                reqwest::Client::new(),
                "http://127.0.0.1:9",
                Auth::bearer(Sensitive::new("t".to_owned())),
                true,
            ),
            caps: Capabilities {
                plural_config: true,
                entitlements: true,
                group_create_delete: false,
                id_paging: true,
                user_delete: false,
            },
            known: Known {
                users: HashMap::new(),
                linked_remote: Default::default(),
            },
        })
    }

    fn users(names: &[&str]) -> Vec<RemoteUser> {
        names
            .iter()
            .map(|n| RemoteUser {
                id: format!("id-{n}"),
                managed: Managed {
                    user_name: (*n).to_owned(),
                    ..Default::default()
                },
                profile: None,
            })
            .collect()
    }

    fn page<'a>(cursor: Option<(u32, &'a str)>, next: Option<&str>, names: &[&str]) -> Page<'a> {
        let users = users(names);
        Page {
            cursor,
            next: next.map(str::to_owned),
            statuses: users
                .iter()
                .map(|_| (ImportStatus::New, Vec::new()))
                .collect(),
            users,
        }
    }

    fn names(list: Option<(u32, Arc<Vec<PackedUser>>)>) -> Option<Vec<String>> {
        list.map(|(_, l)| {
            l.iter()
                .map(|u| u.field(Field::UserName).to_owned())
                .collect()
        })
    }

    fn limit(n: u32) -> ImportQuery {
        ImportQuery {
            limit: n,
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_listing_serves_imports_while_recent_and_the_table_longer() {
        let l = Listings::default();
        let t0 = Utc::now();
        let (s, n) = l
            .record(
                "a",
                "T",
                lister(),
                page(None, Some("after:2"), &["x", "y"]),
                t0,
            )
            .expect("kept");
        assert_eq!(n, 2);
        assert!(
            l.complete("a", "T", t0).is_none(),
            "pages still to come: not complete"
        );
        assert!(l.continuing("a", "T", (s, "after:2"), t0).is_some());
        assert!(l.continuing("a", "T", (s, "after:9"), t0).is_none());
        assert!(l.continuing("a", "T", (s + 1, "after:2"), t0).is_none());
        assert!(l.continuing("a", "other", (s, "after:2"), t0).is_none());
        l.record(
            "a",
            "T",
            lister(),
            page(Some((s, "after:2")), None, &["z"]),
            t0,
        );
        assert!(
            l.complete("a", "other", t0).is_none(),
            "another target or account is another listing"
        );
        assert_eq!(
            names(l.complete("a", "T", t0)),
            Some(vec!["x".into(), "y".into(), "z".into()])
        );
        assert!(
            l.complete("a", "T", t0).is_some(),
            "an import shares it: the table keeps it"
        );
        l.record("a", "T", lister(), page(None, None, &["x"]), t0);
        assert!(
            l.complete("a", "T", t0 + KEPT_FOR).is_none(),
            "too old for an import: listed again"
        );
        assert_eq!(
            l.view("a", &limit(10), t0 + KEPT_FOR).map(|v| v.total),
            Some(1),
            "the table still shows it"
        );
        assert!(
            l.view("a", &limit(10), t0 + SHOWN_FOR).is_none(),
            "dropped at last"
        );
        l.record("a", "T", lister(), page(None, None, &["x"]), t0);
        l.close("a");
        assert!(l.view("a", &limit(10), t0).is_none(), "closed");
    }

    #[test]
    fn a_page_out_of_order_drops_the_listing_and_a_replaced_readings_page_is_not_kept() {
        let l = Listings::default();
        let t0 = Utc::now();
        let (s, _) = l
            .record("a", "T", lister(), page(None, Some("after:2"), &["x"]), t0)
            .expect("kept");
        assert!(l
            .record(
                "a",
                "T",
                lister(),
                page(Some((s, "after:7")), None, &["q"]),
                t0
            )
            .is_none());
        assert!(
            l.view("a", &ImportQuery::default(), t0).is_none(),
            "a hole in the listing: dropped"
        );
        let (old, _) = l
            .record("a", "T", lister(), page(None, Some("after:2"), &["x"]), t0)
            .expect("kept");
        let (new, _) = l
            .record("a", "T", lister(), page(None, Some("after:2"), &["y"]), t0)
            .expect("kept");
        assert!(
            l.record(
                "a",
                "T",
                lister(),
                page(Some((old, "after:2")), None, &["q"]),
                t0
            )
            .is_none(),
            "the reading the window left is not kept"
        );
        assert_eq!(
            l.record(
                "a",
                "T",
                lister(),
                page(Some((new, "after:2")), None, &["z"]),
                t0
            ),
            Some((new, 2)),
            "and the one that replaced it goes on"
        );
        assert_eq!(
            names(l.complete("a", "T", t0)),
            Some(vec!["y".into(), "z".into()])
        );
    }

    #[test]
    fn a_target_without_id_paging_lists_a_user_answered_twice_once_and_views_follow_the_pages() {
        let l = Listings::default();
        let t0 = Utc::now();
        let startindex = || {
            let mut x = Arc::try_unwrap(lister()).ok().expect("one owner");
            x.caps.id_paging = false;
            Arc::new(x)
        };
        let q = limit(10);
        let (s, n) = l
            .record(
                "a",
                "T",
                startindex(),
                page(None, Some("start:3"), &["x", "y"]),
                t0,
            )
            .expect("kept");
        assert_eq!(n, 2);
        assert_eq!(
            l.view("a", &q, t0).map(|v| (v.total, v.complete)),
            Some((2, false))
        );
        assert_eq!(
            l.record(
                "a",
                "T",
                startindex(),
                page(Some((s, "start:3")), None, &["y", "z"]),
                t0
            ),
            Some((s, 3)),
            "y was on the first page"
        );
        let v = l.view("a", &q, t0).expect("held");
        assert_eq!((v.total, v.complete, v.counts.new), (3, true, 3));
        let ids = l
            .ids(
                "a",
                &ImportQuery {
                    search: "Z".into(),
                    ..q.clone()
                },
                t0,
            )
            .expect("held");
        assert_eq!((ids.listing, ids.positions), (s, vec![2]));
    }

    #[test]
    fn a_selection_is_taken_from_its_listing_or_its_last_import_and_an_import_settles_statuses() {
        let l = Listings::default();
        let t0 = Utc::now();
        let (s, _) = l
            .record("a", "T", lister(), page(None, None, &["x", "y", "z"]), t0)
            .expect("kept");
        let users = l.selection("a", s, &[2, 0], t0).expect("held");
        assert_eq!(users[2].field(Field::UserName), "z");
        assert!(l.selection("a", s, &[3], t0).is_none(), "past the listing");
        assert!(
            l.selection("a", s + 1, &[0], t0).is_none(),
            "another listing"
        );
        let settled = [
            (2, Written::Linked),
            (0, Written::InDirectory),
            (1, Written::Untouched),
        ];
        assert!(l.settle("a", s, &settled, |_| false, t0));
        let v = l.view("a", &limit(10), t0).expect("held");
        assert_eq!(
            (v.counts.new, v.counts.matches, v.counts.imported),
            (1, 1, 1),
            "settled in place"
        );
        // Read again: the positions of the last import stay importable, no others.
        l.record("a", "T", lister(), page(None, None, &["q"]), t0);
        assert!(
            l.selection("a", s, &[2, 0], t0).is_some(),
            "the last import's selection"
        );
        assert!(l.selection("a", s, &[1], t0).is_none());
        assert!(!l.settle("a", s, &[(0, Written::Linked)], |_| false, t0));
        assert_eq!(
            l.view("a", &limit(10), t0).map(|v| v.counts.imported),
            Some(0),
            "an import from a listing replaced since changes nothing"
        );
        l.forget("a");
        assert!(
            l.selection("a", s, &[2, 0], t0).is_none(),
            "the connection changed"
        );
    }
}
