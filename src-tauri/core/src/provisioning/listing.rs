//! The target's users as the import table last listed them, kept for the import that follows:
//! importing every user (or many) would otherwise list the whole target again just after the
//! table did. Per application: the users read back by the mapping (not their JSON), usable once
//! the last page is in, for the same target and account, and only while recent; an import takes
//! them (a second import lists again). The pages of a listing share one [`Lister`].

use super::client::ScimClient;
use super::connection::{Capabilities, Connection};
use super::import::Known;
use super::mapping::RemoteUser;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How long a complete listing stands for the target (older, an import lists again).
pub const KEPT_FOR: chrono::Duration = chrono::Duration::minutes(15);

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
    target: String,
    /// The client and the directory's view, while pages are still to come (dropped with the last).
    lister: Option<Arc<Lister>>,
    started: DateTime<Utc>,
    /// Where the next page starts; None: the last page is in.
    next: Option<String>,
    users: Vec<RemoteUser>,
}

impl Listing {
    fn stands(&self, target: &str, now: DateTime<Utc>) -> bool {
        self.target == target && now - self.started < KEPT_FOR
    }
}

/// The listings in progress or complete, by application id.
#[derive(Default)]
pub struct Listings(Mutex<HashMap<String, Listing>>);

/// One page of a listing: where it started (None: the first page) and where the next starts.
pub struct Page<'a> {
    pub cursor: Option<&'a str>,
    pub next: Option<String>,
    pub users: Vec<RemoteUser>,
}

impl Listings {
    /// The listings, those too old to stand dropped (with their users and client).
    fn lock(&self, now: DateTime<Utc>) -> std::sync::MutexGuard<'_, HashMap<String, Listing>> {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|_, l| now - l.started < KEPT_FOR);
        all
    }

    /// The lister of the listing that continues at `cursor`, if one does.
    pub fn continuing(
        &self,
        app_id: &str,
        target: &str,
        cursor: &str,
        now: DateTime<Utc>,
    ) -> Option<Arc<Lister>> {
        self.lock(now)
            .get(app_id)
            .filter(|l| l.stands(target, now) && l.next.as_deref() == Some(cursor))
            .and_then(|l| l.lister.clone())
    }

    /// Keeps a page: a first page starts a new listing, the page the last one pointed to extends
    /// it, and any other page (resumed elsewhere, or from a listing replaced since) leaves a hole,
    /// so the listing is dropped.
    pub fn record(
        &self,
        app_id: &str,
        target: &str,
        lister: Arc<Lister>,
        page: Page<'_>,
        now: DateTime<Utc>,
    ) {
        let mut all = self.lock(now);
        match page.cursor {
            None => {
                all.insert(
                    app_id.to_owned(),
                    Listing {
                        target: target.to_owned(),
                        lister: page.next.is_some().then_some(lister),
                        started: now,
                        next: page.next,
                        users: page.users,
                    },
                );
            }
            Some(cursor) => match all.get_mut(app_id) {
                Some(l) if l.target == target && l.next.as_deref() == Some(cursor) => {
                    l.users.extend(page.users);
                    l.next = page.next;
                    if l.next.is_none() {
                        l.lister = None;
                    }
                }
                _ => {
                    all.remove(app_id);
                }
            },
        }
    }

    /// Drops the listing of `app_id` (its connection changed: another target or credentials).
    pub fn forget(&self, app_id: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(app_id);
    }

    /// Takes the complete listing of `app_id` when it was read from `target` and is recent.
    pub fn take_complete(
        &self,
        app_id: &str,
        target: &str,
        now: DateTime<Utc>,
    ) -> Option<Vec<RemoteUser>> {
        let mut all = self.lock(now);
        let complete = all
            .get(app_id)
            .is_some_and(|l| l.next.is_none() && l.stands(target, now));
        // A listing still coming in stays for its next pages.
        complete
            .then(|| all.remove(app_id))
            .flatten()
            .map(|l| l.users)
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

    fn page<'a>(cursor: Option<&'a str>, next: Option<&str>, names: &[&str]) -> Page<'a> {
        Page {
            cursor,
            next: next.map(str::to_owned),
            users: users(names),
        }
    }

    fn names(list: Option<Vec<RemoteUser>>) -> Option<Vec<String>> {
        list.map(|l| l.into_iter().map(|u| u.managed.user_name).collect())
    }

    #[test]
    fn a_complete_listing_is_taken_once_for_its_target_while_recent() {
        let l = Listings::default();
        let t0 = Utc::now();
        l.record(
            "a",
            "T",
            lister(),
            page(None, Some("after:2"), &["x", "y"]),
            t0,
        );
        assert!(
            l.take_complete("a", "T", t0).is_none(),
            "pages still to come: not complete"
        );
        assert!(l.continuing("a", "T", "after:2", t0).is_some());
        assert!(l.continuing("a", "T", "after:9", t0).is_none());
        assert!(l.continuing("a", "other", "after:2", t0).is_none());
        l.record("a", "T", lister(), page(Some("after:2"), None, &["z"]), t0);
        assert!(
            l.take_complete("a", "other", t0).is_none(),
            "another target or account is another listing"
        );
        assert_eq!(
            names(l.take_complete("a", "T", t0)),
            Some(vec!["x".into(), "y".into(), "z".into()])
        );
        assert!(
            l.take_complete("a", "T", t0).is_none(),
            "an import takes it: the next one lists again"
        );
        l.record("a", "T", lister(), page(None, None, &["x"]), t0);
        assert!(
            l.take_complete("a", "T", t0 + KEPT_FOR).is_none(),
            "too old: listed again"
        );
    }

    #[test]
    fn a_page_out_of_order_drops_the_listing() {
        let l = Listings::default();
        let t0 = Utc::now();
        l.record("a", "T", lister(), page(None, Some("after:2"), &["x"]), t0);
        l.record("a", "T", lister(), page(Some("after:7"), None, &["q"]), t0);
        assert!(
            l.take_complete("a", "T", t0).is_none(),
            "a hole in the listing: not used"
        );
        l.record("a", "T", lister(), page(None, Some("after:2"), &["x"]), t0);
        l.record("a", "T", lister(), page(None, None, &["y"]), t0);
        assert_eq!(
            names(l.take_complete("a", "T", t0)),
            Some(vec!["y".into()]),
            "a first page starts the listing over"
        );
    }
}
