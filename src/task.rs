//! Work that belongs to a component and ends with it.
//!
//! Leptos 0.8 panics when a disposed signal or stored value is read, and the release build
//! aborts on a panic: a task that outlives its page (an answer arriving after the user has
//! moved on) takes the whole app down. A [`Job`] is the only way the app starts async work:
//! it is aborted when its owner is cleaned up, and a newer start aborts the older one, so its
//! future is never polled again once the page is gone. Timers and listeners are removed with
//! `on_cleanup` where they are made.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::{on_cleanup, set_timeout_with_handle, TimeoutHandle};
use leptos::task::spawn_local;
use web_sys::{AbortController, AbortSignal};

/// The one running task of a component (or of one of its parts).
#[derive(Clone, Default)]
pub struct Job {
    // A plain mutex rather than a stored value: the clean-up that aborts may run while the
    // owner's reactive nodes are being disposed.
    current: Arc<Mutex<Option<AbortHandle>>>,
}

impl Job {
    /// A job with nothing running, aborted when the current owner is cleaned up. Call it
    /// while the component is being set up.
    pub fn new() -> Job {
        let job = Job::default();
        let owned = job.clone();
        on_cleanup(move || owned.abort());
        job
    }

    /// Stops the running task, if any: its future is dropped without being polled again,
    /// which also aborts its requests (see [`Requests`]).
    pub fn abort(&self) {
        if let Some(handle) = self.lock().take() {
            handle.abort();
        }
    }

    /// Runs `task`, aborting the one before it.
    pub fn start(&self, task: impl Future<Output = ()> + 'static) {
        self.abort();
        let (handle, registration) = AbortHandle::new_pair();
        *self.lock() = Some(handle);
        spawn_local(async move {
            // Aborted: the future is dropped unfinished, which is the point.
            let _ = Abortable::new(task, registration).await;
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<AbortHandle>> {
        // Nothing panics while the lock is held, so a poisoned lock still holds a valid value.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The browser requests of one task: aborted together when the task is dropped (finished,
/// replaced, cancelled or its page gone), so that an abandoned search stops spending the
/// API's per-minute budget.
pub struct Requests {
    controller: Option<AbortController>,
}

impl Requests {
    /// A fresh abort controller for the requests of a task.
    pub fn new() -> Requests {
        Requests {
            controller: AbortController::new().ok(),
        }
    }

    /// The signal to hand to each request.
    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(AbortController::signal)
    }
}

impl Default for Requests {
    fn default() -> Requests {
        Requests::new()
    }
}

impl Drop for Requests {
    fn drop(&mut self) {
        // Aborting a controller whose requests have all finished does nothing.
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

/// A timer that fires once after the last of a run of calls (typing in the quick filter),
/// cleared when its owner is cleaned up so that it never fires into a page that is gone.
#[derive(Clone)]
pub struct Debounce {
    pending: Arc<Mutex<Option<TimeoutHandle>>>,
    delay: Duration,
}

impl Debounce {
    /// A debounce of `delay`, owned by the current owner. Call it while the component is
    /// being set up.
    pub fn new(delay: Duration) -> Debounce {
        let debounce = Debounce {
            pending: Arc::default(),
            delay,
        };
        let owned = debounce.clone();
        on_cleanup(move || owned.clear());
        debounce
    }

    /// Runs `f` after the delay, unless called again before.
    pub fn call(&self, f: impl FnOnce() + 'static) {
        self.clear();
        let pending = Arc::clone(&self.pending);
        let handle = set_timeout_with_handle(
            move || {
                pending.lock().unwrap_or_else(|e| e.into_inner()).take();
                f();
            },
            self.delay,
        );
        *self.pending.lock().unwrap_or_else(|e| e.into_inner()) = handle.ok();
    }

    /// Drops the pending call, if any.
    pub fn clear(&self) {
        if let Some(h) = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            h.clear();
        }
    }
}
