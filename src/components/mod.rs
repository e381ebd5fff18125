//! Small reusable widgets shared by the pages.

pub mod charts;
pub mod download;
pub mod explorer;
pub mod filters;
pub mod grid;
pub mod placeholder;
pub mod summary;
