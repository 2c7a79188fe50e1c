//! Reading the target: list every user (paged 200 at a time: `filter=id gt "<last id>"` where the
//! target refuses deep offsets, plain startIndex elsewhere), look one user up by userName, find a
//! group by displayName.

use super::client::{ScimClient, ScimError};
use super::connection::Capabilities;
use serde_json::Value;

pub const PAGE: usize = 200;

/// A SCIM filter string literal (quotes and backslashes escaped).
pub fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A list answer's resources, taken out of it (not copied).
fn resources(page: &mut Value) -> Vec<Value> {
    match page.get_mut("Resources").map(Value::take) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}

/// One page of users after `cursor` (the last id for id paging, else the next startIndex).
pub async fn users_page(
    client: &ScimClient,
    caps: Capabilities,
    cursor: &Cursor,
) -> Result<(Vec<Value>, Option<Cursor>), ScimError> {
    let count = PAGE.to_string();
    let mut page = match cursor {
        Cursor::After(last) => {
            let filter = last.as_ref().map(|id| format!("id gt {}", quoted(id)));
            let mut q = vec![("count", count.as_str())];
            if let Some(f) = &filter {
                q.push(("filter", f.as_str()));
            }
            client.get("Users", &q).await?
        }
        Cursor::Start(start) => {
            let s = start.to_string();
            client
                .get(
                    "Users",
                    &[("startIndex", s.as_str()), ("count", count.as_str())],
                )
                .await?
        }
    };
    let list = resources(&mut page);
    let next = if list.is_empty() {
        None
    } else if caps.id_paging {
        let last = list
            .iter()
            .filter_map(|r| r.get("id").and_then(Value::as_str))
            .max()
            .map(str::to_owned);
        (list.len() >= PAGE).then_some(Cursor::After(last))
    } else {
        let start = match cursor {
            Cursor::Start(s) => *s,
            Cursor::After(_) => 1,
        };
        let total = page
            .get("totalResults")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let next = start + list.len();
        (next <= total).then_some(Cursor::Start(next))
    };
    Ok((list, next))
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// id paging: after this id (None: from the start).
    After(Option<String>),
    /// startIndex paging (1-based).
    Start(usize),
}

impl Cursor {
    pub fn first(caps: Capabilities) -> Self {
        if caps.id_paging {
            Cursor::After(None)
        } else {
            Cursor::Start(1)
        }
    }
}

/// Every user of the target.
pub async fn all_users(client: &ScimClient, caps: Capabilities) -> Result<Vec<Value>, ScimError> {
    let mut out = Vec::new();
    let mut cursor = Some(Cursor::first(caps));
    while let Some(c) = cursor {
        let (list, next) = users_page(client, caps, &c).await?;
        out.extend(list);
        cursor = next;
    }
    Ok(out)
}

/// The remote user with this userName, if any.
pub async fn user_by_name(
    client: &ScimClient,
    user_name: &str,
) -> Result<Option<Value>, ScimError> {
    let filter = format!("userName eq {}", quoted(user_name));
    let mut page = client.get("Users", &[("filter", filter.as_str())]).await?;
    Ok(resources(&mut page).into_iter().find(|r| {
        r.get("userName")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case(user_name))
    }))
}

/// The remote group with this display name, if any.
pub async fn group_by_name(client: &ScimClient, name: &str) -> Result<Option<String>, ScimError> {
    let filter = format!("displayName eq {}", quoted(name));
    let mut page = client
        .get(
            "Groups",
            &[
                ("filter", filter.as_str()),
                ("attributes", "id,displayName"),
            ],
        )
        .await?;
    Ok(resources(&mut page)
        .into_iter()
        .find(|g| {
            g.get("displayName")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|g| g.get("id").and_then(Value::as_str).map(str::to_owned)))
}
