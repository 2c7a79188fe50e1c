//! The text filter of the event log: every word must appear, in any case, in the detail, target,
//! name, application or error code of an event (a substring: `0421` finds `user000421`).
//!
//! Two parts, one meaning. The trigram index `events_search` (migration 0014) answers which events
//! hold each word of three characters or more, newest first, without reading the others; then every
//! word is checked with `LIKE` on the event's own fields, exactly as before the index existed. The
//! index can only narrow what `LIKE` would find (it folds case like `LIKE` does for ASCII, and more),
//! never add to it. A filter whose words are all shorter than three characters has nothing for the
//! index to look up (a trigram needs three) and is answered by `LIKE` alone.

use sqlx::{QueryBuilder, Sqlite};

/// At most this many words of a text filter are used.
const MAX_TERMS: usize = 8;

/// The fields a word may be in (the index's `search_text` holds the same ones).
const FIELDS: [&str; 5] = ["detail", "target", "name", "app_name", "error_code"];

/// The shortest word the trigram index can look up.
const MIN_INDEXED_CHARS: usize = 3;

/// A text filter split into its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TextSearch<'a> {
    words: Vec<&'a str>,
}

impl<'a> TextSearch<'a> {
    /// The words of `text` (split on whitespace; the first [`MAX_TERMS`]).
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            words: text.split_whitespace().take(MAX_TERMS).collect(),
        }
    }

    /// The full-text query for the index: each word of three characters or more as a phrase (its
    /// trigrams in order, that is the word as a substring), all of them required. `None` when no
    /// word is long enough.
    pub(super) fn match_expression(&self) -> Option<String> {
        let phrases: Vec<String> = self
            .words
            .iter()
            .filter(|w| w.chars().count() >= MIN_INDEXED_CHARS)
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        (!phrases.is_empty()).then(|| phrases.join(" AND "))
    }

    /// Appends `AND (detail LIKE … OR target LIKE … …)` for every word: `%` and `_` are literal.
    pub(super) fn push_like(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        for word in &self.words {
            let like = format!(
                "%{}%",
                word.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            q.push(" AND (");
            for (i, field) in FIELDS.iter().enumerate() {
                if i > 0 {
                    q.push(" OR ");
                }
                q.push(format!("events.{field} LIKE "))
                    .push_bind(like.clone())
                    .push(" ESCAPE '\\'");
            }
            q.push(")");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_left_to_like_and_quotes_are_doubled() {
        let s = TextSearch::new("  ann  42 \"quoted\"x DUPLICATE ");
        assert_eq!(
            s.match_expression().as_deref(),
            Some(r#""ann" AND """quoted""x" AND "DUPLICATE""#)
        );
        assert_eq!(TextSearch::new("a 42 é").match_expression(), None);
        assert_eq!(
            TextSearch::new("été").match_expression().as_deref(),
            Some("\"été\""),
            "three characters, not three bytes"
        );
        assert_eq!(TextSearch::new("").match_expression(), None);
    }

    #[test]
    fn at_most_eight_words() {
        let s = TextSearch::new("w01 w02 w03 w04 w05 w06 w07 w08 w09");
        assert_eq!(s.words.len(), MAX_TERMS);
        assert!(!s.match_expression().unwrap_or_default().contains("w09"));
    }
}
