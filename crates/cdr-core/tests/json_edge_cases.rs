//! Edge cases of the crate's own JSON parser, through the public decoders: escapes, numbers
//! in every JSON form, skipped values of any depth, paths of errors in nested positions,
//! and what is still refused as not JSON.

use cdr_core::decode::{
    decode_accounts, decode_cdr, decode_packages, decode_rates, decode_status,
    decode_termination_rates, DecodeError,
};
use cdr_core::model::{CdrRow, Disposition};
use cdr_core::money::Money;
use cdr_core::synth::{cdr_body, cdr_row, default_newest};

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn one_row(fields: &str) -> Result<CdrRow, DecodeError> {
    let body = format!(r#"{{"status":"success","cdr":[{{{fields}}}]}}"#);
    decode_cdr(body.as_bytes(), None).map(|mut rows| rows.remove(0))
}

fn shape(err: DecodeError) -> (String, String) {
    match err {
        DecodeError::Shape { path, message } => (path, message),
        other => panic!("expected Shape, got {other:?}"),
    }
}

fn not_json(body: &str) -> bool {
    matches!(
        decode_cdr(body.as_bytes(), None),
        Err(DecodeError::NotJson { .. })
    )
}

const DATE: &str = r#""date":"2010-11-30 10:40:16","seconds":"1""#;

#[test]
fn every_escape_is_undone() {
    let raw = r#"\"q\" \\ \/ \b\f\n\r\t \u00e9\u00C9 \u20ac \ud83d\ude00 \uD834\uDD1E end"#;
    let row = one_row(&format!(r#"{DATE},"callerid":"{raw}""#)).unwrap();
    assert_eq!(
        row.callerid,
        "\"q\" \\ / \u{8}\u{c}\n\r\t é\u{c9} € 😀 𝄞 end"
    );
    // Sized once from the escaped text, which is never shorter: no doubling, and no room
    // to spare kept in every row for as long as the rows live.
    assert!(
        row.callerid.capacity() <= raw.len(),
        "{}",
        row.callerid.capacity()
    );
    let plain = one_row(&format!(r#"{DATE},"callerid":"no escapes here""#)).unwrap();
    assert_eq!(plain.callerid.capacity(), plain.callerid.len());
}

#[test]
fn escaped_values_read_like_plain_ones() {
    // Typed fields have an in-place fast path; with escapes they take the general one.
    let escaped = one_row(
        r#""date":"2010-11-30\u002010:40:16","seconds":"\u00311","duration":"00:00:1\u0031",
        "rate":"0.0\u0030900000","total":"0\u002e015","disposition":"BUS\u0059""#,
    )
    .unwrap();
    let plain = one_row(
        r#""date":"2010-11-30 10:40:16","seconds":"11","duration":"00:00:11",
        "rate":"0.00900000","total":"0.015","disposition":"BUSY""#,
    )
    .unwrap();
    assert_eq!(escaped, plain);
    assert_eq!(plain.seconds, 11);
    assert_eq!(plain.disposition, Disposition::Busy);
}

#[test]
fn keys_in_any_order_with_escapes_and_spaces() {
    let reordered = one_row(
        r#""uniqueid" : "u1" , "total":"0.5", "d\u0061te":"2010-11-30 10:40:16",
        "callerid":"c","seconds"
        :"7""#,
    )
    .unwrap();
    assert_eq!(reordered.uniqueid, "u1");
    assert_eq!(reordered.seconds, 7);
    assert_eq!(reordered.total, m("0.5"));
    assert_eq!(reordered.date.to_string(), "2010-11-30 10:40:16");
    // Pretty-printed and compact bodies give the same rows.
    let rows = decode_cdr(cdr_body(20, 3, false).as_bytes(), None).unwrap();
    let pretty = cdr_body(20, 3, false)
        .replace(",\"", ",\n    \"")
        .replace("\":", "\" :  ")
        .replace("{", "{\r\n\t")
        .replace("}", "\n}");
    assert_eq!(decode_cdr(pretty.as_bytes(), None).unwrap(), rows);
}

#[test]
fn money_from_json_numbers_in_every_form() {
    let rate = |n: &str| {
        let body = format!(
            r#"{{"status":"success","rates":[{{"destination":"X","prefix":"1","client_rate":{n}}}]}}"#
        );
        decode_rates(body.as_bytes(), None).map(|r| r[0].client_rate)
    };
    assert_eq!(rate("0.015"), Ok(m("0.015")));
    assert_eq!(rate("1.5e-2"), Ok(m("0.015")));
    assert_eq!(rate("1.5E-2"), Ok(m("0.015")));
    assert_eq!(rate("15e-3"), Ok(m("0.015")));
    assert_eq!(rate("0.0015e+1"), Ok(m("0.015")));
    assert_eq!(rate("-0.015"), Ok(m("-0.015")));
    assert_eq!(rate("-15E-3"), Ok(m("-0.015")));
    assert_eq!(rate("2"), Ok(m("2")));
    assert_eq!(rate("-2"), Ok(m("-2")));
    assert_eq!(rate("2e2"), Ok(m("200")));
    assert_eq!(rate("-0"), Ok(Money::ZERO));
    assert_eq!(rate("0.015000000000000001"), Ok(m("0.015")));
    assert_eq!(
        rate("0.123456785"),
        Ok(m("0.12345679")),
        "half away from zero"
    );
    assert_eq!(rate("-0.123456785"), Ok(m("-0.12345679")));
    let (path, message) = shape(rate("1e12").unwrap_err());
    assert_eq!(path, "rates[0].client_rate");
    assert!(message.contains("1e12"), "{message}");
    // Beyond f64's range serde_json called the body invalid; it still is.
    assert!(matches!(rate("1e400"), Err(DecodeError::NotJson { .. })));
}

#[test]
fn whole_numbers_and_text_from_json_numbers() {
    let row = one_row(
        r#""date":1291113616,"seconds":5.5E1,"destination":5551234567,"callerid":-0.50,
        "account":1e3,"uniqueid":12.0,"description":-7"#,
    )
    .unwrap();
    assert_eq!(row.date.to_string(), "2010-11-30 10:40:16");
    assert_eq!(row.seconds, 55);
    assert_eq!(row.destination, "5551234567");
    assert_eq!(row.callerid, "-0.5");
    assert_eq!(row.account, "1000");
    assert_eq!(row.uniqueid, "12");
    assert_eq!(row.description, "-7");
    let (path, message) = shape(one_row(r#""date":"","seconds":-3"#).unwrap_err());
    assert_eq!(path, "cdr[0].seconds");
    assert!(message.contains("-3"), "{message}");
    // A leading zero stands alone in JSON: `01` is broken JSON, not a number to refuse.
    assert!(not_json(
        r#"{"status":"success","cdr":[{"date":"","seconds":01}]}"#
    ));
}

#[test]
fn unknown_values_of_any_depth_are_skipped() {
    let deep = 100_000;
    let nested = format!(
        "{}{}{}",
        r#"{"a":[1,"x\"y",{"b":null}],"c":"#.repeat(deep),
        "true",
        "}".repeat(deep)
    );
    let body = format!(
        r#"{{"status":"success","extra":{nested},"cdr":[{{{DATE},"nested":[{nested},[[[]]]],"uniqueid":"u"}}],"after":{nested}}}"#
    );
    let rows = decode_cdr(body.as_bytes(), None).unwrap();
    assert_eq!(rows[0].uniqueid, "u");
    // The same value one brace short is cut off, not a crash.
    let cut = &body[..body.len() - 2];
    assert!(matches!(
        decode_cdr(cut.as_bytes(), None),
        Err(DecodeError::NotJson { .. })
    ));
}

#[test]
fn empty_lists_and_objects() {
    for empty in [
        "[]", "[ ]", "[\n]", "{}", "{ }", "null", "false", "\"\"", "\" \"",
    ] {
        let body = format!(r#"{{"status":"success","cdr":{empty}}}"#);
        assert!(
            decode_cdr(body.as_bytes(), None).unwrap().is_empty(),
            "{empty}"
        );
    }
    let (path, message) =
        shape(decode_cdr(br#"{"status":"success","cdr":[{}]}"#, None).unwrap_err());
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("cdr[0]", "missing field `date`")
    );
    let t =
        decode_termination_rates(br#"{"status":"success","route":[],"rates":[]}"#, None).unwrap();
    assert_eq!((t.route, t.rates.len()), (None, 0));
}

#[test]
fn paths_name_nested_positions() {
    let path = |body: &str| shape(decode_cdr(body.as_bytes(), None).unwrap_err()).0;
    assert_eq!(
        path(
            r#"{"status":"success","cdr":[{"date":"","seconds":"1"},{"date":"","seconds":"1"},{"date":"","seconds":"x"}]}"#
        ),
        "cdr[2].seconds"
    );
    // A PHP array with gaps names the key; a bare object names no index.
    assert_eq!(
        path(
            r#"{"status":"success","cdr":{"0":{"date":"","seconds":"1"},"3":{"date":"","seconds":{}}}}"#
        ),
        "cdr.3.seconds"
    );
    assert_eq!(
        path(r#"{"status":"success","cdr":{"date":"","seconds":"1","total":"lots"}}"#),
        "cdr.total"
    );
    assert_eq!(
        path(r#"{"status":"success","cdr":{"0":{"seconds":"1"}}}"#),
        "cdr.0"
    );
    // A key written with escapes is named as it reads.
    assert_eq!(
        path(r#"{"status":"success","c\u0064r":[{"d\u0061te":"someday","seconds":"1"}]}"#),
        "cdr[0].date"
    );
    assert_eq!(path(r#"{"status":{"code":1},"cdr":[]}"#), "status");
    assert_eq!(path(r#""success""#), ".");
    let err = decode_termination_rates(
        br#"{"status":"success","route":[{"value":"1"},{"value":[]}],"rates":[]}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(shape(err).0, "route[1].value");
    let err = decode_packages(
        br#"{"status":"success","packages":[{"package":"1"},{"package":"2","pulse":"often"}]}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(shape(err).0, "packages[1].pulse");
}

#[test]
fn broken_json_is_not_json() {
    let row = |fields: &str| format!(r#"{{"status":"success","cdr":[{{{DATE},{fields}}}]}}"#);
    for bad in [
        row(r#""callerid":"\ud83d""#), // lone surrogate in a string that is read
        row(r#""callerid":"\ude00x""#), // lone low surrogate
        row(r#""callerid":"\x41""#),   // unknown escape
        row(r#""callerid":"\u00g1""#), // not hex
        row("\"callerid\":\"tab\there\""), // raw control character
        row(r#""callerid":tru"#),      // bad literal
        row(r#""callerid":nul"#),      // bad literal
        row(r#""callerid":"a",,"ip":"b""#), // double comma
        row(r#""callerid":"a","#),     // trailing comma
        row(r#""callerid" "a""#),      // no colon
        row(r#""seconds":1."#),        // no digit after the point
        row(r#""seconds":-"#),         // a sign alone
        row(r#""seconds":+1"#),        // JSON has no plus sign
        row(r#""seconds":.5"#),        // nor a leading point
        row(r#""nested":[1}"#),        // mismatched brackets in a skipped value
    ] {
        assert!(not_json(&bad), "{bad}");
    }
    // Trailing garbage, and a second value after the first.
    assert!(not_json(r#"{"status":"no_cdr"}x"#));
    assert!(not_json(r#"{"status":"no_cdr"}{}"#));
    assert!(not_json(r#"{"status":"no_cdr"},"#));
    // A lone surrogate in a value that is only skipped was accepted, and still is.
    let body = r#"{"status":"no_cdr","note":"\ud83d"}"#;
    assert!(decode_cdr(body.as_bytes(), None).unwrap().is_empty());
}

#[test]
fn invalid_utf8_is_replaced_not_refused() {
    let mut body = br#"{"status":"success","cdr":[{"date":"","seconds":"1","callerid":"a"#.to_vec();
    body.extend_from_slice(b"\xff\xfe");
    body.extend_from_slice(br#"b"}]}"#);
    let rows = decode_cdr(&body, None).unwrap();
    assert_eq!(rows[0].callerid, "a\u{fffd}\u{fffd}b");
}

#[test]
fn later_duplicate_keys_win_as_in_php() {
    let row = one_row(&format!(r#"{DATE},"uniqueid":"a","uniqueid":"b""#)).unwrap();
    assert_eq!(row.uniqueid, "b");
    let list = decode_accounts(
        br#"{"status":"no_account","status":"success","accounts":[{"value":"a","description":"x","description":"y"}]}"#,
        None,
    )
    .unwrap();
    assert_eq!(
        (list[0].value.as_str(), list[0].description.as_str()),
        ("a", "y")
    );
}

#[test]
fn status_is_found_beside_a_broken_payload() {
    // An error status wins over a payload of the wrong shape, wherever the status stands.
    let body = br#"{"cdr":[{"seconds":"x"}],"status":"invalid_daterange"}"#;
    assert_eq!(
        decode_cdr(body, None).unwrap_err(),
        DecodeError::Api(cdr_core::status::ApiStatus::InvalidDaterange)
    );
    assert_eq!(
        decode_status(br#"{"status":" no_cdr ","cdr":"?"}"#, None),
        Ok(())
    );
}

#[test]
fn long_lists_are_reserved_from_their_first_rows() {
    let body = cdr_body(5_000, 11, false);
    let rows = decode_cdr(body.as_bytes(), None).unwrap();
    assert_eq!(rows.len(), 5_000);
    assert!(
        rows.capacity() >= rows.len() && rows.capacity() <= rows.len() + rows.len() / 16,
        "capacity {} for {} rows",
        rows.capacity(),
        rows.len()
    );
    for (i, row) in rows.iter().enumerate().step_by(499) {
        assert_eq!(row, &cdr_row(11, i as u64, default_newest()));
    }
}

#[test]
fn a_hostile_exponent_in_any_text_field_is_answered_at_once() {
    // Issue 13's 39-byte reproducer, and the same number in a row's text field: each decodes
    // to an error or a "0" at once instead of trying to write ~9.2e18 zeros.
    let status = br#"{"status":0.001e-99999999999999999999}"#;
    assert!(decode_status(status, None).is_err());
    let row = br#"{"status":"success","cdr":[{"date":"2024-01-01 00:00:00","callerid":0.001e-99999999999999999999,"uniqueid":-0.5e-9223372036854775808,"seconds":"1"}]}"#;
    let rows = decode_cdr(row, None).unwrap();
    assert_eq!(rows[0].callerid, "0");
    assert_eq!(rows[0].uniqueid, "-0");
}

#[test]
fn rows_read_straight_into_the_table_equal_the_rows_read_into_a_list() {
    use cdr_core::decode::decode_cdr_into;
    use cdr_core::table::CdrTable;
    let body = cdr_body(2_000, 5, true);
    let listed = decode_cdr(body.as_bytes(), None).unwrap();
    let mut table = CdrTable::default();
    decode_cdr_into(body.as_bytes(), None, &mut table).unwrap();
    // A second body appends; a broken one leaves the table as it was.
    decode_cdr_into(body.as_bytes(), None, &mut table).unwrap();
    let broken = format!("{}x", &body[..body.len() / 2]);
    assert!(decode_cdr_into(broken.as_bytes(), None, &mut table).is_err());
    let status =
        br#"{"cdr":[{"date":"2024-01-01 00:00:00","seconds":"1"}],"status":"invalid_date"}"#;
    assert!(decode_cdr_into(status, None, &mut table).is_err());
    assert_eq!(table.len(), 4_000);
    for (i, row) in listed.iter().chain(&listed).enumerate() {
        assert_eq!(&table.row(i as u32), row, "row {i}");
    }
    // A key given twice: the last list wins, as for the list decoder.
    let twice = br#"{"status":"success","cdr":[{"date":"","seconds":"1","uniqueid":"a"}],"cdr":[{"date":"","seconds":"2","uniqueid":"b"}]}"#;
    let mut t = CdrTable::default();
    decode_cdr_into(twice, None, &mut t).unwrap();
    assert_eq!(decode_cdr(twice, None).unwrap(), vec![t.row(0)]);
    assert_eq!(t.len(), 1);
    // Nothing found is no rows.
    decode_cdr_into(br#"{"status":"no_cdr"}"#, None, &mut t).unwrap();
    assert_eq!(t.len(), 1);
}
