//! The wire form of every request, field by field, and the round trip through a query
//! string back to the same typed request.

use cdr_core::request::{
    ApiRequest, CallAccountsRequest, CallBillingRequest, CallTypesRequest, CdrFilter, CdrRequest,
    ClientPackagesRequest, ClientsRequest, Dispositions, Method, PackagesRequest, RatesRequest,
    Request, ResellerCdrRequest, RoutesRequest, TerminationRatesRequest, Timezone,
};
use cdr_core::wire::{encode, fields_from_query, to_query_string, Credentials};

fn creds() -> Credentials {
    Credentials::new("john@example.com", "p@ss word&=?")
}

fn fields(req: &dyn ApiRequest) -> Vec<(&'static str, String)> {
    encode(&creds(), req).unwrap()
}

fn expected(method: &str, params: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("api_username", "john@example.com".to_owned()),
        ("api_password", "p@ss word&=?".to_owned()),
        ("method", method.to_owned()),
    ];
    out.extend(params.iter().map(|(k, v)| (*k, (*v).to_owned())));
    out
}

fn seed_filter() -> CdrFilter {
    let mut filter = CdrFilter::new(
        "2010-11-30".parse().unwrap(),
        "2010-11-30".parse().unwrap(),
        Timezone::parse("-5").unwrap(),
    );
    filter.dispositions = Dispositions {
        answered: true,
        noanswer: false,
        busy: true,
        failed: false,
    };
    filter.account = "100000_VoIP".into();
    filter
}

#[test]
fn get_cdr_fields() {
    assert_eq!(
        fields(&CdrRequest {
            filter: seed_filter()
        }),
        expected(
            "getCDR",
            &[
                ("date_from", "2010-11-30"),
                ("date_to", "2010-11-30"),
                ("timezone", "-5"),
                ("answered", "1"),
                ("noanswer", "0"),
                ("busy", "1"),
                ("failed", "0"),
                ("calltype", "all"),
                ("callbilling", "all"),
                ("account", "100000_VoIP"),
            ]
        )
    );
}

#[test]
fn get_reseller_cdr_fields() {
    let mut filter = seed_filter();
    filter.timezone = Timezone::parse("5.5").unwrap();
    filter.calltype = "5551234567".into();
    filter.callbilling = "billed".into();
    assert_eq!(
        fields(&ResellerCdrRequest {
            client: " 561115 ".into(),
            filter
        }),
        expected(
            "getResellerCDR",
            &[
                ("date_from", "2010-11-30"),
                ("date_to", "2010-11-30"),
                ("timezone", "5.5"),
                ("answered", "1"),
                ("noanswer", "0"),
                ("busy", "1"),
                ("failed", "0"),
                ("calltype", "5551234567"),
                ("callbilling", "billed"),
                ("account", "100000_VoIP"),
                ("client", "561115"),
            ]
        )
    );
}

#[test]
fn get_rates_fields() {
    let req = RatesRequest {
        package: "92364".into(),
        query: "Canada".into(),
    };
    assert_eq!(
        fields(&req),
        expected("getRates", &[("package", "92364"), ("query", "Canada")])
    );
}

#[test]
fn get_termination_rates_fields() {
    let req = TerminationRatesRequest {
        route: "2".into(),
        query: "Canada".into(),
    };
    assert_eq!(
        fields(&req),
        expected(
            "getTerminationRates",
            &[("route", "2"), ("query", "Canada")]
        )
    );
}

#[test]
fn lookup_fields() {
    assert_eq!(fields(&CallBillingRequest), expected("getCallBilling", &[]));
    assert_eq!(
        fields(&CallAccountsRequest { client: None }),
        expected("getCallAccounts", &[])
    );
    assert_eq!(
        fields(&CallAccountsRequest {
            client: Some("561115".into())
        }),
        expected("getCallAccounts", &[("client", "561115")])
    );
    assert_eq!(
        fields(&CallTypesRequest {
            client: Some("561115".into())
        }),
        expected("getCallTypes", &[("client", "561115")])
    );
    assert_eq!(
        fields(&CallTypesRequest {
            client: Some("  ".into())
        }),
        expected("getCallTypes", &[]),
        "an empty optional field is left out"
    );
    assert_eq!(
        fields(&RoutesRequest { route: None }),
        expected("getRoutes", &[])
    );
    assert_eq!(
        fields(&RoutesRequest {
            route: Some("2".into())
        }),
        expected("getRoutes", &[("route", "2")])
    );
    assert_eq!(
        fields(&PackagesRequest {
            package: Some("92364".into())
        }),
        expected("getPackages", &[("package", "92364")])
    );
    assert_eq!(
        fields(&ClientsRequest {
            client: Some("john@example.com".into())
        }),
        expected("getClients", &[("client", "john@example.com")])
    );
    assert_eq!(
        fields(&ClientPackagesRequest {
            client: "561115".into()
        }),
        expected("getClientPackages", &[("client", "561115")])
    );
}

#[test]
fn query_string_is_percent_encoded() {
    let q = to_query_string(&fields(&RatesRequest {
        package: "92364".into(),
        query: "Côte d'Ivoire & co".into(),
    }));
    assert_eq!(
        q,
        "api_username=john%40example.com&api_password=p%40ss%20word%26%3D%3F&method=getRates\
         &package=92364&query=C%C3%B4te%20d%27Ivoire%20%26%20co"
    );
}

fn all_requests() -> Vec<Request> {
    let filter = seed_filter();
    vec![
        Request::CallAccounts(CallAccountsRequest {
            client: Some("561115".into()),
        }),
        Request::CallAccounts(CallAccountsRequest { client: None }),
        Request::CallBilling(CallBillingRequest),
        Request::CallTypes(CallTypesRequest {
            client: Some("561115".into()),
        }),
        Request::Cdr(CdrRequest {
            filter: filter.clone(),
        }),
        Request::ResellerCdr(ResellerCdrRequest {
            client: "561115".into(),
            filter: CdrFilter {
                timezone: Timezone::parse("-3.75").unwrap(),
                calltype: "outgoing".into(),
                callbilling: "free".into(),
                ..filter
            },
        }),
        Request::Rates(RatesRequest {
            package: "92364".into(),
            query: "Côte d'Ivoire & +1".into(),
        }),
        Request::TerminationRates(TerminationRatesRequest {
            route: "2".into(),
            query: "Canada".into(),
        }),
        Request::Routes(RoutesRequest { route: None }),
        Request::Packages(PackagesRequest {
            package: Some("92364".into()),
        }),
        Request::Clients(ClientsRequest {
            client: Some("a+b@example.com".into()),
        }),
        Request::ClientPackages(ClientPackagesRequest {
            client: "561115".into(),
        }),
    ]
}

#[test]
fn encode_then_decode_round_trips() {
    for request in all_requests() {
        let query = to_query_string(&encode(&creds(), &request).unwrap());
        let back = fields_from_query(&query);
        let get = |name: &str| {
            back.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("api_username"), Some("john@example.com"));
        assert_eq!(get("api_password"), Some("p@ss word&=?"));
        let method = Method::from_name(get("method").unwrap()).unwrap();
        assert_eq!(method, request.method());
        let decoded = Request::from_fields(method, &back).unwrap();
        assert_eq!(decoded, request, "{query}");
    }
}
