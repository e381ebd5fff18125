//! Server behaviour: faults, rate limit, IP allow-list, API switch, the app at `/`, logs and
//! the store's reuse.

mod common;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use common::*;
use voipms_sim::config::DEMO_PASSWORD;
use voipms_sim::faults;
use voipms_sim::gen::GenParams;
use voipms_sim::store::Store;

const SMALL: GenParams = GenParams {
    calls: 300,
    seed: 11,
    end: END,
};

fn routes() -> Vec<(&'static str, &'static str)> {
    with_creds(&[("method", "getRoutes")])
}

async fn with_header(url: &str, params: &[(&str, &str)], fault: &str) -> reqwest::Response {
    client()
        .get(url)
        .query(params)
        .header("X-Sim-Fault", fault)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn header_faults() {
    let server = shared();
    let normal = get_raw(&server.api(), &routes())
        .await
        .bytes()
        .await
        .unwrap();

    let started = Instant::now();
    let slow = with_header(&server.api(), &routes(), "latency=300").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(slow.bytes().await.unwrap(), normal);

    let bad = with_header(&server.api(), &routes(), "http502").await;
    assert_eq!(bad.status(), 502);
    assert!(bad.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(bad.text().await.unwrap().contains("502 Bad Gateway"));

    let cut = with_header(&server.api(), &routes(), "truncate").await;
    assert_eq!(cut.status(), 200);
    assert_eq!(cut.headers()["content-type"], "application/json");
    let cut = cut.bytes().await.unwrap();
    assert_eq!(cut.len(), normal.len() / 2);
    assert_eq!(&cut[..], &normal[..cut.len()]);
    assert!(serde_json::from_slice::<serde_json::Value>(&cut).is_err());

    let forced = parse(with_header(&server.api(), &routes(), "status=ip_not_enabled").await).await;
    assert_eq!(forced, serde_json::json!({"status": "ip_not_enabled"}));
    // Unknown codes pass through, for the portal's "unknown status" path.
    let odd = parse(with_header(&server.api(), &routes(), "status=brand_new_code").await).await;
    assert_eq!(status(&odd), "brand_new_code");

    // @METHOD limits a directive to one method.
    let scoped = "http502@getCDR, status=no_rate@getRates";
    let r = with_header(&server.api(), &routes(), scoped).await;
    assert_eq!(r.bytes().await.unwrap(), normal);
    let r = with_header(&server.api(), &with_creds(&[("method", "getCDR")]), scoped).await;
    assert_eq!(r.status(), 502);

    // Several directives combine.
    let started = Instant::now();
    let r = with_header(&server.api(), &routes(), "latency=100,truncate").await;
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(r.bytes().await.unwrap().len(), normal.len() / 2);

    // A typo is refused loudly rather than ignored.
    let r = with_header(&server.api(), &routes(), "latncy=5").await;
    assert_eq!(r.status(), 400);
    // The faults also apply to multipart POSTs.
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in routes() {
        form = form.text(k, v);
    }
    let r = client()
        .post(server.api())
        .header(faults::HEADER, "http502")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
}

#[tokio::test]
async fn flag_faults_apply_to_every_request() {
    let server = start(SMALL, |o| {
        o.faults = faults::parse_list("status=method_maintenance@getRoutes,latency=50").unwrap();
    });
    let started = Instant::now();
    let v = parse(get_raw(&server.api(), &routes()).await).await;
    assert_eq!(status(&v), "method_maintenance");
    assert!(started.elapsed() >= Duration::from_millis(50));
    let v = parse(get_raw(&server.api(), &with_creds(&[("method", "getCallBilling")])).await).await;
    assert_eq!(status(&v), "success");
    // Header faults add to the flag's.
    let r = with_header(
        &server.api(),
        &with_creds(&[("method", "getCallBilling")]),
        "http502",
    )
    .await;
    assert_eq!(r.status(), 502);
}

#[tokio::test]
async fn rate_limit_per_minute() {
    let server = start(SMALL, |o| o.rate_limit = 5);
    // Refused credentials are answered before the limit and do not use it up.
    for _ in 0..3 {
        let v = parse(
            get_raw(
                &server.api(),
                &[
                    ("method", "getRoutes"),
                    ("api_username", "demo@example.com"),
                    ("api_password", "x"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status(&v), "invalid_credentials");
    }
    for i in 0..5 {
        let v = parse(get_raw(&server.api(), &routes()).await).await;
        assert_eq!(status(&v), "success", "request {i}");
    }
    for _ in 0..3 {
        let v = parse(post_raw(&server.api(), &routes()).await).await;
        assert_eq!(status(&v), "api_limit_exceeded");
    }
    // The limit comes before the method check.
    let v = parse(get_raw(&server.api(), &with_creds(&[("method", "bogus")])).await).await;
    assert_eq!(status(&v), "api_limit_exceeded");
}

#[tokio::test]
async fn ip_allow_list() {
    let ip: IpAddr = "10.1.2.3".parse().unwrap();
    let server = start(SMALL, |o| o.allow_ips = vec![ip]);
    let v = parse(get_raw(&server.api(), &routes()).await).await;
    assert_eq!(v, serde_json::json!({"status": "ip_not_enabled"}));
    // Credentials are checked before the IP.
    let v = parse(
        get_raw(
            &server.api(),
            &[
                ("method", "getRoutes"),
                ("api_username", "demo@example.com"),
                ("api_password", "no"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status(&v), "invalid_credentials");
    // And the IP before the method name.
    let v = parse(get_raw(&server.api(), &with_creds(&[("method", "bogus")])).await).await;
    assert_eq!(status(&v), "ip_not_enabled");
}

#[tokio::test]
async fn api_switch() {
    let server = start(SMALL, |o| o.api_enabled = false);
    let v = parse(get_raw(&server.api(), &routes()).await).await;
    assert_eq!(status(&v), "api_not_enabled");
    let v = parse(get_raw(&server.api(), &[("method", "getRoutes")]).await).await;
    assert_eq!(status(&v), "missing_credentials");
    // Disabled and not allow-listed: the switch is reported first.
    let both = start(SMALL, |o| {
        o.api_enabled = false;
        o.allow_ips = vec!["10.1.2.3".parse().unwrap()];
    });
    let v = parse(get_raw(&both.api(), &routes()).await).await;
    assert_eq!(status(&v), "api_not_enabled");
}

#[tokio::test]
async fn serves_the_app_with_an_spa_fallback() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>portal</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log('plain')").unwrap();
    std::fs::write(dist.path().join("app.js.br"), b"brotli-bytes").unwrap();
    std::fs::create_dir(dist.path().join("assets")).unwrap();
    std::fs::write(dist.path().join("assets/style.css"), "body{}").unwrap();
    let dist_path = dist.path().to_owned();
    let server = start(SMALL, move |o| o.dist = Some(dist_path));
    let c = client();
    let get = |path: &str| c.get(format!("{}{path}", server.base));

    for path in [
        "/",
        "/calls?date_from=2025-01-01&date_to=2025-01-31",
        "/rates/termination",
        "/no/such/file.js",
    ] {
        let r = get(path).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(
            r.text().await.unwrap(),
            "<!doctype html><title>portal</title>",
            "{path}"
        );
    }
    let css = get("/assets/style.css").send().await.unwrap();
    assert_eq!(css.text().await.unwrap(), "body{}");
    let js = get("/app.js").send().await.unwrap();
    assert_eq!(js.text().await.unwrap(), "console.log('plain')");
    // The precompressed file is chosen when the browser accepts it.
    let br = get("/app.js")
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(&br.bytes().await.unwrap()[..], b"brotli-bytes");
    // The API is still the API, and other /api paths are not the app.
    let v = parse(get_raw(&server.api(), &routes()).await).await;
    assert_eq!(status(&v), "success");
    assert_eq!(get("/api/v1/other.php").send().await.unwrap().status(), 404);
    // A fault header on a static request is ignored.
    let r = get("/calls")
        .header(faults::HEADER, "http502")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn one_log_line_per_request_and_never_a_password() {
    let server = start(SMALL, |_| {});
    let secret = "Pa55-SECRET-never-log-me";
    let requests: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("method", "getRoutes"),
            ("api_username", "demo@example.com"),
            ("api_password", secret),
        ],
        // The password typed into the username field, and as the method.
        vec![
            ("method", "getRoutes"),
            ("api_username", secret),
            ("api_password", secret),
        ],
        vec![
            ("method", secret),
            ("api_username", "demo@example.com"),
            ("api_password", DEMO_PASSWORD),
        ],
        with_creds(&[
            ("method", "getCDR"),
            ("date_from", "2025-06-01"),
            ("date_to", "2025-06-14"),
            ("timezone", "-5"),
            ("answered", "1"),
        ]),
    ];
    for params in &requests {
        // Read to the end: a streamed answer's line is written when the answer ends.
        get_raw(&server.api(), params).await.bytes().await.unwrap();
        post_raw(&server.api(), params).await.bytes().await.unwrap();
    }
    client()
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap();
    // Each line is written before the end of its answer leaves the server.
    let expected = requests.len() * 2 + 1;
    let lines = server.log_lines();
    assert_eq!(lines.len(), expected, "{lines:#?}");
    for line in &lines {
        assert!(!line.contains(secret), "password in log: {line}");
        assert!(!line.contains(DEMO_PASSWORD), "password in log: {line}");
        assert!(!line.contains("api_password"), "{line}");
    }
    assert!(lines[0].starts_with("GET /api/v1/rest.php getRoutes 200 invalid_credentials "));
    assert!(lines[1].starts_with("POST /api/v1/rest.php getRoutes 200 invalid_credentials "));
    assert!(lines[4].contains(" - 200 invalid_method "), "{}", lines[4]);
    let cdr = &lines[6];
    assert!(
        cdr.starts_with("GET /api/v1/rest.php getCDR 200 success "),
        "{cdr}"
    );
    assert!(cdr.contains("ms rows="), "{cdr}");
    assert!(lines[8].starts_with("GET / 200 "), "{}", lines[8]);
}

#[test]
fn store_is_reused_or_regenerated() {
    let dir = tempfile::tempdir().unwrap();
    let (store, report) = Store::open_or_generate(dir.path(), SMALL, false).unwrap();
    assert!(report.generated);
    assert_eq!(store.meta().calls, 300);
    assert_eq!(store.meta().gen_date, "2025-06-15");
    let (_, report) = Store::open_or_generate(dir.path(), SMALL, false).unwrap();
    assert!(!report.generated, "same parameters: reused");
    let (_, report) = Store::open_or_generate(dir.path(), SMALL, true).unwrap();
    assert!(report.generated, "--reset");
    let other_seed = GenParams { seed: 12, ..SMALL };
    let (store, report) = Store::open_or_generate(dir.path(), other_seed, false).unwrap();
    assert!(report.generated);
    assert_eq!(store.meta().seed, 12);
    let next_day = GenParams {
        end: END + 86_400,
        ..other_seed
    };
    let (_, report) = Store::open_or_generate(dir.path(), next_day, false).unwrap();
    assert!(
        report.generated,
        "a new day regenerates, so the data ends today"
    );
    let more = GenParams {
        calls: 301,
        ..next_day
    };
    let (store, report) = Store::open_or_generate(dir.path(), more, false).unwrap();
    assert!(report.generated);
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM cdr", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 301);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cdr' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(indexes, ["cdr_account", "cdr_client", "cdr_did"]);
}

#[test]
fn cdr_query_plans_use_an_index_and_never_sort() {
    use voipms_sim::gen::Disposition;
    use voipms_sim::store::{CallBilling, CallType, CdrQuery};
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open_or_generate(dir.path(), SMALL, false).unwrap();
    let conn = store.conn().unwrap();
    let dispositions = [
        Disposition::ALL.to_vec(),
        vec![Disposition::Answered],
        vec![Disposition::NoAnswer, Disposition::Failed],
    ];
    let calltypes = [
        CallType::All,
        CallType::Incoming,
        CallType::Outgoing,
        CallType::Did("2125550163".into()),
    ];
    let billings = [CallBilling::All, CallBilling::Free, CallBilling::Billed];
    let accounts = [None, Some("100000_Sales".to_owned())];
    let mut plans = 0;
    for client in ["", "561116"] {
        for d in &dispositions {
            for calltype in &calltypes {
                for billing in billings {
                    for account in &accounts {
                        let query = CdrQuery {
                            client: client.to_owned(),
                            from: 0,
                            to: i64::MAX,
                            offset: 0,
                            dispositions: d.clone(),
                            calltype: calltype.clone(),
                            billing,
                            account: account.clone(),
                            with_rate: client.is_empty(),
                        };
                        let (sql, values) = query.sql();
                        // Values are bound, never spliced in.
                        assert!(!sql.contains('\''), "{sql}");
                        let plan: Vec<String> = conn
                            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                            .unwrap()
                            .query_map(rusqlite::params_from_iter(values), |r| {
                                r.get::<_, String>(3)
                            })
                            .unwrap()
                            .collect::<Result<_, _>>()
                            .unwrap();
                        let plan = plan.join(" | ");
                        let index = query.index();
                        assert!(
                            plan.starts_with(&format!("SEARCH cdr USING INDEX {index} (")),
                            "{plan}"
                        );
                        assert!(plan.contains("ts>? AND ts<?"), "a range of ts: {plan}");
                        // A sort would read the whole range before the first row goes out.
                        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
                        plans += 1;
                    }
                }
            }
        }
    }
    assert_eq!(plans, 2 * 3 * 4 * 3 * 2);
}
