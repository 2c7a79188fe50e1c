//! The approval queue: an SP-initiated login request waits here until the admin approves it in
//! the Lanyard window (or the terminal of `lanyard idp serve`), choosing who signs in, or denies
//! it. Nothing on the HTTP side chooses the user: the browser that sent the request only learns
//! a short code (to compare with the one the window shows) and, once approved, receives the
//! response. Bounded ([`MAX_PENDING`]) and short-lived ([`APPROVAL_TTL`]); time is the core's
//! injected clock.

use super::authn_request::Refused;
use crate::{ApiError, Core, ErrorCode};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::sync::Mutex;

/// How long a request waits for the admin.
pub const APPROVAL_TTL: Duration = Duration::minutes(2);
/// How many requests are held at once (waiting, or decided and not yet collected).
pub const MAX_PENDING: usize = 256;
/// How long a decided or expired request still answers its browser page.
const LINGER: Duration = Duration::minutes(1);
/// Characters of the short code: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A login request waiting for the admin, as the window and the terminal show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PendingLogin {
    /// What approve and deny take.
    pub id: String,
    /// The application's name and label.
    pub app: String,
    pub app_label: String,
    /// The Salesforce Login URL the response will be posted to.
    pub login_url: String,
    /// The code the browser page shows, e.g. `K7P-3QD`.
    pub code: String,
    pub received_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What a request holds for its browser once approved.
#[derive(Debug, Clone)]
struct Answer {
    acs_url: String,
    saml_response: String,
}

#[derive(Debug, Clone)]
enum State {
    Waiting,
    /// Being signed (approve is running): neither approve nor deny again.
    Signing,
    Approved(Answer),
    Denied,
    /// The response was handed to the browser.
    Delivered,
}

#[derive(Debug)]
struct Entry {
    view: PendingLogin,
    /// The browser's handle on the request (in its waiting page's URL); never shown in the
    /// window, so the window's list cannot be used to collect a response.
    browser_key: String,
    request_id: String,
    requested_acs: Option<String>,
    relay_state: Option<String>,
    state: State,
}

/// What the browser's waiting page shows next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BrowserView {
    Waiting {
        code: String,
        app_label: String,
        seconds_left: i64,
    },
    /// Approved: post this (once).
    Post {
        acs_url: String,
        saml_response: String,
        relay_state: Option<String>,
    },
    Denied,
    Expired,
    /// Already collected, or never known.
    Gone,
}

/// A new request for the queue.
pub(crate) struct NewRequest {
    pub app: String,
    pub app_label: String,
    pub login_url: String,
    pub request_id: String,
    pub requested_acs: Option<String>,
    pub relay_state: Option<String>,
}

pub struct ApprovalQueue {
    entries: Mutex<Vec<Entry>>,
    changed: tokio::sync::watch::Sender<u64>,
}

impl Default for ApprovalQueue {
    fn default() -> Self {
        Self {
            entries: Mutex::new(Vec::new()),
            changed: tokio::sync::watch::channel(0).0,
        }
    }
}

fn random_code() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut code: String = bytes[..6]
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect();
    code.insert(3, '-');
    code
}

fn gone(what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("This login request is no longer waiting ({what}): ask the user to start again from Salesforce's login page."),
    )
}

impl ApprovalQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn purge(entries: &mut Vec<Entry>, now: DateTime<Utc>) {
        entries.retain(|e| e.view.expires_at + LINGER > now);
    }

    /// Holds a checked request; returns the browser's key and the window's view.
    pub(crate) fn add(
        &self,
        r: NewRequest,
        now: DateTime<Utc>,
    ) -> Result<(String, PendingLogin), Refused> {
        let mut entries = self.lock();
        Self::purge(&mut entries, now);
        if entries.len() >= MAX_PENDING {
            return Err(Refused::new(
                "Too many login requests",
                format!("{MAX_PENDING} login requests are already waiting for approval in Lanyard: approve or deny them there, or wait two minutes."),
            ));
        }
        let view = PendingLogin {
            id: uuid::Uuid::new_v4().to_string(),
            app: r.app,
            app_label: r.app_label,
            login_url: r.login_url,
            code: random_code(),
            received_at: now,
            expires_at: now + APPROVAL_TTL,
        };
        let browser_key = uuid::Uuid::new_v4().simple().to_string();
        entries.push(Entry {
            view: view.clone(),
            browser_key: browser_key.clone(),
            request_id: r.request_id,
            requested_acs: r.requested_acs,
            relay_state: r.relay_state,
            state: State::Waiting,
        });
        drop(entries);
        self.bump();
        Ok((browser_key, view))
    }

    /// Requests waiting for the admin, oldest first.
    pub fn waiting(&self, now: DateTime<Utc>) -> Vec<PendingLogin> {
        let mut entries = self.lock();
        Self::purge(&mut entries, now);
        entries
            .iter()
            .filter(|e| matches!(e.state, State::Waiting) && e.view.expires_at > now)
            .map(|e| e.view.clone())
            .collect()
    }

    /// What the browser holding `key` for `app` sees; an approved answer is handed out once.
    pub(crate) fn for_browser(&self, app: &str, key: &str, now: DateTime<Utc>) -> BrowserView {
        let mut entries = self.lock();
        Self::purge(&mut entries, now);
        let Some(e) = entries
            .iter_mut()
            .find(|e| e.browser_key == key && e.view.app == app)
        else {
            return BrowserView::Gone;
        };
        match &e.state {
            State::Approved(answer) => {
                let view = BrowserView::Post {
                    acs_url: answer.acs_url.clone(),
                    saml_response: answer.saml_response.clone(),
                    relay_state: e.relay_state.clone(),
                };
                e.state = State::Delivered;
                view
            }
            State::Denied => BrowserView::Denied,
            State::Delivered => BrowserView::Gone,
            State::Waiting | State::Signing if e.view.expires_at <= now => BrowserView::Expired,
            State::Waiting | State::Signing => BrowserView::Waiting {
                code: e.view.code.clone(),
                app_label: e.view.app_label.clone(),
                seconds_left: (e.view.expires_at - now).num_seconds(),
            },
        }
    }

    /// Marks a waiting request as being signed; returns what signing needs.
    fn start_signing(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(PendingLogin, String, Option<String>), ApiError> {
        let mut entries = self.lock();
        let e = entries
            .iter_mut()
            .find(|e| e.view.id == id)
            .ok_or_else(|| gone("unknown or expired"))?;
        match e.state {
            State::Waiting if e.view.expires_at > now => {
                e.state = State::Signing;
                Ok((
                    e.view.clone(),
                    e.request_id.clone(),
                    e.requested_acs.clone(),
                ))
            }
            State::Waiting => Err(gone("it expired")),
            _ => Err(gone("it was already approved or denied")),
        }
    }

    fn finish(&self, id: &str, state: State) {
        if let Some(e) = self.lock().iter_mut().find(|e| e.view.id == id) {
            e.state = state;
        }
        self.bump();
    }

    fn deny(&self, id: &str, now: DateTime<Utc>) -> Result<PendingLogin, ApiError> {
        let mut entries = self.lock();
        let e = entries
            .iter_mut()
            .find(|e| e.view.id == id)
            .ok_or_else(|| gone("unknown or expired"))?;
        match e.state {
            State::Waiting if e.view.expires_at > now => {
                e.state = State::Denied;
                let view = e.view.clone();
                drop(entries);
                self.bump();
                Ok(view)
            }
            State::Waiting => Err(gone("it expired")),
            _ => Err(gone("it was already approved or denied")),
        }
    }

    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

impl Core {
    /// SP-initiated login requests waiting for the admin's approval, oldest first.
    pub fn pending_logins(&self) -> Vec<PendingLogin> {
        self.approvals.waiting(self.clock.now())
    }

    /// Changes whenever a request arrives or is approved or denied (the window refreshes its
    /// list, the terminal asks).
    pub fn watch_pending_logins(&self) -> tokio::sync::watch::Receiver<u64> {
        self.approvals.subscribe()
    }

    /// Approves a waiting request: `user` (an authorized directory user's email) signs in. The
    /// browser page that sent the request then posts the response. A refusal (the user is not
    /// authorized, say) leaves the request waiting, so the admin can choose someone else.
    pub async fn approve_login(&self, id: &str, user: &str) -> Result<PendingLogin, ApiError> {
        let (view, request_id, requested_acs) =
            self.approvals.start_signing(id, self.clock.now())?;
        let signed = self
            .saml_response_to(&view.app, user, Some(&request_id), requested_acs.as_deref())
            .await;
        let detail = format!(
            "request {} (code {}) for {}",
            request_id.chars().take(40).collect::<String>(),
            view.code,
            user.trim()
        );
        match signed {
            Ok(s) => {
                self.approvals.finish(
                    id,
                    State::Approved(Answer {
                        acs_url: s.acs_url,
                        saml_response: s.saml_response,
                    }),
                );
                self.saml_event(
                    &view.app,
                    crate::events::EventName::SamlLoginApproved,
                    &Ok::<(), ApiError>(()),
                    |_| detail.clone(),
                )
                .await;
                Ok(view)
            }
            Err(e) => {
                self.approvals.finish(id, State::Waiting);
                Err(e)
            }
        }
    }

    /// Denies a waiting request: its browser page says so, and no response is signed.
    pub async fn deny_login(&self, id: &str) -> Result<(), ApiError> {
        let view = self.approvals.deny(id, self.clock.now())?;
        crate::events::record(
            self.store.pool(),
            self.clock.now(),
            Some(&view.app),
            crate::events::EventName::SamlLoginDenied,
            true,
            &format!(
                "SP-initiated request (code {}) denied by the admin",
                view.code
            ),
        )
        .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> NewRequest {
        NewRequest {
            app: "acme".into(),
            app_label: "Acme".into(),
            login_url: "https://acme.my.salesforce.com?so=00D".into(),
            request_id: "_r".into(),
            requested_acs: None,
            relay_state: Some("/home".into()),
        }
    }

    #[test]
    fn a_request_waits_then_expires() {
        let q = ApprovalQueue::default();
        let t0 = Utc::now();
        let (key, view) = q.add(request(), t0).unwrap();
        assert_eq!(view.code.len(), 7);
        assert_eq!(q.waiting(t0), vec![view.clone()]);
        assert!(matches!(
            q.for_browser("acme", &key, t0),
            BrowserView::Waiting { .. }
        ));
        assert_eq!(
            q.for_browser("other", &key, t0),
            BrowserView::Gone,
            "the key is for its application only"
        );
        let late = t0 + APPROVAL_TTL + Duration::seconds(1);
        assert!(q.waiting(late).is_empty());
        assert_eq!(q.for_browser("acme", &key, late), BrowserView::Expired);
        assert!(
            q.start_signing(&view.id, late).is_err(),
            "too late to approve"
        );
        assert!(q.deny(&view.id, late).is_err(), "or to deny");
    }

    #[test]
    fn an_approved_answer_is_handed_out_once_and_denied_stays_denied() {
        let q = ApprovalQueue::default();
        let t0 = Utc::now();
        let (key, view) = q.add(request(), t0).unwrap();
        q.start_signing(&view.id, t0).unwrap();
        assert!(q.deny(&view.id, t0).is_err(), "no deny while signing");
        q.finish(
            &view.id,
            State::Approved(Answer {
                acs_url: "https://acs".into(),
                saml_response: "PHI+".into(),
            }),
        );
        assert!(matches!(
            q.for_browser("acme", &key, t0),
            BrowserView::Post { relay_state: Some(ref r), .. } if r == "/home"
        ));
        assert_eq!(q.for_browser("acme", &key, t0), BrowserView::Gone);

        let (key, view) = q.add(request(), t0).unwrap();
        q.deny(&view.id, t0).unwrap();
        assert!(q.start_signing(&view.id, t0).is_err());
        assert_eq!(q.for_browser("acme", &key, t0), BrowserView::Denied);
    }

    #[test]
    fn the_queue_is_bounded() {
        let q = ApprovalQueue::default();
        let t0 = Utc::now();
        for _ in 0..MAX_PENDING {
            q.add(request(), t0).unwrap();
        }
        assert!(q.add(request(), t0).is_err());
        let later = t0 + APPROVAL_TTL + LINGER + Duration::seconds(1);
        assert!(
            q.add(request(), later).is_ok(),
            "expired requests make room"
        );
    }
}
