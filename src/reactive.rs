//! A type-erased front door to Leptos' effects.
//!
//! Each `Effect::new` call site compiles its own copy of the reactive
//! machinery around its closure; going through one boxed closure type instead shares a
//! single copy among all callers, which keeps the wasm bundle small.

use leptos::prelude::*;

/// Runs `f` after the next render and again whenever a signal it reads changes.
pub fn effect(f: impl Fn() + 'static) {
    effect_boxed(Box::new(f));
}

fn effect_boxed(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}
