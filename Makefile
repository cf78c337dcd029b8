# One-command set-up: `make demo` (install + start the demo) and `make test` (install + all tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo install install-dev test soak lint bench i18n installer screenshot format clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "agent-app needs Python >= 3.11: set PYTHON=python3.11 (or newer)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The editable install leaves the sources uncompiled; compile them as `pip install` and the
# bundle do, so a seat started from the checkout runs bytecode even where
# PYTHONDONTWRITEBYTECODE is set (otherwise every start compiles every module: ~100 ms).
COMPILE := $(BIN)/python -m compileall -q -j 0 agent_app

# The Python trees kept in ruff's format (`make format` applies it).
FORMATTED := agent_app tests benchmarks scripts

install: $(BIN)/python
	scripts/install-system-deps.sh
	$(BIN)/pip install -q -e .
	$(COMPILE)

install-dev: $(BIN)/python
	scripts/install-system-deps.sh --with-postgres
	$(BIN)/pip install -q -e ".[dev]"
	$(COMPILE)

demo: install
	QT_QPA_PLATFORM= $(BIN)/agent-app --demo

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install-dev
	scripts/ensure-postgres.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# The scale tests at the sizes the requirements name (300 kills, 20 seats for 60 s, ...);
# `make test` runs the same tests in a short profile.  Not part of `make test` or CI.
soak: install-dev
	scripts/ensure-postgres.sh
	AGENT_APP_SOAK=1 $(BIN)/python -m pytest -q -m soak -o faulthandler_timeout=3500 --timeout=3600

bench: install-dev
	$(BIN)/python benchmarks/bench_startup.py

screenshot: install
	$(BIN)/agent-app --demo --screenshot docs/screenshot-main.png

# lupdate keeps existing translations; the fill script applies resources/i18n/en_glossary.tsv
# and lists what is still untranslated (add it to the glossary and run `make i18n` again).
i18n: install-dev
	mkdir -p resources/i18n
	$(BIN)/pyside6-lupdate -source-language zh_CN -target-language en -no-obsolete \
		$$(git ls-files 'agent_app/*.py') -ts resources/i18n/en.ts
	$(BIN)/python scripts/fill_translations.py
	$(BIN)/pyside6-lrelease resources/i18n/en.ts -qm resources/i18n/en.qm

installer: install-dev
	$(BIN)/pyinstaller --noconfirm build_installer.spec

format: install-dev
	$(BIN)/ruff format $(FORMATTED)

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
