//! Room requests: create / join / enter / leave, member pages and online counts. Room
//! state itself lives in [`crate::rooms`]; this is the protocol side of it.

use super::*;

impl Connection {
    pub(super) async fn join_room(&mut self, rid: u32, r: Room, mode: JoinMode) -> Step {
        if let Err(why) = validate_room(&r.room_id, &r.room_name) {
            return self.error(rid, code::PARAMS_INVALID, why).await;
        }
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        match self
            .shared
            .rooms
            .join(s.app, &r.room_id, &r.room_name, mode, &s.user, &s.link)
        {
            Ok(room_name) => {
                self.reply(
                    rid,
                    Body::RoomInfo(Room {
                        room_id: r.room_id,
                        room_name,
                    }),
                )
                .await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    pub(super) async fn leave_room(&mut self, rid: u32, r: Room) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        match self.shared.rooms.leave(s.app, &r.room_id, &s.user.user_id) {
            Ok(()) => self.reply(rid, Body::Ok(Empty {})).await,
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    pub(super) async fn room_members(&mut self, rid: u32, q: RoomMembersQuery) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        if q.count == 0 || q.count > MAX_PAGE_COUNT {
            return self
                .error(rid, code::PARAMS_INVALID, "count must be 1 to 100")
                .await;
        }
        if let Err(why) = validate_room(&q.room_id, "") {
            return self.error(rid, code::PARAMS_INVALID, why).await;
        }
        let count = q.count;
        match self
            .shared
            .rooms
            .members_page(s.app, &q.room_id, &q.next_flag, count as usize)
        {
            Ok((members, next_flag)) => {
                self.reply(
                    rid,
                    Body::RoomMemberPage(RoomMemberPage {
                        room_id: q.room_id,
                        members: List::from(members),
                        next_flag,
                    }),
                )
                .await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    pub(super) async fn room_count(&mut self, rid: u32, r: Room) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        match self.shared.rooms.count(s.app, &r.room_id) {
            Ok(count) => {
                self.reply(
                    rid,
                    Body::RoomCount(RoomCount {
                        room_id: r.room_id,
                        count,
                    }),
                )
                .await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }
}

pub(super) fn validate_room(room_id: &str, room_name: &str) -> Result<(), &'static str> {
    if !is_valid_room_id(room_id) {
        return Err(
            "room ID must be 1 to 128 bytes of digits, English letters and ZIM's punctuation",
        );
    }
    if room_name.len() > MAX_ROOM_NAME_LEN {
        return Err("room name longer than 64 bytes");
    }
    Ok(())
}

pub(super) fn room_error_text(c: u32) -> &'static str {
    match c {
        code::USER_NOT_IN_ROOM => "not a member of this room",
        code::ROOM_DOES_NOT_EXIST => "room does not exist",
        code::ROOM_ALREADY_EXISTS => "room already exists",
        _ => "room error",
    }
}
