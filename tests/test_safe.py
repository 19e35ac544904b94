"""Text from data stays text wherever it lands: HTML, script, Markdown, CSV, links."""

from __future__ import annotations

import json

import pytest
from jinja2 import Template

from geo.safe import (
    csv_cell,
    csv_cell_value,
    html_text,
    markdown_text,
    safe_url,
    script_json,
)

HOSTILE = (
    "{{7*7}}",
    "{% for x in range(3) %}x{% endfor %}",
    "{# comment #}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"'><svg onload=alert(1)>",
    "![x](http://example.invalid/pixel.png)",
    '=HYPERLINK("http://example.invalid","x")',
    "line\u2028separator",
)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_is_inert_as_html_and_as_a_template(text):
    escaped = html_text(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    # Rendered as template source (what branca does to element output), it
    # comes out unchanged: nothing was evaluated.
    assert Template(escaped).render() == escaped


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_round_trips_and_cannot_break_out(text):
    value = {"title": text, "nested": [text, {"k": text}], "n": -1.5}
    out = script_json(value)
    assert json.loads(out) == value
    assert "</" not in out and "<!--" not in out
    assert "{{" not in out and "{%" not in out and "{#" not in out
    assert Template(out).render() == out


def test_markdown_text_leaves_no_image_or_link():
    out = markdown_text("![x](http://example.invalid/p.png) [a](javascript:x) **b**")
    assert "![" not in out and "](" not in out and "**" not in out


@pytest.mark.parametrize(
    "cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_csv_cell_neutralises_formulas(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    "value", [-3, -2.5, 0, "plain text", "Abu Kamal", "-33.5", "+3", "1e-3"]
)
def test_csv_cell_keeps_numbers_and_plain_text(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize(
    "text", ["=1+1", "-2+3", "'quoted'", "''", "'=x", "plain", "-7", "\t=1", "@"]
)
def test_csv_cell_value_gives_every_text_back(text):
    assert csv_cell_value(csv_cell(text)) == text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//example.invalid/x",
        "/relative",
        "http://",
        "https://exa mple.org/",
        'https://example.org/"onmouseover="x',
    ],
)
def test_safe_url_refuses_anything_but_http_links(url):
    assert safe_url(url) is None


def test_safe_url_keeps_web_links():
    assert safe_url("https://www.reuters.com/article/x") == (
        "https://www.reuters.com/article/x"
    )
