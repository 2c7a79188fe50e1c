//! Who may sign in to an application through Lanyard's IdP: the directory's authorized users
//! ([`crate::directory::access`], the one query) who can sign in now (not suspended, password
//! not expired).

use crate::directory::access;
pub use crate::directory::access::AuthorizedUser;
use sqlx::SqlitePool;

/// The users who may sign in, ordered by email.
pub async fn authorized_users(
    pool: &SqlitePool,
    app_id: &str,
) -> sqlx::Result<Vec<AuthorizedUser>> {
    let mut all = access::authorized_users(pool, app_id).await?;
    all.retain(AuthorizedUser::can_sign_in);
    Ok(all)
}

/// The user, if authorized for the application and able to sign in now.
pub async fn authorized_user(
    pool: &SqlitePool,
    app_id: &str,
    email: &str,
) -> sqlx::Result<Option<AuthorizedUser>> {
    Ok(access::authorized_user(pool, app_id, email)
        .await?
        .filter(AuthorizedUser::can_sign_in))
}
