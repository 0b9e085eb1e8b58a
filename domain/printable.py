"""Text a person reads in a terminal table or an e-mail header must not carry control
characters: an escape sequence recolours or clears the screen, a line break or a tab breaks
the table, a bidirectional override reverses what follows. Names are refused, never cleaned:
a silently altered name is stored garbage.
"""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides and isolates (Unicode Bidirectional Algorithm, UAX #9).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(text: str) -> str | None:
    """The first control character of `text`, described (`U+001B`), or None."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI:
            return f"U+{ord(ch):04X}"
    return None
