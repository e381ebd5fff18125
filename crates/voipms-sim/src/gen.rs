//! The demo data: a fixed catalog (accounts, DIDs, clients, packages, routes, a rate deck)
//! and calls drawn from a seeded ChaCha generator.
//!
//! The calls are a pure function of [`GenParams`] (calls, seed and the end instant), so a
//! test that generates with a fixed `end` gets the same rows every time. The catalog does not
//! depend on the seed: tests and the portal's browser tests can name its ids.

use cdr_core::billing::charge;
use cdr_core::money::Money;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::dates::DAY;

/// The main account number.
pub const MAIN_ACCOUNT: &str = "100000";

/// How many days of calls the data spans, ending at [`GenParams::end`] (about four months).
pub const DAYS: i64 = 122;

/// The fixed offset of the account's business hours: US Eastern standard time, UTC-5.
pub const BUSINESS_OFFSET_SECS: i64 = -5 * 3600;

/// What the generated calls depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenParams {
    /// Number of calls.
    pub calls: u64,
    /// Seed of the ChaCha generator.
    pub seed: u64,
    /// The instant (epoch seconds) the data ends at: no call is later.
    pub end: i64,
}

/// Call outcome, stored as its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// The call was answered.
    Answered = 0,
    /// Nobody answered.
    NoAnswer = 1,
    /// The line was busy.
    Busy = 2,
    /// The call failed.
    Failed = 3,
}

impl Disposition {
    /// All four, in the order of the request flags (answered, noanswer, busy, failed).
    pub const ALL: [Disposition; 4] = [
        Disposition::Answered,
        Disposition::NoAnswer,
        Disposition::Busy,
        Disposition::Failed,
    ];

    /// The text of the `disposition` field.
    pub const fn as_str(self) -> &'static str {
        match self {
            Disposition::Answered => "ANSWERED",
            Disposition::NoAnswer => "NO ANSWER",
            Disposition::Busy => "BUSY",
            Disposition::Failed => "FAILED",
        }
    }

    /// The disposition stored as `code`; unknown codes read as FAILED.
    pub const fn from_code(code: i64) -> Disposition {
        match code {
            0 => Disposition::Answered,
            1 => Disposition::NoAnswer,
            2 => Disposition::Busy,
            _ => Disposition::Failed,
        }
    }
}

/// A reseller client (what getClients returns).
#[derive(Clone, Debug)]
pub struct Client {
    /// Client id, e.g. `561115`.
    pub id: &'static str,
    /// Login e-mail.
    pub email: &'static str,
    /// The client's portal password: the real getClients returns it, so the simulator does
    /// too, and the portal must never show or log it.
    pub password: &'static str,
    /// Company name.
    pub company: &'static str,
    /// First name.
    pub firstname: &'static str,
    /// Last name.
    pub lastname: &'static str,
    /// Phone number.
    pub phone_number: &'static str,
    /// Street address.
    pub address: &'static str,
    /// City.
    pub city: &'static str,
    /// Province or state.
    pub state: &'static str,
    /// Country code.
    pub country: &'static str,
    /// Postal code.
    pub zip: &'static str,
    /// `1` when the reseller manages the balance.
    pub balance_management: &'static str,
    /// Caller-ID name on the client's outbound calls.
    pub caller_name: &'static str,
    /// Share of all calls that are this client's (per mille of all calls).
    pub call_share: u32,
}

/// An account or sub-account that calls are made from.
#[derive(Clone, Debug)]
pub struct Account {
    /// Account value, e.g. `100000_VoIP`.
    pub account: &'static str,
    /// Owning reseller client; empty for the main account's own accounts.
    pub client: &'static str,
    /// Relative share of the owner's outbound calls.
    pub weight: u32,
}

/// A phone number of the account or of a client.
#[derive(Clone, Debug)]
pub struct Did {
    /// Ten-digit NANP number.
    pub did: &'static str,
    /// Owning reseller client; empty for the main account.
    pub client: &'static str,
    /// The account the DID rings.
    pub account: &'static str,
    /// Toll-free numbers cost the receiver per minute.
    pub toll_free: bool,
    /// ISO 3166 alpha-3 country.
    pub country: &'static str,
    /// Per-minute rate of inbound calls (0 for flat-rate DIDs).
    pub rate: &'static str,
}

/// A termination route.
#[derive(Clone, Debug)]
pub struct Route {
    /// Route code.
    pub value: &'static str,
    /// Route name.
    pub description: &'static str,
}

/// A reseller package (what getPackages returns).
#[derive(Clone, Debug)]
pub struct Package {
    /// Package id.
    pub id: &'static str,
    /// Package name.
    pub name: &'static str,
    /// Fixed per-minute markup.
    pub markup_fixed: &'static str,
    /// Percent markup.
    pub markup_percentage: u32,
    /// Billing increment in seconds.
    pub pulse: u32,
    /// Route of international calls.
    pub international_route: &'static str,
    /// Route of Canada and USA calls.
    pub canada_route: &'static str,
    /// Monthly fee.
    pub monthly_fee: &'static str,
    /// Set-up fee.
    pub setup_fee: &'static str,
    /// Free minutes a month.
    pub free_minutes: u32,
}

/// One destination of the rate deck.
#[derive(Clone, Debug)]
pub struct Destination {
    /// Name, e.g. `Canada - 418 Quebec City`.
    pub name: &'static str,
    /// Dialling prefix, e.g. `1418`.
    pub prefix: &'static str,
    /// ISO 3166 alpha-3 country (for `destination_type`).
    pub country: &'static str,
    /// Per-minute rate on the Value route.
    pub value_rate: &'static str,
    /// Billing increment in seconds.
    pub increment: u32,
}

impl Destination {
    /// Whether the destination is Canada or the USA (billed on a package's Canada route).
    pub fn is_canada_usa(&self) -> bool {
        matches!(self.country, "CAN" | "USA")
    }

    /// The per-minute rate on `route` (`1` Value, `2` Premium).
    ///
    /// Premium is the Value rate times 1.7, rounded up to 10⁻⁴: dearer, as the real
    /// premium routes are, and still a price with four decimals.
    pub fn rate_on(&self, route: &str) -> Money {
        let value = money(self.value_rate);
        if route == "2" {
            Money::from_units(round_up_to(value.units() * 17 / 10, 10_000))
        } else {
            value
        }
    }
}

fn round_up_to(units: i64, step: i64) -> i64 {
    (units + step - 1) / step * step
}

/// Parses a money literal of the catalog.
///
/// # Panics
/// On a malformed literal: the catalog is fixed text, covered by the tests.
pub fn money(text: &str) -> Money {
    Money::parse(text).expect("catalog money literal")
}

impl Package {
    /// The route this package bills a destination on.
    pub fn route_for(&self, dest: &Destination) -> &'static str {
        if dest.is_canada_usa() {
            self.canada_route
        } else {
            self.international_route
        }
    }

    /// The client's per-minute rate and increment for a destination: the real rate of the
    /// package's route plus the markups, rounded up to 10⁻⁴.
    pub fn client_rate(&self, dest: &Destination) -> (Money, u32) {
        let real = dest.rate_on(self.route_for(dest)).units();
        let marked =
            real * i64::from(100 + self.markup_percentage) / 100 + money(self.markup_fixed).units();
        (
            Money::from_units(round_up_to(marked, 10_000)),
            self.pulse.max(dest.increment),
        )
    }
}

/// Everything that is not calls.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// Reseller clients.
    pub clients: Vec<Client>,
    /// Accounts of the main account and of the clients.
    pub accounts: Vec<Account>,
    /// DIDs of the main account and of the clients.
    pub dids: Vec<Did>,
    /// Termination routes.
    pub routes: Vec<Route>,
    /// Packages.
    pub packages: Vec<Package>,
    /// Which client may use which package, `(client, package)`.
    pub client_packages: Vec<(&'static str, &'static str)>,
    /// The rate deck.
    pub destinations: Vec<Destination>,
}

impl Catalog {
    /// The demo catalog.
    pub fn demo() -> Catalog {
        Catalog {
            clients: clients(),
            accounts: accounts(),
            dids: dids(),
            routes: vec![
                Route {
                    value: "1",
                    description: "Value",
                },
                Route {
                    value: "2",
                    description: "Premium",
                },
            ],
            packages: packages(),
            client_packages: vec![
                ("561115", "92364"),
                ("561116", "92365"),
                ("561116", "92364"),
                ("561117", "92366"),
            ],
            destinations: destinations(),
        }
    }

    /// The package that bills a client's calls (its first one).
    pub fn billing_package(&self, client: &str) -> Option<&Package> {
        let id = self
            .client_packages
            .iter()
            .find(|(c, _)| *c == client)
            .map(|(_, p)| *p)?;
        self.packages.iter().find(|p| p.id == id)
    }
}

fn clients() -> Vec<Client> {
    vec![
        Client {
            id: "561115",
            email: "jane.roy@northwind-dental.example.com",
            password: "Nw-client-pass-1",
            company: "Northwind Dental",
            firstname: "Jane",
            lastname: "Roy",
            phone_number: "5145550171",
            address: "1200 Rue Sainte-Catherine O",
            city: "Montreal",
            state: "QC",
            country: "CA",
            zip: "H3B 1K9",
            balance_management: "1",
            caller_name: "Northwind Dental",
            call_share: 100,
        },
        Client {
            id: "561116",
            email: "mike.chen@harbour-logistics.example.com",
            password: "Hl-client-pass-2",
            company: "Harbour Logistics Ltd.",
            firstname: "Mike",
            lastname: "Chen",
            phone_number: "6045550110",
            address: "88 Pacific Blvd",
            city: "Vancouver",
            state: "BC",
            country: "CA",
            zip: "V6Z 2R6",
            balance_management: "1",
            caller_name: "Harbour Logistics",
            call_share: 140,
        },
        Client {
            id: "561117",
            email: "sofia.garcia@casa-garcia.example.com",
            password: "Cg-client-pass-3",
            company: "Casa Garcia Imports",
            firstname: "Sofia",
            lastname: "Garcia",
            phone_number: "2135550134",
            address: "455 S Alameda St",
            city: "Los Angeles",
            state: "CA",
            country: "US",
            zip: "90013",
            balance_management: "0",
            caller_name: "Casa Garcia",
            call_share: 60,
        },
        // A client that is not set up yet: no account, DID, package or call, so that the
        // empty-result codes (no_account, no_package, no_cdr) have a natural case.
        Client {
            id: "561118",
            email: "pending@new-client.example.com",
            password: "Pn-client-pass-4",
            company: "Pending Setup Inc.",
            firstname: "Alex",
            lastname: "Martin",
            phone_number: "4165550150",
            address: "1 Yonge St",
            city: "Toronto",
            state: "ON",
            country: "CA",
            zip: "M5E 1E5",
            balance_management: "0",
            caller_name: "Pending Setup",
            call_share: 0,
        },
    ]
}

/// Caller-ID name on the main account's outbound calls.
pub const MAIN_CALLER_NAME: &str = "Demo Telecom";

fn accounts() -> Vec<Account> {
    let a = |account, client, weight| Account {
        account,
        client,
        weight,
    };
    vec![
        a(MAIN_ACCOUNT, "", 5),
        a("100000_VoIP", "", 45),
        a("100000_Office", "", 20),
        a("100000_Sales", "", 20),
        a("100000_Support", "", 10),
        a("561115_Main", "561115", 70),
        a("561115_Reception", "561115", 30),
        a("561116_Main", "561116", 40),
        a("561116_Dispatch", "561116", 40),
        a("561116_Warehouse", "561116", 20),
        a("561117_Main", "561117", 100),
    ]
}

fn dids() -> Vec<Did> {
    let d = |did, client, account, toll_free, country, rate| Did {
        did,
        client,
        account,
        toll_free,
        country,
        rate,
    };
    vec![
        d("5145550142", "", "100000_VoIP", false, "CAN", "0"),
        d("4385550199", "", "100000_Office", false, "CAN", "0.0085"),
        d("4185550117", "", "100000_Sales", false, "CAN", "0.0085"),
        d("6135550128", "", "100000_VoIP", false, "CAN", "0"),
        d("2125550163", "", "100000_Sales", false, "USA", "0.0090"),
        d("8445550100", "", "100000_Support", true, "USA", "0.0190"),
        d(
            "5145550171",
            "561115",
            "561115_Reception",
            false,
            "CAN",
            "0",
        ),
        d(
            "5145550172",
            "561115",
            "561115_Main",
            false,
            "CAN",
            "0.0085",
        ),
        d("6045550110", "561116", "561116_Main", false, "CAN", "0"),
        d(
            "7785550123",
            "561116",
            "561116_Dispatch",
            false,
            "CAN",
            "0.0085",
        ),
        d(
            "8885550190",
            "561116",
            "561116_Dispatch",
            true,
            "USA",
            "0.0190",
        ),
        d(
            "2135550134",
            "561117",
            "561117_Main",
            false,
            "USA",
            "0.0090",
        ),
    ]
}

fn packages() -> Vec<Package> {
    vec![
        Package {
            id: "92364",
            name: "Standard",
            markup_fixed: "0.01",
            markup_percentage: 0,
            pulse: 60,
            international_route: "1",
            canada_route: "1",
            monthly_fee: "0",
            setup_fee: "0",
            free_minutes: 0,
        },
        Package {
            id: "92365",
            name: "Business Premium",
            markup_fixed: "0.005",
            markup_percentage: 20,
            pulse: 6,
            international_route: "2",
            canada_route: "2",
            monthly_fee: "4.95",
            setup_fee: "10",
            free_minutes: 500,
        },
        Package {
            id: "92366",
            name: "Budget",
            markup_fixed: "0.002",
            markup_percentage: 35,
            pulse: 30,
            international_route: "1",
            canada_route: "1",
            monthly_fee: "1.50",
            setup_fee: "0",
            free_minutes: 0,
        },
    ]
}

/// The rate deck: Canada and USA area codes, then international destinations.
fn destinations() -> Vec<Destination> {
    const CAN: &[(&str, &str, &str)] = &[
        ("204", "Manitoba", "0.0052"),
        ("226", "Ontario", "0.0052"),
        ("236", "British Columbia", "0.0052"),
        ("250", "British Columbia", "0.0052"),
        ("289", "Ontario", "0.0052"),
        ("306", "Saskatchewan", "0.0052"),
        ("343", "Ottawa", "0.0052"),
        ("365", "Ontario", "0.0052"),
        ("403", "Calgary", "0.0052"),
        ("416", "Toronto", "0.0052"),
        ("418", "Quebec City", "0.0052"),
        ("431", "Manitoba", "0.0052"),
        ("437", "Toronto", "0.0052"),
        ("438", "Montreal", "0.0052"),
        ("450", "Quebec", "0.0052"),
        ("506", "New Brunswick", "0.0052"),
        ("514", "Montreal", "0.0052"),
        ("519", "Ontario", "0.0052"),
        ("548", "Ontario", "0.0052"),
        ("579", "Quebec", "0.0052"),
        ("581", "Quebec City", "0.0052"),
        ("587", "Alberta", "0.0052"),
        ("604", "Vancouver", "0.0052"),
        ("613", "Ottawa", "0.0052"),
        ("639", "Saskatchewan", "0.0052"),
        ("647", "Toronto", "0.0052"),
        ("705", "Ontario", "0.0052"),
        ("709", "Newfoundland", "0.0075"),
        ("778", "British Columbia", "0.0052"),
        ("780", "Edmonton", "0.0052"),
        ("782", "Nova Scotia", "0.0060"),
        ("807", "Ontario", "0.0052"),
        ("819", "Quebec", "0.0052"),
        ("825", "Alberta", "0.0052"),
        ("867", "Northern Territories", "0.0350"),
        ("873", "Quebec", "0.0052"),
        ("902", "Nova Scotia", "0.0060"),
        ("905", "Ontario", "0.0052"),
    ];
    const USA: &[(&str, &str, &str)] = &[
        ("201", "New Jersey", "0.0085"),
        ("202", "Washington DC", "0.0085"),
        ("206", "Seattle", "0.0085"),
        ("212", "New York", "0.0085"),
        ("213", "Los Angeles", "0.0085"),
        ("214", "Dallas", "0.0085"),
        ("215", "Philadelphia", "0.0085"),
        ("303", "Denver", "0.0085"),
        ("305", "Miami", "0.0085"),
        ("310", "Los Angeles", "0.0085"),
        ("312", "Chicago", "0.0085"),
        ("313", "Detroit", "0.0085"),
        ("404", "Atlanta", "0.0085"),
        ("415", "San Francisco", "0.0085"),
        ("469", "Dallas", "0.0085"),
        ("503", "Portland", "0.0085"),
        ("512", "Austin", "0.0085"),
        ("602", "Phoenix", "0.0085"),
        ("612", "Minneapolis", "0.0085"),
        ("617", "Boston", "0.0085"),
        ("646", "New York", "0.0085"),
        ("702", "Las Vegas", "0.0085"),
        ("713", "Houston", "0.0085"),
        ("718", "New York", "0.0085"),
        ("786", "Miami", "0.0085"),
        ("801", "Salt Lake City", "0.0085"),
        ("808", "Hawaii", "0.0200"),
        ("858", "San Diego", "0.0085"),
        ("907", "Alaska", "0.0450"),
        ("917", "New York", "0.0085"),
    ];
    const INTL: &[(&str, &str, &str, &str, u32)] = &[
        ("United Kingdom", "44", "GBR", "0.0150", 6),
        ("United Kingdom - London", "4420", "GBR", "0.0100", 6),
        ("United Kingdom - Mobile", "447", "GBR", "0.0250", 6),
        ("France", "33", "FRA", "0.0120", 6),
        ("France - Paris", "331", "FRA", "0.0100", 6),
        ("France - Mobile", "336", "FRA", "0.0300", 6),
        ("France - Mobile", "337", "FRA", "0.0300", 6),
        ("Mexico", "52", "MEX", "0.0150", 60),
        ("Mexico - Mexico City", "5255", "MEX", "0.0090", 60),
        ("Mexico - Guadalajara", "5233", "MEX", "0.0110", 60),
        ("Mexico - Mobile", "521", "MEX", "0.0280", 60),
        ("Germany", "49", "DEU", "0.0110", 6),
        ("Germany - Mobile", "4915", "DEU", "0.0450", 6),
        ("Germany - Mobile", "4916", "DEU", "0.0450", 6),
        ("Germany - Mobile", "4917", "DEU", "0.0450", 6),
        ("Spain", "34", "ESP", "0.0110", 6),
        ("Spain - Mobile", "346", "ESP", "0.0220", 6),
        ("Spain - Mobile", "347", "ESP", "0.0220", 6),
        ("Italy", "39", "ITA", "0.0120", 6),
        ("Italy - Mobile", "393", "ITA", "0.0350", 6),
        ("Portugal", "351", "PRT", "0.0140", 6),
        ("Ireland", "353", "IRL", "0.0150", 6),
        ("Ireland - Mobile", "3538", "IRL", "0.0350", 6),
        ("Netherlands", "31", "NLD", "0.0160", 6),
        ("Netherlands - Mobile", "316", "NLD", "0.0500", 6),
        ("Belgium", "32", "BEL", "0.0170", 6),
        ("Belgium - Mobile", "324", "BEL", "0.0450", 6),
        ("Switzerland", "41", "CHE", "0.0200", 6),
        ("Switzerland - Mobile", "417", "CHE", "0.0900", 6),
        ("Poland", "48", "POL", "0.0150", 6),
        ("Sweden", "46", "SWE", "0.0150", 6),
        ("Norway", "47", "NOR", "0.0150", 6),
        ("Denmark", "45", "DNK", "0.0150", 6),
        ("Greece", "30", "GRC", "0.0150", 6),
        ("Turkey", "90", "TUR", "0.0800", 6),
        ("Russia", "7", "RUS", "0.0600", 6),
        ("Israel", "972", "ISR", "0.0150", 6),
        ("Egypt", "20", "EGY", "0.1500", 6),
        ("Morocco", "212", "MAR", "0.2000", 6),
        ("Nigeria", "234", "NGA", "0.1200", 6),
        ("South Africa", "27", "ZAF", "0.0400", 6),
        ("India", "91", "IND", "0.0180", 6),
        ("India - Mobile", "917", "IND", "0.0160", 6),
        ("India - Mobile", "918", "IND", "0.0160", 6),
        ("India - Mobile", "919", "IND", "0.0160", 6),
        ("Pakistan", "92", "PAK", "0.0800", 6),
        ("Philippines", "63", "PHL", "0.1300", 6),
        ("Philippines - Mobile", "639", "PHL", "0.1700", 6),
        ("Vietnam", "84", "VNM", "0.0900", 6),
        ("China", "86", "CHN", "0.0150", 6),
        ("Hong Kong", "852", "HKG", "0.0120", 6),
        ("Japan", "81", "JPN", "0.0300", 6),
        ("Japan - Mobile", "8190", "JPN", "0.0750", 6),
        ("South Korea", "82", "KOR", "0.0200", 6),
        ("Singapore", "65", "SGP", "0.0100", 6),
        ("Australia", "61", "AUS", "0.0200", 6),
        ("Australia - Mobile", "614", "AUS", "0.0400", 6),
        ("New Zealand", "64", "NZL", "0.0300", 6),
        ("Brazil", "55", "BRA", "0.0250", 6),
        ("Brazil - Sao Paulo", "5511", "BRA", "0.0150", 6),
        ("Argentina", "54", "ARG", "0.0300", 6),
        ("Chile", "56", "CHL", "0.0250", 6),
        ("Colombia", "57", "COL", "0.0300", 6),
        ("Peru", "51", "PER", "0.0250", 6),
        ("Cuba", "53", "CUB", "0.9500", 60),
        ("Haiti", "509", "HTI", "0.2500", 60),
        ("Dominican Republic", "1809", "DOM", "0.0500", 6),
        ("Jamaica", "1876", "JAM", "0.1500", 6),
    ];
    // Names and prefixes must live as long as the catalog: leaked once per process, which is
    // a few kilobytes, rather than threading lifetimes through every table.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut out = Vec::with_capacity(CAN.len() + USA.len() + INTL.len());
    for (country, iso, table) in [("Canada", "CAN", CAN), ("USA", "USA", USA)] {
        for &(npa, city, rate) in table {
            out.push(Destination {
                name: leak(format!("{country} - {npa} {city}")),
                prefix: leak(format!("1{npa}")),
                country: iso,
                value_rate: rate,
                increment: 6,
            });
        }
    }
    for &(name, prefix, country, rate, increment) in INTL {
        out.push(Destination {
            name,
            prefix,
            country,
            value_rate: rate,
            increment,
        });
    }
    out
}

const FIRST_NAMES: &[&str] = &[
    "John",
    "Jane",
    "Marc",
    "Sophie",
    "Luc",
    "Chloe",
    "David",
    "Emma",
    "Olivier",
    "Noah",
    "Liam",
    "Olivia",
    "William",
    "Ava",
    "James",
    "Isabelle",
    "Benjamin",
    "Mia",
    "Lucas",
    "Charlotte",
    "Henry",
    "Amelia",
    "Gabriel",
    "Lea",
    "Samuel",
    "Camille",
    "Daniel",
    "Zoe",
    "Matthew",
    "Alice",
    "Ethan",
    "Nora",
    "Jacob",
    "Laura",
    "Thomas",
    "Julie",
    "Nathan",
    "Maya",
    "Raj",
    "Priya",
    "Wei",
    "Mei",
    "Ahmed",
    "Fatima",
    "Carlos",
    "Lucia",
];

const LAST_NAMES: &[&str] = &[
    "Doe",
    "Smith",
    "Tremblay",
    "Gagnon",
    "Roy",
    "Cote",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagne",
    "Ouellet",
    "Pelletier",
    "Belanger",
    "Levesque",
    "Brown",
    "Wilson",
    "Taylor",
    "Martin",
    "Lee",
    "White",
    "Thompson",
    "Anderson",
    "Clark",
    "Patel",
    "Singh",
    "Nguyen",
    "Wong",
    "Garcia",
    "Rodriguez",
    "Lopez",
    "Kim",
    "Chen",
    "Khan",
    "Murphy",
    "Kelly",
    "Campbell",
    "Stewart",
    "Young",
];

/// Caller IDs that exercise a client's escaping and decoding, on a fixed share of rows.
///
/// Row `i` (in time order) gets `ODD_CALLER_IDS[k].1` when `i % ODD_PERIOD == ODD_CALLER_IDS[k].0`.
pub const ODD_CALLER_IDS: &[(u64, &str)] = &[
    (17, "\"<script>alert(1)</script>\" <5145550666>"),
    (101, "\"O'Brien & Sons \\\"Ltd\\\"\" <4165550199>"),
    (233, ""),
    (389, "\"Zoë Ångström 山田\" <+442071234567>"),
    (457, "Anonymous"),
];

/// The period of [`ODD_CALLER_IDS`].
pub const ODD_PERIOD: u64 = 500;

/// One generated call, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdrRow {
    /// Start instant, UTC epoch seconds.
    pub ts: i64,
    /// Owning reseller client; empty for the main account.
    pub client: &'static str,
    /// Account the call belongs to.
    pub account: &'static str,
    /// True for outbound calls.
    pub outbound: bool,
    /// The DID an inbound call rang; `None` for outbound calls.
    pub did: Option<&'static str>,
    /// Caller display.
    pub callerid: String,
    /// Dialled or called number.
    pub destination: String,
    /// e.g. `Inbound - Local Caller`.
    pub description: &'static str,
    /// Outcome.
    pub disposition: Disposition,
    /// Real call length.
    pub seconds: u32,
    /// Per-minute rate.
    pub rate: Money,
    /// Charge, from [`cdr_core::billing::charge`].
    pub total: Money,
    /// Call id.
    pub uniqueid: String,
    /// e.g. `IN:USA`, `OUT:GBR`.
    pub destination_type: String,
}

/// Picks an index with probability proportional to its weight.
struct Weighted {
    cumulative: Vec<u32>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = u32>) -> Self {
        let mut total = 0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0).max(1);
        let x = rng.random_range(0..total);
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Who a call belongs to: the main account or one reseller client, with what its calls need.
struct Owner<'a> {
    client: &'static str,
    accounts: Vec<&'static str>,
    account_weights: Weighted,
    dids: Vec<&'a Did>,
    caller_name: &'static str,
    caller_number: &'static str,
    package: Option<&'a Package>,
}

/// Draws the calls of [`GenParams`] in time order (oldest first).
pub struct CdrGenerator<'a> {
    catalog: &'a Catalog,
    rng: ChaCha8Rng,
    timestamps: std::vec::IntoIter<i64>,
    index: u64,
    owners: Vec<Owner<'a>>,
    owner_weights: Weighted,
    outbound_weights: Weighted,
    nanp: Vec<&'a Destination>,
}

impl<'a> CdrGenerator<'a> {
    /// Draws the call instants (sorted) and prepares the per-call draws.
    pub fn new(catalog: &'a Catalog, params: GenParams) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
        let mut timestamps = draw_instants(&mut rng, params);
        timestamps.sort_unstable();
        let clients_share: u32 = catalog.clients.iter().map(|c| c.call_share).sum();
        let mut shares = vec![("", MAIN_CALLER_NAME, 1000u32.saturating_sub(clients_share))];
        shares.extend(
            catalog
                .clients
                .iter()
                .filter(|c| c.call_share > 0)
                .map(|c| (c.id, c.caller_name, c.call_share)),
        );
        let owners: Vec<Owner> = shares
            .iter()
            .map(|&(client, caller_name, _)| {
                let accounts: Vec<&Account> = catalog
                    .accounts
                    .iter()
                    .filter(|a| a.client == client)
                    .collect();
                let dids: Vec<&Did> = catalog.dids.iter().filter(|d| d.client == client).collect();
                Owner {
                    client,
                    account_weights: Weighted::new(accounts.iter().map(|a| a.weight)),
                    accounts: accounts.iter().map(|a| a.account).collect(),
                    caller_number: dids
                        .iter()
                        .find(|d| !d.toll_free)
                        .map_or("5145550142", |d| d.did),
                    dids,
                    caller_name,
                    package: if client.is_empty() {
                        None
                    } else {
                        catalog.billing_package(client)
                    },
                }
            })
            .collect();
        // Mostly local calls, as a Canadian business makes them.
        let outbound_weights =
            Weighted::new(catalog.destinations.iter().map(|d| match d.country {
                "CAN" => 6,
                "USA" => 4,
                _ => 1,
            }));
        let nanp = catalog
            .destinations
            .iter()
            .filter(|d| d.is_canada_usa())
            .collect();
        CdrGenerator {
            catalog,
            rng,
            timestamps: timestamps.into_iter(),
            index: 0,
            owner_weights: Weighted::new(shares.iter().map(|s| s.2)),
            owners,
            outbound_weights,
            nanp,
        }
    }

    fn nanp_number(&mut self) -> String {
        let dest = self.nanp[self.rng.random_range(0..self.nanp.len())];
        let exchange = self.rng.random_range(200..1000);
        let line = self.rng.random_range(0..10_000);
        format!("{}{exchange:03}{line:04}", &dest.prefix[1..])
    }

    fn external_callerid(&mut self) -> String {
        let number = self.nanp_number();
        let roll = self.rng.random_range(0..100);
        if roll < 60 {
            let first = FIRST_NAMES[self.rng.random_range(0..FIRST_NAMES.len())];
            let last = LAST_NAMES[self.rng.random_range(0..LAST_NAMES.len())];
            format!("\"{first} {last}\" <{number}>")
        } else if roll < 95 {
            number
        } else {
            format!("1{number}")
        }
    }

    fn answered_seconds(&mut self) -> u32 {
        let roll = self.rng.random_range(0..100);
        match roll {
            0..15 => self.rng.random_range(1..30),
            15..75 => self.rng.random_range(30..300),
            75..97 => self.rng.random_range(300..1800),
            _ => self.rng.random_range(1800..7200),
        }
    }
}

impl Iterator for CdrGenerator<'_> {
    type Item = CdrRow;

    fn next(&mut self) -> Option<CdrRow> {
        let ts = self.timestamps.next()?;
        let i = self.index;
        self.index += 1;
        let catalog = self.catalog;

        let owner_index = self.owner_weights.pick(&mut self.rng);
        let outbound =
            self.rng.random_range(0..100) < 45 || self.owners[owner_index].dids.is_empty();

        let disposition = match self.rng.random_range(0..100) {
            0..78 => Disposition::Answered,
            78..90 => Disposition::NoAnswer,
            90..96 => Disposition::Busy,
            _ => Disposition::Failed,
        };
        let seconds = if disposition == Disposition::Answered {
            self.answered_seconds()
        } else {
            0
        };

        let (account, did, mut callerid, destination, description, rate, increment, dtype);
        if outbound {
            let owner = &self.owners[owner_index];
            account = owner.accounts[owner.account_weights.pick(&mut self.rng)];
            did = None;
            let dest = &catalog.destinations[self.outbound_weights.pick(&mut self.rng)];
            destination = if dest.prefix.starts_with('1') {
                let exchange = self.rng.random_range(200..1000);
                let line = self.rng.random_range(0..10_000);
                format!("{}{exchange:03}{line:04}", &dest.prefix[1..])
            } else {
                let width = (dest.prefix.len() + 6).max(11) - dest.prefix.len();
                let rest = self.rng.next_u64() % 10u64.pow(width as u32);
                format!("011{}{rest:0width$}", dest.prefix)
            };
            description = if dest.is_canada_usa() {
                "Outbound - Customer"
            } else {
                "Outbound - International"
            };
            // Reseller clients pay their package's price; the main account pays Value.
            let owner = &self.owners[owner_index];
            (rate, increment) = match owner.package {
                Some(package) => package.client_rate(dest),
                None => (dest.rate_on("1"), dest.increment),
            };
            let (name, number) = (owner.caller_name, owner.caller_number);
            callerid = if self.rng.random_range(0..100) < 70 {
                format!("\"{name}\" <{number}>")
            } else {
                number.to_owned()
            };
            dtype = format!("OUT:{}", dest.country);
        } else {
            let owner = &self.owners[owner_index];
            let d = owner.dids[self.rng.random_range(0..owner.dids.len())];
            account = d.account;
            did = Some(d.did);
            callerid = self.external_callerid();
            destination = d.did.to_owned();
            description = if d.toll_free {
                "Inbound - Toll Free"
            } else {
                "Inbound - Local Caller"
            };
            rate = money(d.rate);
            increment = 6;
            dtype = format!("IN:{}", d.country);
        }
        if let Some((_, odd)) = ODD_CALLER_IDS.iter().find(|(k, _)| i % ODD_PERIOD == *k) {
            callerid = (*odd).to_owned();
        }
        // The catalog's rates are cents a minute: no charge of theirs leaves the range.
        let total = charge(seconds, increment, rate).unwrap_or_default();
        // A few ids carry letters, as the live service's do.
        let uniqueid = if self.rng.random_range(0..100) < 3 {
            format!(
                "{}x{:05}i{}c",
                12_900_000 + i,
                self.rng.random_range(0..100_000),
                self.rng.random_range(0..10)
            )
        } else {
            (128_000_000 + i * 7 + self.rng.random_range(0..7)).to_string()
        };
        Some(CdrRow {
            ts,
            client: self.owners[owner_index].client,
            account,
            outbound,
            did,
            callerid,
            destination,
            description,
            disposition,
            seconds,
            rate,
            total,
            uniqueid,
            destination_type: dtype,
        })
    }
}

/// Relative call volume of each hour of a business day (local time).
const HOUR_WEIGHTS: [u64; 24] = [
    1, 1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 12, 11, 12, 12, 12, 11, 8, 5, 4, 3, 2, 2, 1,
];

/// Draws `calls` instants over the [`DAYS`] days ending at `end`, weighted towards business
/// hours on weekdays in the account's local time ([`BUSINESS_OFFSET_SECS`]).
fn draw_instants(rng: &mut ChaCha8Rng, params: GenParams) -> Vec<i64> {
    let last_day = (params.end + BUSINESS_OFFSET_SECS).div_euclid(DAY);
    let first_day = last_day - (DAYS - 1);
    // One cumulative weight per (day, hour) slot; a binary search picks a slot.
    let mut cumulative = Vec::with_capacity(DAYS as usize * 24);
    let mut total = 0u64;
    for day in first_day..=last_day {
        // 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
        let weekday = (day + 3).rem_euclid(7);
        let day_weight = match weekday {
            5 => 3,
            6 => 2,
            _ => 10,
        };
        for hour in 0..24 {
            let start = day * DAY + hour * 3600 - BUSINESS_OFFSET_SECS;
            if start <= params.end {
                total += day_weight * HOUR_WEIGHTS[hour as usize];
            }
            cumulative.push(total);
        }
    }
    let mut out = Vec::with_capacity(params.calls as usize);
    while (out.len() as u64) < params.calls {
        let x = rng.random_range(0..total);
        let slot = cumulative.partition_point(|&c| c <= x) as i64;
        let ts = (first_day * DAY + slot * 3600 - BUSINESS_OFFSET_SECS) + rng.random_range(0..3600);
        // The slot of `end` is only partly in the past: draw again past `end`.
        if ts <= params.end {
            out.push(ts);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: i64 = 1_735_000_000;

    fn rows(calls: u64, seed: u64) -> Vec<CdrRow> {
        let catalog = Catalog::demo();
        CdrGenerator::new(
            &catalog,
            GenParams {
                calls,
                seed,
                end: END,
            },
        )
        .collect()
    }

    #[test]
    fn deterministic_per_seed() {
        assert_eq!(rows(500, 3), rows(500, 3));
        assert_ne!(rows(500, 3), rows(500, 4));
    }

    #[test]
    fn rows_are_sane() {
        let rows = rows(5000, 1);
        assert_eq!(rows.len(), 5000);
        let first = END - DAYS * DAY - DAY;
        let mut ids = std::collections::HashSet::new();
        for (i, r) in rows.iter().enumerate() {
            assert!(r.ts <= END && r.ts > first, "{}", r.ts);
            if i > 0 {
                assert!(rows[i - 1].ts <= r.ts);
            }
            assert!(ids.insert(r.uniqueid.clone()), "duplicate {}", r.uniqueid);
            if r.disposition != Disposition::Answered {
                assert_eq!((r.seconds, r.total), (0, Money::ZERO));
            }
            assert_eq!(r.outbound, r.destination_type.starts_with("OUT:"));
            assert_eq!(r.did.is_some(), !r.outbound);
        }
        let answered = rows
            .iter()
            .filter(|r| r.disposition == Disposition::Answered)
            .count();
        assert!((3500..4300).contains(&answered), "{answered}");
        assert!(rows.iter().any(|r| r.uniqueid.contains('x')));
        assert!(rows.iter().any(|r| r.callerid.contains("<script>")));
        assert!(rows.iter().any(|r| !r.client.is_empty()));
        assert!(rows.iter().any(|r| r.total.is_zero() && r.seconds > 0));
        assert!(rows.iter().any(|r| !r.total.is_zero()));
    }

    #[test]
    fn business_hours_dominate() {
        let rows = rows(5000, 2);
        let in_hours = rows
            .iter()
            .filter(|r| {
                let local = r.ts + BUSINESS_OFFSET_SECS;
                let hour = local.rem_euclid(DAY) / 3600;
                let weekday = (local.div_euclid(DAY) + 3).rem_euclid(7);
                (9..17).contains(&hour) && weekday < 5
            })
            .count();
        assert!(in_hours * 2 > rows.len(), "{in_hours}");
    }

    #[test]
    fn deck_is_well_formed() {
        let catalog = Catalog::demo();
        let deck = &catalog.destinations;
        assert!((80..=200).contains(&deck.len()), "{}", deck.len());
        let quebec = deck.iter().find(|d| d.prefix == "1418").unwrap();
        assert_eq!(quebec.name, "Canada - 418 Quebec City");
        assert!(deck
            .iter()
            .any(|d| d.name == "USA - 212 New York" && d.prefix == "1212"));
        for d in deck {
            assert!(d.prefix.bytes().all(|b| b.is_ascii_digit()), "{}", d.name);
            assert!(d.rate_on("2") > d.rate_on("1"), "{}", d.name);
            for p in &catalog.packages {
                let (rate, inc) = p.client_rate(d);
                assert!(rate >= d.rate_on(p.route_for(d)));
                assert!(inc >= d.increment);
            }
        }
        let mut prefixes: Vec<_> = deck.iter().map(|d| d.prefix).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), deck.len());
        assert_eq!(
            deck.iter().find(|d| d.prefix == "52").unwrap().increment,
            60
        );
    }
}
