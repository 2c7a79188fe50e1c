//! The plan: the difference between what should be (the users and groups in scope) and what was
//! last pushed (the links). Pure: the run fetches what it needs, this decides.

use super::checks::UserProblem;
use super::links::{GroupLink, UserLink};
use super::mapping::{self, AttributeChange, BodyOptions, Managed};
use crate::directory::access::AuthorizedUser;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    Create,
    /// An existing remote user with the same userName: linked, nothing sent.
    Link,
    /// Linked, then patched to the directory's values.
    LinkAndUpdate,
    Update,
    /// The directory changed only what is never pushed (the email): remembered, nothing sent.
    Acknowledge,
    Deactivate,
    Delete,
}

impl UserAction {
    pub fn sends(self) -> bool {
        !matches!(self, UserAction::Link | UserAction::Acknowledge)
    }
}

/// A remote user found by matching.
pub use super::mapping::RemoteUser;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedUser {
    pub user_id: String,
    pub user_name: String,
    pub action: UserAction,
    pub remote_id: Option<String>,
    /// Attribute-level before → after (before: what was last pushed, or what the target has).
    pub changes: Vec<AttributeChange>,
    /// The exact request body (none for a link or a delete).
    #[cfg_attr(feature = "specta", specta(type = Option<crate::json_type::JsonValue>))]
    pub body: Option<Value>,
    /// Held by the deletion guard.
    pub held: bool,
    pub warning: Option<String>,
    /// The directory user (deleted, or out of scope) whose link to the same remote user this one
    /// takes over.
    pub replaces: Option<String>,
    #[serde(skip)]
    pub desired: Managed,
}

pub struct UserPlanInput<'a> {
    pub in_scope: &'a [AuthorizedUser],
    pub links: &'a HashMap<String, UserLink>,
    /// Remote users of the unlinked in-scope users, by lower-cased userName.
    pub matches: &'a HashMap<String, RemoteUser>,
    pub profile_id: Option<&'a str>,
    pub deletes: bool,
    pub opts: BodyOptions,
}

fn planned(u: &Managed, action: UserAction) -> PlannedUser {
    PlannedUser {
        user_id: u.external_id.clone(),
        user_name: u.user_name.clone(),
        action,
        remote_id: None,
        changes: Vec::new(),
        body: None,
        held: false,
        warning: None,
        replaces: None,
        desired: u.clone(),
    }
}

fn email_warning(change: &Option<(String, String)>) -> Option<String> {
    change.as_ref().map(|(old, new)| {
        format!("The email changed from {old} to {new} in the directory; Lanyard does not change the email or username of an existing Salesforce user (the user must confirm an email change). Change it in Salesforce Setup.")
    })
}

/// What to do for each user: in scope (create, link, update) and out of scope (deactivate or
/// delete); and the users that cannot be planned (their remote user is linked to another one).
pub fn plan_users(i: &UserPlanInput<'_>) -> (Vec<PlannedUser>, Vec<UserProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let seen: HashSet<&str> = i.in_scope.iter().map(|u| u.id.as_str()).collect();
    let by_remote: HashMap<&str, &UserLink> = i
        .links
        .values()
        .map(|l| (l.remote_id.as_str(), l))
        .collect();
    // Links of users who left scope whose remote user a new directory user takes over (the
    // same person deleted and added again): moved, never deactivated.
    let mut taken_over: HashSet<&str> = HashSet::new();
    for u in i.in_scope {
        let desired = mapping::managed(u);
        if let Some(link) = i.links.get(&u.id) {
            if link.pushed_hash == mapping::hash(&desired) {
                continue;
            }
            let up = mapping::update(&link.pushed, &desired, i.opts);
            let action = if up.body.is_some() {
                UserAction::Update
            } else {
                UserAction::Acknowledge
            };
            out.push(PlannedUser {
                remote_id: Some(link.remote_id.clone()),
                changes: up.changes,
                body: up.body,
                warning: email_warning(&up.email_not_pushed),
                ..planned(&desired, action)
            });
        } else if let Some(remote) = i.matches.get(&desired.user_name) {
            let replaces = match by_remote.get(remote.id.as_str()) {
                Some(other) if seen.contains(other.user_id.as_str()) => {
                    problems.push(UserProblem {
                        user_id: u.id.clone(),
                        email: u.email.clone(),
                        message: format!("{} matches the target's user {} by username, but that user is linked to another directory user ({}). Change one of the two emails.", u.email, remote.id, other.user_name),
                    });
                    continue;
                }
                Some(other) => {
                    taken_over.insert(other.user_id.as_str());
                    Some(other.user_id.clone())
                }
                None => None,
            };
            let up = mapping::update(
                &mapping::comparable(&remote.managed, &desired),
                &desired,
                i.opts,
            );
            let action = if up.body.is_some() {
                UserAction::LinkAndUpdate
            } else {
                UserAction::Link
            };
            out.push(PlannedUser {
                remote_id: Some(remote.id.clone()),
                changes: up.changes,
                body: up.body,
                replaces,
                ..planned(&desired, action)
            });
        } else {
            out.push(PlannedUser {
                changes: mapping::diff(&Managed::default(), &desired),
                body: Some(mapping::create_body(&desired, i.profile_id, None, i.opts)),
                ..planned(&desired, UserAction::Create)
            });
        }
    }
    let mut gone: Vec<&UserLink> = i
        .links
        .values()
        .filter(|l| !seen.contains(l.user_id.as_str()) && !taken_over.contains(l.user_id.as_str()))
        .collect();
    gone.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    for link in gone {
        if i.deletes {
            out.push(PlannedUser {
                remote_id: Some(link.remote_id.clone()),
                ..planned(&link.pushed, UserAction::Delete)
            });
        } else if link.active {
            let mut after = link.pushed.clone();
            after.active = false;
            out.push(PlannedUser {
                remote_id: Some(link.remote_id.clone()),
                changes: mapping::diff(&link.pushed, &after),
                body: Some(mapping::deactivate_body()),
                ..planned(&after, UserAction::Deactivate)
            });
        }
    }
    (out, problems)
}

/// The deletion guard: a run that would deactivate or delete more than this holds those
/// operations until the admin allows them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeletionGuard {
    /// More than this many users: held (default 20).
    pub max_users: usize,
    /// More than this share of the linked users (default 10%)…
    pub max_share: f64,
    /// …when more than this many (default 5, so a small org can lose a user or two).
    pub min_users_for_share: usize,
}

impl Default for DeletionGuard {
    fn default() -> Self {
        Self {
            max_users: 20,
            max_share: 0.10,
            min_users_for_share: 5,
        }
    }
}

impl DeletionGuard {
    /// Why `removals` of `linked` users are held, or None when they may go.
    pub fn holds(&self, removals: usize, linked: usize) -> Option<String> {
        let share = if linked == 0 {
            0.0
        } else {
            removals as f64 / linked as f64
        };
        if removals > self.max_users {
            Some(format!("{removals} users would be deactivated or deleted (more than {}): held until the admin allows it (lanyard sync --allow-deactivations, or Allow in the window).", self.max_users))
        } else if removals > self.min_users_for_share && share > self.max_share {
            Some(format!("{removals} of {linked} linked users ({:.0}%) would be deactivated or deleted (more than {:.0}%): held until the admin allows it (lanyard sync --allow-deactivations, or Allow in the window).", share * 100.0, self.max_share * 100.0))
        } else {
            None
        }
    }
}

/// Applies the guard; answers why it held, if it did.
pub fn guard(
    plan: &mut [PlannedUser],
    linked: usize,
    g: &DeletionGuard,
    allow: bool,
) -> Option<String> {
    let removals = plan
        .iter()
        .filter(|p| matches!(p.action, UserAction::Deactivate | UserAction::Delete))
        .count();
    let why = g.holds(removals, linked)?;
    if allow {
        return None;
    }
    for p in plan
        .iter_mut()
        .filter(|p| matches!(p.action, UserAction::Deactivate | UserAction::Delete))
    {
        p.held = true;
    }
    Some(why)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum GroupAction {
    Create,
    /// An existing remote group of that name: linked (and its members patched).
    Link,
    Update,
    Delete,
    /// The group was unbound on a target that cannot delete groups: the members Lanyard added
    /// are removed and the link forgotten.
    Release,
    /// No remote group of that name, and the target cannot create one (Salesforce).
    Missing,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedGroup {
    pub group_id: String,
    pub name: String,
    pub action: GroupAction,
    pub remote_id: Option<String>,
    /// Directory user ids to add and remove.
    pub add: Vec<String>,
    pub remove: Vec<String>,
    /// The first (often the only) request's body.
    #[cfg_attr(feature = "specta", specta(type = Option<crate::json_type::JsonValue>))]
    pub body: Option<Value>,
    /// A membership change larger than [`MEMBERS_PER_REQUEST`] goes in several requests, in
    /// this order: `body` is the first's; empty when one request carries it all.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub chunks: Vec<MemberChunk>,
}

/// Members added or removed per request: a group of thousands is not one PATCH of hundreds of
/// kilobytes (the practice org refuses bodies over 64 KiB, and so may a real target).
pub const MEMBERS_PER_REQUEST: usize = 1000;

/// One request of a large membership change: its directory user ids and its body.
#[derive(Debug, Clone)]
pub struct MemberChunk {
    pub add: Vec<String>,
    pub remove: Vec<String>,
    pub body: Value,
}

/// Splits a membership change into PATCH requests of at most [`MEMBERS_PER_REQUEST`] members
/// (removals first). Empty when one request holds it.
fn patch_chunks(
    add: &[String],
    remove: &[String],
    ids: &HashMap<String, String>,
    wrapped: bool,
) -> Vec<MemberChunk> {
    if add.len() + remove.len() <= MEMBERS_PER_REQUEST {
        return Vec::new();
    }
    let removes = remove.chunks(MEMBERS_PER_REQUEST).map(|r| MemberChunk {
        add: Vec::new(),
        remove: r.to_vec(),
        body: members_patch(&[], r, ids, wrapped),
    });
    let adds = add.chunks(MEMBERS_PER_REQUEST).map(|a| MemberChunk {
        add: a.to_vec(),
        remove: Vec::new(),
        body: members_patch(a, &[], ids, wrapped),
    });
    removes.chain(adds).collect()
}

/// A group bound to the application and its members in scope.
#[derive(Debug, Clone)]
pub struct BoundGroup {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
}

pub struct GroupPlanInput<'a> {
    pub bound: &'a [BoundGroup],
    pub links: &'a HashMap<String, GroupLink>,
    pub pushed: &'a HashMap<String, HashSet<String>>,
    /// Remote ids of every linked user (in scope or not), by directory user id: what a member
    /// to add or remove is called in the target.
    pub remote_ids: &'a HashMap<String, String>,
    /// Users who may be members now (in scope, pushable, not being deactivated).
    pub eligible: &'a HashSet<String>,
    /// Users left as they are: held by the deletion guard, or with a problem this run.
    pub frozen: &'a HashSet<String>,
    /// Plan groups that are no longer bound too (not when pushing one user).
    pub include_unbound: bool,
    /// Remote groups of the unlinked bound groups, by lower-cased display name.
    pub remote_groups: &'a HashMap<String, String>,
    pub can_create: bool,
    /// Salesforce's `{"members": [...]}` form for membership changes.
    pub wrapped_members: bool,
}

fn members_value(ids: &[String], remote_ids: &HashMap<String, String>) -> Vec<Value> {
    ids.iter()
        .filter_map(|u| remote_ids.get(u))
        .map(|r| json!({"value": r}))
        .collect()
}

/// The PatchOp that adds and removes members: Salesforce's documented form
/// (`"value": {"members": [...]}`) when `wrapped`, else RFC 7644's (an array to add, a filter
/// path per member to remove).
pub fn members_patch(
    add: &[String],
    remove: &[String],
    remote_ids: &HashMap<String, String>,
    wrapped: bool,
) -> Value {
    let mut ops = Vec::new();
    if wrapped {
        for (op, ids) in [("add", add), ("remove", remove)] {
            if !ids.is_empty() {
                ops.push(json!({"op": op, "path": "members",
                    "value": {"members": members_value(ids, remote_ids)}}));
            }
        }
        return json!({"schemas": [mapping::PATCH_SCHEMA], "Operations": ops});
    }
    if !add.is_empty() {
        ops.push(json!({"op": "add", "path": "members", "value": members_value(add, remote_ids)}));
    }
    for r in members_value(remove, remote_ids) {
        // One remove per member, with a filter path (RFC 7644 §3.5.2.2), which every server takes.
        let id = r["value"].as_str().unwrap_or_default().replace('"', "");
        ops.push(json!({"op": "remove", "path": format!("members[value eq \"{id}\"]")}));
    }
    json!({"schemas": [mapping::PATCH_SCHEMA], "Operations": ops})
}

pub fn plan_groups(i: &GroupPlanInput<'_>) -> Vec<PlannedGroup> {
    let mut out = Vec::new();
    let ids = i.remote_ids;
    let empty = HashSet::new();
    let mut bound_ids = HashSet::new();
    for g in i.bound {
        bound_ids.insert(g.id.as_str());
        let mut desired: Vec<String> = g
            .members
            .iter()
            .filter(|u| i.eligible.contains(*u) && i.remote_ids.contains_key(*u))
            .cloned()
            .collect();
        desired.sort();
        let pushed = i.pushed.get(&g.id).unwrap_or(&empty);
        let add: Vec<String> = desired
            .iter()
            .filter(|u| !pushed.contains(*u))
            .cloned()
            .collect();
        let want: HashSet<&String> = desired.iter().collect();
        let mut remove: Vec<String> = pushed
            .iter()
            .filter(|u| {
                !want.contains(u) && !i.frozen.contains(*u) && i.remote_ids.contains_key(*u)
            })
            .cloned()
            .collect();
        remove.sort();
        let base = PlannedGroup {
            group_id: g.id.clone(),
            name: g.name.clone(),
            action: GroupAction::Update,
            remote_id: None,
            add: add.clone(),
            remove: remove.clone(),
            body: None,
            chunks: Vec::new(),
        };
        if let Some(link) = i.links.get(&g.id) {
            if add.is_empty() && remove.is_empty() {
                continue;
            }
            let chunks = patch_chunks(&add, &remove, ids, i.wrapped_members);
            out.push(PlannedGroup {
                remote_id: Some(link.remote_id.clone()),
                body: Some(match chunks.first() {
                    Some(c) => c.body.clone(),
                    None => members_patch(&add, &remove, ids, i.wrapped_members),
                }),
                chunks,
                ..base
            });
        } else if let Some(remote) = i.remote_groups.get(&g.name.to_lowercase()) {
            let chunks = patch_chunks(&add, &[], ids, i.wrapped_members);
            out.push(PlannedGroup {
                action: GroupAction::Link,
                remote_id: Some(remote.clone()),
                body: match chunks.first() {
                    Some(c) => Some(c.body.clone()),
                    None => {
                        (!add.is_empty()).then(|| members_patch(&add, &[], ids, i.wrapped_members))
                    }
                },
                chunks,
                remove: Vec::new(),
                ..base
            });
        } else if i.can_create {
            let create = |members: &[String]| {
                json!({
                    "schemas": [mapping::GROUP_SCHEMA],
                    "displayName": g.name,
                    "members": members_value(members, ids),
                })
            };
            // A large group: created with its first members, the others patched in after.
            let mut chunks = patch_chunks(&add, &[], ids, i.wrapped_members);
            if let Some(first) = chunks.first_mut() {
                first.body = create(&first.add);
            }
            out.push(PlannedGroup {
                action: GroupAction::Create,
                body: Some(create(chunks.first().map_or(&add[..], |c| &c.add[..]))),
                chunks,
                remove: Vec::new(),
                ..base
            });
        } else {
            out.push(PlannedGroup {
                action: GroupAction::Missing,
                ..base
            });
        }
    }
    let mut unbound: Vec<&GroupLink> = i
        .links
        .values()
        .filter(|l| i.include_unbound && !bound_ids.contains(l.group_id.as_str()))
        .collect();
    unbound.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    for link in unbound {
        let mut remove: Vec<String> = i
            .pushed
            .get(&link.group_id)
            .map(|s| {
                s.iter()
                    .filter(|u| i.remote_ids.contains_key(*u))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        remove.sort();
        // Only a group Lanyard created is deleted; one it found by name keeps existing, with
        // the members Lanyard added taken out.
        let (action, body, chunks) = if i.can_create && link.created {
            (GroupAction::Delete, None, Vec::new())
        } else {
            let chunks = patch_chunks(&[], &remove, ids, i.wrapped_members);
            let body = match chunks.first() {
                Some(c) => Some(c.body.clone()),
                None => (!remove.is_empty())
                    .then(|| members_patch(&[], &remove, ids, i.wrapped_members)),
            };
            (GroupAction::Release, body, chunks)
        };
        out.push(PlannedGroup {
            group_id: link.group_id.clone(),
            name: link.display_name.clone(),
            action,
            remote_id: Some(link.remote_id.clone()),
            add: Vec::new(),
            remove,
            body,
            chunks,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: &str, active: bool) -> UserLink {
        let m = Managed {
            external_id: id.into(),
            user_name: format!("{id}@x.example"),
            family_name: "F".into(),
            active,
            ..Default::default()
        };
        UserLink::new(id, &format!("005{id}"), m)
    }

    #[test]
    fn leaving_scope_deactivates_and_an_inactive_link_is_left_alone() {
        let links: HashMap<String, UserLink> = [link("a", true), link("b", false)]
            .into_iter()
            .map(|l| (l.user_id.clone(), l))
            .collect();
        let (plan, _) = plan_users(&UserPlanInput {
            in_scope: &[],
            links: &links,
            matches: &HashMap::new(),
            profile_id: None,
            deletes: false,
            opts: BodyOptions::default(),
        });
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].action, UserAction::Deactivate);
        assert_eq!(plan[0].body, Some(mapping::deactivate_body()));
    }

    #[test]
    fn the_guard_holds_many_removals_unless_allowed() {
        let g = DeletionGuard::default();
        assert!(g.holds(21, 10_000).is_some(), "more than 20");
        assert!(g.holds(20, 10_000).is_none());
        assert!(g.holds(11, 100).is_some(), "more than 10% of 100");
        assert!(g.holds(2, 3).is_none(), "a tiny org may lose two users");
        let mut plan: Vec<PlannedUser> = (0..25)
            .map(|n| planned(&link(&n.to_string(), true).pushed, UserAction::Deactivate))
            .collect();
        assert!(guard(&mut plan, 1000, &g, false).is_some());
        assert!(plan.iter().all(|p| p.held));
        let mut plan2: Vec<PlannedUser> = (0..25)
            .map(|n| planned(&link(&n.to_string(), true).pushed, UserAction::Deactivate))
            .collect();
        assert!(guard(&mut plan2, 1000, &g, true).is_none());
        assert!(plan2.iter().all(|p| !p.held), "allowed: nothing held");
    }

    #[test]
    fn groups_add_and_remove_only_what_lanyard_pushed() {
        let bound = [BoundGroup {
            id: "g".into(),
            name: "Sales".into(),
            members: vec!["a".into(), "c".into()],
        }];
        let links: HashMap<String, GroupLink> = [(
            "g".to_string(),
            GroupLink {
                group_id: "g".into(),
                remote_id: "00G1".into(),
                display_name: "Sales".into(),
                created: false,
            },
        )]
        .into();
        let pushed: HashMap<String, HashSet<String>> =
            [("g".to_string(), ["a".to_string(), "b".to_string()].into())].into();
        let remote_ids: HashMap<String, String> = [("a", "005a"), ("b", "005b"), ("c", "005c")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let plan = plan_groups(&GroupPlanInput {
            bound: &bound,
            links: &links,
            pushed: &pushed,
            remote_ids: &remote_ids,
            remote_groups: &HashMap::new(),
            can_create: false,
            wrapped_members: false,
            eligible: &["a", "c"].iter().map(|s| s.to_string()).collect(),
            frozen: &HashSet::new(),
            include_unbound: true,
        });
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].add, vec!["c".to_string()]);
        assert_eq!(plan[0].remove, vec!["b".to_string()]);
        let body = plan[0].body.as_ref().unwrap();
        assert_eq!(body["Operations"][0]["value"], json!([{"value": "005c"}]));
        assert_eq!(body["Operations"][1]["path"], "members[value eq \"005b\"]");
    }

    #[test]
    fn salesforce_cannot_create_a_missing_group() {
        let bound = [BoundGroup {
            id: "g".into(),
            name: "Sales".into(),
            members: vec![],
        }];
        let plan = plan_groups(&GroupPlanInput {
            bound: &bound,
            links: &HashMap::new(),
            pushed: &HashMap::new(),
            remote_ids: &HashMap::new(),
            remote_groups: &HashMap::new(),
            can_create: false,
            wrapped_members: false,
            eligible: &["a", "c"].iter().map(|s| s.to_string()).collect(),
            frozen: &HashSet::new(),
            include_unbound: true,
        });
        assert_eq!(plan[0].action, GroupAction::Missing);
    }

    #[test]
    fn a_member_who_left_scope_is_removed_by_its_linked_id() {
        // "b" left the application's scope: no longer a possible member, still linked.
        let bound = [BoundGroup {
            id: "g".into(),
            name: "Support".into(),
            members: vec!["a".into()],
        }];
        let links: HashMap<String, GroupLink> = [(
            "g".to_string(),
            GroupLink {
                group_id: "g".into(),
                remote_id: "00G1".into(),
                display_name: "Support".into(),
                created: false,
            },
        )]
        .into();
        let pushed: HashMap<String, HashSet<String>> =
            [("g".to_string(), ["a".to_string(), "b".to_string()].into())].into();
        let eligible: HashSet<String> = ["a".to_string()].into();
        let linked: HashMap<String, String> = [("a", "005a"), ("b", "005b")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for wrapped in [true, false] {
            let plan = plan_groups(&GroupPlanInput {
                bound: &bound,
                links: &links,
                pushed: &pushed,
                remote_ids: &linked,
                eligible: &eligible,
                frozen: &HashSet::new(),
                include_unbound: true,
                remote_groups: &HashMap::new(),
                can_create: !wrapped,
                wrapped_members: wrapped,
            });
            assert_eq!(plan[0].remove, vec!["b".to_string()]);
            let text = plan[0].body.as_ref().unwrap().to_string();
            assert!(
                text.contains("005b"),
                "the remove names b's remote id, or the target keeps b as a member: {text}"
            );
        }
    }

    #[test]
    fn a_large_membership_change_goes_in_requests_of_bounded_size() {
        let n = MEMBERS_PER_REQUEST * 2 + 5;
        let users: Vec<String> = (0..n).map(|i| format!("u{i:05}")).collect();
        let ids: HashMap<String, String> = users
            .iter()
            .map(|u| (u.clone(), format!("00500000000{u}IAA")))
            .collect();
        let bound = [BoundGroup {
            id: "g".into(),
            name: "Everyone".into(),
            members: users.clone(),
        }];
        for (wrapped, can_create) in [(true, false), (false, true)] {
            let remote_groups: HashMap<String, String> = if wrapped {
                [("everyone".to_string(), "00G1".to_string())].into()
            } else {
                HashMap::new()
            };
            let plan = plan_groups(&GroupPlanInput {
                bound: &bound,
                links: &HashMap::new(),
                pushed: &HashMap::new(),
                remote_ids: &ids,
                eligible: &users.iter().cloned().collect(),
                frozen: &HashSet::new(),
                include_unbound: true,
                remote_groups: &remote_groups,
                can_create,
                wrapped_members: wrapped,
            });
            let g = &plan[0];
            assert_eq!(g.chunks.len(), 3, "{n} members: three requests");
            assert_eq!(
                g.body.as_ref(),
                Some(&g.chunks[0].body),
                "body is the first request's"
            );
            let all: Vec<String> = g.chunks.iter().flat_map(|c| c.add.clone()).collect();
            assert_eq!(all, g.add, "the chunks carry every member once, in order");
            for c in &g.chunks {
                assert!(c.add.len() <= MEMBERS_PER_REQUEST);
                assert!(
                    c.body.to_string().len() < 64 * 1024,
                    "each request stays under the practice org's 64 KiB body limit"
                );
            }
            if can_create {
                assert!(
                    g.chunks[0].body.get("displayName").is_some(),
                    "created first"
                );
                assert!(g.chunks[1].body.get("Operations").is_some(), "then patched");
            }
        }
    }
}
