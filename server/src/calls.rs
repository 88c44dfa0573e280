//! Call invitations: the record of a call, ZIM's rules for what each operation does to it
//! (pure, unit-tested here), and the per-call timers that time unanswered invitees out.
//!
//! A call is stored ([`crate::store::calls`]) and changed only inside a store job
//! ([`crate::areas::calls`]), so the operations on one call are serialised and each answer
//! follows a durable commit. Timeouts are decided by the server's clock: every unanswered
//! invitee has a deadline (invited + timeout), and one timer per call is armed for the
//! earliest. Timers live in memory only; at start the server re-arms one for every call
//! still ringing (a deadline that passed while it was down fires at once), so a restart
//! delays a timeout by at most the downtime and loses no call.
//!
//! Who hears what (docs/protocol.md "Call invitations"): an invitee online when invited, or
//! at their next login before the deadline, gets `callInvitationReceived` exactly once (the
//! claim from Inviting to Received happens in the same store job that decides it);
//! `callUserStateChanged` (the new states of the users that changed) goes to the users who
//! were in the call (Inviting, Received or Accepted) before the change, except those told
//! by a notice of their own (cancelled, timed out, newly invited); the inviter also gets
//! the deprecated `callInvitationAccepted` / `callInvitationRejected` /
//! `callInviteesAnsweredTimeout`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tinyim_protocol::areas::{
    call_mode, call_state, call_user_state as us, CallInfo, CallInvitationAnswered,
    CallInvitationCancelled, CallInvitationCreated, CallInvitationEnded, CallInvitationReceived,
    CallInvitationTimeout, CallInviteesAnsweredTimeout, CallUserInfo, CallUserStateChanged,
};
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::List;

use crate::server::{now_millis, Shared};

/// ZIM's call error codes.
pub mod call_code {
    pub const COMMON: u32 = 6_000_270;
    pub const CANCEL: u32 = 6_000_271;
    pub const NOT_INVITER: u32 = 6_000_273;
    pub const NOT_INVITEE: u32 = 6_000_274;
    pub const DOES_NOT_EXIST: u32 = 6_000_276;
    pub const INVITEES_DO_NOT_EXIST: u32 = 6_000_281;
    pub const ALREADY_IN_CALL: u32 = 6_000_283;
}

use call_code::*;

/// ZIM's default invitation timeout, seconds.
pub const DEFAULT_TIMEOUT_SECS: u32 = 90;
/// The longest invitation timeout tinyim takes, seconds (ZIM's docs give none).
pub const MAX_TIMEOUT_SECS: u32 = 600;
/// Most invitees one invitation names (ZIM's limit).
pub const MAX_INVITEES: usize = 9;

/// One user of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallUser {
    pub user_id: String,
    /// Who invited them (the caller invites themself).
    pub inviter: String,
    /// `ZIMCallUserState`.
    pub state: u8,
    pub extended_data: String,
    /// When an unanswered invitation times out (Unix ms); 0 once answered.
    pub deadline: u64,
    /// When they accepted (Unix ms); 0 if they have not.
    pub accept_time: u64,
}

/// One call invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub app: u32,
    pub id: u64,
    pub caller: String,
    /// `ZIMCallInvitationMode`.
    pub mode: u8,
    pub extended_data: String,
    /// Seconds.
    pub timeout: u32,
    pub create_time: u64,
    /// 0 while the call is on.
    pub end_time: u64,
    /// `ZIMCallState`.
    pub state: u8,
    /// The caller first, then the invitees in invitation order.
    pub users: Vec<CallUser>,
}

/// Notices for users, to be sent once the change is committed.
pub type Notices = Vec<(String, Notice)>;

/// Unanswered: the user may still accept or reject.
fn pending(state: u8) -> bool {
    matches!(state, us::INVITING | us::RECEIVED)
}

/// Still in the call: they hear of its changes.
fn involved(state: u8) -> bool {
    pending(state) || state == us::ACCEPTED
}

impl Call {
    /// A new call from `caller` to `invitees` (known users, not the caller, no repeats);
    /// those `online` receive it at once. Notices: `callInvitationCreated` to the caller,
    /// `callInvitationReceived` to each invitee online.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        app: u32,
        id: u64,
        caller: &str,
        invitees: &[String],
        mode: u8,
        extended_data: &str,
        timeout: u32,
        now: u64,
        online: &dyn Fn(&str) -> bool,
    ) -> (Call, Notices) {
        let mut users = vec![CallUser {
            user_id: caller.to_owned(),
            inviter: caller.to_owned(),
            state: us::ACCEPTED,
            extended_data: String::new(),
            deadline: 0,
            accept_time: now,
        }];
        let deadline = now + u64::from(timeout) * 1000;
        for u in invitees {
            users.push(CallUser {
                user_id: u.clone(),
                inviter: caller.to_owned(),
                state: if online(u) {
                    us::RECEIVED
                } else {
                    us::INVITING
                },
                extended_data: String::new(),
                deadline,
                accept_time: 0,
            });
        }
        let call = Call {
            app,
            id,
            caller: caller.to_owned(),
            mode,
            extended_data: extended_data.to_owned(),
            timeout,
            create_time: now,
            end_time: 0,
            state: call_state::STARTED,
            users,
        };
        let mut notices = vec![(
            caller.to_owned(),
            Notice::CallInvitationCreated(CallInvitationCreated {
                call_id: id.to_string(),
                mode,
                caller: caller.to_owned(),
                extended_data: extended_data.to_owned(),
                timeout,
                create_time: now,
                call_user_list: call.user_list(),
            }),
        )];
        for u in &call.users[1..] {
            if u.state == us::RECEIVED {
                notices.push((u.user_id.clone(), call.received(u)));
            }
        }
        (call, notices)
    }

    /// ZIM's `ZIMCallUserInfo` list.
    pub fn user_list(&self) -> List<CallUserInfo> {
        List(self.users.iter().map(user_info).collect())
    }

    /// ZIM's `ZIMCallInfo`, as `viewer` sees it (`inviter` is who invited them).
    pub fn info(&self, viewer: &str) -> CallInfo {
        CallInfo {
            call_id: self.id.to_string(),
            caller: self.caller.clone(),
            inviter: self
                .user(viewer)
                .map(|u| self.users[u].inviter.clone())
                .unwrap_or_else(|| self.caller.clone()),
            create_time: self.create_time,
            end_time: self.end_time,
            state: self.state,
            mode: self.mode,
            extended_data: self.extended_data.clone(),
            call_user_list: self.user_list(),
        }
    }

    /// The earliest deadline of an unanswered invitee, while the call is on.
    pub fn next_deadline(&self) -> Option<u64> {
        if self.state != call_state::STARTED {
            return None;
        }
        self.users
            .iter()
            .filter(|u| pending(u.state))
            .map(|u| u.deadline)
            .min()
    }

    fn user(&self, user_id: &str) -> Option<usize> {
        self.users.iter().position(|u| u.user_id == user_id)
    }

    fn received(&self, u: &CallUser) -> Notice {
        Notice::CallInvitationReceived(CallInvitationReceived {
            call_id: self.id.to_string(),
            mode: self.mode,
            caller: self.caller.clone(),
            inviter: u.inviter.clone(),
            extended_data: self.extended_data.clone(),
            timeout: self.timeout,
            create_time: self.create_time,
            call_user_list: self.user_list(),
        })
    }

    fn check_on(&self) -> Result<(), u32> {
        if self.state == call_state::STARTED {
            Ok(())
        } else {
            Err(DOES_NOT_EXIST)
        }
    }

    fn check_advanced(&self) -> Result<(), u32> {
        if self.mode == call_mode::ADVANCED {
            Ok(())
        } else {
            Err(COMMON)
        }
    }

    /// The users in the call now: those who hear of a change about to be made.
    fn audience(&self) -> Vec<String> {
        self.users
            .iter()
            .filter(|u| involved(u.state))
            .map(|u| u.user_id.clone())
            .collect()
    }

    /// Ends a call nobody can answer any more: in general mode once no invitee is left
    /// unanswered; in advanced mode once nobody is left in it either.
    fn finish_if_done(&mut self, now: u64) {
        if self.state != call_state::STARTED || self.users.iter().any(|u| pending(u.state)) {
            return;
        }
        let anyone_in = self.users.iter().any(|u| u.state == us::ACCEPTED);
        if self.mode == call_mode::GENERAL || !anyone_in {
            self.state = call_state::ENDED;
            self.end_time = now;
        }
    }

    /// `callCancel` by `me`: `invitees` (none: every unanswered one `me` invited). Returns
    /// the invitees that could not be cancelled.
    pub fn cancel(
        &mut self,
        me: &str,
        invitees: &[String],
        extended_data: &str,
        now: u64,
    ) -> Result<(Vec<String>, Notices), u32> {
        self.check_on()?;
        if !self
            .users
            .iter()
            .any(|u| u.inviter == me && u.user_id != me)
        {
            return Err(NOT_INVITER);
        }
        if self.mode == call_mode::GENERAL
            && self
                .users
                .iter()
                .any(|u| u.state == us::ACCEPTED && u.user_id != self.caller)
        {
            return Err(CANCEL);
        }
        let targets: Vec<String> = if invitees.is_empty() {
            self.users
                .iter()
                .filter(|u| u.inviter == me && u.user_id != me && pending(u.state))
                .map(|u| u.user_id.clone())
                .collect()
        } else {
            invitees.to_vec()
        };
        let audience = self.audience();
        let (mut changed, mut errors) = (Vec::new(), Vec::new());
        for t in targets {
            match self.user(&t) {
                Some(i) if self.users[i].inviter == me && pending(self.users[i].state) => {
                    let u = &mut self.users[i];
                    u.state = us::CANCELLED;
                    u.deadline = 0;
                    changed.push(i);
                }
                _ => errors.push(t),
            }
        }
        if changed.is_empty() {
            return Err(CANCEL);
        }
        let mut notices = Vec::new();
        for &i in &changed {
            notices.push((
                self.users[i].user_id.clone(),
                Notice::CallInvitationCancelled(CallInvitationCancelled {
                    call_id: self.id.to_string(),
                    mode: self.mode,
                    inviter: me.to_owned(),
                    extended_data: extended_data.to_owned(),
                }),
            ));
        }
        let audience = self.without(audience, &changed);
        self.state_changed(audience, &changed, &mut notices);
        self.finish_if_done(now);
        Ok((errors, notices))
    }

    /// `audience` without the users at `changed` (who get a notice of their own).
    fn without(&self, audience: Vec<String>, changed: &[usize]) -> Vec<String> {
        audience
            .into_iter()
            .filter(|a| !changed.iter().any(|&i| &self.users[i].user_id == a))
            .collect()
    }

    /// `callUserStateChanged` with the new states of the users at `changed`, to `audience`.
    fn state_changed(&self, audience: Vec<String>, changed: &[usize], notices: &mut Notices) {
        if changed.is_empty() {
            return;
        }
        let list: Vec<CallUserInfo> = changed.iter().map(|&i| user_info(&self.users[i])).collect();
        for user in audience {
            notices.push((
                user,
                Notice::CallUserStateChanged(CallUserStateChanged {
                    call_id: self.id.to_string(),
                    call_user_list: List(list.clone()),
                }),
            ));
        }
    }

    /// `callAccept` (`accept`) or `callReject` by `me`, an unanswered invitee.
    pub fn answer(
        &mut self,
        me: &str,
        accept: bool,
        extended_data: &str,
        now: u64,
    ) -> Result<Notices, u32> {
        self.check_on()?;
        let i = self.user(me).ok_or(NOT_INVITEE)?;
        if me == self.caller {
            return Err(NOT_INVITEE);
        }
        if !pending(self.users[i].state) {
            return Err(COMMON);
        }
        let audience = self.audience();
        let u = &mut self.users[i];
        u.state = if accept { us::ACCEPTED } else { us::REJECTED };
        u.deadline = 0;
        u.extended_data = extended_data.to_owned();
        if accept {
            u.accept_time = now;
        }
        let answered = CallInvitationAnswered {
            call_id: self.id.to_string(),
            invitee: me.to_owned(),
            extended_data: extended_data.to_owned(),
        };
        let mut notices = vec![(
            u.inviter.clone(),
            if accept {
                Notice::CallInvitationAccepted(answered)
            } else {
                Notice::CallInvitationRejected(answered)
            },
        )];
        self.state_changed(audience, &[i], &mut notices);
        self.finish_if_done(now);
        Ok(notices)
    }

    /// `callingInvite` by `me` (in an advanced call): `invitees` (known users) are invited
    /// with the call's timeout from now. Returns those already in the call.
    pub fn invite_more(
        &mut self,
        me: &str,
        invitees: &[String],
        now: u64,
        online: &dyn Fn(&str) -> bool,
    ) -> Result<(Vec<String>, Notices), u32> {
        self.check_on()?;
        self.check_advanced()?;
        match self.user(me) {
            Some(i) if self.users[i].state == us::ACCEPTED => {}
            _ => return Err(NOT_INVITER),
        }
        let audience = self.audience();
        let deadline = now + u64::from(self.timeout) * 1000;
        let (mut changed, mut errors) = (Vec::new(), Vec::new());
        for t in invitees {
            let i = match self.user(t) {
                Some(i) if involved(self.users[i].state) => {
                    errors.push(t.clone());
                    continue;
                }
                Some(i) => i,
                None => {
                    self.users.push(CallUser {
                        user_id: t.clone(),
                        inviter: String::new(),
                        state: us::INVITING,
                        extended_data: String::new(),
                        deadline: 0,
                        accept_time: 0,
                    });
                    self.users.len() - 1
                }
            };
            let u = &mut self.users[i];
            u.inviter = me.to_owned();
            u.state = if online(t) {
                us::RECEIVED
            } else {
                us::INVITING
            };
            u.deadline = deadline;
            u.extended_data.clear();
            u.accept_time = 0;
            if !changed.contains(&i) {
                changed.push(i);
            }
        }
        let mut notices = Vec::new();
        for &i in &changed {
            if self.users[i].state == us::RECEIVED {
                notices.push((self.users[i].user_id.clone(), self.received(&self.users[i])));
            }
        }
        self.state_changed(audience, &changed, &mut notices);
        Ok((errors, notices))
    }

    /// `callJoin` by `me` (an advanced call): they are in it from now.
    pub fn join(&mut self, me: &str, extended_data: &str, now: u64) -> Result<Notices, u32> {
        self.check_on()?;
        self.check_advanced()?;
        let audience = self.audience();
        let i = match self.user(me) {
            Some(i) if self.users[i].state == us::ACCEPTED => return Err(ALREADY_IN_CALL),
            Some(i) => i,
            None => {
                self.users.push(CallUser {
                    user_id: me.to_owned(),
                    inviter: me.to_owned(),
                    state: us::ACCEPTED,
                    extended_data: String::new(),
                    deadline: 0,
                    accept_time: 0,
                });
                self.users.len() - 1
            }
        };
        let u = &mut self.users[i];
        u.state = us::ACCEPTED;
        u.deadline = 0;
        u.accept_time = now;
        u.extended_data = extended_data.to_owned();
        let mut notices = Vec::new();
        self.state_changed(audience, &[i], &mut notices);
        Ok(notices)
    }

    /// `callQuit` by `me`, who is in the (advanced) call. Returns when they had accepted.
    pub fn quit(&mut self, me: &str, extended_data: &str, now: u64) -> Result<(u64, Notices), u32> {
        self.check_on()?;
        self.check_advanced()?;
        let i = self.user(me).ok_or(NOT_INVITEE)?;
        if self.users[i].state != us::ACCEPTED {
            return Err(COMMON);
        }
        let audience = self.audience();
        let u = &mut self.users[i];
        u.state = us::QUIT;
        u.extended_data = extended_data.to_owned();
        let accepted = u.accept_time;
        let mut notices = Vec::new();
        self.state_changed(audience, &[i], &mut notices);
        self.finish_if_done(now);
        Ok((accepted, notices))
    }

    /// `callEnd` by `me`, who is in the (advanced) call: it ends for everyone. Returns when
    /// they had accepted.
    pub fn end(&mut self, me: &str, extended_data: &str, now: u64) -> Result<(u64, Notices), u32> {
        self.check_on()?;
        self.check_advanced()?;
        let i = self.user(me).ok_or(NOT_INVITEE)?;
        if self.users[i].state != us::ACCEPTED {
            return Err(COMMON);
        }
        let accepted = self.users[i].accept_time;
        let audience = self.audience();
        for u in &mut self.users {
            if involved(u.state) {
                u.state = us::ENDED;
                u.deadline = 0;
            }
        }
        self.state = call_state::ENDED;
        self.end_time = now;
        let notices = audience
            .into_iter()
            .filter(|u| u != me)
            .map(|u| {
                (
                    u,
                    Notice::CallInvitationEnded(CallInvitationEnded {
                        call_id: self.id.to_string(),
                        mode: self.mode,
                        caller: self.caller.clone(),
                        operated_user_id: me.to_owned(),
                        extended_data: extended_data.to_owned(),
                        end_time: now,
                    }),
                )
            })
            .collect();
        Ok((accepted, notices))
    }

    /// The timer fired at `now`: unanswered invitees past their deadline time out.
    pub fn expire(&mut self, now: u64) -> Notices {
        let mut notices = Vec::new();
        if self.state != call_state::STARTED {
            return notices;
        }
        let audience = self.audience();
        let due: Vec<usize> = (0..self.users.len())
            .filter(|&i| pending(self.users[i].state) && self.users[i].deadline <= now)
            .collect();
        if due.is_empty() {
            return notices;
        }
        let mut by_inviter: Vec<(String, Vec<String>)> = Vec::new();
        for &i in &due {
            let u = &mut self.users[i];
            u.state = us::TIMEOUT;
            u.deadline = 0;
            notices.push((
                u.user_id.clone(),
                Notice::CallInvitationTimeout(CallInvitationTimeout {
                    call_id: self.id.to_string(),
                    mode: self.mode,
                }),
            ));
            match by_inviter.iter_mut().find(|(inv, _)| *inv == u.inviter) {
                Some((_, list)) => list.push(u.user_id.clone()),
                None => by_inviter.push((u.inviter.clone(), vec![u.user_id.clone()])),
            }
        }
        for (inviter, invitees) in by_inviter {
            notices.push((
                inviter,
                Notice::CallInviteesAnsweredTimeout(CallInviteesAnsweredTimeout {
                    call_id: self.id.to_string(),
                    invitees: List(invitees),
                }),
            ));
        }
        let audience = self.without(audience, &due);
        self.state_changed(audience, &due, &mut notices);
        self.finish_if_done(now);
        notices
    }

    /// `me` logged in: an invitation they have not received yet is theirs now (once), and
    /// a call they are in tells them where everyone is. Returns whether the call changed.
    pub fn logged_in(&mut self, me: &str, now: u64, notices: &mut Notices) -> bool {
        let Some(i) = self.user(me) else {
            return false;
        };
        if self.state != call_state::STARTED {
            return false;
        }
        match self.users[i].state {
            us::INVITING if self.users[i].deadline > now => {
                let audience: Vec<String> =
                    self.audience().into_iter().filter(|u| u != me).collect();
                self.users[i].state = us::RECEIVED;
                notices.push((me.to_owned(), self.received(&self.users[i])));
                self.state_changed(audience, &[i], notices);
                true
            }
            us::RECEIVED | us::ACCEPTED => {
                notices.push((
                    me.to_owned(),
                    Notice::CallUserStateChanged(CallUserStateChanged {
                        call_id: self.id.to_string(),
                        call_user_list: self.user_list(),
                    }),
                ));
                false
            }
            _ => false,
        }
    }
}

fn user_info(u: &CallUser) -> CallUserInfo {
    CallUserInfo {
        user_id: u.user_id.clone(),
        state: u.state,
        extended_data: u.extended_data.clone(),
    }
}

/// The per-call timers: one sleeping task per call that rings, armed for its earliest
/// deadline.
#[derive(Default)]
pub struct CallTimers {
    timers: Mutex<HashMap<(u32, u64), (u64, tokio::task::AbortHandle)>>,
}

impl CallTimers {
    /// Arms call (`app`, `id`)'s timer for `deadline` (Unix ms), or stops it (`None`).
    pub fn arm(&self, shared: &Arc<Shared>, app: u32, id: u64, deadline: Option<u64>) {
        let mut timers = self.timers.lock().unwrap_or_else(|p| p.into_inner());
        let key = (app, id);
        if let (Some(d), Some((armed, _))) = (deadline, timers.get(&key)) {
            if *armed == d {
                return;
            }
        }
        if let Some((_, old)) = timers.remove(&key) {
            old.abort();
        }
        let Some(deadline) = deadline else {
            return;
        };
        let shared = Arc::clone(shared);
        let wait = Duration::from_millis(deadline.saturating_sub(now_millis()));
        let task = tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            shared.calls.fired(app, id, deadline);
            crate::areas::calls::expire(&shared, app, id).await;
        });
        timers.insert(key, (deadline, task.abort_handle()));
    }

    /// The timer for `deadline` has fired: forget it (without aborting the task it runs in).
    fn fired(&self, app: u32, id: u64, deadline: u64) {
        let mut timers = self.timers.lock().unwrap_or_else(|p| p.into_inner());
        if timers.get(&(app, id)).is_some_and(|(d, _)| *d == deadline) {
            timers.remove(&(app, id));
        }
    }

    /// Calls with a timer armed.
    pub fn len(&self) -> usize {
        self.timers.lock().map(|t| t.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(notices: &Notices, kind: &str) -> Vec<String> {
        let id = tinyim_protocol::rpc::NOTICES
            .iter()
            .find(|n| n.name == kind)
            .map(|n| n.id);
        notices
            .iter()
            .filter(|(_, n)| Some(n.id()) == id)
            .map(|(u, _)| u.clone())
            .collect()
    }

    fn call(mode: u8, online: &[&str]) -> (Call, Notices) {
        let invitees = vec!["bob".to_string(), "carol".to_string()];
        let on = |u: &str| online.contains(&u);
        Call::new(1, 7, "alice", &invitees, mode, "x", 30, 1_000, &on)
    }

    fn state(c: &Call, user: &str) -> u8 {
        c.users.iter().find(|u| u.user_id == user).unwrap().state
    }

    #[test]
    fn an_invitation_reaches_online_invitees_now_and_others_at_login_once() {
        let (mut c, n) = call(call_mode::GENERAL, &["bob"]);
        assert_eq!(names(&n, "callInvitationCreated"), ["alice"]);
        assert_eq!(names(&n, "callInvitationReceived"), ["bob"]);
        assert_eq!(
            (state(&c, "bob"), state(&c, "carol")),
            (us::RECEIVED, us::INVITING)
        );
        assert_eq!(c.next_deadline(), Some(31_000));

        let mut n = Vec::new();
        assert!(c.logged_in("carol", 2_000, &mut n));
        assert_eq!(names(&n, "callInvitationReceived"), ["carol"]);
        assert_eq!(names(&n, "callUserStateChanged"), ["alice", "bob"]);
        // A second login: no second invitation, only where everyone is.
        let mut n = Vec::new();
        assert!(!c.logged_in("carol", 3_000, &mut n));
        assert_eq!(names(&n, "callInvitationReceived"), Vec::<String>::new());
        assert_eq!(names(&n, "callUserStateChanged"), ["carol"]);
    }

    #[test]
    fn a_late_login_does_not_ring_a_call_past_its_deadline() {
        let (mut c, _) = call(call_mode::GENERAL, &[]);
        let mut n = Vec::new();
        assert!(!c.logged_in("bob", 31_000, &mut n));
        assert!(n.is_empty());
    }

    #[test]
    fn accept_and_reject_tell_the_inviter_and_end_a_general_call() {
        let (mut c, _) = call(call_mode::GENERAL, &["bob", "carol"]);
        let n = c.answer("bob", true, "ok", 2_000).unwrap();
        assert_eq!(names(&n, "callInvitationAccepted"), ["alice"]);
        assert_eq!(names(&n, "callUserStateChanged"), ["alice", "bob", "carol"]);
        assert_eq!(
            c.answer("bob", false, "", 2_100),
            Err(COMMON),
            "answered already"
        );
        assert_eq!(c.answer("dave", true, "", 2_100), Err(NOT_INVITEE));
        assert_eq!(
            c.cancel("alice", &[], "", 2_200).unwrap_err(),
            CANCEL,
            "someone accepted"
        );
        let n = c.answer("carol", false, "busy", 2_300).unwrap();
        assert_eq!(names(&n, "callInvitationRejected"), ["alice"]);
        assert_eq!(c.state, call_state::ENDED);
        assert_eq!(c.next_deadline(), None);
        assert_eq!(c.answer("carol", true, "", 2_400), Err(DOES_NOT_EXIST));
    }

    #[test]
    fn cancel_is_the_inviters_and_tells_the_cancelled() {
        let (mut c, _) = call(call_mode::GENERAL, &["bob"]);
        assert_eq!(c.cancel("bob", &[], "", 2_000).unwrap_err(), NOT_INVITER);
        let (errors, n) = c
            .cancel("alice", &["bob".into(), "zed".into()], "bye", 2_000)
            .unwrap();
        assert_eq!(errors, ["zed"]);
        assert_eq!(names(&n, "callInvitationCancelled"), ["bob"]);
        assert_eq!(names(&n, "callUserStateChanged"), ["alice", "carol"]);
        assert_eq!(c.state, call_state::STARTED, "carol still rings");
        let (_, n) = c.cancel("alice", &[], "", 2_100).unwrap();
        assert_eq!(names(&n, "callInvitationCancelled"), ["carol"]);
        assert_eq!(c.state, call_state::ENDED);
    }

    #[test]
    fn timeouts_go_to_the_invitee_and_the_inviter() {
        let (mut c, _) = call(call_mode::GENERAL, &["bob", "carol"]);
        assert!(c.expire(30_999).is_empty(), "not due yet");
        c.answer("carol", true, "", 2_000).unwrap();
        let n = c.expire(31_000);
        assert_eq!(names(&n, "callInvitationTimeout"), ["bob"]);
        assert_eq!(names(&n, "callInviteesAnsweredTimeout"), ["alice"]);
        assert_eq!(names(&n, "callUserStateChanged"), ["alice", "carol"]);
        assert_eq!(state(&c, "bob"), us::TIMEOUT);
        assert_eq!(c.state, call_state::ENDED);
    }

    #[test]
    fn advanced_calls_invite_more_join_quit_and_end() {
        let (mut c, _) = call(call_mode::ADVANCED, &["bob", "carol"]);
        c.answer("bob", true, "", 2_000).unwrap();
        c.answer("carol", false, "", 2_000).unwrap();
        assert_eq!(c.state, call_state::STARTED, "an advanced call goes on");
        let on = |u: &str| u == "dave";
        let (errors, n) = c
            .invite_more("bob", &["dave".into(), "alice".into()], 3_000, &on)
            .unwrap();
        assert_eq!(errors, ["alice"]);
        assert_eq!(names(&n, "callInvitationReceived"), ["dave"]);
        assert_eq!(c.next_deadline(), Some(33_000));
        // Carol changes her mind and joins; joining twice is refused.
        c.join("carol", "", 4_000).unwrap();
        assert_eq!(c.join("carol", "", 4_100), Err(ALREADY_IN_CALL));
        let (accepted, _) = c.quit("bob", "", 5_000).unwrap();
        assert_eq!(accepted, 2_000);
        assert_eq!(c.quit("bob", "", 5_100), Err(COMMON));
        let (_, n) = c.end("carol", "", 6_000).unwrap();
        assert_eq!(names(&n, "callInvitationEnded"), ["alice", "dave"]);
        assert_eq!((c.state, c.end_time), (call_state::ENDED, 6_000));
        assert_eq!(state(&c, "dave"), us::ENDED);
    }

    #[test]
    fn general_calls_have_no_advanced_operations() {
        let (mut c, _) = call(call_mode::GENERAL, &[]);
        assert_eq!(c.join("bob", "", 2_000), Err(COMMON));
        assert_eq!(c.end("alice", "", 2_000).unwrap_err(), COMMON);
        assert_eq!(
            c.invite_more("alice", &["dave".into()], 2_000, &|_| false)
                .unwrap_err(),
            COMMON
        );
    }
}
