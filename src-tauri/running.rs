//! The long jobs running per application (a sync, a manual import), so Cancel can reach them and
//! a second one of the same kind waits its turn.

use lanyard_core::provisioning::run::Cancel;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct Running {
    jobs: Mutex<HashMap<String, Cancel>>,
}

impl Running {
    /// Registers a job for `app` unless one runs already; its Cancel, or None.
    pub fn try_start(&self, app: &str) -> Option<Cancel> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.contains_key(app) {
            return None;
        }
        let cancel = Cancel::default();
        jobs.insert(app.to_owned(), cancel.clone());
        Some(cancel)
    }

    pub fn end(&self, app: &str) {
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(app);
    }

    /// Cancels the running job of `app`; false when none runs.
    pub fn cancel(&self, app: &str) -> bool {
        match self.jobs.lock().unwrap_or_else(|p| p.into_inner()).get(app) {
            Some(c) => {
                c.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_job_per_application_and_cancel_reaches_it() {
        let r = Running::default();
        let c = r.try_start("acme").expect("the first job starts");
        assert!(r.try_start("acme").is_none(), "a second waits its turn");
        assert!(
            r.try_start("other").is_some(),
            "another application is free"
        );
        assert!(r.cancel("acme"));
        assert!(c.is_cancelled());
        r.end("acme");
        assert!(!r.cancel("acme"), "nothing runs any more");
        assert!(r.try_start("acme").is_some());
    }
}
