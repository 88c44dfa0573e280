//! Messages beyond sending: query by sequence, delete (for the caller), receipts, revoke
//! and edit (docs/areas/messages.md).
//!
//! What the other user must see (a revoke, an edit, a receipt) goes into their inbox as a
//! notice, in the transaction that makes the change, followed by a `conversationChanged`
//! notice when their conversation changed with it: so they see it once and in order, also
//! when they were offline.

use tinyim_protocol::areas::{
    conversation_event, ConversationKey, ConversationMessagesDelete, Edit, MessageListNotice,
    MessageResult, MessagesDelete, MessagesDeleted, MessagesQueried, MessagesQuery, ReceiptInfo,
    ReceiptsChanged, ReceiptsInfo, ReceiptsQuery, ReceiptsReadSent, Revoke,
};
use tinyim_protocol::ids::MessageId;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, conversation_type, message_type, Empty, List, MessageExt};

use super::conversations::changed;
use crate::rpc::{Ctx, Refusal};
use crate::server::now_millis;
use crate::store::conversations::StoredConversation;
use crate::store::messages::Deletion;
use crate::store::{Store, StoreResult, StoredMessage};

/// Most messages one receipt call takes (ZIM's limit, 6000282 beyond it).
pub(crate) const MAX_RECEIPTS: usize = 10;
/// Most sequences one `queryMessages` takes.
const MAX_QUERY: usize = 100;

/// ZIM's `ZIMMessageReceiptStatus` values.
const RECEIPT_PROCESSING: u8 = 1;
pub(crate) const RECEIPT_DONE: u8 = 2;

/// ZIM's `ZIMMessageDeleteType` values.
const DELETED_LIST: u8 = 0;
const DELETED_CONVERSATION: u8 = 1;
const DELETED_ALL: u8 = 2;

fn peer_only(conv_type: u8) -> Result<(), Refusal> {
    if conv_type == conversation_type::PEER {
        Ok(())
    } else {
        Err(Refusal::new(
            code::PARAMS_INVALID,
            "this works on peer conversations only (rooms are live-only; group messages do not have it yet)",
        ))
    }
}

/// `m` is a message of `me`'s conversation with `peer`.
fn between(m: &StoredMessage, me: &str, peer: &str) -> bool {
    (m.sender == me && m.recipient == peer) || (m.sender == peer && m.recipient == me)
}

fn no_message() -> Refusal {
    Refusal::new(code::MESSAGE_COMMON, "no such message in this conversation")
}

/// A `conversationChanged` notice for `user` if their conversation changed.
fn diff(
    user: &str,
    before: Option<StoredConversation>,
    after: Option<StoredConversation>,
) -> Option<(String, Notice)> {
    match after {
        Some(c) if Some(&c) != before.as_ref() => {
            Some(changed(user, conversation_event::UPDATED, &[c]))
        }
        _ => None,
    }
}

/// `user`'s conversation with `peer` after `op` changed its messages: a
/// `conversationChanged` notice for them if it changed.
fn refresh(
    s: &mut dyn Store,
    app: u32,
    user: &str,
    peer: &str,
    op: impl FnOnce(&mut dyn Store) -> StoreResult<()>,
) -> StoreResult<Option<(String, Notice)>> {
    let before = s.conversation(app, user, conversation_type::PEER, peer)?;
    op(s)?;
    let after = s.refresh_conversation(app, user, conversation_type::PEER, peer)?;
    Ok(diff(user, before, after))
}

pub async fn query(ctx: &Ctx, q: MessagesQuery) -> Result<MessagesQueried, Refusal> {
    if q.message_seqs.len() > MAX_QUERY {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "at most 100 messageSeqs a call",
        ));
    }
    let (app, me, peer) = (ctx.app, ctx.user_id.clone(), q.conversation_id.0.clone());
    let rows = match q.conversation_type {
        conversation_type::PEER => {
            let seqs = q.message_seqs.0;
            ctx.shared
                .store
                .run(move |s| s.messages_at(app, &me, &peer, &seqs))
                .await?
        }
        _ => Vec::new(), // rooms keep no messages
    };
    Ok(MessagesQueried {
        conversation_id: q.conversation_id.0,
        conversation_type: q.conversation_type,
        message_list: List(rows.iter().map(|m| m.view_for(&ctx.user_id)).collect()),
    })
}

fn deleted_notice(me: &str, peer: &str, kind: u8, messages: &[StoredMessage]) -> (String, Notice) {
    let n = MessagesDeleted {
        conversation_id: peer.to_owned(),
        conversation_type: conversation_type::PEER,
        is_delete_conversation_all_message: kind != DELETED_LIST,
        message_delete_type: kind,
        message_list: List(messages.iter().map(|m| m.view_for(me)).collect()),
    };
    (me.to_owned(), Notice::MessageDeleted(n))
}

pub async fn delete(ctx: &Ctx, d: MessagesDelete) -> Result<ConversationKey, Refusal> {
    peer_only(d.conversation_type)?;
    let (app, me, peer) = (ctx.app, ctx.user_id.clone(), d.conversation_id.0.clone());
    let ids: Vec<u64> = d.message_list.iter().map(|r| r.message_id.0).collect();
    ctx.write(move |s| {
        let mut gone = Vec::new();
        for &id in &ids {
            gone.extend(s.message(app, id)?.filter(|m| between(m, &me, &peer)));
        }
        let what = Deletion::Messages {
            peer: &peer,
            ids: &ids,
        };
        let conversation = refresh(s, app, &me, &peer, |s| s.delete_for(app, &me, what))?;
        let mut notices = vec![deleted_notice(&me, &peer, DELETED_LIST, &gone)];
        notices.extend(conversation);
        Ok(((), notices))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, peer = %d.conversation_id, "messages deleted");
    Ok(ConversationKey {
        conversation_id: d.conversation_id,
        conversation_type: d.conversation_type,
    })
}

pub async fn delete_conversation(
    ctx: &Ctx,
    d: ConversationMessagesDelete,
) -> Result<ConversationKey, Refusal> {
    peer_only(d.conversation_type)?;
    let (app, me, peer) = (ctx.app, ctx.user_id.clone(), d.conversation_id.0.clone());
    ctx.write(move |s| {
        let what = Deletion::Conversation { peer: &peer };
        let conversation = refresh(s, app, &me, &peer, |s| s.delete_for(app, &me, what))?;
        let mut notices = vec![deleted_notice(&me, &peer, DELETED_CONVERSATION, &[])];
        notices.extend(conversation);
        Ok(((), notices))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, peer = %d.conversation_id, "conversation messages deleted");
    Ok(ConversationKey {
        conversation_id: d.conversation_id,
        conversation_type: d.conversation_type,
    })
}

pub async fn delete_all(ctx: &Ctx) -> Result<Empty, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    ctx.write(move |s| {
        let all = s.conversations(app, &me, None, usize::MAX, &mut |c| {
            c.conv_type == conversation_type::PEER
        })?;
        let mut refreshed = Vec::new();
        for c in &all {
            let what = Deletion::Conversation { peer: &c.conv_id };
            s.delete_for(app, &me, what)?;
            refreshed.extend(s.refresh_conversation(app, &me, c.conv_type, &c.conv_id)?);
        }
        let mut notices = vec![deleted_notice(&me, "", DELETED_ALL, &[])];
        if !refreshed.is_empty() {
            notices.push(changed(&me, conversation_event::UPDATED, &refreshed));
        }
        Ok(((), notices))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, "all messages deleted");
    Ok(Empty {})
}

/// A receipt as `viewer` sees it.
fn receipt(m: &StoredMessage, viewer: &str) -> ReceiptInfo {
    let ext = m.ext.clone().unwrap_or_default();
    let done = ext.receipt_status == RECEIPT_DONE;
    ReceiptInfo {
        status: ext.receipt_status,
        message_id: MessageId(m.message_id),
        conversation_id: if m.sender == viewer {
            m.recipient.clone()
        } else {
            m.sender.clone()
        },
        conversation_type: conversation_type::PEER,
        read_member_count: u32::from(done),
        unread_member_count: u32::from(!done),
        is_self_operated: done && m.recipient == viewer,
        read_time: ext.read_time,
    }
}

/// Marks `m`'s receipt done at `now`.
fn read(s: &mut dyn Store, m: &mut StoredMessage, now: u64) -> StoreResult<()> {
    let ext = m.ext.get_or_insert_with(MessageExt::default);
    ext.receipt_status = RECEIPT_DONE;
    ext.read_time = now;
    s.rewrite_message(m)
}

pub async fn receipts_read(ctx: &Ctx, q: ReceiptsQuery) -> Result<ReceiptsReadSent, Refusal> {
    if q.conversation_type == conversation_type::GROUP {
        return super::groups::receipts::receipts_read(ctx, q).await;
    }
    peer_only(q.conversation_type)?;
    if q.message_list.len() > MAX_RECEIPTS {
        return Err(Refusal::new(
            code::MESSAGE_RECEIPT_LIMIT,
            "at most 10 messages a call",
        ));
    }
    let (app, me, peer) = (ctx.app, ctx.user_id.clone(), q.conversation_id.0.clone());
    let ids: Vec<u64> = q.message_list.iter().map(|r| r.message_id.0).collect();
    let errors = ctx
        .write(move |s| {
            let now = now_millis();
            let (mut errors, mut infos) = (Vec::new(), Vec::new());
            for id in ids {
                // Only a received message still waiting for its receipt can be read.
                let pending = s.message(app, id)?.filter(|m| {
                    m.sender == peer
                        && m.recipient == me
                        && m.ext
                            .as_ref()
                            .is_some_and(|e| e.receipt_status == RECEIPT_PROCESSING)
                });
                match pending {
                    Some(mut m) => {
                        read(s, &mut m, now)?;
                        infos.push(receipt(&m, &peer));
                    }
                    None => errors.push(MessageId(id)),
                }
            }
            let notices = match infos.is_empty() {
                true => Vec::new(),
                false => vec![(
                    peer,
                    Notice::MessageReceiptChanged(ReceiptsChanged { infos: List(infos) }),
                )],
            };
            Ok((errors, notices))
        })
        .await?;
    Ok(ReceiptsReadSent {
        conversation_id: q.conversation_id.0,
        conversation_type: q.conversation_type,
        error_message_ids: List(errors),
    })
}

pub async fn conversation_receipt_read(
    ctx: &Ctx,
    k: ConversationKey,
) -> Result<ConversationKey, Refusal> {
    peer_only(k.conversation_type)?;
    let (app, me, peer) = (ctx.app, ctx.user_id.clone(), k.conversation_id.0.clone());
    ctx.write(move |s| {
        let now = now_millis();
        let pending = s.pending_receipts(app, &me, &peer)?;
        let mut newest = None;
        for mut m in pending {
            read(s, &mut m, now)?;
            newest = Some(m);
        }
        // One info for the conversation: everything received before `readTime` is read
        // (its message is the newest of them).
        let notices = match newest {
            Some(m) => vec![(
                peer.clone(),
                Notice::ConversationMessageReceiptChanged(ReceiptsChanged {
                    infos: List(vec![receipt(&m, &peer)]),
                }),
            )],
            None => Vec::new(),
        };
        Ok(((), notices))
    })
    .await?;
    Ok(k)
}

pub async fn receipts_info(ctx: &Ctx, q: ReceiptsQuery) -> Result<ReceiptsInfo, Refusal> {
    if q.conversation_type == conversation_type::GROUP {
        return super::groups::receipts::receipts_info(ctx, q).await;
    }
    peer_only(q.conversation_type)?;
    if q.message_list.len() > MAX_QUERY {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "at most 100 messages a call",
        ));
    }
    let (app, me, peer) = (ctx.app, ctx.user_id.clone(), q.conversation_id.0.clone());
    let ids: Vec<u64> = q.message_list.iter().map(|r| r.message_id.0).collect();
    let found = ctx
        .shared
        .store
        .run(move |s| {
            let mut found = Vec::new();
            for id in ids {
                found.push((id, s.message(app, id)?.filter(|m| between(m, &me, &peer))));
            }
            Ok(found)
        })
        .await?;
    let (mut infos, mut errors) = (Vec::new(), Vec::new());
    for (id, m) in found {
        match m.filter(|m| m.ext.as_ref().is_some_and(|e| e.receipt_status != 0)) {
            Some(m) => infos.push(receipt(&m, &ctx.user_id)),
            None => errors.push(MessageId(id)),
        }
    }
    Ok(ReceiptsInfo {
        infos: List(infos),
        error_message_ids: List(errors),
    })
}

/// The caller's own message `id`, if it may still change within `window`.
fn own_message(
    m: Option<StoredMessage>,
    me: &str,
    window: std::time::Duration,
    late: u32,
) -> Result<StoredMessage, Refusal> {
    let m = m.ok_or_else(no_message)?;
    if m.sender != me {
        return Err(Refusal::new(
            code::NO_OPERATION_AUTHORITY,
            "only the sender may change a message",
        ));
    }
    if m.message_type == message_type::REVOKE {
        return Err(Refusal::new(
            code::MESSAGE_HAS_BEEN_REVOKED,
            "the message is revoked",
        ));
    }
    if !message_type::counts_unread(m.message_type) {
        return Err(Refusal::new(
            code::MESSAGE_COMMON,
            "only text and custom messages can be revoked or edited",
        ));
    }
    if now_millis().saturating_sub(m.timestamp) > window.as_millis() as u64 {
        return Err(Refusal::new(late, "the message is too old to change"));
    }
    Ok(m)
}

/// Stores `m` changed (revoked or edited) and tells its recipient (`notice`, in their
/// view); both users' conversations are refreshed and told if they changed.
fn changed_message(
    s: &mut dyn Store,
    app: u32,
    m: &StoredMessage,
    notice: fn(MessageListNotice) -> Notice,
) -> StoreResult<Vec<(String, Notice)>> {
    if m.conversation_type == conversation_type::GROUP {
        return changed_group_message(s, app, m, notice);
    }
    let (sender, recipient) = (m.sender.as_str(), m.recipient.as_str());
    let peer = conversation_type::PEER;
    let before = (
        s.conversation(app, recipient, peer, sender)?,
        s.conversation(app, sender, peer, recipient)?,
    );
    s.rewrite_message(m)?;
    let list = MessageListNotice {
        message_list: List(vec![m.view_for(recipient)]),
    };
    let mut notices = vec![(recipient.to_owned(), notice(list))];
    let after = s.refresh_conversation(app, recipient, peer, sender)?;
    notices.extend(diff(recipient, before.0, after));
    let after = s.refresh_conversation(app, sender, peer, recipient)?;
    notices.extend(diff(sender, before.1, after));
    Ok(notices)
}

/// [`changed_message`] for a group message: every current member but the sender is told
/// (`notice`), and each member whose group conversation shows the message is told of the
/// conversation too. Members who left get nothing, as for new messages.
fn changed_group_message(
    s: &mut dyn Store,
    app: u32,
    m: &StoredMessage,
    notice: fn(MessageListNotice) -> Notice,
) -> StoreResult<Vec<(String, Notice)>> {
    let (group, kind) = (m.recipient.as_str(), conversation_type::GROUP);
    let members = s.member_ids(app, group)?;
    let mut before = Vec::with_capacity(members.len());
    for u in &members {
        before.push(s.conversation(app, u, kind, group)?);
    }
    s.rewrite_message(m)?;
    let mut notices = Vec::new();
    for (u, before) in members.iter().zip(before) {
        if *u != m.sender {
            let list = MessageListNotice {
                message_list: List(vec![m.view_for(u)]),
            };
            notices.push((u.clone(), notice(list)));
        }
        let after = s.conversation(app, u, kind, group)?;
        notices.extend(diff(u, before, after));
    }
    Ok(notices)
}

/// Changes the caller's own message `id` with `change` (if it may still change within
/// `window`, else `late`) and tells the other side (`notice`).
async fn change_own(
    ctx: &Ctx,
    id: u64,
    (window, late): (std::time::Duration, u32),
    notice: fn(MessageListNotice) -> Notice,
    change: impl FnOnce(&mut StoredMessage, &str) + Send + Sync + 'static,
) -> Result<MessageResult, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let m = ctx
        .write(move |s| {
            let mut m = match own_message(s.message(app, id)?, &me, window, late) {
                Ok(m) => m,
                Err(refusal) => return Ok((Err(refusal), Vec::new())),
            };
            change(&mut m, &me);
            let notices = changed_message(s, app, &m, notice)?;
            Ok((Ok(m), notices))
        })
        .await??;
    Ok(MessageResult {
        message: m.view_for(&ctx.user_id),
    })
}

pub async fn revoke(ctx: &Ctx, r: Revoke) -> Result<MessageResult, Refusal> {
    let id = r.message.message_id.0;
    let window = (
        ctx.shared.config.revoke_window,
        code::MESSAGE_EXCEEDS_REVOKE_TIME,
    );
    let result = change_own(
        ctx,
        id,
        window,
        Notice::MessageRevokeReceived,
        move |m, me| {
            let ext = m.ext.get_or_insert_with(MessageExt::default);
            ext.original_message_type = m.message_type;
            ext.revoke_time = now_millis();
            ext.operated_user_id = me.to_owned();
            ext.revoke_extended_data = r.revoke_extended_data.0;
            // The payload stays: ZIM shows it as the original text content.
            m.message_type = message_type::REVOKE;
        },
    )
    .await?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, message = id, "message revoked");
    Ok(result)
}

pub async fn edit(ctx: &Ctx, e: Edit) -> Result<MessageResult, Refusal> {
    let id = e.message.message_id.0;
    let window = (
        ctx.shared.config.edit_window,
        code::MESSAGE_EXCEEDS_EDIT_TIME,
    );
    let result = change_own(ctx, id, window, Notice::MessageEdited, move |m, _| {
        let new = e.message;
        m.payload = new.message.0.into_bytes();
        m.extended_data = new.extended_data.0;
        let ext = m.ext.get_or_insert_with(MessageExt::default);
        ext.edited_time = now_millis();
        if m.message_type == message_type::CUSTOM {
            ext.sub_type = new.sub_type;
            ext.searched_content = new.searched_content.0;
        }
    })
    .await?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, message = id, "message edited");
    Ok(result)
}
