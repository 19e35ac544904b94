r"""Text from data made safe for where it lands: HTML, a script, Markdown, CSV, a link.

Every catalogue or uploaded file may be hostile. Text from it is only ever data:
it never becomes markup, script, template source, a spreadsheet formula or a
live link. This module is the one place that knows how, per destination.

Template source matters because folium's elements are Jinja templates and
branca renders the output of each element's macros as a template a second time:
``{{ ... }}`` or ``{% ... %}`` that reaches a folium element as text is
*evaluated on the server*. HTML escaping leaves braces alone, so every function
here that feeds a browser also turns ``{``, ``}`` and ``#`` after a brace into
entities or ``\u`` escapes, which no template engine reads as syntax.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

__all__ = [
    "SAFE_URL_SCHEMES",
    "CSV_PROTECTED",
    "csv_cell",
    "csv_cell_value",
    "html_text",
    "markdown_text",
    "safe_url",
    "script_json",
]

#: The only link schemes a source URL may have to become a clickable link.
SAFE_URL_SCHEMES = ("http", "https")

_HTML_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "{": "\\u007b",
    "}": "\\u007d",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_RE = re.compile("|".join(map(re.escape, _SCRIPT_ESCAPES)))
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
# Every character CommonMark or Streamlit's Markdown gives a meaning to (":"
# for Streamlit's emoji and colour directives, "$" for its LaTeX). Quotes only
# matter inside a link, which the escaped brackets already prevent.
_MARKDOWN_RE = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=])")
#: OWASP: a cell starting with one of these is read by spreadsheets as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
#: A cell :func:`csv_cell` protected: an apostrophe before a formula start or
#: another apostrophe (readers of the project's CSV remove it).
CSV_PROTECTED = re.compile("^'(?=[" + re.escape("".join(_FORMULA_START)) + "'])")


def html_text(value: object) -> str:
    """*value* as text inside HTML (element content or a quoted attribute).

    ``<``, ``>``, ``&``, both quotes and the braces become character references,
    so the result is inert as HTML and as template source. ``None`` gives "".
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_HTML_BRACES)


def script_json(value: object) -> str:
    r"""*value* as JSON that can sit inside a ``<script>`` or a template.

    Standard JSON, parsed by ``JSON.parse`` or as a JavaScript literal to the
    same value; ``<``, ``>``, ``&``, ``'``, braces inside strings and the JS line
    separators are written as ``\u`` escapes, so no ``</script>``, ``<!--``,
    ``{{`` or ``{%`` can appear in the output. Structural braces of objects stay:
    JSON never puts ``{{``, ``{%`` or ``{#`` between them.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Only inside strings: the structural braces of objects stay as they are.
    return _JSON_STRING_RE.sub(
        lambda s: _SCRIPT_RE.sub(lambda m: _SCRIPT_ESCAPES[m.group()], s.group()), text
    )


def markdown_text(value: object) -> str:
    """*value* as literal text inside Markdown (``st.error``, ``st.warning`` ...).

    Every Markdown metacharacter (``<``, ``>`` and ``&`` included) is
    backslash-escaped, so no image, link, HTML, directive or formatting can
    come out of it; line breaks stay line breaks.
    """
    if value is None:
        return ""
    text = _MARKDOWN_RE.sub(r"\\\1", str(value))
    return text.replace("\n", "  \n")


def csv_cell(value: object) -> object:
    """*value* as a spreadsheet-safe CSV cell (OWASP CSV injection advice).

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return
    or a newline gets a leading apostrophe, which spreadsheets show as text
    and hide. Text that already starts with an apostrophe gets another, so
    :func:`csv_cell_value` gives every text back exactly. Numbers (int, float)
    and text that is just a number (``-2.5``, ``+3``, ``1e-3``) pass unchanged:
    a spreadsheet reads those as the number they are.
    """
    if (
        isinstance(value, str)
        and value.startswith((*_FORMULA_START, "'"))
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_cell_value(text: str) -> str:
    """The text :func:`csv_cell` was given (one protective apostrophe removed)."""
    return text[1:] if CSV_PROTECTED.match(text) else text


def safe_url(value: object) -> str | None:
    """*value* if it is an absolute http(s) URL with a host, else None.

    ``javascript:``, ``data:``, ``vbscript:``, relative and scheme-less links,
    and URLs with control characters or whitespace never become links.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or any(ord(c) < 0x21 or c in "\x7f<>\"'`" for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.hostname:
        return None
    return text
