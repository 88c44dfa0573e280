//! The primitive encodings every frame is built from.
//!
//! Hand-written rather than generated (protobuf, serde) because this crate is compiled into
//! the wasm SDK, where every dependency costs our users' code budget, and because a tiny
//! format with an exact spec (docs/protocol.md) is easy to implement in any other language.
//!
//! Primitives:
//! - `u8`, `bool`: one byte (`bool` must be 0 or 1).
//! - unsigned integers: LEB128 varint, at most 10 bytes, no overflow.
//! - `String`: varint byte length, then UTF-8 bytes.
//! - `Vec<u8>`: varint byte length, then the bytes.
//! - `Vec<T>`: varint count, then the items.
//!
//! The decoder never panics and never reserves memory on the word of an untrusted length:
//! every length and count is checked against the bytes that remain before anything is
//! reserved, and a list's up-front reservation is capped by those bytes too (see
//! [`decode_list`]). Memory use is therefore proportional to the input; the decoded structs
//! are bigger than their encodings (a `User` takes 2 bytes on the wire and 48 in memory), so
//! the factor is a small constant, not 1.

use std::collections::BTreeMap;

use crate::shape::{Check, Shape};
use crate::DecodeError;

/// A value with a wire encoding.
pub trait Wire: Sized {
    /// What the encoding looks like, for the generic codec ([`crate::value`]).
    const SHAPE: Shape;
    /// The fewest bytes any value of this type encodes to. [`decode_list`] uses it to bound
    /// a list's count by the bytes that remain; list items must have it non-zero.
    const MIN_ENCODED_LEN: usize;
    /// Appends the encoding of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one value, advancing the reader.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

/// A cursor over an input frame.
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    /// Reads one byte.
    pub fn byte(&mut self) -> Result<u8, DecodeError> {
        let (&b, rest) = self.buf.split_first().ok_or(DecodeError::Truncated)?;
        self.buf = rest;
        Ok(b)
    }

    /// Reads exactly `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.buf.len() {
            return Err(DecodeError::Truncated);
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    /// Reads a LEB128 varint.
    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            // The tenth byte may only carry the single top bit of a u64.
            if i == 9 && b > 1 {
                return Err(DecodeError::Overflow);
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Overflow)
    }

    /// Reads a varint length and checks it against what remains, so a lying length cannot
    /// make the decoder reserve memory the frame does not hold.
    pub fn length(&mut self) -> Result<usize, DecodeError> {
        let n = self.varint()?;
        if n > self.buf.len() as u64 {
            return Err(DecodeError::Truncated);
        }
        Ok(n as usize)
    }
}

/// Appends a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

impl Wire for u8 {
    const SHAPE: Shape = Shape::U8;
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.byte()
    }
}

impl Wire for bool {
    const SHAPE: Shape = Shape::Bool;
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::Invalid("bool")),
        }
    }
}

impl Wire for u64 {
    const SHAPE: Shape = Shape::Uint { bits: 64 };
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, *self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.varint()
    }
}

impl Wire for u32 {
    const SHAPE: Shape = Shape::Uint { bits: 32 };
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, u64::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u32::try_from(r.varint()?).map_err(|_| DecodeError::Overflow)
    }
}

impl Wire for u16 {
    const SHAPE: Shape = Shape::Uint { bits: 16 };
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, u64::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u16::try_from(r.varint()?).map_err(|_| DecodeError::Overflow)
    }
}

/// Signed integers are zigzag varints (0, -1, 1, -2 ... as 0, 1, 2, 3 ...), so ZIM's `-1`
/// sentinels take one byte.
impl Wire for i64 {
    const SHAPE: Shape = Shape::Int;
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, zigzag(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(unzigzag(r.varint()?))
    }
}

/// The zigzag mapping of a signed integer onto an unsigned one.
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

impl Wire for String {
    const SHAPE: Shape = Shape::Str(Check::Any);
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u64);
        out.extend_from_slice(self.as_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.length()?;
        let bytes = r.take(n)?;
        core::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::Invalid("utf-8"))
    }
}

/// Raw bytes (`Vec<u8>`) are length-prefixed; lists of structs use [`List`].
impl Wire for Vec<u8> {
    const SHAPE: Shape = Shape::Bytes;
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u64);
        out.extend_from_slice(self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.length()?;
        Ok(r.take(n)?.to_vec())
    }
}

/// Lists of structured items: a count, then the items.
pub fn encode_list<T: Wire>(items: &[T], out: &mut Vec<u8>) {
    put_varint(out, items.len() as u64);
    for item in items {
        item.encode(out);
    }
}

/// Reads a list written by [`encode_list`].
///
/// Two bounds keep a lying count harmless:
/// - `n` items need at least `n * T::MIN_ENCODED_LEN` bytes, so a larger count is
///   `Truncated` at once. This needs items that take at least one byte: a type that can
///   encode to nothing (`Empty`) would let a count of 2^64 pass with no bytes behind it
///   (and a valid list of them could not be bounded at all), so such lists do not compile.
/// - The count is in items but the input is in bytes, and an item in memory is far bigger
///   than its smallest encoding (a `Delivery`: 12 bytes on the wire, 144 in memory). So the
///   up-front reservation is also capped at what the remaining bytes would hold in memory;
///   past that the `Vec` grows only as items are actually decoded. (Before these bounds the
///   count was only checked against the remaining bytes, and a 1 MiB `Push` frame claiming
///   a million deliveries reserved 144 MiB before failing: enough to abort a mini program.)
///
/// A list of items that can encode to nothing is rejected at compile time:
///
/// ```compile_fail
/// use tinyim_protocol::codec::{decode_list, Reader};
/// let _ = decode_list::<tinyim_protocol::Empty>(&mut Reader::new(&[0]));
/// ```
pub fn decode_list<T: Wire>(r: &mut Reader<'_>) -> Result<Vec<T>, DecodeError> {
    #[allow(clippy::let_unit_value)]
    let () = NonEmptyItems::<T>::CHECK;
    let n = r.varint()?;
    let max_items = r.remaining() / T::MIN_ENCODED_LEN;
    if n > max_items as u64 {
        return Err(DecodeError::Truncated);
    }
    let n = n as usize;
    let reserve = n.min(r.remaining() / core::mem::size_of::<T>().max(1));
    let mut items = Vec::with_capacity(reserve);
    for _ in 0..n {
        items.push(T::decode(r)?);
    }
    Ok(items)
}

/// Compile-time check that `T` can be a list item: evaluating `CHECK` for a type whose
/// encoding can be empty fails the build (see [`decode_list`]).
struct NonEmptyItems<T>(core::marker::PhantomData<T>);

impl<T: Wire> NonEmptyItems<T> {
    const CHECK: () = assert!(
        T::MIN_ENCODED_LEN > 0,
        "list items must encode to at least one byte"
    );
}

/// Declares a struct whose wire encoding is its fields in order, with its [`Shape`].
///
/// A field's name in ZIM's JS objects is derived from its Rust name
/// ([`crate::shape::js_name`]); `= "name"` after the type gives it where the rule does not
/// (`pub message_type: u8 = "type"`). `shape = EXPR;` before the struct gives it a shape
/// other than its fields' (the message, whose JS object the binding builds by hand).
macro_rules! wire_struct {
    (
        shape = $shape:expr;
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty ),*
        }

        impl $crate::codec::Wire for $name {
            const SHAPE: $crate::shape::Shape = $shape;
            const MIN_ENCODED_LEN: usize =
                0 $( + <$ty as $crate::codec::Wire>::MIN_ENCODED_LEN )*;
            #[allow(unused_variables)]
            fn encode(&self, out: &mut Vec<u8>) {
                $( $crate::codec::Wire::encode(&self.$field, out); )*
            }
            #[allow(unused_variables)]
            fn decode(r: &mut $crate::codec::Reader<'_>) -> Result<Self, $crate::DecodeError> {
                Ok($name { $( $field: <$ty as $crate::codec::Wire>::decode(r)? ),* })
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty $(= $js:literal)? ),* $(,)?
        }
    ) => {
        $crate::codec::wire_struct! {
            shape = $crate::shape::Shape::Struct(&$crate::shape::Struct {
                names: concat!($( stringify!($field), $("=", $js,)? " ", )*),
                fields: &[ $( <$ty as $crate::codec::Wire>::SHAPE, )* ],
            });
            $(#[$meta])*
            pub struct $name { $( $(#[$fmeta])* pub $field: $ty ),* }
        }
    };
}
pub(crate) use wire_struct;

/// A list of items: used for `Vec<Message>`, `Vec<User>`, ...
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List<T>(pub Vec<T>);

impl<T: Wire> Wire for List<T> {
    const SHAPE: Shape = Shape::List(&T::SHAPE);
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        encode_list(&self.0, out)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        decode_list(r).map(List)
    }
}

impl<T> core::ops::Deref for List<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(v: Vec<T>) -> Self {
        List(v)
    }
}

/// An optional value: `0`, or `1` followed by the value.
impl<T: Wire> Wire for Option<T> {
    const SHAPE: Shape = Shape::Option(&T::SHAPE);
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.encode(out);
            }
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(None),
            1 => T::decode(r).map(Some),
            _ => Err(DecodeError::Invalid("option tag")),
        }
    }
}

/// A string map (ZIM's attributes): a count, then key and value strings, keys ascending.
/// A repeated key is refused, so a map has one encoding.
impl Wire for BTreeMap<String, String> {
    const SHAPE: Shape = Shape::Map;
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u64);
        for (k, v) in self {
            k.encode(out);
            v.encode(out);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.varint()?;
        if n > (r.remaining() / 2) as u64 {
            return Err(DecodeError::Truncated);
        }
        let mut map = BTreeMap::new();
        for _ in 0..n {
            let k = String::decode(r)?;
            let v = String::decode(r)?;
            if map.insert(k, v).is_some() {
                return Err(DecodeError::Invalid("repeated map key"));
            }
        }
        Ok(map)
    }
}

/// Declares string newtypes whose values pass a [`Check`] when decoded (so the server
/// refuses a bad request field in its decoder) and whose [`Shape`] carries the check (so
/// the SDK refuses a bad argument before sending).
macro_rules! checked_strings {
    ( $( $(#[$meta:meta])* $name:ident = $check:expr; )* ) => { $(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub String);

        impl $crate::codec::Wire for $name {
            const SHAPE: $crate::shape::Shape = $crate::shape::Shape::Str($check);
            const MIN_ENCODED_LEN: usize = 1;
            fn encode(&self, out: &mut Vec<u8>) {
                self.0.encode(out)
            }
            fn decode(r: &mut $crate::codec::Reader<'_>) -> Result<Self, $crate::DecodeError> {
                let s = String::decode(r)?;
                let check: $crate::shape::Check = $check;
                check.check(&s).map_err(|_| $crate::DecodeError::Invalid(stringify!($name)))?;
                Ok($name(s))
            }
        }

        impl core::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )* };
}
pub(crate) use checked_strings;
