//! Field rules shared by the forms, the CLI and the CSV import. Pure functions: no database, no clock.

use super::DirectoryError;

/// Salesforce's limit on a username.
pub const EMAIL_MAX: usize = 80;
/// The longest local part (before the @) an email address may have.
const LOCAL_MAX: usize = 64;

/// The rule for usernames, as shown to people.
pub const EMAIL_RULE: &str = "an email address with one @, a domain with a dot (example.com), at most 80 characters, and no spaces or accented letters";

/// Characters allowed before the @ besides ASCII letters and digits (what Salesforce accepts).
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";

/// Checks an email against Salesforce's username rules; returns it trimmed.
pub fn email(value: &str) -> Result<String, DirectoryError> {
    let trimmed = value.trim();
    let bad = |reason: String| DirectoryError::InvalidEmail {
        value: trimmed.to_owned(),
        reason,
    };
    if trimmed.is_empty() {
        return Err(bad("it is empty; every user needs one".into()));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_whitespace()) {
        let what = if c == ' ' { "a space" } else { "white space" };
        return Err(bad(format!("it contains {what}, which Salesforce refuses")));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_control())
    {
        return Err(bad(format!(
            "it contains {c:?}, which Salesforce refuses in usernames (use plain ASCII letters and digits)"
        )));
    }
    let len = trimmed.chars().count();
    if len > EMAIL_MAX {
        return Err(bad(format!(
            "it is {len} characters long; the limit is {EMAIL_MAX}"
        )));
    }
    let ats = trimmed.matches('@').count();
    if ats == 0 {
        return Err(bad("it has no @: write it as name@example.com".into()));
    }
    if ats > 1 {
        return Err(bad(format!(
            "it has {ats} @ signs; a username has exactly one"
        )));
    }
    let (local, domain) = trimmed.split_once('@').unwrap_or((trimmed, ""));
    if local.is_empty() {
        return Err(bad("nothing comes before the @".into()));
    }
    if local.len() > LOCAL_MAX {
        return Err(bad(format!(
            "the part before the @ is {} characters long; the limit is {LOCAL_MAX}",
            local.len()
        )));
    }
    if let Some(c) = local
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !LOCAL_SPECIALS.contains(*c))
    {
        return Err(bad(format!(
            "the part before the @ contains {c:?}, which Salesforce refuses"
        )));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad(
            "the part before the @ starts or ends with a dot, or has two dots in a row".into(),
        ));
    }
    if domain.is_empty() {
        return Err(bad("there is no domain after the @".into()));
    }
    if !domain.contains('.') {
        return Err(bad(format!(
            "the domain {domain:?} has no dot: use a full domain such as example.com"
        )));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(bad(format!(
                "the domain {domain:?} has an empty part (two dots in a row, or a dot at an end)"
            )));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
        {
            return Err(bad(format!(
                "the domain contains {c:?}; a domain has only letters, digits, hyphens and dots"
            )));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad(format!(
                "the domain part {label:?} starts or ends with a hyphen"
            )));
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if tld.len() < 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(bad(format!(
            "the domain ends in {tld:?}; it must end in a top-level domain of letters, such as .com"
        )));
    }
    Ok(trimmed.to_owned())
}

/// Trims a free-text field and checks its length and that it holds no control characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String, DirectoryError> {
    let trimmed = value.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(DirectoryError::ControlCharacter { field });
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(DirectoryError::TooLong { field, len, max });
    }
    Ok(trimmed.to_owned())
}

/// Like [`text`], but line breaks are allowed (a street address may span lines).
pub fn text_lines(field: &'static str, value: &str, max: usize) -> Result<String, DirectoryError> {
    let unified = value.trim().replace("\r\n", "\n");
    if unified.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DirectoryError::ControlCharacter { field });
    }
    let len = unified.chars().count();
    if len > max {
        return Err(DirectoryError::TooLong { field, len, max });
    }
    Ok(unified)
}

/// The longest group name accepted.
pub const GROUP_NAME_MAX: usize = 80;
/// The rule for group names, as shown to people.
pub const GROUP_NAME_RULE: &str = "a group name is 1 to 80 characters, with no semicolon (it separates groups in CSV files) and no control characters";

pub fn group_name(value: &str) -> Result<String, DirectoryError> {
    let trimmed = value.trim();
    let ok = !trimmed.is_empty()
        && trimmed.chars().count() <= GROUP_NAME_MAX
        && !trimmed.contains(';')
        && !trimmed.chars().any(char::is_control);
    if ok {
        Ok(trimmed.to_owned())
    } else {
        Err(DirectoryError::InvalidGroupName {
            value: trimmed.to_owned(),
            rule: GROUP_NAME_RULE,
        })
    }
}

/// Parses a yes/no cell or flag: true/false, yes/no, 1/0, y/n (any case); empty is false.
pub fn flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" => Some(false),
        "true" | "yes" | "y" | "1" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, HasCode};

    #[test]
    fn accepts_usernames_salesforce_accepts() {
        for ok in [
            "ada@example.com",
            "Ada.Lovelace@Example.COM",
            "a+b@sub.example.co.uk",
            "o'brien@example.org",
            "ada@example.com.sandbox",
            " padded@example.com ",
        ] {
            assert!(
                email(ok).is_ok(),
                "{ok:?} is a valid username: {:?}",
                email(ok)
            );
        }
        assert_eq!(
            email(" x@example.com ").unwrap(),
            "x@example.com",
            "trimmed"
        );
    }

    #[test]
    fn refuses_each_kind_of_bad_username_with_the_reason() {
        let cases = [
            ("", "empty"),
            ("ada", "no @"),
            ("ada@@example.com", "2 @"),
            ("a@b@example.com", "2 @"),
            ("ada lovelace@example.com", "space"),
            ("adé@example.com", "refuses in usernames"),
            ("@example.com", "before the @"),
            ("ada@", "no domain"),
            ("ada@localhost", "no dot"),
            ("ada@example..com", "empty part"),
            ("ada@exa_mple.com", "only letters"),
            ("ada@-example.com", "hyphen"),
            ("ada(x)@example.com", "refuses"),
            (".ada@example.com", "dot"),
            ("ada@example.c0m", "top-level"),
        ];
        for (bad, why) in cases {
            let err = email(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad}");
            assert!(
                err.to_string().contains(why),
                "the message for {bad:?} says {why:?}: {err}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(70));
        assert!(email(&long)
            .unwrap_err()
            .to_string()
            .contains("limit is 80"));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("job title", "  CTO ", 80).unwrap(), "CTO");
        assert!(matches!(
            text("job title", &"x".repeat(81), 80),
            Err(DirectoryError::TooLong { len: 81, .. })
        ));
        assert!(matches!(
            text("department", "a\u{7}b", 80),
            Err(DirectoryError::ControlCharacter { .. })
        ));
    }

    #[test]
    fn group_names_refuse_semicolons_and_blank() {
        assert_eq!(group_name(" Sales EMEA ").unwrap(), "Sales EMEA");
        for bad in ["", "   ", "a;b", &"g".repeat(81)] {
            assert!(group_name(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn flags_accept_common_spellings_only() {
        assert_eq!(flag("TRUE"), Some(true));
        assert_eq!(flag("yes"), Some(true));
        assert_eq!(flag("0"), Some(false));
        assert_eq!(flag(""), Some(false));
        assert_eq!(flag("maybe"), None);
    }
}
