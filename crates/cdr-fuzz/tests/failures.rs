//! The supervisor catches and names every kind of failure, whether the worker survives it
//! (a panic, slowness) or not (a refused allocation, a stack overflow, a hang). Each fault
//! is injected into the worker with `CDR_FUZZ_FAULT`.

use std::path::Path;
use std::process::Command;

/// Replays one fixture with `fault` injected; the exit code and stdout.
fn replay_with(fault: &str) -> (Option<i32>, String) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cdr-core/tests/fixtures/getCallBilling.json");
    let findings =
        std::env::temp_dir().join(format!("cdr-fuzz-failures-{fault}-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_cdr-fuzz"))
        .env("CDR_FUZZ_FAULT", fault)
        .args(["--watchdog", "3", "--findings-dir"])
        .arg(&findings)
        .arg("--replay")
        .arg(&fixture)
        .output()
        .expect("the cdr-fuzz binary runs");
    let _ = std::fs::remove_dir_all(&findings);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn assert_caught(fault: &str, reason: &str) {
    let (code, stdout) = replay_with(fault);
    assert_eq!(code, Some(1), "{fault}: {stdout}");
    assert!(
        stdout.contains(reason),
        "{fault}: expected {reason:?} in\n{stdout}"
    );
}

#[test]
fn a_panic_is_a_finding_with_its_message() {
    assert_caught("panic", "FAIL: panic in oracle: an injected panic at");
}

#[test]
fn an_allocation_past_the_limit_is_refused_and_named() {
    assert_caught(
        "alloc",
        "FAIL: alloc in oracle: refused a request of 1099511627776 bytes",
    );
}

#[test]
fn a_stack_overflow_kills_only_the_worker() {
    assert_caught("stack", "FAIL: crash in oracle: stack overflow");
}

#[test]
fn a_hang_is_caught_by_the_watchdog_twice() {
    assert_caught("hang", "FAIL: hang in oracle: no verdict in 3 s, twice");
}

#[test]
fn an_input_over_its_cpu_budget_is_slow() {
    assert_caught("slow", "FAIL: slow in oracle:");
}

#[test]
fn without_a_fault_the_fixture_passes() {
    let (code, stdout) = replay_with("none");
    assert_eq!(code, Some(0), "{stdout}");
}
