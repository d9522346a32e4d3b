# The README's two commands: `make analyze` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: analyze test lint bench notebooks clean-venv

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,dask]"
	touch $(STAMP)

analyze: $(STAMP)
	$(BIN)/framing analyze seeds --out reports
	$(BIN)/framing sample reports --n 40 --seed 0 --out reports/validation/sheets
	$(BIN)/framing agree tests/data/validation/coded_*.csv --key reports/validation/sheets/key.csv \
	  --out reports/validation > /dev/null

lint: $(STAMP)
	$(BIN)/ruff check framing tests benchmarks

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	for f in benchmarks/*.py; do case $$f in */corpus_gen.py) continue;; esac; \
	  echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean-venv:
	rm -rf $(VENV)
