//! A list count that lies must not make the decoder reserve memory the frame does not hold.
//!
//! This binary counts allocations with its own global allocator, so it keeps to one test:
//! other test threads would otherwise be counted too.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tinyim_protocol::codec::put_varint;
use tinyim_protocol::limits::MAX_SERVER_FRAME_LEN;
use tinyim_protocol::*;

struct Counting;

thread_local! {
    /// The largest single allocation this thread made since the last reset.
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LARGEST.try_with(|l| l.set(l.get().max(layout.size())));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = LARGEST.try_with(|l| l.set(l.get().max(new_size)));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Decodes `buf` and returns the result with the largest single allocation it made.
fn decode_measured(buf: &[u8]) -> (Result<Frame, DecodeError>, usize) {
    LARGEST.with(|l| l.set(0));
    let result = Frame::decode(buf, MAX_SERVER_FRAME_LEN);
    (result, LARGEST.with(|l| l.get()))
}

/// A `Push` frame (kind 96) whose delivery count is `count`, followed by `fill`.
fn push_frame(count: u64, fill: &[u8]) -> Vec<u8> {
    let mut buf = vec![PROTOCOL_VERSION, 96, 0, 0];
    put_varint(&mut buf, count);
    buf.extend_from_slice(fill);
    buf
}

#[test]
fn lying_list_counts_reserve_no_more_than_the_input() {
    let body = 1024 * 1024 - 16;

    // A count equal to the bytes that remain passed the old check (count <= remaining) and
    // reserved count * size_of::<Delivery>() = 144 MiB. A delivery takes at least 3 bytes,
    // so this count is now refused before anything is reserved.
    let buf = push_frame(body as u64, &vec![0xff; body]);
    let (result, largest) = decode_measured(&buf);
    assert!(largest <= buf.len(), "reserved {largest} bytes");
    assert_eq!(result, Err(DecodeError::Truncated));

    // A count the bytes could just hold, but the first item is garbage (an over-long
    // varint): the reservation is capped by the input size.
    let buf = push_frame((body / 3) as u64, &vec![0xff; body]);
    let (result, largest) = decode_measured(&buf);
    assert_eq!(result, Err(DecodeError::Overflow));
    assert!(largest <= buf.len(), "reserved {largest} bytes");

    // Members lists: a `RoomMemberPage` (kind 70) with an empty room ID and a huge count.
    let mut buf = vec![PROTOCOL_VERSION, 70, 1, 0];
    put_varint(&mut buf, u64::MAX);
    let (result, largest) = decode_measured(&buf);
    assert_eq!(result, Err(DecodeError::Truncated));
    assert_eq!(largest, 0);

    // Valid frames still decode: a count of 3-byte all-zero deliveries.
    let n = 1000;
    let buf = push_frame(n, &vec![0; 3 * n as usize]);
    let (result, _) = decode_measured(&buf);
    match result {
        Ok(Frame {
            body: Body::Push(push),
            ..
        }) => assert_eq!(push.deliveries.len(), n as usize),
        other => panic!("{other:?}"),
    }
}
