#!/usr/bin/env python3
"""Python `jsonschema` side of the credential-validation benchmark.

Same measurement as main.swift: one validation = collect ALL errors of one
already-parsed instance (list(validator.iter_errors(instance))) with a
validator built once per schema (validator_for + FORMAT_CHECKER, draft 2020-12
by default). Valid and invalid instances are measured separately; each figure
is the median of N rounds, each round running for at least --min-time seconds.
"""
import argparse
import json
import os
import statistics
import sys
import time

from jsonschema import Draft202012Validator, validators


def load_cases(cases_dir, adapters_dir, only):
    sets = []
    for file in sorted(os.listdir(cases_dir)):
        if not file.endswith(".json"):
            continue
        name = file[:-5]
        if only and only != name:
            continue
        with open(os.path.join(cases_dir, file), encoding="utf-8") as f:
            doc = json.load(f)
        if "schema" in doc:
            schema = doc["schema"]
        elif doc.get("adapter"):
            path = os.path.join(adapters_dir, doc["adapter"], "manifest.json")
            if not os.path.exists(path):
                print(f"skipping {name}: {path} not found", file=sys.stderr)
                continue
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)["config_schema"]
        else:
            sys.exit(f'{file}: needs "adapter" or "schema"')
        cls = validators.validator_for(schema, default=Draft202012Validator)
        cls.check_schema(schema)
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        sets.append((name, validator, doc.get("valid", []), doc.get("invalid", [])))
    return sets


def measure(validator, instances, rounds, min_time):
    if not instances:
        return 0.0
    for instance in instances:  # warm-up
        list(validator.iter_errors(instance))
    rates = []
    for _ in range(rounds):
        count = 0
        start = time.perf_counter()
        while True:
            for instance in instances:
                list(validator.iter_errors(instance))
            count += len(instances)
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        rates.append(count / elapsed)
    return statistics.median(rates)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="benchmarks/credential-validation/cases")
    parser.add_argument("--adapters", default="adapters")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--min-time", type=float, default=0.25)
    parser.add_argument("--only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sets = load_cases(args.cases, args.adapters, args.only)
    if not sets:
        sys.exit(f"no cases found in {args.cases}")
    if not args.json:
        print(f"{'case':28s}      valid/s    invalid/s  (median of {args.rounds})")
    for name, validator, valid, invalid in sets:
        valid_rate = measure(validator, valid, args.rounds, args.min_time)
        invalid_rate = measure(validator, invalid, args.rounds, args.min_time)
        errors = sum(len(list(validator.iter_errors(i))) for i in invalid)
        if args.json:
            print(json.dumps({
                "case": name,
                "valid_per_s": int(valid_rate),
                "invalid_per_s": int(invalid_rate),
                "valid_instances": len(valid),
                "invalid_instances": len(invalid),
                "invalid_errors": errors,
            }))
        else:
            print(f"{name:28s} {valid_rate:12.0f} {invalid_rate:12.0f}")


if __name__ == "__main__":
    main()
