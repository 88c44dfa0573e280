//! The methods the client answers itself, from the local store ([`crate::local`]) and the
//! outbox, and the server's answers as this device shows them (less what it deleted).
//!
//! Answered here, never sent: `insertMessageToLocalDB`, `updateMessageLocalExtendedData`,
//! `cancelSendingMessage`, and the deletions made for this device only
//! (`isAlsoDeleteServerMessage` / `isAlsoDeleteServerConversation` false).

use tinyim_protocol::areas::{
    AllMessagesDelete, ConversationDelete, ConversationMessagesDelete, ConversationsAllDeleted,
    ConversationsDeleteAll, LocalExtendedDataUpdate, LocalInsert, MessagesDelete, SendingCancel,
};
use tinyim_protocol::rpc::method_named;
use tinyim_protocol::shape::Shape;
use tinyim_protocol::{code, message_type, Message, MessageExt};

use super::Client;
use crate::api::{Millis, Reply, Value, ZimError};
use crate::calls::typed;
use crate::conversations::{note as notify, notice};

/// The ID of method `name` in the protocol's table.
fn id(name: &str) -> u16 {
    method_named(name).map_or(0, |m| m.id)
}

/// `{ conversationID, conversationType }`.
fn key(conversation_id: &str, conversation_type: u8) -> Value {
    Value::Struct(vec![
        Value::Str(conversation_id.into()),
        Value::Uint(u64::from(conversation_type)),
    ])
}

fn empty() -> Value {
    Value::Struct(Vec::new())
}

/// Field `name` of a struct value of `shape`, by position.
fn field<'a>(v: &'a mut Value, shape: &Shape, name: &str) -> Option<&'a mut Value> {
    let (Shape::Struct(st), Value::Struct(fields)) = (shape, v) else {
        return None;
    };
    fields.get_mut(st.position(name)?)
}

impl Client {
    /// Answers method `method` here if it is one the client answers itself.
    pub(super) fn local_call(
        &mut self,
        now: Millis,
        method: u16,
        args: &Value,
    ) -> Option<Result<Reply, ZimError>> {
        let value = match method {
            m if m == id("insertMessageToLocalDB") => {
                typed(m, args).and_then(|a| self.insert(now, a))
            }
            m if m == id("updateMessageLocalExtendedData") => {
                typed(m, args).map(|a: LocalExtendedDataUpdate| {
                    let r = a.message;
                    let key = if r.message_id.0 != 0 {
                        r.message_id
                    } else {
                        r.local_message_id
                    };
                    self.local.set_extended(key.0, a.local_extended_data.0);
                    self.save_local();
                    empty()
                })
            }
            m if m == id("cancelSendingMessage") => {
                typed(m, args).and_then(|a: SendingCancel| self.cancel(now, a))
            }
            m if m == id("deleteConversation") => match typed::<ConversationDelete>(m, args) {
                Ok(a) if a.is_also_delete_server_conversation => return None,
                Ok(a) => {
                    let (kind, conv) = (a.conversation_type, a.conversation_id.0);
                    let through = self.newest_in(kind, &conv);
                    self.local.hide_conversation(kind, &conv, through);
                    self.save_local();
                    let told = self.conversations.remove(kind, &conv);
                    self.tell(told);
                    Ok(key(&conv, kind))
                }
                Err(e) => Err(e),
            },
            m if m == id("deleteAllConversations") => {
                match typed::<ConversationsDeleteAll>(m, args) {
                    Ok(a) if a.is_also_delete_server_conversation => return None,
                    Ok(_) => {
                        let through = self.conversations.newest_message();
                        self.local.hide_conversation(u8::MAX, "", through);
                        self.save_local();
                        let (count, told) = self.conversations.remove_all();
                        let all = ConversationsAllDeleted { count };
                        self.tell(vec![notify(notice::ALL_DELETED, &all)]);
                        self.tell(told);
                        Ok(empty())
                    }
                    Err(e) => Err(e),
                }
            }
            m if m == id("deleteMessages") => match typed::<MessagesDelete>(m, args) {
                Ok(a) if a.is_also_delete_server_message => return None,
                Ok(a) => {
                    let ids: Vec<u64> = a
                        .message_list
                        .iter()
                        .map(|r| {
                            if r.message_id.0 != 0 {
                                r.message_id.0
                            } else {
                                r.local_message_id.0
                            }
                        })
                        .collect();
                    self.local.hide_messages(&ids);
                    self.save_local();
                    Ok(key(&a.conversation_id, a.conversation_type))
                }
                Err(e) => Err(e),
            },
            m if m == id("deleteAllMessage") => {
                match typed::<ConversationMessagesDelete>(m, args) {
                    Ok(a) if a.is_also_delete_server_message => return None,
                    Ok(a) => {
                        let (kind, conv) = (a.conversation_type, a.conversation_id.0);
                        let through = self.newest_in(kind, &conv);
                        self.local.clear(kind, &conv, through);
                        self.save_local();
                        Ok(key(&conv, kind))
                    }
                    Err(e) => Err(e),
                }
            }
            m if m == id("deleteAllConversationMessages") => {
                match typed::<AllMessagesDelete>(m, args) {
                    Ok(a) if a.is_also_delete_server_message => return None,
                    Ok(_) => {
                        let through = self.conversations.newest_message();
                        self.local.clear(u8::MAX, "", through);
                        self.save_local();
                        Ok(empty())
                    }
                    Err(e) => Err(e),
                }
            }
            _ => return None,
        };
        Some(value.map(|value| Reply::Call { method, value }))
    }

    /// The newest message ID of a conversation this device knows (its messages up to it are
    /// "all of it so far").
    fn newest_in(&self, kind: u8, conv: &str) -> u64 {
        match self.conversations.get(kind, conv) {
            Some(c) => c
                .last_message
                .as_ref()
                .map_or(c.order_key, |m| m.message_id),
            None => self.conversations.newest_message(),
        }
    }

    fn save_local(&mut self) {
        let bytes = self.local.encode();
        self.out.push_back(crate::api::Output::SaveLocal(bytes));
    }

    fn insert(&mut self, now: Millis, a: LocalInsert) -> Result<Value, ZimError> {
        if message_type::is_signal(a.message.message_type) {
            return Err(ZimError::new(
                code::PARAMS_INVALID,
                "insertMessageToLocalDB: command and barrage messages cannot be inserted",
            ));
        }
        let id = self.rng.next_u64().max(1);
        let kind = a.conversation_type;
        // It sits right after the conversation's newest message known now.
        let order_key = self
            .conversations
            .get(kind, &a.conversation_id)
            .and_then(|c| c.last_message.as_ref())
            .map_or(0, |m| m.order_key);
        let m = a.message;
        let ext = (m.sub_type != 0 || !m.searched_content.is_empty()).then(|| MessageExt {
            sub_type: m.sub_type,
            searched_content: m.searched_content,
            ..MessageExt::default()
        });
        let message = Message {
            message_id: id,
            client_message_id: id,
            conversation_type: kind,
            conversation_id: a.conversation_id.0,
            sender_id: a.sender_user_id.0,
            message_type: m.message_type,
            priority: 1,
            payload: m.message,
            extended_data: m.extended_data.0,
            timestamp: now,
            order_key,
            ext,
        };
        self.local.insert(message.clone());
        self.save_local();
        Ok(Value::Struct(vec![Value::Message(Box::new(message))]))
    }

    fn cancel(&mut self, now: Millis, a: SendingCancel) -> Result<Value, ZimError> {
        let Some(pending) = self.outbox.cancel(a.message.local_message_id.0) else {
            return Err(ZimError::new(
                code::CANCEL_SENDING_MESSAGE_FAILED,
                "the message is not waiting to be sent (it is sent, on its way, or unknown)",
            ));
        };
        self.complete(
            pending.op,
            Err(ZimError::new(
                code::SEND_MESSAGE_FAILED_FOR_CANCELLED,
                "the app cancelled sending this message",
            )),
        );
        self.transmit_sends(now);
        Ok(empty())
    }

    /// A server's answer to a method, as this device shows it: without the conversations
    /// and messages it deleted for itself.
    pub(super) fn local_reply(&self, reply: Reply) -> Result<Reply, ZimError> {
        let Reply::Call { method, mut value } = reply else {
            return Ok(reply);
        };
        let Some(m) = tinyim_protocol::rpc::method(method) else {
            return Ok(Reply::Call { method, value });
        };
        let local = &self.local;
        let hidden = |c: &Value| -> bool {
            let mut c = c.clone();
            conversation(&mut c).is_some_and(|c| local.conversation_hidden(&c))
        };
        if m.name == "queryConversation" {
            if field(&mut value, m.response, "conversation").is_some_and(|c| hidden(c)) {
                return Err(ZimError::new(
                    code::CONVERSATION_DOES_NOT_EXIST,
                    "no such conversation: this device deleted it",
                ));
            }
        } else if let Some(Value::List(items)) = field(&mut value, m.response, "conversation_list")
        {
            items.retain(|c| !hidden(c));
        } else if let Some(Value::List(items)) = field(&mut value, m.response, "message_list") {
            items.retain(|v| !matches!(v, Value::Message(msg) if local.message_hidden(msg)));
        }
        Ok(Reply::Call { method, value })
    }
}

/// The parts of a conversation value the local store looks at.
fn conversation(v: &mut Value) -> Option<tinyim_protocol::areas::Conversation> {
    use tinyim_protocol::areas::Conversation;
    let shape = <Conversation as tinyim_protocol::codec::Wire>::SHAPE;
    let id = field(v, &shape, "conversation_id")?.as_str()?.to_owned();
    let kind = field(v, &shape, "conversation_type")?.as_u64()? as u8;
    let order_key = field(v, &shape, "order_key")?.as_u64().unwrap_or(0);
    let last_message = match field(v, &shape, "last_message") {
        Some(Value::Message(m)) => Some((**m).clone()),
        _ => None,
    };
    Some(Conversation {
        conversation_id: id,
        conversation_type: kind,
        order_key,
        last_message,
        ..Conversation::default()
    })
}
