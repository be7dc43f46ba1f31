"""Text from the data, made literal for the place it lands.

District and locality names, setting names, milestone labels, target sources, header names and any other
string read from an extract or reference file can hold markup, by accident or on purpose. Each function
here makes such text show exactly as written in one place it can land, so a data file can never put a
link, formatting, LaTeX or a script in front of a reader:

- ``markdown`` for anything Streamlit renders as markdown (st.markdown, st.title, st.caption, st.info,
  st.error, widget, metric, tab and expander labels and help);
- ``plotly`` for Plotly's label HTML (tick labels, legend and trace names, hover text, annotations,
  titles);
- ``html`` for HTML text and attribute values (the snapshot, st.html);
- ``script`` for JSON put inside an HTML ``<script>`` element.

Escape where the text lands, once: views and charts keep their words as plain text, and the page, chart
or document that shows them escapes them.
"""

from __future__ import annotations

import html as _html
import re

# CommonMark lets any ASCII punctuation character be escaped with a backslash, and then shows it as itself.
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

# An invisible character that joins words (it never breaks a line and takes no width). Some of what Streamlit
# interprets is found in the text after the markdown is parsed, when the backslashes are already gone: emoji
# and icon shortcodes (":smile:", ":material/home:") and GitHub's bare links ("https://...", "www....",
# "name@example.org"). A word joiner placed inside each such pattern stops it matching and looks like nothing.
_JOINER = "\u2060"
_SHOWN_AS_LINK_OR_ICON = re.compile(r"(?<=:)|(?<=@)|(?i:(?<=www)(?=\.))")


def markdown(text: object) -> str:
    """Text shown exactly as written wherever Streamlit renders markdown: no formatting, headings, lists,
    quotes, tables, links (written or bare), images, LaTeX, HTML, coloured text, icons or emoji."""
    text = _SHOWN_AS_LINK_OR_ICON.sub(_JOINER, str(text))
    escaped = "".join("\\" + ch if ch in _ASCII_PUNCTUATION else ch for ch in text)
    # A line break would start a new block (a heading, a list, a quote) whatever is escaped: one line only.
    return re.sub(r"\s*[\r\n]+\s*", " ", escaped)


def plotly(text: object) -> str:
    """Text shown exactly as written in a Plotly label (tick labels, legend and trace names, hover text,
    annotations and titles), where Plotly reads a subset of HTML (<a>, <b>, <i>, <br>, <span style>...),
    entities, LaTeX between dollar signs and, in hover templates, %{...} placeholders."""
    escaped = _html.escape(str(text), quote=True)
    return escaped.replace("$", "&#36;").replace("%", "&#37;")


def html(text: object) -> str:
    """Text shown exactly as written in HTML, as element content or inside a quoted attribute value."""
    return _html.escape(str(text), quote=True)


def script(json_text: str) -> str:
    """JSON made safe to put inside an HTML <script> element: nothing in it can end the element ('</script>')
    or open a comment ('<!--'), and it still parses to the same value."""
    return (
        json_text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
