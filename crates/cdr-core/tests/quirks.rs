//! Every JSON quirk of the contract's §2, and every way a body can go wrong, with a literal
//! body each.

use cdr_core::decode::{
    decode_accounts, decode_cdr, decode_client_packages, decode_clients, decode_packages,
    decode_rates, decode_routes, decode_status, decode_termination_rates, decode_value_list,
    DecodeError,
};
use cdr_core::model::Disposition;
use cdr_core::money::Money;
use cdr_core::request::Method;
use cdr_core::status::ApiStatus;

fn cdr(body: &str) -> Vec<cdr_core::model::CdrRow> {
    decode_cdr(body.as_bytes(), None).unwrap()
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

#[test]
fn scalars_as_strings() {
    let rows = cdr(
        r#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16","seconds":"5",
        "rate":"0.00900000","total":"0.00100000","uniqueid":"1","disposition":"BUSY"}]}"#,
    );
    assert_eq!(rows[0].seconds, 5);
    assert_eq!(rows[0].rate, Some(m("0.009")));
    assert_eq!(rows[0].total, m("0.001"));
    assert_eq!(rows[0].disposition, Disposition::Busy);
}

#[test]
fn scalars_as_bare_numbers() {
    let rows = cdr(
        r#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16","seconds":5,
        "rate":0.009,"total":0,"uniqueid":128238059,"destination":5551234567,
        "callerid":5551112222,"account":100000}]}"#,
    );
    let r = &rows[0];
    assert_eq!(r.seconds, 5);
    assert_eq!(r.rate, Some(m("0.009")));
    assert_eq!(r.total, Money::ZERO);
    assert_eq!(r.uniqueid, "128238059");
    assert_eq!(r.destination, "5551234567");
    assert_eq!(r.callerid, "5551112222");
    assert_eq!(r.account, "100000");
}

#[test]
fn scalars_as_booleans() {
    let rows = cdr(
        r#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16","seconds":true,
        "total":false,"description":true,"call_logs":false,"uniqueid":"u"}]}"#,
    );
    let r = &rows[0];
    assert_eq!(r.seconds, 1);
    assert_eq!(r.total, Money::ZERO);
    assert_eq!(r.description, "1");
    assert_eq!(r.call_logs, None);
    let rates = decode_rates(
        br#"{"status":"success","rates":[{"destination":"X","prefix":1,"client_increment":true,
        "client_rate":1,"real_increment":6.0,"real_rate":"0.1"}]}"#,
        None,
    )
    .unwrap();
    assert_eq!(rates[0].prefix, "1");
    assert_eq!(rates[0].client_increment, 1);
    assert_eq!(rates[0].client_rate, m("1"));
    assert_eq!(rates[0].real_increment, 6);
}

#[test]
fn a_list_of_one_as_a_bare_object() {
    let rows = cdr(
        r#"{"status":"success","cdr":{"date":"2010-11-30 10:40:16","seconds":"11",
        "uniqueid":"128238059"}}"#,
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].uniqueid, "128238059");
    let accounts = decode_accounts(
        br#"{"status":"success","accounts":{"value":"all","description":"All Accounts"}}"#,
        None,
    )
    .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].value, "all");
}

#[test]
fn a_php_array_with_gaps_as_an_object() {
    let rows = cdr(
        r#"{"status":"success","cdr":{"0":{"date":"2010-11-30 10:40:16","seconds":"1",
        "uniqueid":"a"},"3":{"date":"2010-11-30 10:40:17","seconds":"2","uniqueid":"b"}}}"#,
    );
    let ids: Vec<&str> = rows.iter().map(|r| r.uniqueid.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn empty_statuses_are_empty_lists() {
    assert!(decode_cdr(br#"{"status":"no_cdr"}"#, None)
        .unwrap()
        .is_empty());
    assert!(decode_rates(br#"{"status":"no_rate"}"#, None)
        .unwrap()
        .is_empty());
    assert!(decode_clients(br#"{"status":"no_client"}"#, None)
        .unwrap()
        .is_empty());
    assert!(decode_packages(br#"{"status":"no_package"}"#, None)
        .unwrap()
        .is_empty());
    assert!(decode_accounts(br#"{"status":"no_account"}"#, None)
        .unwrap()
        .is_empty());
    let t = decode_termination_rates(br#"{"status":"no_rate"}"#, None).unwrap();
    assert_eq!(t.route, None);
    assert!(t.rates.is_empty());
    // Even with an empty list beside it, or an unexpected payload.
    assert!(decode_cdr(br#"{"status":"no_cdr","cdr":[]}"#, None)
        .unwrap()
        .is_empty());
    assert!(decode_cdr(br#"{"status":"no_cdr","cdr":"none"}"#, None)
        .unwrap()
        .is_empty());
}

#[test]
fn placeholders() {
    let rows = cdr(r#"{"status":"success","cdr":[
        {"date":"0000-00-00 00:00:00","seconds":"","rate":"","total":"","uniqueid":"1",
         "destination_type":"","ip":"","useragent":"","call_logs":""},
        {"date":"0000-00-00","duration":"00:01:05","uniqueid":"2"},
        {"date":"","seconds":"3","uniqueid":"3"}]}"#);
    assert_eq!(rows[0].date, chrono::NaiveDateTime::default());
    assert_eq!(rows[0].seconds, 0);
    assert_eq!(rows[0].rate, None);
    assert_eq!(rows[0].total, Money::ZERO);
    assert_eq!(rows[0].destination_type, None);
    assert_eq!(rows[0].ip, None);
    assert_eq!(rows[0].useragent, None);
    assert_eq!(rows[0].call_logs, None);
    assert_eq!(rows[1].date.to_string(), "1970-01-01 00:00:00");
    assert_eq!(
        rows[1].seconds, 65,
        "seconds taken from duration when missing"
    );
    assert_eq!(rows[2].date, chrono::NaiveDateTime::default());
    let packages = decode_packages(
        br#"{"status":"success","packages":[{"package":"1","name":"","markup_fixed":"",
        "markup_percentage":"","pulse":"","monthly_fee":"","setup_fee":"","free_minutes":""}]}"#,
        None,
    )
    .unwrap();
    assert_eq!(packages[0].pulse, 0);
    assert_eq!(packages[0].monthly_fee, Money::ZERO);
}

#[test]
fn unknown_fields_are_ignored() {
    let rows = cdr(
        r#"{"status":"success","extra":{"deep":[1,2,{"x":null}]},"cdr":[
        {"new_field":"x","date":"2010-11-30 10:40:16","seconds":"1","uniqueid":"1",
         "nested":{"a":[true]}}],"trailer":42}"#,
    );
    assert_eq!(rows.len(), 1);
}

#[test]
fn alphanumeric_uniqueid() {
    let rows = cdr(
        r#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16","seconds":"1",
        "uniqueid":"12964421x41098i8c"}]}"#,
    );
    assert_eq!(rows[0].uniqueid, "12964421x41098i8c");
}

#[test]
fn callerid_with_quotes_and_angle_brackets() {
    let rows = cdr(r#"{"status":"success","cdr":[
        {"date":"2010-11-30 10:40:16","seconds":"1","uniqueid":"1","callerid":"\"John Doe\" <5551112222>"},
        {"date":"2010-11-30 10:40:16","seconds":"1","uniqueid":"2","callerid":"5551112222"},
        {"date":"2010-11-30 10:40:16","seconds":"1","uniqueid":"3","callerid":"\"O\u0027Brien \u00e9 \\ x\" <1>"}]}"#);
    assert_eq!(rows[0].callerid, "\"John Doe\" <5551112222>");
    assert_eq!(rows[1].callerid, "5551112222");
    assert_eq!(rows[2].callerid, "\"O'Brien é \\ x\" <1>");
}

#[test]
fn termination_route_as_a_list_or_an_object() {
    let as_list = decode_termination_rates(
        br#"{"status":"success","route":[{"value":"2","description":"Premium"}],"rates":[]}"#,
        None,
    )
    .unwrap();
    let as_object = decode_termination_rates(
        br#"{"status":"success","route":{"value":"2 ","description":"Premium    \n\n"},"rates":[]}"#,
        None,
    )
    .unwrap();
    assert_eq!(as_list, as_object);
    assert_eq!(as_list.route.unwrap().value, "2");
    let without = decode_termination_rates(
        br#"{"status":"success","rates":{"destination":"X","prefix":"1","increment":"6","rate":"0.1"}}"#,
        None,
    )
    .unwrap();
    assert_eq!(without.route, None);
    assert_eq!(without.rates.len(), 1);
}

#[test]
fn an_optional_message_is_tolerated() {
    let rows = cdr(r#"{"status":"success","message":"ok","cdr":[]}"#);
    assert!(rows.is_empty());
    let err = decode_cdr(
        br#"{"status":"invalid_daterange","message":"Range too long"}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(err, DecodeError::Api(ApiStatus::InvalidDaterange));
}

#[test]
fn status_first_or_last_and_odd_types() {
    let rows = cdr(
        r#"{"cdr":[{"date":"2010-11-30 10:40:16","seconds":"1","uniqueid":"1"}],"status":"success"}"#,
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(
        decode_cdr(br#"{"status":" ip_not_enabled "}"#, None).unwrap_err(),
        DecodeError::Api(ApiStatus::IpNotEnabled)
    );
}

#[test]
fn error_statuses() {
    for status in ApiStatus::ALL.iter().filter(|s| !s.is_empty_result()) {
        let body = format!(r#"{{"status":"{}"}}"#, status.code());
        let err = decode_cdr(body.as_bytes(), None).unwrap_err();
        assert_eq!(err, DecodeError::Api(status.clone()));
        assert_eq!(err.message(), status.message());
        assert_eq!(err.status(), Some(status));
    }
    let err = decode_rates(br#"{"status":"brand_new"}"#, None).unwrap_err();
    assert_eq!(
        err.message(),
        "The API answered with an unknown status “brand_new”."
    );
    assert_eq!(decode_status(br#"{"status":"success"}"#, None), Ok(()));
    assert_eq!(decode_status(br#"{"status":"no_cdr"}"#, None), Ok(()));
}

#[test]
fn html_error_page_is_not_json() {
    let body = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>";
    let err = decode_cdr(body, Some("text/html; charset=UTF-8")).unwrap_err();
    match &err {
        DecodeError::NotJson {
            content_type,
            first_bytes,
        } => {
            assert_eq!(content_type.as_deref(), Some("text/html; charset=UTF-8"));
            assert!(first_bytes.starts_with("<!DOCTYPE html><html><head><title>502"));
            assert_eq!(first_bytes.chars().count(), 80);
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("text/html"), "{shown}");
    assert!(shown.contains("502 Bad Gateway"), "{shown}");
    assert!(
        err.message().contains("<!DOCTYPE html>"),
        "{}",
        err.message()
    );
}

#[test]
fn truncated_and_empty_bodies_are_not_json() {
    let err = decode_cdr(
        br#"{"status":"success","cdr":[{"date":"2010-11-30 10:4"#,
        None,
    )
    .unwrap_err();
    assert!(matches!(err, DecodeError::NotJson { .. }));
    assert!(err.message().contains("cut off"), "{}", err.message());
    assert!(err.to_string().contains("without a content type"));
    let err = decode_cdr(b"", Some("application/json")).unwrap_err();
    assert!(matches!(err, DecodeError::NotJson { ref first_bytes, .. } if first_bytes.is_empty()));
    assert!(err.message().contains("empty answer"));
    // Invalid UTF-8 is shown lossily, not refused.
    let err = decode_cdr(b"\xff\xfe<html>", None).unwrap_err();
    assert!(
        matches!(err, DecodeError::NotJson { ref first_bytes, .. } if first_bytes.contains("<html>"))
    );
    // Trailing garbage after the JSON value.
    let err = decode_cdr(br#"{"status":"no_cdr"} <br/>Warning"#, None).unwrap_err();
    assert!(matches!(err, DecodeError::NotJson { .. }));
}

#[test]
fn wrong_shape_names_the_path() {
    let err = decode_cdr(
        br#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16","seconds":"1","uniqueid":"1"},
        {"date":"2010-11-30 10:40:16","seconds":"eleven","uniqueid":"2"}]}"#,
        None,
    )
    .unwrap_err();
    match &err {
        DecodeError::Shape { path, message } => {
            assert_eq!(path, "cdr[1].seconds");
            assert!(message.contains("eleven"), "{message}");
        }
        other => panic!("expected Shape, got {other:?}"),
    }
    assert!(err.message().contains("cdr[1].seconds"));

    let err = decode_cdr(br#"{"status":"success","cdr":[{"seconds":"1"}]}"#, None).unwrap_err();
    assert!(
        matches!(err, DecodeError::Shape { ref path, ref message } if path == "cdr[0]" && message.contains("date")),
        "{err:?}"
    );

    let err = decode_cdr(br#"{"status":"success","cdr":"lots"}"#, None).unwrap_err();
    assert!(
        matches!(err, DecodeError::Shape { ref path, .. } if path == "cdr"),
        "{err:?}"
    );

    let err = decode_cdr(br#"["status","success"]"#, None).unwrap_err();
    assert!(
        matches!(err, DecodeError::Shape { ref path, .. } if path == "."),
        "{err:?}"
    );

    let err = decode_cdr(br#"{"cdr":[]}"#, None).unwrap_err();
    assert!(
        matches!(err, DecodeError::Shape { ref path, .. } if path == "status"),
        "{err:?}"
    );

    let err = decode_rates(
        br#"{"status":"success","rates":[{"destination":"X","prefix":"1","client_rate":"cheap"}]}"#,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(err, DecodeError::Shape { ref path, .. } if path == "rates[0].client_rate"),
        "{err:?}"
    );
}

#[test]
fn byte_order_mark_is_skipped() {
    let rows = decode_cdr(b"\xEF\xBB\xBF{\"status\":\"no_cdr\"}", None).unwrap();
    assert!(rows.is_empty());
}

#[test]
fn success_without_payload_is_empty() {
    assert!(cdr(r#"{"status":"success"}"#).is_empty());
    assert!(cdr(r#"{"status":"success","cdr":null}"#).is_empty());
}

#[test]
fn other_lookups() {
    let routes = decode_routes(
        br#"{"status":"success","routes":[{"value":1,"description":"Value"},{"value":"2","description":"Premium"}]}"#,
        None,
    )
    .unwrap();
    assert_eq!(routes[0].value, "1");
    assert_eq!(routes[1].description, "Premium");

    let packages = decode_packages(
        br#"{"status":"success","packages":{"package":"92364","name":"Canada Saver",
        "markup_fixed":"0.00500000","markup_percentage":"10","pulse":"60",
        "international_route":"1","canada_route":"2","monthly_fee":"4.99","setup_fee":"0",
        "free_minutes":"100"}}"#,
        None,
    )
    .unwrap();
    let p = &packages[0];
    assert_eq!(p.package, "92364");
    assert_eq!(p.name, "Canada Saver");
    assert_eq!(p.markup_fixed, m("0.005"));
    assert_eq!(p.markup_percentage, m("10"));
    assert_eq!(p.pulse, 60);
    assert_eq!(p.international_route, "1");
    assert_eq!(p.canada_route, "2");
    assert_eq!(p.monthly_fee, m("4.99"));
    assert_eq!(p.setup_fee, Money::ZERO);
    assert_eq!(p.free_minutes, 100);

    let client_packages = decode_client_packages(
        br#"{"status":"success","packages":[{"value":"92364","description":"Canada Saver"}]}"#,
        None,
    )
    .unwrap();
    assert_eq!(client_packages[0].value, "92364");

    let via_method = decode_value_list(
        Method::GetClientPackages,
        br#"{"status":"success","packages":[{"value":"1","description":"A"}]}"#,
        None,
    )
    .unwrap()
    .unwrap();
    assert_eq!(via_method[0].description, "A");
    assert!(decode_value_list(Method::GetCdr, b"{}", None).is_none());
}

#[test]
fn client_passwords_are_dropped() {
    let body = br#"{"status":"success","clients":[{"client":"561115","email":"john@example.com",
        "password":"s3cr3t-pass","company":"Acme","firstname":"John","lastname":"Doe",
        "phone_number":"5551234567","balance_management":"1"}]}"#;
    let clients = decode_clients(body, None).unwrap();
    let c = &clients[0];
    assert_eq!(c.client, "561115");
    assert_eq!(c.email, "john@example.com");
    assert_eq!(c.company, "Acme");
    assert_eq!(c.firstname, "John");
    assert_eq!(c.lastname, "Doe");
    assert_eq!(c.phone_number, "5551234567");
    assert!(!format!("{c:?}").contains("s3cr3t"));
    assert!(!serde_json::to_string(c).unwrap().contains("s3cr3t"));
}
