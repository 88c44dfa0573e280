//! Argument checks done before anything is sent (ZIM-API.md §6), failing with 6000001.
//!
//! The server checks the same limits again, but checking here lets the app learn what is
//! wrong without a round trip, with a message that says how to fix it, and keeps oversized
//! frames off the network. The limits themselves come from [`tinyim_protocol::limits`] so
//! the SDK and the server cannot disagree.

use crate::api::ZimError;
use tinyim_protocol::{code, conversation_type, limits, message_type};

fn invalid(message: &'static str) -> ZimError {
    ZimError::new(code::PARAMS_INVALID, message)
}

const USER_ID_RULE: &str = "userID must be 1-32 bytes of digits, English letters and \
                            ~!@#$%^&*()_+=-`;',.<>/\\";

/// A user ID (the caller's or a peer's).
pub(crate) fn user_id(id: &str) -> Result<(), ZimError> {
    if limits::is_valid_user_id(id) {
        Ok(())
    } else {
        Err(invalid(USER_ID_RULE))
    }
}

/// `login(userInfo, token)`.
pub(crate) fn login(user_id: &str, user_name: &str, token: &str) -> Result<(), ZimError> {
    self::user_id(user_id)?;
    if user_name.len() > limits::MAX_USER_NAME_LEN {
        return Err(invalid("userName must be at most 32 bytes"));
    }
    self::token(token)
}

/// A token for `login` or `renewToken`.
pub(crate) fn token(token: &str) -> Result<(), ZimError> {
    if token.is_empty() || token.len() > limits::MAX_TOKEN_LEN {
        return Err(invalid(
            "token must be a non-empty Token04 string of at most 4096 bytes",
        ));
    }
    Ok(())
}

/// A room ID: ZIM allows up to 128 bytes of the same characters as user IDs.
pub(crate) fn room_id(id: &str) -> Result<(), ZimError> {
    if limits::is_valid_room_id(id) {
        Ok(())
    } else {
        Err(invalid(
            "roomID must be 1-128 bytes of digits, English letters and \
             ~!@#$%^&*()_+=-`;',.<>/\\",
        ))
    }
}

/// A room name for create/enter.
pub(crate) fn room_name(name: &str) -> Result<(), ZimError> {
    if name.len() > limits::MAX_ROOM_NAME_LEN {
        return Err(invalid("roomName must be at most 64 bytes"));
    }
    Ok(())
}

/// A conversation target: a user ID for peers, a room ID for rooms, a group ID for groups.
pub(crate) fn conversation(kind: u8, id: &str) -> Result<(), ZimError> {
    match kind {
        conversation_type::PEER => user_id(id),
        conversation_type::ROOM => room_id(id),
        conversation_type::GROUP if limits::is_valid_group_id(id) => Ok(()),
        conversation_type::GROUP => Err(invalid(
            "groupID must be 1-32 bytes of digits, English letters and \
             ~!@#$%^&*()_+=-`;',.<>/\\",
        )),
        _ => Err(invalid(
            "conversationType must be 0 (peer), 1 (room) or 2 (group)",
        )),
    }
}

/// `sendMessage` and friends.
pub(crate) fn send(
    conversation_kind: u8,
    to: &str,
    kind: u8,
    payload: &[u8],
    extended_data: &str,
) -> Result<(), ZimError> {
    conversation(conversation_kind, to)?;
    match kind {
        message_type::TEXT | message_type::CUSTOM => {
            if payload.len() > limits::MAX_TEXT_LEN {
                return Err(invalid("text must be at most 32 KB of UTF-8"));
            }
            if core::str::from_utf8(payload).is_err() {
                return Err(invalid("text must be valid UTF-8"));
            }
        }
        message_type::COMMAND | message_type::BARRAGE => {
            if payload.len() > limits::MAX_COMMAND_LEN {
                return Err(invalid("command or barrage must be at most 5 KB"));
            }
        }
        k if message_type::is_media(k) => {
            media(payload)?;
        }
        _ => {
            return Err(invalid(
                "message type must be 1 (text), 2 (command), 11-14 (media), 20 (barrage) or 200 \
             (custom)",
            ))
        }
    }
    if extended_data.len() > limits::MAX_EXTENDED_DATA_LEN {
        return Err(invalid("extendedData must be at most 1024 bytes"));
    }
    Ok(())
}

/// A media message's payload: an encoded `Media` (by the generic decoder, which the binding
/// has anyway; the typed one would add its code) with a download URL.
fn media(payload: &[u8]) -> Result<(), ZimError> {
    use tinyim_protocol::{codec::Wire, value, Media};
    if payload.len() > limits::MAX_MEDIA_PAYLOAD_LEN {
        return Err(invalid(
            "a media message's fields must be at most 4 KB in all",
        ));
    }
    let v =
        value::decode_all(payload, &Media::SHAPE).map_err(|_| invalid("not a media message"))?;
    match value::get(&v, &Media::SHAPE, "file_download_url").and_then(|u| u.as_str()) {
        Some(url) if !url.is_empty() => Ok(()),
        _ => Err(invalid(
            "fileDownloadUrl is empty: upload the file or give its URL",
        )),
    }
}

/// A send's extension: a receipt request, a custom message's searchedContent.
pub(crate) fn send_ext(ext: &Option<tinyim_protocol::MessageExt>) -> Result<(), ZimError> {
    match ext {
        Some(e) if e.searched_content.len() > limits::MAX_EXTENDED_DATA_LEN => {
            Err(invalid("searchedContent must be at most 1024 bytes"))
        }
        _ => Ok(()),
    }
}

/// A page size for member lists and history: 1-100.
pub(crate) fn page_count(count: u32) -> Result<(), ZimError> {
    if count == 0 || count > limits::MAX_PAGE_COUNT {
        return Err(invalid("count must be 1-100"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_sizes() {
        assert!(user_id("alice_01").is_ok());
        assert!(user_id("").is_err());
        assert!(user_id("a b").is_err());
        assert!(user_id(&"a".repeat(33)).is_err());
        assert!(room_id(&"r".repeat(128)).is_ok());
        assert!(room_id(&"r".repeat(129)).is_err());
        let text = vec![b'x'; 32 * 1024];
        assert!(send(0, "bob", 1, &text, "").is_ok());
        assert!(send(0, "bob", 1, &[b'x'; 32 * 1024 + 1], "").is_err());
        assert!(send(0, "bob", 2, &[0; 5 * 1024], "").is_ok());
        assert!(send(0, "bob", 2, &[0; 5 * 1024 + 1], "").is_err());
        assert!(send(0, "bob", 1, &[0xff], "").is_err());
        assert!(send(2, "team", 1, b"hi", "").is_ok());
        assert!(send(3, "bob", 1, b"hi", "").is_err());
        assert!(send(0, "bob", 9, b"hi", "").is_err());
        assert!(send(1, "room", 20, &[b'x'; 5 * 1024], "").is_ok());
        assert!(send(0, "bob", 200, b"{}", "").is_ok());
        assert!(page_count(0).is_err() && page_count(101).is_err() && page_count(100).is_ok());
    }

    #[test]
    fn media_payloads() {
        use tinyim_protocol::codec::Wire;
        let encode = |m: &tinyim_protocol::Media| {
            let mut out = Vec::new();
            m.encode(&mut out);
            out
        };
        let mut m = tinyim_protocol::Media {
            file_download_url: "https://x/files/1/ab".into(),
            file_size: 10,
            ..Default::default()
        };
        for kind in 11..=14 {
            assert!(send(0, "bob", kind, &encode(&m), "").is_ok());
            assert!(send(2, "team", kind, &encode(&m), "").is_ok());
        }
        assert!(send(0, "bob", 11, b"not media", "").is_err());
        let mut trailing = encode(&m);
        trailing.push(0);
        assert!(send(0, "bob", 11, &trailing, "").is_err());
        m.file_name = "n".repeat(4096);
        assert!(send(0, "bob", 12, &encode(&m), "").is_err(), "over 4 KB");
        m.file_name.clear();
        m.file_download_url.clear();
        assert!(send(0, "bob", 12, &encode(&m), "").is_err(), "no URL");
        assert!(tinyim_protocol::Media::check(&encode(&m)).is_err());
    }
}
