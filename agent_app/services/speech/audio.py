"""Audio sources for the recogniser, and resampling to 16 kHz mono.

Every source yields raw signed 16-bit little-endian mono PCM at its own ``sample_rate``; the
consumer (:class:`StreamResampler`) converts other rates, such as 8 kHz telephony audio, to
the 16 kHz the models expect.

- :class:`WavFileSource` -- a WAV file or a training scenario, optionally paced like a live call.
- :class:`MicrophoneSource` -- the seat's headset via ``sounddevice`` (PortAudio).
- :class:`TelephonyAudioSource` -- the interface a telephony integration implements;
  :class:`PushAudioSource` is a ready implementation fed by ``push()``.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from agent_app.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

TARGET_RATE = 16_000
CHUNK_MS = 100
"""Default chunk length: 100 ms keeps partial results prompt without per-call overhead."""


@runtime_checkable
class AudioSource(Protocol):
    """A stream of mono signed 16-bit PCM chunks.

    ``live`` sources (microphone, telephony) keep producing audio while transcription is
    paused, so the consumer reads and drops it; file sources simply wait.
    """

    sample_rate: int
    live: bool

    def chunks(self) -> Iterator[bytes]:
        """Yield PCM chunks until the audio ends or :meth:`close` is called."""
        ...

    def close(self) -> None:
        """Stop producing audio and release the device or file (idempotent, any thread)."""
        ...


@runtime_checkable
class TelephonyAudioSource(AudioSource, Protocol):
    """The caller's side of a phone call, delivered by a telephony integration.

    Telephony audio is usually 8 kHz (G.711 decoded to 16-bit PCM); the consumer resamples.
    ``call_id`` ties the transcript to the call record.
    """

    call_id: str


# --------------------------------------------------------------------------- resampling


def _lowpass_taps(cutoff: float, width: int = 32) -> npt.NDArray[np.float64]:
    """A Hann-windowed sinc low-pass filter; ``cutoff`` is a fraction of the sample rate."""
    import numpy as np  # noqa: PLC0415

    n = np.arange(-width, width + 1, dtype=np.float64)
    taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hanning(2 * width + 1)
    return np.asarray(taps / taps.sum(), dtype=np.float64)


class StreamResampler:
    """Convert a stream of int16 PCM from ``in_rate`` to ``out_rate``, chunk by chunk.

    Linear interpolation, preceded by a windowed-sinc low-pass when the rate goes down (so
    44.1/48 kHz microphones do not alias).  State carries over between chunks, so chunk
    boundaries leave no clicks.  8 kHz → 16 kHz needs no filter: the telephone band is
    already below 4 kHz.
    """

    def __init__(self, in_rate: int, out_rate: int = TARGET_RATE) -> None:
        if in_rate <= 0 or out_rate <= 0:
            raise ValueError("sample rates must be positive")
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._step = in_rate / out_rate  # input samples per output sample
        self._pos = 0.0  # position of the next output sample, relative to _tail[0]
        self._tail: Any = None  # last input sample(s) kept for interpolation
        self._taps: Any = None
        self._fir_state: Any = None
        if out_rate < in_rate:
            self._taps = _lowpass_taps(0.5 * out_rate / in_rate * 0.9)

    @property
    def passthrough(self) -> bool:
        return self.in_rate == self.out_rate

    def process(self, pcm: bytes) -> bytes:
        """Resample one chunk; returns the output samples that are complete so far."""
        if self.passthrough or not pcm:
            return pcm
        import numpy as np  # noqa: PLC0415

        x = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float64)
        if self._taps is not None:
            half = len(self._taps) // 2
            if self._fir_state is None:
                self._fir_state = np.zeros(2 * half)
            padded = np.concatenate([self._fir_state, x])
            self._fir_state = padded[-2 * half :]
            x = np.convolve(padded, self._taps, mode="valid")
            # the filter is symmetric, so the output lags by ``half`` samples; harmless here
        data = x if self._tail is None else np.concatenate([self._tail, x])
        if not len(data):
            return b""
        last = len(data) - 1
        if self._pos > last:
            self._tail = data[-1:]
            self._pos -= last
            return b""
        count = int((last - self._pos) // self._step) + 1
        positions = self._pos + self._step * np.arange(count)
        out = np.interp(positions, np.arange(len(data)), data)
        self._pos = positions[-1] + self._step - last
        self._tail = data[-1:]
        return np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes()


def resample(pcm: bytes, in_rate: int, out_rate: int = TARGET_RATE) -> bytes:
    """Resample a whole int16 mono buffer (see :class:`StreamResampler`)."""
    return StreamResampler(in_rate, out_rate).process(pcm)


# --------------------------------------------------------------------------- WAV files


@dataclass(frozen=True)
class WavAudio:
    """Decoded WAV audio: mono int16 PCM at ``sample_rate``."""

    pcm: bytes
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


def read_wav(path: str | os.PathLike[str]) -> WavAudio:
    """Read a PCM WAV file as mono 16-bit (channels are averaged; 8/24/32-bit converted).

    Raises :class:`ConfigError` naming the path when the file is missing, unreadable or not
    a PCM WAV file.
    """
    source = Path(path)
    try:
        with wave.open(str(source), "rb") as wav:
            channels = wav.getnchannels()
            width = wav.getsampwidth()
            rate = wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except FileNotFoundError as exc:
        raise ConfigError(f"The audio file {source} does not exist.") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"The audio path {source} is a directory, not a WAV file.") from exc
    except OSError as exc:
        raise ConfigError(
            f"The audio file {source} cannot be read ({exc.strerror or exc})."
        ) from exc
    except (wave.Error, EOFError) as exc:
        raise ConfigError(
            f"The file {source} is not a PCM WAV file ({exc}); convert it, e.g. "
            "with: sox IN -r 16000 -c 1 -b 16 OUT.wav"
        ) from exc
    if rate <= 0 or width not in (1, 2, 3, 4) or channels < 1:
        raise ConfigError(f"The WAV file {source} has an unsupported format.")
    if width == 2 and channels == 1:
        return WavAudio(frames, rate)
    import numpy as np  # noqa: PLC0415

    raw = np.frombuffer(frames, dtype=np.uint8)
    if width == 1:  # unsigned 8-bit
        samples = (raw.astype(np.int32) - 128) << 8
    elif width == 2:
        samples = np.frombuffer(frames, dtype="<i2").astype(np.int32)
    elif width == 3:
        triples = raw[: len(raw) // 3 * 3].reshape(-1, 3).astype(np.int32)
        value = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        samples = np.where(value >= 1 << 23, value - (1 << 24), value) >> 8
    else:
        samples = np.frombuffer(frames, dtype="<i4") >> 16
    samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return WavAudio(np.clip(samples, -32768, 32767).astype("<i2").tobytes(), rate)


class WavFileSource:
    """A WAV file (or a training scenario's audio) as a source.

    ``pace`` = None delivers chunks as fast as they are read (CLI, benchmarks); 1.0 delivers
    them in real time like a live call; 4.0 four times faster (tests).  The file is read at
    construction, so a bad path fails at once with :class:`ConfigError`.
    """

    live = False

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        pace: float | None = None,
        chunk_ms: int = CHUNK_MS,
    ) -> None:
        self.path = Path(path)
        audio = read_wav(self.path)
        self._pcm = audio.pcm
        self.sample_rate = audio.sample_rate
        self.duration_s = audio.duration_s
        self._pace = pace
        self._chunk_bytes = max(2, self.sample_rate * chunk_ms // 1000 * 2)
        self._closed = threading.Event()

    def chunks(self) -> Iterator[bytes]:
        started = time.monotonic()
        bytes_per_s = self.sample_rate * 2
        for offset in range(0, len(self._pcm), self._chunk_bytes):
            if self._closed.is_set():
                return
            if self._pace:
                due = started + offset / bytes_per_s / self._pace
                if self._closed.wait(max(0.0, due - time.monotonic())):
                    return
            yield self._pcm[offset : offset + self._chunk_bytes]

    def close(self) -> None:
        self._closed.set()


# --------------------------------------------------------------------------- pushed audio


class PushAudioSource:
    """A source fed from another thread with :meth:`push`; :meth:`end` finishes it.

    It implements :class:`TelephonyAudioSource`: a telephony adapter pushes each decoded
    frame as it arrives (any rate, e.g. 8000 Hz) and calls ``end()`` when the call hangs up.
    """

    live = True

    def __init__(self, sample_rate: int = 8_000, call_id: str = "", max_chunks: int = 600) -> None:
        self.sample_rate = sample_rate
        self.call_id = call_id
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=max_chunks)
        self._closed = threading.Event()

    def push(self, pcm: bytes) -> None:
        """Queue one chunk (drops the oldest when the consumer lags far behind)."""
        if not self._closed.is_set():
            self._put(pcm)

    def end(self) -> None:
        """The audio is over: the consumer finishes what is queued and stops."""
        self._put(None)

    def _put(self, item: bytes | None) -> None:
        while True:  # never blocks the telephony thread
            try:
                self._queue.put_nowait(item)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    pass

    def chunks(self) -> Iterator[bytes]:
        while not self._closed.is_set():
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if item is None:
                return
            yield item

    def close(self) -> None:
        self._closed.set()


# --------------------------------------------------------------------------- microphone


@dataclass(frozen=True)
class InputDevice:
    """An audio input the operator can pick."""

    index: int
    name: str
    channels: int
    default_samplerate: float
    is_default: bool = False


class PortAudioMissing(ConfigError):
    """The PortAudio library (or the sounddevice module) cannot be loaded."""


class NoInputDevice(ConfigError):
    """PortAudio works but sees no audio input device."""


def _sounddevice() -> Any:
    try:
        import sounddevice  # noqa: PLC0415 - loads PortAudio; only when audio is used
    except (OSError, ImportError) as exc:  # OSError: libportaudio is missing
        raise PortAudioMissing(
            "未安装 PortAudio 音频库，无法使用麦克风：请安装 libportaudio2"
            "（Debian/Ubuntu：sudo apt-get install libportaudio2）后重启程序，或改用培训场景/音频文件。"
        ) from exc
    return sounddevice


NO_INPUT_DEVICE = (
    "未找到麦克风（音频输入设备）：请插好耳麦，在系统声音设置中启用输入设备，然后按“刷新”。"
)


def list_input_devices() -> list[InputDevice]:
    """The input devices PortAudio sees (empty when there is none)."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise ConfigError(
            f"无法列出音频设备（{exc}）：请检查系统声音设置，插好耳麦后按“刷新”重试。"
        ) from exc
    found = []
    for index, info in enumerate(devices):
        if int(info.get("max_input_channels", 0)) > 0:
            found.append(
                InputDevice(
                    index=index,
                    name=str(info.get("name", "")),
                    channels=int(info["max_input_channels"]),
                    default_samplerate=float(info.get("default_samplerate", 0.0)),
                    is_default=index == default_in,
                )
            )
    return found


class MicrophoneSource:
    """The headset microphone via ``sounddevice`` (PortAudio), as a live source.

    ``device`` is an index from :func:`list_input_devices` (None: the system default).  The
    stream opens at 16 kHz when the device allows it, else at the device's own rate (the
    consumer resamples).  Raises :class:`ConfigError` when PortAudio or an input device is
    missing.
    """

    live = True

    def __init__(
        self, device: int | None = None, *, chunk_ms: int = 40, max_chunks: int = 750
    ) -> None:
        sd = _sounddevice()
        inputs = list_input_devices()
        if not inputs:
            raise NoInputDevice(NO_INPUT_DEVICE)
        if device is not None and device not in {d.index for d in inputs}:
            raise ConfigError(
                f"音频输入设备 {device} 不存在（可能已拔出）：请按“刷新”后在麦克风列表中另选一个。"
            )
        chosen = next((d for d in inputs if d.index == device), None) or next(
            (d for d in inputs if d.is_default), inputs[0]
        )
        self.device = chosen
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=max_chunks)
        self._closed = threading.Event()
        self.overflows = 0
        self._stream: Any = None
        self._started = False
        rates = [TARGET_RATE] + [int(chosen.default_samplerate)] * (
            int(chosen.default_samplerate) != TARGET_RATE
        )
        last_error: Exception | None = None
        for rate in rates:
            try:
                stream = sd.RawInputStream(
                    samplerate=rate,
                    blocksize=rate * chunk_ms // 1000,
                    device=chosen.index,
                    channels=1,
                    dtype="int16",
                    callback=self._callback,
                )
            except sd.PortAudioError as exc:
                last_error = exc
                continue
            self._stream = stream
            self.sample_rate = rate
            break
        if self._stream is None:
            raise ConfigError(
                f"麦克风“{chosen.name}”无法打开（{last_error}）：请在麦克风列表中另选一个，"
                "或检查它是否被其他程序占用。"
            )

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status:
            self.overflows += 1
        try:
            self._queue.put_nowait(bytes(indata))
        except queue.Full:
            self.overflows += 1

    def chunks(self) -> Iterator[bytes]:
        if self._closed.is_set():
            return
        self._started = True
        self._stream.start()
        try:
            while not self._closed.is_set():
                try:
                    yield self._queue.get(timeout=0.1)
                except queue.Empty:
                    continue
        finally:
            self._stream.stop()
            self._stream.close()

    def close(self) -> None:
        """Stop the stream; the reading thread closes the device when it notices."""
        self._closed.set()
        if not self._started:
            self._stream.close()
