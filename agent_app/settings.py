"""Typed settings, each declared once, stored in an INI file in the data directory.

Widgets never call ``QSettings.value`` directly: they read and write through
:class:`Settings` attributes.  User options and UI state (geometry, splitters) live in separate
groups.  Roles are never taken from settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    title: str  # shown in the settings dialog (Chinese; translated through Qt)

    def __set_name__(self, owner: type, name: str) -> None:
        object.__setattr__(self, "attr", name)

    def __get__(self, obj: Settings | None, objtype: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        return obj.get(self)

    def __set__(self, obj: Settings, value: T) -> None:
        obj.set(self, value)


class Settings:
    """The app's options over one QSettings INI file."""

    seat = Option("options/seat", "S01", "席位号")
    operator_id = Option("options/operator_id", "op001", "工号")
    language = Option("options/language", "zh_CN", "界面语言")
    vosk_model = Option("options/vosk_model", "", "语音识别模型目录")
    nominatim_url = Option("options/nominatim_url", "", "地理编码服务地址（可选）")
    tile_url = Option("options/tile_url", "", "地图瓦片地址（可选）")
    tile_crs = Option("options/tile_crs", "wgs84", "地图瓦片坐标系（wgs84 / gcj02）")
    microphone = Option("options/microphone", "", "麦克风（输入设备名称）")
    central_url = Option("options/central_url", "", "中心数据库连接（不含密码）")
    autosave_ms = Option("options/autosave_ms", 3000, "草稿自动保存间隔（毫秒）")
    suggest_debounce_ms = Option("options/suggest_debounce_ms", 250, "知识库联想延迟（毫秒）")
    due_amber_hours = Option("options/due_amber_hours", 24, "临期提醒（小时）")
    unit_sim_speed = Option("options/unit_sim_speed", 60, "演示模式承办单位模拟速度（倍速）")
    """Demo mode: how fast the simulated units work (1 = real minutes, 60 = an hour a minute)."""

    def __init__(self, path: Path) -> None:
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._upgrade()

    def get(self, option: Option[T]) -> T:
        raw: Any = self._qs.value(option.key, option.default)
        default = option.default
        if isinstance(default, bool):
            return (raw in (True, "true", "1", 1)) if raw is not None else default  # type: ignore[return-value]
        if isinstance(default, int):
            try:
                return int(raw)  # type: ignore[return-value]
            except (TypeError, ValueError):
                return default
        return str(raw) if raw is not None else default  # type: ignore[return-value]

    def set(self, option: Option[T], value: T) -> None:
        self._qs.setValue(option.key, value)

    def is_set(self, name: str) -> bool:
        """Whether the file holds a value for the option ``name`` (not just its default)."""
        option = type(self).__dict__[name]
        assert isinstance(option, Option)
        return bool(self._qs.contains(option.key))

    # UI state, kept apart from options.
    def state(self, key: str) -> QByteArray | None:
        value = self._qs.value(f"state/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_state(self, key: str, value: QByteArray) -> None:
        self._qs.setValue(f"state/{key}", value)

    def sync(self) -> None:
        self._qs.sync()

    def _upgrade(self) -> None:
        version = int(str(self._qs.value("meta/version", 0) or 0))
        # Upgrade hooks go here, one per version step.
        if version != SETTINGS_VERSION:
            self._qs.setValue("meta/version", SETTINGS_VERSION)
