//! The HTML report in a real browser: the example estate's report, built by
//! the real binary, is loaded from disk by headless Chromium with networking
//! off; the page must render its sections, run its script and log nothing to
//! the console (no errors, no CSP violations).
//!
//! Needs Chromium (`/usr/bin/chromium` or `chromium` on PATH, Debian package
//! `chromium`); without it the test prints why and passes. With
//! `RAMPART_UPDATE_SCREENSHOT` set it also rewrites `docs/report.png`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// A scratch directory unique to this run.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("report-browser-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
}

/// Run Chromium headless on a local file, with a fresh profile and every
/// background connection off. Killed after two minutes.
fn run_chromium(bin: &Path, scratch: &Path, extra: &[String], page: &Path) -> Output {
    let profile = scratch.join(format!(
        "profile-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&profile).expect("profile dir");
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    args.push(format!("file://{}", page.display()));
    let mut child = Command::new(bin)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on threads so that a chatty browser cannot block.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut buf);
        buf
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// Lines of Chromium's log that report a message of the page's console or an
/// uncaught exception. Chromium logs every console message of the page, of
/// whatever level, as `...:INFO:CONSOLE:<line>] "<message>", source: <url>`
/// (older versions: `INFO:CONSOLE(<line>)`, some builds `ERROR:CONSOLE`);
/// the report logs nothing, so any such line is a failure.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

#[test]
fn html_report_loads_in_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED: chromium not found (/usr/bin/chromium or `chromium` on PATH); \
             install the Debian package `chromium` to run the browser test"
        );
        return;
    };
    let dir = scratch("example");

    // The detection must be real: a page that logs an error and throws is caught.
    let canary = dir.join("canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html><title>canary</title><script>console.error(\"canary error\"); undefinedFunction();</script>",
    )
    .expect("write canary");
    let output = run_chromium(&browser, &dir, &["--dump-dom".into()], &canary);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = console_lines(&stderr);
    assert!(
        lines.iter().any(|l| l.contains("canary error"))
            && lines.iter().any(|l| l.contains("Uncaught")),
        "this chromium logs console messages in an unknown format; adapt console_lines.\nstderr:\n{stderr}"
    );

    // The report of the example estate, from the real binary.
    let report = dir.join("report.html");
    let example = repo().join("examples/insecure-cluster");
    let scan = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["scan"])
        .arg(&example)
        .args(["--format", "html", "-o"])
        .arg(&report)
        .output()
        .expect("rampart runs");
    assert!(
        report.is_file(),
        "`rampart scan --format html -o FILE` wrote no report (status {:?}); stderr:\n{}",
        scan.status.code(),
        String::from_utf8_lossy(&scan.stderr)
    );
    let html = std::fs::read_to_string(&report).expect("read report");
    assert!(html.starts_with("<!DOCTYPE html>"), "not an HTML page");

    let output = run_chromium(&browser, &dir, &["--dump-dom".into()], &report);
    let dom = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "chromium failed ({:?}); stderr:\n{stderr}",
        output.status.code()
    );
    for needle in [
        "<h2>Fix first</h2>",
        "class=\"actions\"",
        "<h2>Scores</h2>",
        "<svg class=\"chart\"",
        "<h2>Attack paths</h2>",
        "<h2>Findings</h2>",
        "id=\"findings-table\"",
        "data-severity=\"critical\"",
    ] {
        assert!(dom.contains(needle), "the rendered page lacks {needle}");
    }
    // The script ran: it shows the filters and counts the rows.
    assert!(
        dom.contains("findings shown</output>"),
        "the filter script did not run"
    );
    assert!(
        !dom.contains("<form class=\"filters\" id=\"filters\" hidden"),
        "the filter script did not show the filters"
    );
    let errors = console_lines(&stderr);
    assert!(
        errors.is_empty(),
        "the page logged to the console:\n{}",
        errors.join("\n")
    );

    if std::env::var_os("RAMPART_UPDATE_SCREENSHOT").is_some() {
        let png = repo().join("docs/report.png");
        let output = run_chromium(
            &browser,
            &dir,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,1800".into(),
                "--hide-scrollbars".into(),
            ],
            &report,
        );
        assert!(
            output.status.success() && png.is_file(),
            "screenshot failed; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!("wrote {}", png.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
