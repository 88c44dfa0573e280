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
    MaxLen(u16),
    /// An ID under ZIM's rule: 1 to `max` bytes of digits, English letters and
    /// [`limits::ID_PUNCTUATION`].
    Id { max: u8 },
    /// The same, or the empty string (ZIM's "let the server choose", e.g. `createGroup`
    /// without a group ID).
    IdOrEmpty { max: u8 },
}

impl Check {
    /// `Ok` if `s` passes; otherwise what is wrong, for the error message.
    pub fn check(&self, s: &str) -> Result<(), &'static str> {
        match *self {
            Check::Any => Ok(()),
            Check::MaxLen(max) if s.len() > usize::from(max) => Err("is too long"),
            Check::MaxLen(_) => Ok(()),
            Check::IdOrEmpty { .. } if s.is_empty() => Ok(()),
            Check::Id { max } | Check::IdOrEmpty { max }
                if !limits::is_valid_id(s, usize::from(max)) =>
            {
                Err("is not a valid ID (digits, English letters and ZIM's ID punctuation, within its length limit)")
            }
            Check::Id { .. } | Check::IdOrEmpty { .. } => Ok(()),
        }
    }
}

/// The shape of a wire type. Kept small (8 bytes on wasm32): there is one per field of
/// every request and response struct in the SDK's wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `bool`: one byte, 0 or 1.
    Bool,
    /// `u8`: one byte (ZIM's small enums).
    U8,
    /// `u16`, `u32`, `u64`: an unsigned varint of at most `bits` bits; a number in JS.
    Uint { bits: u8 },
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
    Struct(&'static Struct),
    /// A [`crate::Message`]. Messages get a hand-written conversion on each side because
    /// ZIM's message objects depend on the reader (`direction`) and the message type
    /// (text as a string, command bytes as a `Uint8Array`).
    Message,
}

/// The fields of a struct shape.
#[derive(Debug, PartialEq, Eq)]
pub struct Struct {
    /// The field names, space-separated, in order: the Rust name, then `=name` where the
    /// name in ZIM's JS objects is not derived from it by [`js_name`]
    /// (`"message_type=type user_id"`). One string per struct rather than one per field,
    /// because the SDK's wasm carries every one of them.
    pub names: &'static str,
    /// The fields' shapes, in order.
    pub fields: &'static [Shape],
}

impl Struct {
    /// The Rust name of each field, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        self.names
            .split(' ')
            .filter(|n| !n.is_empty())
            .map(|n| n.split('=').next().unwrap_or(n))
    }

    /// The Rust name of field `i` ("" if there is none).
    pub fn name(&self, i: usize) -> &'static str {
        self.names().nth(i).unwrap_or("")
    }

    /// Field `i`'s entry in [`Struct::names`]: its Rust name, with `=name` if it has one.
    /// Its address identifies the field's name: equal addresses hold equal names, even
    /// where the compiler merged two structs' name strings.
    pub fn token(&self, i: usize) -> &'static str {
        self.names
            .split(' ')
            .filter(|n| !n.is_empty())
            .nth(i)
            .unwrap_or("")
    }

    /// The name of field `i` in ZIM's JS objects.
    pub fn js_name(&self, i: usize) -> String {
        let token = self.token(i);
        match token.split_once('=') {
            Some((_, js)) => js.to_owned(),
            None => js_name(token),
        }
    }

    /// The index of the field with Rust name `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names().position(|n| n == name)
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
    fn shapes_stay_small() {
        // Eight bytes on wasm32 (pointers are 4 bytes there), sixteen on 64-bit hosts.
        assert!(core::mem::size_of::<Shape>() <= 2 * core::mem::size_of::<usize>());
    }

    #[test]
    fn struct_names() {
        let s = Struct {
            names: "message_type=type user_id ",
            fields: &[Shape::U8, Shape::Str(Check::Any)],
        };
        assert_eq!(s.names().collect::<Vec<_>>(), ["message_type", "user_id"]);
        assert_eq!(s.js_name(0), "type");
        assert_eq!(s.js_name(1), "userID");
        assert_eq!(s.position("user_id"), Some(1));
        assert_eq!(s.name(5), "");
    }

    #[test]
    fn checks() {
        let id = Check::Id { max: 4 };
        assert!(id.check("ab_1").is_ok());
        assert!(id.check("").is_err());
        assert!(id.check("abcde").is_err());
        assert!(id.check("a b").is_err());
        let maybe = Check::IdOrEmpty { max: 4 };
        assert!(maybe.check("").is_ok());
        assert!(Check::MaxLen(3).check("abc").is_ok());
        assert!(Check::MaxLen(3).check("abcd").is_err());
    }
}
