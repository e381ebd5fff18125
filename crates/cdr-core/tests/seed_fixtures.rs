//! The seed's sample outputs decode to exactly the values it prints, field by field.

use cdr_core::decode::{
    decode_accounts, decode_call_billing, decode_call_types, decode_cdr, decode_rates,
    decode_reseller_cdr, decode_termination_rates,
};
use cdr_core::model::{CdrRow, Disposition, ValueDescription};
use cdr_core::money::Money;
use chrono::NaiveDateTime;

const JSON: Option<&str> = Some("application/json");

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn pairs(list: &[ValueDescription]) -> Vec<(&str, &str)> {
    list.iter()
        .map(|v| (v.value.as_str(), v.description.as_str()))
        .collect()
}

#[test]
fn get_call_accounts() {
    let accounts = decode_accounts(include_bytes!("fixtures/getCallAccounts.json"), JSON).unwrap();
    assert_eq!(
        pairs(&accounts),
        [("all", "All Accounts"), ("100000_VoIP", "100000_VoIP")]
    );
}

#[test]
fn get_call_billing() {
    let billing =
        decode_call_billing(include_bytes!("fixtures/getCallBilling.json"), JSON).unwrap();
    assert_eq!(
        pairs(&billing),
        [
            ("all", "All Calls"),
            ("free", "Free Calls"),
            ("billed", "Billed Calls")
        ]
    );
}

#[test]
fn get_call_types() {
    let types = decode_call_types(include_bytes!("fixtures/getCallTypes.json"), JSON).unwrap();
    assert_eq!(
        pairs(&types),
        [
            ("all", "All Calls"),
            ("outgoing", "Outgoing Calls"),
            ("incoming", "Incoming Calls"),
            ("5551234567", "Calls to 5551234567")
        ]
    );
}

fn check_seed_row(row: &CdrRow, first: bool) {
    if first {
        assert_eq!(row.date, at("2010-11-30 10:40:16"));
        assert_eq!(row.callerid, "\"John Doe\" <5551112222>");
        assert_eq!(row.destination, "5551234567");
        assert_eq!(row.description, "Inbound - Local Caller");
        assert_eq!(row.seconds, 11);
        assert_eq!(row.duration_hms(), "00:00:11");
        assert_eq!(row.uniqueid, "128238059");
    } else {
        assert_eq!(row.date, at("2010-09-30 10:36:32"));
        assert_eq!(row.callerid, "\"Jane Doe\" <5551234567>");
        assert_eq!(row.destination, "5551112222");
        assert_eq!(row.description, "Outbound - Customer");
        assert_eq!(row.seconds, 55);
        assert_eq!(row.duration_hms(), "00:00:55");
        assert_eq!(row.uniqueid, "128236206");
    }
    assert_eq!(row.account, "100000_VoIP");
    assert_eq!(row.disposition, Disposition::Answered);
    assert_eq!(row.destination_type, None);
    assert_eq!(row.call_logs, None);
    assert_eq!(row.ip, None);
    assert_eq!(row.useragent, None);
}

#[test]
fn get_cdr() {
    let rows = decode_cdr(include_bytes!("fixtures/getCDR.json"), JSON).unwrap();
    assert_eq!(rows.len(), 2);
    for (i, row) in rows.iter().enumerate() {
        check_seed_row(row, i == 0);
        assert_eq!(row.rate, Some(Money::ZERO));
        assert_eq!(row.total, Money::ZERO);
        assert_eq!(row.total.to_string(), "0.00000000");
    }
}

#[test]
fn get_reseller_cdr() {
    let rows = decode_reseller_cdr(include_bytes!("fixtures/getResellerCDR.json"), JSON).unwrap();
    assert_eq!(rows.len(), 2);
    for (i, row) in rows.iter().enumerate() {
        check_seed_row(row, i == 0);
        assert_eq!(row.rate, None, "getResellerCDR rows carry no rate");
        assert_eq!(row.total, money("0.015"));
        assert_eq!(row.total.to_string(), "0.01500000");
    }
}

#[test]
fn get_rates() {
    let rates = decode_rates(include_bytes!("fixtures/getRates.json"), JSON).unwrap();
    assert_eq!(rates.len(), 2);
    assert_eq!(rates[0].destination, "Canada - 418 Quebec City");
    assert_eq!(rates[0].prefix, "1418");
    assert_eq!(rates[1].destination, "Canada - 581 Quebec City");
    assert_eq!(rates[1].prefix, "1581");
    for rate in &rates {
        assert_eq!(rate.client_increment, 60);
        assert_eq!(rate.client_rate, money("0.015"));
        assert_eq!(rate.real_increment, 6);
        assert_eq!(rate.real_rate, money("0.0052"));
        assert_eq!(rate.real_rate.to_string(), "0.00520000");
    }
}

#[test]
fn get_termination_rates() {
    let answer =
        decode_termination_rates(include_bytes!("fixtures/getTerminationRates.json"), JSON)
            .unwrap();
    let route = answer.route.expect("the seed names the route");
    // Padded on the wire ("2 ", "Premium    \n\n"); trimmed so it matches getRoutes' values.
    assert_eq!(route.value, "2");
    assert_eq!(route.description, "Premium");
    assert_eq!(answer.rates.len(), 2);
    assert_eq!(answer.rates[0].destination, "Canada - 204 Manitoba");
    assert_eq!(answer.rates[0].prefix, "1204");
    assert_eq!(answer.rates[1].destination, "Canada - 418 Quebec City");
    assert_eq!(answer.rates[1].prefix, "1418");
    for rate in &answer.rates {
        assert_eq!(rate.increment, 6);
        assert_eq!(rate.rate, money("0.009"));
    }
}

#[test]
fn seed_totals_follow_the_billing_rule() {
    // getRates' first row: 27 s at the client's 60 s increment and 0.015/min is one minute.
    let rates = decode_rates(include_bytes!("fixtures/getRates.json"), JSON).unwrap();
    let r = &rates[0];
    assert_eq!(
        cdr_core::billing::charge(27, r.client_increment, r.client_rate),
        Ok(money("0.015"))
    );
    // …and at the real 6 s increment, 30 s at 0.0052/min.
    assert_eq!(
        cdr_core::billing::charge(27, r.real_increment, r.real_rate),
        Ok(money("0.0026"))
    );
}
