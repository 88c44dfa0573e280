//! Read receipts of group messages: `sendMessageReceiptsRead` and `queryMessageReceiptsInfo`
//! on a group conversation, and the member lists `queryGroupMessageReceiptReadMemberList` /
//! `queryGroupMessageReceiptUnreadMemberList`.
//!
//! A message sent with `hasReceipt` keeps who has read it (`group_receipts`). Its counts are
//! taken against the group's members now: read = the members who read it (a reader who left
//! still counts, as the read happened), unread = the current members but the sender who have
//! not. The sender is told each change through their inbox (`messageReceiptChanged`, with
//! the counts); the receipt turns done (status 2) when no member is left unread.

use tinyim_protocol::areas::{
    GroupMemberListResult, GroupReceiptMembersQuery, ReceiptInfo, ReceiptsChanged, ReceiptsInfo,
    ReceiptsQuery, ReceiptsReadSent,
};
use tinyim_protocol::ids::MessageId;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, conversation_type, List, MessageExt};

use super::{check, member_infos, member_of, MAX_PAGE};
use crate::areas::messages::{MAX_RECEIPTS, RECEIPT_DONE};
use crate::rpc::{Ctx, Refusal};
use crate::server::now_millis;
use crate::store::{Store, StoreResult, StoredMessage};

/// Group message `id` of `group`, if it was sent with a receipt.
fn with_receipt(
    s: &mut dyn Store,
    app: u32,
    group: &str,
    id: u64,
) -> StoreResult<Option<StoredMessage>> {
    Ok(s.message(app, id)?.filter(|m| {
        m.conversation_type == conversation_type::GROUP
            && m.recipient == group
            && m.ext.as_ref().is_some_and(|e| e.receipt_status != 0)
    }))
}

/// The readers and the unread members of `m`, each sorted by user ID.
fn split(
    s: &mut dyn Store,
    app: u32,
    m: &StoredMessage,
) -> StoreResult<(Vec<String>, Vec<String>)> {
    let readers = s.group_message_readers(app, m.message_id)?;
    let mut unread: Vec<String> = s
        .member_ids(app, &m.recipient)?
        .into_iter()
        .filter(|u| *u != m.sender && readers.binary_search(u).is_err())
        .collect();
    unread.sort_unstable();
    Ok((readers, unread))
}

/// ZIM's receipt info of `m` as `viewer` sees it.
fn info(s: &mut dyn Store, app: u32, m: &StoredMessage, viewer: &str) -> StoreResult<ReceiptInfo> {
    let (readers, unread) = split(s, app, m)?;
    let ext = m.ext.clone().unwrap_or_default();
    Ok(ReceiptInfo {
        status: if unread.is_empty() {
            RECEIPT_DONE
        } else {
            ext.receipt_status
        },
        message_id: MessageId(m.message_id),
        conversation_id: m.recipient.clone(),
        conversation_type: conversation_type::GROUP,
        read_member_count: readers.len() as u32,
        unread_member_count: unread.len() as u32,
        is_self_operated: readers.binary_search_by(|u| u.as_str().cmp(viewer)).is_ok(),
        read_time: ext.read_time,
    })
}

/// `sendMessageReceiptsRead(messageList, groupID, Group)`: the caller, a member, has read
/// these messages of others; each sender is told.
pub async fn receipts_read(ctx: &Ctx, q: ReceiptsQuery) -> Result<ReceiptsReadSent, Refusal> {
    if q.message_list.len() > MAX_RECEIPTS {
        return Err(Refusal::new(
            code::MESSAGE_RECEIPT_LIMIT,
            "at most 10 messages a call",
        ));
    }
    let (app, me, group) = (ctx.app, ctx.user_id.clone(), q.conversation_id.0.clone());
    let ids: Vec<u64> = q.message_list.iter().map(|r| r.message_id.0).collect();
    let errors = ctx
        .write(move |s| {
            if let Err(r) = member_of(s, app, &group, &me)? {
                return Ok((Err(r), Vec::new()));
            }
            let (mut errors, mut notices) = (Vec::new(), Vec::new());
            for id in ids {
                let m = with_receipt(s, app, &group, id)?.filter(|m| m.sender != me);
                let Some(mut m) = m else {
                    errors.push(MessageId(id));
                    continue;
                };
                if !s.read_group_message(app, id, &me)? {
                    continue; // read before: nothing changes
                }
                let now = now_millis();
                let mut i = info(s, app, &m, &m.sender)?;
                i.read_time = now;
                let ext = m.ext.get_or_insert_with(MessageExt::default);
                ext.read_time = now;
                if i.status == RECEIPT_DONE && ext.receipt_status != RECEIPT_DONE {
                    ext.receipt_status = RECEIPT_DONE;
                }
                s.rewrite_message(&m)?;
                let changed = ReceiptsChanged {
                    infos: List(vec![i]),
                };
                notices.push((m.sender.clone(), Notice::MessageReceiptChanged(changed)));
            }
            Ok((Ok(errors), notices))
        })
        .await??;
    Ok(ReceiptsReadSent {
        conversation_id: q.conversation_id.0,
        conversation_type: q.conversation_type,
        error_message_ids: List(errors),
    })
}

/// `queryMessageReceiptsInfo(messageList, groupID, Group)`: the counts of each message.
pub async fn receipts_info(ctx: &Ctx, q: ReceiptsQuery) -> Result<ReceiptsInfo, Refusal> {
    let (app, me, group) = (ctx.app, ctx.user_id.clone(), q.conversation_id.0.clone());
    let ids: Vec<u64> = q.message_list.iter().map(|r| r.message_id.0).collect();
    ctx.shared
        .store
        .run(move |s| {
            check!(member_of(s, app, &group, &me));
            let (mut infos, mut errors) = (Vec::new(), Vec::new());
            for id in ids {
                match with_receipt(s, app, &group, id)? {
                    Some(m) => infos.push(info(s, app, &m, &me)?),
                    None => errors.push(MessageId(id)),
                }
            }
            Ok(Ok(ReceiptsInfo {
                infos: List(infos),
                error_message_ids: List(errors),
            }))
        })
        .await?
}

/// A page of the members who have (`read`) or have not read a group message; `nextFlag`
/// is the position in the list (sorted by user ID), 0 on the last page.
pub async fn members(
    ctx: &Ctx,
    q: GroupReceiptMembersQuery,
    read: bool,
) -> Result<GroupMemberListResult, Refusal> {
    let (app, me, group) = (ctx.app, ctx.user_id.clone(), q.group_id.0.clone());
    let id = q.message.message_id.0;
    let count = q.count.clamp(1, MAX_PAGE) as usize;
    let from = usize::try_from(q.next_flag).unwrap_or(usize::MAX);
    ctx.shared
        .store
        .run(move |s| {
            check!(member_of(s, app, &group, &me));
            let Some(m) = with_receipt(s, app, &group, id)? else {
                return Ok(Err(Refusal::new(
                    code::MESSAGE_COMMON,
                    "no message with a receipt in this group",
                )));
            };
            let (readers, unread) = split(s, app, &m)?;
            let list = if read { readers } else { unread };
            let page: Vec<String> = list.iter().skip(from).take(count).cloned().collect();
            let next = from.saturating_add(page.len());
            let mut rows = Vec::with_capacity(page.len());
            for u in &page {
                // A reader who has left is listed by ID only (no member row any more).
                rows.push(s.member(app, &group, u)?.unwrap_or_else(|| {
                    crate::store::groups::MemberRow {
                        user_id: u.clone(),
                        ..Default::default()
                    }
                }));
            }
            Ok(Ok(GroupMemberListResult {
                group_id: group.clone(),
                user_list: List(member_infos(s, app, &group, &rows)?),
                next_flag: if next < list.len() { next as u64 } else { 0 },
            }))
        })
        .await?
}
