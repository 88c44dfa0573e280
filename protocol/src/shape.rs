//! Shapes: a description of every wire type, derived from the type itself.
//!
//! Every [`crate::codec::Wire`] type has a `const SHAPE`, which `wire_struct!` builds from
//! the struct's fields (names included). The shape is what lets the SDK core handle ZIM's
//! ~130 request/response methods without a line of code per method: the core encodes an
//! app's arguments and decodes the server's answer by walking the method's shapes
//! ([`crate::value`]), and the wasm binding turns them into ZIM-named JS objects. Only the
//! server works with the typed structs. One definition, so the two sides cannot drift (the
//! protocol's tests check that the generic and the typed codecs agree for every method).
//!
//! A shape also carries the [`Check`] its strings must pass, so argument validation is
//! declared once, on the type, and enforced in both places: the SDK refuses a bad argument
//! with 6000001 before sending, and the server's typed decoder refuses it again.

use crate::limits;

/// How a string is checked where it enters (app arguments in the SDK, request fields on
/// the server). Strings decoded from the server's answers are not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Any UTF-8 string (the frame size bounds it).
    Any,
    /// At most this many bytes.
    MaxLen(u32),
    /// An ID under ZIM's rule: 1 to `max` bytes of digits, English letters and
    /// [`limits::ID_PUNCTUATION`]; with `empty_ok`, also the empty string (ZIM's "let the
    /// server choose", e.g. `createGroup` without a group ID).
    Id { max: u32, empty_ok: bool },
}

impl Check {
    /// `Ok` if `s` passes; otherwise what is wrong, for the error message.
    pub fn check(&self, s: &str) -> Result<(), &'static str> {
        match *self {
            Check::Any => Ok(()),
            Check::MaxLen(max) if s.len() > max as usize => Err("is too long"),
            Check::MaxLen(_) => Ok(()),
            Check::Id { empty_ok: true, .. } if s.is_empty() => Ok(()),
            Check::Id { max, .. } if !limits::is_valid_id(s, max as usize) => {
                Err("is not a valid ID (digits, English letters and ZIM's ID punctuation, within its length limit)")
            }
            Check::Id { .. } => Ok(()),
        }
    }
}

/// The shape of a wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `bool`: one byte, 0 or 1.
    Bool,
    /// `u8`: one byte (ZIM's small enums).
    U8,
    /// `u16`, `u32`, `u64`: an unsigned varint of at most `max`; a number in JS.
    Uint { max: u64 },
    /// `i64`: a zigzag varint; a number in JS (ZIM's `-1` sentinels, signed times).
    Int,
    /// A `u64` ID that can pass 2^53: a varint on the wire, a decimal string in JS.
    Id,
    /// A string, with the check it must pass on the way in.
    Str(Check),
    /// Raw bytes (`Vec<u8>`); a `Uint8Array` in JS.
    Bytes,
    /// A list of items.
    List(&'static Shape),
    /// An optional value: a presence byte, then the value; `null` / `undefined` in JS.
    Option(&'static Shape),
    /// A string-to-string map (ZIM's attributes, `Record<string, string>`): a list of
    /// key/value pairs on the wire, an object in JS.
    Map,
    /// A struct: its fields in order.
    Struct(&'static [Field]),
    /// A [`crate::Message`]. Messages get a hand-written conversion on each side because
    /// ZIM's message objects depend on the reader (`direction`) and the message type
    /// (text as a string, command bytes as a `Uint8Array`).
    Message,
}

/// One field of a struct shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The Rust field name (`group_id`).
    pub name: &'static str,
    /// The name in ZIM's JS objects when [`js_name`] does not derive it ("" = derive).
    pub js: &'static str,
    pub shape: Shape,
}

impl Field {
    /// The field's name in ZIM's JS objects.
    pub fn js_name(&self) -> String {
        if self.js.is_empty() {
            js_name(self.name)
        } else {
            self.js.to_owned()
        }
    }
}

/// ZIM's JS name for a Rust field name: lower camel case, with ZIM's spelling of IDs
/// (`group_id` -> `groupID`, `user_ids` -> `userIDs`, `user_avatar_url` -> `userAvatarUrl`).
pub fn js_name(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    for (i, word) in snake.split('_').enumerate() {
        match word {
            "id" if i > 0 => out.push_str("ID"),
            "ids" if i > 0 => out.push_str("IDs"),
            _ => {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    if i == 0 {
                        out.push(first);
                    } else {
                        out.push(first.to_ascii_uppercase());
                    }
                    out.extend(chars);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_names_follow_zim() {
        assert_eq!(js_name("group_id"), "groupID");
        assert_eq!(js_name("user_ids"), "userIDs");
        assert_eq!(js_name("user_avatar_url"), "userAvatarUrl");
        assert_eq!(js_name("next_flag"), "nextFlag");
        assert_eq!(js_name("count"), "count");
        assert_eq!(js_name("is_pinned"), "isPinned");
        assert_eq!(js_name("id"), "id");
    }

    #[test]
    fn checks() {
        let id = Check::Id {
            max: 4,
            empty_ok: false,
        };
        assert!(id.check("ab_1").is_ok());
        assert!(id.check("").is_err());
        assert!(id.check("abcde").is_err());
        assert!(id.check("a b").is_err());
        let maybe = Check::Id {
            max: 4,
            empty_ok: true,
        };
        assert!(maybe.check("").is_ok());
        assert!(Check::MaxLen(3).check("abc").is_ok());
        assert!(Check::MaxLen(3).check("abcd").is_err());
    }
}
