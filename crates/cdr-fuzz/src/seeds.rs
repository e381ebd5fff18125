//! The inputs a run starts from: the seed's sample answers, synthetic getCDR bodies, and
//! bodies that carry several payloads at once (so that rows and rates meet in one input).

use crate::rng::Rng;

macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        /// The sample answers of `crates/cdr-core/tests/fixtures`, by file name.
        pub const FIXTURES: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../../cdr-core/tests/fixtures/", $name))),)*
        ];
    };
}

fixtures!(
    "getCDR.json",
    "getResellerCDR.json",
    "getRates.json",
    "getTerminationRates.json",
    "getCallAccounts.json",
    "getCallBilling.json",
    "getCallTypes.json",
);

/// The fixture of that name.
pub fn fixture(name: &str) -> &'static [u8] {
    FIXTURES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[][..], |(_, body)| body)
}

/// Two answer objects as one: the members of `b` appended to those of `a` (a second
/// `status` among them, which the decoders read last-wins).
pub fn merge(a: &[u8], b: &[u8]) -> Vec<u8> {
    let a_end = a.iter().rposition(|&c| c == b'}').unwrap_or(a.len());
    let b_start = b.iter().position(|&c| c == b'{').map_or(0, |i| i + 1);
    let mut out = a[..a_end].to_vec();
    out.push(b',');
    out.extend_from_slice(&b[b_start..]);
    out
}

/// A synthetic getCDR (or getResellerCDR) body of up to `max_rows` rows.
pub fn synth_body(rng: &mut Rng, max_rows: usize) -> Vec<u8> {
    let rows = rng.skewed(max_rows);
    cdr_core::synth::cdr_body(rows, rng.u64(), rng.chance(1, 3)).into_bytes()
}

/// Every starting input.
pub fn initial() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = FIXTURES.iter().map(|(_, b)| b.to_vec()).collect();
    for (rows, seed, reseller) in [(1, 1, false), (3, 2, true), (40, 3, false), (400, 4, false)] {
        out.push(cdr_core::synth::cdr_body(rows, seed, reseller).into_bytes());
    }
    let cdr = fixture("getCDR.json");
    out.push(merge(cdr, fixture("getRates.json")));
    out.push(merge(
        fixture("getResellerCDR.json"),
        fixture("getRates.json"),
    ));
    out.push(merge(cdr, fixture("getTerminationRates.json")));
    out.push(merge(
        &merge(cdr, fixture("getCallAccounts.json")),
        fixture("getCallTypes.json"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_answers_decode_as_both() {
        let both = merge(fixture("getCDR.json"), fixture("getRates.json"));
        assert_eq!(cdr_core::decode::decode_cdr(&both, None).unwrap().len(), 2);
        assert_eq!(
            cdr_core::decode::decode_rates(&both, None).unwrap().len(),
            2
        );
    }
}
