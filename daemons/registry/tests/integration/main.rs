//! Integration tests of tiwire-registry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod schemathesis;
mod story;
mod world;
