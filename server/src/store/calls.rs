//! Call invitations, stored so that they survive a restart: an invitee who logs in later
//! still receives a call that rings, every user can list their calls, and the server
//! re-arms the timeouts of the calls still ringing when it starts
//! ([`crate::areas::calls::rearm`]). The rules are [`crate::calls`]'; this keeps records.

use rusqlite::{params, OptionalExtension};

use super::sqlite::SqliteStore;
use super::StoreResult;
use crate::calls::{Call, CallUser};

/// The calls area's store operations.
pub trait CallStore {
    /// The call `id` of `app`, if there is one.
    fn call(&mut self, app: u32, id: u64) -> StoreResult<Option<Call>>;
    /// Writes `call` (new or changed; its users are never removed).
    fn save_call(&mut self, call: &Call) -> StoreResult<()>;
    /// `user`'s calls with an ID below `before` (0: any), newest first, at most `limit`.
    fn calls_of_user(
        &mut self,
        app: u32,
        user: &str,
        before: u64,
        limit: u32,
    ) -> StoreResult<Vec<Call>>;
    /// The calls on (`Started`) that `user` is still in or invited to.
    fn live_calls_of_user(&mut self, app: u32, user: &str) -> StoreResult<Vec<Call>>;
    /// Every call on, for re-arming timers at start.
    fn started_calls(&mut self) -> StoreResult<Vec<Call>>;
    /// Forgets calls that ended before `ended_before` (Unix ms); returns how many.
    fn prune_calls(&mut self, ended_before: u64) -> StoreResult<usize>;
}

/// The area's SQLite schema, applied in order (see [`SqliteStore::migrate_area`]).
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[r#"
CREATE TABLE calls (
    app           INTEGER NOT NULL,
    call_id       INTEGER NOT NULL,
    caller        TEXT    NOT NULL,
    mode          INTEGER NOT NULL,
    extended_data TEXT    NOT NULL,
    timeout       INTEGER NOT NULL,
    create_time   INTEGER NOT NULL,
    end_time      INTEGER NOT NULL,
    state         INTEGER NOT NULL,
    PRIMARY KEY (app, call_id)
) WITHOUT ROWID;
CREATE INDEX calls_by_state ON calls (state, end_time);
CREATE TABLE call_users (
    app           INTEGER NOT NULL,
    call_id       INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    user_id       TEXT    NOT NULL,
    inviter       TEXT    NOT NULL,
    state         INTEGER NOT NULL,
    extended_data TEXT    NOT NULL,
    deadline      INTEGER NOT NULL,
    accept_time   INTEGER NOT NULL,
    PRIMARY KEY (app, call_id, user_id)
) WITHOUT ROWID;
CREATE INDEX call_users_by_user ON call_users (app, user_id, call_id);
"#];

const CALL_COLUMNS: &str =
    "app, call_id, caller, mode, extended_data, timeout, create_time, end_time, state";

fn call_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Call> {
    Ok(Call {
        app: r.get(0)?,
        id: r.get::<_, i64>(1)? as u64,
        caller: r.get(2)?,
        mode: r.get(3)?,
        extended_data: r.get(4)?,
        timeout: r.get(5)?,
        create_time: r.get::<_, i64>(6)? as u64,
        end_time: r.get::<_, i64>(7)? as u64,
        state: r.get(8)?,
        users: Vec::new(),
    })
}

/// Fills in each call's users, in position order.
fn with_users(store: &SqliteStore, mut calls: Vec<Call>) -> StoreResult<Vec<Call>> {
    let mut stmt = store.conn().prepare_cached(
        "SELECT user_id, inviter, state, extended_data, deadline, accept_time \
         FROM call_users WHERE app = ?1 AND call_id = ?2 ORDER BY position",
    )?;
    for call in &mut calls {
        call.users = stmt
            .query_map(params![call.app, call.id as i64], |r| {
                Ok(CallUser {
                    user_id: r.get(0)?,
                    inviter: r.get(1)?,
                    state: r.get(2)?,
                    extended_data: r.get(3)?,
                    deadline: r.get::<_, i64>(4)? as u64,
                    accept_time: r.get::<_, i64>(5)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(calls)
}

fn query_calls(
    store: &SqliteStore,
    sql: &str,
    args: impl rusqlite::Params,
) -> StoreResult<Vec<Call>> {
    let calls = store
        .conn()
        .prepare_cached(sql)?
        .query_map(args, call_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_users(store, calls)
}

impl CallStore for SqliteStore {
    fn call(&mut self, app: u32, id: u64) -> StoreResult<Option<Call>> {
        let call = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {CALL_COLUMNS} FROM calls WHERE app = ?1 AND call_id = ?2"
            ))?
            .query_row(params![app, id as i64], call_row)
            .optional()?;
        Ok(with_users(self, call.into_iter().collect())?.pop())
    }

    fn save_call(&mut self, c: &Call) -> StoreResult<()> {
        self.conn()
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO calls ({CALL_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ))?
            .execute(params![
                c.app,
                c.id as i64,
                c.caller,
                c.mode,
                c.extended_data,
                c.timeout,
                c.create_time as i64,
                c.end_time as i64,
                c.state
            ])?;
        let mut stmt = self.conn().prepare_cached(
            "INSERT OR REPLACE INTO call_users (app, call_id, position, user_id, inviter, \
             state, extended_data, deadline, accept_time) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (i, u) in c.users.iter().enumerate() {
            stmt.execute(params![
                c.app,
                c.id as i64,
                i as i64,
                u.user_id,
                u.inviter,
                u.state,
                u.extended_data,
                u.deadline as i64,
                u.accept_time as i64
            ])?;
        }
        Ok(())
    }

    fn calls_of_user(
        &mut self,
        app: u32,
        user: &str,
        before: u64,
        limit: u32,
    ) -> StoreResult<Vec<Call>> {
        let before = if before == 0 {
            i64::MAX
        } else {
            before.min(i64::MAX as u64) as i64
        };
        query_calls(
            self,
            "SELECT c.app, c.call_id, c.caller, c.mode, c.extended_data, c.timeout, \
             c.create_time, c.end_time, c.state FROM call_users u \
             JOIN calls c ON c.app = u.app AND c.call_id = u.call_id \
             WHERE u.app = ?1 AND u.user_id = ?2 AND u.call_id < ?3 \
             ORDER BY u.call_id DESC LIMIT ?4",
            params![app, user, before, limit],
        )
    }

    fn live_calls_of_user(&mut self, app: u32, user: &str) -> StoreResult<Vec<Call>> {
        use tinyim_protocol::areas::{call_state, call_user_state as us};
        query_calls(
            self,
            "SELECT c.app, c.call_id, c.caller, c.mode, c.extended_data, c.timeout, \
             c.create_time, c.end_time, c.state FROM call_users u \
             JOIN calls c ON c.app = u.app AND c.call_id = u.call_id \
             WHERE u.app = ?1 AND u.user_id = ?2 AND u.state IN (?3, ?4, ?5) \
             AND c.state = ?6 ORDER BY u.call_id",
            params![
                app,
                user,
                us::INVITING,
                us::RECEIVED,
                us::ACCEPTED,
                call_state::STARTED
            ],
        )
    }

    fn started_calls(&mut self) -> StoreResult<Vec<Call>> {
        query_calls(
            self,
            &format!("SELECT {CALL_COLUMNS} FROM calls WHERE state = ?1"),
            params![tinyim_protocol::areas::call_state::STARTED],
        )
    }

    fn prune_calls(&mut self, ended_before: u64) -> StoreResult<usize> {
        let ended = tinyim_protocol::areas::call_state::ENDED;
        let before = ended_before.min(i64::MAX as u64) as i64;
        self.conn()
            .prepare_cached(
                "DELETE FROM call_users WHERE (app, call_id) IN \
                 (SELECT app, call_id FROM calls WHERE state = ?1 AND end_time < ?2)",
            )?
            .execute(params![ended, before])?;
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM calls WHERE state = ?1 AND end_time < ?2")?
            .execute(params![ended, before])?)
    }
}
