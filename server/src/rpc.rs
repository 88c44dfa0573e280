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

use crate::areas::{calls, rooms, users};
use crate::rooms::JoinMode;
use crate::server::Shared;
use crate::session::{Event, SessionLink};
use crate::store::StoreError;

/// Who is calling, on which session, and the server they call.
#[derive(Clone)]
pub struct Ctx {
    pub shared: Arc<Shared>,
    pub app: u32,
    pub user_id: String,
    /// The name the caller logged in with (rooms list members by it).
    pub user_name: String,
    /// The caller's session (rooms hold their members' sessions).
    pub link: SessionLink,
}

impl Ctx {
    /// Pushes `notice` to `user`'s live session, if they have one (notices are live-only).
    pub fn notify(&self, user: &str, notice: &Notice) {
        notify(&self.shared, self.app, user, notice);
    }
}

/// Pushes `notice` to the live session of `user` of `app`, if they have one; returns
/// whether it was handed over (for work that runs without a caller, such as timers).
pub fn notify(shared: &Shared, app: u32, user: &str, notice: &Notice) -> bool {
    match shared.registry.get(app, user) {
        Some(link) => {
            let frame = Frame::new(0, Body::Notify(notice.to_notify()));
            link.offer(Event::Frame(Bytes::from(frame.encode())))
        }
        None => false,
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
        // ---- rooms ----
        Q::CreateRoom(r) => rooms::enter(&ctx, r, JoinMode::Create)
            .await
            .map(R::CreateRoom),
        Q::EnterRoom(r) => rooms::enter(&ctx, r, JoinMode::Enter)
            .await
            .map(R::EnterRoom),
        Q::SwitchRoom(r) => rooms::switch(&ctx, r).await.map(R::SwitchRoom),
        Q::LeaveAllRoom(r) => rooms::leave_all(&ctx, r).await.map(R::LeaveAllRoom),
        Q::QueryRoomMembers(q) => rooms::query_members(&ctx, q).await.map(R::QueryRoomMembers),
        Q::SetRoomAttributes(r) => rooms::set_attributes(&ctx, r)
            .await
            .map(R::SetRoomAttributes),
        Q::DeleteRoomAttributes(r) => rooms::delete_attributes(&ctx, r)
            .await
            .map(R::DeleteRoomAttributes),
        Q::EndRoomAttributesBatchOperation(r) => rooms::batch(&ctx, r)
            .await
            .map(R::EndRoomAttributesBatchOperation),
        Q::QueryRoomAllAttributes(r) => rooms::query_attributes(&ctx, r)
            .await
            .map(R::QueryRoomAllAttributes),
        Q::SetRoomMembersAttributes(r) => rooms::set_member_attributes(&ctx, r)
            .await
            .map(R::SetRoomMembersAttributes),
        Q::QueryRoomMembersAttributes(q) => rooms::query_member_attributes(&ctx, q)
            .await
            .map(R::QueryRoomMembersAttributes),
        Q::QueryRoomMemberAttributesList(q) => rooms::query_member_attributes_list(&ctx, q)
            .await
            .map(R::QueryRoomMemberAttributesList),
        // ---- calls ----
        Q::CallInvite(r) => calls::invite(&ctx, r).await.map(R::CallInvite),
        Q::CallCancel(r) => calls::cancel(&ctx, r).await.map(R::CallCancel),
        Q::CallAccept(r) => calls::answer(&ctx, r, true).await.map(R::CallAccept),
        Q::CallReject(r) => calls::answer(&ctx, r, false).await.map(R::CallReject),
        Q::CallingInvite(r) => calls::calling_invite(&ctx, r).await.map(R::CallingInvite),
        Q::CallJoin(r) => calls::join(&ctx, r).await.map(R::CallJoin),
        Q::CallQuit(r) => calls::quit(&ctx, r).await.map(R::CallQuit),
        Q::CallEnd(r) => calls::end(&ctx, r).await.map(R::CallEnd),
        Q::QueryCallInvitationList(q) => calls::query_list(&ctx, q)
            .await
            .map(R::QueryCallInvitationList),
    }
}
