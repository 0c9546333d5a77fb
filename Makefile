# The two commands of the README: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench web dovecot clean

demo: $(STAMP)
	$(BIN)/python -m bot.demo

test: $(STAMP) dovecot
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The staff UI on the demo's database (run `make demo` first): http://127.0.0.1:8000/
web: $(STAMP)
	INBOX_BOT_DEMO_PASSWORD=demo-password $(BIN)/inbox-bot --config demo-data/config.toml web

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "inbox-bot needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The tests start their own Dovecot (never the system service); it only has to be installed.
dovecot:
	@if command -v dovecot >/dev/null 2>&1 || test -x /usr/sbin/dovecot; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing dovecot-imapd (the tests run their own Dovecot on loopback)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
	else \
		echo "Dovecot is not installed; the IMAP tests will be skipped."; \
		echo "Install it with:  sudo apt-get install dovecot-imapd"; \
	fi

clean:
	rm -rf $(VENV) demo-data .pytest_cache .ruff_cache
