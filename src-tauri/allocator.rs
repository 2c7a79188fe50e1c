//! How the app's own process uses glibc's allocator. By default glibc gives each thread that
//! allocates an arena of its own (up to eight per core), and memory freed in one arena is not
//! reused by the others. The app's work hops between the async runtime's threads and SQLite's
//! worker threads, so a large job (an import of 50,000 users) left each of them holding its own
//! high-water mark. Two arenas keep that memory shared; the web views are other processes and
//! keep their own allocators.

/// Arenas for the app's process. Measured with tests/e2e/app/bench-import.js (50,000 users, the
/// app's own peak): glibc's default 196 MiB PSS, two arenas 170, one 163 (one serializes every
/// thread's allocations on one lock).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// Sets the allocator up; call first thing, before any thread starts.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocator parameters; M_ARENA_MAX takes effect for
    // arenas created afterwards, and no other thread runs yet.
    unsafe {
        if libc::mallopt(libc::M_ARENA_MAX, ARENAS) != 1 {
            eprintln!(
                "lanyard: the allocator kept its default arenas (mallopt refused M_ARENA_MAX)"
            );
        }
    }
}

/// Hands memory freed by a large job back to the system (glibc keeps freed pages otherwise), on
/// a blocking thread: the trim walks each arena under its lock.
pub fn give_back_soon() {
    tauri::async_runtime::spawn_blocking(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only releases free memory held by the allocator.
        unsafe {
            libc::malloc_trim(0);
        }
    });
}
