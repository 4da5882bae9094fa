#![no_main]
//! Fuzz target: see `kgx_fuzz::check_extract`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kgx_fuzz::check_extract(data));
