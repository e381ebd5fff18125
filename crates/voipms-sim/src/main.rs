//! `voipms-sim`: generate or reuse the store, then serve the API (and the app) until Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use voipms_sim::config::{Config, API_PATH, DEMO_PASSWORD, DEMO_USERNAME};
use voipms_sim::gen::GenParams;
use voipms_sim::store::Store;
use voipms_sim::{dates, AppState};

fn main() -> ExitCode {
    let config = Config::parse();
    let params = GenParams {
        calls: config.calls,
        seed: config.seed,
        end: dates::now_epoch(),
    };
    let (store, report) = match Store::open_or_generate(&config.data_dir, params, config.reset) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("voipms-sim: cannot prepare the store: {e}");
            return ExitCode::FAILURE;
        }
    };
    if report.generated {
        eprintln!(
            "voipms-sim: generated {} calls (seed {}) in {:.2} s into {}",
            config.calls,
            config.seed,
            report.elapsed.as_secs_f64(),
            store.path().display()
        );
    } else {
        eprintln!(
            "voipms-sim: reusing {} ({} calls, seed {}, generated {})",
            store.path().display(),
            store.meta().calls,
            store.meta().seed,
            store.meta().gen_date
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("voipms-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::new(config.bind, config.port)).await?;
        let local = listener.local_addr()?;
        // A wildcard bind is reachable on loopback, the address a browser should use here.
        let shown = if local.ip().is_unspecified() {
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
        } else {
            local
        };
        println!("voipms-sim listening on http://{shown}/");
        println!("API endpoint: http://{shown}{API_PATH}");
        println!("demo credentials: {DEMO_USERNAME} / {DEMO_PASSWORD}");
        let state = AppState::new(store, config.options());
        voipms_sim::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("voipms-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
