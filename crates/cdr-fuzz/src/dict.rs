//! Hostile values, by the kind of field they are aimed at.
//!
//! Strings are given as the bytes between the quotes of a JSON string: escapes are written
//! as JSON escapes (`\\ud800`), and some entries are not UTF-8 at all.

use crate::rng::Rng;

/// Bare JSON numbers (and a few that only look like them): overflowing exponents, integers
/// at every width's edge, timestamps at chrono's ends, money at `Money`'s ends.
pub const NUMBERS: &[&str] = &[
    "0.001e-99999999999999999999",
    "-0.001e-99999999999999999999",
    "1e-99999999999999999999",
    "1e99999999999999999999",
    "9e9223372036854775807",
    "1e-9223372036854775808",
    "123.456e-9223372036854775807",
    "1e308",
    "1e309",
    "1e-400",
    "1E400",
    "4.9e-324",
    "1.7976931348623157e308",
    "-0",
    "-0.0",
    "0e0",
    "0.0e-5",
    "92233720368",
    "-92233720368",
    "92233720368.54775807",
    "-92233720368.54775807",
    "92233720368.54775808",
    "92233720369",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "4294967295",
    "4294967296",
    "4294967295.5",
    "4294967294.5",
    "-0.4",
    "-0.5",
    "8200000000000",
    "-8200000000000",
    "8210266876799",
    "8210266876800",
    "-8334601228800",
    "-8334601228801",
    "253402300799",
    "253402300800",
    "-62135596800",
    "-62135596801",
    "0.000000005",
    "0.0000000049999999",
    "0.015000000000000001",
    "1.5e-2",
    "15E-3",
    "1e+2",
    "1",
    "0",
    "-1",
    "6",
    "60",
    "86400",
    "123456789012345678901234567890",
    "0.00000000000000000000000000001",
    "01",
    "-",
    "1.",
    ".5",
    "1e",
    "+1",
    "NaN",
    "Infinity",
];

/// Dates and date-times: the far ends of the calendar, placeholders, impossible days.
pub const DATES: &[&str] = &[
    "0001-01-01 00:00:00",
    "9999-12-31 23:59:59",
    "0000-00-00",
    "0000-00-00 00:00:00",
    "0000-01-01 00:00:00",
    "1970-01-01 00:00:00",
    "2010-11-30 10:40:16",
    "2024-02-29 23:59:59",
    "2023-02-29 00:00:00",
    "2024-12-31 24:00:00",
    "2024-12-31 23:60:00",
    "2024-12-31 23:59:60",
    "2010-11-30T10:40:16",
    "2010-11-30T10:40:16.999999",
    "2010-11-30 10:40:16.",
    "2010-11-30 10:40:16.5x",
    "2010-11-30 10:40:16Z",
    "2010-11-30",
    " 2010-11-30 10:40:16 ",
    "+10000-01-01 00:00:00",
    "-0001-01-01 00:00:00",
    "99999-12-31",
    "2010-1-3 1:2:3",
    "201a-11-30 10:40:16",
    "2010-11-30 10:40",
    "8200000000000",
    "-8200000000000",
    "0",
    "",
];

/// Amounts as strings: `Money`'s ends and just past them, and near misses of a decimal.
pub const MONEY: &[&str] = &[
    "92233720368.54775807",
    "-92233720368.54775807",
    "92233720368.54775808",
    "-92233720368.54775808",
    "92233720368",
    "-92233720368",
    "99999999999.99999999",
    "46116860184.27387903",
    "-46116860184.27387904",
    "0.000000005",
    "0.999999995",
    "0.00000001",
    "-0.00000001",
    "+0.5",
    ".5",
    "5.",
    "-",
    "+",
    ".",
    "",
    " ",
    "1e5",
    " 0.5 ",
    "0,5",
    "0x10",
    "NaN",
    "-0",
    "00000000000000000000000000000.5",
    "0.123456789012345678901234567890",
    "0.00000000",
    "0.00900000",
    "1000000",
];

/// Counts and durations: `u32`'s end, `HH:MM:SS` past it, and things that are neither.
pub const COUNTS: &[&str] = &[
    "4294967295",
    "4294967296",
    "99999:59:59",
    "1193046:28:15",
    "1193046:28:16",
    "00:00:11",
    "00:60:00",
    "1:2:3:4",
    "::",
    ":",
    "-1",
    "1.5",
    "1e2",
    "11.0",
    "  42 ",
    "\u{663}",
    "0",
    "",
    "6",
    "60",
    "0.4999999999",
];

/// Text for every other field: CSV and formula injection, markup, case mappings that
/// change lengths, escapes and surrogates, control characters.
pub const TEXT: &[&[u8]] = &[
    b";",
    b"a;b",
    b"\\t",
    b"x\\ty",
    b"=1+1",
    b" =1+1",
    b"\\t=1+1",
    b"\\n=1+1",
    b"\\r=1+1",
    b"  \\t =HYPERLINK(\\\"http://x\\\",\\\"y\\\")",
    b"+15551234567",
    b"-2+3",
    b"@SUM(A1:A2)",
    b" @x",
    b"'=1",
    b"a,b",
    b"\\\"quoted\\\"",
    b"line\\nbreak",
    b"cr\\rlf",
    b"\xc2\xa0=1",
    b"\xef\xbc\x9d1",
    b"=",
    b"-",
    b"+",
    b"@",
    b"\\u0009=1",
    b"\\u000b=1",
    b"\\f=1",
    b"\xc4\xb0STANBUL",
    b"stra\xc3\x9fe",
    b"\xce\x9f\xce\x94\xce\x9f\xce\xa3",
    b"\xc7\x85",
    b"\xef\xac\x80",
    b"\xe2\x84\xaa",
    b"\xe2\x80\xaeevil",
    b"e\xcc\x81",
    b"\xf0\x9f\x98\x80",
    b"\xef\xbb\xbfbom",
    b"\\u0000",
    b"nul\\u0000nul",
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\\ud83d\\u0041",
    b"\\ud83dx",
    b"\\uDBFF\\uDFFF",
    b"\\u",
    b"\\u12",
    b"\\uZZZZ",
    b"\\/",
    b"\\\\",
    b"\\x41",
    b"\\'",
    b"\\b\\f\\n\\r\\t",
    b"<script>alert(1)</script>",
    b"&amp;",
    b"&",
    b"]]>",
    b"\\\"><svg onload=x>",
    b"&#0;",
    b"\\\"John Doe\\\" <5551112222>",
    b"5551234567",
    b"+1 (418) 555-0100",
    b"011 52 55 1234 5678",
    b"1418",
    b"+1418",
    b" 1418 ",
    b"Inbound - Local Caller",
    b"Outbound - Customer",
    b"IN:USA",
    b"in:",
    b"100000_VoIP",
    b"ANSWERED",
    b"NO ANSWER",
    b"noanswer",
    b" busy ",
    b"CONGESTION",
    b"12964421x41098i8c",
    b"success",
    b" success ",
    b"SUCCESS",
    b"no_cdr",
    b"no_rate",
    b"ip_not_enabled",
    b"all",
    b"",
    b" ",
    b"\\n\\n",
];

/// Bytes that are not UTF-8: lone continuation bytes, overlong forms, encoded surrogates,
/// code points past U+10FFFF, sequences cut short.
pub const BAD_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc3\x28",
    b"\xc0\xaf",
    b"\xe0\x80\xaf",
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
];

/// Every key the decoders know, and the envelope's.
pub const KEYS: &[&str] = &[
    "status",
    "cdr",
    "rates",
    "route",
    "accounts",
    "call_billing",
    "call_types",
    "routes",
    "packages",
    "clients",
    "message",
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
    "call_logs",
    "ip",
    "useragent",
    "prefix",
    "client_increment",
    "client_rate",
    "real_increment",
    "real_rate",
    "increment",
    "value",
    "package",
    "name",
    "markup_fixed",
    "markup_percentage",
    "pulse",
    "international_route",
    "canada_route",
    "monthly_fee",
    "setup_fee",
    "free_minutes",
    "client",
    "email",
    "company",
    "firstname",
    "lastname",
    "password",
    "0",
    "1",
    "",
];

/// Every status code of the contract, and near misses.
pub fn statuses() -> Vec<String> {
    let mut out: Vec<String> = cdr_core::ApiStatus::ALL
        .iter()
        .map(|s| s.code().to_owned())
        .collect();
    out.extend(
        [
            "success",
            " success",
            "SUCCESS",
            "",
            "no_cdr ",
            "unknown_code",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    out
}

/// A long or generated hostile text (JSON string content), picked at random.
pub fn generated_text(rng: &mut Rng) -> Vec<u8> {
    let n = rng.skewed(100_000);
    match rng.below(8) {
        0 => vec![b'A'; n],
        1 => b"\\\"".repeat(n.min(20_000)),
        2 => "é".repeat(n.min(50_000)).into_bytes(),
        3 => b"<&>".repeat(n.min(20_000)),
        4 => b";\\t=".repeat(n.min(20_000)),
        5 => b"\\u00e9".repeat(n.min(20_000)),
        6 => b"\\ud83d\\ude00".repeat(n.min(10_000)),
        _ => {
            let mut s = Vec::new();
            for _ in 0..rng.skewed(64) {
                s.extend_from_slice(rng.pick_bytes(TEXT));
                if rng.chance(1, 4) {
                    s.extend_from_slice(rng.pick_bytes(BAD_UTF8));
                }
            }
            s
        }
    }
}

/// A long or generated hostile number: hundreds of digits, huge exponents.
pub fn generated_number(rng: &mut Rng) -> String {
    let digits = |rng: &mut Rng, n: usize| -> String {
        let mut s = String::with_capacity(n);
        s.push(char::from(b'1' + rng.below(9) as u8));
        for _ in 1..n {
            s.push(char::from(b'0' + rng.below(10) as u8));
        }
        s
    };
    let n = *rng.pick(&[19, 20, 300, 308, 309, 310, 400, 1000, 10_000]);
    match rng.below(6) {
        0 => digits(rng, n),
        1 => format!("-{}", digits(rng, n)),
        2 => format!("0.{}", "0".repeat(n) + "1"),
        3 => format!("{}.{}", digits(rng, 3), digits(rng, n)),
        4 => format!(
            "1e{}{}",
            if rng.chance(1, 2) { "-" } else { "" },
            digits(rng, n.min(400))
        ),
        _ => format!("{}e-{}", digits(rng, n.min(400)), n),
    }
}
