"""A .cfg/.conf file is INI only when its content says so (held-out round
(first wave) 2): GRUB scripts and shell fragments named .cfg are another
program's config, skipped with --verbose as "not INI", never "cannot parse";
an INI file with sections that breaks further down is still reported."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.no_duplicate_config_keys import main
from hooks.config.loaders import parse

GRUB_TFTP_ROOT = (
    "# workaround for firmware requesting grub.cfg from the tftp root\n"
    'if [ -r "${prefix}/grub/grub.cfg" ]; then\n'
    '  set prefix="${prefix}/grub"\n'
    '  configfile "${prefix}/grub.cfg"\n'
    "else\n"
    '  echo "Giving up..."\n'
    "fi\n"
)
GRUB_VARIABLES = "set arch='x86_64'\nset hostname='dummy'\ninsmod part_gpt\ninsmod ext2\nset timeout=5\n"
GRUB_MENUENTRY = (
    'menuentry "local" --class gnu-linux --class os {\n'
    "  set root=hd0\n"
    "  chainloader ($root)+1\n"
    "}\n"
)
SHELL_FRAGMENT = (
    "#!/bin/bash\n"
    "# sourced by the install scripts\n"
    "set -e -x\n"
    "APP_USER=${APP_USER:-$SUDO_USER}\n"
    "APP_HOME=/home/$APP_USER\n"
    'if [ -z "$APP_DOMAIN" ]; then\n'
    "    APP_DOMAIN=app.local\n"
    "fi\n"
)
SHELL_NO_SHEBANG = "# install settings\nset -e\nAPP_USER=${APP_USER:-$SUDO_USER}\n"
# A setup.cfg that breaks after its sections: a value-less key followed by a continuation.
BROKEN_SETUP_CFG = "[metadata]\nname = billing\n\n[flake8]\nmax-line-length = 100\nexclude\n    .git,\n    build\n"


def run(tmp_path: Path, name: str, text: str, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str, str]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    code = main([*flags, str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name,text", [
    pytest.param("config/grub/grub.cfg", GRUB_TFTP_ROOT, id="grub-if-fi"),
    pytest.param("config/grub/grub/grub.cfg", GRUB_VARIABLES, id="grub-set-insmod"),
    pytest.param("config/grub/grub/local_efi.cfg", GRUB_MENUENTRY, id="grub-menuentry"),
    pytest.param("install/install.cfg", SHELL_FRAGMENT, id="shell-fragment"),
    pytest.param("install/install.cfg", SHELL_NO_SHEBANG, id="shell-fragment-no-shebang"),
    pytest.param("boot/menu.conf", GRUB_MENUENTRY, id="grub-menuentry-conf"),
])
def test_another_programs_cfg_is_skipped_not_a_parse_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    code, out, err = run(tmp_path, name, text, capsys, "--verbose")
    assert code == 0, out
    assert "cannot parse" not in out + err
    assert f"{name}: no-duplicate-config-keys: skipped: not INI: " in err.replace(str(tmp_path) + "/", "")


def test_broken_ini_with_sections_is_still_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(tmp_path, "setup.cfg", BROKEN_SETUP_CFG, capsys)
    assert code == 1
    assert "setup.cfg:1:1: no-duplicate-config-keys: cannot parse INI: " in out


def test_key_value_lines_then_a_bad_line_is_a_broken_ini_file() -> None:
    doc = parse("app.cfg", "[main]\nname = billing\nflag\n    on\n", "ini")
    assert doc.error is not None and doc.error.certain and not doc.error.message.startswith("not INI")


def test_keys_before_any_section_still_read() -> None:
    doc = parse("app.cfg", "name = billing\nport = 8080\nname = other\n", "ini")
    assert doc.error is None
    assert [e.path for e in doc.entries] == [("name",), ("port",), ("name",)]


def test_a_grub_script_names_its_shape_not_its_text() -> None:
    doc = parse("grub.cfg", GRUB_MENUENTRY, "ini")
    assert doc.error is not None and not doc.error.certain
    assert doc.error.message.startswith("not INI: a { ... } block on line 1")
    assert "local" not in doc.error.message
