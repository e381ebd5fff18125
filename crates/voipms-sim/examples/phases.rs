// Temporary: timings of getCDR filter shapes (not committed).
use std::time::Instant;
use voipms_sim::gen::Disposition;
use voipms_sim::store::{CallBilling, CallType, CdrQuery};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let days: i64 = std::env::args().nth(2).unwrap().parse().unwrap();
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.execute_batch("PRAGMA cache_size = -32000;").unwrap();
    let end: i64 = conn
        .query_row("SELECT value FROM meta WHERE key='end'", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
        .parse()
        .unwrap();
    let last = end.div_euclid(86400);
    let base = CdrQuery {
        client: String::new(),
        from: (last - days + 1) * 86400 + 18000,
        to: (last + 1) * 86400 + 18000,
        offset: -18000,
        dispositions: Disposition::ALL.to_vec(),
        calltype: CallType::All,
        billing: CallBilling::All,
        account: None,
        with_rate: true,
    };
    let cases: Vec<(&str, CdrQuery)> = vec![
        ("all", base.clone()),
        (
            "failed",
            CdrQuery {
                dispositions: vec![Disposition::Failed],
                ..base.clone()
            },
        ),
        (
            "answered+busy",
            CdrQuery {
                dispositions: vec![Disposition::Answered, Disposition::Busy],
                ..base.clone()
            },
        ),
        (
            "incoming",
            CdrQuery {
                calltype: CallType::Incoming,
                ..base.clone()
            },
        ),
        (
            "outgoing",
            CdrQuery {
                calltype: CallType::Outgoing,
                ..base.clone()
            },
        ),
        (
            "did",
            CdrQuery {
                calltype: CallType::Did("2125550163".into()),
                ..base.clone()
            },
        ),
        (
            "free",
            CdrQuery {
                billing: CallBilling::Free,
                ..base.clone()
            },
        ),
        (
            "billed",
            CdrQuery {
                billing: CallBilling::Billed,
                ..base.clone()
            },
        ),
        (
            "account Sales",
            CdrQuery {
                account: Some("100000_Sales".into()),
                ..base.clone()
            },
        ),
        (
            "account 100000",
            CdrQuery {
                account: Some("100000".into()),
                ..base.clone()
            },
        ),
        (
            "did+failed+billed",
            CdrQuery {
                calltype: CallType::Did("2125550163".into()),
                dispositions: vec![Disposition::Failed],
                billing: CallBilling::Billed,
                ..base.clone()
            },
        ),
        (
            "reseller 561116",
            CdrQuery {
                client: "561116".into(),
                with_rate: false,
                ..base.clone()
            },
        ),
        (
            "reseller 561116 did",
            CdrQuery {
                client: "561116".into(),
                with_rate: false,
                calltype: CallType::Did("7785550123".into()),
                ..base.clone()
            },
        ),
        (
            "reseller 561116 Warehouse",
            CdrQuery {
                client: "561116".into(),
                with_rate: false,
                account: Some("561116_Warehouse".into()),
                ..base.clone()
            },
        ),
    ];
    for (name, q) in &cases {
        let (sql, values) = q.sql();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(values.clone()), |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut best = f64::MAX;
        let mut rows = 0;
        let mut bytes = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let mut out = Vec::new();
            rows = voipms_sim::store::write_cdr_json(&conn, q, &mut out).unwrap();
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
            bytes = out.len();
        }
        println!(
            "{name:28} rows={rows:7} bytes={bytes:10} best={best:7.1}ms  plan={}",
            plan.join(" | ")
        );
    }
}
