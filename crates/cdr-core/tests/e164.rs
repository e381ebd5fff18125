//! Dialled numbers to countries: every written form, the shared codes (+1, +7, +44, +590),
//! the digits that then match rate prefixes, and the chart's grouping of CDR destinations.

use cdr_core::e164::{group_key, Country, GroupKey, Number, NumberError, Place};
use cdr_core::model::TerminationRate;
use cdr_core::money::Money;
use cdr_core::rating::{longest_prefix, DialError, Written};

/// The country of an ISO code, or the toll-free row for `TF`.
fn c(iso: &str) -> Country {
    if iso == "TF" {
        return Country::NANP_TOLL_FREE;
    }
    Country::from_iso(iso).unwrap_or_else(|| panic!("no country {iso}"))
}

fn isos(place: &Place) -> Vec<String> {
    place
        .candidates()
        .iter()
        .map(|c| c.iso().unwrap_or("TF").to_owned())
        .collect()
}

/// What a typed number should give.
enum Want {
    /// One country, its calling code and the digits to match prefixes with.
    One(&'static str, &'static str, &'static str),
    /// Several candidates, in this order.
    Any(&'static [&'static str]),
    Fails(NumberError),
}
use Want::{Any, Fails, One};

#[test]
fn numbers_table() {
    let cases: &[(&str, Want)] = &[
        // Canada, in each written form.
        ("+1 (418) 555-0100", One("CA", "1", "14185550100")),
        ("1-418-555-0100", One("CA", "1", "14185550100")),
        ("(418) 555-0100", One("CA", "1", "14185550100")),
        ("4185550100", One("CA", "1", "14185550100")),
        ("418.555.0100", One("CA", "1", "14185550100")),
        ("011 1 418 555 0100", One("CA", "1", "14185550100")),
        ("00 1 418 555 0100", One("CA", "1", "14185550100")),
        ("\t+1\u{a0}867 555 0100 ", One("CA", "1", "18675550100")),
        ("+1 879 555 0100", One("CA", "1", "18795550100")), // Newfoundland's newest
        ("+1 600 555 0100", One("CA", "1", "16005550100")), // non-geographic, Canadian
        // USA: every area code no other place claims.
        ("+1 212 555 0100", One("US", "1", "12125550100")),
        ("2125550100", One("US", "1", "12125550100")),
        ("1 907 555 0100", One("US", "1", "19075550100")),
        ("1 (900) 555-0100", One("US", "1", "19005550100")),
        // Mexico; the nested prefixes are the deck's business (see below).
        ("+52 55 1234 5678", One("MX", "52", "525512345678")),
        ("011 52 1 234 567 8901", One("MX", "52", "5212345678901")),
        ("00 52 33 1234 5678", One("MX", "52", "523312345678")),
        ("+52 81 1234 5678", One("MX", "52", "528112345678")),
        // United Kingdom and the Crown Dependencies in +44.
        ("+44 20 7946 0000", One("GB", "44", "442079460000")),
        ("00 44 20 7946 0000", One("GB", "44", "442079460000")),
        ("+44 (0)20 7946 0000", One("GB", "44", "442079460000")),
        ("011 44 7700 900123", One("GB", "44", "447700900123")),
        ("+44 1481 123456", One("GG", "44", "441481123456")),
        ("+44 1534 123456", One("JE", "44", "441534123456")),
        ("+44 7624 123456", One("IM", "44", "447624123456")),
        // France, Germany.
        ("+33 1 23 45 67 89", One("FR", "33", "33123456789")),
        ("0033 6 12 34 56 78", One("FR", "33", "33612345678")),
        ("+33 (0)6 12 34 56 78", One("FR", "33", "33612345678")),
        ("+49 30 1234567", One("DE", "49", "49301234567")),
        ("0049 (0)30 1234567", One("DE", "49", "49301234567")),
        ("011 49 151 2345 6789", One("DE", "49", "4915123456789")),
        // The Caribbean in +1.
        ("+1 876 555 0100", One("JM", "1", "18765550100")),
        ("876-555-0100", One("JM", "1", "18765550100")),
        ("1 658 555 0100", One("JM", "1", "16585550100")),
        ("809 555 0100", One("DO", "1", "18095550100")),
        ("+1 829 555 0100", One("DO", "1", "18295550100")),
        ("1-849-555-0100", One("DO", "1", "18495550100")),
        ("+1 242 555 0100", One("BS", "1", "12425550100")),
        ("+1 787 555 0100", One("PR", "1", "17875550100")),
        ("+1 340 555 0100", One("VI", "1", "13405550100")),
        ("+1 441 555 0100", One("BM", "1", "14415550100")),
        // Toll-free: no one country's.
        ("1-800-555-0100", One("TF", "1", "18005550100")),
        ("8445550100", One("TF", "1", "18445550100")),
        ("+1 (888) 555-0100", One("TF", "1", "18885550100")),
        ("833 555 0100", One("TF", "1", "18335550100")),
        // Kazakhstan is +7 6… and +7 7…; the rest of +7 is Russia.
        ("+7 701 123 4567", One("KZ", "7", "77011234567")),
        ("+7 727 123 4567", One("KZ", "7", "77271234567")),
        ("011 7 600 123 4567", One("KZ", "7", "76001234567")),
        ("+7 495 123 4567", One("RU", "7", "74951234567")),
        ("00 7 912 345 6789", One("RU", "7", "79123456789")),
        // The other shared codes.
        ("+39 06 698 12345", One("VA", "39", "390669812345")),
        ("+39 06 1234 5678", One("IT", "39", "390612345678")),
        ("+47 79 02 34 56", One("SJ", "47", "4779023456")),
        ("+47 22 12 34 56", One("NO", "47", "4722123456")),
        ("+358 18 12345", One("AX", "358", "3581812345")),
        ("+262 269 61 23 45", One("YT", "262", "262269612345")),
        ("+262 262 12 34 56", One("RE", "262", "262262123456")),
        ("+599 9 123 4567", One("CW", "599", "59991234567")),
        ("+599 717 1234", One("BQ", "599", "5997171234")),
        ("+212 5288 12345", One("EH", "212", "212528812345")),
        ("+212 522 123456", One("MA", "212", "212522123456")),
        ("+290 8123", One("TA", "290", "2908123")),
        ("+61 8 9164 1234", One("CX", "61", "61891641234")),
        ("+61 2 9876 5432", One("AU", "61", "61298765432")),
        ("+383 44 123 456", One("XK", "383", "38344123456")),
        ("+420 212 345 678", One("CZ", "420", "420212345678")),
        ("+421 2 1234 5678", One("SK", "421", "421212345678")),
        ("+247 6123", One("AC", "247", "2476123")),
        ("+852 2123 4567", One("HK", "852", "85221234567")),
        ("+972 2 123 4567", One("IL", "972", "97221234567")),
        // Too few digits to decide: every candidate, the catch-all first.
        ("+7", Any(&["RU", "KZ"])),
        ("+44", Any(&["GB", "GG", "IM", "JE"])),
        ("+44 7700", Any(&["GB", "JE"])),
        ("+1 4", Any(&["US", "CA", "BM", "GD"])),
        ("+1 80", Any(&["US", "CA", "DO", "TF"])),
        ("+1 87", Any(&["US", "CA", "JM", "TF"])),
        // A plan that does not tell its places apart, however many digits.
        ("+590 590 27 12 34", Any(&["GP", "BL", "MF"])),
        ("011 590 690 12 34 56", Any(&["GP", "BL", "MF"])),
        // No country.
        ("+999 123 4567", Fails(NumberError::Unassigned)),
        ("+210 123 4567", Fails(NumberError::Unassigned)),
        ("+1 011 555 0100", Fails(NumberError::Unassigned)),
        ("0011 44 20 7946 0000", Fails(NumberError::Unassigned)), // Australia's prefix
        ("+3", Fails(NumberError::Incomplete)),
        ("+35", Fails(NumberError::Incomplete)),
        ("+21", Fails(NumberError::Incomplete)),
        ("020 7946 0000", Fails(NumberError::NoCountryCode)),
        ("+0 12", Fails(NumberError::NoCountryCode)),
        ("", Fails(NumberError::Dial(DialError::Empty))),
        ("   ", Fails(NumberError::Dial(DialError::Empty))),
        (
            "418-555-CALL",
            Fails(NumberError::Dial(DialError::Invalid('C'))),
        ),
        ("call me", Fails(NumberError::Dial(DialError::Invalid('c')))),
        ("+", Fails(NumberError::Dial(DialError::NoDigits))),
        ("00", Fails(NumberError::Dial(DialError::NoDigits))),
        ("1+418", Fails(NumberError::Dial(DialError::MisplacedPlus))),
        (
            "+1 418 555 0100 0100 0100",
            Fails(NumberError::Dial(DialError::TooLong(19))),
        ),
    ];
    for (text, want) in cases {
        let got = Number::parse(text);
        match want {
            One(iso, code, digits) => {
                let n = got.unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
                assert_eq!(n.place(), &Place::Country(c(iso)), "{text:?}");
                assert_eq!(n.calling_code(), *code, "{text:?}");
                assert_eq!(n.digits(), *digits, "{text:?}");
                assert_eq!(format!("{}{}", n.calling_code(), n.national()), *digits);
            }
            Any(expected) => {
                let n = got.unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
                assert!(matches!(n.place(), Place::Ambiguous(_)), "{text:?}");
                assert_eq!(isos(n.place()), *expected, "{text:?}");
            }
            Fails(e) => assert_eq!(got.as_ref().err(), Some(e), "{text:?}"),
        }
    }
}

#[test]
fn plus_one_alone_offers_all_of_north_america() {
    let n = Number::parse("+1").unwrap();
    let all = n.place().candidates();
    // The USA, Canada, 23 other countries and territories, and toll-free.
    assert_eq!(all.len(), 26);
    assert_eq!(all[0], c("US"));
    for iso in ["CA", "JM", "DO", "BS", "PR", "TT", "TF"] {
        assert!(all.contains(&c(iso)), "{iso}");
    }
    assert!(all.iter().all(|c| c.calling_code() == 1));
    // One digit more than +1 and the area code decides.
    assert_eq!(
        Number::parse("+1 876").unwrap().place(),
        &Place::Country(c("JM"))
    );
}

#[test]
fn how_the_number_was_written() {
    let written = |t: &str| Number::parse(t).unwrap().dialed().written();
    assert_eq!(written("+44 20 7946 0000"), Written::Plus);
    assert_eq!(written("011 44 20 7946 0000"), Written::InternationalPrefix);
    assert_eq!(written("00 44 20 7946 0000"), Written::InternationalPrefix);
    assert_eq!(written("418 555 0100"), Written::NorthAmerican);
    assert_eq!(written("1 418 555 0100"), Written::Bare);
    // A bare number is taken to begin with its country code: the app can say so.
    let guess = Number::parse("55 11 2345 6789").unwrap();
    assert_eq!(
        (guess.dialed().written(), guess.place()),
        (Written::Bare, &Place::Country(c("BR")))
    );
}

#[test]
fn countries_as_data() {
    let ca = c("CA");
    assert_eq!(
        (ca.iso(), ca.name(), ca.calling_code(), ca.rate_query()),
        (Some("CA"), "Canada", 1, Some("Canada"))
    );
    assert_eq!(Country::from_iso("ca"), Some(ca));
    assert_eq!(Country::from_iso("C"), None);
    assert_eq!(Country::from_iso("ZZ"), None);
    assert_eq!(Country::from_iso("CAN"), None);
    // The simulator's deck names, as the rate search query.
    for (iso, name, query) in [
        ("US", "United States", "USA"),
        ("GB", "United Kingdom", "United Kingdom"),
        ("MX", "Mexico", "Mexico"),
        ("RU", "Russia", "Russia"),
        ("KR", "South Korea", "South Korea"),
        ("VN", "Vietnam", "Vietnam"),
        ("TR", "Turkey", "Turkey"),
        ("HK", "Hong Kong", "Hong Kong"),
        ("DO", "Dominican Republic", "Dominican Republic"),
        ("JM", "Jamaica", "Jamaica"),
        ("KZ", "Kazakhstan", "Kazakhstan"),
        ("CI", "Côte d'Ivoire", "Ivory Coast"),
        ("CW", "Curaçao", "Curacao"),
    ] {
        assert_eq!(c(iso).name(), name);
        assert_eq!(c(iso).rate_query(), Some(query), "{iso}");
    }
    assert_eq!(c("VA").calling_code(), 39);
    let inmarsat = Number::parse("+870 7 1234 5678").unwrap();
    let Place::Country(service) = inmarsat.place().clone() else {
        panic!("{inmarsat:?}")
    };
    assert_eq!(
        (service.iso(), service.name(), service.rate_query()),
        (None, "Inmarsat", None)
    );
    // The table: ~250 rows, in calling-code order, each ISO code once.
    let all: Vec<Country> = Country::all().collect();
    assert!(all.len() > 240, "{}", all.len());
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert!(all
        .windows(2)
        .all(|w| w[0].calling_code() <= w[1].calling_code()));
    for c in &all {
        if let Some(iso) = c.iso() {
            assert_eq!(Country::from_iso(iso), Some(*c));
        }
    }
}

fn term(destination: &str, prefix: &str) -> TerminationRate {
    TerminationRate {
        destination: destination.into(),
        prefix: prefix.into(),
        increment: 6,
        rate: Money::parse("0.01").unwrap(),
    }
}

/// A route shaped like the simulator's deck.
fn deck() -> Vec<TerminationRate> {
    [
        ("Canada - 418 Quebec City", "1418"),
        ("Canada - 514 Montreal", "1514"),
        ("USA - 212 New York", "1212"),
        ("USA - 907 Alaska", "1907"),
        ("United Kingdom", "44"),
        ("United Kingdom - London", "4420"),
        ("United Kingdom - Mobile", "447"),
        ("France", "33"),
        ("France - Mobile", "336"),
        ("Mexico", "52"),
        ("Mexico - Mexico City", "5255"),
        ("Mexico - Guadalajara", "5233"),
        ("Mexico - Mobile", "521"),
        ("Germany", "49"),
        ("Germany - Mobile", "4915"),
        ("Russia", "7"),
        ("Dominican Republic", "1809"),
        ("Jamaica", "1876"),
    ]
    .into_iter()
    .map(|(d, p)| term(d, p))
    .collect()
}

/// The simulator's search: a case-insensitive part of the destination's name.
fn search<'a>(deck: &'a [TerminationRate], query: &str) -> Vec<&'a TerminationRate> {
    let q = query.to_lowercase();
    deck.iter()
        .filter(|r| r.destination.to_lowercase().contains(&q))
        .collect()
}

#[test]
fn the_query_finds_the_rows_and_the_digits_pick_one() {
    let deck = deck();
    let cases = [
        ("+52 55 1234 5678", "Mexico - Mexico City"),
        ("011 52 1 234 567 8901", "Mexico - Mobile"),
        ("00 52 33 1234 5678", "Mexico - Guadalajara"),
        ("+52 81 1234 5678", "Mexico"),
        ("(418) 555-0100", "Canada - 418 Quebec City"),
        ("1-212-555-0100", "USA - 212 New York"),
        ("+44 (0)20 7946 0000", "United Kingdom - London"),
        ("011 44 7700 900123", "United Kingdom - Mobile"),
        ("+44 161 496 0000", "United Kingdom"),
        ("+33 6 12 34 56 78", "France - Mobile"),
        ("0049 151 2345 6789", "Germany - Mobile"),
        ("+7 495 123 4567", "Russia"),
        ("809 555 0100", "Dominican Republic"),
        ("+1 876 555 0100", "Jamaica"),
    ];
    for (text, destination) in cases {
        let n = Number::parse(text).unwrap();
        let Place::Country(country) = n.place() else {
            panic!("{text}: {:?}", n.place())
        };
        let found: Vec<TerminationRate> = search(&deck, country.rate_query().unwrap())
            .into_iter()
            .cloned()
            .collect();
        let i = longest_prefix(n.digits(), &found).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(found[i].destination, destination, "{text}");
    }
    // The simulator prices Kazakhstan under Russia's +7: a search by its name finds nothing.
    let kz = Number::parse("+7 701 123 4567").unwrap();
    assert!(search(&deck, kz.place().candidates()[0].rate_query().unwrap()).is_empty());
}

#[test]
fn group_keys_of_cdr_destinations() {
    let cases: &[(&str, &str)] = &[
        ("4185550100", "Canada"),
        ("14185550100", "Canada"),
        ("2125550163", "United States"),
        ("18445550100", "North America, toll-free"),
        ("8885550190", "North America, toll-free"),
        ("8765550100", "Jamaica"),
        ("18095550100", "Dominican Republic"),
        ("011525512345678", "Mexico"),
        ("011447700900123", "United Kingdom"),
        ("011441481123456", "Guernsey"),
        ("0114930123456", "Germany"),
        ("01133123456789", "France"),
        ("01177011234567", "Kazakhstan"),
        ("01174951234567", "Russia"),
        ("+442079460000", "United Kingdom"),
        ("0044 20 7946 0000", "United Kingdom"),
        (
            "0115905902712",
            "Guadeloupe / Saint Barthélemy / Saint Martin",
        ),
        // No country: extensions, short codes, local numbers, partial or unassigned codes.
        ("5551234", "Unknown"),
        ("*97", "Unknown"),
        ("100", "Unknown"),
        ("", "Unknown"),
        ("0114", "Unknown"),
        ("011999123456", "Unknown"),
        ("02079460000", "Unknown"),
        ("10115550100", "Unknown"),
        ("s", "Unknown"),
    ];
    for (destination, label) in cases {
        assert_eq!(group_key(destination).label(), *label, "{destination:?}");
    }
    assert_eq!(group_key("4185550100"), GroupKey::Country(c("CA")));
    assert_eq!(group_key("5145550142"), group_key("14185550100"));
    assert_eq!(group_key("*97"), GroupKey::Unknown);
    assert_eq!(
        group_key("0115905902712"),
        GroupKey::Ambiguous(vec![c("GP"), c("BL"), c("MF")])
    );
}

// proptest's random source does not build for wasm32-unknown-unknown.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A calling code of the table and 7 to 11 more digits, the first 2 to 9 (no trunk 0,
    /// and a possible area code under +1).
    fn international() -> impl Strategy<Value = (String, String)> {
        let codes: Vec<u16> = Country::all().map(Country::calling_code).collect();
        (
            proptest::sample::select(codes),
            2u8..=9,
            proptest::collection::vec(0u8..=9, 6..=10),
        )
            .prop_map(|(code, first, rest)| {
                let national: String = std::iter::once(first)
                    .chain(rest)
                    .map(|d| char::from(b'0' + d))
                    .collect();
                (code.to_string(), national)
            })
    }

    /// Puts separators between the digits, as people write them.
    fn spaced(digits: &str, seps: &[u8]) -> String {
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            out.push(d);
            match seps.get(i).copied().unwrap_or(0) % 6 {
                0 => out.push(' '),
                1 => out.push('-'),
                2 => out.push('.'),
                _ => {}
            }
        }
        out
    }

    proptest! {
        #[test]
        fn every_written_form_gives_the_same_country(
            (code, national) in international(),
            seps in proptest::collection::vec(any::<u8>(), 16),
        ) {
            let digits = format!("{code}{national}");
            let reference = Number::parse(&format!("+{digits}"));
            let forms = [
                format!("+{code} {}", spaced(&national, &seps)),
                format!("011 {code} {}", spaced(&national, &seps)),
                format!("00{code}{}", spaced(&national, &seps)),
                format!("+{code} (0){}", spaced(&national, &seps)),
                format!("+({code}) {}", spaced(&national, &seps)),
            ];
            for form in &forms {
                let got = Number::parse(form);
                match (&reference, &got) {
                    (Ok(r), Ok(g)) => {
                        prop_assert_eq!(r.digits(), g.digits(), "{}", form);
                        prop_assert_eq!(r.place(), g.place(), "{}", form);
                    }
                    (r, g) => prop_assert_eq!(r.as_ref().err(), g.as_ref().err(), "{}", form),
                }
            }
            if code == "1" && national.len() == 10 {
                let bare = Number::parse(&national).map(|n| n.place().clone());
                prop_assert_eq!(bare.ok(), reference.as_ref().ok().map(|n| n.place().clone()));
            }
            // A whole number leaves no choice, but where the plan cannot give one (+590).
            if let Ok(n) = &reference {
                prop_assert_eq!(n.calling_code(), code.as_str());
                let ambiguous = matches!(n.place(), Place::Ambiguous(_));
                prop_assert_eq!(ambiguous, code == "590", "{}", digits);
            }
        }

        #[test]
        fn more_digits_only_narrow_the_choice((code, national) in international()) {
            let digits = format!("{code}{national}");
            let mut previous: Option<Vec<Country>> = None;
            for end in 1..=digits.len() {
                let Ok(n) = Number::parse(&format!("+{}", &digits[..end])) else {
                    continue;
                };
                let now = n.place().candidates().to_vec();
                if let Some(before) = &previous {
                    prop_assert!(now.iter().all(|c| before.contains(c)), "{:?} ⊄ {:?}", now, before);
                }
                previous = Some(now);
            }
        }

        #[test]
        fn any_text_gives_a_country_or_a_reason(text in "[+0-9 ()a.-]{0,24}") {
            if let Ok(n) = Number::parse(&text) {
                prop_assert!(n.digits().starts_with(n.calling_code()));
                prop_assert!(!n.place().candidates().is_empty());
                for c in n.place().candidates() {
                    prop_assert_eq!(c.calling_code().to_string(), n.calling_code());
                }
            }
        }

        #[test]
        fn the_chart_groups_as_the_number_reads((code, national) in international()) {
            let key = group_key(&format!("011{code}{national}"));
            let want = match Number::parse(&format!("+{code}{national}")).map(|n| n.place().clone()) {
                Ok(Place::Country(c)) => GroupKey::Country(c),
                Ok(Place::Ambiguous(all)) => GroupKey::Ambiguous(all),
                Err(_) => GroupKey::Unknown,
            };
            prop_assert_eq!(key, want);
        }
    }
}
