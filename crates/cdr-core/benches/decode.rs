//! Decode throughput of getCDR bodies: `cargo bench -p cdr-core --bench decode`.
//!
//! A plain `main` (no criterion) keeps the dev-dependencies small; it prints one line per
//! size with the best and median of several runs. `CDR_BENCH_ROWS=100000,1000000` and
//! `CDR_BENCH_RUNS=5` change the sizes and the run count.

use std::hint::black_box;
use std::time::Instant;

use cdr_core::decode::decode_cdr;
use cdr_core::synth::cdr_body;
use cdr_core::table::{CdrTable, Column, Sort, SortDir};

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let sizes: Vec<usize> = std::env::var("CDR_BENCH_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    let runs: usize = std::env::var("CDR_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);

    println!("getCDR decode (bytes -> Vec<CdrRow>), {runs} runs each");
    for rows in sizes {
        let body = cdr_body(rows, 42, false);
        let bytes = body.as_bytes();
        let mb = bytes.len() as f64 / 1e6;
        // One untimed run to fault in the allocator's pages.
        assert_eq!(decode_cdr(bytes, None).map(|r| r.len()).ok(), Some(rows));
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let decoded = decode_cdr(black_box(bytes), None).expect("synthetic body decodes");
            let elapsed = start.elapsed().as_secs_f64();
            black_box(&decoded);
            drop(decoded);
            times.push(elapsed);
        }
        times.sort_by(f64::total_cmp);
        let best = times[0];
        let median = times[times.len() / 2];
        println!(
            "{rows:>9} rows  {mb:8.1} MB  best {:8.1} ms  median {:8.1} ms  {:7.0} MB/s  {:>5.2} M rows/s",
            best * 1e3,
            median * 1e3,
            mb / median,
            rows as f64 / median / 1e6
        );
        store(&body, rows);
    }
}

/// The row store over the decoded rows: bytes a row, and the time of a table build, a sort by
/// total and a quick filter.
fn store(body: &str, rows: usize) {
    let decoded = decode_cdr(body.as_bytes(), None).expect("synthetic body decodes");
    let start = Instant::now();
    let mut table = CdrTable::new(decoded);
    table.shrink_to_fit();
    let built = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let sorted = black_box(table.sorted(Sort {
        column: Column::Total,
        dir: SortDir::Desc,
    }));
    let sort = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let hits = black_box(table.filter("inbound")).len();
    let filter = start.elapsed().as_secs_f64();
    println!(
        "{rows:>9} rows  store {:5.1} B/row  build {:7.1} ms  sort by total {:7.1} ms  quick filter {:7.1} ms ({hits} hits)",
        table.heap_bytes() as f64 / rows as f64,
        built * 1e3,
        sort * 1e3,
        filter * 1e3,
    );
    black_box(sorted);
}
