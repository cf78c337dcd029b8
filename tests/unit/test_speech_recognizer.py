"""The streaming loop (partials, finals, times, pause, stop, resampling) over a scripted
stand-in for Vosk, so it runs fast without a model.  The real model is exercised in
``tests/integration/test_transcription_e2e.py``."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agent_app.services.speech.audio import PushAudioSource
from agent_app.services.speech.recognizer import (
    Partial,
    Segment,
    SpeechModel,
    StreamingRecognizer,
    TranscriptionService,
    join_words,
)

RATE = 16000
SPEECH = b"\x10\x00" * 1600  # 100 ms of "speech" at 16 kHz
SILENCE = b"\x00\x00" * 1600


class ScriptedRecognizer:
    """Each non-silent chunk is one word; a silent chunk after words ends an utterance."""

    WORDS = ["我", "叫", "张伟", "住在", "朝阳区"]

    def __init__(self, model: Any, rate: float, grammar: str | None = None) -> None:
        self.rate = rate
        self.grammar = json.loads(grammar) if grammar else None
        self.samples = 0
        self.words: list[dict[str, Any]] = []
        self.spoken = 0

    def SetWords(self, enabled: bool) -> None:  # noqa: N802 - Vosk's API
        pass

    def AcceptWaveform(self, data: bytes) -> bool:  # noqa: N802
        start = self.samples / self.rate
        self.samples += len(data) // 2
        if data.count(0) < len(data) * 3 // 4:  # mostly non-zero samples: speech
            word = self.WORDS[self.spoken % len(self.WORDS)]
            self.spoken += 1
            self.words.append({"word": word, "start": start, "end": self.samples / self.rate})
            return False
        return bool(self.words)

    def _result(self) -> str:
        words, self.words = self.words, []
        text = " ".join(w["word"] for w in words)
        return json.dumps({"text": text, "result": [{**w, "conf": 0.9} for w in words]})

    def Result(self) -> str:  # noqa: N802
        return self._result()

    def FinalResult(self) -> str:  # noqa: N802
        return self._result()

    def PartialResult(self) -> str:  # noqa: N802
        return json.dumps({"partial": " ".join(w["word"] for w in self.words)})


@pytest.fixture
def fake_vosk(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    module = SimpleNamespace(KaldiRecognizer=ScriptedRecognizer, SetLogLevel=lambda level: None)
    monkeypatch.setitem(sys.modules, "vosk", module)
    return module


@pytest.fixture
def service(fake_vosk: SimpleNamespace, tmp_path: Path) -> TranscriptionService:
    vocabulary = {"朝阳区", "海淀区", "[unk]"}
    fake_model = SimpleNamespace(vosk_model_find_word=lambda w: 1 if w in vocabulary else -1)
    svc = TranscriptionService(tmp_path)
    svc._model = SpeechModel(tmp_path, fake_model, phrase_lists=True)  # noqa: SLF001
    return svc


class ListSource:
    def __init__(self, chunks: list[bytes], rate: int = RATE, live: bool = False) -> None:
        self.sample_rate = rate
        self.live = live
        self._chunks = chunks
        self.closed = False

    def chunks(self) -> Iterator[bytes]:
        yield from self._chunks

    def close(self) -> None:
        self.closed = True


def test_chinese_words_are_joined_without_spaces() -> None:
    assert join_words("我 叫 张伟 住在 朝阳区") == "我叫张伟住在朝阳区"
    assert join_words("안녕 하세요") == "안녕 하세요"


def test_partials_grow_then_a_final_segment_with_times(service: TranscriptionService) -> None:
    partials: list[Partial] = []
    finals: list[Segment] = []
    source = ListSource([SPEECH, SPEECH, SPEECH, SILENCE, SPEECH, SPEECH, SILENCE])
    stats = service.stream(source, on_partial=partials.append, on_final=finals.append)
    assert [p.text for p in partials] == ["我", "我叫", "我叫张伟", "住在", "住在朝阳区"]
    assert [f.text for f in finals] == ["我叫张伟", "住在朝阳区"]
    assert finals[0].start == pytest.approx(0.0)
    assert finals[0].end == pytest.approx(0.3)
    assert finals[1].start == pytest.approx(0.4)
    assert finals[1].as_dict()["confidence"] == pytest.approx(0.9)
    assert stats.audio_s == pytest.approx(0.7)
    assert stats.first_partial_audio_s == pytest.approx(0.1)
    assert stats.text == "我叫张伟 住在朝阳区"
    assert source.closed


def test_the_end_of_audio_flushes_the_last_utterance(service: TranscriptionService) -> None:
    stats = service.stream(ListSource([SPEECH, SPEECH]))
    assert [s.text for s in stats.segments] == ["我叫"]


def test_telephony_audio_at_8_khz_is_resampled(service: TranscriptionService) -> None:
    source = PushAudioSource(sample_rate=8000)
    for chunk in (b"\x10\x00" * 800, b"\x10\x00" * 800, b"\x00\x00" * 800):
        source.push(chunk)
    source.end()
    stats = service.stream(source)
    assert stats.audio_s == pytest.approx(0.3, abs=0.01)
    assert [s.text for s in stats.segments] == ["我叫"]


def test_stop_ends_the_run_and_keeps_what_was_heard(service: TranscriptionService) -> None:
    stop = threading.Event()
    finals: list[Segment] = []

    def on_partial(partial: Partial) -> None:
        if partial.text == "我叫":
            stop.set()

    stats = service.stream(
        ListSource([SPEECH] * 50), on_partial=on_partial, on_final=finals.append, stop=stop
    )
    assert stats.stopped
    assert [f.text for f in finals] == ["我叫"]
    assert stats.audio_s == pytest.approx(0.2)


def test_pausing_a_live_source_drops_audio_but_keeps_the_clock(
    service: TranscriptionService,
) -> None:
    pause = threading.Event()
    chunks = [SPEECH, SPEECH, SPEECH, SPEECH, SPEECH, SILENCE]

    class PausingSource(ListSource):
        def chunks(self) -> Iterator[bytes]:
            for i, chunk in enumerate(self._chunks):
                if i == 1:
                    pause.set()  # pause during the 2nd and 3rd chunk
                if i == 3:
                    pause.clear()
                yield chunk

    finals: list[Segment] = []
    stats = service.stream(PausingSource(chunks, live=True), on_final=finals.append, pause=pause)
    assert [f.text for f in finals] == ["我", "叫张伟"]
    assert finals[1].start == pytest.approx(0.3)  # the paused 200 ms still count
    assert stats.audio_s == pytest.approx(0.4)


def test_phrase_lists_keep_only_known_words(service: TranscriptionService) -> None:
    assert service.model is not None
    rec = StreamingRecognizer(service.model, phrases=["朝阳区", "不存在的词", "海淀区"])
    assert rec.phrases == ["朝阳区", "海淀区"]
    assert rec._rec.grammar == ["朝阳区", "海淀区", "[unk]"]  # noqa: SLF001
    service.model.phrase_lists = False
    assert StreamingRecognizer(service.model, phrases=["朝阳区"]).phrases == []


def test_a_primed_spare_recogniser_keeps_times_relative_to_the_call(
    fake_vosk: SimpleNamespace, tmp_path: Path
) -> None:
    svc = TranscriptionService(tmp_path, keep_warm=True)
    svc._model = SpeechModel(tmp_path, SimpleNamespace(vosk_model_find_word=lambda w: -1))  # noqa: SLF001
    svc.prepare()
    spare = svc._spare  # noqa: SLF001
    assert spare is not None
    assert spare._rec.samples == RATE  # one second of silence already decoded  # noqa: SLF001
    stats = svc.stream(ListSource([SILENCE, SPEECH, SPEECH, SILENCE]))
    assert stats.segments[0].start == pytest.approx(0.1)
    assert stats.segments[0].end == pytest.approx(0.3)
    assert svc._spare is not None  # noqa: SLF001 - the next call's recogniser
    assert svc._spare is not spare  # noqa: SLF001
