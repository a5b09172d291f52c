"""The token-format table (hooks/secrets/patterns.py TOKENS): every format is
found by the one combined scan, in a realistic random instance, under an
innocent key; made-up tokens (sequential, repeated, "fake" inside) pass."""
from __future__ import annotations

import random
import re
from typing import Any

import pytest

from hooks.secrets.engine import Checker
from hooks.secrets.patterns import TOKENS, Compiled
from tests.conftest import ROOT

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

_ALNUM = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _instance(pattern: str, rng: random.Random) -> str:
    """A random string the regex matches: classes are sampled, not enumerated,
    so no run of sequential or repeated characters appears by construction."""

    def walk(items: Any) -> str:
        out = []
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(arg))
            elif name == "IN":
                chars = []
                negate = False
                for kind, val in arg:
                    kind = str(kind)
                    if kind == "LITERAL":
                        chars.append(chr(val))
                    elif kind == "RANGE":
                        chars.extend(chr(c) for c in range(val[0], val[1] + 1))
                    elif kind == "CATEGORY":
                        chars.extend(_ALNUM if "DIGIT" not in str(val) else "23456789")
                    elif kind == "NEGATE":
                        negate = True
                pool = [c for c in _ALNUM if c not in chars] if negate else chars
                out.append(rng.choice(pool))
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                low, high, sub = arg
                count = low if high > low + 64 else rng.randint(low, min(high, low + 8))
                out.extend(walk(sub) for _ in range(max(count, low)))
            elif name == "SUBPATTERN":
                out.append(walk(arg[-1]))
            elif name == "BRANCH":
                out.append(walk(rng.choice(arg[1])))
            elif name == "CATEGORY":
                out.append(rng.choice("23456789") if "DIGIT" in str(arg) else "")
            elif name == "ANY":
                out.append(rng.choice(_ALNUM))
            # AT (\b), ASSERT and ASSERT_NOT (look-arounds) add nothing
        return "".join(out)

    return walk(sre_parse.parse(pattern))


def _lookbehind_prefix(pattern: str) -> str:
    match = re.match(r"\(\?<=([^)]*)\)", pattern)
    return match.group(1).replace("\\", "") if match else ""


def _sample(row: tuple, seed: int) -> str:
    tid, _name, regex, _hints, _source = row
    rng = random.Random(f"{tid}-{seed}")
    if tid == "jwt":  # the header must decode to JSON with "alg": built, not drawn
        import base64

        head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
        return f"{head}.{_instance(r'eyJ[A-Za-z0-9]{30}', rng)}.{_instance(r'[A-Za-z0-9_]{43}', rng)}"
    checker = Checker(Compiled())
    for _ in range(50):  # a random instance may hold a fake-looking run: draw again
        text = _lookbehind_prefix(regex) + _instance(regex, rng)
        if not checker.p.fake_token(text) and re.search(regex, text):
            return text
    raise AssertionError(f"no realistic instance for {tid}")


ROWS = [pytest.param(row, id=f"{row[0]}-{n}") for n, row in enumerate(TOKENS)]


def test_every_format_has_a_source_and_a_unique_row() -> None:
    assert len(TOKENS) >= 120
    for tid, name, regex, hints, source in TOKENS:
        assert tid and name and source and len(source) > 10, tid
        re.compile(regex)
        assert all(h for h in hints), tid
    assert len({(t[0], t[2]) for t in TOKENS}) == len(TOKENS)


@pytest.mark.parametrize("row", ROWS)
def test_each_format_is_found_under_an_innocent_key(row: tuple) -> None:
    checker = Checker(Compiled())
    token = _sample(row, 1)
    pem_tail = "\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END PRIVATE KEY-----"
    value = f"upstream={token};timeout=30" if not token.startswith("-----") else token + pem_tail
    found = list(checker.judge(value, "upstream", None, "integrations.upstream"))
    assert found, f"{row[0]} not found in a {len(token)}-char instance"
    assert all(kind.startswith("token:") or kind == "url" for kind, *_ in found)


@pytest.mark.parametrize(
    "value",
    [
        "ghp_0123456789abcdefghijklmnopqrstuvwxyz",  # sequential
        "sk_live_1234567890123456789012345",  # sequential digits
        "glpat-xxxxxxxxxxxxxxxxxxxx",  # prefix + one repeated character
        "xoxb-000000000000-000000000000-aaaaaaaaaaaaaaaaaaaaaaaa",
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documentation key
        "sk_live_FAKE4eC39HqLyjWDarjtT1zd",  # fake inside
        "ghp_sampleK2mQ9xLp4Rt7Vz1Nc6Bw3Hd5Jy0Gs2",
        "npm_DUMMYq9xLp4Rt7Vz1Nc6Bw3Hd5Jy0Gs2AeUoX",
        "pk_live_51HqLyjWDarjtT1zdp7dcQz9",  # publishable: public by design
    ],
)
def test_made_up_and_public_tokens_pass(value: str) -> None:
    checker = Checker(Compiled())
    assert list(checker.judge(value, "upstream", None, "x")) == []


def test_overlapping_formats_are_reported_once() -> None:
    checker = Checker(Compiled())
    value = "xoxe.xoxp-1-" + "Ab3dE5gH7jK9mN2pQ4sT6vW8yZ" * 6
    assert len(list(checker.tokens(value))) == 1


def test_docs_list_every_format_with_its_source() -> None:

    page = (ROOT / "docs" / "hooks" / "no-inline-secrets.md").read_text(encoding="utf-8")
    section = page.split("## Token formats", 1)[1].split("\n## ", 1)[0]
    for tid, _name, _regex, _hints, source in TOKENS:
        assert f"| `{tid}` |" in section, tid
        assert source.replace("|", "/") in section, tid
