//! The users table's server-side query on a real SQLite file: search, filters, sorting with a
//! stable tie-break, paging, counts, and the facets the filters offer.

use lanyard_core::clock::FixedClock;
use lanyard_core::directory::{
    GroupInput, UserInput, UserQuery, UserSort, UserSortKey, UserStatus,
};
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::path::Path;
use std::sync::Arc;

async fn core_in(dir: &Path) -> Core {
    let clock = FixedClock("2026-11-28T10:00:00Z".parse().unwrap());
    Core::open(dir, Arc::new(MemoryStore::default()), Arc::new(clock))
        .await
        .expect("open core")
}

/// 30 people: person00..person29, departments cycling Engineering/Sales/Support, person04
/// suspended, even ones in group "Even"; display names repeat every 10 ("Name 0".."Name 9") so
/// sorting by name has ties.
async fn seeded(dir: &Path) -> Core {
    let core = core_in(dir).await;
    let depts = ["Engineering", "Sales", "Support"];
    core.create_group(GroupInput {
        name: "Even".into(),
        description: String::new(),
    })
    .await
    .unwrap();
    let mut evens = Vec::new();
    for i in 0..30 {
        let u = core
            .create_user(UserInput {
                email: format!("Person{i:02}@Example.com"),
                firstname: format!("P{i}"),
                lastname: format!("L{i}"),
                displayname: format!("Name {}", i % 10),
                department: depts[i % 3].into(),
                job_title: if i == 7 {
                    "50%_off".into()
                } else {
                    "Analyst".into()
                },
                suspended: i == 4,
                ..Default::default()
            })
            .await
            .unwrap();
        if i % 2 == 0 {
            evens.push(u.id);
        }
    }
    core.add_group_members("Even", &evens).await.unwrap();
    core
}

fn q() -> UserQuery {
    UserQuery {
        limit: 500,
        ..Default::default()
    }
}

fn emails(page: &lanyard_core::directory::UserPage) -> Vec<String> {
    page.rows.iter().map(|u| u.email.to_lowercase()).collect()
}

#[tokio::test]
async fn pages_in_email_order_with_totals() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    let all = core.query_users(&q()).await.unwrap();
    assert_eq!((all.total, all.all, all.rows.len()), (30, 30, 30));
    assert_eq!(
        emails(&all)[0],
        "person00@example.com",
        "no sort = by email"
    );
    assert_eq!(
        all.rows[0].groups,
        vec!["Even".to_string()],
        "rows carry their groups"
    );
    assert!(all.mark > 0, "the page carries the change-feed mark");

    let page = core
        .query_users(&UserQuery {
            offset: 10,
            limit: 5,
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 30, "total counts every match, not the page");
    assert_eq!(page.offset, 10);
    assert_eq!(
        emails(&page),
        emails(&all)[10..15].to_vec(),
        "a page is a slice of the full order"
    );

    let capped = core
        .query_users(&UserQuery {
            limit: 100_000,
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(capped.rows.len(), 30);
    let counts_only = core
        .query_users(&UserQuery { limit: 0, ..q() })
        .await
        .unwrap();
    assert!(
        counts_only.rows.is_empty() && counts_only.total == 30,
        "limit 0 = counts only"
    );
}

#[tokio::test]
async fn searches_every_term_case_insensitively_and_literally() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    let s = |text: &str| UserQuery {
        search: text.into(),
        ..q()
    };
    assert_eq!(
        core.query_users(&s("person1")).await.unwrap().total,
        10,
        "person10..19"
    );
    assert_eq!(
        core.query_users(&s("PERSON1")).await.unwrap().total,
        10,
        "case does not matter"
    );
    let both = core.query_users(&s("person1 sales")).await.unwrap();
    assert_eq!(
        emails(&both),
        [
            "person10@example.com",
            "person13@example.com",
            "person16@example.com",
            "person19@example.com"
        ],
        "every term must match, in any field"
    );
    // "name" is in every display name; "3" in person03, 13, 23, 30.. and "Name 3" (i%10==3).
    let n3 = core.query_users(&s("name 3")).await.unwrap();
    assert_eq!(
        emails(&n3),
        [
            "person03@example.com",
            "person13@example.com",
            "person23@example.com"
        ],
        "terms may match different fields"
    );
    assert_eq!(
        core.query_users(&s("%")).await.unwrap().total,
        1,
        "% is literal, not a wildcard (only the 50%_off title)"
    );
    assert_eq!(
        core.query_users(&s("_")).await.unwrap().total,
        1,
        "_ is literal"
    );
    assert_eq!(
        core.query_users(&s("   ")).await.unwrap().total,
        30,
        "blank search = everyone"
    );
    assert_eq!(
        core.query_users(&s("nobody-like-this"))
            .await
            .unwrap()
            .total,
        0
    );
}

#[tokio::test]
async fn filters_by_status_department_and_group() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    let suspended = core
        .query_users(&UserQuery {
            status: Some(UserStatus::Suspended),
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(emails(&suspended), ["person04@example.com"]);
    let active = core
        .query_users(&UserQuery {
            status: Some(UserStatus::Active),
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(active.total, 29);
    let sales_even = core
        .query_users(&UserQuery {
            department: Some("Sales".into()),
            group: Some("EVEN".into()),
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(
        emails(&sales_even),
        [
            "person04@example.com",
            "person10@example.com",
            "person16@example.com",
            "person22@example.com",
            "person28@example.com"
        ],
        "Sales (i%3==1) and even; the group name matches without regard to case"
    );
    assert_eq!(sales_even.all, 30, "`all` ignores the filters");
    let unknown = core
        .query_users(&UserQuery {
            group: Some("Nope".into()),
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(unknown.total, 0, "an unknown group matches nobody");
}

#[tokio::test]
async fn sorts_stably_with_the_id_as_tie_break() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    let by = |by, desc| UserQuery {
        sort: vec![UserSort { by, desc }],
        ..q()
    };
    let desc = core
        .query_users(&by(UserSortKey::Email, true))
        .await
        .unwrap();
    assert_eq!(emails(&desc)[0], "person29@example.com");

    let name = core
        .query_users(&by(UserSortKey::Displayname, false))
        .await
        .unwrap();
    let keys: Vec<(String, String)> = name
        .rows
        .iter()
        .map(|u| (u.displayname.clone(), u.id.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "ties on the name are ordered by id");
    // Paging through the sort in small pages yields the same order: ties do not shuffle.
    let mut paged = Vec::new();
    for offset in (0..30).step_by(7) {
        let p = core
            .query_users(&UserQuery {
                offset,
                limit: 7,
                ..by(UserSortKey::Displayname, false)
            })
            .await
            .unwrap();
        paged.extend(p.rows.into_iter().map(|u| u.id));
    }
    assert_eq!(paged, keys.iter().map(|k| k.1.clone()).collect::<Vec<_>>());

    let status = core
        .query_users(&by(UserSortKey::Status, true))
        .await
        .unwrap();
    assert_eq!(
        emails(&status)[0],
        "person04@example.com",
        "suspended first when descending"
    );

    let multi = core
        .query_users(&UserQuery {
            sort: vec![
                UserSort {
                    by: UserSortKey::Department,
                    desc: true,
                },
                UserSort {
                    by: UserSortKey::Email,
                    desc: false,
                },
            ],
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(
        emails(&multi)[..2],
        ["person02@example.com", "person05@example.com"],
        "Support first, then by email"
    );
}

#[tokio::test]
async fn ids_and_facets() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    let ids = core
        .query_user_ids(&UserQuery {
            search: "person1".into(),
            limit: 1,
            ..q()
        })
        .await
        .unwrap();
    assert_eq!(ids.len(), 10, "ids ignore the page limit (select all)");
    let facets = core.directory_facets().await.unwrap();
    assert_eq!(facets.users, 30);
    assert_eq!(facets.departments, ["Engineering", "Sales", "Support"]);
    assert_eq!(facets.groups.len(), 1);
    assert_eq!(facets.groups[0].member_count, 15);
}

#[tokio::test]
async fn the_search_index_follows_edits_imports_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    let s = |text: &str| UserQuery {
        search: text.into(),
        ..q()
    };
    let mut input = core
        .get_user("person05@example.com")
        .await
        .unwrap()
        .to_input();
    input.lastname = "Zebrafish".into();
    input.displayname = String::new();
    core.update_user("person05@example.com", input)
        .await
        .unwrap();
    assert_eq!(
        emails(&core.query_users(&s("zebra")).await.unwrap()),
        ["person05@example.com"],
        "an edit is searchable at once (the update trigger)"
    );
    assert_eq!(
        core.query_users(&s("P5 L5")).await.unwrap().total,
        0,
        "the old name is gone"
    );

    core.import_csv("email,firstname,lastname,department\nnew@example.com,Neu,Quokka,Zoo\nperson06@example.com,P6,Okapi,Sales\n")
        .await
        .unwrap();
    assert_eq!(
        core.query_users(&s("quokka")).await.unwrap().total,
        1,
        "imported rows are indexed"
    );
    assert_eq!(
        emails(&core.query_users(&s("okapi")).await.unwrap()),
        ["person06@example.com"],
        "rows an import updates are re-indexed"
    );

    core.delete_users(&["person05@example.com".to_string()])
        .await
        .unwrap();
    assert_eq!(
        core.query_users(&s("zebra")).await.unwrap().total,
        0,
        "a deleted user is not found"
    );
    assert_eq!(core.query_users(&q()).await.unwrap().all, 30);
}

/// Search, department, group, sort by name descending, offset.
type Case = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    bool,
    u32,
);

/// Enough users that pages of many matches walk the sort order (more than 2,000 matches): a
/// broad term on the first page probes each row walked, a deep page or a narrower term collects
/// the matches first. Every plan must give what a plain filter and sort in Rust gives.
#[tokio::test]
async fn pages_of_many_matches_agree_with_a_plain_filter_whatever_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let n = 6_000;
    let mut csv = String::from("email,firstname,lastname,department,groups\n");
    for i in 0..n {
        let dept = ["Sales", "Support", "Legal"][i % 3];
        let group = if i % 2 == 0 { "Even" } else { "Odd" };
        // "zeta" in a tenth of the names: a narrower term (600 matches).
        let first = if i % 10 == 3 { "Zeta" } else { "Alpha" };
        csv.push_str(&format!(
            "member{:04}@bulk.example.com,{first}{i},Last{},{dept},{group}\n",
            (i * 7919) % n,
            i % 50
        ));
    }
    let summary = core.import_csv(&csv).await.unwrap();
    assert_eq!(summary.created, n as u32);
    let everyone = core.list_users(None).await.unwrap();

    let cases: Vec<Case> = vec![
        ("member", None, None, false, 0), // all match: each row walked is probed
        ("m", None, None, false, 0),      // one letter, all match: probed
        ("member", None, None, false, 5_600), // deep: the matches collected first
        ("alpha", None, None, true, 0),   // 90%, by name: probed
        ("alpha", None, Some("Even"), false, 200), // 45% with a group: probed
        ("bulk", Some("Sales"), None, true, 0), // a third: collected
        ("zeta", None, None, false, 0),   // few: read, then sorted
    ];
    for (search, department, group, by_name, offset) in cases {
        let mut want: Vec<&lanyard_core::directory::users::User> = everyone
            .iter()
            .filter(|u| {
                let text = format!(
                    "{} {} {} {}",
                    u.email, u.firstname, u.lastname, u.department
                )
                .to_lowercase();
                text.contains(search)
                    && department.is_none_or(|d| u.department == d)
                    && group.is_none_or(|g| u.groups.iter().any(|x| x == g))
            })
            .collect();
        if by_name {
            want.sort_by(|a, b| {
                b.displayname
                    .to_lowercase()
                    .cmp(&a.displayname.to_lowercase())
                    .then(b.id.cmp(&a.id))
            });
        } else {
            want.sort_by_key(|u| u.email.to_lowercase());
        }
        let query = UserQuery {
            search: search.into(),
            department: department.map(str::to_owned),
            group: group.map(str::to_owned),
            sort: if by_name {
                vec![UserSort {
                    by: UserSortKey::Displayname,
                    desc: true,
                }]
            } else {
                Vec::new()
            },
            offset,
            limit: 200,
            ..Default::default()
        };
        let page = core.query_users(&query).await.unwrap();
        assert_eq!(page.total as usize, want.len(), "count for {search:?}");
        let expected: Vec<String> = want
            .iter()
            .skip(offset as usize)
            .take(200)
            .map(|u| u.email.to_lowercase())
            .collect();
        assert!(
            !expected.is_empty(),
            "the case {search:?} has rows to compare"
        );
        assert_eq!(emails(&page), expected, "page for {search:?} at {offset}");
    }
}

#[tokio::test]
async fn reading_ahead_reads_every_user() {
    let dir = tempfile::tempdir().unwrap();
    let core = seeded(dir.path()).await;
    assert_eq!(core.warm_directory().await.unwrap(), 30);
}
