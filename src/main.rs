//! Entry point of the browser app: everything else lives in the library so that browser tests
//! can mount the same components.

fn main() {
    cdr_portal::mount();
}
