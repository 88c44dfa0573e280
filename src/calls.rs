//! ZIM's request/response methods and the server's notices, handled generically.
//!
//! The protocol's tables ([`tinyim_protocol::rpc`]) give each method's request and response
//! shapes and each notice's shape, so this module is all the core needs for ~130 methods:
//! it checks and encodes the app's arguments by the request shape (a bad argument fails
//! with 6000001 naming the method and field, before anything is sent), wraps them in a
//! `Call`, and decodes the `Reply` by the response shape. Sending, answer matching,
//! timeouts and resends after a reconnect are the [`crate::requests`] table's, as for
//! every request; the call keeps its `call_id` across resends so the server does a
//! state-changing method once.

use crate::api::{Event, Reply, Value, ZimError};
use crate::requests::Purpose;
use tinyim_protocol::rpc::{self, Call, Notify};
use tinyim_protocol::shape::js_name;
use tinyim_protocol::value;
use tinyim_protocol::{code, Body};

/// `args` checked and encoded by method `m`'s request shape (6000001 naming the method and
/// field when one does not fit).
fn encode_args(m: &rpc::Method, args: &Value) -> Result<Vec<u8>, ZimError> {
    let mut bytes = Vec::new();
    value::encode(args, m.request, &mut bytes).map_err(|e| {
        let field = js_path(&e.field);
        let message = if field.is_empty() {
            format!("{}: the arguments {}", m.name, e.problem)
        } else {
            format!("{}: {} {}", m.name, field, e.problem)
        };
        ZimError::new(code::PARAMS_INVALID, message)
    })?;
    Ok(bytes)
}

fn unknown() -> ZimError {
    ZimError::new(
        code::UNSUPPORTED_REQUEST,
        "this method is not known to this SDK version",
    )
}

/// The request for method `method` with `args`, or why it cannot be made.
pub(crate) fn prepare(
    method: u16,
    args: &Value,
    call_id: u64,
) -> Result<(Purpose, Body), ZimError> {
    let m = rpc::method(method).ok_or_else(unknown)?;
    let bytes = encode_args(m, args)?;
    Ok((
        Purpose::Call { method },
        Body::Call(Call {
            call_id,
            method,
            args: bytes,
        }),
    ))
}

/// `args` of method `method` checked as for sending, and normalised to the values its
/// request decodes to (numbers as integers, IDs as `Uint`): for the methods the SDK
/// answers itself ([`crate::client`]'s local calls), which read them by position.
pub(crate) fn checked(method: u16, args: &Value) -> Result<Value, ZimError> {
    let m = rpc::method(method).ok_or_else(unknown)?;
    let bytes = encode_args(m, args)?;
    value::decode_all(&bytes, m.request).map_err(|_| unknown())
}

/// The reply to a call of `method`, decoded by its response shape.
pub(crate) fn answer(method: u16, reply: rpc::Reply) -> Result<Reply, ZimError> {
    let m = rpc::method(method).filter(|_| reply.method == method);
    let decoded = m.and_then(|m| value::decode_all(&reply.body, m.response).ok());
    match decoded {
        Some(value) => Ok(Reply::Call { method, value }),
        None => Err(ZimError::new(
            code::SERVER_ERROR,
            "the server's answer does not match the method called",
        )),
    }
}

/// The event for a live notice; `None` for a notice this SDK does not know (a newer
/// server's) or cannot decode, which is dropped.
pub(crate) fn notice(n: Notify) -> Option<Event> {
    let kind = rpc::notice(n.notice)?;
    let value = value::decode_all(&n.body, kind.shape).ok()?;
    Some(Event::Notice {
        notice: n.notice,
        value,
    })
}

/// `user_ids.[0]` -> `userIDs[0]`: a field path in the app's (ZIM's) names.
fn js_path(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        if part.starts_with('[') {
            out.push_str(part);
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&js_name(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_zim_names() {
        assert_eq!(js_path("user_ids.[0]"), "userIDs[0]");
        assert_eq!(js_path("group_info.group_id"), "groupInfo.groupID");
        assert_eq!(js_path(""), "");
    }
}
