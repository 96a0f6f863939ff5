//! The pty start-up probe: the bench-profile binary in a 120×40 pseudo-terminal.
//! Prints (does not assert): time to first frame over 20 starts, bytes written for one selection
//! move, peak RSS (VmHWM) and CPU used while idle for 2 s.
//! Targets: first frame ≤ 10 ms, ≤ 400 bytes per move, 0 CPU idle, RSS ≤ 10 MB.
//! Run with `cargo bench --bench startup` (Linux: reads /proc).

#[path = "../tests/support/pty.rs"]
mod pty;

use pty::{Key, Output, Pty, TIMEOUT};
use std::time::{Duration, Instant};

const COLS: u16 = 120;
const ROWS: u16 = 40;
const STARTS: usize = 20;

fn first_frame(o: &Output) -> bool {
    o.screen_text().contains("Practice")
}

/// The whole menu frame: the key bar is the last row drawn.
fn full_frame(o: &Output) -> bool {
    let s = o.screen_text();
    s.contains("Practice") && s.lines().last().is_some_and(|l| l.contains("quit"))
}

fn spawn(dir: &tempfile::TempDir) -> Pty {
    Pty::spawn(&["--data-dir", pty::path_arg(dir.path())], COLS, ROWS)
}

fn quit(mut t: Pty) {
    t.send_key(Key::Char('q'));
    let status = t.wait_exit(TIMEOUT);
    assert!(status.success(), "kmsquest exited with {status}");
}

/// Wait until no byte arrived for `quiet` (the redraw is complete); the bytes count so far.
fn settle(t: &Pty, quiet: Duration) -> usize {
    let mut n = t.raw_len();
    let mut since = Instant::now();
    let deadline = Instant::now() + TIMEOUT;
    while since.elapsed() < quiet && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        let m = t.raw_len();
        if m != n {
            n = m;
            since = Instant::now();
        }
    }
    n
}

fn stats(label: &str, mut xs: Vec<Duration>) {
    xs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{label:<28} min {:7.2} ms   median {:7.2} ms   max {:7.2} ms   (n = {})",
        ms(xs[0]),
        ms(xs[xs.len() / 2]),
        ms(xs[xs.len() - 1]),
        xs.len()
    );
}

fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here (0-based 11, 12).
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// CPU time of all the process's threads in nanoseconds (schedstat: finer than clock ticks).
fn cpu_ns(pid: u32) -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

fn clock_ticks_per_sec() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

fn main() {
    // `cargo bench` passes `--bench` (and maybe a filter); this probe takes no options.
    println!("kmsquest start-up probe: {} at {COLS}×{ROWS}", pty::BIN);
    let dir = pty::temp_data_dir();

    // Warm the page cache and the data dir once, unmeasured.
    let t = spawn(&dir);
    t.wait_until("the first frame", TIMEOUT, full_frame);
    quit(t);

    let mut first = Vec::new();
    let mut full = Vec::new();
    for _ in 0..STARTS {
        let t = spawn(&dir);
        t.wait_until("the first frame", TIMEOUT, first_frame);
        first.push(t.spawned_at.elapsed());
        t.wait_until("the complete first frame", TIMEOUT, full_frame);
        full.push(t.spawned_at.elapsed());
        quit(t);
    }
    stats("spawn → \"Practice\" shown", first);
    stats("spawn → whole frame drawn", full);

    let mut t = spawn(&dir);
    t.wait_until("the first frame", TIMEOUT, full_frame);
    let first_frame_bytes = settle(&t, Duration::from_millis(200));
    println!("first frame                  {first_frame_bytes} bytes");

    // One selection move on the menu: Practice → Present, and back.
    let before = t.raw_len();
    t.send_key(Key::Char('j'));
    t.wait_for_text("› Present", TIMEOUT);
    let after = settle(&t, Duration::from_millis(200));
    println!("menu move down (j)           {} bytes", after - before);
    let before = after;
    t.send_key(Key::Char('k'));
    t.wait_for_text("› Practice", TIMEOUT);
    let after = settle(&t, Duration::from_millis(200));
    println!("menu move up (k)             {} bytes", after - before);

    let pid = t.pid();
    let hz = clock_ticks_per_sec();
    match (proc_status_kb(pid, "VmHWM:"), proc_status_kb(pid, "VmRSS:")) {
        (Some(hwm), Some(rss)) => println!(
            "peak RSS (VmHWM)             {:.2} MB   (current VmRSS {:.2} MB)",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        ),
        _ => println!("peak RSS                     unavailable (no /proc/{pid}/status)"),
    }

    // Idle: nothing typed for 2 s. A blocking loop uses no CPU and writes nothing.
    let idle = Duration::from_secs(2);
    let bytes_before = t.raw_len();
    let cpu_before = cpu_ticks(pid);
    let ns_before = cpu_ns(pid);
    std::thread::sleep(idle);
    let cpu_after = cpu_ticks(pid);
    let ns_after = cpu_ns(pid);
    let bytes_idle = t.raw_len() - bytes_before;
    match (cpu_before, cpu_after) {
        (Some(a), Some(b)) => println!(
            "CPU while idle for {:?}       {} ticks = {:.1} ms (utime+stime, {hz} ticks/s); {bytes_idle} bytes written",
            idle,
            b - a,
            (b - a) as f64 * 1000.0 / hz as f64
        ),
        _ => println!("CPU while idle               unavailable (no /proc/{pid}/stat)"),
    }
    if let (Some(a), Some(b)) = (ns_before, ns_after) {
        println!(
            "CPU while idle (schedstat)   {:.3} ms over all threads",
            (b - a) as f64 / 1e6
        );
    }
    if let Some(total) = cpu_ns(pid) {
        println!(
            "CPU since start (schedstat)  {:.3} ms (start-up, two redraws, 2 s idle)",
            total as f64 / 1e6
        );
    }
    quit(t);
}
