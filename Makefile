# Two commands on a fresh machine: `make run` (the product with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat requirements/*.txt | sha1sum | cut -c1-12)

.PHONY: run test install messages makemessages lint format

run: install messages
	$(BIN)/python -m project.launcher

test: install messages
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(INSTALLED)

$(INSTALLED): requirements/base.txt requirements/dev.txt requirements/prod.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Compiles locale/ (gettext's msgfmt is needed; installed here when we may).
messages: install
	@command -v msgfmt >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && apt-get install -y -qq gettext >/dev/null); } || \
		{ echo "gettext (msgfmt) is missing: install it, e.g. 'apt-get install gettext'"; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.data -v 0

# Refresh the English catalog after changing Spanish source strings.
makemessages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=.data --no-obsolete

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
