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

use crate::areas::friends::{applications as friend_applications, blacklist, list as friends};
use crate::areas::groups::{applications, lifecycle, profile, receipts};
use crate::areas::{calls, conversations, messages, presence, rooms, users};
use crate::rooms::JoinMode;
use crate::server::Shared;
use crate::session::{Event, SessionLink};
use crate::store::{InboxItem, Store, StoreError, StoreResult};

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

    /// Runs `op` in the store; the notices it returns, each for a user, are appended to
    /// those users' inboxes in the same transaction and offered to their live sessions after
    /// the commit (a user who is offline gets them at their next login, in order).
    pub async fn write<T, F>(&self, op: F) -> Result<T, Refusal>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> StoreResult<(T, Vec<(String, Notice)>)>
            + Send
            + Sync
            + 'static,
    {
        let app = self.app;
        let (value, appended) = self
            .shared
            .store
            .run(move |s| {
                let (value, notices) = op(s)?;
                let mut appended = Vec::with_capacity(notices.len());
                for (user, notice) in notices {
                    let n = notice.to_notify();
                    let seq = s.append_notice(app, &user, &n)?;
                    appended.push((user, seq, Arc::new(n)));
                }
                Ok((value, appended))
            })
            .await?;
        for (user, seq, n) in appended {
            if let Some(link) = self.shared.registry.get(app, &user) {
                link.offer(Event::Inbox(seq, InboxItem::Notice(n)));
            }
        }
        Ok(value)
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
        // ---- groups ----
        Q::CreateGroup(c) => lifecycle::create(&ctx, c).await.map(R::CreateGroup),
        Q::DismissGroup(a) => lifecycle::dismiss(&ctx, a).await.map(R::DismissGroup),
        Q::JoinGroup(a) => lifecycle::join(&ctx, a).await.map(R::JoinGroup),
        Q::LeaveGroup(a) => lifecycle::leave(&ctx, a).await.map(R::LeaveGroup),
        Q::InviteUsersIntoGroup(a) => lifecycle::invite(&ctx, a)
            .await
            .map(R::InviteUsersIntoGroup),
        Q::KickGroupMembers(a) => lifecycle::kick(&ctx, a).await.map(R::KickGroupMembers),
        Q::TransferGroupOwner(a) => lifecycle::transfer_owner(&ctx, a)
            .await
            .map(R::TransferGroupOwner),
        Q::QueryGroupInfo(a) => lifecycle::query_info(&ctx, a).await.map(R::QueryGroupInfo),
        Q::QueryGroupMemberInfo(q) => lifecycle::query_member_info(&ctx, q)
            .await
            .map(R::QueryGroupMemberInfo),
        Q::QueryGroupList(q) => lifecycle::query_list(&ctx, q).await.map(R::QueryGroupList),
        Q::QueryGroupMemberList(q) => lifecycle::query_member_list(&ctx, q)
            .await
            .map(R::QueryGroupMemberList),
        Q::QueryGroupMemberCount(a) => lifecycle::query_member_count(&ctx, a)
            .await
            .map(R::QueryGroupMemberCount),
        Q::UpdateGroupName(u) => profile::update_name(&ctx, u).await.map(R::UpdateGroupName),
        Q::UpdateGroupAvatarUrl(u) => profile::update_avatar(&ctx, u)
            .await
            .map(R::UpdateGroupAvatarUrl),
        Q::UpdateGroupNotice(u) => profile::update_notice(&ctx, u)
            .await
            .map(R::UpdateGroupNotice),
        Q::UpdateGroupAlias(u) => profile::update_alias(&ctx, u)
            .await
            .map(R::UpdateGroupAlias),
        Q::UpdateGroupJoinMode(u) => profile::update_mode(&ctx, u, profile::Mode::Join)
            .await
            .map(R::UpdateGroupJoinMode),
        Q::UpdateGroupInviteMode(u) => profile::update_mode(&ctx, u, profile::Mode::Invite)
            .await
            .map(R::UpdateGroupInviteMode),
        Q::UpdateGroupBeInviteMode(u) => profile::update_mode(&ctx, u, profile::Mode::BeInvite)
            .await
            .map(R::UpdateGroupBeInviteMode),
        Q::SetGroupAttributes(a) => profile::set_attributes(&ctx, a)
            .await
            .map(R::SetGroupAttributes),
        Q::DeleteGroupAttributes(a) => profile::delete_attributes(&ctx, a)
            .await
            .map(R::DeleteGroupAttributes),
        Q::QueryGroupAttributes(a) => profile::query_attributes(&ctx, a)
            .await
            .map(R::QueryGroupAttributes),
        Q::QueryGroupAllAttributes(a) => profile::query_all_attributes(&ctx, a)
            .await
            .map(R::QueryGroupAllAttributes),
        Q::SetGroupMemberRole(r) => profile::set_member_role(&ctx, r)
            .await
            .map(R::SetGroupMemberRole),
        Q::SetGroupMemberNickname(n) => profile::set_member_nickname(&ctx, n)
            .await
            .map(R::SetGroupMemberNickname),
        Q::MuteGroup(m) => profile::mute(&ctx, m).await.map(R::MuteGroup),
        Q::MuteGroupMembers(m) => profile::mute_members(&ctx, m)
            .await
            .map(R::MuteGroupMembers),
        Q::QueryGroupMemberMutedList(q) => profile::query_muted_list(&ctx, q)
            .await
            .map(R::QueryGroupMemberMutedList),
        Q::SendGroupJoinApplication(q) => applications::send_join(&ctx, q)
            .await
            .map(R::SendGroupJoinApplication),
        Q::AcceptGroupJoinApplication(q) => applications::accept_join(&ctx, q)
            .await
            .map(R::AcceptGroupJoinApplication),
        Q::RejectGroupJoinApplication(q) => applications::reject_join(&ctx, q)
            .await
            .map(R::RejectGroupJoinApplication),
        Q::SendGroupInviteApplications(q) => applications::send_invites(&ctx, q)
            .await
            .map(R::SendGroupInviteApplications),
        Q::AcceptGroupInviteApplication(q) => applications::accept_invite(&ctx, q)
            .await
            .map(R::AcceptGroupInviteApplication),
        Q::RejectGroupInviteApplication(q) => applications::reject_invite(&ctx, q)
            .await
            .map(R::RejectGroupInviteApplication),
        Q::QueryGroupApplicationList(q) => applications::query_list(&ctx, q)
            .await
            .map(R::QueryGroupApplicationList),
        Q::QueryGroupMessageReceiptReadMemberList(q) => receipts::members(&ctx, q, true)
            .await
            .map(R::QueryGroupMessageReceiptReadMemberList),
        Q::QueryGroupMessageReceiptUnreadMemberList(q) => receipts::members(&ctx, q, false)
            .await
            .map(R::QueryGroupMessageReceiptUnreadMemberList),
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
        // ---- conversations ----
        Q::QueryConversationList(q) => conversations::list(&ctx, q)
            .await
            .map(R::QueryConversationList),
        Q::QueryConversation(k) => conversations::query(&ctx, k)
            .await
            .map(R::QueryConversation),
        Q::QueryConversationPinnedList(q) => conversations::pinned_list(&ctx, q)
            .await
            .map(R::QueryConversationPinnedList),
        Q::UpdateConversationPinnedState(u) => conversations::pin(&ctx, u)
            .await
            .map(R::UpdateConversationPinnedState),
        Q::DeleteConversation(d) => conversations::delete(&ctx, d)
            .await
            .map(R::DeleteConversation),
        Q::DeleteAllConversations(_) => conversations::delete_all(&ctx)
            .await
            .map(R::DeleteAllConversations),
        Q::ClearConversationUnreadMessageCount(k) => conversations::clear_unread(&ctx, k)
            .await
            .map(R::ClearConversationUnreadMessageCount),
        Q::ClearConversationTotalUnreadMessageCount(_) => conversations::clear_all_unread(&ctx)
            .await
            .map(R::ClearConversationTotalUnreadMessageCount),
        Q::QueryConversationTotalUnreadMessageCount(q) => conversations::total_unread(&ctx, q)
            .await
            .map(R::QueryConversationTotalUnreadMessageCount),
        Q::SetConversationNotificationStatus(n) => conversations::set_notification(&ctx, n)
            .await
            .map(R::SetConversationNotificationStatus),
        Q::SetConversationDraft(d) => conversations::set_draft(&ctx, d)
            .await
            .map(R::SetConversationDraft),
        Q::SetConversationMark(m) => conversations::set_mark(&ctx, m)
            .await
            .map(R::SetConversationMark),
        // ---- messages ----
        Q::QueryMessages(q) => messages::query(&ctx, q).await.map(R::QueryMessages),
        Q::DeleteMessages(d) => messages::delete(&ctx, d).await.map(R::DeleteMessages),
        Q::DeleteAllMessage(d) => messages::delete_conversation(&ctx, d)
            .await
            .map(R::DeleteAllMessage),
        Q::DeleteAllConversationMessages(_) => messages::delete_all(&ctx)
            .await
            .map(R::DeleteAllConversationMessages),
        Q::SendMessageReceiptsRead(q) => messages::receipts_read(&ctx, q)
            .await
            .map(R::SendMessageReceiptsRead),
        Q::SendConversationMessageReceiptRead(k) => messages::conversation_receipt_read(&ctx, k)
            .await
            .map(R::SendConversationMessageReceiptRead),
        Q::QueryMessageReceiptsInfo(q) => messages::receipts_info(&ctx, q)
            .await
            .map(R::QueryMessageReceiptsInfo),
        Q::RevokeMessage(r) => messages::revoke(&ctx, r).await.map(R::RevokeMessage),
        Q::EditMessage(e) => messages::edit(&ctx, e).await.map(R::EditMessage),
        // The SDK answers these from its local store; they mean nothing to a server.
        Q::InsertMessageToLocalDb(_)
        | Q::UpdateMessageLocalExtendedData(_)
        | Q::CancelSendingMessage(_) => Err(Refusal::new(
            code::UNSUPPORTED_REQUEST,
            "a method of the SDK's local store, not of the server",
        )),
        // ---- friends and blacklist ----
        Q::AddFriend(r) => friends::add(&ctx, r).await.map(R::AddFriend),
        Q::DeleteFriends(r) => friends::delete(&ctx, r).await.map(R::DeleteFriends),
        Q::CheckFriendsRelation(r) => friends::check_relation(&ctx, r)
            .await
            .map(R::CheckFriendsRelation),
        Q::UpdateFriendAlias(r) => friends::update_alias(&ctx, r)
            .await
            .map(R::UpdateFriendAlias),
        Q::UpdateFriendAttributes(r) => friends::update_attributes(&ctx, r)
            .await
            .map(R::UpdateFriendAttributes),
        Q::QueryFriendsInfo(q) => friends::query_info(&ctx, q).await.map(R::QueryFriendsInfo),
        Q::QueryFriendList(q) => friends::query_list(&ctx, q).await.map(R::QueryFriendList),
        Q::SendFriendApplication(r) => friend_applications::send(&ctx, r)
            .await
            .map(R::SendFriendApplication),
        Q::AcceptFriendApplication(r) => friend_applications::accept(&ctx, r)
            .await
            .map(R::AcceptFriendApplication),
        Q::RejectFriendApplication(r) => friend_applications::reject(&ctx, r)
            .await
            .map(R::RejectFriendApplication),
        Q::QueryFriendApplicationList(q) => friend_applications::query_list(&ctx, q)
            .await
            .map(R::QueryFriendApplicationList),
        Q::AddUsersToBlacklist(r) => blacklist::add(&ctx, r).await.map(R::AddUsersToBlacklist),
        Q::RemoveUsersFromBlacklist(r) => blacklist::remove(&ctx, r)
            .await
            .map(R::RemoveUsersFromBlacklist),
        Q::QueryBlacklist(q) => blacklist::query(&ctx, q).await.map(R::QueryBlacklist),
        Q::CheckUserIsInBlacklist(r) => blacklist::check(&ctx, r)
            .await
            .map(R::CheckUserIsInBlacklist),
    }
}
