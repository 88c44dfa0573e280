//! The methods the client answers itself, from the local store ([`crate::local`]) and the
//! outbox, and the server's answers as this device shows them (less what it deleted).
//!
//! Answered here, never sent: `insertMessageToLocalDB`, `updateMessageLocalExtendedData`,
//! `cancelSendingMessage`, and the deletions made for this device only
//! (`isAlsoDeleteServerMessage` / `isAlsoDeleteServerConversation` false). Their arguments
//! are read by position from the checked value of their request struct
//! (protocol/src/areas/messages.rs and conversations.rs give the order).

use tinyim_protocol::{code, message_type, Message, MessageExt};

use super::Client;
use crate::api::{Millis, Reply, Value, ZimError};
use crate::calls::checked;
use crate::conversations::{identity, last_message};

// The methods this file handles, by their number in the protocol's table (the test below
// checks the numbers against the names).
const QUERY_CONVERSATIONS: u16 = 200;
const QUERY_CONVERSATION: u16 = 201;
const QUERY_PINNED: u16 = 202;
const DELETE_CONVERSATION: u16 = 204;
const DELETE_ALL_CONVERSATIONS: u16 = 205;
const QUERY_MESSAGES: u16 = 300;
const DELETE_MESSAGES: u16 = 301;
const DELETE_CONVERSATION_MESSAGES: u16 = 302;
const DELETE_ALL_MESSAGES: u16 = 303;
const INSERT: u16 = 320;
const SET_LOCAL_EXTENDED: u16 = 321;
const CANCEL: u16 = 322;

/// The value at `path` (field positions, one per nesting level).
fn at<'a>(v: &'a Value, path: &[usize]) -> &'a Value {
    path.iter().fold(v, |v, &i| crate::conversations::get(v, i))
}

fn uint(v: &Value, path: &[usize]) -> u64 {
    at(v, path).as_u64().unwrap_or(0)
}

fn text(v: &Value, path: &[usize]) -> String {
    at(v, path).as_str().unwrap_or("").to_owned()
}

/// A `MessageRef`'s key: its ID, or its local ID before it has one.
fn key_of(r: &Value) -> u64 {
    match uint(r, &[0]) {
        0 => uint(r, &[1]),
        id => id,
    }
}

/// `{ conversationID, conversationType }`.
fn key(conversation_id: String, conversation_type: u64) -> Value {
    Value::Struct(vec![
        Value::Str(conversation_id),
        Value::Uint(conversation_type),
    ])
}

fn empty() -> Value {
    Value::Struct(Vec::new())
}

impl Client {
    /// Answers method `method` here if it is one the client answers itself.
    pub(super) fn local_call(
        &mut self,
        now: Millis,
        method: u16,
        args: &Value,
    ) -> Option<Result<Reply, ZimError>> {
        // The deletions are the server's unless they are for this device only (the
        // position of their isAlsoDelete... flag).
        let server_flag = match method {
            DELETE_CONVERSATION | DELETE_CONVERSATION_MESSAGES => Some(2),
            DELETE_ALL_CONVERSATIONS | DELETE_ALL_MESSAGES => Some(0),
            DELETE_MESSAGES => Some(3),
            INSERT | SET_LOCAL_EXTENDED | CANCEL => None,
            _ => return None,
        };
        let a = match checked(method, args) {
            Ok(a) => a,
            Err(e) => return Some(Err(e)),
        };
        if server_flag.is_some_and(|i| matches!(at(&a, &[i]), Value::Bool(true))) {
            return None;
        }
        let value = match method {
            INSERT => self.insert(now, &a),
            SET_LOCAL_EXTENDED => {
                self.local
                    .set_extended(key_of(at(&a, &[1])), text(&a, &[0]));
                Ok(empty())
            }
            CANCEL => self.cancel(now, uint(&a, &[0, 1])),
            DELETE_CONVERSATION => {
                let (conv, kind) = (text(&a, &[0]), uint(&a, &[1]));
                let through = self.newest_in(kind as u8, &conv);
                self.local.hide_conversation(kind as u8, &conv, through);
                let told = self.conversations.remove(kind as u8, &conv);
                self.tell(told);
                Ok(key(conv, kind))
            }
            DELETE_ALL_CONVERSATIONS => {
                let through = self.conversations.newest_message();
                self.local.hide_conversation(u8::MAX, "", through);
                let told = self.conversations.remove_all();
                self.tell(told);
                Ok(empty())
            }
            DELETE_MESSAGES => {
                let ids: Vec<u64> = at(&a, &[0]).items().iter().map(key_of).collect();
                self.local.hide_messages(&ids);
                Ok(key(text(&a, &[1]), uint(&a, &[2])))
            }
            DELETE_CONVERSATION_MESSAGES => {
                let (conv, kind) = (text(&a, &[0]), uint(&a, &[1]));
                let through = self.newest_in(kind as u8, &conv);
                self.local.clear(kind as u8, &conv, through);
                Ok(key(conv, kind))
            }
            _ => {
                // DELETE_ALL_MESSAGES
                let through = self.conversations.newest_message();
                self.local.clear(u8::MAX, "", through);
                Ok(empty())
            }
        };
        if method != CANCEL {
            let bytes = self.local.encode();
            self.out.push_back(crate::api::Output::SaveLocal(bytes));
        }
        Some(value.map(|value| Reply::Call { method, value }))
    }

    /// The newest message ID of a conversation this device knows (its messages up to it are
    /// "all of it so far").
    fn newest_in(&self, kind: u8, conv: &str) -> u64 {
        match self.conversations.get(kind, conv) {
            Some(c) => identity(c).2,
            None => self.conversations.newest_message(),
        }
    }

    /// `insertMessageToLocalDB(message, conversationID, conversationType, senderUserID)`.
    fn insert(&mut self, now: Millis, a: &Value) -> Result<Value, ZimError> {
        let kind = uint(a, &[0, 0]) as u8;
        if message_type::is_signal(kind) {
            return Err(ZimError::new(
                code::PARAMS_INVALID,
                "insertMessageToLocalDB: not for signals (command, barrage)",
            ));
        }
        let id = self.rng.next_u64().max(1);
        let conversation_type = uint(a, &[2]) as u8;
        let conversation_id = text(a, &[1]);
        // It sits right after the conversation's newest message known now.
        let order_key = self
            .conversations
            .get(conversation_type, &conversation_id)
            .and_then(last_message)
            .map_or(0, |m| m.order_key);
        let (sub_type, searched_content) = (uint(a, &[0, 3]) as u32, text(a, &[0, 4]));
        let ext = (sub_type != 0 || !searched_content.is_empty()).then(|| MessageExt {
            sub_type,
            searched_content,
            ..MessageExt::default()
        });
        let payload = match at(a, &[0, 1]) {
            Value::Bytes(b) => b.clone(),
            _ => Vec::new(),
        };
        let message = Message {
            message_id: id,
            client_message_id: id,
            conversation_type,
            conversation_id,
            sender_id: text(a, &[3]),
            message_type: kind,
            priority: 1,
            payload,
            extended_data: text(a, &[0, 2]),
            timestamp: now,
            order_key,
            ext,
        };
        self.local.insert(message.clone());
        Ok(Value::Struct(vec![Value::Message(Box::new(message))]))
    }

    /// `cancelSendingMessage(message)`: only a send that was never stored and is not on
    /// its way can be taken back.
    fn cancel(&mut self, now: Millis, local_id: u64) -> Result<Value, ZimError> {
        let Some(pending) = self.outbox.cancel(local_id) else {
            return Err(ZimError::new(
                code::CANCEL_SENDING_MESSAGE_FAILED,
                "the message is sent, on its way, or unknown",
            ));
        };
        self.complete(
            pending.op,
            Err(ZimError::new(
                code::SEND_MESSAGE_FAILED_FOR_CANCELLED,
                "cancelled by the app",
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
        let local = &self.local;
        let hidden = |c: &Value| local.conversation_hidden(identity(c));
        if let Value::Struct(fields) = &mut value {
            match (method, fields.first_mut()) {
                (QUERY_CONVERSATION, Some(c)) if hidden(c) => {
                    return Err(ZimError::new(
                        code::CONVERSATION_DOES_NOT_EXIST,
                        "this device deleted the conversation",
                    ))
                }
                (QUERY_CONVERSATIONS | QUERY_PINNED, Some(Value::List(l))) => {
                    l.retain(|c| !hidden(c))
                }
                (QUERY_MESSAGES, _) => {
                    if let Some(Value::List(l)) = fields.get_mut(2) {
                        l.retain(|v| !matches!(v, Value::Message(m) if local.message_hidden(m)));
                    }
                }
                _ => {}
            }
        }
        Ok(Reply::Call { method, value })
    }
}

#[cfg(test)]
mod tests {
    use tinyim_protocol::rpc::method_named;
    use tinyim_protocol::shape::Shape;

    #[test]
    fn method_numbers_match_the_table() {
        use super::*;
        for (id, name) in [
            (QUERY_CONVERSATIONS, "queryConversationList"),
            (QUERY_CONVERSATION, "queryConversation"),
            (QUERY_PINNED, "queryConversationPinnedList"),
            (DELETE_CONVERSATION, "deleteConversation"),
            (DELETE_ALL_CONVERSATIONS, "deleteAllConversations"),
            (QUERY_MESSAGES, "queryMessages"),
            (DELETE_MESSAGES, "deleteMessages"),
            (DELETE_CONVERSATION_MESSAGES, "deleteAllMessage"),
            (DELETE_ALL_MESSAGES, "deleteAllConversationMessages"),
            (INSERT, "insertMessageToLocalDB"),
            (SET_LOCAL_EXTENDED, "updateMessageLocalExtendedData"),
            (CANCEL, "cancelSendingMessage"),
        ] {
            assert_eq!(method_named(name).unwrap().id, id, "{name}");
        }
    }

    /// The positions `local_call` reads are the fields it means.
    #[test]
    fn argument_positions_match_the_request_structs() {
        let name = |method: &str, path: &[usize]| -> &'static str {
            let mut shape = method_named(method).unwrap().request;
            let mut last = "";
            for &i in path {
                let Shape::Struct(st) = shape else {
                    panic!("{method}")
                };
                last = st.name(i);
                shape = &st.fields[i];
            }
            last
        };
        for (method, path, field) in [
            (
                "deleteConversation",
                &[2][..],
                "is_also_delete_server_conversation",
            ),
            ("deleteAllMessage", &[2], "is_also_delete_server_message"),
            (
                "deleteAllConversations",
                &[0],
                "is_also_delete_server_conversation",
            ),
            (
                "deleteAllConversationMessages",
                &[0],
                "is_also_delete_server_message",
            ),
            ("deleteMessages", &[3], "is_also_delete_server_message"),
            ("deleteMessages", &[0], "message_list"),
            ("deleteMessages", &[1], "conversation_id"),
            ("deleteConversation", &[1], "conversation_type"),
            (
                "updateMessageLocalExtendedData",
                &[0],
                "local_extended_data",
            ),
            (
                "updateMessageLocalExtendedData",
                &[1, 1],
                "local_message_id",
            ),
            ("cancelSendingMessage", &[0, 1], "local_message_id"),
            ("insertMessageToLocalDB", &[0, 0], "message_type"),
            ("insertMessageToLocalDB", &[0, 1], "message"),
            ("insertMessageToLocalDB", &[0, 2], "extended_data"),
            ("insertMessageToLocalDB", &[0, 3], "sub_type"),
            ("insertMessageToLocalDB", &[0, 4], "searched_content"),
            ("insertMessageToLocalDB", &[1], "conversation_id"),
            ("insertMessageToLocalDB", &[2], "conversation_type"),
            ("insertMessageToLocalDB", &[3], "sender_user_id"),
        ] {
            assert_eq!(name(method, path), field, "{method} {path:?}");
        }
    }
}
