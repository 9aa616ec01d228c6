//! How the binaries allocate, and handing a finished session's memory back.
//!
//! `mdbook-codetabs build` and `codetabs-serve` render in-process, and mdBook's
//! HTML renderer allocates a node, a string or an attribute map for every
//! piece of every chapter: with glibc's malloc a third of a large build went
//! to `_int_malloc`, `malloc_consolidate` and `free` (BENCHMARKS.md). Both
//! binaries therefore use mimalloc (`#[global_allocator]` in each `main.rs`,
//! built without transparent huge pages: on this kind of machine a fault on
//! an madvised huge page can stall for compaction) and call [`tune`] first.
//!
//! Blocks of a mebibyte or more bypass mimalloc (see [`Allocator`]).

use std::alloc::{GlobalAlloc, Layout};
use std::ptr;

/// The allocator both binaries install: mimalloc, except for large blocks,
/// which are mappings of their own.
///
/// A build's large blocks are the print page and the chapters' HTML, a few
/// hundred of them, mostly strings that grow by doubling and are copied whole
/// by the renderer (the 1× benchmark book touches 290 MB of them for a 25 MB
/// print page). As mappings of their own they are:
/// - filled in by the kernel in one call (`MAP_POPULATE`, and
///   `MADV_POPULATE_WRITE` for what a block grows by) instead of one fault
///   per 4 KiB page: every one is written right away;
/// - grown by `mremap`, which moves page tables instead of copying the text
///   (glibc's malloc does the same);
/// - given back the moment they are freed, so copies do not pile up in the
///   peak.
pub struct Allocator;

/// Blocks at least this big (and aligned to at most [`MAPPED_ALIGN`]) are
/// mappings. Below a mebibyte, system calls per block cost more than the
/// faults they save (measured at 64 and 256 KiB).
const LARGE: usize = 1 << 20;

/// Every mapping starts on a page, and pages are at least 4 KiB.
const MAPPED_ALIGN: usize = 4096;

fn is_mapped(size: usize, align: usize) -> bool {
    size >= LARGE && align <= MAPPED_ALIGN
}

/// A fresh mapping of `size` zeroed bytes, already resident; null if the
/// system has no room.
fn map(size: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping at an address of the kernel's
    // choosing touches no existing memory.
    let p = unsafe {
        libc::mmap(
            ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        ptr::null_mut()
    } else {
        p.cast()
    }
}

/// Moves or resizes the mapping at `p` from `old` to `new` bytes, making what
/// it grew by resident; null (and `p` untouched) if the system has no room.
///
/// # Safety
/// `p` must be a mapping of `old` bytes made by [`map`] or [`remap`].
unsafe fn remap(p: *mut u8, old: usize, new: usize) -> *mut u8 {
    // SAFETY: `p` is a whole mapping of `old` bytes (the caller's promise);
    // the kernel moves its pages or leaves it as it was.
    let q = unsafe { libc::mremap(p.cast(), old, new, libc::MREMAP_MAYMOVE) };
    if q == libc::MAP_FAILED {
        return ptr::null_mut();
    }
    let q: *mut u8 = q.cast();
    let kept = old.next_multiple_of(MAPPED_ALIGN);
    if new > kept {
        // SAFETY: `kept..new` lies inside the mapping just made. The result
        // is ignored: a kernel without MADV_POPULATE_WRITE (before 5.14)
        // fills the pages in on first touch instead.
        unsafe { libc::madvise(q.add(kept).cast(), new - kept, libc::MADV_POPULATE_WRITE) };
    }
    q
}

// SAFETY: every block is either mimalloc's, passed to it with the layout it was
// made with, or a mapping of exactly `layout.size()` bytes; which one is decided
// by the layout alone (`is_mapped`), and a block's layout never changes except
// through `realloc`, which moves it between the two when it crosses `LARGE`.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_mapped(layout.size(), layout.align()) {
            map(layout.size())
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_mapped(layout.size(), layout.align()) {
            map(layout.size())
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if is_mapped(layout.size(), layout.align()) {
            // SAFETY: `p` is a mapping of `layout.size()` bytes, no longer used.
            unsafe { libc::munmap(p.cast(), layout.size()) };
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { mimalloc::MiMalloc.dealloc(p, layout) }
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_size = layout.size();
        match (
            is_mapped(old_size, layout.align()),
            is_mapped(new_size, layout.align()),
        ) {
            // SAFETY: forwarded with the caller's guarantees.
            (false, false) => unsafe { mimalloc::MiMalloc.realloc(p, layout, new_size) },
            // SAFETY: `p` is a mapping of `old_size` bytes.
            (true, true) => unsafe { remap(p, old_size, new_size) },
            _ => {
                // SAFETY: `new_size` with `layout`'s alignment is a valid layout
                // (the caller's guarantee for `realloc`).
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                // SAFETY: a non-zero size (one of the two is at least `LARGE`,
                // and `realloc` is never asked for zero).
                let q = unsafe { self.alloc(new_layout) };
                if !q.is_null() {
                    // SAFETY: both blocks hold at least the smaller size and
                    // are distinct; `p` is freed with the layout it was made with.
                    unsafe {
                        ptr::copy_nonoverlapping(p, q, old_size.min(new_size));
                        self.dealloc(p, layout);
                    }
                }
                q
            }
        }
    }
}

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the
/// mimalloc 3 that libmimalloc-sys 0.1.49 builds; the version is pinned in
/// Cargo.lock).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays with the process before it goes back to the
/// system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purge {
    /// One build, then exit: 30 ms instead of mimalloc 3's default second.
    /// mdBook copies the print page's text several times while rendering it,
    /// and with a second's delay every copy counted in the peak (1.13 GB
    /// instead of 0.6–0.7 GB for the 4× benchmark book; 10 ms cost the small
    /// book page faults).
    AfterBuild,
    /// A server that rebuilds on every edit keeps what it freed: the next
    /// rebuild needs the same memory again, and faulting it back in from the
    /// system cost a fifth of the edit-to-page time (0.19 → 0.15 s on the
    /// real book). The process holds one build's peak between edits.
    Never,
}

impl Purge {
    fn delay_ms(self) -> std::os::raw::c_long {
        match self {
            Purge::AfterBuild => 30,
            // mimalloc's value for "do not purge".
            Purge::Never => -1,
        }
    }
}

/// Sets how freed memory is handed back (see [`Purge`]). mimalloc's own
/// `MIMALLOC_PURGE_DELAY`, when set, wins.
pub fn tune(purge: Purge) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets a plain integer option; mimalloc reads options atomically
    // and accepts any value for this one.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, purge.delay_ms()) }
}

/// Drops `value` (a finished session: file texts, line indexes) on a thread
/// of its own, so that freeing it does not hold up rendering; inline if no
/// thread can be started.
pub fn release_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("codetabs-release".into())
        .spawn(move || drop(value));
    // The closure (and `value` with it) was dropped when spawning failed.
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout_of(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).expect("a valid layout")
    }

    fn resident_pages(p: *mut u8, size: usize) -> usize {
        let pages = size.div_ceil(MAPPED_ALIGN);
        let mut vec = vec![0u8; pages];
        // SAFETY: `p` starts a mapping of at least `size` bytes.
        let rc = unsafe { libc::mincore(p.cast(), size, vec.as_mut_ptr()) };
        assert_eq!(rc, 0, "mincore: {}", std::io::Error::last_os_error());
        vec.iter().filter(|b| *b & 1 == 1).count()
    }

    fn fill(p: *mut u8, len: usize) {
        for i in 0..len {
            // SAFETY: the callers' blocks hold at least `len` bytes.
            unsafe { p.add(i).write((i % 251) as u8) };
        }
    }

    fn holds_fill(p: *const u8, len: usize) -> bool {
        // SAFETY: as in `fill`.
        (0..len).all(|i| unsafe { p.add(i).read() } == (i % 251) as u8)
    }

    #[test]
    fn large_blocks_are_resident_zeroed_mappings_that_keep_their_bytes_when_resized() {
        let a = Allocator;
        let layout = layout_of(LARGE + 10, 8);
        // SAFETY: a valid, non-zero layout; each block is freed once, with the
        // layout it has at that point.
        unsafe {
            let p = a.alloc_zeroed(layout);
            assert!(!p.is_null());
            assert_eq!(
                resident_pages(p, layout.size()),
                layout.size().div_ceil(MAPPED_ALIGN)
            );
            assert!((0..layout.size()).all(|i| p.add(i).read() == 0));
            fill(p, layout.size());

            let grown = 5 * LARGE + 3;
            let q = a.realloc(p, layout, grown);
            assert!(!q.is_null());
            assert!(holds_fill(q, layout.size()));
            assert_eq!(
                resident_pages(q, grown),
                grown.div_ceil(MAPPED_ALIGN),
                "the growth is resident"
            );
            fill(q, grown);

            // Down across the threshold: into mimalloc, bytes kept.
            let grown_layout = layout_of(grown, 8);
            let small = a.realloc(q, grown_layout, 1000);
            assert!(!small.is_null());
            assert!(holds_fill(small, 1000));

            // And back up.
            let small_layout = layout_of(1000, 8);
            let big = a.realloc(small, small_layout, 2 * LARGE);
            assert!(!big.is_null());
            assert!(holds_fill(big, 1000));
            a.dealloc(big, layout_of(2 * LARGE, 8));
        }
    }

    #[test]
    fn strongly_aligned_and_small_blocks_stay_with_mimalloc() {
        assert!(!is_mapped(LARGE - 1, 8));
        assert!(!is_mapped(LARGE, 2 * MAPPED_ALIGN));
        assert!(is_mapped(LARGE, MAPPED_ALIGN));
        let a = Allocator;
        let layout = layout_of(LARGE, 2 * MAPPED_ALIGN);
        // SAFETY: a valid layout, freed once with that layout.
        unsafe {
            let p = a.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(p as usize % (2 * MAPPED_ALIGN), 0);
            fill(p, layout.size());
            assert!(holds_fill(p, layout.size()));
            a.dealloc(p, layout);
        }
    }

    /// The option at [`PURGE_DELAY`] is the purge delay: mimalloc 3 starts it
    /// at 1000 ms, which none of its neighbours in `mi_option_e` does. (Test
    /// binaries keep the system allocator; options are mimalloc's own state.)
    #[test]
    fn the_option_set_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads a plain integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(default, 1000);
        tune(Purge::Never);
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, -1);
        tune(Purge::AfterBuild);
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 30);
    }
}
