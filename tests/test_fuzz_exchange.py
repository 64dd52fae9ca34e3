"""Fuzzed exchange files: whatever arrives, the import either takes it whole or refuses it with a
Chinese message, the store is untouched by a refusal, and what is taken round-trips unchanged.

The files are real reports mutated the way a careless editor, a broken transfer or an attacker
would: values swapped for any JSON value (lone surrogates, huge numbers, nesting), keys added,
renamed, duplicated or removed, bytes cut off or flipped, byte order marks. benchmarks/
fuzz_exchange.py runs the same check over 10,000+ files and prints the figures.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gongkai_desktop.errors import GongkaiError, ImportRejected
from gongkai_desktop.storage import exchange as X
from gongkai_desktop.storage.store import Store
from sample import full_report

BASES = [json.loads(X.dumps(full_report(2025))), json.loads(X.dumps(full_report(2020)))]

# Text that breaks things: lone surrogates, controls, bidi overrides, BOMs, long runs, ids.
_nasty = st.sampled_from(["\ud800", "\udfff", "\x00", "\x07", "\u202e", "\ufeff", "\uffff", "　", "/", "..", "R5:",
                          "department", "final", "已定稿", "gb2021", "natural_person", "total", "x" * 201])
texts = st.lists(st.one_of(st.text(max_size=8), _nasty), max_size=4).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.sampled_from([10**9, 10**9 + 1, -1, 0]),
                    st.floats(allow_nan=False, allow_infinity=False), texts)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(texts, inner, max_size=3)), max_leaves=6)


def _paths(node, prefix=()):
    """Every (path) into the document, objects and lists alike."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated_documents(draw):
    doc = json.loads(json.dumps(draw(st.sampled_from(BASES))))
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        path = paths[draw(st.integers(0, len(paths) - 1))]
        action = draw(st.sampled_from(["tweak", "tweak", "tweak", "set", "delete", "add", "rename", "uid",
                                       "version"]))
        if action == "version":
            doc["version"] = draw(st.sampled_from([1, 2, 3, 0, "2", None, 2.0, True]))
            if draw(st.booleans()):
                doc["schema"] = doc.pop("version")
            continue
        if action == "uid":
            doc["uid"] = draw(st.one_of(st.uuids().map(lambda u: u.hex), texts, st.integers()))
            continue
        if not path:
            if action == "set":
                doc = draw(json_values)
                if not isinstance(doc, dict):
                    break
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if action == "tweak":  # a plausible edit of the same type: most of these files are valid
            old = parent[key]
            if isinstance(old, bool) or old is None:
                parent[key] = draw(st.one_of(st.none(), st.integers(0, 10**9)))
            elif isinstance(old, int):
                parent[key] = draw(st.integers(-5, 10**9))
            elif isinstance(old, str):
                parent[key] = draw(st.one_of(st.text(max_size=30), st.decimals(0, 10**6, places=3).map(str)))
        elif action == "set":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(texts)] = draw(json_values)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(texts)] = parent.pop(key)
    return doc


@st.composite
def exchange_files(draw) -> bytes:
    doc = draw(mutated_documents())
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    # sampled_from leans to its first entry, which leaves most files whole
    if draw(st.sampled_from([False] * 9 + [True])) and isinstance(doc, dict) and doc:  # a key written twice
        first = json.dumps(next(iter(doc)))
        text = text.replace(first + ":", f"{first}: null, {first}:", 1)
    data = text.encode("utf-8", "surrogatepass")
    byte_op = draw(st.sampled_from(["none"] * 16 + ["cut", "flip", "bom", "number"]))
    if byte_op == "number":  # numbers json.dumps never writes: huge exponents, 12.0, -0, 31 digits
        numbers = [m.span() for m in re.finditer(rb"(?<=[:\[,] )-?\d+(\.\d+)?", data)]
        if numbers:
            a, b = numbers[draw(st.integers(0, len(numbers) - 1))]
            odd = draw(st.sampled_from([b"1e999999999", b"-1E-999999999", b"12.0", b"-0", b"1" + b"0" * 30,
                                        b"0.0000001", b"1e9", b"1.5e3", b"-0.0"]))
            data = data[:a] + odd + data[b:]
    elif byte_op == "cut":
        data = data[: len(data) - draw(st.integers(1, len(data)))]
    elif byte_op == "flip":
        i = len(data) - 1 - draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
    elif byte_op == "bom":
        data = b"\xef\xbb\xbf" * draw(st.integers(1, 2)) + data
    return data


class Outcome:
    ACCEPTED, REFUSED = "accepted", "refused"


_ENGLISH = re.compile(r"Decimal|Expecting|Unexpected|Illegal|Invalid|Traceback|unhashable|codec|object has no|"
                      r"Exceeds the limit|utf-8-sig")


def _state(store: Store):
    return store.change_counter(), [(r.id, r.updated_at) for r in store.list_reports()]


def check_one(data: bytes, store: Store) -> str:
    """Import ``data`` the way the CLI and the window do (read, then add to the store) and check
    the three promises. Returns what happened; any other exception escapes and fails the caller."""
    before = _state(store)
    try:
        report, _notes = X.loads(data)
    except ImportRejected as exc:
        message = str(exc)
        assert message and message.encode("utf-8")  # showable: no lone surrogates in messages
        assert not _ENGLISH.search(message), message
        assert _state(store) == before
        return Outcome.REFUSED
    text = X.dumps(report)
    again, notes = X.loads(text)
    assert notes == [] and X.dumps(again) == text, "an accepted file must round-trip unchanged"
    try:
        rid = store.add(report)
    except GongkaiError as exc:  # pragma: no cover - the file validation must catch it first
        assert _state(store) == before
        raise AssertionError(f"accepted by the reader but refused by the store: {exc}") from exc
    stored = store.load(rid)
    assert X.dumps(stored) == text, "the stored report must dump to the same file"
    store.delete(rid)
    return Outcome.ACCEPTED


@pytest.fixture(scope="module")
def store():
    folder = tempfile.mkdtemp(prefix="gongkai-fuzz-")
    with Store.open(Path(folder) / "fuzz.db", backups=False) as s:
        yield s


@settings(max_examples=2000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=exchange_files())
def test_fuzzed_exchange_files(store, data):
    check_one(data, store)


def test_the_fuzzer_reaches_both_outcomes(store):
    """A fuzzer that only ever produces refusals (or only acceptances) tests nothing."""
    seen = set()

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=exchange_files())
    def run(data):
        seen.add(check_one(data, store))

    run()
    assert seen == {Outcome.ACCEPTED, Outcome.REFUSED}
