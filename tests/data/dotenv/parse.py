# SPDX-License-Identifier: Apache-2.0
# Prints what python-dotenv's dotenv_values reads from a file, as JSON (None for a name without '=').
# Interpolation is off: Coffer imports values literally, and docs/dotenv.md lists ${VAR} as a difference.
import json
import sys

from dotenv import dotenv_values

sys.stdout.write(json.dumps(dotenv_values(sys.argv[1], interpolate=False), ensure_ascii=False))
