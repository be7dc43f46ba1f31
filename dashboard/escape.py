"""Text from the data, made literal for the place it lands.

District and locality names, setting names, milestone labels, target sources, header names and any other
string read from an extract, a reference file or a published file can hold markup, by accident or on
purpose. Each function here makes such text show exactly as written in one place it can land, so a data
file can never put a link, formatting, LaTeX or a script in front of a reader:

- ``markdown`` for anything Streamlit renders as markdown: st.markdown, st.title, st.header, st.caption,
  st.info, st.warning, st.error, and the labels, values and help of metrics, widgets, tabs and expanders
  (and a radio's options), with ``metric_delta`` for a metric's delta. A selectbox's or multiselect's
  options are shown as plain text, so they need nothing;
- ``plotly`` for Plotly's label text (tick and category labels, legend and trace names, hover text and
  templates, bar text, annotations, titles), and ``from_plotly`` to read a clicked point's label back;
- ``html`` for HTML text and attribute values (the snapshot, st.html);
- ``script`` for JSON put inside an HTML ``<script>`` element.

Views and charts' callers keep their words as plain text; the page, chart builder or document that shows
them escapes them, once, where they land. Text the app itself writes as markdown (a bold lead-in, a list)
escapes the data it quotes with ``markdown``.
"""

from __future__ import annotations

import html as _html
import re

# CommonMark shows any ASCII punctuation character escaped with a backslash as itself, and nothing else.
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

# Some of what Streamlit's markdown interprets is found in the text after the markdown is parsed, when the
# backslashes are gone, so escaping cannot stop it: emoji and icon shortcodes (":smile:", ":material_home:",
# ":streamlit:"), GitHub's bare links ("https://…", "www.…", "name@example.org") and Streamlit's typography
# ("--" as a dash, "->" as an arrow, ">=" as ≥). A word joiner (U+2060: no width, no line break, nothing to
# see) placed inside each such pattern stops it matching.
JOINER = "\u2060"
_FOUND_AFTER_PARSING = re.compile(
    r"(?<=:)(?=[\w+/-])"  # ":smile:", ":material/home:", "https://"
    r"|(?<=@)(?=[\w-])"  # "name@example.org"
    r"|(?i:(?<=www)(?=\.))"  # "www.example.org"
    r"|(?<=[-<])(?=[->])|(?<=[<>~])(?==)"  # "--", "->", "<-", "<->", ">=", "<=", "~="
)
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def markdown(text: object) -> str:
    """Text shown exactly as written wherever Streamlit renders markdown: no emphasis, headings, lists,
    quotes, tables, code, links (written or bare), images, LaTeX, HTML, entities, coloured text, badges,
    icons, emoji or typography. Line breaks become spaces (a new line could start a heading or a list) and
    leading spaces go (four would start a code block; a browser shows none of them anyway)."""
    text = _FOUND_AFTER_PARSING.sub(JOINER, _LINE_BREAKS.sub(" ", str(text)).lstrip(" \t"))
    return "".join("\\" + ch if ch in _ASCII_PUNCTUATION else ch for ch in text)


def metric_delta(text: object) -> str:
    """A metric's delta, shown exactly as written as ``markdown`` shows it, with a leading minus sign kept as it
    is: Streamlit reads it to point the arrow down and choose the colour ('-54 on a month earlier')."""
    text = str(text).lstrip(" \t")
    if not text.startswith("-"):
        return markdown(text)
    rest = text[1:]
    return "-" + rest[: len(rest) - len(rest.lstrip(" \t"))] + markdown(rest)


def plotly(text: object) -> str:
    """Text shown exactly as written in a Plotly label, where Plotly reads a subset of HTML (<a>, <b>, <i>,
    <br>, <span style>…) and entities, LaTeX between dollar signs (when MathJax is on the page) and, in hover
    and text templates, %{…} placeholders."""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("$", "&#36;").replace("%{", "&#37;{")


def from_plotly(text: object) -> object:
    """The text a Plotly label was made from by ``plotly`` (what a clicked point gives back); anything that
    is not text is given back as it is."""
    return _html.unescape(text) if isinstance(text, str) else text


def html(text: object) -> str:
    """Text shown exactly as written in HTML, as an element's content or in a quoted attribute value."""
    return _html.escape(str(text), quote=True)


def script(json_text: str) -> str:
    """JSON made safe inside an HTML <script> element: nothing in it can end the element ('</script>'), open
    a comment ('<!--') or end a line in old JavaScript (U+2028, U+2029); it still parses to the same value."""
    for character, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        json_text = json_text.replace(character, code)
    return json_text
