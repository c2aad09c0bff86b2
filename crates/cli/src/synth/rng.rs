//! A small deterministic random generator (SplitMix64), so that a seed gives the same
//! nation on every machine and every version of every dependency.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6A09_E667_F3BC_C908)
    }

    /// An independent stream derived from this seed and a label (one per purpose, so that
    /// changing how many draws one part makes does not shift the others).
    pub fn fork(&self, label: u64) -> Rng {
        let mut r = Rng(self.0 ^ label.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether an event of probability `per_10000 / 10,000` happens.
    pub fn chance(&mut self, per_10000: u64) -> bool {
        self.below(10_000) < per_10000
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut pick = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if pick < w {
                return i;
            }
            pick -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// Splits `total` into `weights.len()` parts, each at least `min`, proportional to the
/// weights beyond that minimum, summing exactly to `total` (largest remainders get the rest).
pub fn apportion(total: u64, weights: &[f64], min: u64) -> Vec<u64> {
    let n = weights.len() as u64;
    if n == 0 {
        return Vec::new();
    }
    let floor = min.min(total / n);
    let rest = total - floor * n;
    let sum: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let shares: Vec<f64> = weights.iter().map(|w| w / sum * rest as f64).collect();
    let mut parts: Vec<u64> = shares.iter().map(|s| floor + s.floor() as u64).collect();
    let given: u64 = parts.iter().sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| {
        let fa = shares[*a] - shares[*a].floor();
        let fb = shares[*b] - shares[*b].floor();
        fb.total_cmp(&fa).then(a.cmp(b))
    });
    for i in order.into_iter().cycle().take((total - given) as usize) {
        parts[i] += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert!((0..100).all(|_| a.next() == b.next()));
        assert_ne!(Rng::new(7).next(), Rng::new(8).next());
        assert_ne!(Rng::new(7).fork(1).next(), Rng::new(7).fork(2).next());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            assert!(r.below(13) < 13);
            let v = r.between(-3, 3);
            assert!((-3..=3).contains(&v));
            assert!((0.0..1.0).contains(&r.unit()));
        }
        assert_eq!(r.weighted(&[0, 5, 0]), 1);
    }

    #[test]
    fn apportion_sums_and_respects_minimum() {
        let parts = apportion(100, &[1.0, 2.0, 3.0, 0.0], 5);
        assert_eq!(parts.iter().sum::<u64>(), 100);
        assert!(parts.iter().all(|p| *p >= 5), "{parts:?}");
        assert!(parts[2] > parts[1] && parts[1] > parts[0]);
        assert_eq!(apportion(3, &[1.0; 5], 2).iter().sum::<u64>(), 3);
    }
}
