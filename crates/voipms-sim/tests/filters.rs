//! Filter semantics of getCDR and getResellerCDR, checked against the generator's own rows
//! (drawn again in the test, filtered in plain Rust) and against direct SQL on the store.

mod common;

use common::*;
use serde_json::Value;
use voipms_sim::gen::{CdrRow, Disposition};

const DAY: i64 = 86_400;

/// What one request asks for, in the test's own terms.
#[derive(Clone)]
struct Ask<'a> {
    client: &'a str,
    from: &'a str,
    to: &'a str,
    timezone: &'a str,
    offset: i64,
    flags: [bool; 4],
    calltype: &'a str,
    callbilling: &'a str,
    account: &'a str,
}

impl Default for Ask<'_> {
    fn default() -> Self {
        Ask {
            client: "",
            from: "2025-05-01",
            to: "2025-05-31",
            timezone: "0",
            offset: 0,
            flags: [true; 4],
            calltype: "all",
            callbilling: "all",
            account: "all",
        }
    }
}

impl Ask<'_> {
    async fn send(&self) -> Value {
        let flags: Vec<(&str, &str)> = ["answered", "noanswer", "busy", "failed"]
            .iter()
            .zip(self.flags)
            .map(|(name, on)| (*name, if on { "1" } else { "0" }))
            .collect();
        let mut p = vec![
            ("date_from", self.from),
            ("date_to", self.to),
            ("timezone", self.timezone),
            ("calltype", self.calltype),
            ("callbilling", self.callbilling),
            ("account", self.account),
        ];
        p.extend(flags);
        if self.client.is_empty() {
            p.push(("method", "getCDR"));
        } else {
            p.extend([("method", "getResellerCDR"), ("client", self.client)]);
        }
        call(&p).await
    }

    /// The generator's rows this request should return, newest first.
    fn expected(&self) -> Vec<&'static CdrRow> {
        let (first, last) = (day(self.from), day(self.to));
        let mut rows: Vec<(usize, &CdrRow)> = generated_rows()
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                let shifted_day = (r.ts + self.offset).div_euclid(DAY);
                r.client == self.client
                    && (first..=last).contains(&shifted_day)
                    && self.flags[r.disposition as usize]
                    && match self.calltype {
                        "all" => true,
                        "incoming" => !r.outbound,
                        "outgoing" => r.outbound,
                        did => r.did == Some(did),
                    }
                    && match self.callbilling {
                        "free" => r.total.is_zero(),
                        "billed" => !r.total.is_zero(),
                        _ => true,
                    }
                    && (self.account == "all" || r.account == self.account)
            })
            .collect();
        // Newest first; calls of the same second in reverse insertion order, as the store's
        // `ORDER BY ts DESC, id DESC` gives them.
        rows.sort_by(|(ia, a), (ib, b)| (b.ts, ib).cmp(&(a.ts, ia)));
        rows.into_iter().map(|(_, r)| r).collect()
    }

    /// Sends the request and compares the answer with [`Ask::expected`], row by row.
    async fn check(&self) -> usize {
        let expected = self.expected();
        let v = self.send().await;
        if expected.is_empty() {
            assert_eq!(status(&v), "no_cdr");
            return 0;
        }
        assert_eq!(status(&v), "success", "{v}");
        let rows = v["cdr"].as_array().unwrap();
        assert_eq!(rows.len(), expected.len());
        for (got, want) in rows.iter().zip(&expected) {
            assert_eq!(got["uniqueid"], want.uniqueid.as_str());
            assert_eq!(got["date"], datetime(want.ts + self.offset));
            assert_eq!(got["disposition"], want.disposition.as_str());
            assert_eq!(got["account"], want.account);
            let date = got["date"].as_str().unwrap();
            assert!(
                self.from <= &date[..10] && &date[..10] <= self.to,
                "{date} outside {}..{}",
                self.from,
                self.to
            );
        }
        expected.len()
    }
}

#[tokio::test]
async fn each_disposition_flag() {
    let mut total = 0;
    for i in 0..4 {
        let mut flags = [false; 4];
        flags[i] = true;
        let n = Ask {
            flags,
            ..Ask::default()
        }
        .check()
        .await;
        assert!(n > 0, "no rows for {:?}", Disposition::ALL[i]);
        total += n;
    }
    // The four flags partition the rows.
    assert_eq!(total, Ask::default().check().await);
    let two = Ask {
        flags: [false, true, true, false],
        ..Ask::default()
    }
    .check()
    .await;
    assert!(two > 0);
}

#[tokio::test]
async fn call_types_and_dids() {
    let incoming = Ask {
        calltype: "incoming",
        ..Ask::default()
    }
    .check()
    .await;
    let outgoing = Ask {
        calltype: "outgoing",
        ..Ask::default()
    }
    .check()
    .await;
    assert!(incoming > 0 && outgoing > 0);
    assert_eq!(incoming + outgoing, Ask::default().check().await);
    let mut by_did = 0;
    for did in [
        "5145550142",
        "4385550199",
        "4185550117",
        "6135550128",
        "2125550163",
        "8445550100",
    ] {
        by_did += Ask {
            calltype: did,
            ..Ask::default()
        }
        .check()
        .await;
    }
    assert_eq!(by_did, incoming, "every inbound call rang one of the DIDs");
    // Toll-free calls are described as such.
    let v = Ask {
        calltype: "8445550100",
        ..Ask::default()
    }
    .send()
    .await;
    for row in v["cdr"].as_array().unwrap() {
        assert_eq!(row["description"], "Inbound - Toll Free");
        assert_eq!(row["destination"], "8445550100");
    }
}

#[tokio::test]
async fn call_billing_and_accounts() {
    let free = Ask {
        callbilling: "free",
        ..Ask::default()
    }
    .check()
    .await;
    let billed = Ask {
        callbilling: "billed",
        ..Ask::default()
    }
    .check()
    .await;
    assert!(free > 0 && billed > 0);
    assert_eq!(free + billed, Ask::default().check().await);
    let v = Ask {
        callbilling: "free",
        ..Ask::default()
    }
    .send()
    .await;
    assert!(v["cdr"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["total"] == "0.00000000"));
    // Answered calls can be free too (flat-rate DIDs).
    assert!(v["cdr"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["disposition"] == "ANSWERED" && r["seconds"] != "0"));

    let mut by_account = 0;
    for account in [
        "100000",
        "100000_VoIP",
        "100000_Office",
        "100000_Sales",
        "100000_Support",
    ] {
        by_account += Ask {
            account,
            ..Ask::default()
        }
        .check()
        .await;
    }
    assert_eq!(by_account, Ask::default().check().await);
    // Filters combine.
    Ask {
        account: "100000_Sales",
        calltype: "outgoing",
        callbilling: "billed",
        flags: [true, false, false, false],
        ..Ask::default()
    }
    .check()
    .await;
}

#[tokio::test]
async fn reseller_clients_see_only_their_calls() {
    let mut sum = 0;
    for client in ["561115", "561116", "561117"] {
        let n = Ask {
            client,
            ..Ask::default()
        }
        .check()
        .await;
        assert!(n > 0, "{client}");
        sum += n;
    }
    let main = Ask::default().check().await;
    let all_in_window = generated_rows()
        .iter()
        .filter(|r| (day("2025-05-01")..=day("2025-05-31")).contains(&r.ts.div_euclid(DAY)))
        .count();
    assert_eq!(sum + main, all_in_window);
    Ask {
        client: "561116",
        calltype: "8885550190",
        account: "561116_Dispatch",
        ..Ask::default()
    }
    .check()
    .await;
    Ask {
        client: "561115",
        callbilling: "billed",
        timezone: "5.5",
        offset: 19_800,
        ..Ask::default()
    }
    .check()
    .await;
}

#[tokio::test]
async fn timezone_shifts_dates_and_chooses_days() {
    // One day seen from three offsets: different rows, each shown on its shifted clock.
    let day_of = |timezone, offset| Ask {
        from: "2025-06-02",
        to: "2025-06-02",
        timezone,
        offset,
        ..Ask::default()
    };
    let utc = day_of("0", 0).check().await;
    let east = day_of("-5", -18_000).check().await;
    let india = day_of("5.5", 19_800).check().await;
    let max = day_of("13", 46_800).check().await;
    let min = day_of("-12", -43_200).check().await;
    assert!(utc > 0 && east > 0 && india > 0 && max > 0 && min > 0);
    let ids = |v: &Value| -> Vec<String> {
        v["cdr"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["uniqueid"].as_str().unwrap().to_owned())
            .collect()
    };
    let a = ids(&day_of("0", 0).send().await);
    let b = ids(&day_of("-5", -18_000).send().await);
    assert_ne!(a, b, "the offset must move the window");
    // At UTC-5 the window runs from 05:00 UTC on June 2 to 05:00 UTC on June 3, and every
    // row is shown on the shifted clock, so on June 2.
    let v = day_of("-5", -18_000).send().await;
    for row in v["cdr"].as_array().unwrap() {
        assert!(row["date"].as_str().unwrap().starts_with("2025-06-02"));
    }
}

#[tokio::test]
async fn inclusive_days_add_up() {
    let whole = Ask {
        from: "2025-06-01",
        to: "2025-06-07",
        timezone: "-5",
        offset: -18_000,
        ..Ask::default()
    }
    .check()
    .await;
    let mut parts = 0;
    for d in 1..=7 {
        let date = format!("2025-06-{d:02}");
        let date: &'static str = Box::leak(date.into_boxed_str());
        parts += Ask {
            from: date,
            to: date,
            timezone: "-5",
            offset: -18_000,
            ..Ask::default()
        }
        .check()
        .await;
    }
    assert_eq!(whole, parts);
    assert!(whole > 0);
}

#[tokio::test]
async fn rows_are_newest_first_and_the_last_day_is_today() {
    // The data ends at END (2025-06-15 18:30 UTC): the full 92-day window ending that day has
    // the latest call first.
    let ask = Ask {
        from: "2025-03-16",
        to: "2025-06-15",
        ..Ask::default()
    };
    let v = ask.send().await;
    let rows = v["cdr"].as_array().unwrap();
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    assert!(dates[0] <= "2025-06-15 18:30:00" && dates[0] >= "2025-06-15");
    ask.check().await;
    // Business hours: most calls fall on weekdays between 9 and 17 (UTC-5).
    let busy = generated_rows()
        .iter()
        .filter(|r| {
            let local = r.ts - 5 * 3600;
            let hour = local.rem_euclid(DAY) / 3600;
            let weekday = (local.div_euclid(DAY) + 3).rem_euclid(7);
            weekday < 5 && (9..17).contains(&hour)
        })
        .count();
    assert!(busy * 2 > generated_rows().len());
}

#[tokio::test]
async fn counts_match_direct_sql_on_the_store() {
    let server = shared();
    let conn = rusqlite::Connection::open_with_flags(
        &server.store_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    // June 1-10 at UTC+5.5: the UTC window starts 5.5 h before each local midnight.
    let from = day("2025-06-01") * DAY - 19_800;
    let to = (day("2025-06-10") + 1) * DAY - 19_800;
    let count: i64 = conn
        .query_row(
            "SELECT count(*) FROM cdr WHERE client = '' AND ts >= ?1 AND ts < ?2
             AND disposition IN (0, 2) AND outbound = 1",
            [from, to],
            |r| r.get(0),
        )
        .unwrap();
    let v = Ask {
        from: "2025-06-01",
        to: "2025-06-10",
        timezone: "5.5",
        offset: 19_800,
        flags: [true, false, true, false],
        calltype: "outgoing",
        ..Ask::default()
    }
    .send()
    .await;
    assert_eq!(v["cdr"].as_array().unwrap().len() as i64, count);
    assert!(count > 0);
    let total: i64 = conn
        .query_row("SELECT count(*) FROM cdr", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total as u64, PARAMS.calls);
}
