.PHONY: demo test bootstrap bench

# The main job on the embedded default (SQLite): set up, load the real Northamptonshire data,
# show the result and serve the workspace on http://127.0.0.1:8000/.
demo:
	scripts/bootstrap
	uv run --frozen alliance demo

# The full test suite (SQLite, then PostgreSQL), as CI runs it.
test:
	scripts/test

bootstrap:
	scripts/bootstrap
