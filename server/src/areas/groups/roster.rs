//! Who the members of a group are, for fan-out, and whether one may send now.
//!
//! A group's member list is read from the store once and kept in memory as a shared
//! `Arc<[String]>`, so telling 10,000 members about a change costs no store read and no
//! allocation per member. The list is loaded, and dropped after a membership change, only
//! while holding the group's turn ([`super::Turns`]), which every change holds from before
//! its store operation until after it has dropped the list: so a list that is loaded always
//! reflects every committed change, and no loader can put back a list a change has made
//! stale. A reader that finds the list cached between a change's commit and the moment it
//! drops the list sees the members just before that change.
//!
//! [`members`] and [`may_send`] are what group messages (issue 11, item 4) build on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tinyim_protocol::areas::mute_mode;

use super::{muted, rank, Turn};
use crate::server::Shared;
use crate::store::StoreResult;

/// Groups whose member lists are kept; beyond it an arbitrary one is dropped (and read
/// again when needed).
const CACHED_GROUPS: usize = 4096;

/// A group's members, shared by every fan-out that reads them.
type MemberList = Arc<[String]>;

/// The cached member lists, by (app, group).
#[derive(Default)]
pub struct Rosters {
    lists: Mutex<HashMap<(u32, String), MemberList>>,
}

impl Rosters {
    fn cached(&self, app: u32, group_id: &str) -> Option<Arc<[String]>> {
        let lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        lists.get(&(app, group_id.to_owned())).cloned()
    }

    /// Drops `group_id`'s list after its membership changed (call holding its turn).
    pub fn changed(&self, app: u32, group_id: &str, _turn: &Turn<'_>) {
        let mut lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        lists.remove(&(app, group_id.to_owned()));
    }

    fn keep(&self, app: u32, group_id: &str, members: Arc<[String]>) {
        let mut lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        if lists.len() >= CACHED_GROUPS {
            if let Some(k) = lists.keys().next().cloned() {
                lists.remove(&k);
            }
        }
        lists.insert((app, group_id.to_owned()), members);
    }

    /// The members of `group_id`, in join order (`None` if there is no such group), for a
    /// caller that holds the group's turn.
    pub async fn in_turn(
        &self,
        shared: &Shared,
        app: u32,
        group_id: &str,
        _turn: &Turn<'_>,
    ) -> StoreResult<Option<Arc<[String]>>> {
        if let Some(m) = self.cached(app, group_id) {
            return Ok(Some(m));
        }
        let gid = group_id.to_owned();
        let loaded = shared
            .store
            .run(move |s| match s.group(app, &gid)? {
                Some(g) if !g.dismissed => Ok(Some(s.member_ids(app, &gid)?)),
                _ => Ok(None),
            })
            .await?;
        Ok(loaded.map(|ids| {
            let members: Arc<[String]> = ids.into();
            self.keep(app, group_id, Arc::clone(&members));
            members
        }))
    }
}

/// The members of `group_id` (`None` if there is no such group), in join order. Not for a
/// caller that holds a group turn (a miss takes the group's turn; use [`Rosters::in_turn`]).
#[allow(dead_code)] // group messages (issue 11, item 4) fan out with it
pub async fn members(
    shared: &Shared,
    app: u32,
    group_id: &str,
) -> StoreResult<Option<Arc<[String]>>> {
    let rosters = &shared.groups.rosters;
    if let Some(m) = rosters.cached(app, group_id) {
        return Ok(Some(m));
    }
    let turn = shared.groups.turns.take(app, group_id).await;
    rosters.in_turn(shared, app, group_id, &turn).await
}

/// Whether a user may send to a group now (ZIM: members only, unless muted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendRight {
    /// A member, not muted; `joined_seq` is the timeline position they joined at.
    Allowed { joined_seq: u64 },
    /// No such group (or dismissed): ZIM's 6000523.
    NoGroup,
    /// Not a member: ZIM's 6000521.
    NotMember,
    /// Muted (by the group's mute or their own) until `until` (Unix seconds, `-1`: until
    /// unmuted).
    Muted { until: i64 },
}

/// Whether `user` may send to `group_id` at `now` (Unix seconds): a member whose own mute
/// and the group's mute (all members; regular members; or the listed roles) are over.
#[allow(dead_code)] // group messages (issue 11, item 4) check it
pub async fn may_send(
    shared: &Shared,
    app: u32,
    group_id: &str,
    user: &str,
    now: i64,
) -> StoreResult<SendRight> {
    let (gid, user) = (group_id.to_owned(), user.to_owned());
    shared
        .store
        .run(move |s| {
            let g = match s.group(app, &gid)? {
                Some(g) if !g.dismissed => g,
                _ => return Ok(SendRight::NoGroup),
            };
            let Some(m) = s.member(app, &gid, &user)? else {
                return Ok(SendRight::NotMember);
            };
            Ok(send_right(&g, &m, now))
        })
        .await
}

/// The rule of [`may_send`] for a member `m` of `g`.
pub(crate) fn send_right(
    g: &crate::store::groups::GroupRow,
    m: &crate::store::groups::MemberRow,
    now: i64,
) -> SendRight {
    let by_group = g.mute_mode != mute_mode::NONE
        && muted(g.mute_expire, now)
        && match g.mute_mode {
            mute_mode::ALL => true,
            mute_mode::NORMAL => rank(m.role) == 0,
            _ => g.mute_roles.contains(&m.role),
        };
    let own = muted(m.mute_expire, now);
    match (by_group, own) {
        (false, false) => SendRight::Allowed {
            joined_seq: m.joined_seq,
        },
        // The later of the two ends (-1 is the latest).
        (true, true) if g.mute_expire == -1 || m.mute_expire == -1 => {
            SendRight::Muted { until: -1 }
        }
        (true, true) => SendRight::Muted {
            until: g.mute_expire.max(m.mute_expire),
        },
        (true, false) => SendRight::Muted {
            until: g.mute_expire,
        },
        (false, true) => SendRight::Muted {
            until: m.mute_expire,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::groups::{GroupRow, MemberRow};
    use tinyim_protocol::areas::role;

    fn member(r: u32, mute_expire: i64) -> MemberRow {
        MemberRow {
            user_id: "u".into(),
            role: r,
            mute_expire,
            joined_seq: 7,
            ..MemberRow::default()
        }
    }

    fn group(mode: u8, expire: i64, roles: &[u32]) -> GroupRow {
        GroupRow {
            mute_mode: mode,
            mute_expire: expire,
            mute_roles: roles.to_vec(),
            ..GroupRow::default()
        }
    }

    #[test]
    fn who_may_send() {
        let open = group(mute_mode::NONE, 0, &[]);
        assert_eq!(
            send_right(&open, &member(role::MEMBER, 0), 100),
            SendRight::Allowed { joined_seq: 7 }
        );
        // A member's own mute, and its end.
        assert_eq!(
            send_right(&open, &member(role::MEMBER, 150), 100),
            SendRight::Muted { until: 150 }
        );
        assert!(matches!(
            send_right(&open, &member(role::MEMBER, 150), 150),
            SendRight::Allowed { .. }
        ));
        // Regular members only: admins and the owner still speak; app roles do not.
        let normal = group(mute_mode::NORMAL, -1, &[]);
        assert!(matches!(
            send_right(&normal, &member(role::ADMIN, 0), 100),
            SendRight::Allowed { .. }
        ));
        assert_eq!(
            send_right(&normal, &member(101, 0), 100),
            SendRight::Muted { until: -1 }
        );
        let all = group(mute_mode::ALL, 200, &[]);
        assert_eq!(
            send_right(&all, &member(role::OWNER, 0), 100),
            SendRight::Muted { until: 200 }
        );
        assert!(matches!(
            send_right(&all, &member(role::OWNER, 0), 200),
            SendRight::Allowed { .. }
        ));
        let custom = group(mute_mode::CUSTOM, -1, &[2]);
        assert!(matches!(
            send_right(&custom, &member(role::MEMBER, 0), 100),
            SendRight::Allowed { .. }
        ));
        assert_eq!(
            send_right(&custom, &member(role::ADMIN, 300), 100),
            SendRight::Muted { until: -1 }
        );
    }
}
