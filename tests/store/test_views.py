"""CachedStore iteration against a dict model while writes and iterations interleave.

The layer keeps its sorted key list between iterations and merges new keys in (one by one up to
`INSORT_LIMIT`, by a sort beyond); these tests drive both paths, branches and reverse order.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import MemoryDatabase, MultiStore
from app.store.views import INSORT_LIMIT, CachedStore

STORE = "s"

keys = st.binary(min_size=1, max_size=3)
write = st.tuples(keys, st.none() | st.binary(max_size=2))
"""(key, value); a None value is a delete."""
bounds = st.tuples(st.none() | keys, st.none() | keys)
step = st.one_of(
    st.tuples(st.just("write"), st.lists(write, max_size=2 * INSORT_LIMIT + 5)),
    st.tuples(st.just("iterate"), st.tuples(bounds, st.booleans())),
    st.tuples(st.just("branch"), st.booleans()),
)


def expected(
    model: dict[bytes, bytes], start: bytes | None, end: bytes | None, reverse: bool
) -> list[tuple[bytes, bytes]]:
    pairs = sorted(
        (key, value)
        for key, value in model.items()
        if (start is None or key >= start) and (end is None or key < end)
    )
    return pairs[::-1] if reverse else pairs


def committed_store(entries: dict[bytes, bytes]) -> MultiStore:
    store = MultiStore(MemoryDatabase(), [STORE])
    view = store.block_view()
    for key, value in entries.items():
        view.store(STORE).set(key, value)
    store.finalize(view, 1)
    store.commit()
    return store


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, st.binary(max_size=2), max_size=20), st.lists(step, max_size=12))
def test_iteration_matches_model_across_writes_and_branches(
    base: dict[bytes, bytes], steps: list[tuple[str, object]]
) -> None:
    top = committed_store(base).block_view()
    views = [top]
    models = [dict(base)]
    for kind, argument in steps:
        store: CachedStore = views[-1].store(STORE)
        model = models[-1]
        if kind == "write":
            assert isinstance(argument, list)
            for key, value in argument:
                if value is None:
                    store.delete(key)
                    model.pop(key, None)
                else:
                    store.set(key, value)
                    model[key] = value
        elif kind == "iterate":
            assert isinstance(argument, tuple)
            (start, end), reverse = argument
            got = list(store.iterate(start, end, reverse=reverse))
            assert got == expected(model, start, end, reverse)
        elif argument or len(views) == 1:
            views.append(views[-1].branch())
            models.append(dict(model))
        else:
            views.pop().write()
            models.pop()
            models[-1] = model
    assert list(views[-1].store(STORE).iterate()) == expected(models[-1], None, None, False)


def test_keys_added_after_an_iteration_are_merged_into_the_sorted_list() -> None:
    view = committed_store({}).block_view()
    store = view.store(STORE)
    first = [bytes([k]) for k in range(0, 200, 2)]
    for key in reversed(first):
        store.set(key, b"v")
    assert [key for key, _ in store.iterate()] == first
    # A few new keys (insertion path), then many (sort path), each followed by an iteration.
    few = [b"\x03", b"\xc7", b"\x00\x01"]
    many = [bytes([k]) for k in range(1, 2 * INSORT_LIMIT + 1, 2)]
    seen = set(first)
    for batch in (few, many):
        for key in batch:
            store.set(key, b"w")
        seen |= set(batch)
        assert [key for key, _ in store.iterate()] == sorted(seen)
        assert [key for key, _ in store.iterate(reverse=True)] == sorted(seen, reverse=True)
