//! User Timing measures (`performance.measure`) of the hot paths, so that benchmarks and the
//! browser's performance panel read the same figures: `cdr:decode`, `cdr:sort`, `cdr:filter`,
//! `cdr:first-paint`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

/// Runs `f` and records how long it took under `name`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let Some(p) = window().performance() else {
        return f();
    };
    let start = format!("{name}:start");
    let _ = p.mark(&start);
    let out = f();
    let _ = p.measure_with_start_mark(name, &start);
    p.clear_marks_with_mark_name(&start);
    out
}

/// Records, under `name`, the time from now until the next frame has been painted: what a
/// person waits between having the data and seeing it. (A task queued from an animation
/// frame callback runs once that frame is painted.)
pub fn measure_until_painted(name: &'static str) {
    let Some(p) = window().performance() else {
        return;
    };
    let start = format!("{name}:start");
    let _ = p.mark(&start);
    after_next_paint(move || {
        if let Some(p) = window().performance() {
            let _ = p.measure_with_start_mark(name, &start);
            p.clear_marks_with_mark_name(&start);
        }
    });
}

/// Runs `f` once the next frame has been painted, unless the current owner (the component
/// or effect that asked) is cleaned up first: then nothing runs.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let live = Arc::new(AtomicBool::new(true));
    let owned = Arc::clone(&live);
    on_cleanup(move || owned.store(false, Ordering::Relaxed));
    request_animation_frame(move || {
        set_timeout(
            move || {
                if live.load(Ordering::Relaxed) {
                    f();
                }
            },
            std::time::Duration::ZERO,
        )
    });
}
