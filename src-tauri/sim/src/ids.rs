//! Salesforce-style record ids: a three-character key prefix (005 users, 00G groups, 00e
//! profiles, 0PS permission sets, 00E roles, 00D orgs) and a zero-padded base-62 counter, so that
//! string order is creation order (what `id gt "<last id>"` paging relies on).

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An 18-character id: prefix + 12 base-62 digits + "IAA".
pub fn make(prefix: &str, seq: u64) -> String {
    let mut digits = [b'0'; 12];
    let mut n = seq;
    for slot in digits.iter_mut().rev() {
        *slot = DIGITS[(n % 62) as usize];
        n /= 62;
    }
    let mut id = String::with_capacity(18);
    id.push_str(prefix);
    id.push_str(std::str::from_utf8(&digits).unwrap_or("000000000000"));
    id.push_str("IAA");
    id
}

#[cfg(test)]
mod tests {
    use super::make;

    #[test]
    fn ids_sort_in_creation_order() {
        let ids: Vec<String> = [1u64, 9, 10, 61, 62, 3843, 3844, 1_000_000]
            .iter()
            .map(|&n| make("005", n))
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "string order must follow the counter");
        assert!(ids.iter().all(|i| i.len() == 18 && i.starts_with("005")));
    }
}
