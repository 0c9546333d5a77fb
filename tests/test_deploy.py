"""The deployment files in deploy/ stay true: the systemd units run commands the CLI accepts,
and the example environment file names every secret the example configuration asks for."""

from __future__ import annotations

import configparser
import re
import shlex

import pytest

from bot.cli.main import _parser
from bot.config.load import parse_config
from tests.helpers import ROOT

DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / name)
    return parser


@pytest.mark.parametrize(("name", "command"), [("inbox-bot.service", "run"),
                                               ("inbox-bot-web.service", "web")])
def test_units_run_commands_the_cli_accepts(name, command):
    service = unit(name)["Service"]
    for key in ("ExecStartPre", "ExecStart"):
        if key not in service:
            continue
        argv = shlex.split(service[key])
        assert argv[0] == "/opt/inbox-bot/.venv/bin/inbox-bot"
        _parser().parse_args(argv[1:])  # argparse exits on anything it does not know
    assert shlex.split(service["ExecStart"])[-1 if command == "run" else 3] == command
    assert service["EnvironmentFile"] == "/etc/inbox-bot/inbox-bot.env"
    assert service["User"] == "inbox-bot" and service["NoNewPrivileges"] == "yes"


def test_the_example_environment_holds_every_secret_of_the_example_config():
    env_names = set(re.findall(r"^#? ?([A-Z_]+)=", (DEPLOY / "inbox-bot.env.example")
                               .read_text(), flags=re.M))
    config_text = (ROOT / "config.example.toml").read_text()
    asked = set(re.findall(r'_env = "([A-Z_]+)"', config_text))
    assert asked and asked <= env_names
    import tomllib
    env = {name: "x" for name in env_names}
    config = parse_config(tomllib.loads(config_text), env)  # the example loads as it is
    assert config.mailbox.password == "x" and config.health.alert_email is None
