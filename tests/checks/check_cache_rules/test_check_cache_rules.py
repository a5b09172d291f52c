"""check-cache-rules: the rules file (schema, first match, shadowing, bypasses, safety)."""
from __future__ import annotations

import textwrap

import pytest

from hooks.checks.check_cache_rules.engine import check_examples, check_safety, decide
from hooks.checks.check_cache_rules.schema import Request, parse_ttl, read_rules, show_ttl

BLOG = """\
rules:
  - name: blog-pages
    why: article pages change at most hourly; the listing is the busiest page
    owner: web-team
    match: {paths: ["/blog/", "/blog/*/"], methods: [GET, HEAD]}
    ttl: 15m
    vary: [Accept-Language]
    bypass:
      - cookie: sessionid        # logged-in users see their own header
      - header: Authorization
      - query: preview
    sites: ["blog/views.py:article_detail", "blog/views.py:article_list"]
    examples:
      cached:     ["/blog/", "/blog/hello-world/"]
      not_cached:
        - "/blog/hello-world/?preview=1"
        - {path: "/blog/hello-world/", cookies: {sessionid: x}}
        - {path: "/blog/hello-world/", method: POST}
"""


def problems(text: str, cookies: tuple = ("sessionid",), max_ttl: int | None = None) -> list:
    ruleset = read_rules("cache-rules.yaml", textwrap.dedent(text))
    return [*ruleset.problems, *check_examples(ruleset), *check_safety(ruleset, cookies, max_ttl)]


def messages(text: str, **kw: object) -> list[str]:
    return [f"{p.line}: {p.message}" for p in problems(text, **kw)]  # type: ignore[arg-type]


def rule(name: str, paths: str, extra: str = "", bypass: str = "[{cookie: sessionid}, {header: Authorization}]",
         cached: str = "", not_cached: str = "") -> str:
    return (
        f"  - name: {name}\n    why: because\n    owner: web\n    match: {{paths: {paths}}}\n    ttl: 10m\n"
        f"    bypass: {bypass}\n{extra}"
        f"    examples:\n      cached: {cached or '[]'}\n      not_cached: {not_cached or '[]'}\n"
    )


# -- the issue's own example is clean --------------------------------------------------
def test_the_issue_example_is_clean() -> None:
    assert problems(BLOG) == []


# -- schema -----------------------------------------------------------------------------
def test_unknown_rule_field_is_reported_at_its_line_with_a_suggestion() -> None:
    text = BLOG.replace("    owner: web-team\n", "    owner: web-team\n    ttll: 5m\n")
    found = messages(text)
    assert found == ["5: unknown field 'ttll' in rule 'blog-pages': did you mean 'ttl'?"]


def test_unknown_top_level_match_example_and_bypass_fields_get_suggestions() -> None:
    text = BLOG.replace("rules:", "rulez: 1\nrules:").replace("methods: [GET", "method: [GET")
    text = text.replace("- query: preview", "- qurey: preview").replace("cookies: {sessionid", "cookie: {sessionid")
    found = "\n".join(messages(text))
    assert "1: unknown field 'rulez' in the file: did you mean 'rules'?" in found
    assert "did you mean 'methods'?" in found
    assert "unknown bypass 'qurey': did you mean 'query'?" in found
    assert "unknown field 'cookie' in an example of rule 'blog-pages': did you mean 'cookies'?" in found


def test_a_file_without_rules_and_a_broken_file_are_one_line_each() -> None:
    assert messages("{}\n") == ["1: cache-rules.yaml must be a mapping with a 'rules' list"]
    broken = messages("rules:\n  - name: [a\n")
    assert len(broken) == 1 and broken[0].startswith("2: cannot parse cache-rules.yaml") or broken[0].startswith("3:")


def test_duplicate_yaml_keys_are_a_parse_error_not_a_traceback() -> None:
    found = messages("rules:\n  - name: a\n    name: b\n")
    assert len(found) == 1 and "cannot parse" in found[0]


def test_names_why_and_owner_are_required_and_unique() -> None:
    text = "rules:\n" + rule("a", "[/a/]", cached="[/a/]", not_cached="[/b/]") + rule("a", "[/b/]", cached="[/b/]", not_cached="[/c/]")
    text = text.replace("    owner: web\n", "", 1)
    found = "\n".join(messages(text))
    assert "rule 'a' has no 'owner'" in found
    assert "rule name 'a' is already used by the rule on line 2" in found
    no_name = messages("rules:\n  - why: x\n    owner: y\n    ttl: 5m\n")
    assert any("rule '#1' has no 'name'" in m for m in no_name)


def test_a_todo_left_by_write_rules_is_rejected_and_its_examples_are_not_run() -> None:
    text = BLOG.replace("owner: web-team", 'owner: "TODO: the team or person to ask"')
    text = text.replace('cached:     ["/blog/"', 'cached:     ["TODO: /a/page/"')
    found = messages(text)
    assert "4: rule 'blog-pages': 'owner' is still a TODO: give the team or person to ask" in found
    assert any("cached example 'TODO: /a/page/' is still a TODO" in m for m in found)
    assert not any("not matched" in m for m in found)


@pytest.mark.parametrize("given, seconds", [(900, 900), ("900", 900), ("15m", 900), ("1h30m", 5400), ("2d", 172800), ("1w", 604800)])
def test_ttl_parses(given: object, seconds: int) -> None:
    assert parse_ttl(given) == seconds
    assert parse_ttl(show_ttl(seconds)) == seconds


@pytest.mark.parametrize("given", ["15 minutes", "soon", "", "-5", "1.5h", True, None])
def test_ttl_that_cannot_be_parsed_is_reported(given: object) -> None:
    assert parse_ttl(given) is None
    text = BLOG.replace("ttl: 15m", f"ttl: {given!r}" if isinstance(given, str) else f"ttl: {str(given).lower()}")
    assert any("cannot read ttl" in m and m.startswith("6:") for m in messages(text))


def test_ttl_longer_than_max_ttl_is_reported_and_a_shorter_one_is_not() -> None:
    assert messages(BLOG, max_ttl=600) == ["6: rule 'blog-pages' caches for 15m, longer than max-ttl 10m"]
    assert messages(BLOG, max_ttl=900) == []


def test_a_page_rule_needs_a_ttl_and_both_kinds_of_examples() -> None:
    text = BLOG.replace("    ttl: 15m\n", "")
    assert any("has no 'ttl'" in m for m in messages(text))
    text = BLOG.replace('      cached:     ["/blog/", "/blog/hello-world/"]\n', "")
    assert any("has no cached example" in m for m in messages(text))
    cut = BLOG[: BLOG.index("    examples:")]
    assert any("has no examples" in m for m in messages(cut))


def test_a_function_rule_needs_no_match_nor_examples() -> None:
    text = "rules:\n  - name: scores\n    why: the scoreboard query is slow\n    owner: ctf-team\n    ttl: 1m\n    sites: [app/scores.py:get_standings]\n"
    assert messages(text) == []


# -- first match wins, shadowing --------------------------------------------------------
def test_a_cached_example_taken_by_an_earlier_rule_names_the_shadowing_rule() -> None:
    text = "rules:\n" + rule("everything", '["/**"]', cached="[/]", not_cached="[{path: /, cookies: {sessionid: x}}]")
    text += rule("blog", '["/blog/*/"]', cached="[/blog/a/]", not_cached="[{path: /blog/a/, method: POST}]")
    found = messages(text)
    assert len(found) == 1, found
    assert "cached example /blog/a/ is taken by rule 'everything' (line 2) before rule 'blog'" in found[0]
    assert "'everything' shadows it" in found[0]
    # Reordered, both rules hold.
    reordered = "rules:\n" + text.split("rules:\n")[1][text.split("rules:\n")[1].index("  - name: blog"):]
    reordered += text.split("rules:\n")[1][: text.split("rules:\n")[1].index("  - name: blog")]
    assert messages(reordered) == []


def test_a_cached_example_its_rule_does_not_match_is_reported() -> None:
    text = BLOG.replace('"/blog/hello-world/"]', '"/news/hello-world/"]')
    assert messages(text) == [
        "14: cached example /news/hello-world/ is not matched by rule 'blog-pages' (paths /blog/, /blog/*/; "
        "methods GET, HEAD): fix the example or the rule's match"
    ]


def test_one_star_is_one_segment_and_two_stars_any() -> None:
    text = BLOG.replace('"/blog/hello-world/"]', '"/blog/2024/hello/"]')
    assert any("not matched" in m for m in messages(text))
    assert messages(text.replace('"/blog/*/"', '"/blog/**"')) == []


def test_a_not_cached_example_that_a_rule_caches_is_reported_with_what_to_do() -> None:
    text = BLOG.replace('"/blog/hello-world/?preview=1"', '"/blog/hello-world/?page=2"')
    assert messages(text) == [
        "16: not_cached example /blog/hello-world/?page=2 is cached by this rule for 15m: "
        "add a bypass for it to 'blog-pages' or narrow its match"
    ]


def test_a_not_cached_example_matched_by_no_rule_passes() -> None:
    text = BLOG.replace('"/blog/hello-world/?preview=1"', '"/admin/"')
    assert messages(text) == []


def test_a_not_cached_example_cached_by_another_rule_names_that_rule() -> None:
    text = BLOG + rule("api", '["/api/**"]', cached="[/api/v1/]", not_cached="[/blog/x/?a=1]")
    found = messages(text)
    assert found == ["27: not_cached example /blog/x/?a=1 is cached by rule 'blog-pages' (line 2) for 15m: "
                     "add a bypass for it to 'blog-pages' or narrow its match"], found


def test_a_cached_example_that_its_rule_bypasses_is_reported() -> None:
    text = BLOG.replace('"/blog/hello-world/"]', '"/blog/hello-world/?preview=1"]')
    found = messages(text)
    assert len(found) == 1 and "is bypassed by rule 'blog-pages' (query: preview, line 11)" in found[0]


# -- every bypass kind --------------------------------------------------------------------
@pytest.mark.parametrize(
    "bypass, request_, hit",
    [
        ("cookie: sessionid", Request("/blog/a/", cookies={"sessionid": "x"}), True),
        ("cookie: sessionid", Request("/blog/a/", cookies={"csrftoken": "x"}), False),
        ("cookie: '*'", Request("/blog/a/", cookies={"anything": "x"}), True),
        ("header: Authorization", Request("/blog/a/", headers={"authorization": "Bearer x"}), True),
        ("header: authorization", Request("/blog/a/", headers={"authorization": "Bearer x"}), True),
        ("header: Authorization", Request("/blog/a/", headers={"accept": "text/html"}), False),
        ("header: Cookie", Request("/blog/a/", cookies={"sessionid": "x"}), True),
        ("query: preview", Request("/blog/a/?preview=1"), True),
        ("query: preview", Request("/blog/a/?preview"), True),
        ("query: preview", Request("/blog/a/?page=1&x=preview"), False),
        ("query: '*'", Request("/blog/a/?page=1"), True),
        ("path: /blog/drafts/*", Request("/blog/drafts/x"), True),
        ("path: /blog/drafts/*", Request("/blog/a/"), False),
    ],
)
def test_each_bypass_kind(bypass: str, request_: Request, hit: bool) -> None:
    text = f"rules:\n  - name: r\n    why: w\n    owner: o\n    match: {{paths: ['/blog/**']}}\n    ttl: 1m\n    bypass: [{{{bypass}}}]\n"
    ruleset = read_rules("cache-rules.yaml", text)
    assert not [p for p in ruleset.problems if "bypass" in p.message and "unknown" in p.message]
    winner, used = decide(ruleset.rules, request_)
    assert winner is ruleset.rules[0]
    assert (used is not None) is hit


def test_a_bypass_stops_at_its_rule_and_never_falls_through() -> None:
    text = "rules:\n" + rule("blog", '["/blog/**"]', cached="[/blog/a/]", not_cached="[{path: /blog/a/, cookies: {sessionid: x}}]")
    text += rule("all", '["/**"]', cached="[/]", not_cached="[{path: /, headers: {Authorization: x}}]")
    assert messages(text) == []


# -- safety -------------------------------------------------------------------------------
def test_a_rule_without_authorization_and_session_bypass_is_reported() -> None:
    text = BLOG.replace("      - cookie: sessionid        # logged-in users see their own header\n", "")
    text = text.replace("      - header: Authorization\n", "")
    text = text.replace("        - {path: \"/blog/hello-world/\", cookies: {sessionid: x}}\n", "")
    found = messages(text)
    assert found == [
        "8: rule 'blog-pages' has no bypass for header: Authorization or cookie: sessionid: a logged-in user's "
        "page would be served to others; add the bypass, or say `public: true` with a public_reason"
    ]


def test_session_cookie_name_comes_from_the_caller() -> None:
    assert any("cookie: sid" in m for m in messages(BLOG, cookies=("sid",)))
    assert messages(BLOG, cookies=("session", "sessionid")) == []


def test_public_with_a_reason_needs_no_bypass_but_public_true_alone_does() -> None:
    body = BLOG.replace("    bypass:\n      - cookie: sessionid        # logged-in users see their own header\n"
                        "      - header: Authorization\n      - query: preview\n", "")
    body = body.replace('        - "/blog/hello-world/?preview=1"\n        - {path: "/blog/hello-world/", cookies: {sessionid: x}}\n', "")
    assert any("no bypass" in m for m in messages(body))
    alone = messages(body.replace("    ttl: 15m\n", "    ttl: 15m\n    public: true\n"))
    assert alone == ["7: rule 'blog-pages' says public without a reason: write `public_reason:` saying why every "
                     "user may get the same page"]
    reason = "    ttl: 15m\n    public: true\n    public_reason: the blog has no logged-in view\n"
    assert messages(body.replace("    ttl: 15m\n", reason)) == []
    assert messages(body.replace("    ttl: 15m\n", "    ttl: 15m\n    public: the blog has no logged-in view\n")) == []
    assert messages(body.replace("    ttl: 15m\n", "    ttl: 15m\n    public: true\n    reason: no logged-in view\n")) == []
    assert messages(body.replace("    ttl: 15m\n", "    ttl: 15m\n    public: {reason: no logged-in view}\n")) == []
    assert messages(body.replace("    ttl: 15m\n", "    ttl: 15m\n    public: false\n"))[0].startswith("2: rule 'blog-pages' has no bypass")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "'*'"])
def test_a_rule_caching_non_safe_methods_is_reported(method: str) -> None:
    found = messages(BLOG.replace("methods: [GET, HEAD]", f"methods: [GET, {method}]"))
    assert any("only GET and HEAD may be cached" in m and m.startswith("5:") for m in found), found


def test_get_head_and_options_are_safe() -> None:
    assert messages(BLOG.replace("methods: [GET, HEAD]", "methods: [get, HEAD, OPTIONS]")) == []


def test_problems_carry_no_line_numbers_in_their_identity() -> None:
    text = BLOG.replace('"/blog/hello-world/?preview=1"', '"/blog/hello-world/?page=2"').replace("ttll", "")
    for problem in problems(text, max_ttl=60):
        assert problem.path == "cache-rules.yaml"
        assert not any(part.isdigit() for part in problem.identity)


def test_an_alias_bomb_is_one_parse_error_not_a_hang() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join(["*" + previous] * 9) + "]")
        previous = name
    found = messages("\n".join(lines) + "\nrules: [*i]\n")
    assert found == ["1: cannot parse cache-rules.yaml: more than 20000 values once aliases are expanded"]


def test_a_rules_list_of_scalars_is_one_line_per_item() -> None:
    assert messages("rules: [a, 1]\n") == [
        "1: rule #1 must be a mapping (name, why, owner, ...)", "1: rule #2 must be a mapping (name, why, owner, ...)",
    ]


def test_a_rule_name_that_a_comment_cannot_name_is_reported() -> None:
    assert messages(BLOG.replace("name: blog-pages", "name: blog pages")) == [
        "2: rule name 'blog pages' cannot be used in a `# cache-rule:` comment: use letters, digits, '-', '_' and '.'"
    ]


def test_an_example_may_name_its_method_and_send_cookies_in_a_cookie_header() -> None:
    text = BLOG.replace('        - {path: "/blog/hello-world/", method: POST}\n', '        - "POST /blog/hello-world/"\n')
    text = text.replace("cookies: {sessionid: x}", 'headers: {Cookie: "csrftoken=a; sessionid=x"}')
    assert messages(text) == []
    # Without the session bypass, the Cookie-header example is contradicted and named.
    found = messages(text.replace("      - cookie: sessionid        # logged-in users see their own header\n", ""))
    assert any("not_cached example /blog/hello-world/ with header cookie, cookie csrftoken, cookie sessionid is cached" in m
               for m in found), found
    post = messages(BLOG.replace('cached:     ["/blog/"', 'cached:     ["POST /blog/"'))
    assert any("cached example POST /blog/ is not matched by rule 'blog-pages'" in m for m in post), post
