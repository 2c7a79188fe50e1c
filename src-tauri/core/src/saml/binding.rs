//! Which IdP certificate signs for which Salesforce single sign-on configuration.
//!
//! Salesforce trusts exactly one IdP certificate per SAML Single Sign-On configuration, and each
//! configuration has its own Login URL (the ACS): `https://<My Domain>?so=<org id>` for the
//! first, with `&sc=<configuration id>` for the ones added later. An IdP certificate may be bound
//! to the Login URL of the configuration that trusts it; unbound, it signs for the ACS of the SP
//! metadata. That makes a rollover without a gap possible:
//!
//! 1. create the next certificate (published in the IdP metadata next to the active one);
//! 2. in Salesforce, add a second configuration that trusts the next certificate;
//! 3. bind the next certificate to that configuration's Login URL: from then on, SP-initiated
//!    logins through the new configuration are signed with the next key, those through the old
//!    one with the active key, so both work while the admin checks the new one (an unbound next
//!    certificate never signs: Salesforce does not trust it anywhere yet);
//! 4. activate: IdP-initiated logins move to the new configuration; the old one keeps working
//!    with the previous key for SP-initiated logins until
//! 5. retire, once the old configuration is gone from Salesforce.

use super::store::IdpCertRow;

/// The Login URL a certificate signs for: its binding, else the SP's ACS.
pub fn effective_acs<'a>(row: &'a IdpCertRow, sp_acs: &'a str) -> &'a str {
    row.acs_url.as_deref().unwrap_or(sp_acs)
}

/// Which certificate answers for a Login URL several sign for: the active one; then a next one
/// the admin bound to it (that configuration now trusts it); then the previous one. `None`: it
/// signs for nothing (retired, or next and not bound).
fn rank(row: &IdpCertRow) -> Option<u8> {
    match row.status.as_str() {
        "active" => Some(0),
        "next" if row.acs_url.is_some() => Some(1),
        "previous" => Some(2),
        _ => None,
    }
}

/// A Login URL in the form two spellings of it share: parsed (so `https://h?x` and
/// `https://h/?x` agree, and the host's case does not matter) with its query parameters sorted.
/// Not a URL: the text as it is.
pub fn canonical(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url.trim()) else {
        return url.trim().to_owned();
    };
    let mut pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    parsed.set_query(None);
    if !pairs.is_empty() {
        parsed.query_pairs_mut().extend_pairs(pairs);
    }
    parsed.set_fragment(None);
    parsed.to_string()
}

/// A Login URL as Lanyard stores it: parsed and written back (`https://h?x` becomes
/// `https://h/?x`), its parameters kept in Salesforce's order.
pub fn normalized(url: &str) -> String {
    url::Url::parse(url.trim())
        .map(|u| u.to_string())
        .unwrap_or_else(|_| url.trim().to_owned())
}

/// Whether two spellings name the same Login URL.
pub fn same(a: &str, b: &str) -> bool {
    a == b || canonical(a) == canonical(b)
}

/// The Login URLs Lanyard answers for: one per configuration a certificate signs for (the active
/// certificate's first); the SP's ACS while there is no certificate yet (signing then says so).
pub fn known_acs(rows: &[IdpCertRow], sp_acs: &str) -> Vec<String> {
    let mut signing: Vec<(u8, &IdpCertRow)> = rows
        .iter()
        .filter_map(|r| rank(r).map(|k| (k, r)))
        .collect();
    signing.sort_by_key(|(k, _)| *k);
    let mut out: Vec<String> = Vec::new();
    for (_, r) in signing {
        let acs = effective_acs(r, sp_acs);
        if !out.iter().any(|a| same(a, acs)) {
            out.push(acs.to_owned());
        }
    }
    if out.is_empty() {
        out.push(sp_acs.to_owned());
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
pub enum PickError {
    /// No active certificate (IdP-initiated) or no certificate at all.
    NoActive,
    /// The request names a Login URL no published certificate signs for.
    UnknownAcs {
        requested: String,
        known: Vec<String>,
    },
}

/// The certificate that signs a response, and the ACS it is posted to. Without `requested`
/// (IdP-initiated): the active certificate, to its Login URL. With the ACS a login request asked
/// for: the certificate that configuration trusts (see `rank`), posted to the URL as asked.
pub fn pick<'a>(
    rows: &'a [IdpCertRow],
    sp_acs: &str,
    requested: Option<&str>,
) -> Result<(&'a IdpCertRow, String), PickError> {
    let Some(requested) = requested else {
        let active = rows
            .iter()
            .find(|r| r.status == "active")
            .ok_or(PickError::NoActive)?;
        return Ok((active, effective_acs(active, sp_acs).to_owned()));
    };
    if !rows.iter().any(|r| r.status == "active") {
        return Err(PickError::NoActive);
    }
    rows.iter()
        .filter_map(|r| rank(r).map(|k| (k, r)))
        .filter(|(_, r)| same(effective_acs(r, sp_acs), requested))
        .min_by_key(|(k, _)| *k)
        .map(|(_, r)| (r, requested.to_owned()))
        .ok_or_else(|| PickError::UnknownAcs {
            requested: requested.to_owned(),
            known: known_acs(rows, sp_acs),
        })
}

/// Why a Login URL cannot be bound, or `None` when it is one of the same org's: same scheme,
/// host, port and path as the SP's ACS, and the same `so` (org id).
pub fn login_url_problem(candidate: &str, sp_acs: &str) -> Option<String> {
    let Ok(url) = url::Url::parse(candidate) else {
        return Some("it is not a URL".into());
    };
    let Ok(sp) = url::Url::parse(sp_acs) else {
        return Some(format!("the SP's ACS {sp_acs:?} is not a URL"));
    };
    let so = |u: &url::Url| {
        u.query_pairs()
            .find(|(k, _)| k == "so")
            .map(|(_, v)| v.into_owned())
    };
    if url.scheme() != sp.scheme()
        || url.host_str() != sp.host_str()
        || url.port_or_known_default() != sp.port_or_known_default()
        || url.path() != sp.path()
    {
        return Some(format!(
            "it is not a Login URL of the same Salesforce org as the ACS {sp_acs:?} (scheme, host and path must match)"
        ));
    }
    if so(&url) != so(&sp) {
        return Some(format!(
            "its so= (org id) {:?} differs from the ACS's {:?}",
            so(&url).unwrap_or_default(),
            so(&sp).unwrap_or_default()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    const ACS1: &str = "https://acme.my.salesforce.com?so=00D000000000001";
    const ACS2: &str = "https://acme.my.salesforce.com?so=00D000000000001&sc=0LE000000000002";

    fn row(id: &str, status: &str, acs: Option<&str>) -> IdpCertRow {
        IdpCertRow {
            id: id.into(),
            status: status.into(),
            cert_pem: String::new(),
            sha256: String::new(),
            subject: String::new(),
            key_bits: 2048,
            not_before: Utc::now(),
            not_after: Utc::now(),
            created_at: Utc::now(),
            activated_at: None,
            retired_at: None,
            acs_url: acs.map(str::to_owned),
        }
    }

    #[test]
    fn each_configuration_gets_the_certificate_it_trusts_through_the_whole_rollover() {
        // Before the switch: the old key signs for the first configuration, the next key for the
        // second; IdP-initiated logins still go to the first.
        let before = [row("old", "active", None), row("new", "next", Some(ACS2))];
        assert_eq!(pick(&before, ACS1, None).unwrap().0.id, "old");
        assert_eq!(pick(&before, ACS1, None).unwrap().1, ACS1);
        assert_eq!(pick(&before, ACS1, Some(ACS1)).unwrap().0.id, "old");
        assert_eq!(pick(&before, ACS1, Some(ACS2)).unwrap().0.id, "new");
        // After: IdP-initiated moves to the second; the first still works SP-initiated.
        let after = [
            row("new", "active", Some(ACS2)),
            row("old", "previous", None),
        ];
        assert_eq!(
            pick(&after, ACS1, None).unwrap(),
            (&after[0], ACS2.to_owned())
        );
        assert_eq!(pick(&after, ACS1, Some(ACS1)).unwrap().0.id, "old");
        assert_eq!(pick(&after, ACS1, Some(ACS2)).unwrap().0.id, "new");
        // Retired: the first configuration is no longer signed for.
        let retired = [
            row("new", "active", Some(ACS2)),
            row("old", "retired", None),
        ];
        assert_eq!(
            pick(&retired, ACS1, Some(ACS1)),
            Err(PickError::UnknownAcs {
                requested: ACS1.into(),
                known: vec![ACS2.into()]
            })
        );
    }

    #[test]
    fn without_bindings_the_active_key_signs_for_the_sp_acs() {
        let rows = [row("a", "active", None), row("n", "next", None)];
        assert_eq!(pick(&rows, ACS1, Some(ACS1)).unwrap().0.id, "a");
        assert_eq!(known_acs(&rows, ACS1), vec![ACS1.to_owned()]);
        assert_eq!(pick(&[], ACS1, None), Err(PickError::NoActive));
    }

    #[test]
    fn an_unbound_next_certificate_does_not_take_over_from_the_previous_one() {
        // After a switch to the second configuration, a new next certificate (not bound yet)
        // must not answer for the first one, which still trusts the previous certificate.
        let rows = [
            row("b", "active", Some(ACS2)),
            row("a", "previous", None),
            row("c", "next", None),
        ];
        assert_eq!(pick(&rows, ACS1, Some(ACS1)).unwrap().0.id, "a");
        // Once bound to the first configuration (now trusting it), it does.
        let rows = [
            row("b", "active", Some(ACS2)),
            row("a", "previous", None),
            row("c", "next", Some(ACS1)),
        ];
        assert_eq!(pick(&rows, ACS1, Some(ACS1)).unwrap().0.id, "c");
    }

    #[test]
    fn login_urls_match_whatever_the_spelling() {
        let rows = [row("a", "active", None), row("n", "next", Some(ACS2))];
        let spelled = "https://ACME.my.salesforce.com/?sc=0LE000000000002&so=00D000000000001";
        let (row, acs) = pick(&rows, ACS1, Some(spelled)).unwrap();
        assert_eq!(row.id, "n");
        assert_eq!(
            acs, spelled,
            "posted to the URL exactly as Salesforce asked"
        );
        let known = known_acs(&rows, ACS1);
        assert!(known.iter().any(|k| same(k, spelled)));
        let other = "https://acme.my.salesforce.com/?so=00D000000000001&sc=0LE9";
        assert!(!known.iter().any(|k| same(k, other)));
        assert_eq!(
            known_acs(&[], ACS1),
            vec![ACS1.to_owned()],
            "no key yet: the SP's ACS"
        );
        assert_eq!(
            normalized(ACS2),
            "https://acme.my.salesforce.com/?so=00D000000000001&sc=0LE000000000002"
        );
    }

    #[test]
    fn only_login_urls_of_the_same_org_can_be_bound() {
        assert_eq!(login_url_problem(ACS2, ACS1), None);
        assert!(login_url_problem("https://evil.example.com?so=00D000000000001", ACS1).is_some());
        assert!(
            login_url_problem("https://acme.my.salesforce.com?so=00D999", ACS1)
                .unwrap()
                .contains("so=")
        );
        assert!(login_url_problem("not a url", ACS1).is_some());
    }
}
