//! The generic codec (the SDK's) and the typed structs (the server's) agree on every method
//! and notice of the tables: a random value of each shape, encoded generically, decodes
//! with the typed decoder, re-encodes to the same bytes, and decodes generically to the
//! same value. So a method added to the table is checked without a test of its own.

use tinyim_protocol::codec::Reader;
use tinyim_protocol::rpc::{Notice, Request, Response, METHODS, NOTICES};
use tinyim_protocol::shape::{Check, Shape};
use tinyim_protocol::value::{self, Value};
use tinyim_protocol::{limits, Message};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A random string that passes `check`.
fn string(rng: &mut Rng, check: Check) -> String {
    let (max, alphabet): (u64, &[u8]) = match check {
        Check::Id { max } | Check::IdOrEmpty { max } => (u64::from(max), b"abcXYZ019_@.-"),
        Check::MaxLen(max) => (u64::from(max).min(12), b"ab z"),
        Check::Any => (12, b"hello, world"),
    };
    let min = matches!(check, Check::Id { .. }) as u64;
    let len = min + rng.below(max.min(12) + 1 - min);
    let s: String = (0..len)
        .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize] as char)
        .filter(|c| c.is_ascii())
        .collect();
    if s.is_empty() && min == 1 {
        "a".into()
    } else {
        s
    }
}

/// A random value of `shape`, as the decoder would produce it.
fn random(rng: &mut Rng, shape: &Shape) -> Value {
    match shape {
        Shape::Bool => Value::Bool(rng.below(2) == 1),
        Shape::U8 => Value::Uint(rng.below(256)),
        Shape::Uint { bits } => Value::Uint((rng.next() >> rng.below(64)) >> (64 - *bits)),
        Shape::Id => Value::Uint(rng.next() >> rng.below(64)),
        Shape::Int => Value::Int((rng.next() as i64) >> rng.below(64)),
        Shape::Str(check) => Value::Str(string(rng, *check)),
        Shape::Bytes => Value::Bytes((0..rng.below(5)).map(|_| rng.next() as u8).collect()),
        Shape::List(item) => Value::List((0..rng.below(4)).map(|_| random(rng, item)).collect()),
        Shape::Option(inner) => {
            if rng.below(2) == 0 {
                Value::Nil
            } else {
                random(rng, inner)
            }
        }
        Shape::Map => {
            let mut pairs: Vec<(String, String)> = (0..rng.below(4))
                .map(|i| (format!("k{i}"), string(rng, Check::Any)))
                .collect();
            pairs.sort();
            Value::Map(pairs)
        }
        Shape::Struct(st) => Value::Struct(st.fields.iter().map(|f| random(rng, f)).collect()),
        Shape::Message => Value::Message(Box::new(Message {
            message_id: rng.next(),
            conversation_id: string(rng, Check::Any),
            payload: b"hi".to_vec(),
            ..Message::default()
        })),
    }
}

fn generic(v: &Value, shape: &Shape) -> Vec<u8> {
    let mut out = Vec::new();
    value::encode(v, shape, &mut out).unwrap_or_else(|e| panic!("{e:?} for {v:?}"));
    out
}

fn back(bytes: &[u8], shape: &Shape) -> Value {
    let mut r = Reader::new(bytes);
    let v = value::decode(&mut r, shape).unwrap();
    assert_eq!(r.remaining(), 0);
    v
}

#[test]
fn every_method_agrees_with_its_typed_structs() {
    let mut rng = Rng(7);
    for m in METHODS {
        for _ in 0..50 {
            let args = random(&mut rng, m.request);
            let bytes = generic(&args, m.request);
            let typed = Request::decode(m.id, &bytes)
                .unwrap_or_else(|e| panic!("{}: typed decode failed: {e:?}", m.name));
            assert_eq!(typed.method(), m.id);
            assert_eq!(typed.encode_args(), bytes, "{}", m.name);
            assert_eq!(back(&bytes, m.request), args, "{}", m.name);

            let body = random(&mut rng, m.response);
            let bytes = generic(&body, m.response);
            let typed = Response::decode(m.id, &bytes).unwrap();
            assert_eq!(typed.encode_body(), bytes, "{}", m.name);
            assert_eq!(back(&bytes, m.response), body, "{}", m.name);
        }
    }
}

#[test]
fn every_notice_agrees_with_its_typed_struct() {
    let mut rng = Rng(11);
    for n in NOTICES {
        for _ in 0..50 {
            let v = random(&mut rng, n.shape);
            let bytes = generic(&v, n.shape);
            let typed = Notice::decode(n.id, &bytes).unwrap();
            assert_eq!(typed.encode_body(), bytes, "{}", n.name);
            assert_eq!(back(&bytes, n.shape), v, "{}", n.name);
        }
    }
}

#[test]
fn ids_and_names_are_unique() {
    for (i, a) in METHODS.iter().enumerate() {
        for b in &METHODS[i + 1..] {
            assert_ne!(a.id, b.id, "{} and {}", a.name, b.name);
            assert_ne!(a.name, b.name);
        }
    }
    for (i, a) in NOTICES.iter().enumerate() {
        for b in &NOTICES[i + 1..] {
            assert_ne!(a.id, b.id, "{} and {}", a.name, b.name);
            assert_ne!(a.name, b.name);
        }
    }
}

#[test]
fn checks_are_enforced_both_ways() {
    let m = tinyim_protocol::rpc::method_named("queryUsersInfo").unwrap();
    let bad_id = "x".repeat(limits::MAX_USER_ID_LEN + 1);
    let args = Value::Struct(vec![
        Value::List(vec![Value::Str(bad_id.clone())]),
        Value::Nil,
    ]);
    let err = value::encode(&args, m.request, &mut Vec::new()).unwrap_err();
    assert_eq!(err.field, "user_ids.[0]");
    // The same bytes built by hand are refused by the typed (server) decoder.
    let mut raw = vec![1, bad_id.len() as u8];
    raw.extend_from_slice(bad_id.as_bytes());
    raw.push(0);
    assert!(Request::decode(m.id, &raw).is_err());
}

#[test]
fn js_numbers_encode_as_the_integers_they_are() {
    let mut out = Vec::new();
    let u32_shape = <u32 as tinyim_protocol::codec::Wire>::SHAPE;
    value::encode(&Value::Num(300.0), &u32_shape, &mut out).unwrap();
    assert_eq!(out, [0xac, 0x02]);
    for bad in [1.5, -1.0, f64::NAN, 4_294_967_296.0] {
        assert!(value::encode(&Value::Num(bad), &u32_shape, &mut Vec::new()).is_err());
    }
    let mut out = Vec::new();
    value::encode(&Value::Num(-1.0), &Shape::Int, &mut out).unwrap();
    assert_eq!(out, [1]);
    let mut out = Vec::new();
    value::encode(
        &Value::Str("18446744073709551615".into()),
        &Shape::Id,
        &mut out,
    )
    .unwrap();
    assert_eq!(back(&out, &Shape::Id), Value::Uint(u64::MAX));
}

#[test]
fn generic_decode_of_garbage_never_panics() {
    let mut rng = Rng(3);
    for m in METHODS {
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..rng.below(40)).map(|_| rng.next() as u8).collect();
            let _ = value::decode_all(&bytes, m.response);
            let _ = Request::decode(m.id, &bytes);
        }
    }
}
