//! Streamed CDR answers: the body goes out while the rows are still being read.
//!
//! A getCDR of 700k rows is about 220 MB of JSON. Built whole before sending, it held the
//! client a second before the first byte and the server 250 MB of memory. Instead, a task
//! on tokio's blocking pool runs the query and writes the rows into pieces of about
//! [`DEFAULT_CHUNK_BYTES`], which it sends through a channel of [`QUEUE_CHUNKS`] pieces to
//! the response body. The channel is bounded, so a slow client slows the reading down
//! rather than letting the pieces pile up: one answer holds at most a few hundred KB
//! whatever its size, and a client that goes away stops the reading at the next piece.
//!
//! Everything decided before the first row is an ordinary whole answer: the parameter
//! checks' error codes and `no_cdr` (HTTP 200, a complete JSON object), and a store error
//! (HTTP 500). Once the first row is sent the status is out and cannot change, so a store
//! error after it (or a panic of the task) ends the response with an error: hyper closes
//! the connection without the chunked encoding's last chunk, and the client sees a broken
//! transfer, never a body that looks complete. The body ends normally only after the task
//! has written the closing `]}` and said so.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use cdr_core::status::ApiStatus;
use http_body::Frame;
use tokio::sync::{mpsc, oneshot};

use crate::log::PendingLine;
use crate::methods::{self, Answer, Params};
use crate::store::{self, Store, StoreError};

/// Bytes of JSON gathered into one piece of a streamed answer before it is sent (the first
/// piece, the envelope and the first row, goes out at once).
pub const DEFAULT_CHUNK_BYTES: usize = 64 * 1024;

/// Pieces waiting for the connection, at most. With the piece being written and the one
/// hyper is sending, an answer holds about `(QUEUE_CHUNKS + 2) * chunk` bytes.
pub const QUEUE_CHUNKS: usize = 4;

// `StreamProgress::end`; 0, the default, while the task runs.
const COMPLETE: u8 = 1;
const CLIENT_GONE: u8 = 2;
const STORE_ERROR: u8 = 3;

/// How far a streamed answer got, shared by its reading task and its body. The request's
/// log line waits here (see [`StreamLog`]) and is written when the body ends, or, for a
/// body dropped before its end, when the task is done too.
#[derive(Debug, Default)]
pub struct StreamProgress {
    rows: AtomicUsize,
    end: AtomicU8,
    line: Mutex<Option<PendingLine>>,
}

impl StreamProgress {
    /// Rows read so far (at the end: rows read in all, which may be more than were sent
    /// when the client went away).
    pub fn rows(&self) -> usize {
        self.rows.load(Ordering::Acquire)
    }

    /// How the answer ended, for the log: `None` while it runs or when its task died.
    pub fn outcome(&self) -> Option<&'static str> {
        match self.end.load(Ordering::Acquire) {
            COMPLETE => Some("success"),
            CLIENT_GONE => Some("success+client_gone"),
            STORE_ERROR => Some("success+store_error"),
            _ => None,
        }
    }

    /// Keeps the request's log line until the answer ends.
    pub fn set_line(&self, line: PendingLine) {
        *self.line.lock().unwrap_or_else(|e| e.into_inner()) = Some(line);
    }

    /// Writes the log line, once: when the body ends (the task has finished by then), or
    /// when the last holder lets go of a body that was dropped before its end.
    fn write_line(&self) {
        let line = self.line.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(line) = line {
            line.write(self.outcome().unwrap_or("success+cut"), self.rows());
        }
    }
}

impl Drop for StreamProgress {
    // A client that went away drops the body before the task has seen it: the task, the
    // last holder then, has the final row count.
    fn drop(&mut self) {
        self.write_line();
    }
}

/// A response extension that marks a streamed answer, for the log middleware, which takes
/// it out of the response and hands its line to the progress.
#[derive(Clone, Debug)]
pub struct StreamLog(pub Arc<StreamProgress>);

/// The body of a streamed answer: the pieces from the reading task, in order.
#[derive(Debug)]
pub struct CdrBody {
    rx: mpsc::Receiver<Bytes>,
    progress: Arc<StreamProgress>,
}

impl http_body::Body for CdrBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let end = match self.rx.poll_recv(cx) {
            Poll::Ready(Some(piece)) => return Poll::Ready(Some(Ok(Frame::data(piece)))),
            Poll::Pending => return Poll::Pending,
            // The task closed the channel: a normal end only if it wrote the whole answer.
            Poll::Ready(None) if self.progress.end.load(Ordering::Acquire) == COMPLETE => None,
            Poll::Ready(None) => Some(Err(io::Error::other(
                "the CDR answer ended before its last row",
            ))),
        };
        // Before hyper writes the last chunk: a client that has the whole answer finds its
        // line in the log.
        self.progress.write_line();
        Poll::Ready(end)
    }
}

/// An API answer: whole (every method's, and a CDR search's error code or `no_cdr`), or a
/// streamed CDR answer.
#[derive(Debug)]
pub enum Reply {
    /// Decided before any row was sent.
    Whole(Answer),
    /// Rows found: the body streams them, the progress tells the log how it went.
    Stream(CdrBody, Arc<StreamProgress>),
}

/// Answers getCDR (`reseller` false) or getResellerCDR from a task on the blocking pool,
/// streaming the rows in pieces of `chunk_bytes` once the first one is found.
pub async fn cdr(
    store: Store,
    params: Params,
    reseller: bool,
    chunk_bytes: usize,
) -> Result<Reply, StoreError> {
    let (start_tx, start_rx) = oneshot::channel();
    let (tx, rx) = mpsc::channel(QUEUE_CHUNKS);
    let progress = Arc::new(StreamProgress::default());
    let task_progress = Arc::clone(&progress);
    // Not awaited: the task outlives this function for as long as the answer streams.
    drop(tokio::task::spawn_blocking(move || {
        produce(
            &store,
            &params,
            reseller,
            chunk_bytes.max(1),
            start_tx,
            &tx,
            &task_progress,
        );
    }));
    match start_rx.await {
        Ok(Ok(Some(answer))) => Ok(Reply::Whole(answer)),
        Ok(Ok(None)) => Ok(Reply::Stream(
            CdrBody {
                rx,
                progress: Arc::clone(&progress),
            },
            progress,
        )),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(StoreError::Task(
            "the CDR task ended before answering".into(),
        )),
    }
}

/// What the reading task tells the handler before the first piece: a whole answer
/// (`Some`), the stream has begun (`None`), or a store error.
type Start = Result<Option<Answer>, StoreError>;

fn produce(
    store: &Store,
    params: &Params,
    reseller: bool,
    chunk_bytes: usize,
    start_tx: oneshot::Sender<Start>,
    tx: &mpsc::Sender<Bytes>,
    progress: &StreamProgress,
) {
    let conn = match store.conn() {
        Ok(conn) => conn,
        Err(e) => return drop(start_tx.send(Err(e))),
    };
    let query = match methods::cdr_query(params, &conn, reseller) {
        Ok(Ok(query)) => query,
        Ok(Err(status)) => return drop(start_tx.send(Ok(Some(Answer::error(status))))),
        Err(e) => return drop(start_tx.send(Err(e))),
    };
    let mut start_tx = Some(start_tx);
    let result = store::stream_cdr_json(&conn, &query, chunk_bytes, |piece, rows| {
        if let Some(start) = start_tx.take() {
            if start.send(Ok(None)).is_err() {
                // The handler is gone: the client left before the first row was found.
                return false;
            }
        }
        progress.rows.store(rows, Ordering::Release);
        tx.blocking_send(Bytes::from(piece)).is_ok()
    });
    match (result, start_tx) {
        (Ok(_), Some(start)) => drop(start.send(Ok(Some(Answer::error(ApiStatus::NoCdr))))),
        (Err(e), Some(start)) => drop(start.send(Err(e))),
        (Ok(pieces), None) => {
            progress.rows.store(pieces.rows, Ordering::Release);
            let end = if pieces.complete {
                COMPLETE
            } else {
                CLIENT_GONE
            };
            progress.end.store(end, Ordering::Release);
        }
        (Err(e), None) => {
            eprintln!("voipms-sim: store error in the middle of a CDR answer: {e}");
            progress.end.store(STORE_ERROR, Ordering::Release);
        }
    }
    // `tx` is dropped when the closure that owns it returns, which ends the body: normally
    // after COMPLETE, with an error otherwise.
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;

    async fn next(body: &mut CdrBody) -> Option<Result<Frame<Bytes>, io::Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await
    }

    fn body() -> (CdrBody, mpsc::Sender<Bytes>) {
        let (tx, rx) = mpsc::channel(QUEUE_CHUNKS);
        let progress = Arc::new(StreamProgress::default());
        (CdrBody { rx, progress }, tx)
    }

    #[tokio::test]
    async fn a_body_ends_cleanly_only_after_the_whole_answer() {
        // The task wrote everything and said so: a normal end.
        let (mut whole, tx) = body();
        tx.send(Bytes::from_static(b"{\"status\":\"success\",\"cdr\":[]}"))
            .await
            .unwrap();
        whole.progress.end.store(COMPLETE, Ordering::Release);
        drop(tx);
        assert!(next(&mut whole).await.unwrap().unwrap().is_data());
        assert!(next(&mut whole).await.is_none());

        // The task stopped without finishing (a store error, a panic): the body fails, so
        // hyper cuts the connection instead of ending the chunked body as if it were whole.
        for end in [STORE_ERROR, 0] {
            let (mut cut, tx) = body();
            tx.send(Bytes::from_static(b"{\"status\":\"success\",\"cdr\":[{"))
                .await
                .unwrap();
            cut.progress.end.store(end, Ordering::Release);
            drop(tx);
            assert!(next(&mut cut).await.unwrap().unwrap().is_data());
            assert!(next(&mut cut).await.unwrap().is_err());
        }
    }
}
