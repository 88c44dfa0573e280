//! The generic codec: any wire value as a [`Value`] tree, encoded and decoded by its
//! [`Shape`].
//!
//! The SDK core uses this for ZIM's request/response methods ([`crate::rpc`]) so that it
//! needs no code per method: the binding turns the app's JS arguments into a `Value`
//! (guided by the shape's field names), [`encode`] checks and encodes it exactly as the
//! typed struct would be encoded, and [`decode`] turns the server's answer back into a
//! `Value` for the binding to shape as a JS object. The typed structs stay the server's.
//!
//! Encoding is lenient where JS is: a missing value (`Nil`) is the type's zero (`0`, `""`,
//! `false`, empty list, absent option), and a JS number may stand for any integer it
//! represents exactly. Anything else that does not fit is a [`FieldError`] naming the field.

use crate::codec::{put_varint, zigzag, Reader, Wire};
use crate::shape::Shape;
use crate::{DecodeError, Message};

/// A value of some shape. Structs are positional (their field names live in the shape).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Absent (`null` / `undefined` in JS): the zero of the expected type.
    Nil,
    Bool(bool),
    /// An unsigned integer decoded from the wire.
    Uint(u64),
    /// A signed integer decoded from the wire.
    Int(i64),
    /// A number from JS, converted to the expected integer type when encoded.
    Num(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Struct(Vec<Value>),
    Map(Vec<(String, String)>),
    Message(Box<Message>),
    /// A JS value no shape accepts (a function, a symbol): always an error when encoded.
    Invalid,
}

/// Why a value does not fit its shape: `field` is the path to it (`group_info.group_id`;
/// empty for the top level), `problem` what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: &'static str,
}

impl FieldError {
    fn new(problem: &'static str) -> Self {
        FieldError {
            field: String::new(),
            problem,
        }
    }

    fn within(mut self, name: &str) -> Self {
        self.field = if self.field.is_empty() {
            name.to_owned()
        } else {
            format!("{name}.{}", self.field)
        };
        self
    }
}

/// Appends the encoding of `v` as shape `shape`, checking strings as the shape says.
pub fn encode(v: &Value, shape: &Shape, out: &mut Vec<u8>) -> Result<(), FieldError> {
    if matches!(v, Value::Invalid) {
        return Err(FieldError::new("has a type no argument accepts"));
    }
    match shape {
        Shape::Bool => match v {
            Value::Nil => out.push(0),
            Value::Bool(b) => out.push(*b as u8),
            _ => return Err(FieldError::new("must be a boolean")),
        },
        Shape::U8 => {
            let n = unsigned(v)?;
            out.push(u8::try_from(n).map_err(|_| FieldError::new("must be 0 to 255"))?);
        }
        Shape::Uint { bits } => {
            let n = unsigned(v)?;
            if n > max_of(*bits) {
                return Err(FieldError::new("is too large"));
            }
            put_varint(out, n)
        }
        Shape::Int => put_varint(out, zigzag(signed(v)?)),
        Shape::Id => match v {
            Value::Str(s) if s.is_empty() => put_varint(out, 0),
            Value::Str(s) => put_varint(
                out,
                s.parse::<u64>()
                    .map_err(|_| FieldError::new("must be a decimal ID string"))?,
            ),
            other => put_varint(out, unsigned(other)?),
        },
        Shape::Str(check) => {
            let s = match v {
                Value::Nil => "",
                Value::Str(s) => s.as_str(),
                _ => return Err(FieldError::new("must be a string")),
            };
            check.check(s).map_err(FieldError::new)?;
            put_varint(out, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
        Shape::Bytes => {
            let b: &[u8] = match v {
                Value::Nil => &[],
                Value::Bytes(b) => b,
                Value::Str(s) => s.as_bytes(),
                _ => return Err(FieldError::new("must be bytes")),
            };
            put_varint(out, b.len() as u64);
            out.extend_from_slice(b);
        }
        Shape::List(item) => {
            let items: &[Value] = match v {
                Value::Nil => &[],
                Value::List(items) => items,
                _ => return Err(FieldError::new("must be an array")),
            };
            put_varint(out, items.len() as u64);
            for (i, x) in items.iter().enumerate() {
                encode(x, item, out).map_err(|e| e.within(&format!("[{i}]")))?;
            }
        }
        Shape::Option(inner) => match v {
            Value::Nil => out.push(0),
            v => {
                out.push(1);
                encode(v, inner, out)?;
            }
        },
        Shape::Map => {
            let mut pairs: Vec<&(String, String)> = match v {
                Value::Nil => Vec::new(),
                Value::Map(pairs) => pairs.iter().collect(),
                _ => return Err(FieldError::new("must be an object of strings")),
            };
            // Keys ascending, as the typed encoder writes them. An insertion sort: maps are
            // small (ZIM's attributes), and the library's sorts cost kilobytes of wasm.
            for i in 1..pairs.len() {
                let mut j = i;
                while j > 0 && pairs[j - 1].0 > pairs[j].0 {
                    pairs.swap(j - 1, j);
                    j -= 1;
                }
            }
            if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(FieldError::new("has a repeated key"));
            }
            put_varint(out, pairs.len() as u64);
            for (k, val) in pairs {
                put_varint(out, k.len() as u64);
                out.extend_from_slice(k.as_bytes());
                put_varint(out, val.len() as u64);
                out.extend_from_slice(val.as_bytes());
            }
        }
        Shape::Struct(st) => {
            let values: &[Value] = match v {
                Value::Nil => &[],
                Value::Struct(values) => values,
                _ => return Err(FieldError::new("must be an object")),
            };
            for (i, shape) in st.fields.iter().enumerate() {
                let x = values.get(i).unwrap_or(&Value::Nil);
                encode(x, shape, out).map_err(|e| e.within(st.name(i)))?;
            }
        }
        Shape::Message => match v {
            Value::Message(m) => m.encode(out),
            Value::Nil => Message::default().encode(out),
            _ => return Err(FieldError::new("must be a message")),
        },
    }
    Ok(())
}

/// The largest unsigned integer of `bits` bits.
fn max_of(bits: u8) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    }
}

fn unsigned(v: &Value) -> Result<u64, FieldError> {
    match *v {
        Value::Nil => Ok(0),
        Value::Uint(n) => Ok(n),
        Value::Bool(b) => Ok(b as u64),
        Value::Int(n) => u64::try_from(n).map_err(|_| FieldError::new("must not be negative")),
        // 2^64 as f64 is exact; anything at or above it does not fit.
        Value::Num(x) if x.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&x) => {
            Ok(x as u64)
        }
        Value::Num(_) => Err(FieldError::new("must be a non-negative integer")),
        _ => Err(FieldError::new("must be a number")),
    }
}

fn signed(v: &Value) -> Result<i64, FieldError> {
    match *v {
        Value::Nil => Ok(0),
        Value::Int(n) => Ok(n),
        Value::Uint(n) => i64::try_from(n).map_err(|_| FieldError::new("is too large")),
        Value::Bool(b) => Ok(b as i64),
        Value::Num(x)
            if x.fract() == 0.0
                && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) =>
        {
            Ok(x as i64)
        }
        Value::Num(_) => Err(FieldError::new("must be an integer")),
        _ => Err(FieldError::new("must be a number")),
    }
}

/// Reads one value of shape `shape`. Strings are not checked (this reads the server's
/// answers); everything else is decoded as strictly as the typed decoder does.
pub fn decode(r: &mut Reader<'_>, shape: &Shape) -> Result<Value, DecodeError> {
    Ok(match shape {
        Shape::Bool => Value::Bool(bool::decode(r)?),
        Shape::U8 => Value::Uint(u64::from(r.byte()?)),
        Shape::Uint { bits } => {
            let n = r.varint()?;
            if n > max_of(*bits) {
                return Err(DecodeError::Overflow);
            }
            Value::Uint(n)
        }
        Shape::Id => Value::Uint(r.varint()?),
        Shape::Int => Value::Int(i64::decode(r)?),
        Shape::Str(_) => Value::Str(String::decode(r)?),
        Shape::Bytes => Value::Bytes(Vec::<u8>::decode(r)?),
        Shape::List(item) => {
            let n = r.varint()?;
            // Every item takes at least one byte (a struct of no fields cannot be a list
            // item), so the count is bounded by what remains, and so is the reservation.
            if n > r.remaining() as u64 {
                return Err(DecodeError::Truncated);
            }
            let mut items = Vec::with_capacity((n as usize).min(r.remaining() / 16));
            for _ in 0..n {
                items.push(decode(r, item)?);
            }
            Value::List(items)
        }
        Shape::Option(inner) => match r.byte()? {
            0 => Value::Nil,
            1 => decode(r, inner)?,
            _ => return Err(DecodeError::Invalid("option tag")),
        },
        Shape::Map => {
            let n = r.varint()?;
            if n > (r.remaining() / 2) as u64 {
                return Err(DecodeError::Truncated);
            }
            let mut pairs = Vec::with_capacity(n as usize);
            for _ in 0..n {
                pairs.push((String::decode(r)?, String::decode(r)?));
            }
            Value::Map(pairs)
        }
        Shape::Struct(st) => {
            let mut values = Vec::with_capacity(st.fields.len());
            for shape in st.fields {
                values.push(decode(r, shape)?);
            }
            Value::Struct(values)
        }
        Shape::Message => Value::Message(Box::new(Message::decode(r)?)),
    })
}

/// Decodes a whole buffer as one value of shape `shape` (no bytes may be left).
pub fn decode_all(buf: &[u8], shape: &Shape) -> Result<Value, DecodeError> {
    let mut r = Reader::new(buf);
    let v = decode(&mut r, shape)?;
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes);
    }
    Ok(v)
}

/// The part of `v` (a value of `shape`) at `path`: Rust field names and list indexes
/// separated by dots (`self_user_info.user_full_info.base_info.user_name`,
/// `user_list.0.base_info`). `None` if the path does not lead anywhere.
pub fn get<'a>(v: &'a Value, shape: &Shape, path: &str) -> Option<&'a Value> {
    let mut v = v;
    let mut shape = *shape;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        while let Shape::Option(inner) = shape {
            shape = *inner;
        }
        match (shape, v) {
            (Shape::Struct(st), Value::Struct(values)) => {
                let i = st.position(part)?;
                v = values.get(i)?;
                shape = st.fields[i];
            }
            (Shape::List(item), Value::List(items)) => {
                v = items.get(part.parse::<usize>().ok()?)?;
                shape = *item;
            }
            _ => return None,
        }
    }
    Some(v)
}

impl Value {
    /// The string this value holds, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The unsigned integer this value holds, if it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Uint(n) => Some(*n),
            _ => None,
        }
    }

    /// The items of a list value (none for anything else).
    pub fn items(&self) -> &[Value] {
        match self {
            Value::List(items) => items,
            _ => &[],
        }
    }
}
