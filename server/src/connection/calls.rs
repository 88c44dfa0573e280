//! Method calls (`Call` frames): checked, de-duplicated and rate-limited here, run by
//! [`crate::rpc::handle`], answered in request order with the pipelined sends.
//!
//! A call runs as a pending answer (like a send's commit), so a slow method does not stop
//! the connection from reading. A state-changing call's answer is remembered per user by
//! its call ID ([`crate::send_state`]): the SDK resends a call whose answer a dropped
//! connection lost, and it gets the first answer again rather than a second run.

use tinyim_protocol::rpc::{self, Call, Reply, Request};
use tinyim_protocol::DecodeError;

use super::*;
use crate::rpc::Ctx;

impl Connection {
    pub(super) async fn on_call(&mut self, rid: u32, call: Call) -> Step {
        let request = match Request::decode(call.method, &call.args) {
            Ok(r) => r,
            Err(DecodeError::UnknownMethod(m)) => {
                return self
                    .error(
                        rid,
                        code::UNSUPPORTED_REQUEST,
                        &format!("unknown method {m}"),
                    )
                    .await
            }
            Err(e) => {
                return self
                    .error(
                        rid,
                        code::PARAMS_INVALID,
                        &format!("invalid arguments: {e}"),
                    )
                    .await
            }
        };
        let writes = rpc::method(call.method).is_some_and(|m| m.writes);
        let rate_limit = self.shared.config.rate_limit;
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        let now = Instant::now();
        let (remembered, allowed) = {
            let mut state = s.sends.lock().unwrap_or_else(|p| p.into_inner());
            let remembered = writes.then(|| state.call_answer(call.call_id)).flatten();
            let allowed = remembered.is_some() || !rate_limit || state.limiter.allow_call(now);
            (remembered, allowed)
        };
        send_state::touch(&s.sends, now);
        if let Some(body) = remembered {
            self.shared.metrics.duplicates.fetch_add(1, Relaxed);
            return self.reply(rid, body).await;
        }
        if !allowed {
            return self
                .error(
                    rid,
                    code::SERVER_FREQUENCY_LIMIT,
                    "server call rate limit: at most 60 calls a second",
                )
                .await;
        }
        let ctx = Ctx {
            shared: Arc::clone(&self.shared),
            app: s.app,
            user_id: s.user.user_id.clone(),
            user_name: s.user.user_name.clone(),
            link: s.link.clone(),
        };
        let sends = Arc::clone(&s.sends);
        let method = call.method;
        let call_id = call.call_id;
        self.pending.push_back(Box::pin(async move {
            let body = match crate::rpc::handle(ctx, request).await {
                Ok(response) => Body::Reply(Reply {
                    method,
                    body: response.encode_body(),
                }),
                Err(refusal) => Body::Error(Error {
                    code: refusal.code,
                    message: refusal.message,
                }),
            };
            // A failure of the server's own (its store) may succeed when retried: only
            // answers the method itself decided are remembered.
            let final_answer = !matches!(&body, Body::Error(e) if e.code == code::DATABASE_ERROR);
            if writes && final_answer {
                sends
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remember_call_answer(call_id, body.clone());
            }
            Frame::new(rid, body)
        }));
        Ok(())
    }
}
