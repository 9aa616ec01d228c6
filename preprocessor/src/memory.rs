//! How the binaries allocate, and handing a finished session's memory back.
//!
//! `mdbook-codetabs build` and `codetabs-serve` render in-process, and mdBook's
//! HTML renderer allocates a node, a string or an attribute map for every
//! piece of every chapter: with glibc's malloc a third of a large build went
//! to `_int_malloc`, `malloc_consolidate` and `free` (BENCHMARKS.md). Both
//! binaries therefore use mimalloc (`#[global_allocator]` in each `main.rs`,
//! built without transparent huge pages: on this kind of machine a fault on
//! an madvised huge page can stall for compaction) and call [`tune`] first.

/// The allocator both binaries install.
pub type Allocator = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the
/// mimalloc 3 that libmimalloc-sys 0.1.49 builds; the version is pinned in
/// Cargo.lock).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Hands freed memory back to the system after 30 ms instead of mimalloc 3's
/// default second: mdBook copies the print page's text several times while
/// rendering it, and with a second's delay every copy counted in the peak
/// (1.13 GB instead of 0.6–0.7 GB for the 4× benchmark book; 10 ms cost the
/// small book page faults). mimalloc's own `MIMALLOC_PURGE_DELAY`, when set, wins.
pub fn tune() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets a plain integer option; mimalloc reads options atomically
    // and accepts any value for this one.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 30) }
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
        tune();
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 30);
    }
}
