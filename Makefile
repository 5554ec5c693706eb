# dangjian: thin wrapper around CMake, npm and the test runner.
#   make run    install what is missing, build, serve the demo at http://127.0.0.1:8080
#   make test   install what is missing, build, run every test suite
#   make bench  benchmarks (bench/)

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DB         ?= dangjian.db
LISTEN     ?= 127.0.0.1:8080

.PHONY: all run test test-unit test-api test-full build asan web bootstrap bootstrap-run bench clean format

all: build web

bootstrap:
	@scripts/bootstrap

bootstrap-run:
	@scripts/bootstrap --run

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDJ_SANITIZE=ON -DDJ_TESTS=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target dangjian

web:
	@cd web && npm run build --silent
	@find web/dist/assets -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' \) -exec gzip -k -9 -f {} +

run: bootstrap-run build web
	$(BUILD)/dangjian serve --db $(DB) --demo --listen $(LISTEN)

test: bootstrap build asan web
	@python3 scripts/run-tests --build $(BUILD) --asan-build $(ASAN_BUILD)

bench: bootstrap build web
	@bench/api

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist

format:
	@clang-format -i $$(git ls-files 'src/*.[ch]' 'tests/unit/*.[ch]')
