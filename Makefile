# 议事厅 yishiting — the two commands of the quick start:
#   make run    install, migrate a SQLite database under var/, build the demo district, serve on :8000
#               (make run PORT=8100, or make run BIND=0.0.0.0:8100 to serve on every interface)
#   make test   install the dev dependencies and run the whole suite (SQLite, then PostgreSQL)

# The interpreter of .venv: Debian's own python3.11 when it can make a virtualenv (package python3-venv). Debian
# builds it with profile-guided and link-time optimisation; a plain source build such as pyenv's default has
# neither, and the test suite's page crawls ran ~22 % longer on it (README, "测试"). Else python3.11 or python3 on PATH.
# `make install PYTHON=…` picks another; an existing .venv is kept (make clean first to change it).
PYTHON ?= $(shell if /usr/bin/python3.11 -c "import ensurepip, venv" >/dev/null 2>&1; then echo /usr/bin/python3.11; \
                  else command -v python3.11 || command -v python3; fi)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
PORT   ?= 8000
BIND   ?= 127.0.0.1:$(PORT)

.PHONY: run test test-sqlite test-postgres install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

var/secret.key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

var/event.key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The local demo: plain HTTP on 127.0.0.1, so cookies are not marked Secure.
RUN_ENV = SECRET_KEY="$$(cat var/secret.key)" EVENT_HMAC_KEY="$$(cat var/event.key)" SECURE_COOKIES=false ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"

run: install var/secret.key var/event.key
	@bash scripts/system-deps.sh run
	@$(RUN_ENV) $(BIN)/yishiting migrate --noinput -v 0
	@$(RUN_ENV) $(BIN)/yishiting demo
	@$(RUN_ENV) $(BIN)/yishiting serve --bind $(BIND)

test: install
	@bash scripts/system-deps.sh test
	@bash scripts/test.sh

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var/static
