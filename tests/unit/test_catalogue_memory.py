"""The catalogue's pinyin keys are made once; pypinyin's dictionaries do not stay loaded."""

from __future__ import annotations

import gc
import sys
import threading
import weakref
from pathlib import Path

from agent_app.services.catalogue import Catalogue

KB = Path(__file__).resolve().parents[2] / "knowledge_base" / "catalogue"


def _pinyin_loaded() -> list[str]:
    return [m for m in sys.modules if m.split(".")[0] == "pypinyin"]


def test_pypinyin_is_dropped_after_the_keys_are_made_and_freed() -> None:
    import pypinyin.phrases_dict  # noqa: PLC0415 - the module whose dictionary is large

    phrases = weakref.ref(pypinyin.phrases_dict)
    del pypinyin
    index = Catalogue.load(KB).index()
    index.warm()
    assert _pinyin_loaded() == []
    gc.collect()
    assert phrases() is None  # nothing holds the dictionaries any more
    # the keys were made, and the search uses them
    assert index.search("nq", limit=3)[0].category.level3 == "暖气不热"


def test_indexes_warmed_in_parallel_get_the_same_keys() -> None:
    reference = Catalogue.load(KB).index()
    reference.warm()
    indexes = [Catalogue.load(KB).index() for _ in range(3)]
    threads = [threading.Thread(target=i.warm) for i in indexes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for index in indexes:
        assert index._pinyin == reference._pinyin  # noqa: SLF001 - the keys themselves
    assert _pinyin_loaded() == []
