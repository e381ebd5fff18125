//! The API's status codes, each with a sentence that tells the user what to do.
//!
//! Every answer of the service is HTTP 200 with a `status` field: `"success"` or one of the
//! codes below. Five of them (`no_cdr`, `no_rate`, `no_client`, `no_package`, `no_account`)
//! only mean "nothing found" and are turned into empty lists by [`crate::decode`].

use std::fmt;

macro_rules! statuses {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )*) => {
        /// A non-success `status` of an API answer.
        ///
        /// Codes this crate does not know are kept as they came in [`ApiStatus::Unknown`], so
        /// a new code on the service shows up as text, never as a crash.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ApiStatus {
            $( $(#[$doc])* $variant, )*
            /// A code this crate does not know, exactly as the service sent it.
            Unknown(String),
        }

        impl ApiStatus {
            /// Every known code, in the contract's order (global first).
            pub const ALL: &'static [ApiStatus] = &[$(ApiStatus::$variant,)*];

            /// The status for a wire code; unknown codes become [`ApiStatus::Unknown`].
            pub fn from_code(code: &str) -> ApiStatus {
                match code {
                    $( $code => ApiStatus::$variant, )*
                    other => ApiStatus::Unknown(other.to_owned()),
                }
            }

            /// The wire code, e.g. `"ip_not_enabled"`.
            pub fn code(&self) -> &str {
                match self {
                    $( ApiStatus::$variant => $code, )*
                    ApiStatus::Unknown(code) => code,
                }
            }
        }
    };
}

statuses! {
    /// The request named no `method`.
    MissingMethod => "missing_method",
    /// The `method` is not one the API offers.
    InvalidMethod => "invalid_method",
    /// `api_username` or `api_password` was not sent.
    MissingCredentials => "missing_credentials",
    /// The API username or password is wrong.
    InvalidCredentials => "invalid_credentials",
    /// API access is not switched on for the account.
    ApiNotEnabled => "api_not_enabled",
    /// The caller's IP address is not on the API allow-list.
    IpNotEnabled => "ip_not_enabled",
    /// The method is down for maintenance.
    MethodMaintenance => "method_maintenance",
    /// Too many requests in the last minute.
    ApiLimitExceeded => "api_limit_exceeded",
    /// Required parameters are missing.
    MissingParams => "missing_params",
    /// The service could not provide the information right now.
    UnavailableInfo => "unavailable_info",
    /// No call matched the filter (an empty result).
    NoCdr => "no_cdr",
    /// No rate matched the search (an empty result).
    NoRate => "no_rate",
    /// No reseller client matched (an empty result).
    NoClient => "no_client",
    /// No package matched (an empty result).
    NoPackage => "no_package",
    /// No account matched (an empty result).
    NoAccount => "no_account",
    /// None of answered / noanswer / busy / failed was `1`.
    NoCallstatus => "no_callstatus",
    /// A date is not a valid `YYYY-MM-DD`.
    InvalidDate => "invalid_date",
    /// `date_from` was not given.
    MissingFromDate => "missing_from_date",
    /// `date_to` was not given.
    MissingToDate => "missing_to_date",
    /// `date_from` is after `date_to`.
    InvalidDateFrom => "invalid_date_from",
    /// The range is longer than 92 days.
    InvalidDaterange => "invalid_daterange",
    /// `timezone` was not given.
    MissingTimezone => "missing_timezone",
    /// `timezone` is not a number from -12 to 13.
    InvalidTimezone => "invalid_timezone",
    /// `calltype` is not a value that getCallTypes offers.
    InvalidCallType => "invalid_call_type",
    /// `callbilling` is not `all`, `free` or `billed`.
    InvalidCallbilling => "invalid_callbilling",
    /// `account` is not a value that getCallAccounts offers.
    InvalidAccount => "invalid_account",
    /// The reseller `client` was not given.
    MissingClient => "missing_client",
    /// The reseller `client` is unknown.
    InvalidClient => "invalid_client",
    /// `package` was not given.
    MissingPackage => "missing_package",
    /// `package` is unknown.
    InvalidPackage => "invalid_package",
    /// `route` was not given.
    MissingRoute => "missing_route",
    /// `route` is unknown.
    InvalidRoute => "invalid_route",
    /// The search term `query` was not given.
    MissingQuery => "missing_query",
    /// The search term `query` cannot be used.
    InvalidQuery => "invalid_query",
}

impl ApiStatus {
    /// Whether the code only means "nothing found", which the portal shows as no rows.
    pub fn is_empty_result(&self) -> bool {
        matches!(
            self,
            ApiStatus::NoCdr
                | ApiStatus::NoRate
                | ApiStatus::NoClient
                | ApiStatus::NoPackage
                | ApiStatus::NoAccount
        )
    }

    /// A plain sentence for the user: what happened and what to do about it.
    pub fn message(&self) -> String {
        let text = match self {
            ApiStatus::MissingMethod => {
                "The request to the API named no method. This is a bug in the portal; please report it."
            }
            ApiStatus::InvalidMethod => {
                "The API does not know the method the portal asked for. This is a bug in the portal, or the API changed; please report it."
            }
            ApiStatus::MissingCredentials => {
                "No API credentials were sent. Enter your API username (your account e-mail) and API password in Settings."
            }
            ApiStatus::InvalidCredentials => {
                "The API did not accept the username or password. In Settings, check the API username (your account e-mail) and the API password, which is set in the VoIP.ms portal under SOAP and REST/JSON API and is not your portal login password."
            }
            ApiStatus::ApiNotEnabled => {
                "API access is not enabled for this account. Enable it in the VoIP.ms portal (Main Menu › SOAP and REST/JSON API)."
            }
            ApiStatus::IpNotEnabled => {
                "The API refused this server's IP address. Add the public IP of the server that forwards requests (your reverse proxy) to the API allow-list in the VoIP.ms portal (Main Menu › SOAP and REST/JSON API)."
            }
            ApiStatus::MethodMaintenance => {
                "This part of the API is down for maintenance. Try again later."
            }
            ApiStatus::ApiLimitExceeded => {
                "Too many requests were sent to the API in the last minute. Wait a minute, then try again."
            }
            ApiStatus::MissingParams => {
                "The API says required details are missing from the request. Check that every required field is filled in."
            }
            ApiStatus::UnavailableInfo => {
                "The API could not provide this information right now. Try again in a few minutes."
            }
            ApiStatus::NoCdr => "No calls match this filter. Widen the dates or include more call statuses.",
            ApiStatus::NoRate => "No rates match this search. Try a shorter or different search term.",
            ApiStatus::NoClient => "No reseller client matches. Check the client ID or e-mail.",
            ApiStatus::NoPackage => "No package matches. Check the package ID.",
            ApiStatus::NoAccount => "No account matches. Check the client or account chosen.",
            ApiStatus::NoCallstatus => {
                "Choose at least one call status: answered, no answer, busy or failed."
            }
            ApiStatus::InvalidDate => "A date is not valid. Enter dates as YYYY-MM-DD.",
            ApiStatus::MissingFromDate => "Enter a start date (YYYY-MM-DD).",
            ApiStatus::MissingToDate => "Enter an end date (YYYY-MM-DD).",
            ApiStatus::InvalidDateFrom => {
                "The start date is after the end date. Swap them or pick a later end date."
            }
            ApiStatus::InvalidDaterange => {
                "The date range is longer than the API allows (92 days). Choose a shorter range."
            }
            ApiStatus::MissingTimezone => "Choose a time zone offset.",
            ApiStatus::InvalidTimezone => {
                "The time zone must be an hour offset from -12 to 13, such as -5 or 5.5."
            }
            ApiStatus::InvalidCallType => {
                "The call type is not one the API offers for this account. Pick one from the list."
            }
            ApiStatus::InvalidCallbilling => {
                "The call billing filter must be all, free or billed. Pick one from the list."
            }
            ApiStatus::InvalidAccount => {
                "The account is not one the API offers for this client. Pick one from the list."
            }
            ApiStatus::MissingClient => "Choose a reseller client.",
            ApiStatus::InvalidClient => {
                "The API does not know this reseller client. Check the client ID or pick one from the list."
            }
            ApiStatus::MissingPackage => "Choose a package.",
            ApiStatus::InvalidPackage => {
                "The API does not know this package. Pick one from the list."
            }
            ApiStatus::MissingRoute => "Choose a route.",
            ApiStatus::InvalidRoute => "The API does not know this route. Pick one from the list.",
            ApiStatus::MissingQuery => "Enter a search term, such as a country or a prefix.",
            ApiStatus::InvalidQuery => {
                "The API could not use this search term. Try a destination name such as Canada."
            }
            ApiStatus::Unknown(code) => {
                return format!("The API answered with an unknown status “{code}”.");
            }
        };
        text.to_owned()
    }
}

impl fmt::Display for ApiStatus {
    /// The user sentence, so that `?` into a UI error shows something readable.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiStatus {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for status in ApiStatus::ALL {
            assert_eq!(&ApiStatus::from_code(status.code()), status);
            assert!(status.message().ends_with('.'), "{status:?}");
        }
        assert_eq!(ApiStatus::ALL.len(), 34);
    }

    #[test]
    fn empty_result_codes() {
        let empty: Vec<&str> = ApiStatus::ALL
            .iter()
            .filter(|s| s.is_empty_result())
            .map(ApiStatus::code)
            .collect();
        assert_eq!(
            empty,
            ["no_cdr", "no_rate", "no_client", "no_package", "no_account"]
        );
    }

    #[test]
    fn unknown_codes_are_kept_as_they_came() {
        let status = ApiStatus::from_code("brand_new_code");
        assert_eq!(status, ApiStatus::Unknown("brand_new_code".into()));
        assert_eq!(status.code(), "brand_new_code");
        assert_eq!(
            status.message(),
            "The API answered with an unknown status “brand_new_code”."
        );
        assert!(!status.is_empty_result());
    }

    #[test]
    fn sentences_say_what_to_do() {
        assert!(ApiStatus::IpNotEnabled.message().contains("allow-list"));
        assert!(ApiStatus::IpNotEnabled.message().contains("reverse proxy"));
        assert!(ApiStatus::InvalidCredentials.message().contains("Settings"));
        assert!(ApiStatus::InvalidCredentials
            .message()
            .contains("not your portal login password"));
        assert!(ApiStatus::ApiLimitExceeded
            .message()
            .contains("Wait a minute"));
    }
}
