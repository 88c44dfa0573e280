//! The client state machine (placeholder: being implemented).

use crate::api::*;

/// One ZIM client instance.
pub struct Client {
    _config: Config,
}

impl Client {
    /// A client that has not logged in yet.
    pub fn new(config: Config) -> Self {
        Client { _config: config }
    }

    /// Starts an API call; its result arrives as [`Output::Completed`] with the returned id.
    pub fn call(&mut self, _now: Millis, _command: Command) -> OpId {
        0
    }

    /// Feeds one host event.
    pub fn handle_input(&mut self, _now: Millis, _input: Input<'_>) {}

    /// The next thing the host must do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        None
    }

    /// When the client next wants [`Input::Timeout`].
    pub fn poll_timeout(&self) -> Option<Millis> {
        None
    }
}
