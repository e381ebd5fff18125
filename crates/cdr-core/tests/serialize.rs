//! Serializing rows writes the API's own form, and decoding that gives the rows back.

use cdr_core::decode::{decode_cdr, decode_rates, decode_reseller_cdr, decode_termination_rates};
use cdr_core::model::{
    CdrRow, Disposition, RateRow, TerminationRate, TerminationRates, ValueDescription,
};
use cdr_core::money::Money;
use cdr_core::synth::{cdr_body, cdr_row, default_newest};
use serde_json::{json, Value};

fn row(rate: Option<&str>) -> CdrRow {
    CdrRow {
        date: "2010-11-30T10:40:16".parse().unwrap(),
        callerid: "\"John Doe\" <5551112222>".into(),
        destination: "5551234567".into(),
        description: "Inbound - Local Caller".into(),
        account: "100000_VoIP".into(),
        disposition: Disposition::Answered,
        seconds: 11,
        rate: rate.map(|r| Money::parse(r).unwrap()),
        total: Money::parse("0.015").unwrap(),
        uniqueid: "12964421x41098i8c".into(),
        destination_type: Some("IN:USA".into()),
        call_logs: None,
        ip: None,
        useragent: None,
    }
}

#[test]
fn cdr_rows_serialize_as_the_api_writes_them() {
    let value = serde_json::to_value(row(Some("0.009"))).unwrap();
    assert_eq!(
        value,
        json!({
            "date": "2010-11-30 10:40:16",
            "callerid": "\"John Doe\" <5551112222>",
            "destination": "5551234567",
            "description": "Inbound - Local Caller",
            "account": "100000_VoIP",
            "disposition": "ANSWERED",
            "duration": "00:00:11",
            "seconds": "11",
            "rate": "0.00900000",
            "total": "0.01500000",
            "uniqueid": "12964421x41098i8c",
            "destination_type": "IN:USA"
        })
    );
    // Field order as the API sends it.
    let text = serde_json::to_string(&row(Some("0.009"))).unwrap();
    assert!(
        text.starts_with(r#"{"date":"2010-11-30 10:40:16","callerid":"#),
        "{text}"
    );
}

#[test]
fn reseller_rows_omit_rate() {
    let value = serde_json::to_value(row(None)).unwrap();
    assert!(value.get("rate").is_none());
    assert_eq!(value["total"], "0.01500000");
}

#[test]
fn every_scalar_is_a_string() {
    fn check(v: &Value) {
        match v {
            Value::Object(map) => map.values().for_each(check),
            Value::Array(list) => list.iter().for_each(check),
            Value::String(_) => {}
            other => panic!("not a string: {other}"),
        }
    }
    check(&serde_json::to_value(row(Some("0"))).unwrap());
    check(
        &serde_json::to_value(RateRow {
            destination: "Canada".into(),
            prefix: "1418".into(),
            client_increment: 60,
            client_rate: Money::parse("0.015").unwrap(),
            real_increment: 6,
            real_rate: Money::parse("0.0052").unwrap(),
        })
        .unwrap(),
    );
    let packages = cdr_core::decode::decode_packages(
        br#"{"status":"success","packages":{"package":1,"pulse":6,"free_minutes":10,"monthly_fee":1.5}}"#,
        None,
    )
    .unwrap();
    assert_eq!(packages[0].monthly_fee, Money::parse("1.5").unwrap());
    check(&serde_json::to_value(&packages[0]).unwrap());
}

#[test]
fn serialized_answers_decode_back() {
    let rows = vec![row(Some("0.009")), row(Some("0"))];
    let body = serde_json::to_vec(&json!({"status": "success", "cdr": rows})).unwrap();
    assert_eq!(decode_cdr(&body, None).unwrap(), rows);

    let reseller = vec![row(None)];
    let body = serde_json::to_vec(&json!({"status": "success", "cdr": reseller})).unwrap();
    assert_eq!(decode_reseller_cdr(&body, None).unwrap(), reseller);

    let rates = vec![RateRow {
        destination: "Canada - 418 Quebec City".into(),
        prefix: "1418".into(),
        client_increment: 60,
        client_rate: Money::parse("0.015").unwrap(),
        real_increment: 6,
        real_rate: Money::parse("0.0052").unwrap(),
    }];
    let body = serde_json::to_vec(&json!({"status": "success", "rates": rates})).unwrap();
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(
        text.contains(r#""client_increment":"60","client_rate":"0.01500000""#),
        "{text}"
    );
    assert_eq!(decode_rates(&body, None).unwrap(), rates);

    let termination = TerminationRates {
        route: Some(ValueDescription::new("2", "Premium")),
        rates: vec![TerminationRate {
            destination: "Canada - 204 Manitoba".into(),
            prefix: "1204".into(),
            increment: 6,
            rate: Money::parse("0.009").unwrap(),
        }],
    };
    let mut value = serde_json::to_value(&termination).unwrap();
    value["status"] = json!("success");
    let body = serde_json::to_vec(&value).unwrap();
    assert_eq!(decode_termination_rates(&body, None).unwrap(), termination);
}

#[test]
fn synthetic_bodies_decode_to_their_rows() {
    let body = cdr_body(500, 7, false);
    let rows = decode_cdr(body.as_bytes(), Some("application/json")).unwrap();
    assert_eq!(rows.len(), 500);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row, &cdr_row(7, i as u64, default_newest()));
        assert_eq!(
            Ok(row.total),
            cdr_core::billing::charge(row.seconds, 6, row.rate.unwrap())
        );
    }
    assert!(
        body.contains(r#""callerid":"\""#),
        "quoted caller ids are escaped"
    );
    let reseller = decode_reseller_cdr(cdr_body(50, 7, true).as_bytes(), None).unwrap();
    assert!(reseller.iter().all(|r| r.rate.is_none()));
    // Newest first, as the service (probably) sends them.
    assert!(rows.windows(2).all(|w| w[0].date >= w[1].date));
}
