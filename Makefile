# The two commands of the README. Each creates the virtual environment on first use and
# reinstalls when pyproject.toml or requirements.lock changes, so a fresh machine needs nothing
# but Python 3.11+.
#
# Installs are reproducible: requirements.lock pins every package (the build backend included)
# with its hashes, and pip refuses anything that is not in it or does not match. pyproject.toml
# keeps the ranges; after changing a dependency there, run `make lock` (a test fails while the
# lock no longer satisfies pyproject.toml).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements.lock
# The resolver that writes the lock; pinned so that two people's `make lock` agree.
UV_VERSION := 0.13.8

.PHONY: demo test bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dtiflow needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dtiflow demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Resolve pyproject.toml's ranges (runtime, the `test` extra and the build backend) for
# Python 3.11+ on every platform, with the hash of every file, into requirements.lock.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))' \
	  | $(BIN)/uv pip compile --quiet pyproject.toml - --extra test --universal --python-version 3.11 \
	      --generate-hashes --custom-compile-command 'make lock' -o $(LOCK)

clean:
	rm -rf $(VENV) var build *.egg-info
