//! The HTML report is self-contained, escapes its input and is deterministic.

mod common;

use std::time::Duration;

use common::Fixture;
use rampart_report::render_html;

#[test]
fn makes_no_network_requests() {
    let fixture = Fixture::new();
    let html = render_html(&fixture.report());
    // References (https://... in the check metadata) are printed as text.
    assert!(html.contains("https://"), "expected references as text");
    for banned in [
        "src=",
        "href=\"http",
        "href=\"//",
        "url(",
        "@import",
        "<link rel=\"stylesheet",
        "<iframe",
        "<img",
    ] {
        assert!(!html.contains(banned), "found {banned}");
    }
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#') || href.starts_with("data:"),
            "unexpected link {}",
            &href[..href.find('"').unwrap_or(href.len())]
        );
    }
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn escapes_everything_from_the_input() {
    let fixture = Fixture::new();
    let html = render_html(&fixture.report());
    // Exactly one script element: ours.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    // Markup in fixes and errors is text too.
    assert!(html.contains("not the end &lt;/details&gt; &lt;b&gt;"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains("<b>bold</b>"));
}

#[test]
fn holds_every_section() {
    let fixture = Fixture::new();
    let html = render_html(&fixture.report());
    for needle in [
        "<h2>Fix first</h2>",
        "<h2>Scores</h2>",
        "<svg class=\"chart\"",
        "<h2>Attack paths</h2>",
        "<span class=\"tid\">T1611</span>",
        "<span class=\"tid\">T1528</span>",
        "<h2>Findings</h2>",
        "id=\"findings-table\"",
        "data-severity=\"critical\"",
        "<h2>Input errors</h2>",
        "1 suppressed finding",
        "not assessed",
        "include NetworkPolicies | Services",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // The suppressed finding is not in the findings table.
    let table = &html[html.find("id=\"findings-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr data-area").count(), 4);
    assert!(!table.contains("tools/debug.yaml"));
}

#[test]
fn is_deterministic() {
    let fixture = Fixture::new();
    let first = render_html(&fixture.report());
    let mut report = fixture.report();
    report.duration = Duration::from_secs(99);
    assert_eq!(first, render_html(&report));
}
