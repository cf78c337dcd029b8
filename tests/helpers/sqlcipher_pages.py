"""Read a seat file's pages as SQLite sees them, free pages included (tests only).

SQLCipher 4 with a raw 256-bit key encrypts each 4096-byte page with AES-256-CBC; the page's
IV is the first 16 bytes of its 80 reserved bytes at the end, and page 1 starts with the
16-byte salt.  Decrypting every page (not only the rows a query returns) shows whether an
erased value is still somewhere in the file's pages.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16


def decrypted_pages(path: Path, hex_key: str) -> bytes:
    """Every page of the SQLCipher file ``path``, decrypted, concatenated."""
    raw = path.read_bytes()
    key = bytes.fromhex(hex_key)
    out = bytearray()
    for offset in range(0, len(raw) - len(raw) % PAGE, PAGE):
        page = raw[offset : offset + PAGE]
        start = SALT if offset == 0 else 0
        iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += decryptor.update(page[start : PAGE - RESERVE]) + decryptor.finalize()
    return bytes(out)
