//! Small reusable widgets shared by the pages.

pub mod charts;
pub mod download;
pub mod explain;
pub mod explorer;
pub mod filters;
pub mod form;
pub mod grid;
pub mod placeholder;
pub mod rate_number;
pub mod rate_table;
pub mod summary;
