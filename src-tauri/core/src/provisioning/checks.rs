//! Checks before any push: a clear error per user instead of a round trip the target would refuse.
//! The username rule is the directory's ([`crate::directory::validate::email`]): one rule, one place.

use crate::directory::access::AuthorizedUser;
use crate::directory::validate;
use serde::Serialize;
use std::collections::HashMap;

/// A user the run will not push, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserProblem {
    pub user_id: String,
    pub email: String,
    pub message: String,
}

/// Splits the users into those that can be pushed and the problems of the others.
pub fn check(
    users: Vec<AuthorizedUser>,
    picklists_on: bool,
) -> (Vec<AuthorizedUser>, Vec<UserProblem>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for u in &users {
        *seen.entry(u.email.to_lowercase()).or_default() += 1;
    }
    let mut ok = Vec::with_capacity(users.len());
    let mut problems = Vec::new();
    for u in users {
        let message = if u.email.trim().is_empty() {
            Some(
                "has no email, which is also the Salesforce username: add one in the Directory."
                    .to_owned(),
            )
        } else if let Err(e) = validate::email(&u.email) {
            Some(format!("{e} Fix it in the Directory."))
        } else if seen.get(&u.email.to_lowercase()).copied().unwrap_or(0) > 1 {
            Some("shares its username with another directory user: each Salesforce user needs its own.".to_owned())
        } else if u.lastname.trim().is_empty() {
            Some(
                "has no last name, which Salesforce requires: add one in the Directory.".to_owned(),
            )
        } else if picklists_on && !(u.address.region.is_empty() && u.address.country.is_empty()) {
            Some("has an address with a state or country, which Salesforce refuses while its state and country picklists are on: deactivate the picklists in Salesforce (and in this connection's settings), or clear the state and country.".to_owned())
        } else {
            None
        };
        match message {
            Some(message) => problems.push(UserProblem {
                user_id: u.id.clone(),
                email: u.email.clone(),
                message: format!("{} {message}", u.email),
            }),
            None => ok.push(u),
        }
    }
    (ok, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{Address, Phone};

    fn user(email: &str, last: &str) -> AuthorizedUser {
        AuthorizedUser {
            id: email.into(),
            email: email.into(),
            firstname: String::new(),
            lastname: last.into(),
            displayname: String::new(),
            employee_type: String::new(),
            job_title: String::new(),
            employee_identifier: String::new(),
            department: String::new(),
            company: String::new(),
            address: Address::default(),
            phone: Phone::default(),
            suspended: false,
            password_expired: false,
            federation_id: None,
        }
    }

    #[test]
    fn each_problem_is_named_and_the_good_users_go_on() {
        let mut addr = user("c@x.example", "C");
        addr.address.country = "US".into();
        let (ok, problems) = check(
            vec![
                user("a@x.example", "A"),
                user("not an email", "B"),
                user("d@x.example", ""),
                addr.clone(),
            ],
            true,
        );
        assert_eq!(ok.len(), 1);
        assert_eq!(problems.len(), 3);
        assert!(problems[0].message.contains("not an email"));
        assert!(problems[1].message.contains("last name"));
        assert!(problems[2].message.contains("picklists"));
        let (ok, _) = check(vec![addr], false);
        assert_eq!(ok.len(), 1, "picklists off: the address goes");
    }
}
