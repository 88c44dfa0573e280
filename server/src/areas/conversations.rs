//! Conversations: each user's list, as ZIM's conversation methods read and change it
//! (docs/areas/conversations.md).
//!
//! Every change a user makes to their own conversations is also a `conversationChanged`
//! notice in their own inbox, appended in the change's transaction: the SDK keeps its
//! conversation cache from the inbox alone (messages and notices, in order), so a change
//! and a message that arrives meanwhile are applied in the order the server made them.

use tinyim_protocol::areas::{
    conversation_event, notification_status, ConversationChangeInfo, ConversationChanged,
    ConversationDelete, ConversationKey, ConversationList, ConversationListQuery,
    ConversationPinnedListQuery, ConversationPinnedStateUpdate, ConversationQueried,
    ConversationsAllDeleted, DraftSet, MarkSet, MarkSetResult, NotificationStatusSet, TotalUnread,
    TotalUnreadQuery,
};
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, Empty, List};

use crate::rpc::{Ctx, Refusal};
use crate::server::now_millis;
use crate::store::conversations::{ConversationChange, ListPosition, StoredConversation};

/// Most conversations in one page, and in one `setConversationMark`.
const MAX_PAGE: u32 = 100;

/// A `conversationChanged` notice for `owner`: `event` for each of `changed`.
pub fn changed(owner: &str, event: u8, changed: &[StoredConversation]) -> (String, Notice) {
    let info_list = changed
        .iter()
        .map(|c| ConversationChangeInfo {
            event,
            conversation: c.view(owner),
        })
        .collect();
    (
        owner.to_owned(),
        Notice::ConversationChanged(ConversationChanged {
            info_list: List(info_list),
        }),
    )
}

fn not_found() -> Refusal {
    Refusal::new(
        code::CONVERSATION_DOES_NOT_EXIST,
        "no such conversation: it has no message yet, or it was deleted",
    )
}

fn page_count(count: u32) -> Result<usize, Refusal> {
    if count == 0 || count > MAX_PAGE {
        return Err(Refusal::new(code::PARAMS_INVALID, "count must be 1 to 100"));
    }
    Ok(count as usize)
}

/// What a list query keeps (ZIM's `ZIMConversationFilterOption`).
struct Filter {
    types: Vec<i64>,
    marks: Vec<u32>,
    only_unread: bool,
    /// 0 all, 1 only pinned, 2 only unpinned.
    pinned: u8,
}

impl Filter {
    fn keeps(&self, c: &StoredConversation) -> bool {
        (self.types.is_empty() || self.types.contains(&i64::from(c.conv_type)))
            && (self.marks.is_empty() || c.marks.iter().any(|m| self.marks.contains(m)))
            && (!self.only_unread || c.unread > 0)
            && match self.pinned {
                1 => c.pinned_time > 0,
                2 => c.pinned_time == 0,
                _ => true,
            }
    }
}

async fn list_page(
    ctx: &Ctx,
    after: Option<ListPosition>,
    count: u32,
    filter: Filter,
) -> Result<ConversationList, Refusal> {
    let limit = page_count(count)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let rows = ctx
        .shared
        .store
        .run(move |s| s.conversations(app, &me, after.as_ref(), limit, &mut |c| filter.keeps(c)))
        .await?;
    Ok(ConversationList {
        conversation_list: List(rows.iter().map(|c| c.view(&ctx.user_id)).collect()),
    })
}

fn position(a: tinyim_protocol::areas::ConversationAnchor) -> ListPosition {
    ListPosition {
        pinned: a.is_pinned,
        order_key: a.order_key,
        conv_type: a.conversation_type,
        conv_id: a.conversation_id,
    }
}

pub async fn list(ctx: &Ctx, q: ConversationListQuery) -> Result<ConversationList, Refusal> {
    let filter = Filter {
        types: q.conversation_types.0,
        marks: q.marks.0,
        only_unread: q.is_only_unread_conversation,
        pinned: q.pinned_filter,
    };
    list_page(ctx, q.next_conversation.map(position), q.count, filter).await
}

pub async fn pinned_list(
    ctx: &Ctx,
    q: ConversationPinnedListQuery,
) -> Result<ConversationList, Refusal> {
    let filter = Filter {
        types: Vec::new(),
        marks: Vec::new(),
        only_unread: false,
        pinned: 1,
    };
    list_page(ctx, q.next_conversation.map(position), q.count, filter).await
}

pub async fn query(ctx: &Ctx, k: ConversationKey) -> Result<ConversationQueried, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let found = ctx
        .shared
        .store
        .run(move |s| s.conversation(app, &me, k.conversation_type, &k.conversation_id))
        .await?;
    let c = found.ok_or_else(not_found)?;
    Ok(ConversationQueried {
        conversation: c.view(&ctx.user_id),
    })
}

/// Applies `change` to the caller's conversation `key` and tells their inbox (`event`).
async fn change(
    ctx: &Ctx,
    key: ConversationKey,
    change: ConversationChange,
    event: u8,
) -> Result<ConversationKey, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let k = key.clone();
    let found = ctx
        .write(move |s| {
            let c =
                s.change_conversation(app, &me, k.conversation_type, &k.conversation_id, &change)?;
            let notices = c
                .iter()
                .map(|c| changed(&me, event, std::slice::from_ref(c)))
                .collect();
            Ok((c.is_some(), notices))
        })
        .await?;
    if !found {
        return Err(not_found());
    }
    tracing::info!(app, user = %ctx.user_id, conversation = %key.conversation_id, "conversation changed");
    Ok(key)
}

fn key(
    conversation_id: tinyim_protocol::ids::ConversationId,
    conversation_type: u8,
) -> ConversationKey {
    ConversationKey {
        conversation_id,
        conversation_type,
    }
}

pub async fn pin(ctx: &Ctx, u: ConversationPinnedStateUpdate) -> Result<ConversationKey, Refusal> {
    let k = key(u.conversation_id, u.conversation_type);
    let c = ConversationChange::Pinned(u.is_pinned, now_millis());
    change(ctx, k, c, conversation_event::UPDATED).await
}

pub async fn delete(ctx: &Ctx, d: ConversationDelete) -> Result<ConversationKey, Refusal> {
    // (The SDK deletes on the device alone when is_also_delete_server_conversation is false
    // and never asks the server; a request that reaches the server deletes here.)
    let k = key(d.conversation_id, d.conversation_type);
    change(
        ctx,
        k,
        ConversationChange::Delete,
        conversation_event::DELETED,
    )
    .await
}

pub async fn clear_unread(ctx: &Ctx, k: ConversationKey) -> Result<ConversationKey, Refusal> {
    change(
        ctx,
        k,
        ConversationChange::ClearUnread,
        conversation_event::UPDATED,
    )
    .await
}

pub async fn set_notification(
    ctx: &Ctx,
    n: NotificationStatusSet,
) -> Result<ConversationKey, Refusal> {
    if !matches!(
        n.status,
        notification_status::NOTIFY | notification_status::DO_NOT_DISTURB
    ) {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "status must be 1 (notify) or 2 (do not disturb)",
        ));
    }
    let k = key(n.conversation_id, n.conversation_type);
    change(
        ctx,
        k,
        ConversationChange::Notification(n.status),
        conversation_event::UPDATED,
    )
    .await
}

pub async fn set_draft(ctx: &Ctx, d: DraftSet) -> Result<ConversationKey, Refusal> {
    let k = key(d.conversation_id, d.conversation_type);
    change(
        ctx,
        k,
        ConversationChange::Draft(d.draft.0),
        conversation_event::UPDATED,
    )
    .await
}

/// The caller's conversations that `keep` keeps (all of them, for the "all" methods).
fn every(
    s: &mut dyn crate::store::Store,
    app: u32,
    me: &str,
    keep: &mut dyn FnMut(&StoredConversation) -> bool,
) -> crate::store::StoreResult<Vec<StoredConversation>> {
    s.conversations(app, me, None, usize::MAX, keep)
}

pub async fn set_mark(ctx: &Ctx, m: MarkSet) -> Result<MarkSetResult, Refusal> {
    if m.mark_type == 0 || m.conversation_infos.len() > MAX_PAGE as usize {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "markType must be a positive number, for at most 100 conversations",
        ));
    }
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let failed = ctx
        .write(move |s| {
            let mut failed = Vec::new();
            let mut done = Vec::new();
            let change = ConversationChange::Mark(m.mark_type, m.enable);
            for k in m.conversation_infos.0 {
                match s.change_conversation(
                    app,
                    &me,
                    k.conversation_type,
                    &k.conversation_id,
                    &change,
                )? {
                    Some(c) => done.push(c),
                    None => failed.push(k),
                }
            }
            let notices = match done.is_empty() {
                true => Vec::new(),
                false => vec![changed(&me, conversation_event::UPDATED, &done)],
            };
            Ok((failed, notices))
        })
        .await?;
    Ok(MarkSetResult {
        failed_conversation_infos: List(failed),
    })
}

pub async fn delete_all(ctx: &Ctx) -> Result<Empty, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let count = ctx
        .write(move |s| {
            let all = every(s, app, &me, &mut |_| true)?;
            for c in &all {
                s.change_conversation(
                    app,
                    &me,
                    c.conv_type,
                    &c.conv_id,
                    &ConversationChange::Delete,
                )?;
            }
            let count = all.len() as u32;
            let notice = Notice::ConversationsAllDeleted(ConversationsAllDeleted { count });
            Ok((count, vec![(me, notice)]))
        })
        .await?;
    tracing::info!(app, user = %ctx.user_id, count, "all conversations deleted");
    Ok(Empty {})
}

pub async fn clear_all_unread(ctx: &Ctx) -> Result<Empty, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    ctx.write(move |s| {
        let unread = every(s, app, &me, &mut |c| c.unread > 0)?;
        let mut done = Vec::with_capacity(unread.len());
        for c in unread {
            let change = ConversationChange::ClearUnread;
            done.extend(s.change_conversation(app, &me, c.conv_type, &c.conv_id, &change)?);
        }
        let notices = match done.is_empty() {
            true => Vec::new(),
            false => vec![changed(&me, conversation_event::UPDATED, &done)],
        };
        Ok(((), notices))
    })
    .await?;
    Ok(Empty {})
}

pub async fn total_unread(ctx: &Ctx, q: TotalUnreadQuery) -> Result<TotalUnread, Refusal> {
    let filter = Filter {
        types: q.conversation_types.0,
        marks: q.marks.0,
        only_unread: true,
        pinned: 0,
    };
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let rows = ctx
        .shared
        .store
        .run(move |s| every(s, app, &me, &mut |c| filter.keeps(c)))
        .await?;
    // A do-not-disturb conversation keeps its own count but is left out of the total.
    let unread_message_count = rows
        .iter()
        .filter(|c| c.notification != notification_status::DO_NOT_DISTURB)
        .map(|c| c.unread)
        .fold(0u32, u32::saturating_add);
    Ok(TotalUnread {
        unread_message_count,
    })
}
