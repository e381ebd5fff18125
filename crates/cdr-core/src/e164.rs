//! Which country a dialled number rings in: the ITU-T E.164 country codes, the shared codes
//! resolved (the North American Numbering Plan by area code, Russia and Kazakhstan, the
//! United Kingdom and the Crown Dependencies, …), and the text to search the rate deck with.
//!
//! The rate searches of the API (getRates, getTerminationRates) take a text such as
//! "Canada": a typed number is first given its country here, then its digits are matched
//! with [`crate::rating::longest_prefix`] against the rates that search returns.
//!
//! ```
//! use cdr_core::e164::{Country, Number, Place};
//!
//! let n = Number::parse("011 52 55 1234 5678").unwrap();
//! let mexico = Country::from_iso("MX").unwrap();
//! assert_eq!(n.place(), &Place::Country(mexico));
//! assert_eq!((n.calling_code(), n.digits()), ("52", "525512345678"));
//! assert_eq!(mexico.rate_query(), Some("Mexico"));
//!
//! // Under +1 the area code decides; a number cut short leaves the choice to the user.
//! let quebec = Number::parse("(418) 555-0100").unwrap();
//! assert_eq!(quebec.place(), &Place::Country(Country::from_iso("CA").unwrap()));
//! assert!(matches!(Number::parse("+7").unwrap().place(), Place::Ambiguous(c) if c.len() == 2));
//! ```
//!
//! Sources: the country codes and the ranges that split a shared code are those of
//! libphonenumber's metadata v9.0.35 (16 July 2026), itself drawn from the ITU-T list of
//! assigned E.164 codes and the national numbering plans; Canada's area codes are its list
//! too (the NANPA and CNAC assignments). The names are the English short names of
//! ISO 3166-1 (Debian iso-codes 4.15.0), in their common form where one is usual
//! ("Russia", "South Korea"), and the rate deck's where the simulator's catalog has the
//! country.

use crate::rating::{DialError, DialedNumber, Written};

/// A row of the table as written.
struct Source {
    code: u16,
    iso: &'static str,
    name: &'static str,
    prefixes: &'static str,
}

const fn e(code: u16, iso: &'static str, name: &'static str, prefixes: &'static str) -> Source {
    Source {
        code,
        iso,
        name,
        prefixes,
    }
}

/// Every country and territory with a calling code, and the services with a code of their
/// own, sorted by calling code: a shared code is a run of rows, the one that takes every
/// number the others do not claim first.
///
/// Left out: +379 (reserved for the Vatican, which is dialled within Italy's +39) and +991
/// (an ITU trial), which ring nowhere, and places without a plan of their own (Pitcairn on
/// +64, the French Southern Territories on +262, Australia's Antarctic bases on +672).
///
/// Each row: the calling code; the ISO 3166-1 alpha-2 code, empty for a code that is not a
/// country's; the English name; and the national prefixes (the digits after the calling
/// code) that ring there, separated by spaces. A row without prefixes takes every number of
/// its code that no other row claims.
///
/// A `const`, read only while compiling: the binary holds it packed, as [`ROWS`] and
/// [`TEXT`], 8 bytes a row and the texts end to end, where rows of `&str` would take 20.
const SOURCE: [Source; 255] = [
    e(1, "US", "United States", ""),
    e(
        1,
        "CA",
        "Canada",
        concat!(
            "368 403 587 780 825 ",                             // Alberta
            "236 250 257 604 672 778 ",                         // British Columbia
            "204 431 584 ",                                     // Manitoba
            "428 506 ",                                         // New Brunswick
            "709 879 ",                                         // Newfoundland, Labrador
            "782 902 ",                                         // Nova Scotia, P.E.I.
            "226 249 289 343 365 382 416 437 519 548 ",         // Ontario
            "613 647 683 705 742 753 807 905 942 ",             // Ontario
            "263 354 367 418 438 450 468 514 579 581 819 873 ", // Quebec
            "306 474 639 ",                                     // Saskatchewan
            "867 ",                                             // the territories
            "600 622 633",                                      // non-geographic
        ),
    ),
    e(1, "AG", "Antigua and Barbuda", "268"),
    e(1, "AI", "Anguilla", "264"),
    e(1, "AS", "American Samoa", "684"),
    e(1, "BB", "Barbados", "246"),
    e(1, "BM", "Bermuda", "441"),
    e(1, "BS", "Bahamas", "242"),
    e(1, "DM", "Dominica", "767"),
    e(1, "DO", "Dominican Republic", "809 829 849"),
    e(1, "GD", "Grenada", "473"),
    e(1, "GU", "Guam", "671"),
    e(1, "JM", "Jamaica", "658 876"),
    e(1, "KN", "Saint Kitts and Nevis", "869"),
    e(1, "KY", "Cayman Islands", "345"),
    e(1, "LC", "Saint Lucia", "758"),
    e(1, "MP", "Northern Mariana Islands", "670"),
    e(1, "MS", "Montserrat", "664"),
    e(1, "PR", "Puerto Rico", "787 939"),
    e(1, "SX", "Sint Maarten", "721"),
    e(1, "TC", "Turks and Caicos Islands", "649"),
    e(1, "TT", "Trinidad and Tobago", "868"),
    e(1, "VC", "Saint Vincent and the Grenadines", "784"),
    e(1, "VG", "British Virgin Islands", "284"),
    e(1, "VI", "US Virgin Islands", "340"),
    e(
        1,
        "",
        "North America, toll-free",
        "800 833 844 855 866 877 888",
    ),
    e(7, "RU", "Russia", ""),
    e(7, "KZ", "Kazakhstan", "6 7"),
    e(20, "EG", "Egypt", ""),
    e(27, "ZA", "South Africa", ""),
    e(30, "GR", "Greece", ""),
    e(31, "NL", "Netherlands", ""),
    e(32, "BE", "Belgium", ""),
    e(33, "FR", "France", ""),
    e(34, "ES", "Spain", ""),
    e(36, "HU", "Hungary", ""),
    e(39, "IT", "Italy", ""),
    e(39, "VA", "Vatican City", "06698"),
    e(40, "RO", "Romania", ""),
    e(41, "CH", "Switzerland", ""),
    e(43, "AT", "Austria", ""),
    e(44, "GB", "United Kingdom", ""),
    e(44, "GG", "Guernsey", "1481 7781 7839 79111 79117"),
    e(44, "IM", "Isle of Man", "1624 74576 7524 7624 7924"),
    e(
        44,
        "JE",
        "Jersey",
        "1534 7509 77003 77007 77008 7797 7829 7937",
    ),
    e(45, "DK", "Denmark", ""),
    e(46, "SE", "Sweden", ""),
    e(47, "NO", "Norway", ""),
    e(47, "SJ", "Svalbard and Jan Mayen", "79"),
    e(48, "PL", "Poland", ""),
    e(49, "DE", "Germany", ""),
    e(51, "PE", "Peru", ""),
    e(52, "MX", "Mexico", ""),
    e(53, "CU", "Cuba", ""),
    e(54, "AR", "Argentina", ""),
    e(55, "BR", "Brazil", ""),
    e(56, "CL", "Chile", ""),
    e(57, "CO", "Colombia", ""),
    e(58, "VE", "Venezuela", ""),
    e(60, "MY", "Malaysia", ""),
    e(61, "AU", "Australia", ""),
    e(61, "CC", "Cocos (Keeling) Islands", "89162"),
    e(61, "CX", "Christmas Island", "89164"),
    e(62, "ID", "Indonesia", ""),
    e(63, "PH", "Philippines", ""),
    e(64, "NZ", "New Zealand", ""),
    e(65, "SG", "Singapore", ""),
    e(66, "TH", "Thailand", ""),
    e(81, "JP", "Japan", ""),
    e(82, "KR", "South Korea", ""),
    e(84, "VN", "Vietnam", ""),
    e(86, "CN", "China", ""),
    e(90, "TR", "Turkey", ""),
    e(91, "IN", "India", ""),
    e(92, "PK", "Pakistan", ""),
    e(93, "AF", "Afghanistan", ""),
    e(94, "LK", "Sri Lanka", ""),
    e(95, "MM", "Myanmar", ""),
    e(98, "IR", "Iran", ""),
    e(211, "SS", "South Sudan", ""),
    e(212, "MA", "Morocco", ""),
    e(212, "EH", "Western Sahara", "5288 5289"),
    e(213, "DZ", "Algeria", ""),
    e(216, "TN", "Tunisia", ""),
    e(218, "LY", "Libya", ""),
    e(220, "GM", "Gambia", ""),
    e(221, "SN", "Senegal", ""),
    e(222, "MR", "Mauritania", ""),
    e(223, "ML", "Mali", ""),
    e(224, "GN", "Guinea", ""),
    e(225, "CI", "Côte d'Ivoire", ""),
    e(226, "BF", "Burkina Faso", ""),
    e(227, "NE", "Niger", ""),
    e(228, "TG", "Togo", ""),
    e(229, "BJ", "Benin", ""),
    e(230, "MU", "Mauritius", ""),
    e(231, "LR", "Liberia", ""),
    e(232, "SL", "Sierra Leone", ""),
    e(233, "GH", "Ghana", ""),
    e(234, "NG", "Nigeria", ""),
    e(235, "TD", "Chad", ""),
    e(236, "CF", "Central African Republic", ""),
    e(237, "CM", "Cameroon", ""),
    e(238, "CV", "Cape Verde", ""),
    e(239, "ST", "Sao Tome and Principe", ""),
    e(240, "GQ", "Equatorial Guinea", ""),
    e(241, "GA", "Gabon", ""),
    e(242, "CG", "Congo", ""),
    e(243, "CD", "DR Congo", ""),
    e(244, "AO", "Angola", ""),
    e(245, "GW", "Guinea-Bissau", ""),
    e(246, "IO", "British Indian Ocean Territory", ""),
    e(247, "AC", "Ascension Island", ""),
    e(248, "SC", "Seychelles", ""),
    e(249, "SD", "Sudan", ""),
    e(250, "RW", "Rwanda", ""),
    e(251, "ET", "Ethiopia", ""),
    e(252, "SO", "Somalia", ""),
    e(253, "DJ", "Djibouti", ""),
    e(254, "KE", "Kenya", ""),
    e(255, "TZ", "Tanzania", ""),
    e(256, "UG", "Uganda", ""),
    e(257, "BI", "Burundi", ""),
    e(258, "MZ", "Mozambique", ""),
    e(260, "ZM", "Zambia", ""),
    e(261, "MG", "Madagascar", ""),
    e(262, "RE", "Réunion", ""),
    e(262, "YT", "Mayotte", "269 639 7093"),
    e(263, "ZW", "Zimbabwe", ""),
    e(264, "NA", "Namibia", ""),
    e(265, "MW", "Malawi", ""),
    e(266, "LS", "Lesotho", ""),
    e(267, "BW", "Botswana", ""),
    e(268, "SZ", "Eswatini", ""),
    e(269, "KM", "Comoros", ""),
    e(290, "SH", "Saint Helena", ""),
    e(290, "TA", "Tristan da Cunha", "8"),
    e(291, "ER", "Eritrea", ""),
    e(297, "AW", "Aruba", ""),
    e(298, "FO", "Faroe Islands", ""),
    e(299, "GL", "Greenland", ""),
    e(350, "GI", "Gibraltar", ""),
    e(351, "PT", "Portugal", ""),
    e(352, "LU", "Luxembourg", ""),
    e(353, "IE", "Ireland", ""),
    e(354, "IS", "Iceland", ""),
    e(355, "AL", "Albania", ""),
    e(356, "MT", "Malta", ""),
    e(357, "CY", "Cyprus", ""),
    e(358, "FI", "Finland", ""),
    e(358, "AX", "Åland Islands", "18"),
    e(359, "BG", "Bulgaria", ""),
    e(370, "LT", "Lithuania", ""),
    e(371, "LV", "Latvia", ""),
    e(372, "EE", "Estonia", ""),
    e(373, "MD", "Moldova", ""),
    e(374, "AM", "Armenia", ""),
    e(375, "BY", "Belarus", ""),
    e(376, "AD", "Andorra", ""),
    e(377, "MC", "Monaco", ""),
    e(378, "SM", "San Marino", ""),
    e(380, "UA", "Ukraine", ""),
    e(381, "RS", "Serbia", ""),
    e(382, "ME", "Montenegro", ""),
    e(383, "XK", "Kosovo", ""),
    e(385, "HR", "Croatia", ""),
    e(386, "SI", "Slovenia", ""),
    e(387, "BA", "Bosnia and Herzegovina", ""),
    e(389, "MK", "North Macedonia", ""),
    e(420, "CZ", "Czechia", ""),
    e(421, "SK", "Slovakia", ""),
    e(423, "LI", "Liechtenstein", ""),
    e(500, "FK", "Falkland Islands", ""),
    e(501, "BZ", "Belize", ""),
    e(502, "GT", "Guatemala", ""),
    e(503, "SV", "El Salvador", ""),
    e(504, "HN", "Honduras", ""),
    e(505, "NI", "Nicaragua", ""),
    e(506, "CR", "Costa Rica", ""),
    e(507, "PA", "Panama", ""),
    e(508, "PM", "Saint Pierre and Miquelon", ""),
    e(509, "HT", "Haiti", ""),
    e(590, "GP", "Guadeloupe", ""),
    e(590, "BL", "Saint Barthélemy", ""),
    e(590, "MF", "Saint Martin", ""),
    e(591, "BO", "Bolivia", ""),
    e(592, "GY", "Guyana", ""),
    e(593, "EC", "Ecuador", ""),
    e(594, "GF", "French Guiana", ""),
    e(595, "PY", "Paraguay", ""),
    e(596, "MQ", "Martinique", ""),
    e(597, "SR", "Suriname", ""),
    e(598, "UY", "Uruguay", ""),
    e(599, "CW", "Curaçao", ""),
    e(599, "BQ", "Caribbean Netherlands", "3 4 7"),
    e(670, "TL", "Timor-Leste", ""),
    e(672, "NF", "Norfolk Island", ""),
    e(673, "BN", "Brunei", ""),
    e(674, "NR", "Nauru", ""),
    e(675, "PG", "Papua New Guinea", ""),
    e(676, "TO", "Tonga", ""),
    e(677, "SB", "Solomon Islands", ""),
    e(678, "VU", "Vanuatu", ""),
    e(679, "FJ", "Fiji", ""),
    e(680, "PW", "Palau", ""),
    e(681, "WF", "Wallis and Futuna", ""),
    e(682, "CK", "Cook Islands", ""),
    e(683, "NU", "Niue", ""),
    e(685, "WS", "Samoa", ""),
    e(686, "KI", "Kiribati", ""),
    e(687, "NC", "New Caledonia", ""),
    e(688, "TV", "Tuvalu", ""),
    e(689, "PF", "French Polynesia", ""),
    e(690, "TK", "Tokelau", ""),
    e(691, "FM", "Micronesia", ""),
    e(692, "MH", "Marshall Islands", ""),
    e(800, "", "International Freephone", ""),
    e(808, "", "International Shared Cost", ""),
    e(850, "KP", "North Korea", ""),
    e(852, "HK", "Hong Kong", ""),
    e(853, "MO", "Macao", ""),
    e(855, "KH", "Cambodia", ""),
    e(856, "LA", "Laos", ""),
    e(870, "", "Inmarsat", ""),
    e(878, "", "Universal Personal Telecommunications", ""),
    e(880, "BD", "Bangladesh", ""),
    e(881, "", "Global Mobile Satellite System", ""),
    e(882, "", "International Networks (+882)", ""),
    e(883, "", "International Networks (+883)", ""),
    e(886, "TW", "Taiwan", ""),
    e(888, "", "Disaster Relief (OCHA)", ""),
    e(960, "MV", "Maldives", ""),
    e(961, "LB", "Lebanon", ""),
    e(962, "JO", "Jordan", ""),
    e(963, "SY", "Syria", ""),
    e(964, "IQ", "Iraq", ""),
    e(965, "KW", "Kuwait", ""),
    e(966, "SA", "Saudi Arabia", ""),
    e(967, "YE", "Yemen", ""),
    e(968, "OM", "Oman", ""),
    e(970, "PS", "Palestine", ""),
    e(971, "AE", "United Arab Emirates", ""),
    e(972, "IL", "Israel", ""),
    e(973, "BH", "Bahrain", ""),
    e(974, "QA", "Qatar", ""),
    e(975, "BT", "Bhutan", ""),
    e(976, "MN", "Mongolia", ""),
    e(977, "NP", "Nepal", ""),
    e(979, "", "International Premium Rate", ""),
    e(992, "TJ", "Tajikistan", ""),
    e(993, "TM", "Turkmenistan", ""),
    e(994, "AZ", "Azerbaijan", ""),
    e(995, "GE", "Georgia", ""),
    e(996, "KG", "Kyrgyzstan", ""),
    e(998, "UZ", "Uzbekistan", ""),
];

/// One row of the table: its texts are in [`TEXT`], the name from `start`, then the
/// prefixes.
struct Row {
    /// The country calling code.
    code: u16,
    /// ISO 3166-1 alpha-2, or `[0, 0]` for a code that is not a country's.
    iso: [u8; 2],
    start: u16,
    name_len: u8,
    prefixes_len: u8,
}

const TEXT_LEN: usize = {
    let mut len = 0;
    let mut i = 0;
    while i < SOURCE.len() {
        len += SOURCE[i].name.len() + SOURCE[i].prefixes.len();
        i += 1;
    }
    len
};

const TEXT_BYTES: [u8; TEXT_LEN] = {
    let mut out = [0; TEXT_LEN];
    let mut at = 0;
    let mut i = 0;
    while i < 2 * SOURCE.len() {
        let row = &SOURCE[i / 2];
        let part = if i % 2 == 0 { row.name } else { row.prefixes }.as_bytes();
        let mut j = 0;
        while j < part.len() {
            out[at] = part[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
};

/// Every row's name and prefixes, end to end.
static TEXT: &str = match std::str::from_utf8(&TEXT_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("the table's text is not UTF-8"),
};

static ROWS: [Row; SOURCE.len()] = {
    const EMPTY: Row = Row {
        code: 0,
        iso: [0, 0],
        start: 0,
        name_len: 0,
        prefixes_len: 0,
    };
    let mut rows = [EMPTY; SOURCE.len()];
    let mut start = 0;
    let mut i = 0;
    while i < SOURCE.len() {
        let s = &SOURCE[i];
        let iso = s.iso.as_bytes();
        // A row that does not fit stops the build here rather than wrapping.
        assert!(iso.is_empty() || iso.len() == 2);
        assert!(s.name.len() <= 255 && s.prefixes.len() <= 255 && start <= 65535);
        rows[i] = Row {
            code: s.code,
            iso: if iso.len() == 2 {
                [iso[0], iso[1]]
            } else {
                [0, 0]
            },
            start: start as u16,
            name_len: s.name.len() as u8,
            prefixes_len: s.prefixes.len() as u8,
        };
        start += s.name.len() + s.prefixes.len();
        i += 1;
    }
    rows
};

impl Row {
    fn name(&self) -> &'static str {
        let start = usize::from(self.start);
        &TEXT[start..start + usize::from(self.name_len)]
    }

    /// The prefixes it claims; one empty prefix for the row that takes the rest.
    #[cfg(test)]
    fn prefixes(&self) -> impl Iterator<Item = &'static [u8]> {
        self.prefix_text().split(|&b| b == b' ')
    }

    fn prefix_text(&self) -> &'static [u8] {
        let start = usize::from(self.start) + usize::from(self.name_len);
        &TEXT.as_bytes()[start..start + usize::from(self.prefixes_len)]
    }

    /// How `national` stands to the prefixes this row claims: the length of the longest one
    /// it starts with, and whether it could still become a longer one.
    ///
    /// One scan of the bytes rather than a split and a comparison per prefix: a chart runs
    /// this for every CDR row, on the 26 rows of +1.
    fn claim(&self, national: &[u8]) -> (Option<usize>, bool) {
        let text = self.prefix_text();
        let (mut longest, mut could_be) = (None, false);
        let mut start = 0;
        loop {
            let mut end = start;
            let mut same = true;
            while end < text.len() && text[end] != b' ' {
                same &= national.get(end - start).is_none_or(|&d| d == text[end]);
                end += 1;
            }
            if same {
                if end - start <= national.len() {
                    longest = longest.max(Some(end - start));
                } else {
                    could_be = true;
                }
            }
            if end >= text.len() {
                return (longest, could_be);
            }
            start = end + 1;
        }
    }
}

/// The text to search the rate deck with, where the English name is not it: the
/// simulator's name ("USA"), plain letters for a name that has others ("Curacao"), or the
/// word the deck's name most likely holds whatever its order and spelling ("Congo" for
/// "Congo, Democratic Republic", "Kitts" for "St. Kitts"). The search matches a part of a
/// destination's name, and [`crate::rating::longest_prefix`] then picks among the rows it
/// returns, so a word that also finds a neighbour ("Virgin Islands") costs nothing.
static RATE_QUERIES: [([u8; 2], &str); 29] = [
    (*b"US", "USA"),
    (*b"AG", "Antigua"),
    (*b"KN", "Kitts"),
    (*b"LC", "Lucia"),
    (*b"TC", "Turks"),
    (*b"TT", "Trinidad"),
    (*b"VC", "Vincent"),
    (*b"VG", "Virgin Islands"),
    (*b"VI", "Virgin Islands"),
    (*b"SJ", "Svalbard"),
    (*b"CC", "Cocos"),
    (*b"EH", "Sahara"),
    (*b"CI", "Ivory Coast"),
    (*b"ST", "Sao Tome"),
    (*b"CD", "Congo"),
    (*b"IO", "Diego Garcia"),
    (*b"RE", "Reunion"),
    (*b"SH", "Helena"),
    (*b"AX", "Aland"),
    (*b"BA", "Bosnia"),
    (*b"MK", "Macedonia"),
    (*b"CZ", "Czech"),
    (*b"PM", "Miquelon"),
    (*b"BL", "Barthelemy"),
    (*b"MF", "Martin"),
    (*b"CW", "Curacao"),
    (*b"BQ", "Bonaire"),
    (*b"WF", "Wallis"),
    (*b"KP", "Korea"),
];

/// The toll-free row: the one of +1 without a country.
const fn toll_free_row() -> u16 {
    let mut i = 0;
    while i < ROWS.len() {
        if ROWS[i].code == 1 && ROWS[i].iso[0] == 0 {
            return i as u16;
        }
        i += 1;
    }
    panic!("the table has no toll-free row");
}

/// A country or territory with a calling code, or a service with a code of its own
/// (North American toll-free numbers, Inmarsat, …): a row of the table, two bytes.
///
/// Its order is the table's: by calling code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(u16);

impl Country {
    /// The toll-free codes of the North American Numbering Plan (800, 833, 844, 855, 866,
    /// 877, 888): free to call from the USA and Canada, and no one country's.
    pub const NANP_TOLL_FREE: Country = Country(toll_free_row());

    /// Every country and service, in calling-code order: for a picker.
    pub fn all() -> impl ExactSizeIterator<Item = Country> {
        (0..ROWS.len() as u16).map(Country)
    }

    /// The country of an ISO 3166-1 alpha-2 code, in either case: `"ca"` → Canada.
    pub fn from_iso(code: &str) -> Option<Country> {
        let code = code.as_bytes();
        if code.len() != 2 {
            return None;
        }
        let code = [code[0].to_ascii_uppercase(), code[1].to_ascii_uppercase()];
        Country::all().find(|c| c.row().iso == code)
    }

    fn row(self) -> &'static Row {
        &ROWS[usize::from(self.0)]
    }

    /// The ISO 3166-1 alpha-2 code, e.g. `CA`; `None` for a service (toll-free, satellite,
    /// …). Kosovo (`XK`), Ascension (`AC`) and Tristan da Cunha (`TA`) have the codes in
    /// common use that ISO reserves for them.
    pub fn iso(self) -> Option<&'static str> {
        let iso = &self.row().iso;
        (iso[0] != 0).then(|| std::str::from_utf8(iso).unwrap_or_default())
    }

    /// The English name, e.g. `Canada`: data for the app to show or translate.
    pub fn name(self) -> &'static str {
        self.row().name()
    }

    /// The calling code its numbers are dialled with, e.g. `1`; `39` for the Vatican.
    pub fn calling_code(self) -> u16 {
        self.row().code
    }

    /// The text to send as the `query` of getRates or getTerminationRates, e.g. `Canada`,
    /// `USA`; `None` where the deck's name is unknown (toll-free and the non-geographic
    /// services), for which the app can search by the digits instead.
    pub fn rate_query(self) -> Option<&'static str> {
        let row = self.row();
        if row.iso[0] == 0 {
            return None;
        }
        let own = RATE_QUERIES.iter().find(|(iso, _)| *iso == row.iso);
        Some(own.map_or(row.name(), |(_, query)| query))
    }

    /// Whether this is [`Country::NANP_TOLL_FREE`].
    pub fn is_toll_free(self) -> bool {
        self == Country::NANP_TOLL_FREE
    }
}

/// Where a number rings, as far as its digits say.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// One country.
    Country(Country),
    /// Several fit, for the user to pick from: first those whose range the digits already
    /// fall in (for a number cut short, the one that takes the code's unclaimed numbers),
    /// then those they could still become, in the table's order. Either the number stops
    /// before the digits that decide (`+1`, `+7`, `+44 7`), or the code's plan does not
    /// tell its places apart (+590: Guadeloupe, Saint Barthélemy and Saint Martin share
    /// ranges).
    Ambiguous(Vec<Country>),
}

impl Place {
    /// The one country, or every candidate.
    pub fn candidates(&self) -> &[Country] {
        match self {
            Place::Country(c) => std::slice::from_ref(c),
            Place::Ambiguous(all) => all,
        }
    }
}

/// Why a number has no country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a phone number as written: nothing, a letter, a misplaced `+`, too many digits.
    Dial(DialError),
    /// A 0 where the country code should be: a national number with its trunk prefix
    /// (`020 7946 0000`), which does not say its country.
    NoCountryCode,
    /// Too few digits for a whole country code: `+3`, `+35`.
    Incomplete,
    /// No country has this code (`+999`); or, under +1, an area code that starts with 0 or
    /// 1, which none does (`0011 44 …`, Australia's international prefix, reads so).
    Unassigned,
}

impl From<DialError> for NumberError {
    fn from(e: DialError) -> NumberError {
        NumberError::Dial(e)
    }
}

/// A dialled number with its country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number {
    dialed: DialedNumber,
    code_len: usize,
    place: Place,
}

impl Number {
    /// Reads a number in any of its usual forms (see [`DialedNumber::parse`]: `+52 55 1234
    /// 5678`, `011 52 …`, `00 44 …`, `1-418-555-0100`, `(418) 555-0100`, `4185550100`) and
    /// finds its country.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        Number::from_dialed(DialedNumber::parse(text)?)
    }

    /// Finds the country of a number already read.
    pub fn from_dialed(dialed: DialedNumber) -> Result<Number, NumberError> {
        let (code_len, place) = locate(dialed.digits())?;
        Ok(Number {
            dialed,
            code_len,
            place,
        })
    }

    /// The digits to match against rate prefixes ([`crate::rating::longest_prefix`]):
    /// country code first, no international prefix, e.g. `525512345678`.
    pub fn digits(&self) -> &str {
        self.dialed.digits()
    }

    /// The country calling code, e.g. `52`.
    pub fn calling_code(&self) -> &str {
        &self.digits()[..self.code_len]
    }

    /// The digits after the calling code, e.g. `5512345678`.
    pub fn national(&self) -> &str {
        &self.digits()[self.code_len..]
    }

    /// Where it rings.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// The number as read, with how it gave its country code.
    pub fn dialed(&self) -> &DialedNumber {
        &self.dialed
    }
}

/// The length of the calling code that `digits` start with, and the place.
fn locate(digits: &str) -> Result<(usize, Place), NumberError> {
    if digits.starts_with('0') {
        return Err(NumberError::NoCountryCode);
    }
    for len in 1..=digits.len().min(3) {
        let Ok(code) = digits[..len].parse::<u16>() else {
            return Err(NumberError::Unassigned);
        };
        // Calling codes are prefix-free (no code begins another), so the first run found is
        // the only one.
        let start = ROWS.partition_point(|r| r.code < code);
        let end = start + ROWS[start..].partition_point(|r| r.code == code);
        if start < end {
            return within_code(code, start..end, &digits[len..]).map(|p| (len, p));
        }
    }
    let incomplete = digits.len() < 3
        && digits.parse::<u16>().is_ok_and(|d| {
            ROWS.iter().any(|r| {
                let len = code_len(r.code);
                len > digits.len() && r.code / 10u16.pow((len - digits.len()) as u32) == d
            })
        });
    Err(if incomplete {
        NumberError::Incomplete
    } else {
        NumberError::Unassigned
    })
}

fn code_len(code: u16) -> usize {
    match code {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

/// The place of `national` among the rows of one calling code: the rows whose prefix it
/// starts with at the greatest length, then the rows whose prefix it could still become.
fn within_code(
    code: u16,
    rows: std::ops::Range<usize>,
    national: &str,
) -> Result<Place, NumberError> {
    if code == 1 && national.starts_with(['0', '1']) {
        return Err(NumberError::Unassigned);
    }
    if rows.len() == 1 {
        return Ok(Place::Country(Country(rows.start as u16)));
    }
    let national = national.as_bytes();
    // The rows whose prefix the digits start with, the longest prefix winning; then those
    // whose prefix the digits could still become.
    let mut longest = None;
    let mut found: Vec<Country> = Vec::new();
    let mut could_be: Vec<Country> = Vec::new();
    for i in rows {
        let c = Country(i as u16);
        let (len, could) = ROWS[i].claim(national);
        if len.is_some() && len >= longest {
            if len > longest {
                longest = len;
                found.clear();
            }
            found.push(c);
        }
        if could {
            could_be.push(c);
        }
    }
    for c in could_be {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    match found.len() {
        0 => Err(NumberError::Unassigned),
        1 => Ok(Place::Country(found[0])),
        _ => Ok(Place::Ambiguous(found)),
    }
}

/// What the "calls by destination country" chart groups a CDR row under.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    /// The destination's country.
    Country(Country),
    /// A number of a code whose plan does not tell its places apart (+590).
    Ambiguous(Vec<Country>),
    /// Not a number with a country: an extension, a short code, a local number without its
    /// area code, a national number abroad.
    Unknown,
}

impl GroupKey {
    /// The English label: the name, the names joined with ` / `, or `Unknown`.
    pub fn label(&self) -> String {
        match self {
            GroupKey::Country(c) => c.name().to_owned(),
            GroupKey::Ambiguous(all) => {
                all.iter().map(|c| c.name()).collect::<Vec<_>>().join(" / ")
            }
            GroupKey::Unknown => "Unknown".to_owned(),
        }
    }
}

/// The chart group of a CDR row's destination, a number as the API stores it:
/// `4185550100`, `18445550100`, `011525512345678`, `011447…`.
///
/// Destinations are dialled the North American way, so a number without `+`, `011` or
/// `00` has a country only when it is North American: 10 digits, or 11 that start with
/// `1`. Anything else (`*97`, `100`, `5551234`) is `Unknown` rather than read as a country
/// code: `5551234` would otherwise be Brazil's +55.
pub fn group_key(destination: &str) -> GroupKey {
    let Ok(dialed) = DialedNumber::parse(destination) else {
        return GroupKey::Unknown;
    };
    let digits = dialed.digits();
    if dialed.written() == Written::Bare && !(digits.len() == 11 && digits.starts_with('1')) {
        return GroupKey::Unknown;
    }
    match Number::from_dialed(dialed).map(|n| n.place) {
        Ok(Place::Country(c)) => GroupKey::Country(c),
        Ok(Place::Ambiguous(all)) => GroupKey::Ambiguous(all),
        Err(_) => GroupKey::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn packed_rows_are_the_source() {
        assert_eq!(ROWS.len(), SOURCE.len());
        for (row, src) in ROWS.iter().zip(&SOURCE) {
            assert_eq!(row.code, src.code);
            assert_eq!(
                row.iso,
                if src.iso.is_empty() {
                    [0, 0]
                } else {
                    src.iso.as_bytes().try_into().unwrap()
                }
            );
            assert_eq!(row.name(), src.name);
            let prefixes: Vec<&[u8]> = src.prefixes.split(' ').map(str::as_bytes).collect();
            assert_eq!(row.prefixes().collect::<Vec<_>>(), prefixes);
        }
        assert_eq!(TEXT.len(), TEXT_LEN);
    }

    #[test]
    fn rows_are_sorted_and_codes_prefix_free() {
        assert!(ROWS.windows(2).all(|w| w[0].code <= w[1].code));
        let codes: Vec<String> = ROWS.iter().map(|r| r.code.to_string()).collect();
        for a in &codes {
            for b in &codes {
                assert!(a == b || !b.starts_with(a.as_str()), "+{a} begins +{b}");
            }
        }
        assert!(ROWS.iter().all(|r| (1..=999).contains(&r.code)));
    }

    #[test]
    fn each_code_has_one_row_for_its_unclaimed_numbers() {
        let mut start = 0;
        while start < ROWS.len() {
            let code = ROWS[start].code;
            let end = start + ROWS[start..].partition_point(|r| r.code == code);
            let run = &ROWS[start..end];
            let claims = |r: &Row| r.prefixes_len > 0;
            let defaults = run.iter().filter(|r| !claims(r)).count();
            // +590's places share every range: all three take the whole code.
            let expected = if code == 590 { 3 } else { 1 };
            assert_eq!(defaults, expected, "+{code}");
            assert!(!claims(&run[0]), "+{code}: the catch-all row comes first");
            let mut seen = HashSet::new();
            for r in run.iter().filter(|r| claims(r)) {
                for p in r.prefixes() {
                    let p = std::str::from_utf8(p).unwrap();
                    assert!(
                        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()),
                        "{p:?}"
                    );
                    assert!(seen.insert(p), "+{code} {p} claimed twice");
                    if code == 1 {
                        assert!(p.len() == 3 && !p.starts_with(['0', '1']), "area code {p}");
                    }
                }
            }
            start = end;
        }
    }

    #[test]
    fn names_and_iso_codes_are_unique() {
        let mut isos = HashSet::new();
        let mut names = HashSet::new();
        for r in &ROWS {
            let name = r.name();
            assert!(names.insert(name), "{name}");
            assert!(!name.is_empty() && name.trim() == name);
            if r.iso != [0, 0] {
                assert!(r.iso.iter().all(u8::is_ascii_uppercase), "{:?}", r.iso);
                assert!(isos.insert(r.iso), "{:?}", r.iso);
            }
        }
        // Nine services with codes of their own, and toll-free, have no ISO code.
        assert_eq!(ROWS.iter().filter(|r| r.iso == [0, 0]).count(), 10);
        for (iso, query) in &RATE_QUERIES {
            let c = Country::all().find(|c| c.row().iso == *iso).expect("a row");
            assert_ne!(c.name(), *query);
            assert!(query.is_ascii());
            assert_eq!(RATE_QUERIES.iter().filter(|(i, _)| i == iso).count(), 1);
        }
        // The deck's queries are plain letters: the search compares bytes.
        assert!(Country::all()
            .filter_map(Country::rate_query)
            .all(|q| q.is_ascii()));
    }

    #[test]
    fn toll_free_row() {
        let t = Country::NANP_TOLL_FREE;
        assert_eq!((t.calling_code(), t.iso(), t.rate_query()), (1, None, None));
        assert_eq!(t.name(), "North America, toll-free");
        assert!(t.is_toll_free());
        assert!(!Country::from_iso("US").unwrap().is_toll_free());
    }
}
