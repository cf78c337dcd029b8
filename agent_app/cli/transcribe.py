"""``agent-app transcribe WAV --model DIR [--json]``: offline transcription of a WAV file.

Prints the text (or, with ``--json``, ``{"text", "audio_s", "processing_s", "rtf"}``).  A
missing model or an unreadable / non-WAV file ends in one line naming the path.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("transcribe", help="transcribe a WAV file offline with a Vosk model")
    parser.add_argument("wav", metavar="WAV", help="audio file (PCM WAV; any rate, mono or stereo)")
    parser.add_argument(
        "--model",
        metavar="DIR",
        help="Vosk model directory (default: $AGENT_APP_VOSK_MODEL)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from agent_app.services.speech.audio import WavFileSource
    from agent_app.services.speech.model import check_model_dir, resolve_model_path
    from agent_app.services.speech.recognizer import TranscriptionService

    model_dir = check_model_dir(resolve_model_path(args.model))
    source = WavFileSource(args.wav)  # fails fast, naming the file, before the model loads
    service = TranscriptionService(model_dir)
    service.load()
    stats = service.stream(source)
    if args.json:
        print(
            json.dumps(
                {
                    "text": stats.text,
                    "audio_s": round(stats.audio_s, 3),
                    "processing_s": round(stats.processing_s, 3),
                    "rtf": round(stats.rtf, 4),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(stats.text)
    return 0
