//! The worker: a child process that runs inputs sent by the supervisor and answers with a
//! verdict for each.
//!
//! A separate process because some failures end a process whatever it does: an allocation
//! refused by the limit aborts (stable Rust cannot make that a panic), and so does a stack
//! overflow. The supervisor survives them, and knows which input was running.
//!
//! Protocol, both ways little-endian: the supervisor writes `u32 length, bytes`; the worker
//! answers `u8 tag, u64 cpu_ns, u32 n`, then for tag 0 (passed) `n` feature ids as `u16`,
//! for tag 1 (failed) a reason of `n` bytes of UTF-8.

use std::cell::RefCell;
use std::io::{self, BufWriter, Read, Write};
use std::panic::{self, AssertUnwindSafe};

use crate::alloc;
use crate::exec::{self, Env, Features};
use crate::phase::{self, Phase};

/// Memory one input may take: any single allocation, and the growth of the live total.
///
/// 64 MiB covers the fixed costs of the pipeline (tables of buckets, the charts' strings);
/// 64 bytes per input byte is three times the most any generated input kept live at once
/// (19 bytes a byte, `--profile` prints it): rows, the table's search copy, sort keys and
/// CSVs all live together.
pub fn memory_limit(len: usize) -> usize {
    (64 << 20) + 64 * len
}

/// The fixed part of the CPU budget of an input: the pipeline runs a small input in well
/// under a millisecond, so nothing linear comes near it.
pub const FIXED_BUDGET_NS: u64 = 250_000_000;

/// How many times the calibrated cost per byte an input may take, unless `--margin` says.
pub const PER_BYTE_MARGIN: u64 = 20;

/// The per-byte part of the budget when it is not calibrated (the supervisor's watchdog).
pub const DEFAULT_PER_BYTE_NS: u64 = 1_000;

/// CPU time an input of `len` bytes may take, in nanoseconds, at `per_byte_ns`.
pub fn time_budget_ns(len: usize, per_byte_ns: u64) -> u64 {
    FIXED_BUDGET_NS + per_byte_ns * len as u64
}

/// A body of every kind of row at once, about 600 KB, whose cost per byte is the
/// calibration of the per-byte budget.
pub fn reference_body() -> Vec<u8> {
    let cdr = cdr_core::synth::cdr_body(1500, 1, false).into_bytes();
    let mut rates = String::from("{\"rates\":[");
    let mut terms =
        String::from("{\"route\":{\"value\":\"1\",\"description\":\"Value\"},\"rates\":[");
    for i in 0..1500 {
        if i > 0 {
            rates.push(',');
            terms.push(',');
        }
        rates.push_str(&format!(
            "{{\"destination\":\"Destination {i}\",\"prefix\":\"{}\",\"client_increment\":\"60\",\"client_rate\":\"0.015\",\"real_increment\":\"6\",\"real_rate\":\"0.0052\"}}",
            1_000_000 + i * 7
        ));
        terms.push_str(&format!(
            "{{\"destination\":\"Destination {i}\",\"prefix\":\"{}\",\"increment\":\"6\",\"rate\":\"0.009\"}}",
            1_000_000 + i * 7
        ));
    }
    rates.push_str("]}");
    terms.push_str("]}");
    crate::seeds::merge(
        &crate::seeds::merge(&cdr, rates.as_bytes()),
        terms.as_bytes(),
    )
}

/// Bytes one input may allocate in all, a measure of work that is the same on every run
/// and every machine, so it can never flake.
///
/// 1 GiB fixed and 1 KiB per input byte: the pipeline allocates about 18 bytes a byte on
/// average and 153 at most (`--profile` prints both), so only work that grows faster than
/// the input comes near it.
pub fn work_budget(len: usize) -> u64 {
    (1 << 30) + 1024 * len as u64
}

/// The verdict on one input.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    /// Why it failed, one line; `None` when it passed.
    pub failure: Option<String>,
    /// What happened, for the corpus.
    pub features: Vec<u16>,
    /// CPU time of the (first) run.
    pub cpu_ns: u64,
}

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps a panic's message and place for the verdict instead of printing it.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let line = format!(
            "panic in {}: {}{place}",
            phase::current().name(),
            message.replace(['\n', '\r'], " ")
        );
        PANIC.with(|p| *p.borrow_mut() = Some(line));
    }));
}

/// A fault to inject into every input, named by `CDR_FUZZ_FAULT` (`panic`, `alloc`,
/// `stack`, `hang`, `slow`): the integration tests check with it that the supervisor
/// catches and names each kind of failure.
fn fault() -> Option<&'static str> {
    static FAULT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    FAULT
        .get_or_init(|| std::env::var("CDR_FUZZ_FAULT").ok())
        .as_deref()
}

// Endless on purpose: the `stack` fault.
#[allow(unconditional_recursion)]
#[inline(never)]
fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 64]);
    frame[0] + recurse(depth + 1)
}

fn inject(fault: &str, budget_ns: u64) {
    phase::enter(Phase::Check);
    match fault {
        "panic" => panic!("an injected panic"),
        "alloc" => {
            std::hint::black_box(vec![1u8; 1 << 40]);
        }
        "stack" => {
            std::hint::black_box(recurse(0));
        }
        "hang" => loop {
            std::hint::black_box(0);
        },
        "slow" => {
            let until = crate::cpu::thread_ns() + 2 * budget_ns;
            while crate::cpu::thread_ns() < until {
                std::hint::black_box(0);
            }
        }
        _ => {}
    }
}

/// Runs inputs with the limits and judges them.
pub struct Runner {
    env: Env,
    features: Features,
    per_byte_ns: u64,
    calibrated: bool,
}

impl Default for Runner {
    fn default() -> Self {
        Runner::new()
    }
}

struct Run {
    result: Result<(), String>,
    cpu_ns: u64,
    usage: alloc::Usage,
    cpu_by_phase: Option<[u64; phase::COUNT]>,
}

impl Runner {
    /// A runner with the fixtures' rate decks loaded.
    pub fn new() -> Runner {
        Runner {
            env: Env::new(),
            features: Features::default(),
            per_byte_ns: DEFAULT_PER_BYTE_NS,
            calibrated: false,
        }
    }

    /// Sets the per-byte budget to `margin` (by default [`PER_BYTE_MARGIN`]) times what [`reference_body`] costs
    /// a byte here, the best of three runs: the budget then follows the build (a debug
    /// build of the harness is slower) and the machine. Returns the cost per byte.
    pub fn calibrate(&mut self, margin: u64) -> u64 {
        let body = reference_body();
        let best = (0..3)
            .map(|_| {
                let run = self.once(&body, false);
                self.features.take();
                run.cpu_ns
            })
            .min()
            .unwrap_or(0);
        let per_byte = best / body.len().max(1) as u64;
        self.per_byte_ns = (margin * per_byte).max(50);
        self.calibrated = true;
        per_byte
    }

    /// The CPU budget of an input of `len` bytes, in nanoseconds.
    pub fn budget_ns(&self, len: usize) -> u64 {
        time_budget_ns(len, self.per_byte_ns)
    }

    fn once(&mut self, input: &[u8], profile: bool) -> Run {
        let base = alloc::live();
        PANIC.with(|p| p.borrow_mut().take());
        if profile {
            phase::start_profile();
        }
        let start = crate::cpu::thread_ns();
        alloc::arm(memory_limit(input.len()));
        let budget = self.budget_ns(input.len());
        let calibrated = self.calibrated;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            if let Some(f) = fault().filter(|_| calibrated) {
                inject(f, budget);
            }
            exec::run(&self.env, input, &mut self.features)
        }));
        let usage = alloc::disarm(base);
        let cpu_ns = crate::cpu::thread_ns().saturating_sub(start);
        let cpu_by_phase = profile.then(phase::stop_profile);
        phase::enter(Phase::Idle);
        let result = match result {
            Ok(r) => r,
            Err(_) => Err(PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "panic in an unknown phase".to_owned())),
        };
        Run {
            result,
            cpu_ns,
            usage,
            cpu_by_phase,
        }
    }

    /// Runs `input` once with the limits, without judging its time: for [`crate::supervisor::profile`].
    pub fn profile_once(&mut self, input: &[u8]) -> (Result<(), String>, alloc::Usage) {
        let run = self.once(input, false);
        self.features.take();
        (run.result, run.usage)
    }

    /// Runs `input` and judges it: a broken property, a panic, an allocation past the
    /// limit, more work or CPU time than its length allows.
    pub fn run(&mut self, input: &[u8]) -> Verdict {
        let first = self.once(input, false);
        let features = self.features.take();
        let verdict = |failure: Option<String>| Verdict {
            failure,
            features: features.clone(),
            cpu_ns: first.cpu_ns,
        };
        if let Err(reason) = first.result {
            return verdict(Some(reason));
        }
        if let Some((size, phase)) = first.usage.refused {
            return verdict(Some(format!(
                "alloc in {}: refused a request of {size} bytes, and the refusal was handled",
                phase.name()
            )));
        }

        let len = input.len();
        if first.usage.allocated > work_budget(len) {
            let (heaviest, share) = phase::heaviest(&alloc::allocated_by_phase());
            return verdict(Some(format!(
                "work in {}: allocated {} bytes in all for {len} input bytes (budget {}), {share}% of it there",
                heaviest.name(),
                first.usage.allocated,
                work_budget(len)
            )));
        }
        let budget = self.budget_ns(len);
        if first.cpu_ns > budget {
            // Confirmed only if every run is over: one run under budget means the load of
            // the machine, not the input, made the first one slow. A second run (which also
            // says where the time goes) settles it when both are twice over; a third one
            // when they are closer.
            let mut best = first.cpu_ns;
            let mut by_phase = None;
            for _ in 0..2 {
                let again = self.once(input, true);
                self.features.take();
                if again.cpu_ns < best {
                    best = again.cpu_ns;
                }
                by_phase = again.cpu_by_phase.or(by_phase);
                if best <= budget || best > 2 * budget {
                    break;
                }
            }
            if best > budget {
                let (heaviest, share) = by_phase.map_or((Phase::Idle, 0), |p| phase::heaviest(&p));
                return verdict(Some(format!(
                    "slow in {}: {} ms of CPU for {len} input bytes (budget {} ms: {} ms and {} ns a byte), {share}% of it there",
                    heaviest.name(),
                    best / 1_000_000,
                    budget / 1_000_000,
                    FIXED_BUDGET_NS / 1_000_000,
                    self.per_byte_ns
                )));
            }
        }
        verdict(None)
    }
}

fn read_input(from: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 4];
    match from.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.clear();
    buf.resize(u32::from_le_bytes(len) as usize, 0);
    from.read_exact(buf)?;
    Ok(true)
}

/// Writes one verdict in the protocol's form.
pub fn write_verdict(to: &mut impl Write, v: &Verdict) -> io::Result<()> {
    match &v.failure {
        None => {
            to.write_all(&[0])?;
            to.write_all(&v.cpu_ns.to_le_bytes())?;
            to.write_all(&(v.features.len() as u32).to_le_bytes())?;
            for id in &v.features {
                to.write_all(&id.to_le_bytes())?;
            }
        }
        Some(reason) => {
            to.write_all(&[1])?;
            to.write_all(&v.cpu_ns.to_le_bytes())?;
            to.write_all(&(reason.len() as u32).to_le_bytes())?;
            to.write_all(reason.as_bytes())?;
        }
    }
    to.flush()
}

/// Reads one verdict; `None` at the end of the stream.
pub fn read_verdict(from: &mut impl Read) -> io::Result<Option<Verdict>> {
    let mut head = [0u8; 13];
    match from.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let cpu_ns = u64::from_le_bytes(head[1..9].try_into().unwrap_or_default());
    let n = u32::from_le_bytes(head[9..13].try_into().unwrap_or_default()) as usize;
    if head[0] == 0 {
        let mut raw = vec![0u8; n * 2];
        from.read_exact(&mut raw)?;
        let features = raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Some(Verdict {
            failure: None,
            features,
            cpu_ns,
        }))
    } else {
        let mut raw = vec![0u8; n];
        from.read_exact(&mut raw)?;
        Ok(Some(Verdict {
            failure: Some(String::from_utf8_lossy(&raw).into_owned()),
            features: Vec::new(),
            cpu_ns,
        }))
    }
}

/// The worker's loop: inputs on stdin, verdicts on stdout, until stdin closes; `margin` is
/// the per-byte budget's multiple of the calibrated cost.
pub fn serve(trace: bool, margin: u64) -> io::Result<()> {
    install_panic_hook();
    phase::set_trace(trace);
    let mut runner = Runner::new();
    runner.calibrate(margin);
    let mut stdin = io::stdin().lock();
    let mut stdout = BufWriter::new(io::stdout().lock());
    let mut input = Vec::new();
    while read_input(&mut stdin, &mut input)? {
        let verdict = runner.run(&input);
        write_verdict(&mut stdout, &verdict)?;
    }
    Ok(())
}
