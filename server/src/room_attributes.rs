//! Room attributes and room member attributes: ZIM's rules and limits, on the state one room
//! holds. [`crate::rooms`] owns the rooms, locks them and tells the members; this module
//! only decides what a change does (pure, so its rules are unit-tested here).
//!
//! Rules (ZIM's where its docs say; docs/protocol.md "Room attributes" for the choices):
//! - A room attribute has an owner: whoever set it first, or last with `isUpdateOwner`.
//!   Without `isForce` only the owner may change or delete it (other keys go to
//!   `errorKeys`; a call whose every key is refused fails with 6000331).
//! - `isDeleteAfterOwnerLeft` marks the attributes the caller owns after the call: they go
//!   when the owner leaves the room.
//! - Limits (ZIM's defaults): 20 attributes a room (6000334), keys of 1-16 bytes (6000335),
//!   values up to 1024 bytes (6000336), keys and values together up to 5120 bytes
//!   (6000337). A call that would break one changes nothing.
//! - Member attributes: keys of 1-8 bytes (6000352), values up to 64 bytes (6000353), at
//!   most 30 pairs and 144 bytes of keys and values per member (6000351), at most 500
//!   members with attributes per room (6000357). They go when their member leaves, unless
//!   set with `isDeleteAfterOwnerLeft` false.

use std::collections::BTreeMap;

use tinyim_protocol::areas::{
    room_attributes_action, Attributes, RoomAttributesOperation, RoomAttributesSetConfig,
};
use tinyim_protocol::code;

/// ZIM's room attribute error codes.
pub mod attr_code {
    pub const FAILED_COMPLETELY: u32 = 6_000_331;
    pub const TOO_MANY: u32 = 6_000_334;
    pub const KEY_TOO_LONG: u32 = 6_000_335;
    pub const VALUE_TOO_LONG: u32 = 6_000_336;
    pub const TOTAL_TOO_LONG: u32 = 6_000_337;
    pub const MEMBER_TOTAL_TOO_LONG: u32 = 6_000_351;
    pub const MEMBER_KEY_TOO_LONG: u32 = 6_000_352;
    pub const MEMBER_VALUE_TOO_LONG: u32 = 6_000_353;
    pub const MEMBER_COUNT: u32 = 6_000_357;
}

use attr_code::*;

const MAX_ATTRIBUTES: usize = 20;
const MAX_KEY_LEN: usize = 16;
const MAX_VALUE_LEN: usize = 1024;
const MAX_TOTAL_LEN: usize = 5120;
const MAX_MEMBER_KEY_LEN: usize = 8;
const MAX_MEMBER_VALUE_LEN: usize = 64;
const MAX_MEMBER_PAIRS: usize = 30;
const MAX_MEMBER_TOTAL_LEN: usize = 144;
const MAX_MEMBERS_WITH_ATTRIBUTES: usize = 500;

/// How a set (or a batch) treats ownership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetRules {
    pub force: bool,
    pub delete_after_owner_left: bool,
    pub update_owner: bool,
}

impl From<&RoomAttributesSetConfig> for SetRules {
    fn from(c: &RoomAttributesSetConfig) -> Self {
        SetRules {
            force: c.is_force,
            delete_after_owner_left: c.is_delete_after_owner_left,
            update_owner: c.is_update_owner,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Attr {
    value: String,
    owner: String,
    delete_after_owner_left: bool,
}

/// What a change did, for the caller's answer and the members' notice.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// Keys the caller could not change.
    pub error_keys: Vec<String>,
    /// Attributes set (with their new values).
    pub set: Attributes,
    /// Keys deleted (with empty values, ZIM's delete info).
    pub deleted: Attributes,
}

/// One room's attributes.
#[derive(Debug, Clone, Default)]
pub struct RoomAttributes {
    attrs: BTreeMap<String, Attr>,
}

fn check_key_value(key: &str, value: Option<&str>) -> Result<(), u32> {
    if key.is_empty() {
        return Err(code::PARAMS_INVALID);
    }
    if key.len() > MAX_KEY_LEN {
        return Err(KEY_TOO_LONG);
    }
    if value.is_some_and(|v| v.len() > MAX_VALUE_LEN) {
        return Err(VALUE_TOO_LONG);
    }
    Ok(())
}

impl RoomAttributes {
    /// The attributes a room is created with, owned by its creator.
    pub fn created(attributes: &Attributes, creator: &str) -> Result<Self, u32> {
        let mut a = RoomAttributes::default();
        if !attributes.is_empty() {
            a.apply(&[set_op(attributes)], creator, SetRules::default())?;
        }
        Ok(a)
    }

    /// Every attribute, as ZIM lists them.
    pub fn all(&self) -> Attributes {
        self.attrs
            .iter()
            .map(|(k, a)| (k.clone(), a.value.clone()))
            .collect()
    }

    /// `setRoomAttributes`.
    pub fn set(
        &mut self,
        attributes: &Attributes,
        caller: &str,
        rules: SetRules,
    ) -> Result<Change, u32> {
        if attributes.is_empty() {
            return Err(code::PARAMS_INVALID);
        }
        self.apply(&[set_op(attributes)], caller, rules)
    }

    /// `deleteRoomAttributes`. Keys that do not exist are deleted already: no error.
    pub fn delete(&mut self, keys: &[String], caller: &str, force: bool) -> Result<Change, u32> {
        if keys.is_empty() {
            return Err(code::PARAMS_INVALID);
        }
        let op = RoomAttributesOperation {
            action: room_attributes_action::DELETE,
            keys: keys.to_vec().into(),
            ..Default::default()
        };
        let rules = SetRules {
            force,
            ..SetRules::default()
        };
        self.apply(&[op], caller, rules)
    }

    /// Applies `ops` in order, all or nothing: the limits are checked on the result, and
    /// a call whose every key was refused changes nothing and fails with 6000331.
    pub fn apply(
        &mut self,
        ops: &[RoomAttributesOperation],
        caller: &str,
        rules: SetRules,
    ) -> Result<Change, u32> {
        let mut next = self.attrs.clone();
        let mut error_keys: Vec<String> = Vec::new();
        let mut touched = 0usize;
        for op in ops {
            match op.action {
                room_attributes_action::SET => {
                    for (k, v) in &op.room_attributes {
                        check_key_value(k, Some(v))?;
                        touched += 1;
                        match next.get_mut(k) {
                            Some(a) if a.owner != caller && !rules.force => {
                                error_keys.push(k.clone())
                            }
                            Some(a) => {
                                a.value = v.clone();
                                if rules.update_owner {
                                    a.owner = caller.to_owned();
                                }
                                if a.owner == caller {
                                    a.delete_after_owner_left = rules.delete_after_owner_left;
                                }
                            }
                            None => {
                                next.insert(
                                    k.clone(),
                                    Attr {
                                        value: v.clone(),
                                        owner: caller.to_owned(),
                                        delete_after_owner_left: rules.delete_after_owner_left,
                                    },
                                );
                            }
                        }
                    }
                }
                room_attributes_action::DELETE => {
                    for k in op.keys.iter() {
                        check_key_value(k, None)?;
                        touched += 1;
                        match next.get(k) {
                            Some(a) if a.owner != caller && !rules.force => {
                                error_keys.push(k.clone())
                            }
                            Some(_) => {
                                next.remove(k);
                            }
                            None => {}
                        }
                    }
                }
                _ => return Err(code::PARAMS_INVALID),
            }
        }
        if touched > 0 && error_keys.len() == touched {
            return Err(FAILED_COMPLETELY);
        }
        if next.len() > MAX_ATTRIBUTES {
            return Err(TOO_MANY);
        }
        let total: usize = next.iter().map(|(k, a)| k.len() + a.value.len()).sum();
        if total > MAX_TOTAL_LEN {
            return Err(TOTAL_TOO_LONG);
        }
        error_keys.sort();
        error_keys.dedup();
        let mut change = Change {
            error_keys,
            ..Change::default()
        };
        for (k, a) in &next {
            if self.attrs.get(k).map(|old| &old.value) != Some(&a.value) {
                change.set.insert(k.clone(), a.value.clone());
            }
        }
        for k in self.attrs.keys() {
            if !next.contains_key(k) {
                change.deleted.insert(k.clone(), String::new());
            }
        }
        self.attrs = next;
        Ok(change)
    }

    /// `user` left the room: the attributes they own with `isDeleteAfterOwnerLeft` go.
    /// Returns the keys deleted (empty values).
    pub fn owner_left(&mut self, user: &str) -> Attributes {
        let gone: Attributes = self
            .attrs
            .iter()
            .filter(|(_, a)| a.owner == user && a.delete_after_owner_left)
            .map(|(k, _)| (k.clone(), String::new()))
            .collect();
        self.attrs.retain(|k, _| !gone.contains_key(k));
        gone
    }
}

fn set_op(attributes: &Attributes) -> RoomAttributesOperation {
    RoomAttributesOperation {
        action: room_attributes_action::SET,
        room_attributes: attributes.clone(),
        ..Default::default()
    }
}

#[derive(Debug, Clone, Default)]
struct MemberAttrs {
    attrs: Attributes,
    delete_after_left: bool,
}

/// One room's member attributes, by member.
#[derive(Debug, Clone, Default)]
pub struct MemberAttributes {
    by_user: BTreeMap<String, MemberAttrs>,
}

/// The outcome of `setRoomMembersAttributes`: each user set, with their attributes now,
/// and the users not set.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MembersSet {
    pub set: Vec<(String, Attributes)>,
    pub error_users: Vec<String>,
}

impl MemberAttributes {
    /// Sets `attributes` on each of `users` for which `is_member` holds. Users that are
    /// not members, or whose attributes would break a limit, are listed in
    /// `error_users`; if no user could be set the call fails with the first reason.
    pub fn set(
        &mut self,
        attributes: &Attributes,
        users: &[String],
        is_member: impl Fn(&str) -> bool,
        delete_after_left: bool,
    ) -> Result<MembersSet, u32> {
        if attributes.is_empty() || users.is_empty() {
            return Err(code::PARAMS_INVALID);
        }
        for (k, v) in attributes {
            if k.is_empty() {
                return Err(code::PARAMS_INVALID);
            }
            if k.len() > MAX_MEMBER_KEY_LEN {
                return Err(MEMBER_KEY_TOO_LONG);
            }
            if v.len() > MAX_MEMBER_VALUE_LEN {
                return Err(MEMBER_VALUE_TOO_LONG);
            }
        }
        let mut out = MembersSet::default();
        let mut first_error = None;
        for user in users {
            if out.set.iter().any(|(u, _)| u == user) || out.error_users.contains(user) {
                continue;
            }
            let refused = if !is_member(user) {
                Some(tinyim_protocol::code::USER_NOT_IN_ROOM)
            } else {
                let mut merged = self
                    .by_user
                    .get(user)
                    .map(|m| m.attrs.clone())
                    .unwrap_or_default();
                merged.extend(attributes.iter().map(|(k, v)| (k.clone(), v.clone())));
                let total: usize = merged.iter().map(|(k, v)| k.len() + v.len()).sum();
                if merged.len() > MAX_MEMBER_PAIRS || total > MAX_MEMBER_TOTAL_LEN {
                    Some(MEMBER_TOTAL_TOO_LONG)
                } else if !self.by_user.contains_key(user)
                    && self.by_user.len() >= MAX_MEMBERS_WITH_ATTRIBUTES
                {
                    Some(MEMBER_COUNT)
                } else {
                    self.by_user.insert(
                        user.clone(),
                        MemberAttrs {
                            attrs: merged.clone(),
                            delete_after_left,
                        },
                    );
                    out.set.push((user.clone(), merged));
                    None
                }
            };
            if let Some(c) = refused {
                first_error.get_or_insert(c);
                out.error_users.push(user.clone());
            }
        }
        match first_error {
            Some(c) if out.set.is_empty() => Err(c),
            _ => Ok(out),
        }
    }

    /// The attributes of `user` (empty if none).
    pub fn of(&self, user: &str) -> Attributes {
        self.by_user
            .get(user)
            .map(|m| m.attrs.clone())
            .unwrap_or_default()
    }

    /// One page of members with attributes after `next_flag` (a user ID; "" = from the
    /// start), at most `count`; the flag returned is "" on the last page.
    pub fn page(&self, next_flag: &str, count: usize) -> (Vec<(String, Attributes)>, String) {
        let mut page = Vec::new();
        let mut more = false;
        for (user, m) in self
            .by_user
            .iter()
            .filter(|(u, _)| next_flag.is_empty() || u.as_str() > next_flag)
        {
            if page.len() == count {
                more = true;
                break;
            }
            page.push((user.clone(), m.attrs.clone()));
        }
        let flag = match page.last() {
            Some((u, _)) if more => u.clone(),
            _ => String::new(),
        };
        (page, flag)
    }

    /// `user` left the room: their attributes go unless kept on purpose.
    pub fn member_left(&mut self, user: &str) {
        if self.by_user.get(user).is_some_and(|m| m.delete_after_left) {
            self.by_user.remove(user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_the_owner_changes_an_attribute_unless_forced() {
        let mut a = RoomAttributes::created(&map(&[("seat1", "alice")]), "alice").unwrap();
        let c = a
            .set(
                &map(&[("seat1", "bob"), ("seat2", "bob")]),
                "bob",
                SetRules::default(),
            )
            .unwrap();
        assert_eq!(c.error_keys, ["seat1"]);
        assert_eq!(c.set, map(&[("seat2", "bob")]));
        assert_eq!(a.all(), map(&[("seat1", "alice"), ("seat2", "bob")]));
        // Every key refused: nothing changes, 6000331.
        assert_eq!(
            a.delete(&["seat1".into()], "bob", false),
            Err(FAILED_COMPLETELY)
        );
        let forced = SetRules {
            force: true,
            ..SetRules::default()
        };
        a.set(&map(&[("seat1", "bob")]), "bob", forced).unwrap();
        assert_eq!(a.all()["seat1"], "bob");
        // Forced without isUpdateOwner: alice still owns it.
        assert_eq!(
            a.delete(&["seat1".into()], "bob", false),
            Err(FAILED_COMPLETELY)
        );
        let c = a
            .delete(&["seat1".into(), "gone".into()], "alice", false)
            .unwrap();
        assert_eq!(c.deleted, map(&[("seat1", "")]));
    }

    #[test]
    fn owner_left_removes_only_what_was_marked() {
        let mut a = RoomAttributes::default();
        let marked = SetRules {
            delete_after_owner_left: true,
            ..SetRules::default()
        };
        a.set(&map(&[("a", "1")]), "alice", marked).unwrap();
        a.set(&map(&[("b", "2")]), "alice", SetRules::default())
            .unwrap();
        let update = SetRules {
            force: true,
            update_owner: true,
            delete_after_owner_left: true,
        };
        a.set(&map(&[("b", "3")]), "bob", update).unwrap();
        assert_eq!(a.owner_left("alice"), map(&[("a", "")]));
        assert_eq!(a.owner_left("bob"), map(&[("b", "")]));
        assert!(a.all().is_empty());
    }

    #[test]
    fn limits_refuse_the_whole_call() {
        let mut a = RoomAttributes::default();
        let r = SetRules::default();
        assert_eq!(
            a.set(&map(&[(&"k".repeat(17), "v")]), "u", r),
            Err(KEY_TOO_LONG)
        );
        let long = "v".repeat(1025);
        assert_eq!(a.set(&map(&[("k", &long)]), "u", r), Err(VALUE_TOO_LONG));
        let many: Attributes = (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
        assert_eq!(a.set(&many, "u", r), Err(TOO_MANY));
        let big: Attributes = (0..6)
            .map(|i| (format!("k{i}"), "v".repeat(1000)))
            .collect();
        assert_eq!(a.set(&big, "u", r), Err(TOTAL_TOO_LONG));
        assert!(a.all().is_empty());
        assert_eq!(a.set(&Attributes::new(), "u", r), Err(code::PARAMS_INVALID));
    }

    #[test]
    fn a_batch_reports_its_net_effect() {
        let mut a = RoomAttributes::created(&map(&[("x", "0")]), "u").unwrap();
        let ops = [
            set_op(&map(&[("a", "1"), ("b", "1")])),
            RoomAttributesOperation {
                action: room_attributes_action::DELETE,
                keys: vec!["b".to_string(), "x".to_string()].into(),
                ..Default::default()
            },
            set_op(&map(&[("a", "2")])),
        ];
        let c = a.apply(&ops, "u", SetRules::default()).unwrap();
        assert_eq!(c.set, map(&[("a", "2")]));
        assert_eq!(c.deleted, map(&[("x", "")]));
        assert_eq!(a.all(), map(&[("a", "2")]));
    }

    #[test]
    fn member_attributes_follow_their_limits() {
        let mut m = MemberAttributes::default();
        let members = ["alice", "bob"];
        let is_member = |u: &str| members.contains(&u);
        let users = vec!["alice".to_string(), "carol".to_string()];
        let out = m
            .set(&map(&[("lv", "3")]), &users, is_member, true)
            .unwrap();
        assert_eq!(out.set, vec![("alice".to_string(), map(&[("lv", "3")]))]);
        assert_eq!(out.error_users, ["carol"]);
        assert_eq!(
            m.set(&map(&[("lv", "3")]), &["carol".into()], is_member, true),
            Err(code::USER_NOT_IN_ROOM)
        );
        assert_eq!(
            m.set(&map(&[("too-long-k", "v")]), &users, is_member, true),
            Err(MEMBER_KEY_TOO_LONG)
        );
        assert_eq!(
            m.set(&map(&[("k", &"v".repeat(65))]), &users, is_member, true),
            Err(MEMBER_VALUE_TOO_LONG)
        );
        let wide: Attributes = (0..3).map(|i| (format!("k{i}"), "v".repeat(60))).collect();
        assert_eq!(
            m.set(&wide, &["bob".into()], is_member, true),
            Err(MEMBER_TOTAL_TOO_LONG)
        );
        m.set(&map(&[("k", "v")]), &["bob".into()], is_member, false)
            .unwrap();
        assert_eq!(
            m.page("", 1),
            (vec![("alice".into(), map(&[("lv", "3")]))], "alice".into())
        );
        assert_eq!(
            m.page("alice", 1),
            (vec![("bob".into(), map(&[("k", "v")]))], String::new())
        );
        m.member_left("alice");
        m.member_left("bob");
        assert!(m.of("alice").is_empty());
        assert_eq!(
            m.of("bob"),
            map(&[("k", "v")]),
            "kept: set with isDeleteAfterOwnerLeft false"
        );
    }
}
