//! Call invitations (ZIM's signalling for ringing other users): invite, cancel, accept,
//! reject, and in advanced mode invite more users, join, quit and end; their notices.
//!
//! The server keeps every call (an invitee who is offline receives the invitation when they
//! log in before it times out) and decides timeouts on its own clock. Times are Unix
//! milliseconds, timeouts seconds, as in ZIM.

use crate::codec::{wire_struct, List};
use crate::ids::{CallId, ExtendedData, UserId};

use super::ErrorUserInfo;

/// `ZIMCallInvitationMode`.
pub mod call_mode {
    pub const GENERAL: u8 = 0;
    pub const ADVANCED: u8 = 1;
}

/// `ZIMCallState`.
pub mod call_state {
    pub const STARTED: u8 = 1;
    pub const ENDED: u8 = 2;
}

/// `ZIMCallUserState`.
pub mod call_user_state {
    pub const INVITING: u8 = 0;
    pub const ACCEPTED: u8 = 1;
    pub const REJECTED: u8 = 2;
    pub const CANCELLED: u8 = 3;
    pub const RECEIVED: u8 = 5;
    pub const TIMEOUT: u8 = 6;
    pub const QUIT: u8 = 7;
    pub const ENDED: u8 = 8;
}

wire_struct! {
    /// ZIM's `ZIMCallUserInfo`: a user of a call and where they are in it.
    pub struct CallUserInfo {
        pub user_id: String,
        pub state: u8,
        pub extended_data: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMCallInviteConfig`. `timeout` 0 means ZIM's default (90 s);
    /// `enable_not_received_check` is accepted (tinyim reports receipt as `Received`
    /// itself). `pushConfig` is not carried: tinyim has no offline push.
    pub struct CallInviteConfig {
        pub timeout: u32,
        pub mode: u8,
        pub extended_data: ExtendedData,
        pub enable_not_received_check: bool,
    }
}

wire_struct! {
    /// `callInvite(invitees, config)`.
    pub struct CallInvite {
        pub invitees: List<UserId>,
        pub config: CallInviteConfig,
    }
}

wire_struct! {
    /// `callInvite`'s result; unknown invitees are listed (6000011) and not invited.
    pub struct CallInvitationSent {
        pub call_id: String,
        pub timeout: u32,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// The config of cancel, accept, reject, join, quit and end: extended data for the
    /// other users (ZIM's `pushConfig` is not carried).
    pub struct CallConfig {
        pub extended_data: ExtendedData,
    }
}

wire_struct! {
    /// `callCancel(invitees, callID, config)`; no invitees cancels every one who has not
    /// answered.
    pub struct CallCancel {
        pub invitees: List<UserId>,
        pub call_id: CallId,
        pub config: CallConfig,
    }
}

wire_struct! {
    /// `callCancel`'s result: invitees that could not be cancelled (they had answered).
    pub struct CallCancelSent {
        pub call_id: String,
        pub error_invitees: List<String>,
    }
}

wire_struct! {
    /// `callAccept`, `callReject`, `callJoin`, `callQuit`, `callEnd` (callID, config).
    pub struct CallAnswer {
        pub call_id: CallId,
        pub config: CallConfig,
    }
}

wire_struct! {
    /// The result of `callAccept` and `callReject`.
    pub struct CallAnswered {
        pub call_id: String,
    }
}

wire_struct! {
    /// `callingInvite(invitees, callID, config)`: more invitees for an advanced call.
    pub struct CallingInvite {
        pub invitees: List<UserId>,
        pub call_id: CallId,
    }
}

wire_struct! {
    /// `callingInvite`'s result.
    pub struct CallingInvitationSent {
        pub call_id: String,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `callJoin`'s result.
    pub struct CallJoinSent {
        pub call_id: String,
        pub create_time: u64,
        pub join_time: u64,
        pub extended_data: String,
        pub call_user_list: List<CallUserInfo>,
    }
}

wire_struct! {
    /// `callQuit`'s result.
    pub struct CallQuitSent {
        pub call_id: String,
        pub create_time: u64,
        pub accept_time: u64,
        pub quit_time: u64,
    }
}

wire_struct! {
    /// `callEnd`'s result.
    pub struct CallEndSent {
        pub call_id: String,
        pub create_time: u64,
        pub accept_time: u64,
        pub end_time: u64,
    }
}

wire_struct! {
    /// `queryCallInvitationList({ count, nextFlag })`: the caller's calls, newest first;
    /// `next_flag` 0 starts at the newest.
    pub struct CallInvitationQuery {
        pub count: u32,
        pub next_flag: u64,
    }
}

wire_struct! {
    /// ZIM's `ZIMCallInfo`.
    pub struct CallInfo {
        pub call_id: String,
        pub caller: String,
        pub inviter: String,
        pub create_time: u64,
        pub end_time: u64,
        pub state: u8,
        pub mode: u8,
        pub extended_data: String,
        pub call_user_list: List<CallUserInfo>,
    }
}

wire_struct! {
    /// `queryCallInvitationList`'s result; `next_flag` 0 on the last page.
    pub struct CallInvitationListQueried {
        pub call_list: List<CallInfo>,
        pub next_flag: u64,
    }
}

wire_struct! {
    /// Notice `callInvitationCreated`, to the caller's session.
    pub struct CallInvitationCreated {
        pub call_id: String,
        pub mode: u8,
        pub caller: String,
        pub extended_data: String,
        pub timeout: u32,
        pub create_time: u64,
        pub call_user_list: List<CallUserInfo>,
    }
}

wire_struct! {
    /// Notice `callInvitationReceived`, to an invitee (at once, or when they log in).
    pub struct CallInvitationReceived {
        pub call_id: String,
        pub mode: u8,
        pub caller: String,
        pub inviter: String,
        pub extended_data: String,
        pub timeout: u32,
        pub create_time: u64,
        pub call_user_list: List<CallUserInfo>,
    }
}

wire_struct! {
    /// Notice `callInvitationCancelled`, to the invitees cancelled.
    pub struct CallInvitationCancelled {
        pub call_id: String,
        pub mode: u8,
        pub inviter: String,
        pub extended_data: String,
    }
}

wire_struct! {
    /// Notice `callInvitationEnded` (advanced mode), to the users still in the call.
    pub struct CallInvitationEnded {
        pub call_id: String,
        pub mode: u8,
        pub caller: String,
        pub operated_user_id: String,
        pub extended_data: String,
        pub end_time: u64,
    }
}

wire_struct! {
    /// Notice `callInvitationTimeout`, to an invitee who did not answer in time.
    pub struct CallInvitationTimeout {
        pub call_id: String,
        pub mode: u8,
    }
}

wire_struct! {
    /// Notice `callInviteesAnsweredTimeout` (deprecated in ZIM, still sent), to the
    /// inviter of invitees who did not answer in time.
    pub struct CallInviteesAnsweredTimeout {
        pub call_id: String,
        pub invitees: List<String>,
    }
}

wire_struct! {
    /// Notice `callUserStateChanged`, to the users of the call still in it.
    pub struct CallUserStateChanged {
        pub call_id: String,
        pub call_user_list: List<CallUserInfo>,
    }
}

wire_struct! {
    /// Notices `callInvitationAccepted` and `callInvitationRejected` (deprecated in ZIM,
    /// still sent), to the inviter.
    pub struct CallInvitationAnswered {
        pub call_id: String,
        pub invitee: String,
        pub extended_data: String,
    }
}
