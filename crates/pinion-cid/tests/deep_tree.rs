//! A directory tree built from a very deep path (anyone's, e.g. an upload to the
//! emulator) takes memory linear in the path's length, and is cloned, compared and
//! dropped without recursion.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pinion_cid::{CidVersion, DirectoryBuilder, hash_bytes};

/// Counts the bytes allocated and not yet freed, and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const V: CidVersion = CidVersion::V1;

/// The tests of this file run one at a time, so each counts its own memory.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_very_deep_path_builds_a_tree_in_linear_memory_and_bounded_time() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let depth = 10_000;
    let path = "d/".repeat(depth) + "leaf";
    let started = Instant::now();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let (tree, copy) = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut builder = DirectoryBuilder::new(V);
            builder.add_file(&path, hash_bytes(b"leaf", V)).unwrap();
            let spare = builder.clone();
            drop(spare);
            let tree = builder.finish_tree();
            let copy = tree.clone();
            assert_eq!(copy, tree);
            (tree, copy)
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    let peak = PEAK.load(Ordering::Relaxed) - before;
    // Keyed by full path, the directories alone would hold depth² bytes (100 MB);
    // a tree of names holds a few small allocations per level (even twice over).
    assert!(
        peak < 4096 * depth,
        "{peak} bytes for a path of depth {depth}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(tree.directory_count(), depth);
    assert_eq!(tree.file_count(), 1);
    let deepest = "d/".repeat(depth);
    assert!(tree.directory(&deepest).is_some());
    assert_eq!(tree.file(&(deepest + "leaf")).unwrap().byte_len, 4);
    assert!(tree.directory("d/d/leaf").is_none());
    // Listing the paths one at a time holds one path at a time.
    let longest = tree.entries().map(|(path, _)| path.len()).max();
    assert_eq!(longest, Some(2 * depth + 4));
    drop(copy);
}

#[test]
fn a_deep_builder_clones_on_a_small_stack() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let path = "d/".repeat(100_000) + "leaf";
    let cloned = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut builder = DirectoryBuilder::new(V);
            builder.add_file(&path, hash_bytes(b"leaf", V)).unwrap();
            let copy = builder.clone();
            format!("{copy:?}").len() > 100_000 && copy.finish() == builder.finish()
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(cloned);
}
