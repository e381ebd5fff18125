//! `cdr-fuzz`: see the crate's README, or `cdr-fuzz --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use cdr_fuzz::supervisor::{Options, Supervisor};

// Every allocation is counted, and refused past the limit while an input runs.
#[global_allocator]
static ALLOCATOR: cdr_fuzz::alloc::Counting = cdr_fuzz::alloc::Counting;

const USAGE: &str = "\
cdr-fuzz: fuzzes cdr-core's decoders and everything that runs on decoded rows

usage: cdr-fuzz [options]                 fuzz for a while (regressions replayed first)
       cdr-fuzz --replay PATH...          run these inputs (files or directories) once
       cdr-fuzz --minimize FILE           shrink a failing input, keeping its reason

options:
  --seconds N          how long to fuzz, or to shrink (default 60)
  --seed N             the generator's seed (default: from the clock; printed)
  --runs N             stop after N generated inputs
  --corpus-dir DIR     extra seeds; new corpus entries are written there
  --findings-dir DIR   where findings go (default crates/cdr-fuzz/findings)
  --regressions-dir D  inputs replayed first (default crates/cdr-fuzz/regressions)
  --skip-known         count the known bugs of src/known.rs without failing on them
  --max-len BYTES      the longest input generated (default 4194304)
  --margin N           the CPU budget per input byte, as a multiple of what a reference
                       body costs a byte on this build and machine (default 20)
  --watchdog SECS      the wall time an input may take before it counts as a hang
                       (default 20 s and 40 times its CPU budget)
  --profile N          run N inputs in this process and print CPU time per phase

exit status: 0 when nothing was found, 1 when something was, 2 on a usage error.
";

/// Why a run could not go on.
enum Failure {
    /// The command line is wrong: the usage is shown.
    Usage(String),
    /// Something failed on the way (a file, a worker).
    Io(std::io::Error),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => ExitCode::from(code as u8),
        Err(Failure::Usage(message)) => {
            eprintln!("cdr-fuzz: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Io(e)) => {
            eprintln!("cdr-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<i32, Failure> {
    if args.first().map(String::as_str) == Some("--worker") {
        let trace = args.iter().any(|a| a == "--trace-phases");
        let margin = args
            .iter()
            .skip_while(|a| *a != "--margin")
            .nth(1)
            .and_then(|m| m.parse().ok())
            .unwrap_or(cdr_fuzz::worker::PER_BYTE_MARGIN);
        return cdr_fuzz::worker::serve(trace, margin)
            .map(|()| 0)
            .map_err(Failure::Io);
    }
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let clock_seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()));
    let mut opts = Options {
        seconds: 60,
        seed: clock_seed % 1_000_000_007,
        runs: None,
        corpus_dir: None,
        findings_dir: crate_dir.join("findings"),
        regressions_dir: crate_dir.join("regressions"),
        skip_known: false,
        max_len: 4 << 20,
        margin: cdr_fuzz::worker::PER_BYTE_MARGIN,
        watchdog: None,
    };
    let mut replay: Vec<PathBuf> = Vec::new();
    let mut minimize: Option<PathBuf> = None;
    let mut profile: Option<u64> = None;
    let mut it = args.iter();
    let number = |v: Option<&String>, flag: &str| -> Result<u64, Failure> {
        v.and_then(|s| s.parse().ok())
            .ok_or_else(|| Failure::Usage(format!("{flag} wants a number")))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => opts.seconds = number(it.next(), arg)?,
            "--seed" => opts.seed = number(it.next(), arg)?,
            "--runs" => opts.runs = Some(number(it.next(), arg)?),
            "--max-len" => opts.max_len = number(it.next(), arg)? as usize,
            "--margin" => opts.margin = number(it.next(), arg)?.max(1),
            "--watchdog" => {
                opts.watchdog = Some(std::time::Duration::from_secs(
                    number(it.next(), arg)?.max(1),
                ))
            }
            "--corpus-dir" => opts.corpus_dir = Some(path(it.next(), arg)?),
            "--findings-dir" => opts.findings_dir = path(it.next(), arg)?,
            "--regressions-dir" => opts.regressions_dir = path(it.next(), arg)?,
            "--skip-known" => opts.skip_known = true,
            "--minimize" => minimize = Some(path(it.next(), arg)?),
            "--profile" => profile = Some(number(it.next(), arg)?),
            "--replay" => {
                while let Some(p) = it.clone().next().filter(|a| !a.starts_with("--")) {
                    replay.push(PathBuf::from(p));
                    it.next();
                }
                if replay.is_empty() {
                    return Err(Failure::Usage(
                        "--replay wants files or directories".to_owned(),
                    ));
                }
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(0);
            }
            other => return Err(Failure::Usage(format!("unknown argument {other:?}"))),
        }
    }
    if let Some(runs) = profile {
        cdr_fuzz::supervisor::profile(opts.seed, runs, opts.max_len, opts.margin);
        return Ok(0);
    }
    let mut sup = Supervisor::new(opts);
    let code = if let Some(file) = minimize {
        sup.minimize(&file)
    } else if !replay.is_empty() {
        sup.replay(&replay)
    } else {
        sup.fuzz()
    };
    code.map_err(Failure::Io)
}

fn path(v: Option<&String>, flag: &str) -> Result<PathBuf, Failure> {
    v.map(PathBuf::from)
        .ok_or_else(|| Failure::Usage(format!("{flag} wants a path")))
}
