//! Realistic preloaded users (`--users N`): names, titles, departments, phones and addresses from
//! small tables, drawn with the run's seed so the same seed gives the same org.

use crate::org::Org;
use crate::scim::users::normalize;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

const GIVEN: &[&str] = &[
    "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Arjun", "Mei", "Yusuf", "Chloe",
    "Lucas", "Amara", "Hiroshi", "Ingrid", "Diego", "Fatima", "Jonas", "Priya", "Kwame", "Elena",
    "Tomás", "Zoe", "Omar",
];
const FAMILY: &[&str] = &[
    "Smith",
    "García",
    "Chen",
    "Okafor",
    "Müller",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Patel",
    "Johansson",
    "Silva",
    "Kim",
    "Haddad",
    "O'Brien",
    "Dubois",
    "Tanaka",
    "Novak",
    "Ibrahim",
    "Larsen",
    "Moreau",
];
const TITLES: &[(&str, &str)] = &[
    ("Account Executive", "Sales"),
    ("Sales Development Rep", "Sales"),
    ("Support Engineer", "Support"),
    ("Customer Success Manager", "Support"),
    ("Marketing Manager", "Marketing"),
    ("Finance Analyst", "Finance"),
    ("Software Engineer", "Engineering"),
    ("IT Administrator", "IT"),
];
const CITIES: &[(&str, &str, &str)] = &[
    ("San Francisco", "CA", "US"),
    ("Austin", "TX", "US"),
    ("Toronto", "ON", "CA"),
    ("London", "", "GB"),
    ("Berlin", "", "DE"),
    ("Sydney", "NSW", "AU"),
];

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'à' => Some('a'),
            'é' => Some('e'),
            'í' => Some('i'),
            'ó' => Some('o'),
            'ü' | 'ú' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Adds `count` users to the org.
pub fn preload_users(org: &mut Org, count: usize, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_u64);
    let standard = org
        .profiles
        .iter()
        .find(|p| p.name == "Standard User")
        .map(|p| p.id.clone());
    let Some(profile) = standard else { return };
    let now = "2026-01-05T09:00:00.000Z";
    let base = format!("https://{}", org.my_domain());
    let picklists = std::mem::replace(&mut org.picklists_enabled, false);
    for n in 0..count {
        let given = *pick(&mut rng, GIVEN);
        let family = *pick(&mut rng, FAMILY);
        let (title, department) = *pick(&mut rng, TITLES);
        let (city, region, country) = *pick(&mut rng, CITIES);
        let user_name = format!(
            "{}.{}{}@{}.example.com",
            ascii_slug(given),
            ascii_slug(family),
            n + 1,
            org.name
        );
        let input = json!({
            "userName": user_name,
            "name": {"givenName": given, "familyName": family},
            "emails": [{"value": user_name, "type": "work", "primary": true}],
            "title": title,
            "phoneNumbers": [{"value": format!("+1 415 555 {:04}", rng.random_range(0..10_000)), "type": "work"}],
            "addresses": [{"type": "work", "locality": city, "region": region, "country": country}],
            "entitlements": [{"value": profile}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": department,
                "employeeNumber": format!("E{:06}", n + 1),
            },
        });
        let map: Map<String, Value> = input.as_object().cloned().unwrap_or_default();
        if let Ok(user) = normalize(org, &base, &map, None, now) {
            org.put_user(user);
        }
    }
    org.picklists_enabled = picklists;
}
