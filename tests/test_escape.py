"""dashboard.escape: every payload is shown as written in markdown, in Plotly's labels, in HTML and in JSON inside a
<script>, and nothing in it can be read as markup there.

What Streamlit 1.67's markdown interprets is taken from its frontend (static/js/StreamlitMarkdown.*.js):
CommonMark and GitHub's extensions (tables, strikethrough, bare links) through remark, remark-math (turned on
when the source has $…$ or $$…$$), remark-directive (:red[…], :blue-badge[…], :small[…]), and plugins that
rewrite the text after parsing, when backslash escapes are gone: bare links and e-mail addresses, emoji
shortcodes (:smile:), material icons (":material/x:" becomes ":material_x:" before parsing), the Streamlit logo
(:streamlit:) and typography ("--" as —, "->" as →, ">=" as ≥). The patterns below are copied from there.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest

from dashboard import escape
from tests import hostile
from tests.helpers import plain

PAYLOADS = [
    *hostile.PAYLOADS,
    "`` double ``",
    "~~struck~~",
    "name@example.org",
    ":smile: :streamlit: :material_home:",
    ":blue-badge[badge] :small[s]",
    "a -- b -> c <- d <-> e >= f <= g ~= h",
    "1. item",
    "- item",
    "+ item",
    "* item",
    "---",
    "![img](https://example.org/x.png)",
    "<https://example.org>",
    "&amp; &lt;b&gt; &#36;",
    "line one\n# line two\r\n> three",
    "    indented code",
    "C:\\path\\to\\file",
    "%{x} %{customdata[0]}",
    "[ref]: https://example.org",
    "footnote[^1]",
    "Children's services & health",
]

# Applied by Streamlit to the text after parsing (backslash escapes already taken out).
AFTER_PARSING = {
    "bare link": re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I),
    "e-mail address": re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
    "emoji": re.compile(r":[\w+-][\w_+-]*:"),
    "material icon": re.compile(r":material_(\w+):"),
    "Streamlit logo": re.compile(r":streamlit:"),
    "typography": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
# Streamlit loads remark-math when the source has math in it, by these tests (its function bm).
_CODE_OR_ESCAPE = re.compile(
    r"(?:^|(?<=\n)) {0,3}(`{3,}|~{3,})[\s\S]*?(?:\n[ \t]*\1|$)|(?<!`)(`+)[^`\n]+\2(?!`)|\\[\\$`]"
)
_DISPLAY_MATH = re.compile(r"(?<!\$)\$\$+(?!\$)[\s\S]*?\$\$")
_INLINE_MATH = re.compile(r"(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)")


def has_math(source: str) -> bool:
    if "$" not in source:
        return False
    rest = _CODE_OR_ESCAPE.sub("_", source)
    return bool(_DISPLAY_MATH.search(rest) or _INLINE_MATH.search(rest))


def unescape_markdown(source: str) -> str:
    """The text CommonMark makes of source with only backslash escapes in it (what the plugins above see)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_reads_as_written(payload):
    shown = escape.markdown(payload)
    # One line, as a new line could start a block; no leading spaces, which could start a code block.
    expected = re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", payload).lstrip(" \t")
    assert plain(shown) == expected
    assert unescape_markdown(shown).replace(escape.JOINER, "") == expected
    assert "\n" not in shown and "\r" not in shown


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_leaves_no_character_markdown_reads(payload):
    shown = escape.markdown(payload)
    # Every ASCII punctuation character (all that CommonMark, GitHub's tables, remark-math and remark-directive
    # read) is escaped with a backslash; a backslash escape shows the character as itself.
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", shown)
    assert not re.search(r"[!-/:-@\[-`{-~]", bare), bare
    assert not shown.startswith(("    ", "\t"))  # no indented code block
    assert ":material/" not in shown and not has_math(shown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_survives_what_streamlit_does_after_parsing(payload):
    text = unescape_markdown(escape.markdown(payload))
    found = {name: pattern.search(text) for name, pattern in AFTER_PARSING.items()}
    assert not any(found.values()), {name: m.group(0) for name, m in found.items() if m}


def test_the_patterns_would_catch_the_payloads_unescaped():
    """The check above means something: unescaped, the payloads do match what Streamlit rewrites."""
    for payload, name in (
        (hostile.BARE_URL, "bare link"),
        (hostile.BARE_WWW, "bare link"),
        ("name@example.org", "e-mail address"),
        (hostile.ICON.replace("/", "_"), "material icon"),
        (":smile:", "emoji"),
        ("a -- b", "typography"),
    ):
        assert AFTER_PARSING[name].search(payload), payload
    assert has_math(hostile.DISPLAY_MATH) and has_math(hostile.INLINE_MATH)


def test_markdown_keeps_plain_words_plain():
    assert escape.markdown("Preston") == "Preston"
    assert escape.markdown("Ribble Valley 12") == "Ribble Valley 12"
    assert escape.markdown("Time: 10") == "Time\\: 10"  # no joiner where nothing could follow


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_metric_delta_keeps_its_sign_and_escapes_the_rest(payload):
    """Streamlit reads a delta's leading minus sign for the arrow and colour: it is kept; the rest is markdown."""
    for text in (payload, f"-{payload}", f"+{payload}"):
        shown = escape.metric_delta(text)
        assert plain(shown) == re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text).lstrip(" \t")
        assert shown.startswith("-") == text.startswith("-")
        unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", shown.removeprefix("-"))
        assert not re.search(r"[!-/:-@\[-`{-~]", unescaped)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plotly_reads_as_written(payload):
    label = escape.plotly(payload)
    # Plotly splits a label at its tags (<…>), decodes entities in the rest, and reads $…$ as LaTeX and %{…} as
    # a placeholder in templates.
    assert "<" not in label and ">" not in label and "$" not in label and "%{" not in label
    assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt|#36|#37);)*", label, flags=re.S)
    assert html.unescape(label) == payload
    assert escape.from_plotly(label) == payload


def test_plotly_keeps_plain_words_plain():
    assert escape.plotly("Children's services (20%)") == "Children's services (20%)"
    assert escape.from_plotly(3) == 3 and escape.from_plotly(None) is None


class _Parsed(HTMLParser):
    """What a browser's HTML parser makes of a snippet: its tags, attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def parsed(snippet: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(snippet)
    parser.close()
    return parser


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_reads_as_written_in_text_and_attributes(payload):
    shown = escape.html(payload)
    document = parsed(f"<p title='{shown}' data-x=\"{shown}\">{shown}</p>")
    assert document.tags == [("p", [("title", payload), ("data-x", payload)])]
    assert "".join(document.text) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_json_cannot_leave_its_element(payload):
    body = escape.script(json.dumps({"label": payload, "list": [payload]}))
    assert not re.search(r"[<>&\u2028\u2029]", body)
    document = parsed(f"<script>var figure = {body};</script><p>after</p>")
    assert [tag for tag, _ in document.tags] == ["script", "p"]
    assert json.loads("".join(document.scripts).removeprefix("var figure = ").removesuffix(";")) == {
        "label": payload,
        "list": [payload],
    }
