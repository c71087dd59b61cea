#!/usr/bin/env bash
# The one test command (README, .ci/run): installs and starts what the tests need, builds,
# runs every test project, and closes with "N passed, N failed, N skipped".
#   ops/test.sh [extra dotnet test args...]
# Needs: the .NET SDK, root for apt-get (qemu for the kernel oracle, PostgreSQL for the node tests,
# chromium for the dashboard's browser tests),
# ../shared/oracle beside the repo.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- what the tests need -------------------------------------------------------------------
oracle_dir=${FLEETMERGE_ORACLE_DIR:-$repo/../shared/oracle}
if [ ! -x "$oracle_dir/build.sh" ]; then
	echo "ops/test.sh: kernel oracle not found at $oracle_dir (set FLEETMERGE_ORACLE_DIR)" >&2
	exit 2
fi
export FLEETMERGE_ORACLE_DIR=$oracle_dir
export ORACLE_CACHE=${ORACLE_CACHE:-/tmp/oracle-cache}
# The oracle installs qemu from Debian and builds its kernel + initramfs cache (2 s when up to date).
# KVM is not usable on these machines (see the oracle README), so skip its 20 s probe.
echo "ops/test.sh: preparing the kernel oracle ($ORACLE_CACHE)"
ORACLE_ACCEL=${ORACLE_ACCEL:-tcg} "$oracle_dir/build.sh" > /tmp/fleetmerge-oracle-build.log 2>&1 || {
	tail -20 /tmp/fleetmerge-oracle-build.log >&2
	echo "ops/test.sh: oracle build failed (log: /tmp/fleetmerge-oracle-build.log)" >&2
	exit 2
}

# PostgreSQL for the node's persistence tests: a private server on 127.0.0.1 (ops/postgres.sh
# installs Debian's package on a fresh machine). Stopped at the end unless it was already running.
echo "ops/test.sh: starting PostgreSQL (ops/postgres.sh)"
pg_was_running=0
ops/postgres.sh status 2>/dev/null && pg_was_running=1
ops/postgres.sh start > /tmp/fleetmerge-postgres-start.log 2>&1 || {
	tail -20 /tmp/fleetmerge-postgres-start.log >&2
	echo "ops/test.sh: PostgreSQL did not start (log: /tmp/fleetmerge-postgres-start.log)" >&2
	exit 2
}
if [ "$pg_was_running" -eq 0 ]; then
	trap 'ops/postgres.sh stop >/dev/null 2>&1 || true' EXIT
fi
FLEETMERGE_TEST_POSTGRES=$(ops/postgres.sh url)
export FLEETMERGE_TEST_POSTGRES

# Debian's chromium for the dashboard's browser tests: Playwright's driver comes with its NuGet
# package, but its own browser download is not reachable, so the tests drive /usr/bin/chromium.
if [ ! -x /usr/bin/chromium ]; then
	echo "ops/test.sh: installing chromium (Debian) for the dashboard's browser tests"
	{
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core ||
			{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core; }
	} > /tmp/fleetmerge-chromium-install.log 2>&1 || {
		tail -20 /tmp/fleetmerge-chromium-install.log >&2
		echo "ops/test.sh: chromium did not install (log: /tmp/fleetmerge-chromium-install.log)" >&2
		exit 2
	}
fi

# --- build and test ------------------------------------------------------------------------
dotnet build FleetMerge.sln -c Release --nologo -v q
log=$(mktemp /tmp/fleetmerge-test.XXXXXX)
set +e
dotnet test FleetMerge.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Failed: a, Passed: b, Skipped: c" line per test assembly.
read -r passed failed skipped < <(awk '
	/(Passed|Failed)!  *- *Failed: / {
		for (i = 1; i <= NF; i++) {
			if ($i == "Failed:")  { f += $(i+1) + 0 }
			if ($i == "Passed:")  { p += $(i+1) + 0 }
			if ($i == "Skipped:") { s += $(i+1) + 0 }
		}
	}
	END { print p + 0, f + 0, s + 0 }' "$log")
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then
	echo "ops/test.sh: no test ran" >&2
	exit 1
fi
exit "$rc"
