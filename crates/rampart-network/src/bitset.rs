//! Fixed-size bitsets over workloads and a square bit matrix with a blocked
//! transpose.
//!
//! The reachability matrix is computed with whole-word operations: a policy's
//! selected pods and a rule's peers are bitsets, a source's allowed
//! destinations are unions of them, and the ingress side (naturally indexed
//! by destination) is turned into rows by source with one transpose instead of
//! a selector evaluation per pair.

/// Words needed for `n` bits.
pub(crate) fn words_for(n: usize) -> usize {
    n.div_ceil(64)
}

/// A set of indices below a fixed length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bitset {
    len: usize,
    words: Vec<u64>,
}

impl Bitset {
    pub(crate) fn new(len: usize) -> Bitset {
        Bitset {
            len,
            words: vec![0; words_for(len)],
        }
    }

    #[cfg(test)]
    pub(crate) fn full(len: usize) -> Bitset {
        let mut set = Bitset::new(len);
        set.set_range(0, len);
        set
    }

    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    pub(crate) fn get(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1u64 << (i % 64)) != 0
    }

    pub(crate) fn set(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1u64 << (i % 64);
        }
    }

    pub(crate) fn clear(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] &= !(1u64 << (i % 64));
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Set every index in `start..end`.
    pub(crate) fn set_range(&mut self, start: usize, end: usize) {
        set_range(&mut self.words, start, end.min(self.len));
    }

    pub(crate) fn or_assign(&mut self, other: &Bitset) {
        or_words(&mut self.words, &other.words);
    }

    pub(crate) fn and_assign(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub(crate) fn and_not_assign(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub(crate) fn ones(&self) -> Ones<'_> {
        ones(&self.words)
    }
}

/// Set bits `start..end` of a word slice.
pub(crate) fn set_range(words: &mut [u64], start: usize, end: usize) {
    if start >= end {
        return;
    }
    let (first, last) = (start / 64, (end - 1) / 64);
    for (i, word) in words.iter_mut().enumerate().take(last + 1).skip(first) {
        let lo = if i == first { start % 64 } else { 0 };
        let hi = if i == last { (end - 1) % 64 } else { 63 };
        let mask = (u64::MAX >> (63 - hi)) & (u64::MAX << lo);
        *word |= mask;
    }
}

pub(crate) fn or_words(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x |= y;
    }
}

/// The indices of the set bits of a word slice, ascending.
pub(crate) fn ones(words: &[u64]) -> Ones<'_> {
    Ones {
        words,
        index: 0,
        current: words.first().copied().unwrap_or(0),
    }
}

pub(crate) struct Ones<'a> {
    words: &'a [u64],
    index: usize,
    current: u64,
}

impl Iterator for Ones<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            if self.current != 0 {
                let bit = self.current.trailing_zeros() as usize;
                self.current &= self.current - 1;
                return Some(self.index * 64 + bit);
            }
            self.index += 1;
            self.current = *self.words.get(self.index)?;
        }
    }
}

/// An `n` x `n` bit matrix stored by rows, each row `words_for(n)` words.
#[derive(Debug, Clone)]
pub(crate) struct BitMatrix {
    pub(crate) n: usize,
    pub(crate) stride: usize,
    pub(crate) bits: Vec<u64>,
}

impl BitMatrix {
    pub(crate) fn new(n: usize) -> BitMatrix {
        let stride = words_for(n);
        BitMatrix {
            n,
            stride,
            bits: vec![0; stride * n],
        }
    }

    pub(crate) fn row(&self, r: usize) -> &[u64] {
        &self.bits[r * self.stride..(r + 1) * self.stride]
    }

    #[cfg(test)]
    pub(crate) fn row_mut(&mut self, r: usize) -> &mut [u64] {
        &mut self.bits[r * self.stride..(r + 1) * self.stride]
    }

    pub(crate) fn get(&self, r: usize, c: usize) -> bool {
        r < self.n && c < self.n && self.bits[r * self.stride + c / 64] & (1u64 << (c % 64)) != 0
    }

    pub(crate) fn clear(&mut self) {
        self.bits.iter_mut().for_each(|w| *w = 0);
    }

    /// Write the transpose of `self` into `out` (same size), 64 x 64 blocks
    /// at a time; all-zero blocks are skipped, so sparse matrices are cheap.
    pub(crate) fn transpose_into(&self, out: &mut BitMatrix) {
        out.clear();
        let all: Vec<usize> = (0..self.stride).collect();
        self.transpose_blocks_into(out, &all, rayon::current_thread_index().is_none());
    }
}

impl BitMatrix {
    /// Transpose only the row blocks `row_blocks` (indices of 64-row
    /// blocks) of `self` into `out`: bit (r, c) with `r / 64` in
    /// `row_blocks` lands at (c, r). Only words `row_blocks` of `out`'s rows
    /// are written (non-zero blocks only), so the caller clears exactly those
    /// words between uses; nothing else is touched.
    /// With `parallel`, blocks are transposed on rayon's threads (see
    /// `NetworkModel::matrix` for when not to).
    pub(crate) fn transpose_blocks_into(
        &self,
        out: &mut BitMatrix,
        row_blocks: &[usize],
        parallel: bool,
    ) {
        use rayon::prelude::*;
        let (n, stride, bits) = (self.n, self.stride, &self.bits);
        let out_stride = out.stride;
        let out_n = out.n;
        // Each 64-row block of `out` is written by one task.
        let block_rows = |(bj, rows): (usize, &mut [u64])| {
            if bj >= stride {
                return;
            }
            let mut block = [0u64; 64];
            for &bi in row_blocks {
                let mut any = 0u64;
                for (k, slot) in block.iter_mut().enumerate() {
                    let r = bi * 64 + k;
                    *slot = if r < n { bits[r * stride + bj] } else { 0 };
                    any |= *slot;
                }
                if any == 0 {
                    continue;
                }
                transpose64(&mut block);
                for (k, word) in block.iter().enumerate() {
                    if bj * 64 + k < out_n {
                        rows[k * out_stride + bi] = *word;
                    }
                }
            }
        };
        if parallel {
            out.bits
                .par_chunks_mut(64 * out_stride)
                .enumerate()
                .for_each(block_rows);
        } else {
            out.bits
                .chunks_mut(64 * out_stride)
                .enumerate()
                .for_each(block_rows);
        }
    }
}

/// Transpose a 64 x 64 bit block in place: bit `c` of word `r` moves to bit
/// `r` of word `c` (recursive swap of off-diagonal quadrants).
pub(crate) fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32usize;
    let mut m: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0usize;
        while k < 64 {
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_iteration() {
        let mut s = Bitset::new(200);
        s.set_range(3, 130);
        assert!(!s.get(2) && s.get(3) && s.get(129) && !s.get(130));
        assert_eq!(s.ones().count(), 127);
        let full = Bitset::full(70);
        assert_eq!(full.ones().collect::<Vec<_>>().len(), 70);
        assert!(!full.get(70));
        s.set(199);
        assert_eq!(s.ones().last(), Some(199));
    }

    #[test]
    fn block_transpose_matches_full() {
        let n = 200;
        let mut m = BitMatrix::new(n);
        for r in [3usize, 70, 71, 199] {
            for c in (0..n).step_by(r % 7 + 1) {
                m.row_mut(r)[c / 64] |= 1 << (c % 64);
            }
        }
        let mut full = BitMatrix::new(n);
        m.transpose_into(&mut full);
        for parallel in [false, true] {
            let mut part = BitMatrix::new(n);
            m.transpose_blocks_into(&mut part, &[0, 1, 3], parallel);
            assert_eq!(full.bits, part.bits);
        }
    }

    #[test]
    fn transpose_matches_naive() {
        let n = 150;
        let mut m = BitMatrix::new(n);
        let mut x: u64 = 12345;
        for r in 0..n {
            for c in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if x.is_multiple_of(3) {
                    m.row_mut(r)[c / 64] |= 1 << (c % 64);
                }
            }
        }
        let mut t = BitMatrix::new(n);
        m.transpose_into(&mut t);
        for r in 0..n {
            for c in 0..n {
                assert_eq!(m.get(r, c), t.get(c, r), "{r} {c}");
            }
        }
    }
}
