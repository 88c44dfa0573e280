//! Login, logout and token renewal: who the connection speaks for, and until when.
//!
//! Login checks run in docs/protocol.md order (fields, app, token, the token's lifetime)
//! and end the connection with 4001 on failure; success registers the session (kicking an
//! older one for the same user), takes the socket out of the guard's unauthenticated caps and
//! starts the inbox catch-up.
//!
//! Before any check, an address that failed too many logins lately is refused with 6000005
//! (then 4001: the SDK ends the login with that code and does not retry by itself, so it
//! cannot loop against the throttle). The token is not even looked at then: that is the work
//! the throttle saves.

use super::*;
use crate::store::conversations::{StoredConversation, MAX_SYNC};
use tinyim_protocol::areas::ConversationSync;
use tinyim_protocol::rpc::Notice;

use crate::guard::Refusal;

impl Connection {
    pub(super) async fn login_failed(&self, rid: u32, code: u32, message: &str) -> Step {
        self.refuse_login(rid, code, message, Refusal::LoginFailed)
            .await
    }

    /// Refuses the login: counted, logged (rate-limited) and closed with 4001. Every refusal
    /// but the throttle's own spends from the address's failed-login budget.
    async fn refuse_login(&self, rid: u32, code: u32, message: &str, why: Refusal) -> Step {
        self.shared.metrics.logins_failed.fetch_add(1, Relaxed);
        if why != Refusal::LoginThrottled {
            self.shared.guard.login_failed(self.peer.ip());
        }
        let detail = format!("{code} {message}");
        self.shared.guard.refuse(why, Some(self.peer), &detail);
        self.error(rid, code, message).await?;
        Err(End::Close(close_code::LOGIN_FAILED, "login failed"))
    }

    /// The token's expiry if the server's maximum token lifetime allows it.
    fn lifetime_allowed(&self, expire: u64) -> bool {
        self.shared
            .config
            .max_token_lifetime
            .is_none_or(|max| expire.saturating_sub(now_secs()) <= max.as_secs())
    }

    pub(super) async fn login(&mut self, rid: u32, l: Login) -> Step {
        if self.shared.guard.login_throttled(self.peer.ip()) {
            return self
                .refuse_login(
                    rid,
                    code::SERVER_FREQUENCY_LIMIT,
                    "too many failed logins from this address; try again later",
                    Refusal::LoginThrottled,
                )
                .await;
        }
        if !is_valid_user_id(&l.user_id) {
            return self
                .login_failed(rid, code::PARAMS_INVALID, "invalid user ID")
                .await;
        }
        if l.user_name.len() > MAX_USER_NAME_LEN {
            return self
                .login_failed(rid, code::PARAMS_INVALID, "user name longer than 32 bytes")
                .await;
        }
        if l.token.is_empty() || l.token.len() > MAX_TOKEN_LEN {
            return self
                .login_failed(rid, code::PARAMS_INVALID, "token must be 1 to 4096 bytes")
                .await;
        }
        let Some(secret) = self.shared.config.apps.get(&l.app_id) else {
            return self
                .login_failed(rid, code::INVALID_APP_ID, "unknown app ID")
                .await;
        };
        let token_expire = match token::verify(&l.token, l.app_id, &l.user_id, secret, now_secs()) {
            Ok(t) => t,
            Err(e) => return self.login_failed(rid, e.code, e.reason).await,
        };
        if !self.lifetime_allowed(token_expire) {
            return self
                .refuse_login(
                    rid,
                    code::TOKEN_INVALID,
                    "token lifetime longer than the server allows",
                    Refusal::TokenLifetime,
                )
                .await;
        }

        let (tx, mailbox) = crate::session::mailbox(MAILBOX_CAPACITY);
        let link = SessionLink {
            id: self.shared.ids.next(),
            mailbox: tx,
            kill: Arc::new(Kill::default()),
        };
        // Register before reading the inbox: whatever commits from now on arrives in the
        // mailbox, whatever committed before is in the store read below.
        if let Some(old) = self
            .shared
            .registry
            .register(l.app_id, &l.user_id, link.clone())
        {
            self.shared.metrics.kicks.fetch_add(1, Relaxed);
            tracing::info!(app = l.app_id, user = %l.user_id, old_session = old.id, "second login: kicking the first session");
            old.kill.kill(KillReason::Kicked);
        }
        // One store round trip: the inbox counters, the user recorded as known (with the
        // name they log in with, as ZIM's login does), and, if asked, their conversations as
        // of the same inbox sequence (docs/protocol.md "Conversation sync").
        let (app, user, name) = (l.app_id, l.user_id.clone(), l.user_name.clone());
        let sync = l.sync_conversations;
        let state = self
            .shared
            .store
            .run(move |s| {
                s.user_logged_in(app, &user, &name)?;
                let state = s.user_state(app, &user)?;
                let conversations = match sync {
                    true => s.conversations(app, &user, None, MAX_SYNC, &mut |_| true)?,
                    false => Vec::new(),
                };
                Ok((state, conversations))
            })
            .await;
        let (state, conversations) = match state {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "store: reading user state failed");
                self.shared
                    .registry
                    .unregister(l.app_id, &l.user_id, link.id);
                self.error(rid, code::DATABASE_ERROR, "database error")
                    .await?;
                return Err(End::Close(INTERNAL_ERROR, "store error"));
            }
        };
        let session_id = link.id;
        // Resume after what the client or the store says was delivered, but never past the
        // inbox's end: a client that remembers a higher sequence (the server's data was
        // restored from an older backup) would otherwise miss every new message until the
        // inbox caught up with its number. The SDK lowers its own mark on `LoginOk` to match.
        let resume_after = l.last_inbox_seq.max(state.acked_seq).min(state.inbox_seq);
        self.session = Some(Session {
            app: l.app_id,
            user: User {
                user_id: l.user_id.clone(),
                user_name: l.user_name,
            },
            token_expire,
            link,
            mailbox,
            pushed: resume_after,
            acked: state.acked_seq,
            sends: self
                .shared
                .send_states
                .get(l.app_id, &l.user_id, Instant::now()),
            logged_out: false,
        });
        self.admission.authenticated();
        self.shared.metrics.logins_ok.fetch_add(1, Relaxed);
        tracing::info!(peer = %self.peer, app = l.app_id, user = %l.user_id, session_id,
            inbox_seq = state.inbox_seq, resume_after, "login");
        self.reply(
            rid,
            Body::LoginOk(LoginOk {
                session_id,
                server_time: now_millis(),
                token_expire,
                inbox_seq: state.inbox_seq,
            }),
        )
        .await?;
        if sync {
            self.sync_conversations(&l.user_id, conversations).await?;
        }
        // Call invitations that rang while the user was away (queued after the LoginOk).
        crate::areas::calls::logged_in(&self.shared, l.app_id, &l.user_id).await;
        self.catch_up(u64::MAX, state.inbox_seq).await
    }

    /// Pushes the user's conversations in `conversationSync` notices that fit the frame
    /// cap (one empty page when there are none); the last says `done`.
    async fn sync_conversations(
        &mut self,
        user: &str,
        conversations: Vec<StoredConversation>,
    ) -> Step {
        let mut page = Vec::new();
        let mut size = 0;
        let mut rest = conversations.into_iter().peekable();
        loop {
            if let Some(c) = rest.next() {
                size += c.wire_size();
                page.push(c.view(user));
            }
            let done = rest.peek().is_none();
            let full = rest
                .peek()
                .is_some_and(|next| size + next.wire_size() > FRAME_BUDGET);
            if done || full {
                let conversations = List::from(std::mem::take(&mut page));
                let page = Notice::ConversationSync(ConversationSync {
                    conversations,
                    done,
                });
                self.reply(0, Body::Notify(page.to_notify())).await?;
                size = 0;
            }
            if done {
                return Ok(());
            }
        }
    }

    pub(super) async fn logout(&mut self, rid: u32) -> Step {
        // Sends queued before the logout are answered first.
        while let Some(f) = self.pending.next().await {
            self.send_frame(f).await?;
        }
        if let Some(s) = self.session.as_mut() {
            s.logged_out = true;
            self.shared.rooms.leave_all(s.app, &s.user.user_id);
            tracing::info!(app = s.app, user = %s.user.user_id, "logout");
        }
        self.reply(rid, Body::Ok(Empty {})).await?;
        Err(End::Close(1000, "logged out"))
    }

    pub(super) async fn renew_token(&mut self, rid: u32, t: &str) -> Step {
        if t.is_empty() || t.len() > MAX_TOKEN_LEN {
            return self
                .error(rid, code::PARAMS_INVALID, "token must be 1 to 4096 bytes")
                .await;
        }
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        let secret = self
            .shared
            .config
            .apps
            .get(&s.app)
            .map(String::as_str)
            .unwrap_or("");
        match token::verify(t, s.app, &s.user.user_id, secret, now_secs()) {
            Ok(expire) if !self.lifetime_allowed(expire) => {
                self.shared
                    .guard
                    .refuse(Refusal::TokenLifetime, Some(self.peer), "renewToken");
                self.error(
                    rid,
                    code::TOKEN_INVALID,
                    "token lifetime longer than the server allows",
                )
                .await
            }
            Ok(expire) => {
                if let Some(s) = self.session.as_mut() {
                    s.token_expire = expire;
                }
                self.reply(
                    rid,
                    Body::TokenRenewed(TokenRenewed {
                        token_expire: expire,
                    }),
                )
                .await
            }
            Err(e) => self.error(rid, e.code, e.reason).await,
        }
    }
}
