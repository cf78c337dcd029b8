"""Streaming recognition over Vosk: partial text while the caller speaks, timed final segments.

:class:`TranscriptionService` is the entry point the composition root builds (one per seat):
it owns the model directory, loads the model once (off the GUI thread) and runs any
:class:`~agent_app.services.speech.audio.AudioSource` through a recogniser, calling back with
partial text and final :class:`Segment` objects.  The Qt worker only wraps this loop.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_app.services.speech.audio import (
    TARGET_RATE,
    AudioSource,
    StreamResampler,
    WavFileSource,
)
from agent_app.services.speech.model import (
    ProgressCallback,
    SpeechModel,
    check_model_dir,
    load_model,
)

_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")


def join_words(text: str) -> str:
    """Drop the spaces Vosk puts between Chinese words (``我 叫 张三`` → ``我叫张三``)."""
    return _CJK_GAP.sub("", text.strip())


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    conf: float = 1.0


@dataclass(frozen=True)
class Partial:
    """The recogniser's current guess for the utterance in progress."""

    text: str
    at_s: float
    """Audio position (seconds since the stream began) when this guess was made."""


@dataclass(frozen=True)
class Segment:
    """One finished utterance with its times in seconds since the stream began."""

    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()

    @property
    def confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.conf for w in self.words) / len(self.words)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for signals and storage: ``{"text", "start", "end", "confidence"}``."""
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "confidence": round(self.confidence, 3),
        }


class StreamingRecognizer:
    """One utterance stream over a loaded model (not thread-safe: one thread feeds it).

    ``phrases`` restricts recognition to those phrases plus ``[unk]`` when the model allows
    run-time grammars (small Vosk models do); phrases with words outside the vocabulary are
    left out.  Vosk has no hot-word boosting for free speech, so use phrase lists for
    constrained prompts (district names, yes/no), not for a whole call.
    """

    def __init__(
        self,
        model: SpeechModel,
        *,
        phrases: Sequence[str] | None = None,
        sample_rate: int = TARGET_RATE,
    ) -> None:
        import vosk  # noqa: PLC0415

        self.model = model
        self.sample_rate = sample_rate
        self.phrases: list[str] = []
        if phrases and model.phrase_lists:
            self.phrases = [
                p for p in phrases if p.split() and all(model.knows_word(w) for w in p.split())
            ]
        if self.phrases:
            unknown = ["[unk]"] if model.knows_word("[unk]") else []
            grammar = json.dumps([*self.phrases, *unknown], ensure_ascii=False)
            self._rec = vosk.KaldiRecognizer(model.vosk_model, sample_rate, grammar)
        else:
            self._rec = vosk.KaldiRecognizer(model.vosk_model, sample_rate)
        self._rec.SetWords(True)
        self._samples = 0
        self._primed_s = 0.0
        self.offset_s = 0.0
        """Seconds of audio not fed (dropped while paused), added to every time."""
        self._utterance_start = 0.0
        self._last_partial = ""

    @property
    def position_s(self) -> float:
        """Seconds of audio heard so far, including skipped audio."""
        return self._samples / self.sample_rate + self.offset_s

    def prime(self, seconds: float = 1.0) -> None:
        """Feed silence before the call so the decoder's costly first block is done early.

        Vosk computes its network in blocks and the first block of a new recogniser costs
        about half a second; priming moves that cost before the caller speaks, so the first
        partial result comes that much sooner.  Times stay relative to the real audio.
        """
        if self._samples:
            raise RuntimeError("prime() must come before any audio")
        if self._rec.AcceptWaveform(b"\0\0" * int(self.sample_rate * seconds)):
            self._rec.Result()
        self._rec.PartialResult()
        self._primed_s += seconds

    def skip(self, seconds: float) -> None:
        """Account for audio that was not fed (kept out of the transcript while paused)."""
        self.offset_s += seconds

    def accept(self, pcm: bytes) -> Partial | Segment | None:
        """Feed 16-bit mono PCM; returns a final segment, a changed partial, or None."""
        if not pcm:
            return None
        self._samples += len(pcm) // 2
        if self._rec.AcceptWaveform(pcm):
            return self._segment(self._rec.Result())
        text = join_words(json.loads(self._rec.PartialResult()).get("partial", ""))
        if text == self._last_partial:
            return None
        self._last_partial = text
        if not text:
            return None
        return Partial(text=text, at_s=self.position_s)

    def finish(self) -> Segment | None:
        """End the current utterance (end of audio, stop or pause) and return its text."""
        return self._segment(self._rec.FinalResult())

    def _segment(self, raw: str) -> Segment | None:
        result = json.loads(raw)
        self._last_partial = ""
        heard_until = self.position_s
        start_default, self._utterance_start = self._utterance_start, heard_until
        text = join_words(result.get("text", ""))
        if not text:
            return None
        words = tuple(
            Word(
                text=str(w.get("word", "")),
                start=max(float(w.get("start", 0.0)) - self._primed_s, 0.0) + self.offset_s,
                end=max(float(w.get("end", 0.0)) - self._primed_s, 0.0) + self.offset_s,
                conf=float(w.get("conf", 1.0)),
            )
            for w in result.get("result", [])
        )
        if words:
            return Segment(text=text, start=words[0].start, end=words[-1].end, words=words)
        return Segment(text=text, start=start_default, end=heard_until)


@dataclass
class StreamStats:
    """What one run of :meth:`TranscriptionService.stream` did."""

    audio_s: float = 0.0
    processing_s: float = 0.0
    segments: list[Segment] = field(default_factory=list)
    first_partial_audio_s: float | None = None
    stopped: bool = False

    @property
    def rtf(self) -> float:
        """Real-time factor: processing time over audio time (lower is faster)."""
        return self.processing_s / self.audio_s if self.audio_s else 0.0

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


class TranscriptionService:
    """Offline transcription for one seat: loads the model once, transcribes any source.

    Thread-safe to load from a worker thread; each :meth:`stream` call uses its own
    recogniser, so one model serves consecutive calls.
    """

    def __init__(
        self,
        model_dir: str | os.PathLike[str],
        *,
        phrases: Sequence[str] = (),
        keep_warm: bool = False,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.phrases = list(phrases)
        self.keep_warm = keep_warm
        """Keep a primed recogniser ready after loading and after each run (live calls)."""
        self._model: SpeechModel | None = None
        self._spare: StreamingRecognizer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SpeechModel | None:
        """The loaded model, or None before :meth:`load`."""
        return self._model

    def check(self) -> Path:
        """Raise :class:`ConfigError` now if the model directory is unusable."""
        return check_model_dir(self.model_dir)

    def load(self, progress: ProgressCallback | None = None) -> SpeechModel:
        """Load the model (seconds, the first time only); call it off the GUI thread."""
        with self._lock:
            if self._model is None:
                self._model = load_model(self.model_dir, progress)
                if self.keep_warm:
                    self.prepare()
            elif progress is not None:
                progress(100)
            return self._model

    def prepare(self) -> None:
        """Build and prime the recogniser for the next run now (call it on the run's thread)."""
        if self._model is not None and self._spare is None:
            spare = StreamingRecognizer(self._model, phrases=self.phrases)
            spare.prime()
            self._spare = spare

    def recognizer(self, phrases: Sequence[str] | None = None) -> StreamingRecognizer:
        """A fresh recogniser (the primed spare when its phrase list matches)."""
        model = self.load()
        wanted = self.phrases if phrases is None else list(phrases)
        spare, self._spare = self._spare, None
        if spare is not None and wanted == self.phrases:
            return spare
        return StreamingRecognizer(model, phrases=wanted)

    def stream(
        self,
        source: AudioSource,
        *,
        on_partial: Callable[[Partial], None] | None = None,
        on_final: Callable[[Segment], None] | None = None,
        stop: threading.Event | None = None,
        pause: threading.Event | None = None,
        phrases: Sequence[str] | None = None,
    ) -> StreamStats:
        """Run ``source`` through a recogniser until it ends or ``stop`` is set.

        While ``pause`` is set the utterance in progress is finished; a live source's audio
        is read and dropped (times keep counting), a file source waits.  The source is
        closed at the end.  Returns the figures of the run.
        """
        rec = self.recognizer(phrases)
        resampler = StreamResampler(source.sample_rate, TARGET_RATE)
        stats = StreamStats()

        def deliver(event: Partial | Segment | None) -> None:
            if isinstance(event, Segment):
                stats.segments.append(event)
                if on_final is not None:
                    on_final(event)
            elif isinstance(event, Partial):
                if stats.first_partial_audio_s is None:
                    stats.first_partial_audio_s = event.at_s
                if on_partial is not None:
                    on_partial(event)

        was_paused = False
        try:
            for chunk in source.chunks():
                if stop is not None and stop.is_set():
                    stats.stopped = True
                    break
                if pause is not None and pause.is_set():
                    if not was_paused:
                        was_paused = True
                        deliver(rec.finish())
                    if source.live:
                        rec.skip(len(chunk) / 2 / source.sample_rate)
                        continue
                    while pause.is_set() and not (stop is not None and stop.is_set()):
                        time.sleep(0.05)
                    if stop is not None and stop.is_set():
                        stats.stopped = True
                        break
                was_paused = False
                pcm = resampler.process(chunk)
                began = time.perf_counter()
                event = rec.accept(pcm)
                stats.processing_s += time.perf_counter() - began
                stats.audio_s += len(pcm) / 2 / TARGET_RATE
                deliver(event)
            began = time.perf_counter()
            final = rec.finish()
            stats.processing_s += time.perf_counter() - began
            deliver(final)
        finally:
            source.close()
        if self.keep_warm:
            self.prepare()
        return stats

    def transcribe_file(self, path: str | os.PathLike[str]) -> StreamStats:
        """Transcribe a WAV file as fast as possible (CLI, benchmarks)."""
        source = WavFileSource(path)
        self.load()
        return self.stream(source)
