"""The home document's pure parts: JSON safe in a script element, the page's rewrite."""

from __future__ import annotations

import json

from portal.home_document import DATA_ID, embed, script_json, with_today

PAGE = (
    b"<html><head><title>K</title><script>early()</script>"
    b'<link rel="stylesheet" href="/assets/a.css"><link rel=stylesheet href="/elsewhere.css">'
    b'</head><body><div id="root"></div></body></html>'
)


def test_script_json_never_ends_the_script_and_reads_back_the_same() -> None:
    value = {"text": "</script><!-- <b>&amp;</b> \u2028\u2029 'quotes' \"too\""}
    text = script_json(value)
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert json.loads(text) == value


def test_embed_puts_the_data_before_the_first_script_and_the_styles_inline() -> None:
    page = embed(PAGE, '{"answers":[]}', {"/assets/a.css": b"a{b:c}"}.get)
    assert page.index(DATA_ID.encode()) < page.index(b"<script>early()")
    assert b"<style>a{b:c}</style>" in page
    assert b"/assets/a.css" not in page
    # a stylesheet the server cannot read (not one of its assets) stays a link
    assert b'<link rel=stylesheet href="/elsewhere.css">' in page


def test_a_stylesheet_that_would_end_the_style_element_stays_a_link() -> None:
    page = embed(PAGE, "{}", lambda _: b"a{}</style><script>x()</script>")
    assert b'href="/assets/a.css"' in page
    assert b"x()" not in page


def test_today_replaces_only_the_placeholder() -> None:
    variables = {"first": 20, "filter": {"dateFrom": "$today", "dateTo": "$today"}, "q": "$x"}
    assert with_today(variables, "2026-12-07") == {
        "first": 20,
        "filter": {"dateFrom": "2026-12-07", "dateTo": "2026-12-07"},
        "q": "$x",
    }
