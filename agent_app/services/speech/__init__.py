"""Offline speech: Vosk recognition, audio sources, transcript redaction and field extraction.

Nothing here imports Qt, and importing this package is cheap: ``vosk``, ``numpy`` and
``sounddevice`` are imported only when a model is loaded or audio is read.  Audio and text
never leave the machine.

Modules:

- :mod:`.model` -- where the model directory comes from, and loading it with progress.
- :mod:`.recognizer` -- streaming recognition into partial results and timed final segments.
- :mod:`.audio` -- audio sources (WAV / scenario file, microphone, telephony interface) and
  resampling to 16 kHz mono.
- :mod:`.redact` -- ID-card, bank-card and phone numbers masked in the stored transcript.
- :mod:`.extract` -- field proposals (phone, address, name, time, keyword) from final text.
"""

from __future__ import annotations

SAMPLE_RATE = 16_000
"""Every recogniser runs on 16 kHz mono signed 16-bit PCM; other rates are resampled."""
