//! Small reusable widgets shared by the pages.

pub mod placeholder;
