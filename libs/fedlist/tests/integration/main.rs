//! Integration tests of tiwire-fedlist.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod gematik;
mod signed;
mod xmatrix;
