//! Inbox pushes: the offline catch-up after login, live deliveries, and the client's
//! cumulative acks (docs/protocol.md "Resume", "Acknowledge").
//!
//! Deliveries leave strictly in inbox order without gaps: an event that overtook a
//! catch-up is filled in from the store first.

use super::*;

impl Connection {
    /// Pushes inbox entries after `pushed` from the store until `until` is pushed or the
    /// inbox is exhausted.
    /// Pushes the inbox from what was pushed up to `until` (or its end); entries up to
    /// `offline_through` are marked offline (stored before this session logged in).
    pub(super) async fn catch_up(&mut self, until: u64, offline_through: u64) -> Step {
        loop {
            let Some(s) = self.session.as_ref() else {
                return Ok(());
            };
            if s.pushed >= until {
                return Ok(());
            }
            let entries = match self
                .shared
                .store
                .inbox_after(s.app, &s.user.user_id, s.pushed, MAX_PAGE_COUNT)
                .await
            {
                Ok(e) => e,
                Err(e) => {
                    tracing::error!(error = %e, "store: reading the inbox failed");
                    self.error(0, code::DATABASE_ERROR, "database error")
                        .await?;
                    return Err(End::Close(INTERNAL_ERROR, "store error"));
                }
            };
            let full = entries.len() == MAX_PAGE_COUNT as usize;
            if entries.is_empty() {
                return Ok(());
            }
            self.push_entries(entries, offline_through).await?;
            if !full {
                return Ok(());
            }
        }
    }

    /// Sends `entries` (ascending, all after `pushed`) as Push frames within the size cap;
    /// those up to `offline_through` in frames marked offline, the others in live ones.
    pub(super) async fn push_entries(
        &mut self,
        entries: Vec<InboxEntry>,
        offline_through: u64,
    ) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        let viewer = s.user.user_id.clone();
        let mut batch: Vec<Delivery> = Vec::new();
        let mut size = 0;
        let mut last = s.pushed;
        let mut batch_offline = false;
        for e in entries {
            if e.seq <= last {
                continue;
            }
            let n = e.item.wire_size();
            let offline = e.seq <= offline_through;
            if !batch.is_empty() && (size + n > FRAME_BUDGET || offline != batch_offline) {
                self.send_push(std::mem::take(&mut batch), batch_offline, last)
                    .await?;
                size = 0;
            }
            batch_offline = offline;
            size += n;
            last = e.seq;
            let (message, notice) = match e.item {
                InboxItem::Message(m) => (Some(m.view_for(&viewer)), None),
                InboxItem::Notice(n) => (None, Some((*n).clone())),
            };
            batch.push(Delivery {
                inbox_seq: e.seq,
                message,
                notice,
            });
        }
        if !batch.is_empty() {
            self.send_push(batch, batch_offline, last).await?;
        }
        Ok(())
    }

    pub(super) async fn send_push(
        &mut self,
        deliveries: Vec<Delivery>,
        offline: bool,
        last: u64,
    ) -> Step {
        let m = &self.shared.metrics;
        m.pushes_inbox.fetch_add(1, Relaxed);
        m.deliveries_inbox
            .fetch_add(deliveries.len() as u64, Relaxed);
        self.reply(
            0,
            Body::Push(Push {
                offline,
                deliveries: List::from(deliveries),
            }),
        )
        .await?;
        if let Some(s) = self.session.as_mut() {
            s.pushed = last;
        }
        Ok(())
    }

    pub(super) async fn on_event(&mut self, first: Event) -> Step {
        let mut next = Some(first);
        while let Some(ev) = next.take() {
            match ev {
                Event::Frame(bytes) => self.send_bytes(bytes).await?,
                Event::Inbox(seq, item) => {
                    let Some(s) = self.session.as_mut() else {
                        return Ok(());
                    };
                    if seq <= s.pushed {
                        continue;
                    }
                    if seq > s.pushed + 1 {
                        // Something overtook us: fill the gap from the store.
                        self.catch_up(seq, 0).await?;
                        continue;
                    }
                    // Gather what else is already waiting into one Push.
                    let mut size = item.wire_size();
                    let mut last = seq;
                    let mut batch = vec![InboxEntry { seq, item }];
                    while batch.len() < MAX_PAGE_COUNT as usize && size < FRAME_BUDGET / 2 {
                        match s.mailbox.try_recv() {
                            Ok(Event::Inbox(q, item)) if q == last + 1 => {
                                size += item.wire_size();
                                last = q;
                                batch.push(InboxEntry { seq: q, item });
                            }
                            Ok(Event::Inbox(q, _)) if q <= last => {}
                            Ok(other) => {
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    self.push_entries(batch, 0).await?;
                }
            }
        }
        Ok(())
    }

    pub(super) async fn on_push_ack(&mut self, seq: u64) -> Step {
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        let seq = seq.min(s.pushed);
        if seq > s.acked {
            s.acked = seq;
            self.shared.store.ack(s.app, &s.user.user_id, seq).await;
        }
        Ok(())
    }
}
