//! Each validation rule of the service, with a passing and a failing case.

use cdr_core::request::{
    ApiRequest, CdrFilter, CdrRequest, ClientPackagesRequest, Dispositions, Method, RatesRequest,
    RawCdrForm, Request, ResellerCdrRequest, TerminationRatesRequest, Timezone, ValidationError,
};
use cdr_core::status::ApiStatus;
use cdr_core::wire::{encode, Credentials};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn form(from: &str, to: &str, tz: &str) -> RawCdrForm {
    RawCdrForm {
        date_from: from.into(),
        date_to: to.into(),
        timezone: tz.into(),
        answered: true,
        ..RawCdrForm::default()
    }
}

/// The (field, status) of every error of a form.
fn problems(form: &RawCdrForm) -> Vec<(&'static str, ApiStatus)> {
    match CdrFilter::from_form(form) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.status)).collect(),
    }
}

#[test]
fn a_valid_form_builds_the_filter() {
    let mut f = form("2010-11-01", "2010-11-30", "-5");
    f.noanswer = true;
    f.calltype = "incoming".into();
    f.account = " 100000_VoIP ".into();
    let filter = CdrFilter::from_form(&f).unwrap();
    assert_eq!(filter.date_from, d("2010-11-01"));
    assert_eq!(filter.date_to, d("2010-11-30"));
    assert_eq!(filter.timezone, Timezone::from_hours(-5).unwrap());
    assert_eq!(
        filter.dispositions,
        Dispositions {
            answered: true,
            noanswer: true,
            busy: false,
            failed: false
        }
    );
    assert_eq!(filter.calltype, "incoming");
    assert_eq!(filter.callbilling, "all", "empty means all");
    assert_eq!(filter.account, "100000_VoIP");
    assert_eq!(filter.days(), 30);
}

#[test]
fn date_format() {
    for good in ["2010-11-30", "2024-02-29", " 2010-11-30 "] {
        assert!(
            problems(&form(good, "2024-12-31", "0"))
                .iter()
                .all(|(f, _)| *f != "date_from"),
            "{good}"
        );
    }
    for bad in [
        "2010-11-31",
        "2023-02-29",
        "2010/11/30",
        "2010-1-5",
        "30-11-2010",
        "2010-11-30 00:00:00",
        "yesterday",
    ] {
        assert_eq!(
            problems(&form(bad, "2010-12-01", "0")),
            [("date_from", ApiStatus::InvalidDate)],
            "{bad}"
        );
        assert_eq!(
            problems(&form("2010-11-01", bad, "0")),
            [("date_to", ApiStatus::InvalidDate)],
            "{bad}"
        );
    }
}

#[test]
fn dates_are_required() {
    assert_eq!(
        problems(&form("", "2010-11-30", "0")),
        [("date_from", ApiStatus::MissingFromDate)]
    );
    assert_eq!(
        problems(&form("2010-11-30", "  ", "0")),
        [("date_to", ApiStatus::MissingToDate)]
    );
}

#[test]
fn from_not_after_to() {
    assert!(problems(&form("2010-11-30", "2010-11-30", "0")).is_empty());
    assert_eq!(
        problems(&form("2010-12-01", "2010-11-30", "0")),
        [("date_from", ApiStatus::InvalidDateFrom)]
    );
}

#[test]
fn at_most_92_days() {
    // 2024 is a leap year: Jan 31 + Feb 29 + Mar 31 + Apr 1 = 92 days.
    assert!(problems(&form("2024-01-01", "2024-04-01", "0")).is_empty());
    let errors = CdrFilter::from_form(&form("2024-01-01", "2024-04-02", "0")).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "date_to");
    assert_eq!(errors[0].status, ApiStatus::InvalidDaterange);
    assert!(
        errors[0].message.contains("93 days"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0].message.contains("2024-04-01"),
        "{}",
        errors[0].message
    );
}

#[test]
fn at_least_one_disposition() {
    for pick in 0..4 {
        let mut f = form("2010-11-30", "2010-11-30", "0");
        f.answered = pick == 0;
        f.noanswer = pick == 1;
        f.busy = pick == 2;
        f.failed = pick == 3;
        assert!(problems(&f).is_empty(), "{pick}");
    }
    let mut f = form("2010-11-30", "2010-11-30", "0");
    f.answered = false;
    assert_eq!(problems(&f), [("answered", ApiStatus::NoCallstatus)]);
}

#[test]
fn timezone_range_and_decimals() {
    for (good, hundredths) in [
        ("-12", -1200),
        ("13", 1300),
        ("0", 0),
        ("-3", -300),
        ("+3", 300),
        ("5.5", 550),
        ("5.75", 575),
        ("5.50", 550),
        ("-3.5", -350),
        ("-0", 0),
        (".5", 50),
        (" 4 ", 400),
    ] {
        assert!(
            problems(&form("2010-11-30", "2010-11-30", good)).is_empty(),
            "{good}"
        );
        assert_eq!(
            Timezone::parse(good).unwrap().hundredths(),
            hundredths,
            "{good}"
        );
    }
    for bad in [
        "-12.5", "13.25", "14", "-13", "abc", "5.555", "1e1", "5,5", "--1", "+", ".",
    ] {
        assert_eq!(
            problems(&form("2010-11-30", "2010-11-30", bad)),
            [("timezone", ApiStatus::InvalidTimezone)],
            "{bad}"
        );
    }
    assert_eq!(
        problems(&form("2010-11-30", "2010-11-30", "")),
        [("timezone", ApiStatus::MissingTimezone)]
    );
}

#[test]
fn timezone_display_is_shortest() {
    let shown = |h| Timezone::from_hundredths(h).unwrap().to_string();
    assert_eq!(shown(550), "5.5");
    assert_eq!(shown(-300), "-3");
    assert_eq!(shown(0), "0");
    assert_eq!(shown(575), "5.75");
    assert_eq!(shown(-1205 + 5), "-12");
    assert_eq!(shown(-25), "-0.25");
    assert_eq!(shown(1300), "13");
    assert!(Timezone::from_hundredths(1301).is_none());
    assert_eq!(Timezone::from_hours(-5).unwrap().offset_seconds(), -18_000);
}

#[test]
fn lookups_present_and_billing_known() {
    let mut f = form("2010-11-30", "2010-11-30", "0");
    for good in ["all", "free", "billed"] {
        f.callbilling = good.into();
        assert!(problems(&f).is_empty(), "{good}");
    }
    f.callbilling = "paid".into();
    assert_eq!(
        problems(&f),
        [("callbilling", ApiStatus::InvalidCallbilling)]
    );

    let mut filter = CdrFilter::new(d("2010-11-30"), d("2010-11-30"), Timezone::UTC);
    assert!(filter.errors().is_empty());
    filter.calltype = " ".into();
    filter.account = String::new();
    let fields: Vec<_> = filter
        .errors()
        .into_iter()
        .map(|e| (e.field, e.status))
        .collect();
    assert_eq!(
        fields,
        [
            ("calltype", ApiStatus::InvalidCallType),
            ("account", ApiStatus::InvalidAccount)
        ]
    );
}

#[test]
fn a_form_reports_every_problem_in_the_service_order() {
    let f = RawCdrForm {
        date_from: "2010-13-01".into(),
        date_to: String::new(),
        timezone: "99".into(),
        callbilling: "paid".into(),
        ..RawCdrForm::default()
    };
    assert_eq!(
        problems(&f),
        [
            ("date_from", ApiStatus::InvalidDate),
            ("date_to", ApiStatus::MissingToDate),
            ("timezone", ApiStatus::InvalidTimezone),
            ("answered", ApiStatus::NoCallstatus),
            ("callbilling", ApiStatus::InvalidCallbilling),
        ]
    );
    for err in CdrFilter::from_form(&f).unwrap_err() {
        assert!(err.message.ends_with('.'), "{}", err.message);
        assert_eq!(err.to_string(), err.message);
    }
}

fn first(req: &dyn ApiRequest) -> Option<(&'static str, ApiStatus)> {
    req.validate()
        .err()
        .map(|e: ValidationError| (e.field, e.status))
}

#[test]
fn required_fields_of_the_other_methods() {
    let ok = RatesRequest {
        package: "92364".into(),
        query: "Canada".into(),
    };
    assert_eq!(first(&ok), None);
    let mut bad = ok.clone();
    bad.package = " ".into();
    assert_eq!(first(&bad), Some(("package", ApiStatus::MissingPackage)));
    bad = ok.clone();
    bad.query = String::new();
    assert_eq!(first(&bad), Some(("query", ApiStatus::MissingQuery)));

    let ok = TerminationRatesRequest {
        route: "2".into(),
        query: "Canada".into(),
    };
    assert_eq!(first(&ok), None);
    let mut bad = ok.clone();
    bad.route = String::new();
    assert_eq!(first(&bad), Some(("route", ApiStatus::MissingRoute)));
    bad = ok.clone();
    bad.query = "\n".into();
    assert_eq!(first(&bad), Some(("query", ApiStatus::MissingQuery)));

    let filter = CdrFilter::new(d("2010-11-30"), d("2010-11-30"), Timezone::UTC);
    let ok = ResellerCdrRequest {
        client: "561115".into(),
        filter: filter.clone(),
    };
    assert_eq!(first(&ok), None);
    let bad = ResellerCdrRequest {
        client: String::new(),
        filter: filter.clone(),
    };
    assert_eq!(first(&bad), Some(("client", ApiStatus::MissingClient)));

    assert_eq!(
        first(&ClientPackagesRequest {
            client: "561115".into()
        }),
        None
    );
    assert_eq!(
        first(&ClientPackagesRequest {
            client: String::new()
        }),
        Some(("client", ApiStatus::MissingClient))
    );

    let mut bad_range = filter.clone();
    bad_range.date_to = d("2010-11-29");
    assert_eq!(
        first(&CdrRequest { filter: bad_range }),
        Some(("date_from", ApiStatus::InvalidDateFrom))
    );
}

#[test]
fn credentials_are_required() {
    let req = RatesRequest {
        package: "1".into(),
        query: "x".into(),
    };
    assert!(encode(&Credentials::new("me@example.com", "pw"), &req).is_ok());
    let err = encode(&Credentials::new("", "pw"), &req).unwrap_err();
    assert_eq!(
        (err.field, err.status),
        ("api_username", ApiStatus::MissingCredentials)
    );
    let err = encode(&Credentials::new("me@example.com", ""), &req).unwrap_err();
    assert_eq!(
        (err.field, err.status),
        ("api_password", ApiStatus::MissingCredentials)
    );
    // The request is checked too, before anything could be sent.
    let err = encode(
        &Credentials::new("me@example.com", "pw"),
        &RatesRequest::default(),
    )
    .unwrap_err();
    assert_eq!(err.status, ApiStatus::MissingPackage);
}

#[test]
fn wire_fields_are_checked_in_the_service_order() {
    let status = |method, fields: &[(&str, &str)]| {
        Request::from_fields(method, fields).err().map(|e| e.status)
    };
    let good = [
        ("date_from", "2010-11-01"),
        ("date_to", "2010-11-30"),
        ("timezone", "-5"),
        ("answered", "1"),
    ];
    assert_eq!(status(Method::GetCdr, &good), None);
    // Flags are on only when "1"; absent flags are off.
    assert_eq!(
        status(
            Method::GetCdr,
            &[
                ("date_from", "2010-11-01"),
                ("date_to", "2010-11-30"),
                ("timezone", "0"),
                ("answered", "true")
            ]
        ),
        Some(ApiStatus::NoCallstatus)
    );
    assert_eq!(
        status(Method::GetCdr, &[]),
        Some(ApiStatus::MissingFromDate)
    );
    assert_eq!(
        status(Method::GetCdr, &[("date_from", "x"), ("timezone", "99")]),
        Some(ApiStatus::InvalidDate)
    );
    assert_eq!(
        status(
            Method::GetCdr,
            &[("date_from", "2010-11-01"), ("date_to", "2010-11-30")]
        ),
        Some(ApiStatus::MissingTimezone)
    );
    // getResellerCDR checks client after the getCDR parameters.
    assert_eq!(
        status(Method::GetResellerCdr, &good),
        Some(ApiStatus::MissingClient)
    );
    assert_eq!(
        status(Method::GetResellerCdr, &[("client", "561115")]),
        Some(ApiStatus::MissingFromDate)
    );
    assert_eq!(
        status(Method::GetRates, &[("query", "x")]),
        Some(ApiStatus::MissingPackage)
    );
    assert_eq!(
        status(Method::GetTerminationRates, &[("route", "2")]),
        Some(ApiStatus::MissingQuery)
    );
    assert_eq!(
        status(Method::GetClientPackages, &[]),
        Some(ApiStatus::MissingClient)
    );
    for method in [
        Method::GetCallAccounts,
        Method::GetCallBilling,
        Method::GetCallTypes,
        Method::GetRoutes,
        Method::GetPackages,
        Method::GetClients,
    ] {
        assert_eq!(status(method, &[]), None, "{method}");
    }
    // The last duplicate wins, as in PHP.
    let dup = [
        ("date_from", "bad"),
        ("date_from", "2010-11-01"),
        ("date_to", "2010-11-30"),
        ("timezone", "0"),
        ("busy", "1"),
    ];
    assert_eq!(status(Method::GetCdr, &dup), None);
}

#[test]
fn method_names() {
    for method in Method::ALL {
        assert_eq!(Method::from_name(method.as_str()), Some(method));
    }
    assert_eq!(Method::GetCdr.as_str(), "getCDR");
    assert_eq!(Method::GetResellerCdr.as_str(), "getResellerCDR");
    assert_eq!(Method::from_name("getcdr"), None, "the wire case is exact");
    assert_eq!(Method::from_name(""), None);
}
