//! The writer thread: commits the journaled changes of a persisted state, in
//! batches, off the async workers and outside the state's lock.
//!
//! Writes change memory under the state's lock and, still under it, queue their
//! journal here, so the queue is in the order the changes were made. The thread takes
//! every journal waiting, commits them in one durable transaction and wakes their
//! writers. When a commit fails, it takes the state's lock, so nothing more is queued,
//! and undoes the failed batch and everything queued after it (which may build on
//! it), newest first: memory then again equals what is on disk, and every one of
//! those writers gets the error.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

use super::{Data, Journal, lock};
use crate::EmulatorError;
use crate::store::Store;

/// Most journals committed in one transaction.
const MAX_BATCH: usize = 1024;

/// A queued journal's place in line.
pub(crate) struct Ticket {
    outcome: mpsc::Receiver<Result<(), String>>,
}

struct Submission {
    seq: u64,
    journal: Journal,
    outcome: mpsc::SyncSender<Result<(), String>>,
}

/// How far the thread has got: every journal up to `processed` is committed or undone.
#[derive(Default)]
struct Progress {
    processed: Mutex<u64>,
    changed: Condvar,
    /// Mirror of `processed` for the wait-free fast path.
    processed_fast: AtomicU64,
}

impl Progress {
    fn advance(&self, to: u64) {
        let mut processed = self.processed.lock().unwrap_or_else(|p| p.into_inner());
        *processed = (*processed).max(to);
        self.processed_fast.store(*processed, Ordering::Release);
        self.changed.notify_all();
    }
}

/// The handle the state keeps.
pub(crate) struct Writer {
    /// `None` once closed.
    queue: Mutex<Option<mpsc::Sender<Submission>>>,
    /// Joined on close (and drop), so the database is closed when the emulator stops,
    /// whoever still holds the state.
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Sequence number of the last journal queued (only changed under the state's lock).
    submitted: AtomicU64,
    progress: Arc<Progress>,
    /// Set to make the commits fail.
    #[cfg(test)]
    pub(crate) fail_commits: Arc<std::sync::atomic::AtomicBool>,
}

impl Writer {
    /// Starts the thread that commits to `store`.
    pub(crate) fn start(store: Store, data: Arc<Mutex<Data>>) -> Self {
        let (queue, submissions) = mpsc::channel();
        let progress = Arc::new(Progress::default());
        let thread_progress = progress.clone();
        #[cfg(test)]
        let fail_commits = store.fail_commits.clone();
        let thread = std::thread::Builder::new()
            .name("pinion-emulator-writer".into())
            .spawn(move || run(&store, &data, &submissions, &thread_progress))
            .expect("the writer thread starts");
        Writer {
            queue: Mutex::new(Some(queue)),
            thread: Mutex::new(Some(thread)),
            submitted: AtomicU64::new(0),
            progress,
            #[cfg(test)]
            fail_commits,
        }
    }

    /// The sequence number of the last journal queued.
    pub(crate) fn submitted(&self) -> u64 {
        self.submitted.load(Ordering::Acquire)
    }

    /// Queues `journal`; call with the state's lock held.
    pub(crate) fn submit(&self, journal: Journal) -> Ticket {
        let (outcome, receiver) = mpsc::sync_channel(1);
        let seq = self.submitted.load(Ordering::Acquire) + 1;
        self.submitted.store(seq, Ordering::Release);
        let submission = Submission {
            seq,
            journal,
            outcome,
        };
        let queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        let refused = match queue.as_ref() {
            Some(queue) => queue.send(submission).err().map(|mpsc::SendError(s)| s),
            None => Some(submission),
        };
        if let Some(submission) = refused {
            // Closed (the emulator has stopped): answer at once.
            let _ = submission
                .outcome
                .send(Err("the state writer thread has stopped".into()));
        }
        Ticket { outcome: receiver }
    }

    /// Waits until the journal of `ticket` is committed (or undone: then the error).
    pub(crate) fn wait(&self, ticket: Ticket) -> Result<(), EmulatorError> {
        off_the_runtime(|| match ticket.outcome.recv() {
            Ok(outcome) => outcome.map_err(EmulatorError::Store),
            Err(_) => Err(EmulatorError::Store(
                "the state writer thread has stopped".into(),
            )),
        })
    }

    /// Waits until every journal up to `seq` is committed or undone.
    pub(crate) fn wait_processed(&self, seq: u64) {
        if self.progress.processed_fast.load(Ordering::Acquire) >= seq {
            return;
        }
        off_the_runtime(|| {
            let mut processed = self
                .progress
                .processed
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            while *processed < seq {
                processed = self
                    .progress
                    .changed
                    .wait(processed)
                    .unwrap_or_else(|p| p.into_inner());
            }
        });
    }
}

impl Writer {
    /// Commits what is queued, then stops the thread, which closes the database: a
    /// new emulator can open the same state directory as soon as this returns, even
    /// while a connection task of the stopped one still holds the state. Later writes
    /// fail with "the state writer thread has stopped".
    pub(crate) fn close(&self) {
        // Closing the queue ends the thread once it has committed what was queued.
        drop(self.queue.lock().unwrap_or_else(|p| p.into_inner()).take());
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            off_the_runtime(|| {
                let _ = thread.join();
            });
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.close();
    }
}

/// Runs a blocking wait so that a multi-threaded runtime hands this worker's other
/// tasks to another thread meanwhile; elsewhere (a current-thread runtime, no
/// runtime) the wait simply blocks.
fn off_the_runtime<R>(wait: impl FnOnce() -> R) -> R {
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|handle| handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_thread {
        tokio::task::block_in_place(wait)
    } else {
        wait()
    }
}

fn run(
    store: &Store,
    data: &Mutex<Data>,
    submissions: &mpsc::Receiver<Submission>,
    progress: &Progress,
) {
    while let Ok(first) = submissions.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match submissions.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let changes = batch
            .iter()
            .flat_map(|submission| &submission.journal.changes);
        match store.apply(changes) {
            Ok(()) => {
                let last = batch.last().map_or(0, |submission| submission.seq);
                progress.advance(last);
                for submission in batch {
                    let _ = submission.outcome.send(Ok(()));
                }
            }
            Err(error) => {
                let reason = format!("the change was not stored and was undone: {error}");
                let mut data = lock(data);
                // Under the lock nothing more is queued: all later journals are here.
                while let Ok(next) = submissions.try_recv() {
                    batch.push(next);
                }
                for submission in batch.iter_mut().rev() {
                    for undo in submission.journal.undo.drain(..).rev() {
                        undo(&mut data);
                    }
                }
                let last = batch.last().map_or(0, |submission| submission.seq);
                progress.advance(last);
                drop(data);
                for submission in batch {
                    let _ = submission.outcome.send(Err(reason.clone()));
                }
            }
        }
    }
}
