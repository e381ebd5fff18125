//! A fuzzer of cdr-core on stable Rust: no libFuzzer, no nightly, no instrumentation.
//!
//! The supervisor ([`supervisor`]) makes inputs from the seed's sample answers, synthetic
//! getCDR bodies and structure-aware generation ([`gen`]), mutates them ([`mutate`],
//! [`dict`]), and sends each to a worker process ([`worker`]) that runs it through every
//! decoder and everything that runs on decoded rows ([`exec`]). A finding is a panic, a
//! broken property, an allocation past a limit, or more work or CPU time than the input's
//! length allows. See the README for how to run it and what each check means.

#![warn(missing_docs)]

pub mod alloc;
pub mod cpu;
pub mod csvcheck;
pub mod dict;
pub mod exec;
pub mod gen;
pub mod known;
pub mod markup;
pub mod mutate;
pub mod phase;
pub mod rng;
pub mod seeds;
pub mod spans;
pub mod supervisor;
pub mod worker;

/// How a worker starts a line that tells the supervisor why it is about to die.
pub const REPORT_PREFIX: &str = "cdr-fuzz-worker: ";

/// FNV-1a: a stable hash of bytes, for file names and feature ids (the same on every
/// platform and every run, unlike std's hasher).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
