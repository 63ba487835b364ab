//! How alike two lines' texts are, and the search for the alike pairs among many. The sync
//! meets every freed old line with every freed new line of its kind and speaker; the diff that
//! says how alike two texts are is too dear to run on all of those pairs, so bounds that can
//! only overestimate rule most of them out first: the lengths, the characters' counts, and the
//! longest common subsequence (the most the diff can match). The diff still has the last word,
//! so what counts as alike is what it always was.

use std::ops::Range;

use rapidfuzz::distance::lcs_seq::{Args, BatchComparator};
use similar::TextDiff;

use super::Candidate;

/// How alike two texts are, 0 to 1 (matching characters over both lengths).
pub(super) fn likeness(a: &str, b: &str) -> f32 {
    TextDiff::from_chars(a, b).ratio()
}

/// A likeness as the diff computes it, in the same f32 steps: from an upper bound on the
/// matching characters it gives an upper bound on [`likeness`].
fn ratio(matching: usize, total: usize) -> f32 {
    if total == 0 {
        return 1.0;
    }
    2.0 * matching as f32 / total as f32
}

/// The fewest matching characters that make texts of `total` characters between them at least
/// `least` alike.
fn needed(total: usize, least: f32) -> usize {
    let mut matching = (f64::from(least) * total as f64 / 2.0) as usize;
    while matching > 0 && ratio(matching - 1, total) >= least {
        matching -= 1;
    }
    while ratio(matching, total) < least {
        matching += 1;
    }
    matching
}

const BINS: usize = 128;

/// Character counts in bins, ASCII one to a bin and the rest folded onto them: two texts
/// share at most the smaller count of each bin (folding only merges counts, so it can only
/// overestimate).
struct Histogram([u32; BINS]);

impl Histogram {
    fn of(text: &str) -> Self {
        let mut bins = [0u32; BINS];
        for c in text.chars() {
            let bin = &mut bins[c as usize % BINS];
            *bin = bin.saturating_add(1);
        }
        Histogram(bins)
    }

    fn shared(&self, other: &Histogram) -> usize {
        let pairs = self.0.iter().zip(&other.0);
        pairs.map(|(a, b)| *a.min(b) as usize).sum()
    }
}

/// A text and what the cheap bounds need of it, worked out once however many texts it meets.
struct Profile<'a> {
    at: usize,
    text: &'a str,
    chars: usize,
    histogram: Histogram,
}

impl<'a> Profile<'a> {
    fn new(at: usize, text: &'a str) -> Self {
        Profile {
            at,
            text,
            chars: text.chars().count(),
            histogram: Histogram::of(text),
        }
    }

    /// The most alike the two can be from their lengths and characters alone.
    fn bound(&self, other: &Profile<'_>) -> f32 {
        let total = self.chars + other.chars;
        let lengths = ratio(self.chars.min(other.chars), total);
        lengths.min(ratio(self.histogram.shared(&other.histogram), total))
    }
}

/// Every pair of an `old` and a `new` text (each given with its index) at least `least` alike.
/// Each pair that passes the cheap bounds spends one of `budget`; when it runs out the search
/// stops with what it found and says so (`false`). Old texts are taken in the order given,
/// new ones by length, so the same texts spend the budget the same way.
pub(super) fn alike_pairs(
    old: &[(usize, &str)],
    new: &[(usize, &str)],
    least: f32,
    budget: &mut usize,
    found: &mut Vec<Candidate>,
) -> bool {
    let mut news: Vec<Profile<'_>> = new.iter().map(|(n, t)| Profile::new(*n, t)).collect();
    news.sort_by_key(|p| (p.chars, p.at));
    for (o, text) in old {
        let a = Profile::new(*o, text);
        let lcs = Lcs::of(&a);
        for b in &news[lengths(&news, a.chars, least)] {
            if a.bound(b) < least {
                continue;
            }
            let Some(left) = budget.checked_sub(1) else {
                return false;
            };
            *budget = left;
            if !lcs.reaches(b, needed(a.chars + b.chars, least)) {
                continue;
            }
            let score = likeness(text, b.text);
            if score >= least {
                found.push(Candidate {
                    score,
                    old: a.at,
                    new: b.at,
                });
            }
        }
    }
    true
}

/// Texts longer than this skip the LCS bound: its bit masks take 32 bytes a character and its
/// time grows with the product of the lengths, where the diff of two alike texts stays near
/// linear.
const LCS_CHARS: usize = 2_000;

/// An old text's bit masks for the LCS bound, built once for all the new texts it meets.
struct Lcs(Option<BatchComparator<char>>);

impl Lcs {
    fn of(a: &Profile<'_>) -> Self {
        Lcs((a.chars <= LCS_CHARS).then(|| BatchComparator::new(a.text.chars())))
    }

    /// Whether the old text and `b` have at least `matching` characters in common, in order
    /// (always, for a text too long to tell cheaply).
    fn reaches(&self, b: &Profile<'_>, matching: usize) -> bool {
        let Some(lcs) = &self.0 else {
            return true;
        };
        let cutoff = Args::default().score_cutoff(matching);
        lcs.similarity_with_args(b.text.chars(), &cutoff).is_some()
    }
}

/// Where in `news` (sorted by length) the texts long enough and short enough to be `least`
/// alike to one of `chars` characters stand, one character wider each way than the bound (the
/// exact check follows).
fn lengths(news: &[Profile<'_>], chars: usize, least: f32) -> Range<usize> {
    let (chars, least) = (chars as f64, f64::from(least));
    let shortest = (chars * least / (2.0 - least)).floor() as usize;
    let longest = (chars * (2.0 - least) / least).ceil() as usize;
    let start = news.partition_point(|p| p.chars < shortest.saturating_sub(1));
    let end = news.partition_point(|p| p.chars <= longest.saturating_add(1));
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small texts from a few letters (and a non-ASCII one that folds onto an ASCII bin), so
    /// that many pairs come near the threshold.
    fn texts() -> Vec<String> {
        let mut state = 0x2545_F491_u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % n
        };
        let letters: Vec<char> = "abcde \u{e1}\u{161}".chars().collect();
        let base: Vec<String> = (0..40)
            .map(|_| {
                let len = next(30) as usize;
                (0..len).map(|_| letters[next(8) as usize]).collect()
            })
            .collect();
        // Each text and a copy with a few characters changed, so alike pairs exist.
        let mut all = base.clone();
        for text in &base {
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..3 {
                if !chars.is_empty() {
                    let at = next(chars.len() as u64) as usize;
                    chars[at] = letters[next(8) as usize];
                }
            }
            all.push(chars.into_iter().collect());
        }
        all
    }

    #[test]
    fn the_search_finds_exactly_the_pairs_the_diff_finds_alike() {
        let texts = texts();
        let indexed: Vec<(usize, &str)> = texts.iter().map(String::as_str).enumerate().collect();
        let mut found = Vec::new();
        let mut budget = usize::MAX;
        assert!(alike_pairs(
            &indexed,
            &indexed,
            0.7,
            &mut budget,
            &mut found
        ));
        let mut searched: Vec<(usize, usize)> = found.iter().map(|a| (a.old, a.new)).collect();
        searched.sort_unstable();
        let mut every = Vec::new();
        for (o, a) in &indexed {
            for (n, b) in &indexed {
                if likeness(a, b) >= 0.7 {
                    every.push((*o, *n));
                }
            }
        }
        assert!(
            every.len() > texts.len(),
            "near pairs exist: {}",
            every.len()
        );
        assert_eq!(searched, every);
    }

    #[test]
    fn the_bounds_never_fall_below_the_diff() {
        let texts = texts();
        for a in &texts {
            let lcs = BatchComparator::new(a.chars());
            for b in &texts {
                let exact = likeness(a, b);
                let (pa, pb) = (Profile::new(0, a), Profile::new(1, b));
                assert!(pa.bound(&pb) >= exact, "{a:?} {b:?}");
                let common = lcs.similarity(b.chars());
                assert!(ratio(common, pa.chars + pb.chars) >= exact, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_fewest_matching_characters_reach_the_threshold_and_one_fewer_does_not() {
        for total in 0..500 {
            let m = needed(total, 0.7);
            assert!(ratio(m, total) >= 0.7, "{total}");
            assert!(m == 0 || ratio(m - 1, total) < 0.7, "{total}");
        }
    }

    #[test]
    fn texts_too_long_for_the_lcs_bound_still_pair() {
        let long: String = (0..LCS_CHARS)
            .map(|i| ["rain ", "keys ", "door "][i % 3])
            .collect();
        let edited = long.replacen("keys", "hands", 3);
        assert!(Lcs::of(&Profile::new(0, &long)).0.is_none());
        let mut found = Vec::new();
        let mut budget = 1;
        assert!(alike_pairs(
            &[(0, &long)],
            &[(1, &edited)],
            0.7,
            &mut budget,
            &mut found
        ));
        assert_eq!(
            found.iter().map(|c| (c.old, c.new)).collect::<Vec<_>>(),
            [(0, 1)]
        );
    }

    #[test]
    fn a_budget_that_runs_out_stops_the_search() {
        let pair = [(0, "the same words"), (1, "the same words")];
        let mut found = Vec::new();
        let mut budget = 1;
        assert!(!alike_pairs(&pair, &pair, 0.7, &mut budget, &mut found));
        assert_eq!(found.len(), 1);
    }
}
