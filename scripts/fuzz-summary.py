"""Per-operation summary of schemathesis NDJSON reports (scripts/fuzz-api.sh).

Usage: fuzz-summary.py PASS.ndjson...
Prints one row per operation: cases run in each pass, the statuses answered, and failures
by check, then the totals; exits 1 when any check failed. A new route's failures read off
its own row.
"""

import collections
import json
import os
import sys


def main(paths):
    cases = collections.defaultdict(collections.Counter)  # op -> pass -> cases
    statuses = collections.defaultdict(collections.Counter)  # op -> status -> count
    failed = collections.defaultdict(collections.Counter)  # op -> check -> count
    examples = {}  # (op, check) -> one failing request, for the reader
    passes = []
    for path in paths:
        name = os.path.basename(path).removesuffix(".ndjson")
        passes.append(name)
        with open(path, encoding="utf-8") as f:
            for line in f:
                event = json.loads(line)
                done = event.get("ScenarioFinished")
                if not done:
                    continue
                recorder = done.get("recorder") or {}
                label = recorder.get("label", "?")
                if done.get("status") == "error":
                    # The tool itself broke on this operation: no verdict, so not a pass.
                    failed[label]["fuzzer error"] += 1
                    examples.setdefault((label, "fuzzer error"), f"{name}: see {name}.out")
                # Stateful scenarios are labelled by the chain; each case names its own call.
                for case_id, checks in (recorder.get("checks") or {}).items():
                    case = (recorder.get("cases") or {}).get(case_id, {}).get("value", {})
                    # Other phases label by the operation (its unsupported-method cases too).
                    if done.get("phase") == "stateful" and case:
                        op = f"{case['method']} {case['path']}"
                    else:
                        op = label
                    cases[op][name] += 1
                    interaction = (recorder.get("interactions") or {}).get(case_id) or {}
                    response = interaction.get("response") or {}
                    if "status_code" in response:
                        statuses[op][response["status_code"]] += 1
                    for check in checks:
                        if check.get("status") == "failure":
                            failed[op][check["name"]] += 1
                            request = interaction.get("request") or {}
                            message = (
                                check.get("failure_info", {}).get("failure", {}).get("message", "")
                            )
                            examples.setdefault(
                                (op, check["name"]),
                                f"{request.get('method', '')} {request.get('uri', '')} -> "
                                f"{response.get('status_code', '?')}: {message.splitlines()[0] if message else ''}",
                            )

    ops = sorted(cases, key=lambda o: (o.split(" ", 1)[1], o))
    width = max((len(o) for o in ops), default=10)
    header = f"{'operation':<{width}}  " + "  ".join(f"{p[:10]:>10}" for p in passes)
    print(header + "  statuses / failures")
    total = collections.Counter()
    total_failed = collections.Counter()
    for op in ops:
        for p in passes:
            total[p] += cases[op][p]
        seen = ",".join(f"{s}×{n}" for s, n in sorted(statuses[op].items()))
        bad = "; ".join(f"{c} ×{n}" for c, n in sorted(failed[op].items()))
        total_failed.update(failed[op])
        row = f"{op:<{width}}  " + "  ".join(f"{cases[op][p]:>10}" for p in passes)
        print(f"{row}  {seen}" + (f"  FAILED {bad}" if bad else ""))
    print(
        f"{'total':<{width}}  "
        + "  ".join(f"{total[p]:>10}" for p in passes)
        + f"  {sum(total.values())} cases over {len(ops)} operations"
    )
    if total_failed:
        print("\nfailures by check: " + ", ".join(f"{c} {n}" for c, n in sorted(total_failed.items())))
        for (op, check), example in sorted(examples.items()):
            print(f"  {check}: {example}")
        return 1
    print("fuzz: 0 server errors, 0 undocumented statuses, 0 schema or content-type mismatches")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
