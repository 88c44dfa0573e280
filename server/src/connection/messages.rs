//! Sends (peer: stored, then acked; room: fanned out, then acked) and history pages.
//!
//! Limits are checked again here (the SDK checks first) so a client that does not use
//! our SDK gets the same rules: sizes 6000001, rate 6000005.
//!
//! Sender order (docs/protocol.md): a `Send` naming a `prev_client_message_id` is taken only
//! once that message of the same sender is stored (peer: checked by the store, in the same
//! order as the appends) or was fanned out (room: the recent room acks), else it is refused
//! with 6000203 and nothing happens. So a message refused for the rate, or lost with a
//! connection, can never be overtaken by a later one that was already on its way.

use super::rooms::{room_error_text, validate_room};
use super::*;
use tinyim_protocol::areas::friend_code;

impl Connection {
    pub(super) async fn on_send(&mut self, rid: u32, m: tinyim_protocol::Send) -> Step {
        if let Err(why) = validate_send(&m) {
            return self.error(rid, code::PARAMS_INVALID, why).await;
        }
        let rate_limit = self.shared.config.rate_limit;
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        let now = Instant::now();
        let room = m.conversation_type == conversation_type::ROOM;
        let (duplicate, out_of_order, allowed) = {
            let mut sends = s.sends.lock().unwrap_or_else(|p| p.into_inner());
            let duplicate = room.then(|| sends.room_ack(m.client_message_id)).flatten();
            let out_of_order = room
                && duplicate.is_none()
                && m.prev_client_message_id != 0
                && sends.room_ack(m.prev_client_message_id).is_none();
            let allowed = duplicate.is_some()
                || out_of_order
                || !rate_limit
                || sends.limiter.allow(m.message_type, now);
            (duplicate, out_of_order, allowed)
        };
        send_state::touch(&s.sends, now);
        if let Some(ack) = duplicate {
            self.shared.metrics.duplicates.fetch_add(1, Relaxed);
            return self.reply(rid, Body::SendAck(ack)).await;
        }
        if out_of_order {
            return self
                .error(rid, code::SEND_MESSAGE_FAILED, PREDECESSOR_MISSING)
                .await;
        }
        if !allowed {
            return self
                .error(
                    rid,
                    code::SERVER_FREQUENCY_LIMIT,
                    "server send rate limit: at most 10 text or 20 command messages a second",
                )
                .await;
        }
        let command = m.message_type == message_type::COMMAND;
        let message_id = self.shared.ids.next();
        let timestamp = now_millis();
        if m.conversation_type == conversation_type::GROUP {
            let shared = Arc::clone(&self.shared);
            let m = NewPeerMessage {
                message_id,
                app: s.app,
                sender: s.user.user_id.clone(),
                recipient: m.to,
                client_message_id: m.client_message_id,
                prev_client_message_id: m.prev_client_message_id,
                message_type: m.message_type,
                priority: m.priority,
                payload: m.payload,
                extended_data: m.extended_data,
                timestamp,
                ext: m.ext,
            };
            self.pending.push_back(Box::pin(async move {
                let body = match crate::areas::groups::messages::send(&shared, m).await {
                    Ok((ack, duplicate)) => {
                        if duplicate {
                            shared.metrics.duplicates.fetch_add(1, Relaxed);
                        } else {
                            shared.metrics.message(false, command);
                        }
                        Body::SendAck(ack)
                    }
                    Err(r) => Body::Error(Error {
                        code: r.code,
                        message: r.message,
                    }),
                };
                Frame::new(rid, body)
            }));
            return Ok(());
        }
        if m.conversation_type == conversation_type::PEER {
            let rx = self
                .shared
                .store
                .submit_peer(NewPeerMessage {
                    message_id,
                    app: s.app,
                    sender: s.user.user_id.clone(),
                    recipient: m.to,
                    client_message_id: m.client_message_id,
                    prev_client_message_id: m.prev_client_message_id,
                    message_type: m.message_type,
                    priority: m.priority,
                    payload: m.payload,
                    extended_data: m.extended_data,
                    timestamp,
                    ext: m.ext,
                })
                .await;
            let metrics = Arc::clone(&self.shared.metrics);
            self.pending.push_back(Box::pin(async move {
                match rx.await {
                    Ok(Ok(Append::PredecessorMissing)) => Frame::new(
                        rid,
                        Body::Error(Error {
                            code: code::SEND_MESSAGE_FAILED,
                            message: PREDECESSOR_MISSING.into(),
                        }),
                    ),
                    Ok(Ok(Append::Blocked)) => Frame::new(
                        rid,
                        Body::Error(Error {
                            code: friend_code::SENDER_IN_BLACKLIST,
                            message: "the recipient has blocked the sender".into(),
                        }),
                    ),
                    Ok(Ok(Append::Stored(stored))) => {
                        if stored.duplicate {
                            metrics.duplicates.fetch_add(1, Relaxed);
                        } else {
                            metrics.message(false, command);
                        }
                        let msg = &stored.message;
                        Frame::new(
                            rid,
                            Body::SendAck(SendAck {
                                message_id: msg.message_id,
                                timestamp: msg.timestamp,
                                order_key: msg.order_key,
                            }),
                        )
                    }
                    _ => Frame::new(
                        rid,
                        Body::Error(Error {
                            code: code::DATABASE_ERROR,
                            message: "message not stored".into(),
                        }),
                    ),
                }
            }));
            return Ok(());
        }

        // Room: live fan-out, no store.
        let sender = s.user.user_id.clone();
        let result = self
            .shared
            .rooms
            .send(s.app, &m.to, &sender, |order_key| Message {
                message_id,
                client_message_id: m.client_message_id,
                conversation_type: conversation_type::ROOM,
                conversation_id: m.to.clone(),
                sender_id: sender.clone(),
                message_type: m.message_type,
                priority: m.priority,
                payload: m.payload,
                extended_data: m.extended_data,
                timestamp,
                order_key,
                // Rooms have no receipts.
                ext: m.ext.map(|e| MessageExt {
                    receipt_status: 0,
                    ..e
                }),
            });
        match result {
            Ok(msg) => {
                self.shared.metrics.message(true, command);
                let ack = SendAck {
                    message_id: msg.message_id,
                    timestamp: msg.timestamp,
                    order_key: msg.order_key,
                };
                s.sends
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remember_room_ack(m.client_message_id, ack.clone());
                self.reply(rid, Body::SendAck(ack)).await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    pub(super) async fn history(&mut self, rid: u32, q: HistoryQuery) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        let group = q.conversation_type == conversation_type::GROUP;
        if q.conversation_type != conversation_type::PEER && !group {
            return self
                .error(
                    rid,
                    code::PARAMS_INVALID,
                    "history is kept for peer and group conversations only",
                )
                .await;
        }
        let valid = if group {
            is_valid_group_id(&q.conversation_id)
        } else {
            is_valid_user_id(&q.conversation_id)
        };
        if !valid {
            return self
                .error(rid, code::PARAMS_INVALID, "invalid conversation ID")
                .await;
        }
        if q.count == 0 || q.count > MAX_PAGE_COUNT {
            return self
                .error(rid, code::PARAMS_INVALID, "count must be 1 to 100")
                .await;
        }
        let count = q.count;
        let viewer = s.user.user_id.clone();
        let rows = if group {
            let (app, user, id) = (s.app, viewer.clone(), q.conversation_id.clone());
            let (anchor, older) = (q.anchor_order_key, q.reverse);
            self.shared
                .store
                .run(move |db| db.group_history(app, &user, &id, anchor, count, older))
                .await
        } else {
            self.shared
                .store
                .history(
                    s.app,
                    &viewer,
                    &q.conversation_id,
                    q.anchor_order_key,
                    count,
                    // ZIM's `reverse` pages back in time: older than the anchor.
                    q.reverse,
                )
                .await
                .map(Some)
        };
        let rows = match rows {
            Ok(Some(r)) => r,
            Ok(None) => {
                return self
                    .error(
                        rid,
                        code::GROUP_USER_NOT_IN_GROUP,
                        "not a member of the group, now or before",
                    )
                    .await;
            }
            Err(e) => {
                tracing::error!(error = %e, "store: history failed");
                return self
                    .error(rid, code::DATABASE_ERROR, "database error")
                    .await;
            }
        };
        // Rows come nearest-to-the-anchor first; keep as many as fit one frame.
        let mut size = 0;
        let mut messages: Vec<Message> = Vec::with_capacity(rows.len());
        for r in &rows {
            size += r.wire_size();
            if !messages.is_empty() && size > FRAME_BUDGET {
                break;
            }
            messages.push(r.view_for(&viewer));
        }
        // Older pages come newest first from the store; a page is always ascending.
        if q.reverse {
            messages.reverse();
        }
        self.reply(
            rid,
            Body::HistoryPage(HistoryPage {
                conversation_type: q.conversation_type,
                conversation_id: q.conversation_id,
                messages: List::from(messages),
            }),
        )
        .await
    }
}

/// Checks a send against the limits of ZIM-API.md §6.
fn validate_send(m: &tinyim_protocol::Send) -> Result<(), &'static str> {
    match m.conversation_type {
        conversation_type::PEER => {
            if !is_valid_user_id(&m.to) {
                return Err("invalid recipient user ID");
            }
        }
        conversation_type::ROOM => validate_room(&m.to, "")?,
        conversation_type::GROUP => {
            if !is_valid_group_id(&m.to) {
                return Err("invalid group ID");
            }
        }
        _ => return Err("unsupported conversation type"),
    }
    match m.message_type {
        message_type::TEXT | message_type::CUSTOM => {
            if m.payload.len() > MAX_TEXT_LEN {
                return Err("text or custom message longer than 32 KB");
            }
            if std::str::from_utf8(&m.payload).is_err() {
                return Err("text or custom message is not UTF-8");
            }
        }
        message_type::COMMAND | message_type::BARRAGE => {
            if m.payload.len() > MAX_COMMAND_LEN {
                return Err("command or barrage message longer than 5 KB");
            }
        }
        k if message_type::is_media(k) => {
            tinyim_protocol::Media::check(&m.payload)?;
        }
        _ => return Err("unsupported message type"),
    }
    if let Some(e) = &m.ext {
        // A sender asks for a receipt and names a custom message's details; the rest of
        // the extension is the server's to set.
        let own = MessageExt {
            receipt_status: e.receipt_status,
            sub_type: e.sub_type,
            searched_content: e.searched_content.clone(),
            ..MessageExt::default()
        };
        if *e != own || e.receipt_status > 1 {
            return Err("ext may only carry receipt_status 0/1, sub_type and searched_content");
        }
        if e.searched_content.len() > MAX_EXTENDED_DATA_LEN {
            return Err("searchedContent longer than 1 KB");
        }
    }
    if m.extended_data.len() > MAX_EXTENDED_DATA_LEN {
        return Err("extendedData longer than 1 KB");
    }
    if m.priority > 3 {
        return Err("invalid priority");
    }
    Ok(())
}
