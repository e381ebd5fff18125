//! The production proxy forwards only the methods the app calls (deploy/api-guard.js): its
//! list must be exactly the core's, or a new method would be refused in production only.

use std::collections::BTreeSet;

use cdr_core::Method;

#[test]
fn the_proxy_forwards_exactly_the_methods_the_app_calls() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/api-guard.js");
    let guard = std::fs::read_to_string(path).expect("deploy/api-guard.js");
    let start = guard
        .find("ALLOWED_METHODS = [")
        .expect("the ALLOWED_METHODS list");
    let list = &guard[start..];
    let list = &list[..list.find(']').expect("the end of the list")];
    let allowed: BTreeSet<&str> = list.split('\'').skip(1).step_by(2).collect();
    let called: BTreeSet<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    assert_eq!(allowed, called);
}
