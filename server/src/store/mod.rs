//! Durable storage behind a narrow interface, run on one dedicated thread with batched writes.
//!
//! [`Store`] is what a backend implements (SQLite today in [`sqlite`]; a networked database
//! for multi-node deployments later): a handful of synchronous operations plus transaction
//! boundaries. [`StoreHandle`] is what the async server uses: it queues requests to the store
//! thread, which drains everything queued (up to [`MAX_BATCH`]), runs it in **one**
//! transaction, commits, and only then answers. So one fsync covers many messages and the
//! store is not the bottleneck, while every `SendAck` still follows a durable commit.
//!
//! After each commit the thread hands every newly stored peer message to a notifier (the
//! router), in commit order. Because a single thread assigns inbox sequences and notifies,
//! a recipient's live session sees its inbox entries in sequence order.

pub mod conversations;
pub mod messages;
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
    ("messages", messages::SQLITE_MIGRATIONS),
    ("conversations", conversations::SQLITE_MIGRATIONS),
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
}

impl StoredMessage {
    /// The wire message as `viewer` sees it: `conversation_id` is the other user.
    pub fn view_for(&self, viewer: &str) -> Message {
        let other = if self.sender == viewer {
            &self.recipient
        } else {
            &self.sender
        };
        Message {
            message_id: self.message_id,
            client_message_id: self.client_message_id,
            conversation_type: conversation_type::PEER,
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
    /// The message as stored, at `order_key` in its conversation.
    pub fn stored(&self, order_key: u64) -> StoredMessage {
        StoredMessage {
            message_id: self.message_id,
            app: self.app,
            sender: self.sender.clone(),
            recipient: self.recipient.clone(),
            client_message_id: self.client_message_id,
            message_type: self.message_type,
            priority: self.priority,
            payload: self.payload.clone(),
            extended_data: self.extended_data.clone(),
            timestamp: self.timestamp,
            order_key,
            ext: self.ext.clone(),
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

/// A storage backend. Called from one thread only, inside `begin`/`commit` pairs.
///
/// Each ZIM area adds its operations as a supertrait in its own module (users in
/// [`users`]); the server reaches them through [`StoreHandle::run`].
pub trait Store:
    Send + users::UserStore + conversations::ConversationStore + messages::MessageStore
{
    fn begin(&mut self) -> StoreResult<()>;
    fn commit(&mut self) -> StoreResult<()>;
    fn rollback(&mut self);
    /// Appends a peer message to its conversation and to the recipient's inbox, and
    /// updates both users' conversation lists ([`conversations`]), atomically, unless `(app, sender, client_message_id)` is already known (then the stored one,
    /// `duplicate`) or its `prev_client_message_id` is not 0 and not stored
    /// ([`Append::PredecessorMissing`]). The duplicate check comes first, so a resend of a
    /// stored message always gets its original ack.
    fn append_peer_message(&mut self, m: &NewPeerMessage) -> StoreResult<Append>;
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

enum Job {
    AppendPeer(Box<NewPeerMessage>, Reply<Append>),
    Ack(u32, String, u64),
    InboxAfter(u32, String, u64, u32, Reply<Vec<InboxEntry>>),
    History(Box<HistoryArgs>, Reply<Vec<StoredMessage>>),
    /// Any operation ([`StoreHandle::run`]).
    Run(Box<dyn Operation>),
    Close(oneshot::Sender<()>),
}

/// What the store thread does with a [`Job::Run`].
trait Operation: Send + Sync {
    /// Runs in the batch's transaction; returns what answers the caller once the commit's
    /// outcome is known (`Some(error)` if it failed).
    fn run(self: Box<Self>, store: &mut dyn Store) -> Finish;
    /// Answers the caller with `e` without running (no transaction could begin).
    fn fail(self: Box<Self>, e: StoreError);
}

type Finish = Box<dyn FnOnce(Option<&StoreError>) + Send>;

struct Op<T, F> {
    op: F,
    reply: Reply<T>,
}

impl<T, F> Operation for Op<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn Store) -> StoreResult<T> + Send + Sync + 'static,
{
    fn run(self: Box<Self>, store: &mut dyn Store) -> Finish {
        let Op { op, reply } = *self;
        let result = op(store);
        Box::new(move |failed: Option<&StoreError>| {
            let _ = reply.send(match failed {
                Some(e) => Err(e.clone()),
                None => result,
            });
        })
    }

    fn fail(self: Box<Self>, e: StoreError) {
        let _ = self.reply.send(Err(e));
    }
}

struct HistoryArgs {
    app: u32,
    user: String,
    peer: String,
    anchor: u64,
    count: u32,
    older: bool,
}

/// The async front of the store thread. Cheap to clone.
#[derive(Clone)]
pub struct StoreHandle {
    tx: mpsc::Sender<(Instant, Job)>,
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

    async fn call<T>(&self, job: impl FnOnce(Reply<T>) -> Job) -> StoreResult<T> {
        let (reply, rx) = oneshot::channel();
        if self.tx.send((Instant::now(), job(reply))).await.is_err() {
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

    pub async fn inbox_after(
        &self,
        app: u32,
        user: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<InboxEntry>> {
        self.call(|r| Job::InboxAfter(app, user.to_owned(), after, limit, r))
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
        let args = HistoryArgs {
            app,
            user: user.to_owned(),
            peer: peer.to_owned(),
            anchor,
            count,
            older,
        };
        self.call(|r| Job::History(Box::new(args), r)).await
    }

    /// Runs `op` on the store thread inside a batched transaction and returns its result
    /// once that transaction has committed (an error if the commit failed). This is how
    /// the ZIM areas (users, conversations, groups ...) reach their store operations: reads
    /// and writes alike, each answered only after a durable commit.
    pub async fn run<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> StoreResult<T> + Send + Sync + 'static,
    {
        self.call(|reply| Job::Run(Box::new(Op { op, reply })))
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

/// A finished request whose answer waits for the commit.
enum Done {
    Peer(Reply<Append>, StoreResult<Append>, Instant),
    Inbox(
        Reply<Vec<InboxEntry>>,
        StoreResult<Vec<InboxEntry>>,
        Instant,
    ),
    History(
        Reply<Vec<StoredMessage>>,
        StoreResult<Vec<StoredMessage>>,
        Instant,
    ),
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
        let mut wrote = false;
        for (at, job) in batch.drain(..) {
            if let Job::Close(reply) = job {
                closing = Some(reply);
                continue;
            }
            if let Err(e) = &began {
                // No transaction: fail every request of this batch.
                fail(job, e.clone());
                continue;
            }
            match job {
                Job::AppendPeer(m, reply) => {
                    wrote = true;
                    done.push(Done::Peer(reply, store.append_peer_message(&m), at));
                }
                Job::Ack(app, user, seq) => {
                    wrote = true;
                    if let Err(e) = store.ack_inbox(app, &user, seq) {
                        tracing::error!(error = %e, "store: inbox ack failed");
                    }
                }
                Job::InboxAfter(app, user, after, limit, reply) => done.push(Done::Inbox(
                    reply,
                    store.inbox_after(app, &user, after, limit),
                    at,
                )),
                Job::History(a, reply) => done.push(Done::History(
                    reply,
                    store.history(a.app, &a.user, &a.peer, a.anchor, a.count, a.older),
                    at,
                )),
                Job::Run(op) => {
                    wrote = true;
                    done.push(Done::Run(op.run(store.as_mut()), at));
                }
                Job::Close(_) => {}
            }
        }
        if began.is_err() {
            continue;
        }
        // (a Close request ends the loop after this batch commits)
        let committed = store.commit();
        if let Err(e) = &committed {
            tracing::error!(error = %e, "store: commit failed");
            store.rollback();
        } else if wrote {
            metrics
                .store_batches
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let failed = committed.err();
        for d in done.drain(..) {
            match d {
                Done::Peer(reply, mut r, at) => {
                    if let Some(e) = &failed {
                        r = Err(e.clone());
                    }
                    metrics.store_latency(at.elapsed());
                    if let Ok(Append::Stored(stored)) = &r {
                        if !stored.duplicate {
                            notifier(stored);
                        }
                    }
                    let _ = reply.send(r);
                }
                // Reads ran inside the transaction and may have seen its writes: after a
                // failed commit they must not be answered either (a catch-up would push an
                // inbox entry that was rolled back, whose sequence then goes to another
                // message the client skips as already seen).
                Done::Inbox(reply, r, at) => {
                    metrics.store_latency(at.elapsed());
                    let _ = reply.send(failed.clone().map_or(r, Err));
                }
                Done::History(reply, r, at) => {
                    metrics.store_latency(at.elapsed());
                    let _ = reply.send(failed.clone().map_or(r, Err));
                }
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

fn fail(job: Job, e: StoreError) {
    match job {
        Job::AppendPeer(_, r) => drop(r.send(Err(e))),
        Job::InboxAfter(_, _, _, _, r) => drop(r.send(Err(e))),
        Job::History(_, r) => drop(r.send(Err(e))),
        Job::Run(op) => op.fail(e),
        Job::Ack(..) | Job::Close(_) => {}
    }
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
        let message = Arc::new(m.stored(seq));
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
        fn append_peer_message(&mut self, m: &NewPeerMessage) -> StoreResult<Append> {
            let (e, message) = stored((self.committed.len() + self.pending.len() + 1) as u64, m);
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
            async move { store.run(|s| s.user_state(1, "bob")).await }
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
            panic!("{again:?}")
        };
        assert_eq!(again.inbox_seq, 1);
        store.close().await;
        thread.join().unwrap();
    }
}
