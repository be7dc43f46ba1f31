"""Every code the data contract allows has words for users, and the words are not the code."""

from __future__ import annotations

import pytest

from dashboard import contract, labels

ENUMS = [
    (extract.filename, column)
    for extract in contract.EXTRACTS
    for column in extract.columns
    if column.kind == "enum" and column.values
]


@pytest.mark.parametrize(("filename", "column"), ENUMS, ids=[f"{f}:{c.name}" for f, c in ENUMS])
def test_every_allowed_code_has_a_label(filename, column):
    missing = [
        code
        for code in (*column.values, *column.extra_values)
        if code not in labels.LABELS.get(column.name, {})
    ]
    assert not missing, f"{filename} column {column.name}: no label for {missing}"


@pytest.mark.parametrize("kind", sorted(labels.LABELS))
def test_labels_are_words_not_codes(kind):
    for code, words in labels.LABELS[kind].items():
        assert words != code and "_" not in words, f"{kind} {code!r} is labelled {words!r}"


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        ("request_source", "early_years", "Early years setting"),
        ("placement_type", "special_maintained", "Special school (LA maintained)"),
        ("placement_type", "post16", "Post-16 college or training"),
        ("primary_need", "OTH", "Other difficulty or disability"),
        ("primary_need", "NSA", "No specialist assessment of need"),
        ("designation", "MIXED", "Mixed needs"),
        ("primary_need", None, "Need not yet recorded"),
        ("primary_need", "Not yet known", "Need not yet recorded"),
        ("placement_type", "No plan issued", "No plan issued"),
        ("district", "out_of_area", "Outside Lancashire"),
        ("district", "Preston", "Preston"),  # a name from the reference file is shown as it is
    ],
)
def test_label_of_a_code(kind, code, words):
    assert labels.label(kind, code) == words


def test_every_age_group_and_need_code_the_filters_offer_is_in_the_contract():
    assert set(labels.NEEDS) == set(contract.NEED_CODES)
