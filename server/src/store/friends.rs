//! Friends, friend applications and blacklists, per app (ZIM's "friend module": its error
//! codes 60008xx cover all three). Kept on the server, so every device of a user, and a
//! reinstalled one, reads the same lists.
//!
//! A friendship is directed: `(owner, friend)` is one entry of `owner`'s list with the
//! owner's alias and attributes for the friend. Adding a friend writes both directions;
//! a one-way delete (ZIM's `ZIMFriendDeleteType.Single`) removes one. Lists page by the
//! row's `id` (an increasing rowid), the `nextFlag` ZIM hands back.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};
use tinyim_protocol::codec::{Reader, Wire};

use super::sqlite::SqliteStore;
use super::{StoreError, StoreResult};

/// One entry of a user's friend list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FriendRow {
    /// The page cursor (0 for a row not yet stored).
    pub id: u64,
    pub owner: String,
    pub friend: String,
    pub alias: String,
    pub attributes: BTreeMap<String, String>,
    /// The words of the add or of the accepted application.
    pub wording: String,
    pub create_time: u64,
}

/// One friend application, from `applicant` to `target` (one per pair: sending again renews
/// it). The alias and attributes are the applicant's, for the friend entry an accept makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FriendApplicationRow {
    pub id: u64,
    pub applicant: String,
    pub target: String,
    pub wording: String,
    pub alias: String,
    pub attributes: BTreeMap<String, String>,
    /// `ZIMFriendApplicationState` as stored (an expired one is computed on reading).
    pub state: u8,
    pub create_time: u64,
    pub update_time: u64,
}

/// The friends area's store operations.
pub trait FriendStore {
    /// `owner`'s entry for `friend`, if `friend` is on `owner`'s list.
    fn friend(&mut self, app: u32, owner: &str, friend: &str) -> StoreResult<Option<FriendRow>>;
    /// Adds `row` to its owner's list, or changes the entry's alias, attributes and wording
    /// (keeping its place and creation time).
    fn put_friend(&mut self, app: u32, row: &FriendRow) -> StoreResult<()>;
    /// Removes `friend` from `owner`'s list; whether it was there.
    fn remove_friend(&mut self, app: u32, owner: &str, friend: &str) -> StoreResult<bool>;
    /// How many friends `owner` has.
    fn friend_count(&mut self, app: u32, owner: &str) -> StoreResult<u32>;
    /// `owner`'s friends with `id > after`, oldest first, at most `limit`.
    fn friends_after(
        &mut self,
        app: u32,
        owner: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<FriendRow>>;
    /// The application from `applicant` to `target`.
    fn friend_application(
        &mut self,
        app: u32,
        applicant: &str,
        target: &str,
    ) -> StoreResult<Option<FriendApplicationRow>>;
    /// Stores `row`: a new or renewed one (`id` 0) goes to the top of both lists (replacing
    /// the pair's old one); otherwise its state and update time change. Returns its id.
    fn put_friend_application(&mut self, app: u32, row: &FriendApplicationRow) -> StoreResult<u64>;
    /// Applications sent or received by `user` with `id < before` (0: from the newest),
    /// newest first, at most `limit`.
    fn friend_applications_before(
        &mut self,
        app: u32,
        user: &str,
        before: u64,
        limit: u32,
    ) -> StoreResult<Vec<FriendApplicationRow>>;
    /// Whether `owner` has blocked `user`.
    fn is_blocked(&mut self, app: u32, owner: &str, user: &str) -> StoreResult<bool>;
    /// Adds `user` to `owner`'s blacklist; whether it was not there.
    fn block(&mut self, app: u32, owner: &str, user: &str, time: u64) -> StoreResult<bool>;
    /// Removes `user` from `owner`'s blacklist; whether it was there.
    fn unblock(&mut self, app: u32, owner: &str, user: &str) -> StoreResult<bool>;
    /// How many users `owner` has blocked.
    fn blacklist_count(&mut self, app: u32, owner: &str) -> StoreResult<u32>;
    /// `owner`'s blacklist entries with `id > after` as `(id, user)`, oldest first.
    fn blacklist_after(
        &mut self,
        app: u32,
        owner: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<(u64, String)>>;
}

/// The area's SQLite schema, applied in order (see `SqliteStore::migrate_area`). Attribute
/// maps are stored in the protocol's own encoding of a string map.
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[r#"
CREATE TABLE friends (
    id          INTEGER PRIMARY KEY,
    app         INTEGER NOT NULL,
    owner       TEXT    NOT NULL,
    friend      TEXT    NOT NULL,
    alias       TEXT    NOT NULL,
    attributes  BLOB    NOT NULL,
    wording     TEXT    NOT NULL,
    create_time INTEGER NOT NULL,
    UNIQUE (app, owner, friend)
);
CREATE INDEX friends_by_owner ON friends (app, owner, id);
CREATE TABLE friend_applications (
    id          INTEGER PRIMARY KEY,
    app         INTEGER NOT NULL,
    applicant   TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    wording     TEXT    NOT NULL,
    alias       TEXT    NOT NULL,
    attributes  BLOB    NOT NULL,
    state       INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    UNIQUE (app, applicant, target)
);
CREATE INDEX friend_applications_by_target ON friend_applications (app, target, id);
CREATE TABLE blacklist (
    id          INTEGER PRIMARY KEY,
    app         INTEGER NOT NULL,
    owner       TEXT    NOT NULL,
    blocked     TEXT    NOT NULL,
    create_time INTEGER NOT NULL,
    UNIQUE (app, owner, blocked)
);
CREATE INDEX blacklist_by_owner ON blacklist (app, owner, id);
"#];

/// Whether `recipient` has blocked `sender` (the peer-send path asks this inside its
/// append, so a block committed before a message is always seen by it).
pub(super) fn blocks(
    store: &SqliteStore,
    app: u32,
    recipient: &str,
    sender: &str,
) -> StoreResult<bool> {
    Ok(store
        .conn()
        .prepare_cached("SELECT 1 FROM blacklist WHERE app = ?1 AND owner = ?2 AND blocked = ?3")?
        .query_row(params![app, recipient, sender], |_| Ok(()))
        .optional()?
        .is_some())
}

fn encode_map(m: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = Vec::new();
    m.encode(&mut out);
    out
}

fn decode_map(bytes: &[u8]) -> StoreResult<BTreeMap<String, String>> {
    BTreeMap::decode(&mut Reader::new(bytes))
        .map_err(|e| StoreError(format!("friend attributes unreadable: {e}")))
}

const FRIEND_COLUMNS: &str = "id, owner, friend, alias, attributes, wording, create_time";

fn friend_row(r: &Row<'_>) -> rusqlite::Result<(FriendRow, Vec<u8>)> {
    Ok((
        FriendRow {
            id: r.get::<_, i64>(0)? as u64,
            owner: r.get(1)?,
            friend: r.get(2)?,
            alias: r.get(3)?,
            attributes: BTreeMap::new(),
            wording: r.get(5)?,
            create_time: r.get::<_, i64>(6)? as u64,
        },
        r.get(4)?,
    ))
}

/// Rows as read with their attributes still encoded, with the attributes decoded into them.
fn with_attributes<T>(
    rows: impl Iterator<Item = rusqlite::Result<(T, Vec<u8>)>>,
    attributes: fn(&mut T) -> &mut BTreeMap<String, String>,
) -> StoreResult<Vec<T>> {
    rows.map(|r| {
        let (mut row, encoded) = r?;
        *attributes(&mut row) = decode_map(&encoded)?;
        Ok(row)
    })
    .collect()
}

const APPLICATION_COLUMNS: &str =
    "id, applicant, target, wording, alias, attributes, state, create_time, update_time";

fn application_row(r: &Row<'_>) -> rusqlite::Result<(FriendApplicationRow, Vec<u8>)> {
    Ok((
        FriendApplicationRow {
            id: r.get::<_, i64>(0)? as u64,
            applicant: r.get(1)?,
            target: r.get(2)?,
            wording: r.get(3)?,
            alias: r.get(4)?,
            attributes: BTreeMap::new(),
            state: r.get(6)?,
            create_time: r.get::<_, i64>(7)? as u64,
            update_time: r.get::<_, i64>(8)? as u64,
        },
        r.get(5)?,
    ))
}

fn count(store: &SqliteStore, sql: &str, app: u32, owner: &str) -> StoreResult<u32> {
    Ok(store
        .conn()
        .prepare_cached(sql)?
        .query_row(params![app, owner], |r| r.get(0))?)
}

impl FriendStore for SqliteStore {
    fn friend(&mut self, app: u32, owner: &str, friend: &str) -> StoreResult<Option<FriendRow>> {
        let sql = format!(
            "SELECT {FRIEND_COLUMNS} FROM friends WHERE app = ?1 AND owner = ?2 AND friend = ?3"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![app, owner, friend], friend_row)?;
        Ok(with_attributes(rows, |r: &mut FriendRow| &mut r.attributes)?.pop())
    }

    fn put_friend(&mut self, app: u32, row: &FriendRow) -> StoreResult<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO friends (app, owner, friend, alias, attributes, wording, create_time) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (app, owner, friend) DO UPDATE \
                 SET alias = excluded.alias, attributes = excluded.attributes, \
                 wording = excluded.wording",
            )?
            .execute(params![
                app,
                row.owner,
                row.friend,
                row.alias,
                encode_map(&row.attributes),
                row.wording,
                row.create_time as i64
            ])?;
        Ok(())
    }

    fn remove_friend(&mut self, app: u32, owner: &str, friend: &str) -> StoreResult<bool> {
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM friends WHERE app = ?1 AND owner = ?2 AND friend = ?3")?
            .execute(params![app, owner, friend])?
            > 0)
    }

    fn friend_count(&mut self, app: u32, owner: &str) -> StoreResult<u32> {
        count(
            self,
            "SELECT COUNT(*) FROM friends WHERE app = ?1 AND owner = ?2",
            app,
            owner,
        )
    }

    fn friends_after(
        &mut self,
        app: u32,
        owner: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<FriendRow>> {
        let sql = format!(
            "SELECT {FRIEND_COLUMNS} FROM friends WHERE app = ?1 AND owner = ?2 AND id > ?3 \
             ORDER BY id LIMIT ?4"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![app, owner, after as i64, limit], friend_row)?;
        with_attributes(rows, |r: &mut FriendRow| &mut r.attributes)
    }

    fn friend_application(
        &mut self,
        app: u32,
        applicant: &str,
        target: &str,
    ) -> StoreResult<Option<FriendApplicationRow>> {
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM friend_applications \
             WHERE app = ?1 AND applicant = ?2 AND target = ?3"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![app, applicant, target], application_row)?;
        Ok(with_attributes(rows, |r: &mut FriendApplicationRow| &mut r.attributes)?.pop())
    }

    fn put_friend_application(&mut self, app: u32, row: &FriendApplicationRow) -> StoreResult<u64> {
        if row.id != 0 {
            self.conn()
                .prepare_cached(
                    "UPDATE friend_applications SET state = ?2, update_time = ?3 WHERE id = ?1",
                )?
                .execute(params![row.id as i64, row.state, row.update_time as i64])?;
            return Ok(row.id);
        }
        self.conn()
            .prepare_cached(
                "DELETE FROM friend_applications WHERE app = ?1 AND applicant = ?2 AND target = ?3",
            )?
            .execute(params![app, row.applicant, row.target])?;
        self.conn()
            .prepare_cached(
                "INSERT INTO friend_applications (app, applicant, target, wording, alias, \
                 attributes, state, create_time, update_time) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                app,
                row.applicant,
                row.target,
                row.wording,
                row.alias,
                encode_map(&row.attributes),
                row.state,
                row.create_time as i64,
                row.update_time as i64
            ])?;
        Ok(self.conn().last_insert_rowid() as u64)
    }

    fn friend_applications_before(
        &mut self,
        app: u32,
        user: &str,
        before: u64,
        limit: u32,
    ) -> StoreResult<Vec<FriendApplicationRow>> {
        let before = if before == 0 { i64::MAX } else { before as i64 };
        let sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM friend_applications \
             WHERE app = ?1 AND (applicant = ?2 OR target = ?2) AND id < ?3 \
             ORDER BY id DESC LIMIT ?4"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![app, user, before, limit], application_row)?;
        with_attributes(rows, |r: &mut FriendApplicationRow| &mut r.attributes)
    }

    fn is_blocked(&mut self, app: u32, owner: &str, user: &str) -> StoreResult<bool> {
        blocks(self, app, owner, user)
    }

    fn block(&mut self, app: u32, owner: &str, user: &str, time: u64) -> StoreResult<bool> {
        Ok(self
            .conn()
            .prepare_cached(
                "INSERT INTO blacklist (app, owner, blocked, create_time) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (app, owner, blocked) DO NOTHING",
            )?
            .execute(params![app, owner, user, time as i64])?
            > 0)
    }

    fn unblock(&mut self, app: u32, owner: &str, user: &str) -> StoreResult<bool> {
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM blacklist WHERE app = ?1 AND owner = ?2 AND blocked = ?3")?
            .execute(params![app, owner, user])?
            > 0)
    }

    fn blacklist_count(&mut self, app: u32, owner: &str) -> StoreResult<u32> {
        count(
            self,
            "SELECT COUNT(*) FROM blacklist WHERE app = ?1 AND owner = ?2",
            app,
            owner,
        )
    }

    fn blacklist_after(
        &mut self,
        app: u32,
        owner: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<(u64, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, blocked FROM blacklist WHERE app = ?1 AND owner = ?2 AND id > ?3 \
             ORDER BY id LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![app, owner, after as i64, limit], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Append, NewPeerMessage, Store};

    fn open(tag: &str) -> (std::path::PathBuf, SqliteStore) {
        let dir = std::env::temp_dir().join(format!("tinyim-friends-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        (dir, SqliteStore::open(&path).unwrap())
    }

    fn msg(from: &str, to: &str, cmid: u64) -> NewPeerMessage {
        NewPeerMessage {
            message_id: cmid,
            app: 1,
            sender: from.into(),
            recipient: to.into(),
            client_message_id: cmid,
            prev_client_message_id: 0,
            message_type: 1,
            priority: 1,
            payload: b"hi".to_vec(),
            extended_data: String::new(),
            timestamp: 5,
            ext: None,
        }
    }

    #[test]
    fn a_blocked_senders_message_is_not_stored_a_resend_of_an_earlier_one_is_acked() {
        let (dir, mut s) = open("block");
        s.begin().unwrap();
        assert!(matches!(
            s.append_peer_message(msg("a", "b", 1)).unwrap(),
            Append::Stored(_)
        ));
        assert!(s.block(1, "b", "a", 9).unwrap());
        assert!(!s.block(1, "b", "a", 9).unwrap(), "blocked once");
        assert!(matches!(
            s.append_peer_message(msg("a", "b", 2)).unwrap(),
            Append::Blocked
        ));
        let Append::Stored(again) = s.append_peer_message(msg("a", "b", 1)).unwrap() else {
            panic!("a resend of a message stored before the block is acked")
        };
        assert!(again.duplicate);
        // The blocker still writes to the blocked; another app is not affected.
        assert!(matches!(
            s.append_peer_message(msg("b", "a", 3)).unwrap(),
            Append::Stored(_)
        ));
        let other_app = NewPeerMessage {
            app: 2,
            ..msg("a", "b", 4)
        };
        assert!(matches!(
            s.append_peer_message(other_app).unwrap(),
            Append::Stored(_)
        ));
        let b_inbox = s.inbox_after(1, "b", 0, 10).unwrap();
        assert_eq!(b_inbox.len(), 1, "only the message from before the block");
        assert!(s.unblock(1, "b", "a").unwrap());
        assert!(matches!(
            s.append_peer_message(msg("a", "b", 5)).unwrap(),
            Append::Stored(_)
        ));
        s.commit().unwrap();
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn friends_and_applications_page_by_id() {
        let (dir, mut s) = open("pages");
        s.begin().unwrap();
        for f in ["x", "y", "z"] {
            let row = FriendRow {
                owner: "o".into(),
                friend: f.into(),
                attributes: [("k0".to_owned(), f.to_owned())].into(),
                ..FriendRow::default()
            };
            s.put_friend(1, &row).unwrap();
        }
        // Changing an entry keeps its place.
        let mut y = s.friend(1, "o", "y").unwrap().unwrap();
        y.alias = "why".into();
        s.put_friend(1, &y).unwrap();
        let first = s.friends_after(1, "o", 0, 2).unwrap();
        let names: Vec<_> = first.iter().map(|r| r.friend.as_str()).collect();
        assert_eq!(names, ["x", "y"]);
        assert_eq!(first[1].alias, "why");
        assert_eq!(first[0].attributes["k0"], "x");
        let rest = s.friends_after(1, "o", first[1].id, 2).unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(s.friend_count(1, "o").unwrap(), 3);
        assert!(s.remove_friend(1, "o", "x").unwrap());
        assert!(!s.remove_friend(1, "o", "x").unwrap());

        // A renewed application moves to the top.
        let app = |applicant: &str, target: &str| FriendApplicationRow {
            applicant: applicant.into(),
            target: target.into(),
            state: 1,
            ..FriendApplicationRow::default()
        };
        s.put_friend_application(1, &app("o", "p")).unwrap();
        s.put_friend_application(1, &app("q", "o")).unwrap();
        s.put_friend_application(1, &app("o", "p")).unwrap();
        let list = s.friend_applications_before(1, "o", 0, 10).unwrap();
        let pairs: Vec<_> = list
            .iter()
            .map(|a| (a.applicant.as_str(), a.target.as_str()))
            .collect();
        assert_eq!(pairs, [("o", "p"), ("q", "o")]);
        let older = s
            .friend_applications_before(1, "o", list[0].id, 10)
            .unwrap();
        assert_eq!(older.len(), 1);
        let mut answered = list[1].clone();
        answered.state = 3;
        s.put_friend_application(1, &answered).unwrap();
        assert_eq!(s.friend_application(1, "q", "o").unwrap().unwrap().state, 3);
        s.commit().unwrap();
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
