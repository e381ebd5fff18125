//! Findings already reported and being fixed elsewhere, which `--skip-known` counts but
//! does not fail on, so that a run can go on looking for new ones meanwhile.
//!
//! Each is matched narrowly (the phase, the kind, and where it helps the input) so that it
//! cannot hide a new bug of the same phase. Remove an entry once its fix has landed: its
//! reproducer in `regressions/` then keeps it fixed.

/// A known bug: its name and whether a finding is it.
pub struct Known {
    /// A short name, also the stem of its reproducer in `regressions/`.
    pub name: &'static str,
    /// Whether the finding (its reason and its input) is this bug.
    pub matches: fn(reason: &str, input: &[u8]) -> bool,
}

/// The known bugs: none open.
///
/// The bugs of issue 13 that this list began with (the JSON exponent overflow, the
/// calls-per-day buckets, unchecked money subtraction in rating, CSV quoting and formula
/// guards, the quadratic route comparison) and the two the fuzzer found besides (a formula
/// after a line break inside a CSV cell, the Greek final sigma of the quick filter) are fixed
/// and left it; their reproducers in `regressions/` keep them fixed. An entry looks like
/// `Known { name: "csv-formula-after-line-break", matches: |reason, input| … }`.
pub const KNOWN: &[Known] = &[];

/// The known bug a finding is, if any.
pub fn which(reason: &str, input: &[u8]) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|k| (k.matches)(reason, input))
        .map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_open_bug_nothing_is_skipped() {
        let split =
            "oracle in export.cdr_csv: a field reads as a formula (U+003D) when split at ';'";
        assert_eq!(which(split, br#"{"a":"\n="}"#), None);
        assert_eq!(which("panic in rating.sort_rates: x", b""), None);
    }
}
