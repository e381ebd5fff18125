//! Every input of `regressions/` replayed through the fuzzer's worker, so that a finding
//! once fixed stays fixed. A failure prints the reason of each input that fails.
//!
//! Through the binary rather than in this process: an input can end the process that runs
//! it (an allocation refused by the limit aborts), and only the binary installs the
//! counting allocator that sets that limit.

use std::path::Path;
use std::process::Command;

#[test]
fn every_regression_input_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let findings = std::env::temp_dir().join(format!("cdr-fuzz-test-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_cdr-fuzz"))
        .arg("--findings-dir")
        .arg(&findings)
        .arg("--replay")
        .arg(&dir)
        .output()
        .expect("the cdr-fuzz binary runs");
    let _ = std::fs::remove_dir_all(&findings);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "some regression inputs fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("replayed"), "{stdout}");
}
