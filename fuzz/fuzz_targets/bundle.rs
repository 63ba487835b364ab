#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fountainai_fuzz::bundle(data));
