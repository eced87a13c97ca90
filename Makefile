# Two commands do all set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
FLASK := $(BIN)/flask --app wsgi
TRANSLATIONS := market/translations

.PHONY: run serve test install translations extract-messages migrate demo bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the requirement files change.
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime translations

translations: $(VENV)/.installed-runtime
	$(BIN)/pybabel compile --use-fuzzy --statistics -d $(TRANSLATIONS)

extract-messages: $(VENV)/.installed-runtime
	$(BIN)/pybabel extract --ignore-dirs ".* __pycache__" -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

migrate: install
	$(FLASK) db upgrade
	$(FLASK) catalog seed-industries
	$(FLASK) procurement seed-ceilings

demo: migrate
	$(FLASK) demo load --if-empty

run: demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev translations
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
