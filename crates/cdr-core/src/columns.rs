//! Compact columns for the row store: each value as small as the data allow.
//!
//! A million call detail records as Rust structs take about 700 bytes each (a `String` per
//! text cell, 24 bytes of header before its bytes). Stored by column they take a few dozen:
//! the texts that repeat (account, description, disposition, destination, caller) are kept
//! once in a [`Dict`] and each row holds a small code, integers take the narrowest width that
//! holds every value seen ([`Codes`], [`Ints`]), and the one text that never repeats (the
//! call id) sits end to end in an [`Arena`]. Widths grow by themselves when a value needs
//! more, so hostile data cost memory in proportion, never a wrong value.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// Unsigned codes of the narrowest width that holds every code pushed so far.
#[derive(Clone, Debug)]
pub enum Codes {
    /// Every code below 256.
    U8(Vec<u8>),
    /// Every code below 65,536.
    U16(Vec<u16>),
    /// Any `u32`.
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Codes {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    /// Appends `code`, widening the column first if it does not fit.
    pub fn push(&mut self, code: u32) {
        match self {
            Codes::U8(v) => match u8::try_from(code) {
                Ok(c) => v.push(c),
                Err(_) => {
                    self.widen(code);
                    self.push(code);
                }
            },
            Codes::U16(v) => match u16::try_from(code) {
                Ok(c) => v.push(c),
                Err(_) => {
                    self.widen(code);
                    self.push(code);
                }
            },
            Codes::U32(v) => v.push(code),
        }
    }

    fn widen(&mut self, code: u32) {
        *self = match std::mem::take(self) {
            Codes::U8(v) if code <= u32::from(u16::MAX) => {
                Codes::U16(v.into_iter().map(u16::from).collect())
            }
            Codes::U8(v) => Codes::U32(v.into_iter().map(u32::from).collect()),
            Codes::U16(v) => Codes::U32(v.into_iter().map(u32::from).collect()),
            wide => wide,
        };
    }

    /// Keeps the first `len` codes.
    pub fn truncate(&mut self, len: usize) {
        match self {
            Codes::U8(v) => v.truncate(len),
            Codes::U16(v) => v.truncate(len),
            Codes::U32(v) => v.truncate(len),
        }
    }

    /// The code of row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(v) => u32::from(v[i]),
            Codes::U16(v) => u32::from(v[i]),
            Codes::U32(v) => v[i],
        }
    }

    /// How many codes.
    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity() * 2,
            Codes::U32(v) => v.capacity() * 4,
        }
    }

    /// Gives back spare capacity, once a table is complete.
    pub fn shrink_to_fit(&mut self) {
        match self {
            Codes::U8(v) => v.shrink_to_fit(),
            Codes::U16(v) => v.shrink_to_fit(),
            Codes::U32(v) => v.shrink_to_fit(),
        }
    }
}

/// Signed integers (instants, amounts), as 32-bit offsets from the first value while every
/// value is close enough to it, else in full.
#[derive(Clone, Debug, Default)]
pub struct Ints {
    base: i64,
    narrow: Vec<i32>,
    wide: Option<Vec<i64>>,
}

impl Ints {
    /// Appends `value`, widening the column first if its offset does not fit.
    pub fn push(&mut self, value: i64) {
        if let Some(wide) = &mut self.wide {
            wide.push(value);
            return;
        }
        if self.narrow.is_empty() {
            self.base = value;
        }
        match value
            .checked_sub(self.base)
            .and_then(|d| i32::try_from(d).ok())
        {
            Some(d) => self.narrow.push(d),
            None => {
                let base = self.base;
                let mut wide: Vec<i64> =
                    self.narrow.drain(..).map(|d| base + i64::from(d)).collect();
                self.narrow = Vec::new();
                wide.push(value);
                self.wide = Some(wide);
            }
        }
    }

    /// Keeps the first `len` values.
    pub fn truncate(&mut self, len: usize) {
        match &mut self.wide {
            Some(wide) => wide.truncate(len),
            None => self.narrow.truncate(len),
        }
    }

    /// The value of row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        match &self.wide {
            Some(wide) => wide[i],
            // Cannot overflow: the offset was taken from this very value.
            None => self.base + i64::from(self.narrow[i]),
        }
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.narrow.capacity() * 4 + self.wide.as_ref().map_or(0, |w| w.capacity() * 8)
    }

    /// Gives back spare capacity, once a table is complete.
    pub fn shrink_to_fit(&mut self) {
        self.narrow.shrink_to_fit();
        if let Some(w) = &mut self.wide {
            w.shrink_to_fit();
        }
    }
}

/// Texts end to end in one buffer: text `k` is `bytes[ends[k - 1]..ends[k]]`.
#[derive(Clone, Debug, Default)]
pub struct Arena {
    bytes: String,
    ends: Vec<usize>,
    /// The texts that are not plain ASCII without tabs or line breaks: a case-blind search
    /// must lower-case these with Unicode's rules rather than compare their bytes.
    special: Vec<u32>,
}

impl Arena {
    /// Appends a text; returns its number.
    pub fn push(&mut self, text: &str) -> usize {
        let k = self.ends.len();
        if !text.is_ascii() || text.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
            self.special.push(k as u32);
        }
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len());
        k
    }

    /// The numbers of the texts that are not plain ASCII (see the field).
    pub fn special(&self) -> &[u32] {
        &self.special
    }

    /// Keeps the first `len` texts.
    pub fn truncate(&mut self, len: usize) {
        if len < self.ends.len() {
            self.ends.truncate(len);
            self.bytes.truncate(self.ends.last().copied().unwrap_or(0));
            let keep = self.special.partition_point(|&k| (k as usize) < len);
            self.special.truncate(keep);
        }
    }

    /// Calls `found` with the number of each text, plain ASCII ones only, that holds
    /// `needle` (ASCII, lower case) ignoring ASCII case, once each and in order. One pass over
    /// the buffer: with a `memmem` search when the needle has no letter, else from each place
    /// its first byte appears in either case.
    pub fn find_ascii(&self, needle: &[u8], found: &mut dyn FnMut(usize)) {
        let (bytes, ends) = (self.bytes.as_bytes(), &self.ends);
        let Some(&first) = needle.first() else {
            return;
        };
        let mut k = 0;
        let mut from = 0;
        let letters = needle.iter().any(u8::is_ascii_alphabetic);
        let finder = memchr::memmem::Finder::new(needle);
        while from < bytes.len() {
            let rest = &bytes[from..];
            let candidate = if letters {
                memchr::memchr2(first, first.to_ascii_uppercase(), rest)
            } else {
                finder.find(rest)
            };
            let Some(found_at) = candidate else {
                break;
            };
            let at = from + found_at;
            while ends[k] <= at {
                k += 1;
            }
            let end = at + needle.len();
            if end <= ends[k] && (!letters || bytes[at..end].eq_ignore_ascii_case(needle)) {
                found(k);
                // One match is enough for a text: go on from the next one.
                from = ends[k];
            } else {
                from = at + 1;
            }
        }
    }

    /// Text `k`.
    #[inline]
    pub fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.bytes[start..self.ends[k]]
    }

    /// How many texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every text's bytes, end to end, and where each ends.
    pub fn raw(&self) -> (&[u8], &[usize]) {
        (self.bytes.as_bytes(), &self.ends)
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.special.capacity() * 4
    }

    /// Gives back spare capacity, once a table is complete.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.special.shrink_to_fit();
    }
}

/// Distinct texts, each kept once and numbered in order of first appearance.
#[derive(Clone, Debug, Default)]
pub struct Dict {
    texts: Arena,
    // The numbers of the texts with a 32-bit hash of each, so that growing the table never
    // hashes a text again. The hasher's seed is random, so that crafted texts cannot collide
    // on purpose. Dropped once a table is complete (`shrink_to_fit`), and rebuilt if more
    // rows come.
    index: HashTable<(u32, u32)>,
    hasher: foldhash::fast::RandomState,
}

/// The 64-bit hash the table works with, from the 32 bits kept per entry.
#[inline]
fn spread(h32: u32) -> u64 {
    u64::from(h32).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Dict {
    #[inline]
    fn hash32(&self, text: &str) -> u32 {
        let h = self.hasher.hash_one(text);
        (h ^ (h >> 32)) as u32
    }

    /// The number of `text`, added if new.
    pub fn intern(&mut self, text: &str) -> u32 {
        if self.index.is_empty() && !self.texts.is_empty() {
            self.reindex();
        }
        let h = self.hash32(text);
        let texts = &self.texts;
        if let Some(&(code, _)) = self.index.find(spread(h), |&(c, ch)| {
            ch == h && texts.get(c as usize) == text
        }) {
            return code;
        }
        // More distinct texts than a u32 counts cannot fit in wasm's memory anyway.
        let code = u32::try_from(self.texts.push(text)).unwrap_or(u32::MAX);
        self.index
            .insert_unique(spread(h), (code, h), |&(_, ch)| spread(ch));
        code
    }

    fn reindex(&mut self) {
        let mut index = HashTable::with_capacity(self.texts.len());
        for k in 0..self.texts.len() {
            let h = self.hash32(self.texts.get(k));
            index.insert_unique(spread(h), (k as u32, h), |&(_, ch)| spread(ch));
        }
        self.index = index;
    }

    /// Text number `code`.
    #[inline]
    pub fn get(&self, code: u32) -> &str {
        self.texts.get(code as usize)
    }

    /// How many distinct texts.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Every text, by number.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.texts.len()).map(|k| self.texts.get(k))
    }

    /// The texts, end to end.
    pub fn texts(&self) -> &Arena {
        &self.texts
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.texts.heap_bytes() + self.index.capacity() * (std::mem::size_of::<(u32, u32)>() + 1)
    }

    /// Gives back spare capacity and the lookup index, once a table is complete.
    pub fn shrink_to_fit(&mut self) {
        self.texts.shrink_to_fit();
        self.index = HashTable::new();
    }
}

/// A text column: a dictionary and a code per row.
#[derive(Clone, Debug, Default)]
pub struct TextColumn {
    /// The distinct texts.
    pub dict: Dict,
    /// The code of each row's text.
    pub codes: Codes,
}

impl TextColumn {
    /// Appends a row's text.
    pub fn push(&mut self, text: &str) {
        let code = self.dict.intern(text);
        self.codes.push(code);
    }

    /// Row `i`'s text.
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        self.dict.get(self.codes.get(i))
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.dict.heap_bytes() + self.codes.heap_bytes()
    }

    /// Gives back spare capacity, once a table is complete.
    pub fn shrink_to_fit(&mut self) {
        self.codes.shrink_to_fit();
        self.dict.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_widen_as_values_need_and_keep_every_value() {
        let mut c = Codes::default();
        let values = [0u32, 255, 256, 65_535, 65_536, u32::MAX, 7];
        for v in values {
            c.push(v);
        }
        assert!(matches!(c, Codes::U32(_)));
        let back: Vec<u32> = (0..c.len()).map(|i| c.get(i)).collect();
        assert_eq!(back, values);
        let mut small = Codes::default();
        small.push(3);
        small.push(300);
        assert!(matches!(small, Codes::U16(_)));
        assert_eq!((small.get(0), small.get(1)), (3, 300));
    }

    #[test]
    fn ints_stay_narrow_near_the_first_value_and_widen_for_far_ones() {
        let mut d = Ints::default();
        let near = [1_700_000_000i64, 1_700_086_400, 1_600_000_000];
        for v in near {
            d.push(v);
        }
        assert!(d.wide.is_none());
        assert_eq!((0..3).map(|i| d.get(i)).collect::<Vec<_>>(), near);
        // A placeholder far away and the extremes: every value still exact.
        for v in [i64::MIN, i64::MAX, -62_135_596_800] {
            d.push(v);
        }
        assert!(d.wide.is_some());
        assert_eq!(d.get(1), 1_700_086_400);
        assert_eq!(d.get(3), i64::MIN);
        assert_eq!(d.get(4), i64::MAX);
        let mut extreme = Ints::default();
        extreme.push(i64::MAX);
        extreme.push(i64::MIN);
        assert_eq!((extreme.get(0), extreme.get(1)), (i64::MAX, i64::MIN));
    }

    #[test]
    fn a_dictionary_keeps_each_text_once() {
        let mut t = TextColumn::default();
        for s in ["a", "b", "a", "", "b", "ç"] {
            t.push(s);
        }
        assert_eq!(t.dict.len(), 4);
        // Complete, then more rows: the index comes back and codes stay the same.
        t.shrink_to_fit();
        t.push("b");
        t.push("d");
        assert_eq!((t.codes.get(6), t.codes.get(7)), (1, 4));
        assert_eq!(
            (0..8).map(|i| t.get(i)).collect::<Vec<_>>(),
            ["a", "b", "a", "", "b", "ç", "b", "d"]
        );
        let mut arena = Arena::default();
        arena.push("x1");
        arena.push("");
        arena.push("y22");
        assert_eq!(
            (arena.get(0), arena.get(1), arena.get(2)),
            ("x1", "", "y22")
        );
    }
}
