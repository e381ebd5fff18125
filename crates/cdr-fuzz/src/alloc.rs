//! A counting global allocator that refuses what one input may not take.
//!
//! The worker arms it around each input with a limit; any single request past the limit, or
//! one that would lift the live total (above what was live before the input) past it, is
//! refused. A refused request ends the worker (Rust aborts on a failed allocation, and on
//! stable nothing can turn that into a panic), so the refusal is written to stderr first,
//! with the phase it happened in, for the supervisor to read.
//!
//! It also sums the bytes each input allocates, per phase: a deterministic measure of work.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering::Relaxed};

use crate::phase;

/// The allocator: [`System`] with counters and an optional limit.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ARMED: AtomicBool = AtomicBool::new(false);
/// The live total that may not be passed while armed (the base plus the limit).
static LIVE_LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
/// The largest single request while armed.
static SINGLE_LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
/// The size of the first refused request since the last arming; 0 when none was.
static REFUSED: AtomicUsize = AtomicUsize::new(0);
/// The phase of that request.
static REFUSED_IN: AtomicU8 = AtomicU8::new(0);
/// Bytes requested per phase since the last arming (reallocations count their growth).
static ALLOCATED: [AtomicU64; phase::COUNT] = [const { AtomicU64::new(0) }; phase::COUNT];

/// What one armed stretch allocated.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    /// Bytes requested in all.
    pub allocated: u64,
    /// The highest live total above the base.
    pub peak: usize,
    /// The first refused request, if any, and its phase.
    pub refused: Option<(usize, phase::Phase)>,
}

/// Arms the limit for one input: `limit` bytes for any single request and for the growth of
/// the live total from now.
pub fn arm(limit: usize) {
    let live = LIVE.load(Relaxed);
    LIVE_LIMIT.store(live.saturating_add(limit), Relaxed);
    SINGLE_LIMIT.store(limit, Relaxed);
    PEAK.store(live, Relaxed);
    REFUSED.store(0, Relaxed);
    for a in &ALLOCATED {
        a.store(0, Relaxed);
    }
    ARMED.store(true, Relaxed);
}

/// Disarms the limit and says what the input took; `base` is the live total at arming.
pub fn disarm(base: usize) -> Usage {
    ARMED.store(false, Relaxed);
    let refused = REFUSED.load(Relaxed);
    Usage {
        allocated: ALLOCATED.iter().map(|a| a.load(Relaxed)).sum(),
        peak: PEAK.load(Relaxed).saturating_sub(base),
        refused: (refused != 0).then(|| {
            (
                refused,
                phase::Phase::ALL[usize::from(REFUSED_IN.load(Relaxed))],
            )
        }),
    }
}

/// The bytes currently live.
pub fn live() -> usize {
    LIVE.load(Relaxed)
}

/// Bytes requested per phase during the last armed stretch.
pub fn allocated_by_phase() -> [u64; phase::COUNT] {
    std::array::from_fn(|i| ALLOCATED[i].load(Relaxed))
}

/// Whether a request of `size` that grows the live total by `growth` may go ahead.
#[inline]
fn admit(size: usize, growth: usize) -> bool {
    if !ARMED.load(Relaxed) {
        return true;
    }
    let live = LIVE.load(Relaxed);
    if size <= SINGLE_LIMIT.load(Relaxed) && live.saturating_add(growth) <= LIVE_LIMIT.load(Relaxed)
    {
        ALLOCATED[phase::current() as usize].fetch_add(growth as u64, Relaxed);
        return true;
    }
    if REFUSED
        .compare_exchange(0, size.max(1), Relaxed, Relaxed)
        .is_ok()
    {
        REFUSED_IN.store(phase::current() as u8, Relaxed);
        report(size, live);
    }
    false
}

#[inline]
fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

/// Writes the refusal to stderr without allocating: a fixed buffer and a raw `write`.
#[cold]
fn report(size: usize, live: usize) {
    use std::fmt::Write as _;
    let mut line = StackLine::default();
    let base = LIVE_LIMIT
        .load(Relaxed)
        .saturating_sub(SINGLE_LIMIT.load(Relaxed));
    let _ = writeln!(
        line,
        "{}alloc in {}: refused a request of {} bytes with {} bytes live for this input (limit {} bytes)",
        crate::REPORT_PREFIX,
        phase::current().name(),
        size,
        live.saturating_sub(base),
        SINGLE_LIMIT.load(Relaxed),
    );
    write_stderr(line.as_bytes());
}

/// Raw bytes to stderr.
pub(crate) fn write_stderr(bytes: &[u8]) {
    #[cfg(unix)]
    // SAFETY: fd 2 stays open for the life of the process, and the buffer is valid for its
    // length.
    unsafe {
        libc::write(2, bytes.as_ptr().cast(), bytes.len());
    }
    #[cfg(not(unix))]
    {
        use std::io::Write as _;
        let _ = std::io::stderr().write_all(bytes);
    }
}

/// A line formatted on the stack.
struct StackLine {
    buf: [u8; 512],
    len: usize,
}

impl Default for StackLine {
    fn default() -> Self {
        StackLine {
            buf: [0; 512],
            len: 0,
        }
    }
}

impl StackLine {
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl std::fmt::Write for StackLine {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

// SAFETY: every request is passed to `System` unchanged or refused with a null pointer,
// which callers of a `GlobalAlloc` must handle; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !admit(layout.size(), layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract for `layout`, forwarded.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !admit(layout.size(), layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: as in `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let growth = new_size.saturating_sub(layout.size());
        if !admit(new_size, growth) {
            return std::ptr::null_mut();
        }
        // SAFETY: as in `alloc`; `ptr` came from `System` with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(growth);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}
