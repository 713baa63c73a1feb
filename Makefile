# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLES := $(wildcard examples/*.toml)
OUT := out

.PHONY: demo test lint bench schemas templates pages docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[charts]'
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.demo

# Render every example into out/ (.docx always, PDF where LibreOffice is installed); then the county:
# its two reports with mistakes checked (their messages shown, nothing rendered), its ten townships
# rendered in one batch into out/county/, and rolled up into the county's own report; the county's
# review of all twelve against its roster (one body has sent nothing) as a web page; the seed replica's
# portal page with its 图解, and the 图解 alone; and the seed replica's Word file read back into a report file.
demo: $(VENV)/.demo
	@mkdir -p $(OUT)
	@pdf=$$(command -v soffice >/dev/null && echo --pdf); \
	for f in $(EXAMPLES); do \
	  $(BIN)/docgen render $$f -o $(OUT)/$$(basename $$f .toml).docx $$pdf || exit 1; \
	done; \
	echo "== examples/county/mistakes: two township reports with common mistakes (not rendered)"; \
	$(BIN)/docgen validate examples/county/mistakes/*.toml; \
	echo "== examples/county: ten townships in one batch"; \
	$(BIN)/docgen batch examples/county -o $(OUT)/county $$pdf --summary $(OUT)/county/summary.json || exit 1; \
	$(BIN)/docgen rollup examples/county -o $(OUT)/county/county-2024.toml --issuer 青山县人民政府 --force || exit 1; \
	$(BIN)/docgen render $(OUT)/county/county-2024.toml $$pdf || exit 1; \
	echo "== the county's review: every report checked against its roster"; \
	$(BIN)/docgen review examples/county examples/county/mistakes --roster examples/county/roster.txt \
	  -o $(OUT)/county/review.html --force; \
	echo "== the 金殿镇 replica as a portal page, and its 图解"; \
	$(BIN)/docgen render examples/jindian-2024.toml --html --charts -o $(OUT)/jindian-2024.html || exit 1; \
	$(BIN)/docgen chart examples/jindian-2024.toml -o $(OUT) || exit 1; \
	echo "== the 金殿镇 replica's Word file read back"; \
	$(BIN)/docgen extract $(OUT)/jindian-2024.docx -o $(OUT)/jindian-2024.extracted.toml --force || exit 1
	@ls -1 $(OUT) $(OUT)/county

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.test
	$(BIN)/python -m benchmarks.bench_import
	$(BIN)/python -m benchmarks.bench_validate
	$(BIN)/python -m benchmarks.bench_render
	$(BIN)/python -m benchmarks.bench_pages
	$(BIN)/python -m benchmarks.bench_serve
	$(BIN)/python -m benchmarks.bench_pdf
	$(BIN)/python -m benchmarks.bench_batch

# Page images of every example, for a person to look at (needs LibreOffice and poppler-utils), and screenshots
# of the seed replica's portal page at 1280 px and 375 px (needs chromium).
pages: $(VENV)/.test
	@mkdir -p $(OUT)/pages
	@for f in $(EXAMPLES); do \
	  name=$$(basename $$f .toml); \
	  $(BIN)/docgen render $$f -o $(OUT)/$$name.docx --pdf || exit 1; \
	  pdftoppm -r 80 -png $(OUT)/$$name.pdf $(OUT)/pages/$$name || exit 1; \
	done
	$(BIN)/python tools/pages.py
	@ls -1 $(OUT)/pages

# The picture of the form in the README: the blank form's table B, drawn by LibreOffice.
docs: $(VENV)/.demo
	$(BIN)/python tools/build_docs.py

# Regenerate the committed schemas and templates from the statutory structure.
schemas: $(VENV)/.demo
	$(BIN)/python tools/build_schemas.py

templates: $(VENV)/.demo
	$(BIN)/python tools/build_templates.py

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache
