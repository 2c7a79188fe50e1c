//! What a form asks while the admin types: the very rules that gate a save (application names,
//! group names, a user's fields), answered per field so the window shows each problem beside the
//! field it concerns. The window holds no copy of these rules; the save checks them again.

use crate::apps::AppName;
use crate::directory::{validate, UserInput};
use serde::{Deserialize, Serialize};

/// A form's values to check.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum FormCheck {
    /// An application's (or a bookmark's) name.
    AppName { name: String },
    /// A group's name.
    GroupName { name: String },
    /// A user's fields, as the user drawer sends them.
    User { input: Box<UserInput> },
}

/// One problem, named by the field's JSON path (`name`, `email`, `address.locality`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    fn new(field: &str, problem: impl ToString) -> Self {
        Self {
            field: field.to_owned(),
            message: problem.to_string(),
        }
    }
}

/// Every problem with the values, none when a save would take them.
pub fn check(form: &FormCheck) -> Vec<FieldProblem> {
    match form {
        FormCheck::AppName { name } => AppName::parse(name.trim())
            .err()
            .map(|e| FieldProblem::new("name", e))
            .into_iter()
            .collect(),
        FormCheck::GroupName { name } => validate::group_name(name)
            .err()
            .map(|e| FieldProblem::new("name", e))
            .into_iter()
            .collect(),
        FormCheck::User { input } => input
            .validate_fields()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(field, e)| FieldProblem::new(field, e))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(form: FormCheck) -> Vec<String> {
        check(&form).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn app_names_say_what_is_wrong() {
        let problems = check(&FormCheck::AppName {
            name: "Sales Force".into(),
        });
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("lowercase"), "{problems:?}");
        assert!(fields(FormCheck::AppName {
            name: "salesforce-prod".into()
        })
        .is_empty());
        let trailing = check(&FormCheck::AppName {
            name: "acme-".into(),
        });
        assert!(
            trailing[0].message.contains("start and end"),
            "{trailing:?}"
        );
    }

    #[test]
    fn group_names_refuse_semicolons() {
        assert_eq!(
            fields(FormCheck::GroupName { name: "a;b".into() }),
            ["name"]
        );
        assert!(fields(FormCheck::GroupName {
            name: "Sales".into()
        })
        .is_empty());
    }

    #[test]
    fn user_problems_name_their_field() {
        let mut input = UserInput {
            email: "ada@example".into(),
            lastname: String::new(),
            ..UserInput::default()
        };
        input.address.locality = "x".repeat(41);
        input.phone.value = "1\t2".into();
        assert_eq!(
            fields(FormCheck::User {
                input: Box::new(input)
            }),
            ["email", "address.locality", "phone.value", "lastname"]
        );
        let ok = UserInput {
            email: "ada@example.com".into(),
            lastname: "Lovelace".into(),
            ..UserInput::default()
        };
        assert!(fields(FormCheck::User {
            input: Box::new(ok)
        })
        .is_empty());
    }
}
