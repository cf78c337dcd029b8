"""Every file location the app uses, in one place.

The data directory comes from ``--data-dir`` or ``AGENT_APP_DATA_DIR``, else the platform's
user data directory.  Nothing here imports Qt, so the CLI shares it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from agent_app.errors import ConfigError

ENV_DATA_DIR = "AGENT_APP_DATA_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def _default_data_dir() -> Path:
    import platformdirs  # noqa: PLC0415 - keeps start-up light when --data-dir is given

    return Path(platformdirs.user_data_dir("agent-app", appauthor=False))


def knowledge_base_dir() -> Path:
    """Directory of the shipped knowledge-base content (articles, catalogue, gazetteer)."""
    env = os.environ.get("AGENT_APP_KB_DIR")
    if env:
        return Path(env)
    return PROJECT_DIR / "knowledge_base"


def resources_dir() -> Path:
    """Directory of shipped resources (translations, map geometry, scenarios, audio)."""
    return PROJECT_DIR / "resources"


@dataclass(frozen=True)
class DataPaths:
    """Files inside one data directory (a seat's, or a throwaway demo one)."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "agent.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.ini"

    @property
    def kb_index(self) -> Path:
        return self.root / "kb_index.sqlite3"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def demo_marker(self) -> Path:
        return self.root / "DEMO"

    @property
    def is_demo(self) -> bool:
        return self.demo_marker.exists()

    def ensure(self) -> DataPaths:
        """Create the directory tree, or raise a clear error when it cannot be written.

        The directory holds callers' personal data: it is made (or set) 0700, owner only.
        A shared directory with the sticky bit (``/tmp`` itself) is refused.
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            _owner_only(self.root)
            self.logs.mkdir(exist_ok=True, mode=0o700)
            _owner_only(self.logs)
            probe = self.root / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"The data directory {self.root} cannot be written ({exc.strerror or exc}); "
                "choose another with --data-dir or fix its permissions."
            ) from exc
        return self


def _owner_only(path: Path) -> None:
    if os.name == "nt":
        return  # NTFS ACLs of the user profile already apply
    mode = path.stat().st_mode
    if not mode & 0o077:
        return
    if mode & stat.S_ISVTX:
        raise ConfigError(
            f"The data directory {path} is a shared directory (like /tmp); choose a directory "
            "of its own with --data-dir."
        )
    os.chmod(path, 0o700)


def data_paths(data_dir: str | os.PathLike[str] | None) -> DataPaths:
    """Resolve the data directory from the flag, the environment or the platform default."""
    if data_dir:
        return DataPaths(Path(data_dir).expanduser().resolve())
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    return DataPaths(_default_data_dir())
