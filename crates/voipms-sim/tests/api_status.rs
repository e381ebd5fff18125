//! Every status code that applies to each method, and the order of the checks (contract §5).

mod common;

use common::*;
use voipms_sim::config::{DEMO_PASSWORD, DEMO_USERNAME};

/// Asserts the status of an authenticated GET.
async fn expect(params: &[(&str, &str)], code: &str) {
    let v = call(params).await;
    assert_eq!(status(&v), code, "{params:?} -> {v}");
    assert_all_strings(&v);
    if code != "success" {
        assert_eq!(
            v.as_object().unwrap().len(),
            1,
            "an error carries only its status: {v}"
        );
    }
}

/// Asserts the status of a GET without the demo credentials added.
async fn expect_raw(params: &[(&str, &str)], code: &str) {
    let v = parse(get_raw(&shared().api(), params).await).await;
    assert_eq!(status(&v), code, "{params:?} -> {v}");
}

#[tokio::test]
async fn global_checks_in_order() {
    // Nothing at all: the method is checked first.
    expect_raw(&[], "missing_method").await;
    expect_raw(&[("api_username", DEMO_USERNAME)], "missing_method").await;
    expect_raw(&[("method", "")], "missing_method").await;
    // Then the credentials' presence.
    expect_raw(&[("method", "getCDR")], "missing_credentials").await;
    expect_raw(
        &[("method", "getCDR"), ("api_username", DEMO_USERNAME)],
        "missing_credentials",
    )
    .await;
    expect_raw(
        &[("method", "getCDR"), ("api_password", DEMO_PASSWORD)],
        "missing_credentials",
    )
    .await;
    expect_raw(
        &[
            ("method", "getCDR"),
            ("api_username", DEMO_USERNAME),
            ("api_password", ""),
        ],
        "missing_credentials",
    )
    .await;
    // Then their validity, before the method name is looked at.
    expect_raw(
        &[
            ("method", "bogus"),
            ("api_username", DEMO_USERNAME),
            ("api_password", "wrong"),
        ],
        "invalid_credentials",
    )
    .await;
    expect_raw(
        &[
            ("method", "getCDR"),
            ("api_username", "other@example.com"),
            ("api_password", DEMO_PASSWORD),
        ],
        "invalid_credentials",
    )
    .await;
    // The password is exact: no trimming, no case folding.
    let padded = format!("{DEMO_PASSWORD} ");
    let upper = DEMO_PASSWORD.to_uppercase();
    for password in [padded.as_str(), upper.as_str()] {
        expect_raw(
            &[
                ("method", "getCallBilling"),
                ("api_username", DEMO_USERNAME),
                ("api_password", password),
            ],
            "invalid_credentials",
        )
        .await;
    }
    // The e-mail is not case-sensitive.
    expect_raw(
        &[
            ("method", "getCallBilling"),
            ("api_username", "DEMO@Example.com"),
            ("api_password", DEMO_PASSWORD),
        ],
        "success",
    )
    .await;
    // Then the method name, which is case-sensitive.
    expect(&[("method", "bogus")], "invalid_method").await;
    expect(&[("method", "getcdr")], "invalid_method").await;
    expect(&[("method", "GetCDR")], "invalid_method").await;
}

fn cdr<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut p = vec![
        ("method", "getCDR"),
        ("date_from", "2025-06-01"),
        ("date_to", "2025-06-10"),
        ("timezone", "-5"),
        ("answered", "1"),
    ];
    // Later values win, as with PHP's $_REQUEST.
    p.extend_from_slice(extra);
    p
}

fn without<'a>(mut p: Vec<(&'a str, &'a str)>, name: &str) -> Vec<(&'a str, &'a str)> {
    p.retain(|(k, _)| *k != name);
    p
}

#[tokio::test]
async fn get_cdr_codes() {
    expect(&cdr(&[]), "success").await;
    expect(&without(cdr(&[]), "date_from"), "missing_from_date").await;
    expect(&without(cdr(&[]), "date_to"), "missing_to_date").await;
    for bad in [
        "2025-6-01",
        "2025/06/01",
        "2025-02-30",
        "0000-00-00",
        "yesterday",
        "2025-06-01 00:00:00",
    ] {
        expect(&cdr(&[("date_from", bad)]), "invalid_date").await;
        expect(&cdr(&[("date_to", bad)]), "invalid_date").await;
    }
    expect(&cdr(&[("date_from", "2025-06-11")]), "invalid_date_from").await;
    // 92 days counting both ends is the most; 93 is refused.
    expect(
        &cdr(&[("date_from", "2025-03-11"), ("date_to", "2025-06-10")]),
        "success",
    )
    .await;
    expect(
        &cdr(&[("date_from", "2025-03-10"), ("date_to", "2025-06-10")]),
        "invalid_daterange",
    )
    .await;
    expect(&without(cdr(&[]), "timezone"), "missing_timezone").await;
    for bad in [
        "abc", "14", "-13", "13.5", "1e1", "NaN", "inf", " -5", "-5 ", "5,5",
    ] {
        expect(&cdr(&[("timezone", bad)]), "invalid_timezone").await;
    }
    for good in ["13", "-12", "5.5", "+1", "0", "-3.5"] {
        expect(&cdr(&[("timezone", good)]), "success").await;
    }
    expect(&cdr(&[("answered", "0")]), "no_callstatus").await;
    expect(&without(cdr(&[]), "answered"), "no_callstatus").await;
    expect(
        &cdr(&[
            ("answered", "0"),
            ("noanswer", "0"),
            ("busy", "0"),
            ("failed", "0"),
        ]),
        "no_callstatus",
    )
    .await;
    expect(&cdr(&[("answered", "true")]), "no_callstatus").await;
    expect(&cdr(&[("calltype", "5551234567")]), "invalid_call_type").await;
    // A client's DID is not the main account's.
    expect(&cdr(&[("calltype", "6045550110")]), "invalid_call_type").await;
    expect(&cdr(&[("calltype", "INCOMING")]), "invalid_call_type").await;
    expect(&cdr(&[("callbilling", "paid")]), "invalid_callbilling").await;
    expect(&cdr(&[("account", "561115_Main")]), "invalid_account").await;
    expect(&cdr(&[("account", "nobody")]), "invalid_account").await;
    // Before the data starts: nothing found, which is not an error.
    expect(
        &cdr(&[("date_from", "2024-01-01"), ("date_to", "2024-01-31")]),
        "no_cdr",
    )
    .await;
}

#[tokio::test]
async fn get_cdr_check_order() {
    // Each pair breaks two checks; the earlier one in the contract's order answers.
    expect(
        &without(cdr(&[("date_to", "bad")]), "date_from"),
        "missing_from_date",
    )
    .await;
    expect(
        &cdr(&[("date_from", "bad"), ("date_to", "")]),
        "invalid_date",
    )
    .await;
    expect(
        &without(cdr(&[("date_from", "2025-07-01")]), "timezone"),
        "invalid_date_from",
    )
    .await;
    expect(
        &cdr(&[("date_from", "2024-01-01"), ("timezone", "99")]),
        "invalid_daterange",
    )
    .await;
    expect(
        &cdr(&[("timezone", "99"), ("answered", "0")]),
        "invalid_timezone",
    )
    .await;
    expect(
        &cdr(&[("answered", "0"), ("calltype", "x")]),
        "no_callstatus",
    )
    .await;
    expect(
        &cdr(&[("calltype", "x"), ("callbilling", "x")]),
        "invalid_call_type",
    )
    .await;
    expect(
        &cdr(&[("callbilling", "x"), ("account", "x")]),
        "invalid_callbilling",
    )
    .await;
    // Global checks come before any parameter.
    let v = parse(
        get_raw(
            &shared().api(),
            &[
                ("method", "getCDR"),
                ("api_username", DEMO_USERNAME),
                ("api_password", "x"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status(&v), "invalid_credentials");
}

fn reseller<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut p = cdr(&[("method", "getResellerCDR"), ("client", "561115")]);
    p.extend_from_slice(extra);
    p
}

#[tokio::test]
async fn get_reseller_cdr_codes() {
    expect(&reseller(&[]), "success").await;
    expect(&without(reseller(&[]), "client"), "missing_client").await;
    expect(&reseller(&[("client", "999999")]), "invalid_client").await;
    expect(&reseller(&[("calltype", "5145550171")]), "success").await;
    expect(
        &reseller(&[("calltype", "5145550142")]),
        "invalid_call_type",
    )
    .await;
    expect(&reseller(&[("account", "561115_Reception")]), "success").await;
    expect(&reseller(&[("account", "100000_VoIP")]), "invalid_account").await;
    expect(&reseller(&[("callbilling", "nope")]), "invalid_callbilling").await;
    // A client with no calls at all.
    expect(&reseller(&[("client", "561118")]), "no_cdr").await;
    // The date and timezone checks come before the client.
    expect(
        &without(reseller(&[("date_from", "x")]), "client"),
        "invalid_date",
    )
    .await;
    expect(
        &without(reseller(&[("timezone", "x")]), "client"),
        "invalid_timezone",
    )
    .await;
    expect(
        &without(reseller(&[("answered", "0")]), "client"),
        "no_callstatus",
    )
    .await;
    // The client comes before the filters whose values depend on it.
    expect(
        &reseller(&[("client", "999999"), ("calltype", "x")]),
        "invalid_client",
    )
    .await;
    expect(
        &without(reseller(&[("date_from", "2025-01-01")]), "date_from"),
        "missing_from_date",
    )
    .await;
    expect(
        &reseller(&[("date_from", "2025-01-01")]),
        "invalid_daterange",
    )
    .await;
}

#[tokio::test]
async fn lookup_codes() {
    expect(
        &[("method", "getCallAccounts"), ("client", "999999")],
        "invalid_client",
    )
    .await;
    expect(
        &[("method", "getCallAccounts"), ("client", "561118")],
        "no_account",
    )
    .await;
    expect(
        &[("method", "getCallTypes"), ("client", "999999")],
        "invalid_client",
    )
    .await;
    expect(
        &[("method", "getCallTypes"), ("client", "561118")],
        "success",
    )
    .await;
    expect(&[("method", "getRoutes"), ("route", "3")], "invalid_route").await;
    expect(
        &[("method", "getPackages"), ("package", "99999")],
        "no_package",
    )
    .await;
    expect(
        &[("method", "getClients"), ("client", "nobody@example.com")],
        "no_client",
    )
    .await;
    expect(
        &[("method", "getClients"), ("client", "999999")],
        "no_client",
    )
    .await;
    expect(&[("method", "getClientPackages")], "missing_client").await;
    expect(
        &[("method", "getClientPackages"), ("client", "999999")],
        "invalid_client",
    )
    .await;
    expect(
        &[("method", "getClientPackages"), ("client", "561118")],
        "no_package",
    )
    .await;
    expect(
        &[("method", "getClientPackages"), ("client", "561115")],
        "success",
    )
    .await;
}

#[tokio::test]
async fn rate_search_codes() {
    let rates = |p: &'static str, q: &'static str| {
        vec![("method", "getRates"), ("package", p), ("query", q)]
    };
    expect(&rates("92364", "Canada"), "success").await;
    expect(
        &[("method", "getRates"), ("query", "Canada")],
        "missing_package",
    )
    .await;
    expect(&rates("11111", "Canada"), "invalid_package").await;
    expect(
        &[("method", "getRates"), ("package", "92364")],
        "missing_query",
    )
    .await;
    expect(&rates("92364", "%%"), "invalid_query").await;
    expect(&rates("92364", "   "), "invalid_query").await;
    let long = Box::leak("a".repeat(65).into_boxed_str());
    expect(&rates("92364", long), "invalid_query").await;
    expect(&rates("92364", "Atlantis"), "no_rate").await;
    // `%` and `_` are plain characters, not SQL wildcards.
    expect(&rates("92364", "a%a"), "no_rate").await;
    // Package is checked before query.
    expect(
        &[("method", "getRates"), ("package", "11111")],
        "invalid_package",
    )
    .await;

    let term = |r: &'static str, q: &'static str| {
        vec![
            ("method", "getTerminationRates"),
            ("route", r),
            ("query", q),
        ]
    };
    expect(&term("1", "Germany"), "success").await;
    expect(
        &[("method", "getTerminationRates"), ("query", "Canada")],
        "missing_route",
    )
    .await;
    expect(&term("3", "Canada"), "invalid_route").await;
    expect(
        &[("method", "getTerminationRates"), ("route", "1")],
        "missing_query",
    )
    .await;
    expect(&term("1", "--"), "invalid_query").await;
    expect(&term("1", "Atlantis"), "no_rate").await;
    expect(
        &[("method", "getTerminationRates"), ("route", "9")],
        "invalid_route",
    )
    .await;
}
