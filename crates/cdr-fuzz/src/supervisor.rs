//! The supervisor: owns the generator, the corpus and the findings, and runs every input
//! in a worker process that it restarts whenever an input kills it.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::exec::skeleton;
use crate::rng::Rng;
use crate::worker::{self, Verdict};
use crate::{gen, known, mutate, seeds, REPORT_PREFIX};

/// What a run is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long to generate inputs, after the regressions and the corpus have run.
    pub seconds: u64,
    /// The generator's seed.
    pub seed: u64,
    /// Stop after this many generated inputs, whatever the time.
    pub runs: Option<u64>,
    /// Extra seeds to start from; new corpus entries are written there too.
    pub corpus_dir: Option<PathBuf>,
    /// Where findings are written.
    pub findings_dir: PathBuf,
    /// Inputs replayed first on every run.
    pub regressions_dir: PathBuf,
    /// Count the bugs of [`known::KNOWN`] without failing on them.
    pub skip_known: bool,
    /// The longest input generated.
    pub max_len: usize,
    /// The per-byte CPU budget as a multiple of the calibrated cost per byte.
    pub margin: u64,
    /// The wall time a worker gets for one input; `None` for [`watchdog`]'s.
    pub watchdog: Option<Duration>,
}

/// The largest input kept in the corpus: larger ones run once, and are not mutated further.
const MAX_CORPUS_ENTRY: usize = 256 << 10;

/// The wall time a worker gets for one input before it counts as hung: far beyond the CPU
/// budget, since a slow input runs up to three times and the machine may be loaded.
fn watchdog(len: usize) -> Duration {
    Duration::from_nanos(
        20_000_000_000 + 40 * worker::time_budget_ns(len, worker::DEFAULT_PER_BYTE_NS),
    )
}

enum Answer {
    Verdict(Verdict),
    Died { stderr: String, status: String },
    Hung { stderr: String },
}

/// The next input: a generated body, a synthetic getCDR body (mutated or not), or a
/// mutant of a corpus entry.
pub fn next_input(rng: &mut Rng, corpus: &[Vec<u8>], max_len: usize) -> Vec<u8> {
    let mut input = match rng.below(100) {
        0..=11 => gen::body(rng),
        12..=14 => {
            let mut b = seeds::synth_body(rng, 3000);
            if rng.chance(1, 2) {
                let donor = rng.pick(corpus).clone();
                mutate::mutate(rng, &mut b, &donor, max_len);
            }
            b
        }
        _ => {
            let mut b = rng.pick(corpus).clone();
            let donor = rng.pick(corpus);
            mutate::mutate(rng, &mut b, donor, max_len);
            b
        }
    };
    input.truncate(max_len);
    input
}

/// Runs `runs` inputs in this process with CPU time measured per phase, and prints where
/// the time goes: for tuning the pipeline and the budgets, not a check.
pub fn profile(seed: u64, runs: u64, max_len: usize, margin: u64) {
    worker::install_panic_hook();
    let mut runner = worker::Runner::new();
    let per_byte = runner.calibrate(margin);
    println!(
        "calibration: {per_byte} ns a byte on the reference body, so a budget of {} ms and {} ns a byte",
        worker::FIXED_BUDGET_NS / 1_000_000,
        (margin * per_byte).max(50)
    );
    let corpus = seeds::initial();
    let mut rng = Rng::new(seed);
    let mut total = [0u64; crate::phase::COUNT];
    let mut bytes = 0u64;
    let mut by_size: [(u64, u64, u64); 4] = [(0, 0, 0); 4];
    let mut generating = 0u64;
    let (mut allocated, mut worst_ratio, mut worst_peak) = (0u64, 0u64, 0u64);
    for _ in 0..runs {
        let start = crate::cpu::thread_ns();
        let input = next_input(&mut rng, &corpus, max_len);
        generating += crate::cpu::thread_ns() - start;
        crate::phase::start_profile();
        let start = crate::cpu::thread_ns();
        let (_, usage) = runner.profile_once(&input);
        allocated += usage.allocated;
        worst_ratio = worst_ratio.max(usage.allocated / (input.len() as u64).max(1024));
        worst_peak = worst_peak.max(usage.peak as u64 / (input.len() as u64).max(1024));
        let spent = crate::cpu::thread_ns() - start;
        let per = crate::phase::stop_profile();
        for (t, p) in total.iter_mut().zip(per) {
            *t += p;
        }
        bytes += input.len() as u64;
        let class = match input.len() {
            0..=4095 => 0,
            4096..=65_535 => 1,
            65_536..=1_048_575 => 2,
            _ => 3,
        };
        by_size[class].0 += 1;
        by_size[class].1 += spent;
        by_size[class].2 += input.len() as u64;
    }
    let sum: u64 = total.iter().sum();
    println!(
        "allocated {} bytes a byte of input on average; at most {worst_ratio} in all and {worst_peak} live at once for an input of 1 KiB or more",
        allocated / bytes.max(1)
    );
    println!(
        "{runs} inputs, {bytes} bytes, {:.1} ms of CPU in all ({:.0} ns a byte); making them took {:.1} ms",
        sum as f64 / 1e6,
        sum as f64 / bytes.max(1) as f64,
        generating as f64 / 1e6
    );
    for (name, (n, ns, b)) in ["< 4 KiB", "< 64 KiB", "< 1 MiB", ">= 1 MiB"]
        .iter()
        .zip(by_size)
    {
        if n > 0 {
            println!(
                "  {name:>9}: {n} inputs, {:.0} µs each, {:.0} ns a byte",
                ns as f64 / 1e3 / n as f64,
                ns as f64 / b.max(1) as f64
            );
        }
    }
    let mut phases: Vec<(usize, u64)> = total.iter().copied().enumerate().collect();
    phases.sort_by_key(|p| std::cmp::Reverse(p.1));
    for (i, ns) in phases.into_iter().take(20) {
        println!(
            "  {:>5.1}%  {}",
            ns as f64 * 100.0 / sum.max(1) as f64,
            crate::phase::Phase::ALL[i].name()
        );
    }
}

/// One worker process.
struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    verdicts: Receiver<Option<Verdict>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_thread: Option<JoinHandle<()>>,
}

/// How much of a worker's stderr is kept: the end is what says why it died.
const STDERR_KEEP: usize = 64 << 10;

impl Worker {
    fn spawn(trace: bool, margin: u64) -> io::Result<Worker> {
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.arg("--worker").arg("--margin").arg(margin.to_string());
        if trace {
            cmd.arg("--trace-phases");
        }
        // Features are shown on the worker's stderr, which then goes to ours (debug builds).
        let show = std::env::var_os("CDR_FUZZ_SHOW_FEATURES").is_some();
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if show {
                Stdio::inherit()
            } else {
                Stdio::piped()
            })
            .spawn()?;
        let stdin = child.stdin.take();
        let mut stdout = child.stdout.take().ok_or(io::ErrorKind::BrokenPipe)?;
        let mut err_pipe = child.stderr.take();
        let (tx, verdicts) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = io::BufReader::new(&mut stdout);
            loop {
                match worker::read_verdict(&mut reader) {
                    Ok(Some(v)) => {
                        if tx.send(Some(v)).is_err() {
                            return;
                        }
                    }
                    _ => {
                        let _ = tx.send(None);
                        return;
                    }
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let stderr_thread = std::thread::spawn(move || {
            let Some(err_pipe) = err_pipe.as_mut() else {
                return;
            };
            let mut buf = [0u8; 8192];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut kept) = sink.lock() {
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > 2 * STDERR_KEEP {
                        let cut = kept.len() - STDERR_KEEP;
                        kept.drain(..cut);
                    }
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            verdicts,
            stderr,
            stderr_thread: Some(stderr_thread),
        })
    }

    fn stderr_text(&mut self) -> String {
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        let kept = self.stderr.lock().map(|k| k.clone()).unwrap_or_default();
        String::from_utf8_lossy(&kept).into_owned()
    }

    fn run(&mut self, input: &[u8], timeout: Duration) -> Answer {
        if let Ok(mut kept) = self.stderr.lock() {
            kept.clear();
        }
        let sent = self.stdin.as_mut().map(|w| {
            w.write_all(&(input.len() as u32).to_le_bytes())
                .and_then(|()| w.write_all(input))
                .and_then(|()| w.flush())
        });
        if !matches!(sent, Some(Ok(()))) {
            return self.died();
        }
        match self.verdicts.recv_timeout(timeout) {
            Ok(Some(v)) => Answer::Verdict(v),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => self.died(),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Answer::Hung {
                    stderr: self.stderr_text(),
                }
            }
        }
    }

    fn died(&mut self) -> Answer {
        self.stdin = None;
        let status = match self.child.wait() {
            Ok(s) => s.to_string(),
            Err(e) => e.to_string(),
        };
        Answer::Died {
            stderr: self.stderr_text(),
            status,
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last phase a traced worker entered.
fn last_phase(stderr: &str) -> &str {
    stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("phase "))
        .unwrap_or("an unknown phase")
}

/// Why a worker died, from what it wrote last.
fn death_reason(stderr: &str, status: &str) -> String {
    if let Some(line) = stderr.lines().find_map(|l| l.strip_prefix(REPORT_PREFIX)) {
        return line.to_owned();
    }
    let phase = last_phase(stderr);
    if stderr.contains("has overflowed its stack") {
        return format!("crash in {phase}: stack overflow ({status})");
    }
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.starts_with("phase ") && !l.trim().is_empty())
        .unwrap_or("no message");
    format!("crash in {phase}: {last} ({status})")
}

/// Which finding a reason belongs to: a panic by its message and place, whatever phase
/// reached it (one bug in a helper reached from eight decoders is one finding); anything
/// else by its reason with the figures and quoted text taken out.
pub fn bucket(reason: &str) -> String {
    if let (Some(rest), Some((_, place))) =
        (reason.strip_prefix("panic in "), reason.rsplit_once(" at "))
    {
        let message = rest.split_once(": ").map_or(rest, |(_, m)| m);
        let message = message.rsplit_once(" at ").map_or(message, |(m, _)| m);
        return format!("panic: {} at {place}", skeleton(message));
    }
    skeleton(reason)
}

/// The phase a reason names.
fn phase_of(reason: &str) -> &str {
    reason
        .split_once(" in ")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map_or("", |(p, _)| p)
}

/// One distinct finding (one bucket of reasons).
struct Finding {
    phases: Vec<String>,
    reason: String,
    path: Option<PathBuf>,
    saved_here: bool,
    len: usize,
    hits: u64,
    known: Option<&'static str>,
}

/// What [`Supervisor::judge`] says of an input.
enum Judgement {
    Passed(Vec<u16>),
    Failed(String),
    /// Died or hung once, then passed: reported, not counted.
    Flaky(String),
}

/// The fuzzer's state.
pub struct Supervisor {
    opts: Options,
    worker: Option<Worker>,
    trace: bool,
    findings: HashMap<String, Finding>,
    order: Vec<String>,
    restarts: u64,
}

fn save(dir: &Path, input: &[u8]) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{:016x}.json", crate::hash(input)));
    std::fs::write(&path, input)?;
    Ok(path)
}

/// Every file of a directory, sorted by name; nothing when it does not exist.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

impl Supervisor {
    /// A supervisor; workers are started when first needed.
    pub fn new(opts: Options) -> Supervisor {
        Supervisor {
            opts,
            worker: None,
            trace: false,
            findings: HashMap::new(),
            order: Vec::new(),
            restarts: 0,
        }
    }

    fn answer(&mut self, input: &[u8], trace: bool) -> io::Result<Answer> {
        if self.worker.is_none() || self.trace != trace {
            self.worker = Some(Worker::spawn(trace, self.opts.margin)?);
            self.trace = trace;
        }
        let answer = match self.worker.as_mut() {
            Some(w) => w.run(
                input,
                self.opts.watchdog.unwrap_or_else(|| watchdog(input.len())),
            ),
            None => return Err(io::ErrorKind::NotFound.into()),
        };
        if !matches!(answer, Answer::Verdict(_)) {
            self.worker = None;
            self.restarts += 1;
        }
        Ok(answer)
    }

    /// Runs an input; a worker that dies or hangs is confirmed with a second run in a
    /// fresh worker that traces its phases, so the reason can name one.
    fn judge(&mut self, input: &[u8]) -> io::Result<Judgement> {
        let first = self.answer(input, self.trace)?;
        let first_reason = match first {
            Answer::Verdict(v) => {
                return Ok(match v.failure {
                    Some(reason) => Judgement::Failed(reason),
                    None => Judgement::Passed(v.features),
                })
            }
            Answer::Died { stderr, status } => death_reason(&stderr, &status),
            Answer::Hung { stderr } => format!("hang in {}", last_phase(&stderr)),
        };
        let again = self.answer(input, true)?;
        // Back to a quiet worker for what follows.
        self.worker = None;
        self.trace = false;
        Ok(match again {
            Answer::Verdict(v) => match v.failure {
                Some(reason) => Judgement::Failed(reason),
                None => Judgement::Flaky(first_reason),
            },
            Answer::Died { stderr, status } => Judgement::Failed(death_reason(&stderr, &status)),
            Answer::Hung { stderr } => Judgement::Failed(format!(
                "hang in {}: no verdict in {} s, twice",
                last_phase(&stderr),
                self.opts
                    .watchdog
                    .unwrap_or_else(|| watchdog(input.len()))
                    .as_secs()
            )),
        })
    }

    /// Notes a failure: the first input of each bucket (and any smaller one later) is
    /// written to the findings directory, unless it came from `origin` already on disk.
    fn record(&mut self, reason: String, input: &[u8], origin: Option<&Path>) {
        let known = known::which(&reason, input);
        let bucket = bucket(&reason);
        let skip = known.is_some() && self.opts.skip_known;
        let dir = self.opts.findings_dir.clone();
        let entry = self
            .findings
            .entry(bucket.clone())
            .or_insert_with(|| Finding {
                phases: Vec::new(),
                reason: reason.clone(),
                path: None,
                saved_here: false,
                len: usize::MAX,
                hits: 0,
                known,
            });
        entry.hits += 1;
        let phase = phase_of(&reason).to_owned();
        if !entry.phases.contains(&phase) {
            entry.phases.push(phase);
        }
        let first = entry.hits == 1;
        if first {
            self.order.push(bucket);
        }
        if let Some(origin) = origin {
            entry.path = Some(origin.to_owned());
            entry.len = input.len();
        } else if !skip && input.len() < entry.len {
            match save(&dir, input) {
                Ok(path) => {
                    if entry.saved_here {
                        if let Some(old) = entry.path.take() {
                            let _ = std::fs::remove_file(old);
                        }
                    }
                    entry.path = Some(path);
                    entry.saved_here = true;
                    entry.len = input.len();
                    entry.reason = reason.clone();
                }
                Err(e) => eprintln!("cdr-fuzz: cannot write a finding to {}: {e}", dir.display()),
            }
        }
        if first {
            let tag = match (known, skip) {
                (Some(k), true) => format!("known [{k}], skipped"),
                (Some(k), false) => format!("FINDING, known [{k}]"),
                (None, _) => "FINDING".to_owned(),
            };
            let at = entry
                .path
                .as_ref()
                .map(|p| format!(" -> {}", p.display()))
                .unwrap_or_default();
            eprintln!("cdr-fuzz: {tag}: {reason}{at}");
        }
    }

    /// Runs an input and records what it finds; the features when it passed.
    fn exec(&mut self, input: &[u8], origin: Option<&Path>) -> io::Result<Option<Vec<u16>>> {
        Ok(match self.judge(input)? {
            Judgement::Passed(features) => Some(features),
            Judgement::Failed(reason) => {
                self.record(reason, input, origin);
                None
            }
            Judgement::Flaky(reason) => {
                eprintln!("cdr-fuzz: not confirmed on a second run (not counted): {reason}");
                None
            }
        })
    }

    /// Findings that fail the run: all of them, known ones too unless skipped.
    fn failing(&self) -> usize {
        self.findings
            .values()
            .filter(|f| !(self.opts.skip_known && f.known.is_some()))
            .count()
    }

    fn print_findings(&self) {
        for bucket in &self.order {
            let f = &self.findings[bucket];
            let tag = match (f.known, self.opts.skip_known) {
                (Some(k), true) => format!("known [{k}], skipped"),
                (Some(k), false) => format!("FAIL, known [{k}]"),
                (None, _) => "FAIL".to_owned(),
            };
            println!("  {tag}: {}", f.reason);
            if f.phases.len() > 1 {
                println!("      reached from {}", f.phases.join(", "));
            }
            match &f.path {
                Some(p) => println!("      {} ({} bytes, {} hits)", p.display(), f.len, f.hits),
                None => println!("      ({} hits, not saved)", f.hits),
            }
        }
    }

    /// Replays the regressions; how many there were.
    fn replay_regressions(&mut self) -> io::Result<usize> {
        let files = files_in(&self.opts.regressions_dir);
        for file in &files {
            let input = std::fs::read(file)?;
            self.exec(&input, Some(file))?;
        }
        Ok(files.len())
    }

    /// Replays `paths` (files, or directories of them); the exit code.
    pub fn replay(&mut self, paths: &[PathBuf]) -> io::Result<i32> {
        let mut files = Vec::new();
        for p in paths {
            if p.is_dir() {
                files.extend(files_in(p));
            } else {
                files.push(p.clone());
            }
        }
        for file in &files {
            let input = std::fs::read(file)?;
            let before = self.findings.values().map(|f| f.hits).sum::<u64>();
            self.exec(&input, Some(file))?;
            let failed = self.findings.values().map(|f| f.hits).sum::<u64>() > before;
            println!(
                "{} {}",
                if failed { "fail" } else { "ok  " },
                file.display()
            );
        }
        println!(
            "replayed {} inputs: {} distinct failures",
            files.len(),
            self.findings.len()
        );
        self.print_findings();
        Ok(i32::from(self.failing() > 0))
    }

    /// The time-boxed run; the exit code.
    pub fn fuzz(&mut self) -> io::Result<i32> {
        let started = Instant::now();
        let o = self.opts.clone();
        println!(
            "cdr-fuzz: seed {} for {} s (reproduce with --seed {}{})",
            o.seed,
            o.seconds,
            o.seed,
            if o.skip_known { " --skip-known" } else { "" }
        );
        let regressions = self.replay_regressions()?;
        let regression_failures = self.findings.len();

        let mut corpus = seeds::initial();
        if let Some(dir) = &o.corpus_dir {
            for file in files_in(dir) {
                corpus.push(std::fs::read(file)?);
            }
        }
        for file in files_in(&o.regressions_dir) {
            corpus.push(std::fs::read(file)?);
        }
        let mut seen = vec![0u64; 1024];
        let novel = |features: &[u16], seen: &mut Vec<u64>| {
            let mut new = false;
            for &id in features {
                let (w, b) = (usize::from(id) / 64, id % 64);
                if seen[w] & (1 << b) == 0 {
                    seen[w] |= 1 << b;
                    new = true;
                }
            }
            new
        };
        let mut keep = Vec::new();
        for input in std::mem::take(&mut corpus) {
            if let Some(features) = self.exec(&input, None)? {
                novel(&features, &mut seen);
                keep.push(input);
            }
        }
        corpus = keep;
        if corpus.is_empty() {
            corpus.push(seeds::fixture("getCDR.json").to_vec());
        }
        let initial = corpus.len();

        let mut rng = Rng::new(o.seed);
        let mut runs: u64 = 0;
        let mut cpu_ns: u64 = 0;
        let fuzz_start = Instant::now();
        let mut last_report = Instant::now();
        while fuzz_start.elapsed().as_secs() < o.seconds && o.runs.is_none_or(|r| runs < r) {
            let input = next_input(&mut rng, &corpus, o.max_len);
            runs += 1;
            let t = Instant::now();
            let features = self.exec(&input, None)?;
            cpu_ns += t.elapsed().as_nanos() as u64;
            if let Some(features) = features {
                if novel(&features, &mut seen) && input.len() <= MAX_CORPUS_ENTRY {
                    if let Some(dir) = &o.corpus_dir {
                        let _ = save(dir, &input);
                    }
                    corpus.push(input);
                }
            }
            if last_report.elapsed() >= Duration::from_secs(10) {
                last_report = Instant::now();
                let secs = fuzz_start.elapsed().as_secs_f64();
                eprintln!(
                    "[{:>5.0} s] {runs} inputs, {:.0}/s, corpus {}, findings {}",
                    secs,
                    runs as f64 / secs,
                    corpus.len(),
                    self.findings.len()
                );
            }
        }
        let fuzz_secs = fuzz_start.elapsed().as_secs_f64();
        println!(
            "cdr-fuzz: {runs} inputs in {fuzz_secs:.1} s ({:.0} execs/s, {:.0} µs of wall time each), seed {}",
            runs as f64 / fuzz_secs.max(1e-9),
            cpu_ns as f64 / 1000.0 / runs.max(1) as f64,
            o.seed
        );
        println!(
            "  regressions: {regressions} replayed, {regression_failures} failing; corpus {} ({initial} at start); worker restarts {}; {:.1} s in all",
            corpus.len(),
            self.restarts,
            started.elapsed().as_secs_f64()
        );
        let failing = self.failing();
        let known_skipped = self.findings.len() - failing;
        println!("  findings: {failing} failing, {known_skipped} known and skipped");
        self.print_findings();
        Ok(i32::from(failing > 0))
    }

    /// Shrinks the input of `file` while it keeps failing for the same reason; writes the
    /// smallest next to it as `<name>.min.json` and returns the exit code.
    pub fn minimize(&mut self, file: &Path) -> io::Result<i32> {
        let started = Instant::now();
        let limit = Duration::from_secs(self.opts.seconds);
        let mut best = std::fs::read(file)?;
        self.trace = true;
        let reason = match self.judge(&best)? {
            Judgement::Failed(r) => r,
            _ => {
                println!("{} does not fail: nothing to shrink", file.display());
                return Ok(1);
            }
        };
        let bucket = bucket(&reason);
        println!("shrinking {} bytes failing with: {reason}", best.len());
        let same = |sup: &mut Supervisor, candidate: &[u8]| -> io::Result<bool> {
            sup.trace = true;
            Ok(matches!(sup.judge(candidate)?, Judgement::Failed(r) if self::bucket(&r) == bucket))
        };
        let mut progress = true;
        while progress && started.elapsed() < limit {
            progress = false;
            // Values first: whole members and elements, then long texts and numbers.
            let vals = crate::spans::values(&best);
            for v in vals.iter().rev() {
                if started.elapsed() >= limit {
                    break;
                }
                let start = v.key.map_or(v.span.start, |k| k.start);
                let mut end = v.span.end;
                if best.get(end) == Some(&b',') {
                    end += 1;
                } else if start > 0 && best.get(start - 1) == Some(&b',') {
                    let mut c = best.clone();
                    c.drain(start - 1..end);
                    if same(self, &c)? {
                        best = c;
                        progress = true;
                        break;
                    }
                    continue;
                }
                if end > best.len() || start >= end {
                    continue;
                }
                let mut c = best.clone();
                c.drain(start..end);
                if same(self, &c)? {
                    best = c;
                    progress = true;
                    break;
                }
            }
            if progress {
                continue;
            }
            // Then bytes, in halving chunks.
            let mut chunk = best.len() / 2;
            while chunk > 0 && started.elapsed() < limit {
                let mut at = 0;
                while at < best.len() && started.elapsed() < limit {
                    let end = (at + chunk).min(best.len());
                    let mut c = best.clone();
                    c.drain(at..end);
                    if same(self, &c)? {
                        best = c;
                        progress = true;
                    } else {
                        at += chunk;
                    }
                }
                chunk /= 2;
            }
        }
        let out = file.with_extension("min.json");
        std::fs::write(&out, &best)?;
        println!(
            "{} bytes -> {} ({:.1} s)",
            best.len(),
            out.display(),
            started.elapsed().as_secs_f64()
        );
        Ok(0)
    }
}
