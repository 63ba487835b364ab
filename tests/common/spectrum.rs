//! The pitch a listener hears in a stretch of recorded sound, found by FFT.
#![allow(dead_code)]

use rustfft::{num_complex::Complex, FftPlanner};

/// The strongest frequency of `samples` (Hann-windowed), recorded at `rate` samples a second.
pub fn loudest_frequency(samples: &[f32], rate: f64) -> f64 {
    let size = samples.len();
    let mut buffer: Vec<Complex<f32>> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let hann = 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / size as f32).cos();
            Complex::new(s * hann, 0.0)
        })
        .collect();
    FftPlanner::new()
        .plan_fft_forward(size)
        .process(&mut buffer);
    let (bin, _) = buffer[1..size / 2]
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.norm().total_cmp(&b.1.norm()))
        .expect("at least four samples");
    (bin + 1) as f64 * rate / size as f64
}
