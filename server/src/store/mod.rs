//! Durable storage behind a narrow interface, run on one dedicated thread with batched writes.
//!
//! [`Store`] is what a backend implements (SQLite today in [`sqlite`]; PostgreSQL for
//! multi-node deployments later): a handful of synchronous operations plus transaction
//! boundaries. [`StoreHandle`] is what the async server uses: it queues requests to the store
//! thread, which drains everything queued (up to [`MAX_BATCH`]), runs it in **one**
//! transaction, commits, and only then answers. So one fsync covers many messages and the
//! store is not the bottleneck, while every `SendAck` still follows a durable commit.
//!
//! **Adding operations** (conversations, groups, ...): each ZIM area declares its store
//! operations as a trait in its own module ([`users`], [`groups`] ...), with their SQLite
//! schema steps and implementation beside it; the traits are supertraits of [`Store`], so
//! every backend (SQLite here, PostgreSQL for clusters) must implement every area.
//! [`StoreHandle::run`] runs any closure on the backend (`|db: &mut dyn Store| ->
//! StoreResult<T>`) inside the current batch's transaction and answers after the commit,
//! atomically (a savepoint) and with the same failure rules as the built-in requests. The
//! hot peer path (`submit_peer`, `ack`) has its own unboxed requests.
//!
//! After each commit the thread hands every newly stored peer message to a notifier (the
//! router), in commit order. Because a single thread assigns inbox sequences and notifies,
//! a recipient's live session sees its inbox entries in sequence order.

pub mod calls;
pub mod conversations;
pub mod friends;
pub mod group_messages;
pub mod groups;
pub mod messages;
pub mod presence;
pub mod sqlite;
pub mod users;

use std::sync::Arc;
use std::time::Instant;

use tinyim_protocol::rpc::Notify;
use tinyim_protocol::{conversation_type, Message, MessageExt};
use tokio::sync::{mpsc, oneshot};

use crate::metrics::Metrics;

/// Each ZIM area's SQLite schema steps, by area (applied on open).
const AREA_MIGRATIONS: &[(&str, &[&str])] = &[
    ("users", users::SQLITE_MIGRATIONS),
    ("presence", presence::SQLITE_MIGRATIONS),
    ("groups", groups::SQLITE_MIGRATIONS),
    ("calls", calls::SQLITE_MIGRATIONS),
    ("messages", messages::SQLITE_MIGRATIONS),
    ("conversations", conversations::SQLITE_MIGRATIONS),
    ("group_messages", group_messages::SQLITE_MIGRATIONS),
    ("friends", friends::SQLITE_MIGRATIONS),
];

/// Most requests run in one transaction.
pub const MAX_BATCH: usize = 512;
/// Requests that may wait for the store thread before senders are slowed down.
const QUEUE_CAPACITY: usize = 8192;

/// A storage failure; the client sees `6000008` (database error).
#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored peer message, independent of who looks at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub message_id: u64,
    pub app: u32,
    pub sender: String,
    pub recipient: String,
    pub client_message_id: u64,
    pub message_type: u8,
    pub priority: u8,
    pub payload: Vec<u8>,
    pub extended_data: String,
    pub timestamp: u64,
    pub order_key: u64,
    /// Receipt, custom, edit and revoke details ([`messages`]).
    pub ext: Option<MessageExt>,
    /// Peer (`recipient` is a user) or group (`recipient` is the group: [`group_messages`]).
    pub conversation_type: u8,
}

impl StoredMessage {
    /// The wire message as `viewer` sees it: `conversation_id` is the other user, or the
    /// group.
    pub fn view_for(&self, viewer: &str) -> Message {
        let other = if self.sender == viewer || self.conversation_type == conversation_type::GROUP {
            &self.recipient
        } else {
            &self.sender
        };
        Message {
            message_id: self.message_id,
            client_message_id: self.client_message_id,
            conversation_type: self.conversation_type,
            conversation_id: other.clone(),
            sender_id: self.sender.clone(),
            message_type: self.message_type,
            priority: self.priority,
            payload: self.payload.clone(),
            extended_data: self.extended_data.clone(),
            timestamp: self.timestamp,
            order_key: self.order_key,
            ext: self.ext.clone(),
        }
    }

    /// Rough encoded size, to keep pushes and pages under the server frame limit.
    pub fn wire_size(&self) -> usize {
        let ext = self.ext.as_ref().map_or(0, |e| {
            e.searched_content.len() + e.operated_user_id.len() + e.revoke_extended_data.len() + 48
        });
        self.payload.len() + self.extended_data.len() + self.sender.len() * 2 + 64 + ext
    }
}

/// A peer message to append. `message_id` and `timestamp` are proposed by the caller; a
/// resend (same app, sender, client message id) gets the original ones back instead.
/// `prev_client_message_id` (0: none) is the sender's earlier message that must be stored
/// first (docs/protocol.md, "Sender order"); it is not stored itself.
#[derive(Debug, Clone)]
pub struct NewPeerMessage {
    pub message_id: u64,
    pub app: u32,
    pub sender: String,
    pub recipient: String,
    pub client_message_id: u64,
    pub prev_client_message_id: u64,
    pub message_type: u8,
    pub priority: u8,
    pub payload: Vec<u8>,
    pub extended_data: String,
    pub timestamp: u64,
    pub ext: Option<MessageExt>,
}

impl NewPeerMessage {
    /// The message as stored, at `order_key` in its conversation (moved, not copied: the
    /// payload goes from the connection to the store and on to the recipient as one buffer).
    pub fn into_stored(self, order_key: u64) -> StoredMessage {
        StoredMessage {
            message_id: self.message_id,
            app: self.app,
            sender: self.sender,
            recipient: self.recipient,
            client_message_id: self.client_message_id,
            message_type: self.message_type,
            priority: self.priority,
            payload: self.payload,
            extended_data: self.extended_data,
            timestamp: self.timestamp,
            order_key,
            ext: self.ext,
            conversation_type: conversation_type::PEER,
        }
    }
}

/// The result of appending a peer message.
#[derive(Debug, Clone)]
pub struct PeerStored {
    pub message: Arc<StoredMessage>,
    /// The recipient's inbox sequence (0 for a duplicate).
    pub inbox_seq: u64,
    /// The idempotency key was known: nothing was stored or delivered.
    pub duplicate: bool,
}

/// What appending a peer message did.
#[derive(Debug, Clone)]
pub enum Append {
    /// Stored now, or found stored already (`duplicate`).
    Stored(PeerStored),
    /// Nothing stored: the message it must follow (`prev_client_message_id`) is not stored,
    /// so storing it now would put the sender's messages out of order.
    PredecessorMissing,
    /// Nothing stored: the recipient has blocked the sender (ZIM's 6000284). A resend of a
    /// message stored before the block still gets its original ack.
    Blocked,
}

/// A user's inbox counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserState {
    /// Newest inbox sequence.
    pub inbox_seq: u64,
    /// Highest sequence the user acknowledged.
    pub acked_seq: u64,
}

/// One inbox entry.
#[derive(Debug, Clone)]
pub struct InboxEntry {
    pub seq: u64,
    pub item: InboxItem,
}

/// What an inbox entry holds: a peer message, or a notice for this user that must reach
/// them exactly once and in order ([`conversations::append_notice`]).
#[derive(Debug, Clone)]
pub enum InboxItem {
    Message(Arc<StoredMessage>),
    Notice(Arc<Notify>),
}

impl InboxItem {
    /// Rough encoded size (see [`StoredMessage::wire_size`]).
    pub fn wire_size(&self) -> usize {
        match self {
            InboxItem::Message(m) => m.wire_size(),
            InboxItem::Notice(n) => n.body.len() + 16,
        }
    }
}

/// A storage backend. Called from the store thread only, inside `begin`/`commit` pairs.
///
/// Write operations need not be atomic on their own: a write that fails makes the store
/// thread roll the whole batch back and fail every request in it (clients resend; the
/// idempotency key keeps a resend from being stored twice). [`StoreHandle::run`] operations
/// are made atomic with [`Store::savepoint`].
///
/// Each ZIM area adds its operations as a supertrait in its own module (users in
/// [`users`], presence in [`presence`] ...); the server reaches them through
/// [`StoreHandle::run`].
pub trait Store:
    Send
    + users::UserStore
    + presence::PresenceStore
    + groups::GroupStore
    + calls::CallStore
    + conversations::ConversationStore
    + messages::MessageStore
    + group_messages::GroupMessageStore
    + friends::FriendStore
{
    fn begin(&mut self) -> StoreResult<()>;
    /// Makes the batch durable (on disk) before it returns.
    fn commit(&mut self) -> StoreResult<()>;
    /// Undoes the batch, including any state the backend keeps in memory for it.
    fn rollback(&mut self);
    /// Marks a point inside the batch that [`Store::release`] keeps or undoes back to.
    fn savepoint(&mut self) -> StoreResult<()>;
    /// Ends the innermost savepoint: keeps its writes (`keep`) or undoes them.
    fn release(&mut self, keep: bool) -> StoreResult<()>;
    /// Appends a peer message to its conversation and to the recipient's inbox, and
    /// updates both users' conversation lists ([`conversations`]), unless
    /// `(app, sender, client_message_id)` is already known (then the original comes back,
    /// `duplicate`) or its `prev_client_message_id` is not 0 and not stored
    /// ([`Append::PredecessorMissing`]). The duplicate check comes first, so a resend of a
    /// stored message always gets its original ack.
    fn append_peer_message(&mut self, m: NewPeerMessage) -> StoreResult<Append>;
    /// Records that `user` has delivered its inbox up to `seq` (never moves backwards).
    fn ack_inbox(&mut self, app: u32, user: &str, seq: u64) -> StoreResult<()>;
    fn user_state(&mut self, app: u32, user: &str) -> StoreResult<UserState>;
    /// Inbox entries (messages and notices) with sequence > `after`, ascending, at most
    /// `limit`.
    fn inbox_after(
        &mut self,
        app: u32,
        user: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<InboxEntry>>;
    /// Peer history between `user` and `peer`: `older`, the newest messages older than
    /// `anchor` (0 = newest), newest first; not `older`, the oldest newer than `anchor`,
    /// oldest first.
    fn history(
        &mut self,
        app: u32,
        user: &str,
        peer: &str,
        anchor: u64,
        count: u32,
        older: bool,
    ) -> StoreResult<Vec<StoredMessage>>;
    /// The largest message ID ever stored (to keep IDs increasing across restarts).
    fn max_message_id(&mut self) -> StoreResult<u64>;
    /// Flushes everything to disk before the process exits.
    fn close(&mut self);
}

/// Called after each commit for every newly stored peer message, in commit order.
pub type Notifier = Box<dyn FnMut(&PeerStored) + Send>;

type Reply<T> = oneshot::Sender<StoreResult<T>>;

/// What a [`StoreHandle::run`] operation leaves to do once the batch's fate is known: it is
/// called with the commit's error, if the commit failed, and answers the caller.
type Finish = Box<dyn FnOnce(Option<&StoreError>) + Send>;

/// A [`StoreHandle::run`] operation, boxed for the queue. Given no store, it does not run
/// (its batch already failed) and only prepares its answer.
/// The backend as operations see it.
pub type Db<'a> = &'a mut dyn Store;

type RunOp = Box<dyn FnOnce(Option<Db<'_>>) -> Finish + Send + Sync>;

enum Job {
    AppendPeer(Box<NewPeerMessage>, Reply<Append>),
    Ack(u32, String, u64),
    Run(RunOp),
    Close(oneshot::Sender<()>),
}

/// The async front of the store thread. Cheap to clone. The backend behind it is any
/// [`Store`] (chosen at start: SQLite, or PostgreSQL in a cluster).
pub struct StoreHandle {
    tx: mpsc::Sender<(Instant, Job)>,
}

impl Clone for StoreHandle {
    fn clone(&self) -> Self {
        StoreHandle {
            tx: self.tx.clone(),
        }
    }
}

fn gone<T>() -> StoreResult<T> {
    Err(StoreError("store is shut down".into()))
}

impl StoreHandle {
    /// Starts the store thread for `store`.
    pub fn start(
        store: Box<dyn Store>,
        notifier: Notifier,
        metrics: Arc<Metrics>,
    ) -> (StoreHandle, std::thread::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
        let thread = std::thread::Builder::new()
            .name("tinyim-store".into())
            .spawn(move || store_thread(store, rx, notifier, metrics))
            .expect("spawning the store thread");
        (StoreHandle { tx }, thread)
    }

    /// Runs `op` on the store thread, inside the batch transaction it shares with every
    /// request queued at the same time, and answers only after that transaction committed
    /// (on disk). This is how area stores (conversations, groups, ...) add operations
    /// without a new queue or thread: write them as methods on the backend (say
    /// `SqliteStore`) or as closures, and call them here.
    ///
    /// - `op` is atomic: it runs inside a savepoint, and if it returns `Err` its writes are
    ///   undone and the caller gets that error; the rest of the batch is not affected.
    /// - If the batch's commit fails, the caller gets the commit's error even though `op`
    ///   returned `Ok` (what it read may have included writes that were rolled back).
    /// - Return domain outcomes ("not a member", "not found") inside `T`; `Err` is for a
    ///   storage failure (the client sees 6000008).
    /// - `op` runs on the one store thread: keep it to a few statements; no waiting on
    ///   anything but the database.
    pub async fn run<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> StoreResult<T> + Send + Sync + 'static,
    {
        let (reply, rx) = oneshot::channel();
        let job: RunOp = Box::new(move |db: Option<Db<'_>>| {
            let result = match db {
                Some(db) => atomically(db, op),
                None => Err(StoreError("batch failed".into())),
            };
            Box::new(move |failed: Option<&StoreError>| {
                let _ = reply.send(match failed {
                    Some(e) => Err(e.clone()),
                    None => result,
                });
            })
        });
        if self.tx.send((Instant::now(), Job::Run(job))).await.is_err() {
            return gone();
        }
        rx.await.unwrap_or_else(|_| gone())
    }

    /// Queues a peer message and returns a receiver for its result, so the caller can keep
    /// reading (pipelined sends share one commit).
    pub async fn submit_peer(&self, m: NewPeerMessage) -> oneshot::Receiver<StoreResult<Append>> {
        let (reply, rx) = oneshot::channel();
        let _ = self
            .tx
            .send((Instant::now(), Job::AppendPeer(Box::new(m), reply)))
            .await;
        rx
    }

    /// Records an inbox acknowledgement (no answer).
    pub async fn ack(&self, app: u32, user: &str, seq: u64) {
        let _ = self
            .tx
            .send((Instant::now(), Job::Ack(app, user.to_owned(), seq)))
            .await;
    }

    pub async fn user_state(&self, app: u32, user: &str) -> StoreResult<UserState> {
        let user = user.to_owned();
        self.run(move |db| db.user_state(app, &user)).await
    }

    pub async fn inbox_after(
        &self,
        app: u32,
        user: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<InboxEntry>> {
        let user = user.to_owned();
        self.run(move |db| db.inbox_after(app, &user, after, limit))
            .await
    }

    pub async fn history(
        &self,
        app: u32,
        user: &str,
        peer: &str,
        anchor: u64,
        count: u32,
        older: bool,
    ) -> StoreResult<Vec<StoredMessage>> {
        let (user, peer) = (user.to_owned(), peer.to_owned());
        self.run(move |db| db.history(app, &user, &peer, anchor, count, older))
            .await
    }

    /// Commits what is queued, flushes the backend and stops the thread.
    pub async fn close(&self) {
        let (reply, rx) = oneshot::channel();
        if self
            .tx
            .send((Instant::now(), Job::Close(reply)))
            .await
            .is_ok()
        {
            let _ = rx.await;
        }
    }
}

/// Runs `op` inside a savepoint: its writes stay only if it succeeds. A panic in `op` is
/// caught and undone like an error, so one faulty operation cannot take the store thread
/// (and with it every later request) down.
fn atomically<T>(db: Db<'_>, op: impl FnOnce(Db<'_>) -> StoreResult<T>) -> StoreResult<T> {
    db.savepoint()?;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| op(&mut *db)))
        .unwrap_or_else(|_| {
            tracing::error!("store: an operation panicked; its writes are undone");
            Err(StoreError("store operation failed".into()))
        });
    let released = db.release(result.is_ok());
    match (result, released) {
        (Ok(v), Ok(())) => Ok(v),
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
    }
}

/// A finished request whose answer waits for the commit.
enum Done {
    Peer(Reply<Append>, PeerStored, Instant),
    Run(Finish, Instant),
}

fn store_thread(
    mut store: Box<dyn Store>,
    mut rx: mpsc::Receiver<(Instant, Job)>,
    mut notifier: Notifier,
    metrics: Arc<Metrics>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut done = Vec::with_capacity(MAX_BATCH);
    let mut closing = None;
    while closing.is_none() {
        // Group commit sized by load: everything queued while the last commit ran (up to
        // MAX_BATCH) goes into this one; alone, a request commits at once.
        let Some(first) = rx.blocking_recv() else {
            break;
        };
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }

        let began = store.begin();
        // The first write that failed: the batch is rolled back and every request fails.
        let mut failed = began.as_ref().err().cloned();
        // Batches with messages or acks are counted (the commits that must reach the disk).
        let mut wrote = false;
        for (at, job) in batch.drain(..) {
            match job {
                Job::Close(reply) => closing = Some(reply),
                Job::AppendPeer(m, reply) => {
                    if let Some(e) = &failed {
                        let _ = reply.send(Err(e.clone()));
                        continue;
                    }
                    wrote = true;
                    match store.append_peer_message(*m) {
                        Ok(Append::Stored(stored)) => done.push(Done::Peer(reply, stored, at)),
                        // Nothing was written: answered now, whatever the commit does.
                        Ok(refused @ (Append::PredecessorMissing | Append::Blocked)) => {
                            let _ = reply.send(Ok(refused));
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "store: appending a message failed");
                            let _ = reply.send(Err(e.clone()));
                            failed = Some(e);
                        }
                    }
                }
                Job::Ack(app, user, seq) => {
                    if failed.is_some() {
                        continue;
                    }
                    wrote = true;
                    if let Err(e) = store.ack_inbox(app, &user, seq) {
                        tracing::error!(error = %e, "store: inbox ack failed");
                        failed = Some(e);
                    }
                }
                Job::Run(op) => {
                    // Not run once the batch failed: it would only see a transaction that
                    // is rolled back (or, if `begin` failed, none at all).
                    // (The cast shortens the trait object's lifetime to this borrow's.)
                    let db = if failed.is_none() {
                        Some(store.as_mut() as &mut dyn Store)
                    } else {
                        None
                    };
                    done.push(Done::Run(op(db), at));
                }
            }
        }
        if began.is_ok() {
            if failed.is_none() {
                // (a Close request ends the loop after this batch commits)
                if let Err(e) = store.commit() {
                    tracing::error!(error = %e, "store: commit failed");
                    failed = Some(e);
                } else if wrote {
                    metrics
                        .store_batches
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
            if failed.is_some() {
                store.rollback();
            }
        }
        for d in done.drain(..) {
            match d {
                Done::Peer(reply, stored, at) => {
                    metrics.store_latency(at.elapsed());
                    match &failed {
                        Some(e) => {
                            let _ = reply.send(Err(e.clone()));
                        }
                        None => {
                            if !stored.duplicate {
                                notifier(&stored);
                            }
                            let _ = reply.send(Ok(Append::Stored(stored)));
                        }
                    }
                }
                // Reads ran inside the transaction and may have seen its writes: after a
                // failed commit they must not be answered either (a catch-up would push an
                // inbox entry that was rolled back, whose sequence then goes to another
                // message the client skips as already seen).
                Done::Run(finish, at) => {
                    metrics.store_latency(at.elapsed());
                    finish(failed.as_ref());
                }
            }
        }
    }
    store.close();
    if let Some(reply) = closing {
        let _ = reply.send(());
    }
    tracing::info!("store: flushed and closed");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Mutex;

    /// A backend that keeps entries in memory, reads its own uncommitted writes (as SQLite
    /// does on its one connection), holds its first `user_state` until `gate` opens, and
    /// fails every commit once `fail_commits` is set.
    struct Flaky {
        committed: Vec<InboxEntry>,
        pending: Vec<InboxEntry>,
        gate: Option<std::sync::mpsc::Receiver<()>>,
        fail_commits: Arc<AtomicBool>,
    }

    fn stored(seq: u64, m: &NewPeerMessage) -> (InboxEntry, Arc<StoredMessage>) {
        let message = Arc::new(m.clone().into_stored(seq));
        let item = InboxItem::Message(message.clone());
        (InboxEntry { seq, item }, message)
    }

    fn unused<T>() -> StoreResult<T> {
        Err(StoreError("not in this test".into()))
    }

    impl conversations::ConversationStore for Flaky {
        fn conversations(
            &mut self,
            _: u32,
            _: &str,
            _: Option<&conversations::ListPosition>,
            _: usize,
            _: &mut dyn FnMut(&conversations::StoredConversation) -> bool,
        ) -> StoreResult<Vec<conversations::StoredConversation>> {
            unused()
        }
        fn conversation(
            &mut self,
            _: u32,
            _: &str,
            _: u8,
            _: &str,
        ) -> StoreResult<Option<conversations::StoredConversation>> {
            unused()
        }
        fn change_conversation(
            &mut self,
            _: u32,
            _: &str,
            _: u8,
            _: &str,
            _: &conversations::ConversationChange,
        ) -> StoreResult<Option<conversations::StoredConversation>> {
            unused()
        }
        fn refresh_conversation(
            &mut self,
            _: u32,
            _: &str,
            _: u8,
            _: &str,
        ) -> StoreResult<Option<conversations::StoredConversation>> {
            unused()
        }
        fn append_notice(&mut self, _: u32, _: &str, _: &Notify) -> StoreResult<u64> {
            unused()
        }
    }

    impl messages::MessageStore for Flaky {
        fn message(&mut self, _: u32, _: u64) -> StoreResult<Option<StoredMessage>> {
            unused()
        }
        fn messages_at(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
            _: &[u64],
        ) -> StoreResult<Vec<StoredMessage>> {
            unused()
        }
        fn rewrite_message(&mut self, _: &StoredMessage) -> StoreResult<()> {
            unused()
        }
        fn pending_receipts(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
        ) -> StoreResult<Vec<StoredMessage>> {
            unused()
        }
        fn delete_for(&mut self, _: u32, _: &str, _: messages::Deletion<'_>) -> StoreResult<()> {
            unused()
        }
    }

    impl group_messages::GroupMessageStore for Flaky {
        fn append_group_message(
            &mut self,
            _: NewPeerMessage,
            _: u64,
            _: &[String],
        ) -> StoreResult<group_messages::GroupAppend> {
            unused()
        }
        fn group_history(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
            _: u64,
            _: u32,
            _: bool,
        ) -> StoreResult<Option<Vec<StoredMessage>>> {
            unused()
        }
        fn read_group_message(&mut self, _: u32, _: u64, _: &str) -> StoreResult<bool> {
            unused()
        }
        fn group_message_readers(&mut self, _: u32, _: u64) -> StoreResult<Vec<String>> {
            unused()
        }
    }

    impl users::UserStore for Flaky {
        fn user_logged_in(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
        ) -> StoreResult<(users::Profile, bool)> {
            Err(StoreError("not in this test".into()))
        }
        fn user_profiles(&mut self, _: u32, _: &[String]) -> StoreResult<Vec<users::Profile>> {
            Err(StoreError("not in this test".into()))
        }
        fn update_user_profile(
            &mut self,
            _: u32,
            _: &str,
            _: &users::ProfileChange,
        ) -> StoreResult<users::Profile> {
            Err(StoreError("not in this test".into()))
        }
        fn user_settings(&mut self, _: u32, _: &str) -> StoreResult<users::Settings> {
            Err(StoreError("not in this test".into()))
        }
        fn update_user_push_rule(
            &mut self,
            _: u32,
            _: &str,
            _: &[u8],
            _: &[u8],
        ) -> StoreResult<users::Settings> {
            Err(StoreError("not in this test".into()))
        }
        fn update_user_badge(&mut self, _: u32, _: &str, _: u32) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
    }

    impl presence::PresenceStore for Flaky {
        fn subscribe_user_status(
            &mut self,
            _: u32,
            _: &str,
            _: &[String],
            _: u64,
            _: u64,
            _: usize,
        ) -> StoreResult<Vec<String>> {
            Err(StoreError("not in this test".into()))
        }
        fn unsubscribe_user_status(&mut self, _: u32, _: &str, _: &[String]) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn set_custom_status(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
            _: u64,
            _: u64,
        ) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn load_presence(&mut self, _: u64) -> StoreResult<presence::StoredPresence> {
            Err(StoreError("not in this test".into()))
        }
    }

    /// The groups area is not in these tests.
    impl groups::GroupStore for Flaky {
        fn group(&mut self, _: u32, _: &str) -> StoreResult<Option<groups::GroupRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn put_group(&mut self, _: u32, _: &groups::GroupRow) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn member(&mut self, _: u32, _: &str, _: &str) -> StoreResult<Option<groups::MemberRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn put_member(&mut self, _: u32, _: &str, _: &groups::MemberRow) -> StoreResult<u64> {
            Err(StoreError("not in this test".into()))
        }
        fn remove_member(&mut self, _: u32, _: &str, _: &str, _: u64) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn members_from(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
            _: Option<i64>,
        ) -> StoreResult<Vec<groups::MemberRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn managers(&mut self, _: u32, _: &str) -> StoreResult<Vec<groups::MemberRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn member_ids(&mut self, _: u32, _: &str) -> StoreResult<Vec<String>> {
            Err(StoreError("not in this test".into()))
        }
        fn user_groups_from(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
        ) -> StoreResult<Vec<(u64, String)>> {
            Err(StoreError("not in this test".into()))
        }
        fn attributes(&mut self, _: u32, _: &str) -> StoreResult<Vec<(String, String)>> {
            Err(StoreError("not in this test".into()))
        }
        fn set_attribute(&mut self, _: u32, _: &str, _: &str, _: &str) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn delete_attribute(&mut self, _: u32, _: &str, _: &str) -> StoreResult<bool> {
            Err(StoreError("not in this test".into()))
        }
        fn alias(&mut self, _: u32, _: &str, _: &str) -> StoreResult<String> {
            Err(StoreError("not in this test".into()))
        }
        fn set_alias(&mut self, _: u32, _: &str, _: &str, _: &str) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn application(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
            _: &str,
        ) -> StoreResult<Option<groups::ApplicationRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn put_application(&mut self, _: u32, _: &groups::ApplicationRow) -> StoreResult<u64> {
            Err(StoreError("not in this test".into()))
        }
        fn applications_for(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
        ) -> StoreResult<Vec<groups::ApplicationRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn clear_group(&mut self, _: u32, _: &str, _: u64) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
    }

    impl calls::CallStore for Flaky {
        fn call(&mut self, _: u32, _: u64) -> StoreResult<Option<crate::calls::Call>> {
            Err(StoreError("not in this test".into()))
        }
        fn save_call(&mut self, _: &crate::calls::Call) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn calls_of_user(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
        ) -> StoreResult<Vec<crate::calls::Call>> {
            Err(StoreError("not in this test".into()))
        }
        fn live_calls_of_user(&mut self, _: u32, _: &str) -> StoreResult<Vec<crate::calls::Call>> {
            Err(StoreError("not in this test".into()))
        }
        fn started_calls(&mut self) -> StoreResult<Vec<crate::calls::Call>> {
            Err(StoreError("not in this test".into()))
        }
        fn prune_calls(&mut self, _: u64) -> StoreResult<usize> {
            Err(StoreError("not in this test".into()))
        }
    }

    /// The friends area is not in these tests.
    impl friends::FriendStore for Flaky {
        fn friend(&mut self, _: u32, _: &str, _: &str) -> StoreResult<Option<friends::FriendRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn put_friend(&mut self, _: u32, _: &friends::FriendRow) -> StoreResult<()> {
            Err(StoreError("not in this test".into()))
        }
        fn remove_friend(&mut self, _: u32, _: &str, _: &str) -> StoreResult<bool> {
            Err(StoreError("not in this test".into()))
        }
        fn friend_count(&mut self, _: u32, _: &str) -> StoreResult<u32> {
            Err(StoreError("not in this test".into()))
        }
        fn friends_after(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
        ) -> StoreResult<Vec<friends::FriendRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn friend_application(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
        ) -> StoreResult<Option<friends::FriendApplicationRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn put_friend_application(
            &mut self,
            _: u32,
            _: &friends::FriendApplicationRow,
        ) -> StoreResult<u64> {
            Err(StoreError("not in this test".into()))
        }
        fn friend_applications_before(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
        ) -> StoreResult<Vec<friends::FriendApplicationRow>> {
            Err(StoreError("not in this test".into()))
        }
        fn is_blocked(&mut self, _: u32, _: &str, _: &str) -> StoreResult<bool> {
            Err(StoreError("not in this test".into()))
        }
        fn block(&mut self, _: u32, _: &str, _: &str, _: u64) -> StoreResult<bool> {
            Err(StoreError("not in this test".into()))
        }
        fn unblock(&mut self, _: u32, _: &str, _: &str) -> StoreResult<bool> {
            Err(StoreError("not in this test".into()))
        }
        fn blacklist_count(&mut self, _: u32, _: &str) -> StoreResult<u32> {
            Err(StoreError("not in this test".into()))
        }
        fn blacklist_after(
            &mut self,
            _: u32,
            _: &str,
            _: u64,
            _: u32,
        ) -> StoreResult<Vec<(u64, String)>> {
            Err(StoreError("not in this test".into()))
        }
    }

    impl Store for Flaky {
        fn begin(&mut self) -> StoreResult<()> {
            Ok(())
        }
        fn commit(&mut self) -> StoreResult<()> {
            if self.fail_commits.load(Ordering::SeqCst) {
                return Err(StoreError("disk full".into()));
            }
            self.committed.append(&mut self.pending);
            Ok(())
        }
        fn rollback(&mut self) {
            self.pending.clear();
        }
        fn savepoint(&mut self) -> StoreResult<()> {
            Ok(())
        }
        fn release(&mut self, _: bool) -> StoreResult<()> {
            Ok(())
        }
        fn append_peer_message(&mut self, m: NewPeerMessage) -> StoreResult<Append> {
            let (e, message) = stored((self.committed.len() + self.pending.len() + 1) as u64, &m);
            let inbox_seq = e.seq;
            self.pending.push(e);
            Ok(Append::Stored(PeerStored {
                message,
                inbox_seq,
                duplicate: false,
            }))
        }
        fn ack_inbox(&mut self, _: u32, _: &str, _: u64) -> StoreResult<()> {
            Ok(())
        }
        fn user_state(&mut self, _: u32, _: &str) -> StoreResult<UserState> {
            if let Some(gate) = self.gate.take() {
                let _ = gate.recv();
            }
            Ok(UserState::default())
        }
        fn inbox_after(
            &mut self,
            _: u32,
            _: &str,
            after: u64,
            _: u32,
        ) -> StoreResult<Vec<InboxEntry>> {
            Ok(self
                .committed
                .iter()
                .chain(&self.pending)
                .filter(|e| e.seq > after)
                .cloned()
                .collect())
        }
        fn history(
            &mut self,
            _: u32,
            _: &str,
            _: &str,
            _: u64,
            _: u32,
            _: bool,
        ) -> StoreResult<Vec<StoredMessage>> {
            Ok(Vec::new())
        }
        fn max_message_id(&mut self) -> StoreResult<u64> {
            Ok(0)
        }
        fn close(&mut self) {}
    }

    fn message(cmid: u64) -> NewPeerMessage {
        NewPeerMessage {
            message_id: cmid,
            app: 1,
            sender: "alice".into(),
            recipient: "bob".into(),
            client_message_id: cmid,
            prev_client_message_id: 0,
            message_type: 1,
            priority: 1,
            payload: b"hi".to_vec(),
            extended_data: String::new(),
            timestamp: 1,
            ext: None,
        }
    }

    #[tokio::test]
    async fn a_read_never_sees_writes_whose_commit_failed() {
        let (open, gate) = std::sync::mpsc::channel();
        let fail_commits = Arc::new(AtomicBool::new(false));
        let notified = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&notified);
        let (store, thread) = StoreHandle::start(
            Box::new(Flaky {
                committed: Vec::new(),
                pending: Vec::new(),
                gate: Some(gate),
                fail_commits: Arc::clone(&fail_commits),
            }),
            Box::new(move |p: &PeerStored| seen.lock().unwrap().push(p.inbox_seq)),
            Arc::new(Metrics::default()),
        );
        // Hold the store thread inside a first batch, so the send and the catch-up read
        // queued meanwhile run together in the next one, whose commit fails.
        let held = tokio::spawn({
            let store = store.clone();
            async move { store.user_state(1, "bob").await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        fail_commits.store(true, Ordering::SeqCst);
        let send = store.submit_peer(message(1)).await;
        let read = tokio::spawn({
            let store = store.clone();
            async move { store.inbox_after(1, "bob", 0, 100).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        open.send(()).unwrap();
        let _ = held.await.unwrap();
        assert!(send.await.unwrap().is_err(), "the sender is told it failed");
        let read = read.await.unwrap();
        assert!(
            read.as_ref().map_or(true, |entries| entries.is_empty()),
            "a catch-up read saw a message that was rolled back: {read:?}"
        );
        assert!(notified.lock().unwrap().is_empty());
        // The sender resends; the inbox sequence it gets is the one the reader must see.
        fail_commits.store(false, Ordering::SeqCst);
        let again = store.submit_peer(message(1)).await.await.unwrap().unwrap();
        let Append::Stored(again) = again else {
            panic!("stored")
        };
        assert_eq!(again.inbox_seq, 1);
        store.close().await;
        thread.join().unwrap();
    }
}
