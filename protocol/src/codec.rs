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
//! The decoder never panics and never allocates more than the input it was given: every
//! length is checked against the bytes that remain before anything is reserved.

use crate::DecodeError;

/// A value with a wire encoding.
pub trait Wire: Sized {
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
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.byte()
    }
}

impl Wire for bool {
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
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, *self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.varint()
    }
}

impl Wire for u32 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, u64::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u32::try_from(r.varint()?).map_err(|_| DecodeError::Overflow)
    }
}

impl Wire for String {
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
    fn encode(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u64);
        out.extend_from_slice(self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.length()?;
        Ok(r.take(n)?.to_vec())
    }
}

/// Lists of structured items: a count, then the items. The count is bounded by the bytes
/// that remain (every item takes at least one), so capacity is never reserved blindly.
pub fn encode_list<T: Wire>(items: &[T], out: &mut Vec<u8>) {
    put_varint(out, items.len() as u64);
    for item in items {
        item.encode(out);
    }
}

/// Reads a list written by [`encode_list`].
pub fn decode_list<T: Wire>(r: &mut Reader<'_>) -> Result<Vec<T>, DecodeError> {
    let n = r.length()?;
    let mut items = Vec::with_capacity(n);
    for _ in 0..n {
        items.push(T::decode(r)?);
    }
    Ok(items)
}

/// Declares a struct whose wire encoding is its fields in order.
macro_rules! wire_struct {
    (
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
}
pub(crate) use wire_struct;

/// A list of items: used for `Vec<Message>`, `Vec<User>`, ...
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List<T>(pub Vec<T>);

impl<T: Wire> Wire for List<T> {
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
