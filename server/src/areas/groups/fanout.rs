//! Notices to a group's members or to some users: live sessions only (notices are not
//! stored; what an offline member missed comes from the queries at login).
//!
//! A notice is encoded once into one shared frame; members are looked up in the session
//! registry in chunks (one short lock and one key buffer per chunk, no allocation per
//! member), and the frame is offered to each live session's mailbox without waiting, so a
//! 10,000-member group costs a few thousand hash lookups and refcount bumps.

use bytes::Bytes;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{Body, Frame};

use super::Turn;
use crate::rpc::Ctx;
use crate::session::Event;

/// Members looked up per registry lock.
const CHUNK: usize = 256;

/// Offers `notice` to the live sessions of `users`.
pub fn to_users(ctx: &Ctx, users: &[String], notice: &Notice) {
    if users.is_empty() {
        return;
    }
    let frame = Bytes::from(Frame::new(0, Body::Notify(notice.to_notify())).encode());
    let mut links = Vec::with_capacity(CHUNK.min(users.len()));
    for chunk in users.chunks(CHUNK) {
        links.clear();
        ctx.shared.registry.live_among(ctx.app, chunk, &mut links);
        for link in &links {
            link.offer(Event::Frame(frame.clone()));
        }
    }
}

/// Offers `notice` to every current member of `group_id` (call holding its turn, after the
/// change's commit).
pub async fn to_members(ctx: &Ctx, group_id: &str, notice: &Notice, turn: &Turn<'_>) {
    match ctx
        .shared
        .groups
        .rosters
        .in_turn(&ctx.shared, ctx.app, group_id, turn)
        .await
    {
        Ok(Some(members)) => to_users(ctx, &members, notice),
        Ok(None) => {}
        // The change is stored; only its live notice is lost, and the queries tell.
        Err(e) => {
            tracing::error!(error = %e, group = group_id, "groups: members not read for a notice")
        }
    }
}
