//! Command line and server options.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::faults::{self, Fault};

/// The API username (the account e-mail) the simulator accepts.
pub const DEMO_USERNAME: &str = "demo@example.com";

/// The API password the simulator accepts. Printed at start: it is a public demo value.
pub const DEMO_PASSWORD: &str = "demo-api-password";

/// The path of the one API endpoint.
pub const API_PATH: &str = "/api/v1/rest.php";

/// Default of `--header-timeout-secs`.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;

/// Default of `--max-connections`.
///
/// A connection can hold three descriptors at once: its socket and, while it runs a query,
/// a SQLite connection's database and WAL files (the -shm file is one per process). 256 of
/// them take at most 768 of the usual soft limit of 1024 (`ulimit -n`), which leaves room
/// for stdio, the listener, the runtime's epoll and wake-up descriptors, idle pooled SQLite
/// connections and static files being sent. A simulator for one developer's browser and
/// test suites never needs more at once.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 256;

/// `voipms-sim`: a simulator of the VoIP.ms REST API with generated data in SQLite.
#[derive(Parser, Debug, Clone)]
#[command(name = "voipms-sim", version, about, long_about = None)]
pub struct Config {
    /// TCP port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Folder of the SQLite store (`voipms-sim.sqlite`); created if missing.
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// Number of calls to generate.
    #[arg(long, default_value_t = 20_000)]
    pub calls: u64,
    /// Seed of the generated data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Regenerate the store even if one with the same parameters exists.
    #[arg(long)]
    pub reset: bool,
    /// Folder of the built app to serve at `/` (with an SPA fallback to index.html).
    #[arg(long)]
    pub dist: Option<PathBuf>,
    /// Client IP allowed to use the API (repeatable); default: 127.0.0.1 and ::1 only.
    #[arg(long = "allow-ip", value_name = "IP")]
    pub allow_ip: Vec<IpAddr>,
    /// Answer `api_not_enabled` to every authenticated request.
    #[arg(long)]
    pub api_disabled: bool,
    /// Requests per minute per API username before `api_limit_exceeded` (0: no limit).
    #[arg(long, default_value_t = 600)]
    pub rate_limit: u32,
    /// Fault for every API request: `KIND[=ARG][@METHOD]`, comma-separated, repeatable
    /// (latency=MS, http502, truncate, status=CODE).
    #[arg(long = "fault", value_name = "SPEC", value_parser = parse_fault_list)]
    pub faults: Vec<Vec<Fault>>,
    /// Seconds a client has to send a request's line and headers, counted from the
    /// connection's accept or from the end of its previous answer (so also the keep-alive
    /// idle timeout); the connection is closed when they run out.
    #[arg(long, default_value_t = DEFAULT_HEADER_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,
    /// Connections served at once; further clients wait in the kernel's accept queue until
    /// one closes.
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Do not log each request to stderr.
    #[arg(long)]
    pub quiet: bool,
}

fn parse_fault_list(text: &str) -> Result<Vec<Fault>, faults::FaultError> {
    faults::parse_list(text)
}

impl Config {
    /// The server options these flags describe.
    pub fn options(&self) -> ServerOptions {
        ServerOptions {
            allow_ips: if self.allow_ip.is_empty() {
                default_allow_ips()
            } else {
                self.allow_ip.clone()
            },
            api_enabled: !self.api_disabled,
            rate_limit: self.rate_limit,
            faults: self.faults.iter().flatten().cloned().collect(),
            dist: self.dist.clone(),
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            max_connections: self.max_connections,
            log: if self.quiet {
                crate::log::LogSink::Silent
            } else {
                crate::log::LogSink::Stderr
            },
            stream_chunk_bytes: crate::stream::DEFAULT_CHUNK_BYTES,
        }
    }
}

/// The loopback addresses, the allow-list when none is given.
pub fn default_allow_ips() -> Vec<IpAddr> {
    vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ]
}

/// How the server behaves, apart from its data.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Client IPs allowed to use the API (`ip_not_enabled` for the others).
    pub allow_ips: Vec<IpAddr>,
    /// Whether API access is enabled (`api_not_enabled` otherwise).
    pub api_enabled: bool,
    /// Requests per minute per username; 0 for no limit.
    pub rate_limit: u32,
    /// Faults applied to every API request.
    pub faults: Vec<Fault>,
    /// The built app to serve at `/`.
    pub dist: Option<PathBuf>,
    /// Time allowed for a request's line and headers, from the accept or the previous
    /// answer; the connection is closed after it. Must be positive.
    pub header_timeout: Duration,
    /// Connections served at once (at least 1); further ones stay in the accept queue.
    pub max_connections: u32,
    /// Where request log lines go.
    pub log: crate::log::LogSink,
    /// Bytes of JSON per piece of a streamed CDR answer (tests make it small, to see many
    /// pieces in a small answer).
    pub stream_chunk_bytes: usize,
}

impl Default for ServerOptions {
    /// Loopback only, enabled, 600 requests a minute, no faults, no app, the default
    /// header timeout and connection limit, log to stderr, 64 KB pieces of streamed answers.
    fn default() -> Self {
        ServerOptions {
            allow_ips: default_allow_ips(),
            api_enabled: true,
            rate_limit: 600,
            faults: Vec::new(),
            dist: None,
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            log: crate::log::LogSink::Stderr,
            stream_chunk_bytes: crate::stream::DEFAULT_CHUNK_BYTES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_repeated_flags() {
        let c = Config::parse_from(["voipms-sim"]);
        assert_eq!(c.port, 8080);
        assert_eq!(c.bind.to_string(), "127.0.0.1");
        assert_eq!(c.calls, 20_000);
        assert_eq!(c.seed, 1);
        assert_eq!(c.rate_limit, 600);
        let o = c.options();
        assert_eq!(o.allow_ips, default_allow_ips());
        assert!(o.api_enabled && o.faults.is_empty());
        assert_eq!(o.header_timeout, Duration::from_secs(10));
        assert_eq!(o.max_connections, 256);
        assert_eq!(o.header_timeout, ServerOptions::default().header_timeout);
        assert_eq!(o.max_connections, ServerOptions::default().max_connections);

        let c = Config::parse_from([
            "voipms-sim",
            "--allow-ip",
            "10.1.2.3",
            "--allow-ip",
            "::1",
            "--fault",
            "latency=5,truncate@getCDR",
            "--fault",
            "http502",
            "--api-disabled",
            "--header-timeout-secs",
            "3",
            "--max-connections",
            "8",
        ]);
        let o = c.options();
        assert_eq!(o.allow_ips.len(), 2);
        assert_eq!(o.faults.len(), 3);
        assert!(!o.api_enabled);
        assert_eq!(o.header_timeout, Duration::from_secs(3));
        assert_eq!(o.max_connections, 8);
        assert!(Config::try_parse_from(["voipms-sim", "--fault", "nonsense"]).is_err());
        // Zero would close every connection at once, or never accept one.
        assert!(Config::try_parse_from(["voipms-sim", "--header-timeout-secs", "0"]).is_err());
        assert!(Config::try_parse_from(["voipms-sim", "--max-connections", "0"]).is_err());
    }
}
