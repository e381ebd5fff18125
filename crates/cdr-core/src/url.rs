//! What a page keeps in its address: each part of a page's state owns some query keys, reads
//! them back, and writes them without disturbing the keys of the other parts (a CDR search
//! and the sort of its rows share one query string, but a new sort must not touch the search).
//!
//! The CDR explorer's parts are in [`crate::view`]; the rate pages' searches are here.

use crate::request::{ApiRequest, RatesRequest, TerminationRatesRequest, ValidationError};

/// A part of a page's state that lives in the query string.
pub trait UrlState: Sized {
    /// The query keys this part reads and writes; any other key belongs to another part.
    const KEYS: &'static [&'static str];

    /// What reading the address needs besides it: today's date, the browser's timezone, the
    /// page.
    type Context;

    /// The state the query describes; what it does not say takes the default.
    fn from_query(get: &dyn Fn(&str) -> Option<String>, cx: &Self::Context) -> Self;

    /// The state's fields, in a stable order, defaults left out to keep links short.
    fn to_query(&self) -> Vec<(&'static str, String)>;
}

/// A page's search as its address holds it: what the page checks before asking the API.
pub trait SearchState: UrlState + Clone + PartialEq {
    /// Whether the address asks for a search at all: a first visit to a rates page does not.
    fn is_asked(&self) -> bool;

    /// Every problem that blocks the search, each naming its field.
    fn errors(&self) -> Vec<ValidationError>;

    /// Tidies the form before it is checked and put in the address (trims typed text).
    fn tidy(&mut self) {}

    /// Keeps in the form what the user chose that the address leaves out (a package picked
    /// before the first search), when the address changes to `self`.
    fn keep_from(&mut self, _form: &Self) {}
}

/// `current` with the keys of `S` replaced by `state`'s fields: they take the place of the
/// first key of `S` that was there (or go last), every other pair keeps its place, so that a
/// link reads the same whichever part changed last.
pub fn replace_part<S: UrlState>(current: &[(String, String)], state: &S) -> Vec<(String, String)> {
    let owned = |k: &str| S::KEYS.contains(&k);
    let at = current
        .iter()
        .position(|(k, _)| owned(k))
        .unwrap_or(current.len());
    let kept = |range: &[(String, String)]| {
        range
            .iter()
            .filter(|(k, _)| !owned(k))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut out = kept(&current[..at]);
    out.extend(state.to_query().into_iter().map(|(k, v)| (k.to_owned(), v)));
    out.extend(kept(&current[at..]));
    out
}

/// `current` with `state`'s fields first and every other pair after them, in place: for the
/// part that leads a page's address (its search), whichever part was written first.
pub fn lead_part<S: UrlState>(current: &[(String, String)], state: &S) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = state
        .to_query()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    out.extend(
        current
            .iter()
            .filter(|(k, _)| !S::KEYS.contains(&k.as_str()))
            .cloned(),
    );
    out
}

/// Whether the query holds any key of `S`: a first visit holds none.
pub fn mentions<S: UrlState>(current: &[(String, String)]) -> bool {
    current.iter().any(|(k, _)| S::KEYS.contains(&k.as_str()))
}

/// The Rates page's search: a package (of the account, or of a reseller client) and a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RatesSearch {
    /// The reseller client whose packages are offered; empty for the account's own.
    pub client: String,
    /// The package id.
    pub package: String,
    /// The destination or prefix searched.
    pub query: String,
}

impl RatesSearch {
    /// The getRates request of this search.
    pub fn request(&self) -> RatesRequest {
        RatesRequest {
            package: self.package.clone(),
            query: self.query.trim().to_owned(),
        }
    }
}

impl SearchState for RatesSearch {
    /// A first visit (or a client alone) asks for nothing.
    fn is_asked(&self) -> bool {
        !self.package.is_empty() || !self.query.is_empty()
    }

    fn errors(&self) -> Vec<ValidationError> {
        self.request().errors()
    }

    fn tidy(&mut self) {
        self.query = self.query.trim().to_owned();
    }

    /// A bare /rates (back to the first visit) keeps the package already chosen.
    fn keep_from(&mut self, form: &Self) {
        if self.package.is_empty() && self.client == form.client {
            self.package.clone_from(&form.package);
        }
    }
}

impl UrlState for RatesSearch {
    const KEYS: &'static [&'static str] = &["client", "package", "q"];
    type Context = ();

    fn from_query(get: &dyn Fn(&str) -> Option<String>, _: &()) -> RatesSearch {
        RatesSearch {
            client: get("client").unwrap_or_default(),
            package: get("package").unwrap_or_default(),
            query: get("q").unwrap_or_default(),
        }
    }

    fn to_query(&self) -> Vec<(&'static str, String)> {
        [
            ("client", &self.client),
            ("package", &self.package),
            ("q", &self.query),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }
}

/// The routes compared side by side, as the contract numbers them: `1` Value, `2` Premium.
pub const COMPARED_ROUTES: [(&str, &str); 2] = [("1", "Value"), ("2", "Premium")];

/// The Termination rates page's search: a route (or both compared) and a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerminationSearch {
    /// The route code; not used while comparing.
    pub route: String,
    /// The destination or prefix searched.
    pub query: String,
    /// Value and Premium side by side instead of one route.
    pub compare: bool,
}

impl TerminationSearch {
    /// The routes this search asks for: the chosen one, or both compared.
    pub fn routes(&self) -> Vec<String> {
        if self.compare {
            COMPARED_ROUTES
                .iter()
                .map(|(r, _)| (*r).to_owned())
                .collect()
        } else {
            vec![self.route.clone()]
        }
    }

    /// The getTerminationRates request for `route`.
    pub fn request(&self, route: &str) -> TerminationRatesRequest {
        TerminationRatesRequest {
            route: route.to_owned(),
            query: self.query.trim().to_owned(),
        }
    }
}

impl SearchState for TerminationSearch {
    fn is_asked(&self) -> bool {
        !self.route.is_empty() || !self.query.is_empty() || self.compare
    }

    /// When comparing, the route select is not needed.
    fn errors(&self) -> Vec<ValidationError> {
        let first = self.routes().into_iter().next().unwrap_or_default();
        self.request(&first).errors()
    }

    fn tidy(&mut self) {
        self.query = self.query.trim().to_owned();
    }

    /// An address without a route (a comparison, or the first visit) keeps the one chosen.
    fn keep_from(&mut self, form: &Self) {
        if self.route.is_empty() {
            self.route.clone_from(&form.route);
        }
    }
}

impl UrlState for TerminationSearch {
    const KEYS: &'static [&'static str] = &["route", "q", "compare"];
    type Context = ();

    fn from_query(get: &dyn Fn(&str) -> Option<String>, _: &()) -> TerminationSearch {
        TerminationSearch {
            route: get("route").unwrap_or_default(),
            query: get("q").unwrap_or_default(),
            compare: get("compare").as_deref() == Some("1"),
        }
    }

    fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        if !self.compare && !self.route.is_empty() {
            fields.push(("route", self.route.clone()));
        }
        if !self.query.is_empty() {
            fields.push(("q", self.query.clone()));
        }
        if self.compare {
            fields.push(("compare", "1".to_owned()));
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn read<S: UrlState<Context = ()>>(list: &[(&str, &str)]) -> S {
        let q = pairs(list);
        S::from_query(
            &|k| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()),
            &(),
        )
    }

    #[test]
    fn a_part_replaces_its_keys_in_place_and_keeps_the_others() {
        let s = RatesSearch {
            client: String::new(),
            package: "92364".into(),
            query: "Canada".into(),
        };
        // In place of the first key it owns, the others untouched.
        let current = pairs(&[("x", "1"), ("q", "Mexico"), ("sort", "2"), ("client", "9")]);
        assert_eq!(
            replace_part(&current, &s),
            pairs(&[
                ("x", "1"),
                ("package", "92364"),
                ("q", "Canada"),
                ("sort", "2")
            ])
        );
        // Last when none of its keys was there.
        assert_eq!(
            replace_part(&pairs(&[("sort", "2")]), &s),
            pairs(&[("sort", "2"), ("package", "92364"), ("q", "Canada")])
        );
        // A leading part goes first whatever was there.
        assert_eq!(
            lead_part(&pairs(&[("sort", "2"), ("q", "x")]), &s),
            pairs(&[("package", "92364"), ("q", "Canada"), ("sort", "2")])
        );
        assert!(mentions::<RatesSearch>(&current));
        assert!(!mentions::<RatesSearch>(&pairs(&[("sort", "2")])));
    }

    #[test]
    fn rate_searches_round_trip_and_say_when_they_are_asked() {
        let s: RatesSearch = read(&[("client", "561115"), ("package", "92364"), ("q", "Mexico")]);
        assert_eq!(
            read::<RatesSearch>(
                &s.to_query()
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>()
            ),
            s
        );
        assert!(s.is_asked() && s.errors().is_empty());
        let first_visit: RatesSearch = read(&[]);
        assert!(!first_visit.is_asked());
        let no_query = RatesSearch {
            package: "92364".into(),
            ..RatesSearch::default()
        };
        assert!(no_query.is_asked());
        assert_eq!(no_query.errors()[0].field, "query");
        assert_eq!(s.request().query, "Mexico");
    }

    #[test]
    fn a_comparison_needs_no_route_and_asks_for_both() {
        let s: TerminationSearch = read(&[("route", "2"), ("q", "Canada"), ("compare", "1")]);
        assert!(s.compare);
        assert_eq!(s.routes(), ["1", "2"]);
        // The route is left out of a comparison's link.
        assert_eq!(
            s.to_query(),
            vec![("q", "Canada".to_owned()), ("compare", "1".to_owned())]
        );
        assert!(s.errors().is_empty());
        let one: TerminationSearch = read(&[("route", "2"), ("q", " Canada ")]);
        assert_eq!(one.routes(), ["2"]);
        assert_eq!(one.request("2").query, "Canada");
        let none: TerminationSearch = read(&[("q", "Canada")]);
        assert_eq!(none.errors()[0].field, "route");
        assert!(!read::<TerminationSearch>(&[]).is_asked());
        // The route chosen stays in the form when the address has none (a comparison).
        let mut from_address = s.clone();
        from_address.route.clear();
        from_address.keep_from(&one);
        assert_eq!(from_address.route, "2");
    }

    #[test]
    fn a_rates_form_keeps_its_package_and_trims_its_text() {
        let chosen = RatesSearch {
            package: "92364".into(),
            ..RatesSearch::default()
        };
        let mut bare: RatesSearch = read(&[]);
        bare.keep_from(&chosen);
        assert_eq!(bare.package, "92364");
        // Another client's packages are not this one's.
        let mut other: RatesSearch = read(&[("client", "561115")]);
        other.keep_from(&chosen);
        assert_eq!(other.package, "");
        let mut typed = RatesSearch {
            query: "  Canada ".into(),
            ..chosen
        };
        typed.tidy();
        assert_eq!(typed.query, "Canada");
    }
}
