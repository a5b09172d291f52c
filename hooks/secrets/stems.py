"""The regex sources that decide what can hold a secret at all, shared by the
engine's token formats (``patterns``) and the clean-file fast path (``prefilter``),
so the shortcut can never disagree with the full scan about what it may skip."""
from __future__ import annotations

# Every sensitive key holds one of these stems, lowercased (patterns._label).
STEMS = r"pass|pw|pswd|secret|token|key|cred|salt|pepper|seed|prefix|suffix|hmac"
# Every token format holds 16 token characters in a row, or one of these markers
# (PEM armour; Zapier hook ids are short).
TOKENISH = r"[A-Za-z0-9_\-+/=~]{16}|BEGIN|hooks\.zapier"
