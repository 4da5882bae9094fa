#![no_main]
//! Fuzz target: see `kgx_fuzz::check_export`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kgx_fuzz::check_export(data));
