//! Secrets live in exactly one place: the OS keyring (Secret Service on Linux), behind the small
//! [`SecretStore`] trait. There is no plaintext fallback: when no keyring is reachable the caller
//! gets [`SecretError::Unavailable`] with what to install or start.

use crate::error::{ErrorCode, HasCode};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// The keyring service name every Lanyard secret is filed under.
pub const SERVICE: &str = "lanyard";

/// A value that must never be printed, logged or serialized. `Debug` shows `<redacted>`; it does
/// not implement `Display` or `Serialize`, so it cannot leak by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself; call only where it is used (signing, an Authorization header).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Which secret: an account name inside the [`SERVICE`]. Built only from a [`SecretName`], so
/// this module owns every key name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey(String);

/// Every secret Lanyard keeps, by what it is for. Nobody else builds a key name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName<'a> {
    /// An IdP signing key (PEM) of one certificate of an application.
    IdpKey { app_id: &'a str, cert_id: &'a str },
    /// The OAuth access token of an application's Salesforce connection.
    OAuthAccessToken { app_id: &'a str },
    /// The OAuth refresh token of an application's Salesforce connection.
    OAuthRefreshToken { app_id: &'a str },
    /// The bearer token of an application's connection to another SCIM server.
    BearerToken { app_id: &'a str },
}

impl SecretName<'_> {
    pub fn key(self) -> SecretKey {
        SecretKey(match self {
            SecretName::IdpKey { app_id, cert_id } => format!("app/{app_id}/idp-key/{cert_id}"),
            SecretName::OAuthAccessToken { app_id } => format!("app/{app_id}/scim/oauth-access"),
            SecretName::OAuthRefreshToken { app_id } => {
                format!("app/{app_id}/scim/oauth-refresh")
            }
            SecretName::BearerToken { app_id } => format!("app/{app_id}/scim/bearer"),
        })
    }

    /// The connection secrets of an application (deleted on disconnect and with the application).
    pub fn connection(app_id: &str) -> [SecretName<'_>; 3] {
        [
            SecretName::OAuthAccessToken { app_id },
            SecretName::OAuthRefreshToken { app_id },
            SecretName::BearerToken { app_id },
        ]
    }
}

impl SecretKey {
    /// A key outside the product's names, for probing and for tests of a store itself.
    pub fn scratch(account: impl Into<String>) -> Self {
        Self(format!("scratch/{}", account.into()))
    }

    pub fn account(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("No OS keyring is reachable ({detail}). Lanyard keeps private keys and tokens only in the keyring: install and start a Secret Service provider (on Debian/Ubuntu: apt-get install gnome-keyring, then log in to a desktop session or run gnome-keyring-daemon --unlock inside a D-Bus session) and try again.")]
    Unavailable { detail: String },
    #[error("The keyring refused access to the Lanyard secret {account:?} ({detail}). Unlock the keyring and try again.")]
    Denied { account: String, detail: String },
    #[error("The keyring failed while handling the Lanyard secret {account:?}: {detail}.")]
    Failed { account: String, detail: String },
}

impl HasCode for SecretError {
    fn code(&self) -> ErrorCode {
        match self {
            SecretError::Unavailable { .. } | SecretError::Denied { .. } => {
                ErrorCode::KeyringUnavailable
            }
            SecretError::Failed { .. } => ErrorCode::Internal,
        }
    }
}

/// Blocking by design (the keyring APIs are); async callers use `spawn_blocking`.
pub trait SecretStore: Send + Sync {
    /// `Ok(None)` when no such secret was ever stored.
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError>;
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError>;
    /// Deleting a secret that is not there is not an error.
    fn delete(&self, key: &SecretKey) -> Result<(), SecretError>;

    /// Checks that the store can be reached at all, without touching any secret.
    fn probe(&self) -> Result<(), SecretError> {
        self.get(&SecretKey::scratch("probe-never-stored"))
            .map(|_| ())
    }
}

/// The OS keyring through the `keyring` crate's Secret Service backend.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, SecretError> {
        let credential = keyring::secret_service::SsCredential::new_with_target(
            None,
            &self.service,
            key.account(),
        )
        .map_err(|e| map_keyring_error(key, e))?;
        Ok(keyring::Entry::new_with_credential(Box::new(credential)))
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(SERVICE)
    }
}

fn map_keyring_error(key: &SecretKey, e: keyring::Error) -> SecretError {
    use keyring::Error as K;
    match e {
        K::PlatformFailure(inner) => SecretError::Unavailable {
            detail: inner.to_string(),
        },
        K::NoStorageAccess(inner) => SecretError::Denied {
            account: key.account().to_owned(),
            detail: inner.to_string(),
        },
        other => SecretError::Failed {
            account: key.account().to_owned(),
            detail: other.to_string(),
        },
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(Sensitive::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(key, e)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(|e| map_keyring_error(key, e))
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(key, e)),
        }
    }
}

/// The store's calls off the async runtime (D-Bus calls block).
#[derive(Clone)]
pub struct Secrets(pub std::sync::Arc<dyn SecretStore>);

impl Secrets {
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, SecretError> {
        let store = std::sync::Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .unwrap_or_else(|join| {
                Err(SecretError::Failed {
                    account: String::new(),
                    detail: format!("the keyring call stopped unexpectedly: {join}"),
                })
            })
    }

    pub async fn get(
        &self,
        name: SecretName<'_>,
    ) -> Result<Option<Sensitive<String>>, SecretError> {
        let key = name.key();
        self.blocking(move |s| s.get(&key)).await
    }

    pub async fn set(
        &self,
        name: SecretName<'_>,
        value: Sensitive<String>,
    ) -> Result<(), SecretError> {
        let key = name.key();
        self.blocking(move |s| s.set(&key, &value)).await
    }

    pub async fn delete(&self, name: SecretName<'_>) -> Result<(), SecretError> {
        let key = name.key();
        self.blocking(move |s| s.delete(&key)).await
    }
}

/// An in-memory store for unit tests. Never used by the app or the CLI.
#[derive(Debug, Default)]
pub struct MemoryStore {
    values: Mutex<HashMap<SecretKey, String>>,
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretKey, String>> {
        // A poisoned map is still a valid map: a panic elsewhere must not hide secrets.
        self.values.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        Ok(self.lock().get(key).cloned().map(Sensitive::new))
    }

    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        self.lock().insert(key.clone(), value.expose().clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        self.lock().remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_debug_is_redacted() {
        let s = Sensitive::new("hunter2".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert!(!format!("{:?}", Some(&s)).contains("hunter2"));
    }

    #[test]
    fn memory_store_round_trip_and_missing_is_none() {
        let store = MemoryStore::default();
        let key = SecretName::BearerToken { app_id: "x" }.key();
        assert!(store.get(&key).unwrap().is_none(), "nothing stored yet");
        store.set(&key, &Sensitive::new("v1".into())).unwrap();
        assert_eq!(store.get(&key).unwrap().unwrap().expose(), "v1");
        store.delete(&key).unwrap();
        store.delete(&key).expect("deleting twice is fine");
        assert!(store.get(&key).unwrap().is_none());
    }
}
