//! Presence that must outlive a restart: status subscriptions and custom statuses, per app.
//!
//! The server keeps both in memory as well ([`crate::presence`]), since every login and
//! disconnect asks "who subscribed to this user?" and that must stay a hash lookup; the
//! store is the durable copy, written before a change is answered and read once at start.
//! Online status itself is not stored: it belongs to live sessions, which a restart ends.

use rusqlite::params;

use super::sqlite::SqliteStore;
use super::StoreResult;

/// One stored subscription: `subscriber` follows `target`'s status until `expires_at`
/// (Unix ms), since `subscribed_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub app: u32,
    pub subscriber: String,
    pub target: String,
    pub subscribed_at: u64,
    pub expires_at: u64,
}

/// One stored custom status (times in Unix ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomStatus {
    pub app: u32,
    pub user_id: String,
    pub status: String,
    pub updated_at: u64,
    pub expires_at: u64,
}

/// What is still valid at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredPresence {
    pub subscriptions: Vec<Subscription>,
    pub custom_statuses: Vec<CustomStatus>,
}

/// The presence store operations (a supertrait of [`super::Store`]).
pub trait PresenceStore {
    /// Subscribes `subscriber` to each of `targets` from `now` until `expires_at` (an
    /// existing subscription is renewed and counts as made now), then keeps only the `cap`
    /// most recent subscriptions of `subscriber` that have not expired. Returns the targets
    /// dropped for the cap, earliest first.
    fn subscribe_user_status(
        &mut self,
        app: u32,
        subscriber: &str,
        targets: &[String],
        now: u64,
        expires_at: u64,
        cap: usize,
    ) -> StoreResult<Vec<String>>;
    /// Ends `subscriber`'s subscriptions to `targets` (those it has).
    fn unsubscribe_user_status(
        &mut self,
        app: u32,
        subscriber: &str,
        targets: &[String],
    ) -> StoreResult<()>;
    /// Sets `user`'s custom status (`""` clears it).
    fn set_custom_status(
        &mut self,
        app: u32,
        user: &str,
        status: &str,
        updated_at: u64,
        expires_at: u64,
    ) -> StoreResult<()>;
    /// Everything still valid at `now`, in every app; what has expired is deleted.
    fn load_presence(&mut self, now: u64) -> StoreResult<StoredPresence>;
}

/// The presence schema, applied in order (see `SqliteStore::migrate_area`).
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[r#"
CREATE TABLE user_status_subscriptions (
    app           INTEGER NOT NULL,
    subscriber    TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    subscribed_at INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (app, subscriber, target)
);
CREATE INDEX user_status_subscriptions_age
    ON user_status_subscriptions (app, subscriber, subscribed_at);
CREATE TABLE user_custom_status (
    app        INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (app, user_id)
) WITHOUT ROWID;
"#];

impl PresenceStore for SqliteStore {
    fn subscribe_user_status(
        &mut self,
        app: u32,
        subscriber: &str,
        targets: &[String],
        now: u64,
        expires_at: u64,
        cap: usize,
    ) -> StoreResult<Vec<String>> {
        let conn = self.conn();
        conn.prepare_cached(
            "DELETE FROM user_status_subscriptions \
             WHERE app = ?1 AND subscriber = ?2 AND expires_at <= ?3",
        )?
        .execute(params![app, subscriber, now])?;
        // Delete, then insert: a renewed subscription gets a new rowid, so among
        // subscriptions made in the same millisecond the rowid still orders them by age.
        let mut delete = conn.prepare_cached(
            "DELETE FROM user_status_subscriptions \
             WHERE app = ?1 AND subscriber = ?2 AND target = ?3",
        )?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO user_status_subscriptions \
             (app, subscriber, target, subscribed_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for target in targets {
            delete.execute(params![app, subscriber, target])?;
            insert.execute(params![app, subscriber, target, now, expires_at])?;
        }
        let count: i64 = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM user_status_subscriptions \
                 WHERE app = ?1 AND subscriber = ?2",
            )?
            .query_row(params![app, subscriber], |r| r.get(0))?;
        let excess = (count.max(0) as usize).saturating_sub(cap);
        if excess == 0 {
            return Ok(Vec::new());
        }
        let dropped = conn
            .prepare_cached(
                "SELECT target FROM user_status_subscriptions WHERE app = ?1 AND subscriber = ?2 \
                 ORDER BY subscribed_at, rowid LIMIT ?3",
            )?
            .query_map(params![app, subscriber, excess as i64], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        for target in &dropped {
            delete.execute(params![app, subscriber, target])?;
        }
        Ok(dropped)
    }

    fn unsubscribe_user_status(
        &mut self,
        app: u32,
        subscriber: &str,
        targets: &[String],
    ) -> StoreResult<()> {
        let mut delete = self.conn().prepare_cached(
            "DELETE FROM user_status_subscriptions \
             WHERE app = ?1 AND subscriber = ?2 AND target = ?3",
        )?;
        for target in targets {
            delete.execute(params![app, subscriber, target])?;
        }
        Ok(())
    }

    fn set_custom_status(
        &mut self,
        app: u32,
        user: &str,
        status: &str,
        updated_at: u64,
        expires_at: u64,
    ) -> StoreResult<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO user_custom_status (app, user_id, status, updated_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (app, user_id) DO UPDATE SET \
                 status = excluded.status, updated_at = excluded.updated_at, \
                 expires_at = excluded.expires_at",
            )?
            .execute(params![app, user, status, updated_at, expires_at])?;
        Ok(())
    }

    fn load_presence(&mut self, now: u64) -> StoreResult<StoredPresence> {
        let conn = self.conn();
        conn.prepare_cached("DELETE FROM user_status_subscriptions WHERE expires_at <= ?1")?
            .execute([now])?;
        conn.prepare_cached("DELETE FROM user_custom_status WHERE expires_at <= ?1")?
            .execute([now])?;
        let subscriptions = conn
            .prepare_cached(
                "SELECT app, subscriber, target, subscribed_at, expires_at \
                 FROM user_status_subscriptions ORDER BY app, subscriber, subscribed_at, rowid",
            )?
            .query_map([], |r| {
                Ok(Subscription {
                    app: r.get(0)?,
                    subscriber: r.get(1)?,
                    target: r.get(2)?,
                    subscribed_at: r.get(3)?,
                    expires_at: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let custom_statuses = conn
            .prepare_cached(
                "SELECT app, user_id, status, updated_at, expires_at FROM user_custom_status",
            )?
            .query_map([], |r| {
                Ok(CustomStatus {
                    app: r.get(0)?,
                    user_id: r.get(1)?,
                    status: r.get(2)?,
                    updated_at: r.get(3)?,
                    expires_at: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StoredPresence {
            subscriptions,
            custom_statuses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(tag: &str) -> (SqliteStore, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("tinyim-presence-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        (SqliteStore::open(&dir.join("t.db")).unwrap(), dir)
    }

    fn targets(s: &mut SqliteStore, now: u64) -> Vec<String> {
        s.load_presence(now)
            .unwrap()
            .subscriptions
            .into_iter()
            .map(|s| s.target)
            .collect()
    }

    #[test]
    fn the_cap_drops_the_earliest_and_expired_ones_go() {
        let (mut s, dir) = store("cap");
        let v = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(s
            .subscribe_user_status(1, "a", &v(&["b", "c"]), 10, 1000, 3)
            .unwrap()
            .is_empty());
        // Renewing b makes it newer than c, so going over the cap of 3 drops c; then b is
        // the earliest (d and e share a millisecond: d was made first).
        s.subscribe_user_status(1, "a", &v(&["b"]), 20, 1000, 3)
            .unwrap();
        let dropped = s
            .subscribe_user_status(1, "a", &v(&["d", "e"]), 30, 1000, 3)
            .unwrap();
        assert_eq!(dropped, ["c"]);
        assert_eq!(targets(&mut s, 40), ["b", "d", "e"]);
        let dropped = s
            .subscribe_user_status(1, "a", &v(&["f"]), 30, 1000, 3)
            .unwrap();
        assert_eq!(dropped, ["b"]);
        s.unsubscribe_user_status(1, "a", &v(&["d", "zz"])).unwrap();
        assert_eq!(targets(&mut s, 40), ["e", "f"]);
        // Another subscriber and another app are apart; expired ones are deleted on load.
        s.subscribe_user_status(2, "a", &v(&["x"]), 30, 50, 3)
            .unwrap();
        assert_eq!(targets(&mut s, 40), ["e", "f", "x"]);
        assert_eq!(targets(&mut s, 60), ["e", "f"]);

        s.set_custom_status(1, "e", "busy", 30, 100).unwrap();
        s.set_custom_status(1, "e", "away", 35, 200).unwrap();
        let loaded = s.load_presence(150).unwrap().custom_statuses;
        assert_eq!(loaded.len(), 1);
        assert_eq!(
            (loaded[0].status.as_str(), loaded[0].updated_at),
            ("away", 35)
        );
        assert!(s.load_presence(250).unwrap().custom_statuses.is_empty());
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
