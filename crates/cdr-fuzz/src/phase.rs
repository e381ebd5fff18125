//! Which step of the pipeline is running, so that every finding can name it.
//!
//! A static, because the allocator and the panic hook need it and can take no arguments.
//! Entering a phase costs one store; tracing (each phase to stderr, for locating a crash)
//! and profiling (CPU time per phase, for naming where a slow input spends it) are switched
//! on only when an input is run again to confirm a finding.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering::Relaxed};

macro_rules! phases {
    ($($variant:ident => $name:literal,)*) => {
        /// A step of the pipeline: the function under test that runs in it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Phase {
            $(
                #[doc = $name]
                $variant,
            )*
        }

        impl Phase {
            /// Every phase, in the order of the enum.
            pub const ALL: &'static [Phase] = &[$(Phase::$variant,)*];

            /// The name findings use, `module.function` of cdr-core where there is one.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Phase::$variant => $name,)*
                }
            }
        }
    };
}

phases! {
    Idle => "harness",
    DecodeCdr => "decode.decode_cdr",
    DecodeResellerCdr => "decode.decode_reseller_cdr",
    DecodeRates => "decode.decode_rates",
    DecodeTerminationRates => "decode.decode_termination_rates",
    DecodeAccounts => "decode.decode_accounts",
    DecodeCallBilling => "decode.decode_call_billing",
    DecodeCallTypes => "decode.decode_call_types",
    DecodeRoutes => "decode.decode_routes",
    DecodePackages => "decode.decode_packages",
    DecodeClientPackages => "decode.decode_client_packages",
    DecodePackageChoices => "decode.decode_package_choices",
    DecodeClients => "decode.decode_clients",
    DecodeValueList => "decode.decode_value_list",
    DecodeStatus => "decode.decode_status",
    DecodeMessages => "decode.DecodeError::message",
    Rewritten => "decode.rewritten",
    RoundTrip => "decode.round_trip",
    TableNew => "table.CdrTable::new",
    TableSort => "table.CdrTable::sorted",
    TableFilter => "table.CdrTable::filter",
    TableNarrow => "table.CdrTable::narrow",
    Summary => "analytics.Summary::of",
    CallsPerDay => "analytics.calls_over_time",
    CallsPerHour => "analytics.calls_per_hour",
    TopDestinations => "analytics.top_destinations_by_cost",
    CostPerAccount => "analytics.cost_per_account",
    ChartDay => "chart.calls_over_time",
    ChartHour => "chart.calls_per_hour",
    ChartCost => "chart.cost_bars",
    CdrCsv => "export.cdr_csv",
    Dial => "rating.DialedNumber::parse",
    LookupQuery => "rating.rate_lookup_query",
    QuoteRates => "rating.quote_rates",
    QuoteTermination => "rating.quote_termination",
    RateCells => "rating.RateColumn::cell",
    SortRates => "rating.sort_rates",
    RatesCsv => "rating.rates_csv",
    CompareRoutes => "rating.compare_routes",
    Explain => "rating.explain_charge",
    Grid => "grid.GridGeometry",
    Html => "html",
    Lookups => "model.lookups",
    Check => "oracle",
}

/// How many phases there are.
pub const COUNT: usize = Phase::ALL.len();

static CURRENT: AtomicU8 = AtomicU8::new(0);
static TRACE: AtomicBool = AtomicBool::new(false);
static PROFILE: AtomicBool = AtomicBool::new(false);
static SINCE: AtomicU64 = AtomicU64::new(0);
static CPU_NS: [AtomicU64; COUNT] = [const { AtomicU64::new(0) }; COUNT];

/// The phase running now.
pub fn current() -> Phase {
    Phase::ALL[CURRENT.load(Relaxed) as usize]
}

/// Starts `phase`.
#[inline]
pub fn enter(phase: Phase) {
    let was = CURRENT.swap(phase as u8, Relaxed);
    if PROFILE.load(Relaxed) {
        let now = crate::cpu::thread_ns();
        let spent = now.saturating_sub(SINCE.swap(now, Relaxed));
        CPU_NS[was as usize].fetch_add(spent, Relaxed);
    }
    if TRACE.load(Relaxed) {
        let mut line = [0u8; 96];
        let name = phase.name().as_bytes();
        let head = b"phase ";
        line[..head.len()].copy_from_slice(head);
        line[head.len()..head.len() + name.len()].copy_from_slice(name);
        line[head.len() + name.len()] = b'\n';
        crate::alloc::write_stderr(&line[..head.len() + name.len() + 1]);
    }
}

/// Writes each phase to stderr as it starts, so that a worker that dies says where.
pub fn set_trace(on: bool) {
    TRACE.store(on, Relaxed);
}

/// Starts measuring CPU time per phase, from zero.
pub fn start_profile() {
    for c in &CPU_NS {
        c.store(0, Relaxed);
    }
    SINCE.store(crate::cpu::thread_ns(), Relaxed);
    PROFILE.store(true, Relaxed);
}

/// Stops measuring and returns the CPU nanoseconds of each phase.
pub fn stop_profile() -> [u64; COUNT] {
    enter(Phase::Idle);
    PROFILE.store(false, Relaxed);
    std::array::from_fn(|i| CPU_NS[i].load(Relaxed))
}

/// The phase with the most of `per_phase`, and its share of the sum in percent.
pub fn heaviest(per_phase: &[u64; COUNT]) -> (Phase, u64) {
    let total: u64 = per_phase.iter().sum();
    let (i, most) = per_phase
        .iter()
        .enumerate()
        .max_by_key(|(_, v)| **v)
        .unwrap_or((0, &0));
    (Phase::ALL[i], most * 100 / total.max(1))
}
