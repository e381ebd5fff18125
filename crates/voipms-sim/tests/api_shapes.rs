//! Success shapes of every method against the seed document's samples, and the request
//! forms (GET, multipart POST, url-encoded POST).

mod common;

use cdr_core::billing::charge;
use cdr_core::money::Money;
use common::*;
use serde_json::{json, Value};

/// Field names of each object in a list.
fn keys(list: &Value) -> Vec<Vec<String>> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_object().unwrap().keys().cloned().collect())
        .collect()
}

fn sorted(mut v: Vec<&str>) -> Vec<String> {
    v.sort_unstable();
    v.into_iter().map(String::from).collect()
}

fn assert_money(text: &str) {
    let (int, frac) = text
        .split_once('.')
        .unwrap_or_else(|| panic!("no decimals: {text}"));
    assert!(
        !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()),
        "{text}"
    );
    assert_eq!(frac.len(), 8, "not 8 decimals: {text}");
}

#[tokio::test]
async fn get_call_accounts() {
    let v = call(&[("method", "getCallAccounts")]).await;
    assert_all_strings(&v);
    assert_eq!(status(&v), "success");
    let accounts = v["accounts"].as_array().unwrap();
    assert_eq!(
        accounts[0],
        json!({"value": "all", "description": "All Accounts"})
    );
    assert!(accounts.contains(&json!({"value": "100000_VoIP", "description": "100000_VoIP"})));
    for a in &accounts[1..] {
        assert!(a["value"].as_str().unwrap().starts_with("100000"), "{a}");
    }
    let v = call(&[("method", "getCallAccounts"), ("client", "561115")]).await;
    let values: Vec<&str> = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["all", "561115_Main", "561115_Reception"]);
}

#[tokio::test]
async fn get_call_billing_matches_the_seed() {
    let v = call(&[("method", "getCallBilling")]).await;
    assert_eq!(
        v,
        json!({"status": "success", "call_billing": [
            {"value": "all", "description": "All Calls"},
            {"value": "free", "description": "Free Calls"},
            {"value": "billed", "description": "Billed Calls"},
        ]})
    );
}

#[tokio::test]
async fn get_call_types() {
    let v = call(&[("method", "getCallTypes")]).await;
    assert_all_strings(&v);
    let types = v["call_types"].as_array().unwrap();
    assert_eq!(
        types[..3],
        [
            json!({"value": "all", "description": "All Calls"}),
            json!({"value": "outgoing", "description": "Outgoing Calls"}),
            json!({"value": "incoming", "description": "Incoming Calls"}),
        ]
    );
    assert!(types.len() > 3);
    for t in &types[3..] {
        let did = t["value"].as_str().unwrap();
        assert_eq!(did.len(), 10);
        assert!(did.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(t["description"], format!("Calls to {did}"));
    }
    let v = call(&[("method", "getCallTypes"), ("client", "561116")]).await;
    assert_eq!(v["call_types"].as_array().unwrap().len(), 3 + 3);
}

const CDR_FIELDS: [&str; 12] = [
    "date",
    "callerid",
    "destination",
    "description",
    "account",
    "disposition",
    "duration",
    "seconds",
    "rate",
    "total",
    "uniqueid",
    "destination_type",
];

fn all_flags<'a>(from: &'a str, to: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("date_from", from),
        ("date_to", to),
        ("timezone", "-5"),
        ("answered", "1"),
        ("noanswer", "1"),
        ("busy", "1"),
        ("failed", "1"),
    ]
}

#[tokio::test]
async fn get_cdr_rows_have_the_seed_fields_and_billing() {
    let mut p = all_flags("2025-05-01", "2025-06-15");
    p.push(("method", "getCDR"));
    let v = call(&p).await;
    assert_eq!(status(&v), "success");
    assert_all_strings(&v);
    let rows = v["cdr"].as_array().unwrap();
    assert!(rows.len() > 300, "{}", rows.len());
    let by_id: std::collections::HashMap<&str, &voipms_sim::gen::CdrRow> = generated_rows()
        .iter()
        .map(|r| (r.uniqueid.as_str(), r))
        .collect();
    for (row, names) in rows.iter().zip(keys(&v["cdr"])) {
        let mut names = names;
        names.sort_unstable();
        assert_eq!(names, sorted(CDR_FIELDS.to_vec()));
        let seconds: u32 = row["seconds"].as_str().unwrap().parse().unwrap();
        let duration = row["duration"].as_str().unwrap();
        assert_eq!(
            duration,
            format!(
                "{:02}:{:02}:{:02}",
                seconds / 3600,
                seconds % 3600 / 60,
                seconds % 60
            )
        );
        assert_money(row["rate"].as_str().unwrap());
        assert_money(row["total"].as_str().unwrap());
        assert!(["ANSWERED", "NO ANSWER", "BUSY", "FAILED"]
            .contains(&row["disposition"].as_str().unwrap()));
        if row["disposition"] != "ANSWERED" {
            assert_eq!(
                (row["seconds"].as_str(), row["total"].as_str()),
                (Some("0"), Some("0.00000000"))
            );
        }
        // The total follows the billing rule at the destination's increment (6 or 60 s).
        let rate = Money::parse(row["rate"].as_str().unwrap()).unwrap();
        let total = Money::parse(row["total"].as_str().unwrap()).unwrap();
        assert!(
            Ok(total) == charge(seconds, 6, rate) || Ok(total) == charge(seconds, 60, rate),
            "{row}"
        );
        // And every field is the generator's, read back unchanged.
        let generated = by_id[row["uniqueid"].as_str().unwrap()];
        assert_eq!(row["callerid"], generated.callerid.as_str());
        assert_eq!(row["destination"], generated.destination.as_str());
        assert_eq!(row["account"], generated.account);
        assert_eq!(total, generated.total);
        assert_eq!(rate, generated.rate);
        assert_eq!(seconds, generated.seconds);
        assert_eq!(row["date"], datetime(generated.ts - 5 * 3600));
    }
    let descriptions: std::collections::HashSet<&str> = rows
        .iter()
        .map(|r| r["description"].as_str().unwrap())
        .collect();
    for d in [
        "Inbound - Local Caller",
        "Outbound - Customer",
        "Outbound - International",
    ] {
        assert!(
            descriptions.contains(d),
            "{d} missing from {descriptions:?}"
        );
    }
    // Quoted and bare caller ids, and ids with letters, all occur.
    assert!(rows
        .iter()
        .any(|r| r["callerid"].as_str().unwrap().starts_with('"')));
    assert!(rows.iter().any(|r| r["callerid"]
        .as_str()
        .unwrap()
        .bytes()
        .all(|b| b.is_ascii_digit())));
    assert!(rows
        .iter()
        .any(|r| r["uniqueid"].as_str().unwrap().contains('x')));
}

#[tokio::test]
async fn the_script_caller_id_is_in_the_data() {
    // The browser tests count on it to check escaping.
    let mut p = all_flags("2025-03-16", "2025-06-15");
    p.push(("method", "getCDR"));
    let v = call(&p).await;
    let found = v["cdr"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["callerid"]
                .as_str()
                .unwrap()
                .contains("<script>alert(1)</script>")
        })
        .count();
    assert!(found >= 1);
}

#[tokio::test]
async fn get_reseller_cdr_rows_have_no_rate() {
    let mut p = all_flags("2025-05-01", "2025-06-15");
    p.extend([("method", "getResellerCDR"), ("client", "561116")]);
    let v = call(&p).await;
    assert_eq!(status(&v), "success");
    assert_all_strings(&v);
    let expected: Vec<&str> = CDR_FIELDS
        .iter()
        .copied()
        .filter(|f| *f != "rate")
        .collect();
    for mut names in keys(&v["cdr"]) {
        names.sort_unstable();
        assert_eq!(names, sorted(expected.clone()));
    }
    for row in v["cdr"].as_array().unwrap() {
        assert!(row["account"].as_str().unwrap().starts_with("561116_"));
    }
}

#[tokio::test]
async fn get_rates_like_the_seed() {
    let v = call(&[
        ("method", "getRates"),
        ("package", "92364"),
        ("query", "Canada"),
    ])
    .await;
    assert_eq!(status(&v), "success");
    assert_all_strings(&v);
    for mut names in keys(&v["rates"]) {
        names.sort_unstable();
        assert_eq!(
            names,
            sorted(vec![
                "destination",
                "prefix",
                "client_increment",
                "client_rate",
                "real_increment",
                "real_rate"
            ])
        );
    }
    let rates = v["rates"].as_array().unwrap();
    let quebec = rates
        .iter()
        .find(|r| r["destination"] == "Canada - 418 Quebec City")
        .unwrap();
    assert_eq!(quebec["prefix"], "1418");
    assert_eq!(quebec["client_increment"], "60");
    assert_eq!(quebec["real_increment"], "6");
    assert_money(quebec["client_rate"].as_str().unwrap());
    assert!(rates
        .iter()
        .all(|r| r["destination"].as_str().unwrap().starts_with("Canada - ")));
    // The search is case-insensitive, and digits match the start of the prefix.
    let lower = call(&[
        ("method", "getRates"),
        ("package", "92364"),
        ("query", "canada"),
    ])
    .await;
    assert_eq!(lower, v);
    let by_prefix = call(&[
        ("method", "getRates"),
        ("package", "92364"),
        ("query", "4420"),
    ])
    .await;
    let names: Vec<&str> = by_prefix["rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["destination"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["United Kingdom - London"]);
    // Mexico bills by the minute.
    let mexico = call(&[
        ("method", "getRates"),
        ("package", "92365"),
        ("query", "Mexico"),
    ])
    .await;
    assert!(mexico["rates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["real_increment"] == "60" && r["client_increment"] == "60"));
}

#[tokio::test]
async fn get_termination_rates_like_the_seed() {
    let premium = call(&[
        ("method", "getTerminationRates"),
        ("route", "2"),
        ("query", "Canada"),
    ])
    .await;
    assert_eq!(status(&premium), "success");
    assert_all_strings(&premium);
    assert_eq!(
        premium["route"],
        json!([{"value": "2", "description": "Premium"}])
    );
    for mut names in keys(&premium["rates"]) {
        names.sort_unstable();
        assert_eq!(
            names,
            sorted(vec!["destination", "prefix", "increment", "rate"])
        );
    }
    let value = call(&[
        ("method", "getTerminationRates"),
        ("route", "1"),
        ("query", "Canada"),
    ])
    .await;
    let (p, v) = (
        premium["rates"].as_array().unwrap(),
        value["rates"].as_array().unwrap(),
    );
    assert_eq!(p.len(), v.len());
    for (p, v) in p.iter().zip(v) {
        assert_eq!(p["prefix"], v["prefix"]);
        let (pr, vr) = (
            Money::parse(p["rate"].as_str().unwrap()).unwrap(),
            Money::parse(v["rate"].as_str().unwrap()).unwrap(),
        );
        assert!(pr > vr, "Premium must be dearer: {p} vs {v}");
    }
    assert!(p
        .iter()
        .any(|r| r["destination"] == "Canada - 204 Manitoba" && r["prefix"] == "1204"));
}

#[tokio::test]
async fn get_routes_packages_clients() {
    let v = call(&[("method", "getRoutes")]).await;
    assert_eq!(
        v,
        json!({"status": "success", "routes": [
            {"value": "1", "description": "Value"},
            {"value": "2", "description": "Premium"},
        ]})
    );
    let v = call(&[("method", "getRoutes"), ("route", "2")]).await;
    assert_eq!(
        v["routes"],
        json!([{"value": "2", "description": "Premium"}])
    );

    let v = call(&[("method", "getPackages")]).await;
    assert_all_strings(&v);
    for mut names in keys(&v["packages"]) {
        names.sort_unstable();
        assert_eq!(
            names,
            sorted(vec![
                "package",
                "name",
                "markup_fixed",
                "markup_percentage",
                "pulse",
                "international_route",
                "canada_route",
                "monthly_fee",
                "setup_fee",
                "free_minutes"
            ])
        );
    }
    let standard = call(&[("method", "getPackages"), ("package", "92364")]).await;
    assert_eq!(standard["packages"][0]["name"], "Standard");
    assert_eq!(standard["packages"].as_array().unwrap().len(), 1);

    let v = call(&[("method", "getClients")]).await;
    assert_all_strings(&v);
    let clients = v["clients"].as_array().unwrap();
    assert!(clients.len() >= 3);
    for c in clients {
        for field in ["client", "email", "company", "firstname", "lastname"] {
            assert!(!c[field].as_str().unwrap().is_empty(), "{field} of {c}");
        }
    }
    let by_email = call(&[
        ("method", "getClients"),
        ("client", "JANE.ROY@northwind-dental.example.com"),
    ])
    .await;
    assert_eq!(by_email["clients"].as_array().unwrap().len(), 1);
    assert_eq!(by_email["clients"][0]["client"], "561115");

    let v = call(&[("method", "getClientPackages"), ("client", "561116")]).await;
    assert_all_strings(&v);
    assert_eq!(
        v["packages"],
        json!([
            {"value": "92365", "description": "Business Premium"},
            {"value": "92364", "description": "Standard"},
        ])
    );
}

#[tokio::test]
async fn get_and_multipart_post_answer_identically() {
    let server = shared();
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("method", "getCallAccounts")],
        vec![
            ("method", "getRates"),
            ("package", "92364"),
            ("query", "France"),
        ],
        {
            let mut p = all_flags("2025-06-01", "2025-06-10");
            p.push(("method", "getCDR"));
            p
        },
        vec![("method", "getCDR"), ("date_from", "2025-13-01")],
        vec![("method", "nope")],
    ];
    for params in cases {
        let params = with_creds(&params);
        let get = get_raw(&server.api(), &params).await;
        let post = post_raw(&server.api(), &params).await;
        assert_eq!(get.status(), post.status());
        assert_eq!(
            get.headers()["content-type"],
            post.headers()["content-type"]
        );
        let (get, post) = (get.bytes().await.unwrap(), post.bytes().await.unwrap());
        assert_eq!(get, post, "{params:?}");
    }
    // Credentials without a method, in both forms.
    let missing = parse(post_raw(&server.api(), &with_creds(&[])).await).await;
    assert_eq!(status(&missing), "missing_method");
}

#[tokio::test]
async fn other_post_bodies_get_the_soap_fault() {
    let server = shared();
    let params = with_creds(&[("method", "getCallBilling")]);
    let c = client();
    let urlencoded = c.post(server.api()).form(&params).send().await.unwrap();
    let json_body = c
        .post(server.api())
        .json(&json!({"method": "getCallBilling"}))
        .send()
        .await
        .unwrap();
    let plain_text = c
        .post(server.api())
        .header("content-type", "text/plain")
        .body("method=getCallBilling")
        .send()
        .await
        .unwrap();
    let no_body = c.post(server.api()).send().await.unwrap();
    for response in [urlencoded, json_body, plain_text, no_body] {
        assert_eq!(response.status(), 500);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml"));
        let body = response.text().await.unwrap();
        assert!(body.contains("<SOAP-ENV:Fault>"), "{body}");
        assert!(serde_json::from_str::<Value>(&body).is_err());
    }
}

#[tokio::test]
async fn http_edges() {
    let server = shared();
    let c = client();
    let put = c.put(server.api()).send().await.unwrap();
    assert_eq!(put.status(), 405);
    // The request line is limited to about 8 KB, like the service's web server.
    let long = "x".repeat(9000);
    let response = get_raw(
        &server.api(),
        &with_creds(&[("method", "getCDR"), ("pad", &long)]),
    )
    .await;
    assert_eq!(response.status(), 414);
    let near = "x".repeat(7000);
    let response = get_raw(
        &server.api(),
        &with_creds(&[("method", "getCallBilling"), ("pad", &near)]),
    )
    .await;
    assert_eq!(status(&parse(response).await), "success");
    // Other paths under /api are 404, never an app page.
    let other = c
        .get(format!("{}/api/v2/rest.php", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    // Without --dist, / says where the API is.
    let home = c
        .get(&server.base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("/api/v1/rest.php"), "{home}");
}
