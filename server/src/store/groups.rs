//! Groups: the durable state of ZIM's groups, per app.
//!
//! The store keeps data and knows no rules: who may do what is decided by the handlers
//! ([`crate::areas::groups`]), inside the closure they give [`super::StoreHandle::run`], so
//! a check and the writes it allows run together on the store thread, with nothing of
//! another request in between. [`atomically`] wraps such a closure in a
//! savepoint, so a refusal or a failure halfway leaves nothing half-written in the batch.
//!
//! Tables:
//! - `groups`: one row per group ever created (a dismissed one keeps its row, so its ID
//!   cannot be reused: ZIM's 6000527), with its profile, modes, group-wide mute, member count
//!   and `last_seq`, the head of the group's message timeline (0 until group messages).
//! - `group_members`: the current members. `id` is a global increasing join number, so it
//!   orders a group's members by join time (member pages) and a user's groups by join time
//!   (group list pages); `joined_seq` is the timeline position at which the member joined.
//! - `group_member_spans`: past memberships (`joined_seq`, `left_seq`) of users who left,
//!   were kicked, or whose group was dismissed.
//!
//! The two sequence points are what group messages need: a member receives the messages
//! after `joined_seq` (and, after leaving, keeps the history up to `left_seq`), whether
//! messages are then written to each member's inbox or read from a group timeline with a
//! per-member cursor (issue 11, items 4 and 5).
//! - `group_attributes`, `group_aliases` (a user's own name for a group),
//!   `group_applications` (join applications and invitations waiting for an answer, and
//!   answered ones; `inviter` is `''` for a join application).

use rusqlite::{params, OptionalExtension, Row};

use super::sqlite::SqliteStore;
use super::StoreResult;

/// A group's row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupRow {
    pub group_id: String,
    pub name: String,
    pub avatar_url: String,
    pub notice: String,
    pub join_mode: u8,
    pub invite_mode: u8,
    pub be_invite_mode: u8,
    pub mute_mode: u8,
    /// Unix seconds; `-1` until unmuted; `0` with mode none.
    pub mute_expire: i64,
    pub mute_roles: Vec<u32>,
    pub max_members: u32,
    /// Unix milliseconds.
    pub create_time: u64,
    pub dismissed: bool,
    pub member_count: u32,
    pub last_seq: u64,
}

/// A current member's row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberRow {
    /// The join number (global, increasing); 0 for a member not yet stored.
    pub id: u64,
    pub user_id: String,
    pub role: u32,
    pub nickname: String,
    /// Unix seconds; `-1` until unmuted; `0` not muted.
    pub mute_expire: i64,
    /// Unix milliseconds.
    pub enter_time: u64,
    pub enter_type: u8,
    /// Who let them in (the inviter, the admin who accepted), `""` if they came by
    /// themselves.
    pub operated_by: String,
    pub joined_seq: u64,
}

/// A join application (`inviter` empty) or an invitation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationRow {
    /// Increasing; a new application (or a renewed one) gets a new, higher id.
    pub id: u64,
    pub group_id: String,
    /// The applicant, or the invitee.
    pub user_id: String,
    pub inviter: String,
    pub state: u8,
    pub wording: String,
    pub create_time: u64,
    pub update_time: u64,
    /// Who answered it (`""` while waiting).
    pub operator: String,
}

/// The groups area's store operations (see the module docs for who decides what).
pub trait GroupStore {
    fn group(&mut self, app: u32, group_id: &str) -> StoreResult<Option<GroupRow>>;
    /// Inserts a new group or rewrites an existing one's row.
    fn put_group(&mut self, app: u32, g: &GroupRow) -> StoreResult<()>;
    fn member(&mut self, app: u32, group_id: &str, user: &str) -> StoreResult<Option<MemberRow>>;
    /// Inserts a member (`m.id` 0: gets the next join number, returned) or rewrites one.
    fn put_member(&mut self, app: u32, group_id: &str, m: &MemberRow) -> StoreResult<u64>;
    /// Removes a member, recording their membership span up to `left_seq`.
    fn remove_member(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        left_seq: u64,
    ) -> StoreResult<()>;
    /// Members with join number >= `from`, in join order, at most `limit`; only those muted
    /// at `muted_at` (Unix seconds) if given.
    fn members_from(
        &mut self,
        app: u32,
        group_id: &str,
        from: u64,
        limit: u32,
        muted_at: Option<i64>,
    ) -> StoreResult<Vec<MemberRow>>;
    /// The members with role owner or admin (who answer join applications).
    fn managers(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<MemberRow>>;
    /// Every member's user ID, in join order.
    fn member_ids(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<String>>;
    /// `(join number, group ID)` of `user`'s groups with join number >= `from`, in join
    /// order, at most `limit`.
    fn user_groups_from(
        &mut self,
        app: u32,
        user: &str,
        from: u64,
        limit: u32,
    ) -> StoreResult<Vec<(u64, String)>>;
    fn attributes(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<(String, String)>>;
    fn set_attribute(
        &mut self,
        app: u32,
        group_id: &str,
        key: &str,
        value: &str,
    ) -> StoreResult<()>;
    /// Deletes one attribute; `false` if there was none.
    fn delete_attribute(&mut self, app: u32, group_id: &str, key: &str) -> StoreResult<bool>;
    /// `user`'s alias for the group (`""` if none).
    fn alias(&mut self, app: u32, user: &str, group_id: &str) -> StoreResult<String>;
    fn set_alias(&mut self, app: u32, user: &str, group_id: &str, alias: &str) -> StoreResult<()>;
    fn application(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        inviter: &str,
    ) -> StoreResult<Option<ApplicationRow>>;
    /// Stores an application; `a.id` 0 makes it a new one with the next id (replacing an
    /// older one for the same group, user and inviter). Returns its id.
    fn put_application(&mut self, app: u32, a: &ApplicationRow) -> StoreResult<u64>;
    /// Applications `user` may see (their own, invitations to them or from them, join
    /// applications to groups they own or administer) with id < `before` (0: no bound),
    /// newest first, at most `limit`.
    fn applications_for(
        &mut self,
        app: u32,
        user: &str,
        before: u64,
        limit: u32,
    ) -> StoreResult<Vec<ApplicationRow>>;
    /// Drops a dismissed group's members (into spans at `left_seq`), attributes, aliases
    /// and applications; its row stays (marked dismissed by the caller).
    fn clear_group(&mut self, app: u32, group_id: &str, left_seq: u64) -> StoreResult<()>;
}

/// Runs `f` in a savepoint of the batch's transaction ([`Store::savepoint`], nested in the one
/// every [`super::StoreHandle::run`] operation has): its writes are kept if it returns
/// `Ok(Ok(_))` and undone if it refuses (`Ok(Err(_))`) or fails, so a handler can check and
/// write in one go and stop at any point.
pub fn atomically<T, E>(
    store: super::Db<'_>,
    f: impl FnOnce(super::Db<'_>) -> StoreResult<Result<T, E>>,
) -> StoreResult<Result<T, E>> {
    store.savepoint()?;
    let r = f(store);
    let keep = matches!(r, Ok(Ok(_)));
    let closed = store.release(keep);
    let r = r?;
    closed?;
    Ok(r)
}

/// The area's SQLite schema, applied in order (see `SqliteStore::migrate_area`).
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[r#"
CREATE TABLE groups (
    app            INTEGER NOT NULL,
    group_id       TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    avatar_url     TEXT    NOT NULL,
    notice         TEXT    NOT NULL,
    join_mode      INTEGER NOT NULL,
    invite_mode    INTEGER NOT NULL,
    be_invite_mode INTEGER NOT NULL,
    mute_mode      INTEGER NOT NULL,
    mute_expire    INTEGER NOT NULL,
    mute_roles     TEXT    NOT NULL,
    max_members    INTEGER NOT NULL,
    create_time    INTEGER NOT NULL,
    dismissed      INTEGER NOT NULL,
    member_count   INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    PRIMARY KEY (app, group_id)
) WITHOUT ROWID;
CREATE TABLE group_members (
    id          INTEGER PRIMARY KEY,
    app         INTEGER NOT NULL,
    group_id    TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    role        INTEGER NOT NULL,
    nickname    TEXT    NOT NULL,
    mute_expire INTEGER NOT NULL,
    enter_time  INTEGER NOT NULL,
    enter_type  INTEGER NOT NULL,
    operated_by TEXT    NOT NULL,
    joined_seq  INTEGER NOT NULL
);
CREATE UNIQUE INDEX group_members_key ON group_members (app, group_id, user_id);
CREATE INDEX group_members_order ON group_members (app, group_id, id);
CREATE INDEX group_members_by_user ON group_members (app, user_id, id);
CREATE INDEX group_members_by_role ON group_members (app, group_id, role);
CREATE TABLE group_member_spans (
    app        INTEGER NOT NULL,
    group_id   TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    joined_seq INTEGER NOT NULL,
    left_seq   INTEGER NOT NULL,
    PRIMARY KEY (app, group_id, user_id, joined_seq)
) WITHOUT ROWID;
CREATE TABLE group_attributes (
    app      INTEGER NOT NULL,
    group_id TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (app, group_id, key)
) WITHOUT ROWID;
CREATE TABLE group_aliases (
    app      INTEGER NOT NULL,
    user_id  TEXT    NOT NULL,
    group_id TEXT    NOT NULL,
    alias    TEXT    NOT NULL,
    PRIMARY KEY (app, user_id, group_id)
) WITHOUT ROWID;
CREATE INDEX group_aliases_by_group ON group_aliases (app, group_id);
CREATE TABLE group_applications (
    id          INTEGER PRIMARY KEY,
    app         INTEGER NOT NULL,
    group_id    TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    inviter     TEXT    NOT NULL,
    state       INTEGER NOT NULL,
    wording     TEXT    NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    operator    TEXT    NOT NULL
);
CREATE UNIQUE INDEX group_applications_key ON group_applications (app, group_id, user_id, inviter);
CREATE INDEX group_applications_by_user ON group_applications (app, user_id, id);
CREATE INDEX group_applications_by_inviter ON group_applications (app, inviter, id);
CREATE INDEX group_applications_by_group ON group_applications (app, group_id, id);
"#];

const GROUP_COLUMNS: &str = "group_id, name, avatar_url, notice, join_mode, invite_mode, \
     be_invite_mode, mute_mode, mute_expire, mute_roles, max_members, create_time, dismissed, \
     member_count, last_seq";

const MEMBER_COLUMNS: &str =
    "id, user_id, role, nickname, mute_expire, enter_time, enter_type, operated_by, joined_seq";

const APPLICATION_COLUMNS: &str =
    "id, group_id, user_id, inviter, state, wording, create_time, update_time, operator";

fn group_from_row(r: &Row<'_>) -> rusqlite::Result<GroupRow> {
    let roles: String = r.get(9)?;
    Ok(GroupRow {
        group_id: r.get(0)?,
        name: r.get(1)?,
        avatar_url: r.get(2)?,
        notice: r.get(3)?,
        join_mode: r.get(4)?,
        invite_mode: r.get(5)?,
        be_invite_mode: r.get(6)?,
        mute_mode: r.get(7)?,
        mute_expire: r.get(8)?,
        mute_roles: roles.split(',').filter_map(|x| x.parse().ok()).collect(),
        max_members: r.get(10)?,
        create_time: r.get::<_, i64>(11)? as u64,
        dismissed: r.get(12)?,
        member_count: r.get(13)?,
        last_seq: r.get::<_, i64>(14)? as u64,
    })
}

fn member_from_row(r: &Row<'_>) -> rusqlite::Result<MemberRow> {
    Ok(MemberRow {
        id: r.get::<_, i64>(0)? as u64,
        user_id: r.get(1)?,
        role: r.get(2)?,
        nickname: r.get(3)?,
        mute_expire: r.get(4)?,
        enter_time: r.get::<_, i64>(5)? as u64,
        enter_type: r.get(6)?,
        operated_by: r.get(7)?,
        joined_seq: r.get::<_, i64>(8)? as u64,
    })
}

fn application_from_row(r: &Row<'_>) -> rusqlite::Result<ApplicationRow> {
    Ok(ApplicationRow {
        id: r.get::<_, i64>(0)? as u64,
        group_id: r.get(1)?,
        user_id: r.get(2)?,
        inviter: r.get(3)?,
        state: r.get(4)?,
        wording: r.get(5)?,
        create_time: r.get::<_, i64>(6)? as u64,
        update_time: r.get::<_, i64>(7)? as u64,
        operator: r.get(8)?,
    })
}

/// Page bounds as SQLite integers (join numbers and ids stay far below 2^63).
fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl GroupStore for SqliteStore {
    fn group(&mut self, app: u32, group_id: &str) -> StoreResult<Option<GroupRow>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {GROUP_COLUMNS} FROM groups WHERE app = ?1 AND group_id = ?2"
            ))?
            .query_row(params![app, group_id], group_from_row)
            .optional()?)
    }

    fn put_group(&mut self, app: u32, g: &GroupRow) -> StoreResult<()> {
        let roles = g
            .mute_roles
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.conn()
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO groups (app, {GROUP_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
            ))?
            .execute(params![
                app,
                g.group_id,
                g.name,
                g.avatar_url,
                g.notice,
                g.join_mode,
                g.invite_mode,
                g.be_invite_mode,
                g.mute_mode,
                g.mute_expire,
                roles,
                g.max_members,
                int(g.create_time),
                g.dismissed,
                g.member_count,
                int(g.last_seq),
            ])?;
        Ok(())
    }

    fn member(&mut self, app: u32, group_id: &str, user: &str) -> StoreResult<Option<MemberRow>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {MEMBER_COLUMNS} FROM group_members \
                 WHERE app = ?1 AND group_id = ?2 AND user_id = ?3"
            ))?
            .query_row(params![app, group_id, user], member_from_row)
            .optional()?)
    }

    fn put_member(&mut self, app: u32, group_id: &str, m: &MemberRow) -> StoreResult<u64> {
        let id = (m.id != 0).then_some(int(m.id));
        self.conn()
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO group_members (app, group_id, {MEMBER_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))?
            .execute(params![
                app,
                group_id,
                id,
                m.user_id,
                m.role,
                m.nickname,
                m.mute_expire,
                int(m.enter_time),
                m.enter_type,
                m.operated_by,
                int(m.joined_seq),
            ])?;
        Ok(match id {
            Some(id) => id as u64,
            None => self.conn().last_insert_rowid() as u64,
        })
    }

    fn remove_member(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        left_seq: u64,
    ) -> StoreResult<()> {
        let c = self.conn();
        c.prepare_cached(
            "INSERT OR REPLACE INTO group_member_spans (app, group_id, user_id, joined_seq, left_seq) \
             SELECT app, group_id, user_id, joined_seq, ?4 FROM group_members \
             WHERE app = ?1 AND group_id = ?2 AND user_id = ?3",
        )?
        .execute(params![app, group_id, user, int(left_seq)])?;
        c.prepare_cached(
            "DELETE FROM group_members WHERE app = ?1 AND group_id = ?2 AND user_id = ?3",
        )?
        .execute(params![app, group_id, user])?;
        Ok(())
    }

    fn members_from(
        &mut self,
        app: u32,
        group_id: &str,
        from: u64,
        limit: u32,
        muted_at: Option<i64>,
    ) -> StoreResult<Vec<MemberRow>> {
        let c = self.conn();
        let rows = match muted_at {
            None => c
                .prepare_cached(&format!(
                    "SELECT {MEMBER_COLUMNS} FROM group_members \
                     WHERE app = ?1 AND group_id = ?2 AND id >= ?3 ORDER BY id LIMIT ?4"
                ))?
                .query_map(params![app, group_id, int(from), limit], member_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            Some(now) => c
                .prepare_cached(&format!(
                    "SELECT {MEMBER_COLUMNS} FROM group_members \
                     WHERE app = ?1 AND group_id = ?2 AND id >= ?3 \
                     AND (mute_expire = -1 OR mute_expire > ?5) ORDER BY id LIMIT ?4"
                ))?
                .query_map(
                    params![app, group_id, int(from), limit, now],
                    member_from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    fn managers(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<MemberRow>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {MEMBER_COLUMNS} FROM group_members \
                 WHERE app = ?1 AND group_id = ?2 AND role IN (1, 2) ORDER BY id"
            ))?
            .query_map(params![app, group_id], member_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn member_ids(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<String>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT user_id FROM group_members WHERE app = ?1 AND group_id = ?2 ORDER BY id",
            )?
            .query_map(params![app, group_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn user_groups_from(
        &mut self,
        app: u32,
        user: &str,
        from: u64,
        limit: u32,
    ) -> StoreResult<Vec<(u64, String)>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT id, group_id FROM group_members \
                 WHERE app = ?1 AND user_id = ?2 AND id >= ?3 ORDER BY id LIMIT ?4",
            )?
            .query_map(params![app, user, int(from), limit], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn attributes(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<(String, String)>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT key, value FROM group_attributes WHERE app = ?1 AND group_id = ?2 \
                 ORDER BY key",
            )?
            .query_map(params![app, group_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn set_attribute(
        &mut self,
        app: u32,
        group_id: &str,
        key: &str,
        value: &str,
    ) -> StoreResult<()> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO group_attributes (app, group_id, key, value) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![app, group_id, key, value])?;
        Ok(())
    }

    fn delete_attribute(&mut self, app: u32, group_id: &str, key: &str) -> StoreResult<bool> {
        Ok(self
            .conn()
            .prepare_cached(
                "DELETE FROM group_attributes WHERE app = ?1 AND group_id = ?2 AND key = ?3",
            )?
            .execute(params![app, group_id, key])?
            > 0)
    }

    fn alias(&mut self, app: u32, user: &str, group_id: &str) -> StoreResult<String> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT alias FROM group_aliases WHERE app = ?1 AND user_id = ?2 AND group_id = ?3",
            )?
            .query_row(params![app, user, group_id], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    fn set_alias(&mut self, app: u32, user: &str, group_id: &str, alias: &str) -> StoreResult<()> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO group_aliases (app, user_id, group_id, alias) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![app, user, group_id, alias])?;
        Ok(())
    }

    fn application(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        inviter: &str,
    ) -> StoreResult<Option<ApplicationRow>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {APPLICATION_COLUMNS} FROM group_applications \
                 WHERE app = ?1 AND group_id = ?2 AND user_id = ?3 AND inviter = ?4"
            ))?
            .query_row(params![app, group_id, user, inviter], application_from_row)
            .optional()?)
    }

    fn put_application(&mut self, app: u32, a: &ApplicationRow) -> StoreResult<u64> {
        let c = self.conn();
        let id = if a.id == 0 {
            // A new (or renewed) application takes the next id, so the newest-first list
            // shows it first: the old row goes.
            c.prepare_cached(
                "DELETE FROM group_applications \
                 WHERE app = ?1 AND group_id = ?2 AND user_id = ?3 AND inviter = ?4",
            )?
            .execute(params![app, a.group_id, a.user_id, a.inviter])?;
            None
        } else {
            Some(int(a.id))
        };
        c.prepare_cached(&format!(
            "INSERT OR REPLACE INTO group_applications (app, {APPLICATION_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?
        .execute(params![
            app,
            id,
            a.group_id,
            a.user_id,
            a.inviter,
            a.state,
            a.wording,
            int(a.create_time),
            int(a.update_time),
            a.operator,
        ])?;
        Ok(match id {
            Some(id) => id as u64,
            None => c.last_insert_rowid() as u64,
        })
    }

    fn applications_for(
        &mut self,
        app: u32,
        user: &str,
        before: u64,
        limit: u32,
    ) -> StoreResult<Vec<ApplicationRow>> {
        let before = if before == 0 { i64::MAX } else { int(before) };
        let cols = APPLICATION_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {APPLICATION_COLUMNS} FROM group_applications \
                 WHERE app = ?1 AND user_id = ?2 AND id < ?3 \
                 UNION SELECT {APPLICATION_COLUMNS} FROM group_applications \
                 WHERE app = ?1 AND inviter = ?2 AND id < ?3 \
                 UNION SELECT {cols} FROM group_members m JOIN group_applications a \
                 ON a.app = m.app AND a.group_id = m.group_id AND a.inviter = '' \
                 WHERE m.app = ?1 AND m.user_id = ?2 AND m.role IN (1, 2) AND a.id < ?3 \
                 ORDER BY 1 DESC LIMIT ?4"
            ))?
            .query_map(params![app, user, before, limit], application_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn clear_group(&mut self, app: u32, group_id: &str, left_seq: u64) -> StoreResult<()> {
        let c = self.conn();
        c.prepare_cached(
            "INSERT OR REPLACE INTO group_member_spans (app, group_id, user_id, joined_seq, left_seq) \
             SELECT app, group_id, user_id, joined_seq, ?3 FROM group_members \
             WHERE app = ?1 AND group_id = ?2",
        )?
        .execute(params![app, group_id, int(left_seq)])?;
        for table in [
            "group_members",
            "group_attributes",
            "group_aliases",
            "group_applications",
        ] {
            c.prepare_cached(&format!(
                "DELETE FROM {table} WHERE app = ?1 AND group_id = ?2"
            ))?
            .execute(params![app, group_id])?;
        }
        Ok(())
    }
}
