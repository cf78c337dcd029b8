"""Audio sources and resampling (no device, no model)."""

from __future__ import annotations

import builtins
import sys
import threading
import time
import wave
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from agent_app.errors import ConfigError
from agent_app.services.speech.audio import (
    AudioSource,
    MicrophoneSource,
    NoInputDevice,
    PortAudioMissing,
    PushAudioSource,
    StreamResampler,
    TelephonyAudioSource,
    WavFileSource,
    list_input_devices,
    read_wav,
    resample,
)


def tone(freq: float, rate: int, seconds: float, amplitude: int = 8000) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype("<i2")


def dominant_frequency(pcm: bytes, rate: int) -> float:
    x = np.frombuffer(pcm, dtype="<i2").astype(float)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spectrum)])


def write_wav(
    path: Path, samples: np.ndarray, rate: int, channels: int = 1, width: int = 2
) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return path


def test_telephony_rate_is_doubled_and_keeps_its_pitch() -> None:
    pcm = tone(440, 8000, 1.0).tobytes()
    out = resample(pcm, 8000, 16000)
    assert abs(len(out) // 2 - 16000) <= 2
    assert abs(dominant_frequency(out, 16000) - 440) < 3


def test_streaming_resampler_matches_one_shot_without_clicks() -> None:
    pcm = tone(300, 8000, 0.5).tobytes()
    whole = np.frombuffer(resample(pcm, 8000), dtype="<i2")
    stream = StreamResampler(8000)
    pieces = b"".join(stream.process(pcm[i : i + 322]) for i in range(0, len(pcm), 322))
    chunked = np.frombuffer(pieces, dtype="<i2")
    n = min(len(whole), len(chunked))
    assert n >= len(whole) - 2
    assert np.max(np.abs(whole[:n].astype(int) - chunked[:n].astype(int))) <= 1


def test_downsampling_filters_what_the_target_rate_cannot_carry() -> None:
    high = tone(12000, 48000, 0.5).tobytes()  # above 8 kHz: would alias at 16 kHz
    low = tone(1000, 48000, 0.5).tobytes()
    high_out = np.frombuffer(resample(high, 48000), dtype="<i2").astype(float)
    low_out = np.frombuffer(resample(low, 48000), dtype="<i2").astype(float)
    assert np.sqrt(np.mean(high_out[100:] ** 2)) < 0.1 * np.sqrt(np.mean(low_out[100:] ** 2))
    assert abs(dominant_frequency(low_out.astype("<i2").tobytes(), 16000) - 1000) < 5


def test_stereo_and_8_bit_wav_become_mono_16_bit(tmp_path: Path) -> None:
    left = tone(500, 16000, 0.2)
    stereo = np.stack([left, left], axis=1).reshape(-1)
    audio = read_wav(write_wav(tmp_path / "s.wav", stereo, 16000, channels=2))
    assert audio.sample_rate == 16000
    assert np.array_equal(np.frombuffer(audio.pcm, dtype="<i2"), left)
    u8 = ((tone(500, 8000, 0.2).astype(int) >> 8) + 128).astype(np.uint8)
    audio8 = read_wav(write_wav(tmp_path / "u8.wav", u8, 8000, width=1))
    assert audio8.sample_rate == 8000
    assert abs(dominant_frequency(audio8.pcm, 8000) - 500) < 10


def test_unreadable_or_non_wav_files_name_the_path(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a PCM WAV") as err:
        read_wav(text)
    assert str(text) in str(err.value)
    with pytest.raises(ConfigError, match="does not exist"):
        WavFileSource(tmp_path / "missing.wav")
    with pytest.raises(ConfigError, match="directory"):
        read_wav(tmp_path)


def test_file_source_chunks_cover_the_file_and_pace_in_real_time(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", tone(440, 8000, 0.5), 8000)
    fast = WavFileSource(path, chunk_ms=100)
    assert isinstance(fast, AudioSource)
    chunks = list(fast.chunks())
    assert len(chunks) == 5
    assert sum(len(c) for c in chunks) == 8000
    paced = WavFileSource(path, pace=2.0)
    began = time.monotonic()
    list(paced.chunks())
    assert 0.15 <= time.monotonic() - began < 1.0  # 0.5 s of audio at twice real time


def test_closing_a_paced_file_source_ends_it_promptly(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", tone(440, 16000, 5.0), 16000)
    source = WavFileSource(path, pace=1.0)
    threading.Timer(0.2, source.close).start()
    began = time.monotonic()
    n = sum(1 for _ in source.chunks())
    assert time.monotonic() - began < 1.0
    assert n < 10


def test_push_source_is_a_telephony_source_fed_from_another_thread() -> None:
    source = PushAudioSource(sample_rate=8000, call_id="call-1")
    assert isinstance(source, TelephonyAudioSource)

    def feed() -> None:
        for _ in range(3):
            source.push(b"\x01\x00" * 800)
        source.end()

    threading.Thread(target=feed).start()
    assert [len(c) for c in source.chunks()] == [1600, 1600, 1600]


def test_push_source_drops_oldest_audio_when_the_consumer_lags() -> None:
    source = PushAudioSource(max_chunks=3)
    for value in (b"a", b"b", b"c", b"d"):
        source.push(value)
    source.end()  # never blocks, even with a full queue
    assert list(source.chunks()) == [b"c", b"d"]


class FakePortAudioError(Exception):
    pass


def fake_sounddevice(devices: list[dict[str, Any]], *, open_fails: bool = False) -> Any:
    class Stream:
        def __init__(self, **kwargs: Any) -> None:
            if open_fails:
                raise FakePortAudioError("Invalid sample rate")
            self.kwargs = kwargs
            self.closed = False

        def start(self) -> None:
            cb = self.kwargs["callback"]
            cb(b"\x00\x00" * 1600, 1600, None, None)

        def stop(self) -> None:
            pass

        def close(self) -> None:
            self.closed = True

    return SimpleNamespace(
        query_devices=lambda: devices,
        default=SimpleNamespace(device=(1, 0)),
        PortAudioError=FakePortAudioError,
        RawInputStream=Stream,
    )


def test_missing_portaudio_is_reported_with_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_portaudio(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(PortAudioMissing, match="未安装 PortAudio.*libportaudio2"):
        list_input_devices()


def test_no_input_device_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    output_only = [{"name": "HDMI", "max_input_channels": 0, "default_samplerate": 48000.0}]
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(output_only))
    assert list_input_devices() == []
    with pytest.raises(NoInputDevice, match="未找到麦克风"):
        MicrophoneSource()


def test_microphone_lists_inputs_and_streams_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    devices = [
        {"name": "HDMI", "max_input_channels": 0, "default_samplerate": 48000.0},
        {"name": "Headset", "max_input_channels": 1, "default_samplerate": 48000.0},
    ]
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(devices))
    found = list_input_devices()
    assert [(d.index, d.name, d.is_default) for d in found] == [(1, "Headset", True)]
    mic = MicrophoneSource()
    assert mic.sample_rate == 16000
    chunks = mic.chunks()
    assert next(chunks) == b"\x00\x00" * 1600
    mic.close()
    assert list(chunks) == []
    with pytest.raises(ConfigError, match="音频输入设备 7 不存在"):
        MicrophoneSource(device=7)


def test_microphone_that_cannot_open_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    devices = [{"name": "Headset", "max_input_channels": 1, "default_samplerate": 44100.0}]
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(devices, open_fails=True))
    with pytest.raises(ConfigError, match="麦克风“Headset”无法打开"):
        MicrophoneSource()
