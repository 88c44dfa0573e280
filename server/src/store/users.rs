//! User profiles (ZIM's user info: name, avatar URL, extended data) and the user's own
//! settings (ZIM's user rule: the offline push rule; and the app badge), per app.
//!
//! A user is known once they have logged in: login records the user (and the name they log
//! in with, when given), so `queryUsersInfo` answers for them and lists everyone else as
//! unknown, as ZIM does.

use rusqlite::{params, OptionalExtension};

use super::sqlite::SqliteStore;
use super::StoreResult;

/// One user's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub user_id: String,
    pub user_name: String,
    pub avatar_url: String,
    pub extended_data: String,
}

/// A change to one field of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileChange {
    Name(String),
    AvatarUrl(String),
    ExtendedData(String),
}

/// A user's own settings. tinyim has no push vendor, so they are kept and returned, never
/// acted on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// ZIM's `offlinePushRule.onlinePlatforms` (`ZIMPlatformType` values).
    pub online_platforms: Vec<u8>,
    /// ZIM's `offlinePushRule.notToReceiveOfflinePushPlatforms`.
    pub no_push_platforms: Vec<u8>,
    /// The app badge last set with `updateUserBadge`.
    pub badge: u32,
}

/// The users area's store operations.
pub trait UserStore {
    /// Records that `user` logged in, with `user_name` unless it is empty; returns the
    /// profile and whether it changed.
    fn user_logged_in(
        &mut self,
        app: u32,
        user: &str,
        user_name: &str,
    ) -> StoreResult<(Profile, bool)>;
    /// The profiles of those of `users` who are known, in the order asked.
    fn user_profiles(&mut self, app: u32, users: &[String]) -> StoreResult<Vec<Profile>>;
    /// Applies `change` to `user`'s profile (creating it) and returns the profile.
    fn update_user_profile(
        &mut self,
        app: u32,
        user: &str,
        change: &ProfileChange,
    ) -> StoreResult<Profile>;
    /// `user`'s settings (the defaults if never set).
    fn user_settings(&mut self, app: u32, user: &str) -> StoreResult<Settings>;
    /// Sets `user`'s offline push rule (the platform lists) and returns the settings.
    fn update_user_push_rule(
        &mut self,
        app: u32,
        user: &str,
        online_platforms: &[u8],
        no_push_platforms: &[u8],
    ) -> StoreResult<Settings>;
    /// Sets `user`'s badge.
    fn update_user_badge(&mut self, app: u32, user: &str, badge: u32) -> StoreResult<()>;
}

/// The area's SQLite schema, applied in order (see [`SqliteStore::migrate_area`]).
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE user_profiles (
    app           INTEGER NOT NULL,
    user_id       TEXT    NOT NULL,
    user_name     TEXT    NOT NULL,
    avatar_url    TEXT    NOT NULL,
    extended_data TEXT    NOT NULL,
    PRIMARY KEY (app, user_id)
) WITHOUT ROWID;
"#,
    // Platform lists as the bytes of their ZIMPlatformType values.
    r#"
CREATE TABLE user_settings (
    app                INTEGER NOT NULL,
    user_id            TEXT    NOT NULL,
    online_platforms   BLOB    NOT NULL,
    no_push_platforms  BLOB    NOT NULL,
    badge              INTEGER NOT NULL,
    PRIMARY KEY (app, user_id)
) WITHOUT ROWID;
"#,
];

fn profile(app: u32, user: &str, store: &SqliteStore) -> StoreResult<Option<Profile>> {
    Ok(store
        .conn()
        .prepare_cached(
            "SELECT user_name, avatar_url, extended_data FROM user_profiles \
             WHERE app = ?1 AND user_id = ?2",
        )?
        .query_row(params![app, user], |r| {
            Ok(Profile {
                user_id: user.to_owned(),
                user_name: r.get(0)?,
                avatar_url: r.get(1)?,
                extended_data: r.get(2)?,
            })
        })
        .optional()?)
}

fn save(app: u32, p: &Profile, store: &SqliteStore) -> StoreResult<()> {
    store
        .conn()
        .prepare_cached(
            "INSERT INTO user_profiles (app, user_id, user_name, avatar_url, extended_data) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (app, user_id) DO UPDATE SET user_name = excluded.user_name, \
             avatar_url = excluded.avatar_url, extended_data = excluded.extended_data",
        )?
        .execute(params![
            app,
            p.user_id,
            p.user_name,
            p.avatar_url,
            p.extended_data
        ])?;
    Ok(())
}

fn settings(app: u32, user: &str, store: &SqliteStore) -> StoreResult<Settings> {
    Ok(store
        .conn()
        .prepare_cached(
            "SELECT online_platforms, no_push_platforms, badge FROM user_settings \
             WHERE app = ?1 AND user_id = ?2",
        )?
        .query_row(params![app, user], |r| {
            Ok(Settings {
                online_platforms: r.get(0)?,
                no_push_platforms: r.get(1)?,
                badge: r.get(2)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

fn save_settings(app: u32, user: &str, s: &Settings, store: &SqliteStore) -> StoreResult<()> {
    store
        .conn()
        .prepare_cached(
            "INSERT INTO user_settings (app, user_id, online_platforms, no_push_platforms, badge) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (app, user_id) DO UPDATE SET \
             online_platforms = excluded.online_platforms, \
             no_push_platforms = excluded.no_push_platforms, badge = excluded.badge",
        )?
        .execute(params![
            app,
            user,
            s.online_platforms,
            s.no_push_platforms,
            s.badge
        ])?;
    Ok(())
}

impl UserStore for SqliteStore {
    fn user_logged_in(
        &mut self,
        app: u32,
        user: &str,
        user_name: &str,
    ) -> StoreResult<(Profile, bool)> {
        let old = profile(app, user, self)?;
        let mut p = old.clone().unwrap_or_else(|| Profile {
            user_id: user.to_owned(),
            ..Profile::default()
        });
        if !user_name.is_empty() {
            p.user_name = user_name.to_owned();
        }
        let changed = old.as_ref() != Some(&p);
        if changed {
            save(app, &p, self)?;
        }
        Ok((p, changed))
    }

    fn user_profiles(&mut self, app: u32, users: &[String]) -> StoreResult<Vec<Profile>> {
        let mut out = Vec::with_capacity(users.len());
        for u in users {
            if let Some(p) = profile(app, u, self)? {
                out.push(p);
            }
        }
        Ok(out)
    }

    fn update_user_profile(
        &mut self,
        app: u32,
        user: &str,
        change: &ProfileChange,
    ) -> StoreResult<Profile> {
        let mut p = profile(app, user, self)?.unwrap_or_else(|| Profile {
            user_id: user.to_owned(),
            ..Profile::default()
        });
        match change {
            ProfileChange::Name(v) => p.user_name = v.clone(),
            ProfileChange::AvatarUrl(v) => p.avatar_url = v.clone(),
            ProfileChange::ExtendedData(v) => p.extended_data = v.clone(),
        }
        save(app, &p, self)?;
        Ok(p)
    }

    fn user_settings(&mut self, app: u32, user: &str) -> StoreResult<Settings> {
        settings(app, user, self)
    }

    fn update_user_push_rule(
        &mut self,
        app: u32,
        user: &str,
        online_platforms: &[u8],
        no_push_platforms: &[u8],
    ) -> StoreResult<Settings> {
        let mut s = settings(app, user, self)?;
        s.online_platforms = online_platforms.to_vec();
        s.no_push_platforms = no_push_platforms.to_vec();
        save_settings(app, user, &s, self)?;
        Ok(s)
    }

    fn update_user_badge(&mut self, app: u32, user: &str, badge: u32) -> StoreResult<()> {
        let mut s = settings(app, user, self)?;
        s.badge = badge;
        save_settings(app, user, &s, self)
    }
}
