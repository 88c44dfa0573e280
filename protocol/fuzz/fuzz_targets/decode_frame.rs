//! Decodes arbitrary bytes as a frame, with the server's limit (client frames) and the
//! client's limit (server frames). Decoding must never panic; whatever decodes must
//! re-encode to a frame that decodes to the same value, and never to more bytes than the
//! input (the encoder writes the shortest varints; the decoder also accepts longer ones).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tinyim_protocol::limits::{MAX_CLIENT_FRAME_LEN, MAX_SERVER_FRAME_LEN};
use tinyim_protocol::Frame;

fuzz_target!(|data: &[u8]| {
    let as_client = Frame::decode(data, MAX_CLIENT_FRAME_LEN);
    let as_server = Frame::decode(data, MAX_SERVER_FRAME_LEN);
    if data.len() <= MAX_CLIENT_FRAME_LEN {
        // The limit is the only difference between the two.
        assert_eq!(as_client, as_server);
    }
    for (result, max_len) in [
        (as_client, MAX_CLIENT_FRAME_LEN),
        (as_server, MAX_SERVER_FRAME_LEN),
    ] {
        if let Ok(frame) = result {
            let bytes = frame.encode();
            assert!(bytes.len() <= data.len(), "re-encoding grew the frame");
            assert_eq!(Frame::decode(&bytes, max_len).as_ref(), Ok(&frame));
        }
    }
});
