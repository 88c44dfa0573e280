//! ZIM's request/response methods on the server: one dispatcher, one handler per method in
//! the area's module under [`crate::areas`].
//!
//! The connection decodes a `Call` into a typed [`Request`] (the decoder checks every field
//! against its ZIM limit), and [`handle`] runs the method's handler with a [`Ctx`] saying
//! who is calling. A handler returns the method's [`Response`] or a [`Refusal`] with ZIM's
//! code; it reaches the store through [`crate::store::StoreHandle::run`] and other users'
//! sessions through [`Ctx::notify`].

use std::sync::Arc;

use bytes::Bytes;
use tinyim_protocol::rpc::{Notice, Request, Response};
use tinyim_protocol::{code, Body, Frame};

use crate::areas::{presence, users};
use crate::server::Shared;
use crate::session::Event;
use crate::store::StoreError;

/// Who is calling, and the server they call.
#[derive(Clone)]
pub struct Ctx {
    pub shared: Arc<Shared>,
    pub app: u32,
    pub user_id: String,
}

impl Ctx {
    /// Pushes `notice` to `user`'s live session, if they have one (notices are live-only).
    pub fn notify(&self, user: &str, notice: &Notice) {
        if let Some(link) = self.shared.registry.get(self.app, user) {
            let frame = Frame::new(0, Body::Notify(notice.to_notify()));
            link.offer(Event::Frame(Bytes::from(frame.encode())));
        }
    }
}

/// Why a method failed: ZIM's code and a message that says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: u32,
    pub message: String,
}

impl Refusal {
    pub fn new(code: u32, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store: a method failed");
        Refusal::new(code::DATABASE_ERROR, "database error")
    }
}

/// A method's outcome.
pub type Answer = Result<Response, Refusal>;

/// Runs the method `request` for `ctx`'s user.
pub async fn handle(ctx: Ctx, request: Request) -> Answer {
    use Request as Q;
    use Response as R;
    match request {
        Q::QuerySelfUserInfo(_) => users::query_self(&ctx).await.map(R::QuerySelfUserInfo),
        Q::QueryUsersInfo(q) => users::query(&ctx, q).await.map(R::QueryUsersInfo),
        Q::UpdateUserName(u) => users::update_name(&ctx, u).await.map(R::UpdateUserName),
        Q::UpdateUserAvatarUrl(u) => users::update_avatar(&ctx, u)
            .await
            .map(R::UpdateUserAvatarUrl),
        Q::UpdateUserExtendedData(u) => users::update_extended_data(&ctx, u)
            .await
            .map(R::UpdateUserExtendedData),
        Q::QueryUsersStatus(q) => presence::query_status(&ctx, q)
            .await
            .map(R::QueryUsersStatus),
        Q::SubscribeUsersStatus(r) => presence::subscribe(&ctx, r)
            .await
            .map(R::SubscribeUsersStatus),
        Q::UnsubscribeUsersStatus(r) => presence::unsubscribe(&ctx, r)
            .await
            .map(R::UnsubscribeUsersStatus),
        Q::QuerySubscribedUserStatusList(q) => presence::subscriptions(&ctx, q)
            .await
            .map(R::QuerySubscribedUserStatusList),
        Q::UpdateUserCustomStatus(u) => presence::update_custom_status(&ctx, u)
            .await
            .map(R::UpdateUserCustomStatus),
        Q::UpdateUserOfflinePushRule(u) => users::update_push_rule(&ctx, u)
            .await
            .map(R::UpdateUserOfflinePushRule),
        Q::UpdateUserBadge(u) => users::update_badge(&ctx, u).await.map(R::UpdateUserBadge),
    }
}
