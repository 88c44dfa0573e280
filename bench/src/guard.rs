//! A memory guard for the bench process, and the child processes it must not orphan.
//!
//! A load generator that leaks (a client library preallocating per connection, a queue
//! that grows under overload) can take the whole machine down with it on a shared box. The
//! guard checks this process's RSS twice a second and, over the limit, kills the servers
//! and brokers it started and exits, instead of waiting for the OOM killer (which would
//! leave them running).

use std::sync::Mutex;
use std::time::Duration;

static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Remembers a child process to kill if the guard fires.
pub fn register_child(pid: u32) {
    if let Ok(mut c) = CHILDREN.lock() {
        c.push(pid);
    }
}

/// Forgets a child that has been stopped.
pub fn unregister_child(pid: u32) {
    if let Ok(mut c) = CHILDREN.lock() {
        c.retain(|p| *p != pid);
    }
}

/// Starts the guard thread: exits the process (status 3) if its RSS passes `limit_bytes`.
pub fn start(limit_bytes: u64) {
    let _ = std::thread::Builder::new()
        .name("memory-guard".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let rss = crate::proc_stats::sample(std::process::id()).rss_bytes;
            if rss > limit_bytes {
                eprintln!(
                    "tinyim-bench: RSS {} MB over the {} MB guard; stopping",
                    rss >> 20,
                    limit_bytes >> 20
                );
                if let Ok(c) = CHILDREN.lock() {
                    for pid in c.iter() {
                        let _ = std::process::Command::new("kill")
                            .arg("-KILL")
                            .arg(pid.to_string())
                            .status();
                    }
                }
                std::process::exit(3);
            }
        });
}
