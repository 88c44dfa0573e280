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

use crate::areas::{conversations, messages, users};
use crate::server::Shared;
use crate::session::Event;
use crate::store::{InboxItem, Store, StoreError, StoreResult};

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
    }
}
