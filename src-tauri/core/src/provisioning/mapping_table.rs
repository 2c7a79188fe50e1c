//! The attribute mapping as a table the window shows (read-only): the same rows as the table at
//! the top of `mapping.rs`, with each row's rule as a value the UI can branch on.

use serde::Serialize;

/// When an attribute is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MappingRule {
    /// On create and on every update that changes it.
    Always,
    /// On create only (later changes are not pushed).
    CreateOnly,
    /// On create; never changed on an existing user.
    NeverUpdated,
    /// Never sent.
    NeverSent,
}

/// One row of the mapping: the SCIM attribute, where its value comes from, and when it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MappingRow {
    pub scim: String,
    pub source: String,
    pub rule: MappingRule,
    pub note: String,
}

/// The mapping, in the order of the integration guide.
pub fn mapping_table() -> Vec<MappingRow> {
    use MappingRule::*;
    let rows: [(&str, &str, MappingRule, &str); 16] = [
        ("externalId", "id", Always, ""),
        ("name.givenName", "firstname", Always, ""),
        ("name.familyName", "lastname", Always, ""),
        ("displayName", "displayname", Always, ""),
        ("nickName", "—", NeverSent, "Salesforce derives it"),
        (
            "entitlements[primary]",
            "the \"Standard User\" profile",
            CreateOnly,
            "found by Test connection",
        ),
        (
            "userName",
            "email, lower-cased",
            NeverUpdated,
            "the Salesforce username",
        ),
        (
            "password",
            "what the admin typed for that push",
            CreateOnly,
            "never stored",
        ),
        (
            "emails[type=work, primary]",
            "email",
            NeverUpdated,
            "a changed email is reported, not pushed",
        ),
        (
            "active",
            "not suspended and password not expired",
            Always,
            "",
        ),
        ("userType / title", "employee_type / job_title", Always, ""),
        ("locale / preferredLanguage", "\"en_US\"", CreateOnly, ""),
        ("addresses[0]", "the address", Always, ""),
        ("phoneNumbers[0]", "the phone", Always, ""),
        (
            "enterprise employeeNumber",
            "employee_identifier",
            Always,
            "",
        ),
        (
            "enterprise department / organization",
            "department / company",
            Always,
            "",
        ),
    ];
    rows.into_iter()
        .map(|(scim, source, rule, note)| MappingRow {
            scim: scim.to_owned(),
            source: source.to_owned(),
            rule,
            note: note.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_the_rules_the_mapping_applies() {
        let t = mapping_table();
        let rule = |scim: &str| t.iter().find(|r| r.scim == scim).map(|r| r.rule);
        assert_eq!(
            rule("userName"),
            Some(MappingRule::NeverUpdated),
            "see update()"
        );
        assert_eq!(rule("entitlements[primary]"), Some(MappingRule::CreateOnly));
        assert_eq!(
            rule("nickName"),
            Some(MappingRule::NeverSent),
            "see nick_name_is_never_sent"
        );
        assert_eq!(rule("active"), Some(MappingRule::Always));
    }
}
