"""Where the Vosk model comes from, and loading it with progress and clear errors.

The directory is chosen in this order: an explicit argument (``--model``), the environment
variable ``AGENT_APP_VOSK_MODEL``, the setting passed in by the caller.  A directory that is
missing or is not a Vosk model raises :class:`~agent_app.errors.ConfigError` naming the path.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError

ENV_MODEL = "AGENT_APP_VOSK_MODEL"
"""Environment variable naming the Vosk model directory."""

log = logging.getLogger("agent_app.speech")

ProgressCallback = Callable[[int], None]
"""Called with a percentage from 0 to 100 while a model loads."""

_HINT = (
    "download a Vosk model (for Chinese vosk-model-small-cn-0.22 or vosk-model-cn-0.22), "
    f"unpack it and pass its directory with --model, {ENV_MODEL} or the speech model setting"
)


def resolve_model_path(
    explicit: str | os.PathLike[str] | None = None,
    setting: str | os.PathLike[str] | None = None,
) -> Path:
    """The model directory from ``--model``, else ``AGENT_APP_VOSK_MODEL``, else the setting.

    Raises :class:`ConfigError` when none of the three names a directory.
    """
    for candidate in (explicit, os.environ.get(ENV_MODEL), setting):
        if candidate is not None and str(candidate).strip():
            return Path(candidate).expanduser()
    raise ConfigError(f"No speech model is configured; {_HINT}.")


def check_model_dir(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` resolved when it looks like a Vosk model directory, else raise.

    A Vosk model has ``am/final.mdl`` (acoustic model), ``conf/`` and either ``graph/`` or a
    top-level ``HCLG.fst`` / ``Gr.fst`` (older layouts).
    """
    root = Path(path).expanduser()
    if not root.exists():
        raise ConfigError(f"The speech model directory {root} does not exist; {_HINT}.")
    if not root.is_dir():
        raise ConfigError(f"The speech model path {root} is not a directory; {_HINT}.")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ConfigError(f"The speech model directory {root} cannot be read; fix its permissions.")
    has_am = (root / "am" / "final.mdl").is_file() or (root / "final.mdl").is_file()
    has_graph = (root / "graph").is_dir() or any(
        (root / name).is_file() for name in ("HCLG.fst", "HCLr.fst", "Gr.fst")
    )
    if not has_am or not has_graph or not (root / "conf").is_dir():
        raise ConfigError(
            f"The directory {root} is not a Vosk model (it needs am/, conf/ and graph/); {_HINT}."
        )
    return root.resolve()


def supports_phrase_lists(path: str | os.PathLike[str]) -> bool:
    """Whether the model's graph can be restricted at run time to a phrase list.

    Small Vosk models ship a lookahead graph (``Gr.fst`` + ``HCLr.fst``) that accepts a
    grammar; big models ship a static ``HCLG.fst`` and ignore one.
    """
    root = Path(path)
    for graph in (root / "graph", root):
        if (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file():
            return True
    return False


def rss_bytes() -> int:
    """The resident set size of this process in bytes (0 where it cannot be read)."""
    try:
        import psutil  # noqa: PLC0415 - optional

        return int(psutil.Process().memory_info().rss)
    except ImportError:
        pass
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


@dataclass
class SpeechModel:
    """A loaded Vosk model; share one instance between recognisers (it is read-only)."""

    path: Path
    vosk_model: Any = field(repr=False)
    load_s: float = 0.0
    memory_bytes: int = 0
    """Growth of the process's resident memory while the model loaded (approximate)."""
    phrase_lists: bool = False

    def knows_word(self, word: str) -> bool:
        """Whether ``word`` is in the model's vocabulary (needed for phrase lists)."""
        return bool(self.vosk_model.vosk_model_find_word(word) >= 0)


def _warm_files(root: Path, progress: ProgressCallback) -> None:
    """Read the model files once so the OS caches them, reporting 0-90 % by bytes read.

    Vosk's loader is a single blocking call without progress; reading the files first gives
    the operator a real progress bar and makes the loader itself fast.
    """
    files = [p for p in sorted(root.rglob("*")) if p.is_file()]
    total = sum(p.stat().st_size for p in files) or 1
    done = 0
    last = -1
    for path in files:
        try:
            with open(path, "rb") as handle:
                while block := handle.read(4 << 20):
                    done += len(block)
                    percent = min(90, done * 90 // total)
                    if percent != last:
                        progress(percent)
                        last = percent
        except OSError as exc:
            raise ConfigError(
                f"The speech model file {path} cannot be read ({exc.strerror or exc}); "
                "check the model directory and its permissions."
            ) from exc


def load_model(
    path: str | os.PathLike[str], progress: ProgressCallback | None = None
) -> SpeechModel:
    """Load the Vosk model at ``path`` (seconds; call it off the GUI thread).

    ``progress`` receives percentages; 100 means ready.  Raises :class:`ConfigError` naming
    the path when the directory is missing, unreadable or not a model.
    """
    root = check_model_dir(path)
    started = time.perf_counter()
    before = rss_bytes()
    if progress is not None:
        progress(0)
        _warm_files(root, progress)
    import vosk  # noqa: PLC0415 - 100 ms import and a native library, only when needed

    vosk.SetLogLevel(-1)
    try:
        model = vosk.Model(str(root))
    except Exception as exc:  # vosk raises a bare Exception on a bad model
        raise ConfigError(
            f"The speech model in {root} could not be loaded ({exc}); "
            "it may be damaged or for another Vosk version: unpack it again."
        ) from exc
    loaded = SpeechModel(
        path=root,
        vosk_model=model,
        load_s=time.perf_counter() - started,
        memory_bytes=max(rss_bytes() - before, 0),
        phrase_lists=supports_phrase_lists(root),
    )
    log.info("speech model loaded from %s in %.1f s", root, loaded.load_s)
    if progress is not None:
        progress(100)
    return loaded
