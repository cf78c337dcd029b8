"""The self-hosted Nominatim setting, checked without importing geopy (start-up path)."""

from __future__ import annotations

from urllib.parse import urlsplit

from agent_app.errors import ConfigError

DEFAULT_REMOTE_TIMEOUT_S = 3.0


def check_remote_url(url: str) -> str:
    """``url`` stripped ("" = offline only); :class:`ConfigError` when it is not http(s)."""
    text = url.strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"地理编码服务（Nominatim URL）{text!r} 不是 http(s) 地址：请在设置“地理编码服务地址”中"
            "填写如 http://127.0.0.1:8080 的地址，或留空只用离线地址库。"
        )
    return text
