# Two commands on a fresh machine: `make demo` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench bench-small soak sysdeps jsdeps clean translations screenshot

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@$(PY) -m compileall -q pipeline/kooperacja  # an editable install leaves bytecode to the first run
	@touch $(STAMP)

sysdeps:
	@scripts/sysdeps.sh

jsdeps:
	@scripts/jsdeps.sh

demo: sysdeps $(STAMP)
	$(PY) demo/run_demo.py

test: sysdeps jsdeps $(STAMP)
	$(PY) -m ruff check pipeline tests demo bench
	$(PY) -m pytest -q

# The README's pictures of the web page (docs/web-*.png), from the demo archive of `make demo`.
screenshot: sysdeps $(STAMP)
	$(PY) scripts/screenshot.py

lint: $(STAMP)
	$(PY) -m ruff check pipeline tests demo bench

clean:
	rm -rf $(VENV) demo/site build *.egg-info pipeline/*.egg-info

soak: sysdeps $(STAMP)
	KOOPERACJA_KILLS=20 $(PY) -m pytest -q tests/test_crash.py

# Performance benchmark (issue 6): see bench/README.md. No timing is asserted anywhere.
bench: sysdeps $(STAMP)
	$(PY) bench/run.py --pages 20000

bench-small: sysdeps $(STAMP)
	$(PY) bench/run.py --pages 500 --repeats 5 --json bench/work/results-small.json

# Polish/English catalogues (README, "Translations"): refresh the .po files from the code and
# templates, then compile the .mo files that are committed beside them.
LOCALE := pipeline/kooperacja/locale
translations: $(STAMP)
	@mkdir -p build
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --width 100 \
		--project kooperacja -o build/kooperacja.pot . >/dev/null
	$(VENV)/bin/pybabel update -i build/kooperacja.pot -d $(LOCALE) -D kooperacja \
		--width 100 --ignore-obsolete
	$(VENV)/bin/pybabel compile -d $(LOCALE) -D kooperacja --statistics
