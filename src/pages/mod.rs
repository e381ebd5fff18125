//! One module per routed page.

pub mod calls;
pub mod not_found;
pub mod rates;
pub mod reseller_calls;
pub mod settings;
pub mod termination_rates;
