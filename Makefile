# The two commands of the README: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AXE    := tests/a11y/node_modules/axe-core/axe.min.js

.PHONY: demo demo-mailbox test test-faults lint bench web user system-packages clean

demo: $(STAMP)
	$(BIN)/python -m bot.demo

test: $(STAMP) system-packages $(AXE)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The staff UI on the demo's database (run `make demo` first): http://127.0.0.1:8000/
web: $(STAMP)
	$(BIN)/python -m bot.demo.web

# A demo mailbox (IMAP + SMTP sink) that stays up, to try check/run --dry-run/run against it
demo-mailbox: $(STAMP)
	$(BIN)/python -m bot.demo.mailbox

# A staff account on the demo's database: make user NAME=anna (asks the password twice)
user: $(STAMP)
	INBOX_BOT_DEMO_PASSWORD=demo-password $(BIN)/inbox-bot --config demo-data/config.toml user add $(NAME)

bench: $(STAMP)
	@for b in bench/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The fault suite's long runs too (1,000-message backlog with 20 kills, a lock past the timeout)
test-faults: $(STAMP) system-packages
	INBOX_BOT_SLOW_TESTS=1 $(BIN)/python -m pytest tests/faults $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "inbox-bot needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core for the desk's accessibility test, pinned in tests/a11y/package-lock.json; the test
# injects it from disk (never from the internet). Without npm that test is skipped.
$(AXE): tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/a11y --no-audit --no-fund --silent && touch $(AXE); \
	else echo "npm missing: the accessibility test will be skipped"; fi

# The tests start their own Dovecot and nginx (never the system services) and drive Debian's
# Chromium; they only have to be installed. As root with apt they are installed here.
system-packages:
	@missing=""; \
	command -v dovecot >/dev/null 2>&1 || test -x /usr/sbin/dovecot || missing="$$missing dovecot-imapd"; \
	test -x /usr/bin/chromium || missing="$$missing chromium chromium-driver"; \
	command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing$$missing (the tests run their own servers on loopback)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing:$$missing; the tests that need them will be skipped."; \
		echo "Install them with:  sudo apt-get install$$missing"; \
	fi

clean:
	rm -rf $(VENV) demo-data .pytest_cache .ruff_cache
