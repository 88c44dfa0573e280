//! A bounded queue between tasks that costs nothing while it is empty: the session mailbox
//! and each connection's outbound queue.
//!
//! Why not `tokio::sync::mpsc`: its channel allocates a block of 32 slots when it is
//! created, whatever its bound, and keeps it. With two channels per logged-in connection that
//! was about 3 KB of every idle connection (tinyim-bench connect: 14.7 KB per connection
//! before this and the other memory fixes, 7.8 KB after the mailbox alone). This queue is a
//! `VecDeque` behind a mutex: no allocation until something is queued, and the memory goes
//! back once a burst has drained. Waiting uses two `Notify`s, whose stored permit means no
//! wake-up is lost between a check and the wait.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

/// Capacity kept by an empty queue; a drained queue with more gives its memory back.
const KEEP: usize = 8;

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Something was queued, or the last sender left.
    readable: Notify,
    /// Something was taken, or the receiver left.
    writable: Notify,
    capacity: usize,
}

struct State<T> {
    items: VecDeque<T>,
    senders: usize,
    receiver: bool,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A queue holding at most `capacity` items.
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::new(),
            senders: 1,
            receiver: true,
        }),
        readable: Notify::new(),
        writable: Notify::new(),
        capacity: capacity.max(1),
    });
    (Sender(Arc::clone(&shared)), Receiver(shared))
}

/// Why an item was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// The queue is at its capacity ([`Sender::try_send`]) or stayed so for the whole wait
    /// ([`Sender::send_timeout`]).
    Full,
    /// The receiver is gone.
    Closed,
}

/// The sending side; clones share the queue.
pub struct Sender<T>(Arc<Shared<T>>);

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.0.lock().senders += 1;
        Sender(Arc::clone(&self.0))
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let last = {
            let mut st = self.0.lock();
            st.senders -= 1;
            st.senders == 0
        };
        if last {
            self.0.readable.notify_one();
        }
    }
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("queue::Sender")
    }
}

impl<T> Sender<T> {
    /// Queues `item` if there is room, without waiting.
    pub fn try_send(&self, item: T) -> Result<(), SendError> {
        {
            let mut st = self.0.lock();
            if !st.receiver {
                return Err(SendError::Closed);
            }
            if st.items.len() >= self.0.capacity {
                return Err(SendError::Full);
            }
            st.items.push_back(item);
        }
        self.0.readable.notify_one();
        Ok(())
    }

    /// Queues `item`, waiting for room.
    pub async fn send(&self, item: T) -> Result<(), SendError> {
        let mut item = Some(item);
        loop {
            {
                let mut st = self.0.lock();
                if !st.receiver {
                    return Err(SendError::Closed);
                }
                if st.items.len() < self.0.capacity {
                    if let Some(i) = item.take() {
                        st.items.push_back(i);
                    }
                    drop(st);
                    self.0.readable.notify_one();
                    return Ok(());
                }
            }
            self.0.writable.notified().await;
        }
    }

    /// [`Sender::send`], giving up after `limit` (the item is then dropped).
    pub async fn send_timeout(&self, item: T, limit: Duration) -> Result<(), SendError> {
        tokio::time::timeout(limit, self.send(item))
            .await
            .unwrap_or(Err(SendError::Full))
    }
}

/// The receiving side.
pub struct Receiver<T>(Arc<Shared<T>>);

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        {
            let mut st = self.0.lock();
            st.receiver = false;
            st.items.clear();
        }
        self.0.writable.notify_one();
    }
}

/// [`Receiver::try_recv`] found nothing.
#[derive(Debug)]
pub struct Empty;

impl<T> Receiver<T> {
    /// The next item, waiting for one; `None` once it is empty and every sender is gone.
    pub async fn recv(&mut self) -> Option<T> {
        loop {
            {
                let mut st = self.0.lock();
                if let Some(item) = take(&mut st) {
                    drop(st);
                    self.0.writable.notify_one();
                    return Some(item);
                }
                if st.senders == 0 {
                    return None;
                }
            }
            self.0.readable.notified().await;
        }
    }

    /// The next item, if one is queued.
    pub fn try_recv(&mut self) -> Result<T, Empty> {
        let item = take(&mut self.0.lock()).ok_or(Empty)?;
        self.0.writable.notify_one();
        Ok(item)
    }

    pub fn is_empty(&self) -> bool {
        self.0.lock().items.is_empty()
    }
}

fn take<T>(st: &mut State<T>) -> Option<T> {
    let item = st.items.pop_front()?;
    if st.items.is_empty() && st.items.capacity() > KEEP {
        st.items = VecDeque::new();
    }
    Some(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bounded_in_order_and_closes_both_ways() {
        let (tx, mut rx) = channel(2);
        tx.try_send(1).unwrap();
        tx.send(2).await.unwrap();
        assert_eq!(tx.try_send(3), Err(SendError::Full));
        assert_eq!(
            tx.send_timeout(3, Duration::from_millis(20)).await,
            Err(SendError::Full)
        );
        // A waiting sender gets in as soon as there is room.
        let tx2 = tx.clone();
        let waiting = tokio::spawn(async move { tx2.send(3).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(rx.recv().await, Some(1));
        waiting.await.unwrap().unwrap();
        assert_eq!(rx.try_recv().ok(), Some(2));
        assert!(!rx.is_empty());
        assert_eq!(rx.recv().await, Some(3));
        assert!(rx.try_recv().is_err());
        // The last sender leaving ends the receiver; a receiver leaving fails senders.
        drop(tx);
        assert_eq!(rx.recv().await, None);
        let (tx, rx) = channel::<u8>(1);
        drop(rx);
        assert_eq!(tx.try_send(1), Err(SendError::Closed));
        assert_eq!(tx.send(1).await, Err(SendError::Closed));
    }
}
