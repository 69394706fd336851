//! The list type: a double-ended sequence of byte strings.
//!
//! Commands use only this API, so the representation can change (a packed,
//! quicklist-like layout for memory) without touching them.

use std::collections::VecDeque;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct List {
    items: VecDeque<Box<[u8]>>,
}

impl List {
    pub fn new() -> List {
        List::default()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn push_front(&mut self, v: Vec<u8>) {
        self.items.push_front(v.into_boxed_slice());
    }

    pub fn push_back(&mut self, v: Vec<u8>) {
        self.items.push_back(v.into_boxed_slice());
    }

    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        self.items.pop_front().map(Vec::from)
    }

    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        self.items.pop_back().map(Vec::from)
    }

    /// The element at a Redis-style index (negative counts from the tail).
    pub fn get(&self, index: i64) -> Option<&[u8]> {
        let len = self.items.len() as i64;
        let i = if index < 0 { len + index } else { index };
        if i < 0 || i >= len {
            return None;
        }
        self.items.get(i as usize).map(|b| &**b)
    }

    /// Elements `start..=end` (already clamped to the list).
    pub fn range(&self, start: usize, end: usize) -> impl ExactSizeIterator<Item = &[u8]> {
        self.items.range(start..=end).map(|b| &**b)
    }

    /// Approximate heap bytes (for lazy-free decisions and memory reports).
    pub fn heap_bytes(&self) -> usize {
        self.items.iter().map(|b| b.len() + 16).sum::<usize>() + self.items.capacity() * 16
    }
}
