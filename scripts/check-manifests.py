#!/usr/bin/env python3
"""Check adapter manifests and credential-validation benchmark cases.

Run from anywhere:  python3 scripts/check-manifests.py [--repo PATH] [-v]

For every adapters/<code>/manifest.json it checks
  * the file is valid JSON and its structure follows the manifest format
    (docs/providers.md, DESIGN.md "manifest.json"): code, kind, seed name/logo/
    is_default, capability and status vocabularies, webhook block, rate limits
    as decimal strings, secret_fields as JSON pointers that exist in the schema;
  * config_schema is a valid JSON Schema (Draft 2020-12 meta-schema);
  * Shopify and Shiprocket keep the seed's config_schema exactly;
and for every benchmarks/credential-validation/cases/<code>.json that
  * it names its adapter, has 3-5 valid and 3-5 invalid objects,
  * every valid object passes and every invalid object fails config_schema
    (Draft202012Validator with format checking).

Exit status: 0 when everything holds, 1 on any problem (each one is printed).
Needs: python3 with jsonschema >= 4.18.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

try:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import SchemaError
except ImportError:  # pragma: no cover
    print("error: python package 'jsonschema' (>= 4.18) is required", file=sys.stderr)
    sys.exit(2)

# --------------------------------------------------------------------------
# Vocabularies (brief + DESIGN.md + seed-schema.md)
# --------------------------------------------------------------------------
EXPECTED = ["shopify", "amazon", "flipkart", "meesho", "woocommerce",
            "shiprocket", "delhivery", "bluedart", "dtdc", "custom"]

SEED = {
    # code: (kind, name, is_default)
    "shopify": ("channel", "Shopify", None),
    "amazon": ("channel", "Amazon", None),
    "flipkart": ("channel", "Flipkart", None),
    "meesho": ("channel", "Meesho", None),
    "woocommerce": ("channel", "WooCommerce", None),
    "shiprocket": ("courier", "Shiprocket", True),
    "delhivery": ("courier", "Delhivery", False),
    "bluedart": ("courier", "BlueDart", False),
    "dtdc": ("courier", "DTDC", False),
    "custom": ("courier", "Custom", False),
}

# Seed config_schema rows that must be kept exactly (seed-schema.md).
SEED_SCHEMAS = {
    "shopify": {
        "type": "object",
        "required": ["shop_domain", "access_token"],
        "properties": {
            "shop_domain": {"type": "string", "description": "Your Shopify store domain"},
            "access_token": {"type": "string", "description": "API access token"},
            "api_version": {"type": "string", "default": "2024-01"},
        },
    },
    "shiprocket": {
        "type": "object",
        "required": ["email", "password"],
        "properties": {
            "email": {"type": "string"},
            "password": {"type": "string"},
        },
    },
}

CHANNEL_CAPS = {"orders.pull", "orders.webhook", "orders.import_file", "fulfillment.push",
                "inventory.push", "connection.test"}
COURIER_CAPS = {"connection.test", "serviceability", "rates", "shipment.create", "label", "pickup",
                "manifest", "shipment.cancel", "tracking.pull", "tracking.webhook", "tracking.batch",
                "ndr.reattempt", "ndr.reschedule", "ndr.change_address", "ndr.change_phone", "ndr.rto",
                "cod", "reverse_pickup"}
UNIFIED_STATUSES = {"created", "manifested", "picked", "in_transit", "out_for_delivery", "delivered",
                    "rto_initiated", "rto_in_transit", "rto_delivered", "cancelled"}
NDR_REASONS = {"customer_unavailable", "wrong_address", "refused", "incomplete_address",
               "cod_not_ready", "other"}
# The four modes of the brief, plus two this research needed (see docs/providers.md,
# "Deviations"): Flipkart's FKLOGIN SHA-1 scheme and Custom's per-document mode.
WEBHOOK_VERIFICATION = {"hmac_sha256_base64", "hmac_sha256_hex", "static_token", "none",
                        "flipkart_fklogin_sha1", "from_config"}
SECRET_SOURCE_RE = re.compile(r"^(connection\.webhook_secret|(credentials|settings):(/([^/~]|~[01])*)+)$")
DECIMAL_RE = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")
POINTER_RE = re.compile(r"^(/([^/~]|~[01])*)+$")

TOP_KEYS = {"code", "kind", "name", "logo_url", "docs_url", "api", "config_schema", "secret_fields",
            "capabilities", "webhook", "rate_limits", "notes"}
COURIER_KEYS = {"is_default", "status_map", "ndr_reason_map"}


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, msg: str) -> None:
        self.items.append(f"{where}: {msg}")


def format_checker() -> FormatChecker:
    """All formats jsonschema knows, plus a stdlib 'uri' check when the optional
    rfc3987 package is missing, so results do not depend on the environment."""
    fc = FormatChecker()
    if "uri" not in fc.checkers:
        @fc.checks("uri", raises=ValueError)
        def _is_uri(value: object) -> bool:  # absolute URI: scheme + something
            if not isinstance(value, str):
                return True
            if any(c.isspace() for c in value):
                return False
            parts = urlsplit(value)
            return bool(parts.scheme) and bool(parts.netloc or parts.path)
    return fc


# --------------------------------------------------------------------------
# Schema helpers
# --------------------------------------------------------------------------
def resolve_ref(root: dict, ref: str):
    if not ref.startswith("#"):
        return None
    node = root
    for tok in ref[1:].split("/")[1:] if ref != "#" else []:
        tok = tok.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or tok not in node:
            return None
        node = node[tok]
    return node


def pointer_exists(root: dict, schema, tokens: list[str], depth: int = 0) -> bool:
    """True if some branch of `schema` declares the property path `tokens`."""
    if depth > 40 or not isinstance(schema, dict):
        return False
    if not tokens:
        return True
    if "$ref" in schema:
        target = resolve_ref(root, schema["$ref"])
        if target is not None and pointer_exists(root, target, tokens, depth + 1):
            return True
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, []) or []:
            if pointer_exists(root, sub, tokens, depth + 1):
                return True
    for key in ("then", "else"):
        if key in schema and pointer_exists(root, schema[key], tokens, depth + 1):
            return True
    props = schema.get("properties", {})
    if tokens[0] in props and pointer_exists(root, props[tokens[0]], tokens[1:], depth + 1):
        return True
    return False


def property_schema(root: dict, schema, tokens: list[str]):
    """First concrete property schema reached by `tokens` (following $ref)."""
    node = schema
    for tok in tokens:
        while isinstance(node, dict) and "$ref" in node:
            node = resolve_ref(root, node["$ref"])
        if not isinstance(node, dict):
            return None
        node = node.get("properties", {}).get(tok)
    while isinstance(node, dict) and "$ref" in node:
        node = resolve_ref(root, node["$ref"])
    return node


# --------------------------------------------------------------------------
# Manifest checks
# --------------------------------------------------------------------------
def check_manifest(code: str, path: Path, m, p: Problems) -> None:
    where = str(path)
    if not isinstance(m, dict):
        p.add(where, "manifest is not a JSON object")
        return
    missing = TOP_KEYS - m.keys()
    if missing:
        p.add(where, f"missing keys: {sorted(missing)}")
    if m.get("code") != code:
        p.add(where, f"code {m.get('code')!r} does not match folder name {code!r}")
    kind = m.get("kind")
    if kind not in ("channel", "courier"):
        p.add(where, f"kind must be 'channel' or 'courier', got {kind!r}")
        return
    if code in SEED:
        s_kind, s_name, s_default = SEED[code]
        if kind != s_kind:
            p.add(where, f"kind {kind!r} differs from seed ({s_kind})")
        if m.get("name") != s_name:
            p.add(where, f"name {m.get('name')!r} differs from seed ({s_name!r})")
        if kind == "courier" and m.get("is_default") is not s_default:
            p.add(where, f"is_default must be {s_default} (seed)")
    if not isinstance(m.get("name"), str) or not m.get("name"):
        p.add(where, "name must be a non-empty string")
    folder = "channels" if kind == "channel" else "couriers"
    if m.get("logo_url") != f"/images/{folder}/{code}.svg":
        p.add(where, f"logo_url should be /images/{folder}/{code}.svg")
    if kind == "channel" and "is_default" in m:
        p.add(where, "channels must not carry is_default")
    if kind == "courier":
        extra = COURIER_KEYS - m.keys()
        if extra:
            p.add(where, f"courier manifest missing keys: {sorted(extra)}")
        if not isinstance(m.get("is_default"), bool):
            p.add(where, "is_default must be a boolean")
    else:
        for k in ("status_map", "ndr_reason_map"):
            if k in m:
                p.add(where, f"channel manifest must not have {k}")

    docs = m.get("docs_url")
    if docs is not None and not (isinstance(docs, str) and docs.startswith("https://")):
        p.add(where, "docs_url must be an https URL or null")

    api = m.get("api")
    if not isinstance(api, dict):
        p.add(where, "api must be an object")
    else:
        if not isinstance(api.get("base_url"), str) or not api["base_url"]:
            p.add(where, "api.base_url must be a non-empty string")
        if not isinstance(api.get("auth"), str) or not api["auth"]:
            p.add(where, "api.auth must be a one-line description string")
        elif "\n" in api["auth"]:
            p.add(where, "api.auth must be a single line")
        for k in ("sandbox_base_url", "version"):
            if k in api and not (isinstance(api[k], str) and api[k]):
                p.add(where, f"api.{k} must be a non-empty string when present")
        unknown = set(api) - {"base_url", "sandbox_base_url", "auth", "version"}
        if unknown:
            p.add(where, f"api has unknown keys {sorted(unknown)}")

    caps = m.get("capabilities")
    vocab = CHANNEL_CAPS if kind == "channel" else COURIER_CAPS
    if not isinstance(caps, list) or not caps:
        p.add(where, "capabilities must be a non-empty list")
    else:
        bad = [c for c in caps if c not in vocab]
        if bad:
            p.add(where, f"capabilities outside the {kind} vocabulary: {bad}")
        if len(set(caps)) != len(caps):
            p.add(where, "capabilities contain duplicates")

    check_webhook(where, m.get("webhook"), caps if isinstance(caps, list) else [], kind, p)
    check_rate_limits(where, m.get("rate_limits"), p)
    if kind == "courier":
        check_status_map(where, m.get("status_map"), p)
        check_ndr_reason_map(where, m.get("ndr_reason_map"), p)

    notes = m.get("notes")
    if not isinstance(notes, list) or not all(isinstance(n, str) and n for n in notes):
        p.add(where, "notes must be a list of non-empty strings")

    check_config_schema(code, where, m.get("config_schema"), m.get("secret_fields"), p)


def check_webhook(where: str, wh, caps: list, kind: str, p: Problems) -> None:
    push_cap = "orders.webhook" if kind == "channel" else "tracking.webhook"
    if wh is None:
        if push_cap in caps:
            p.add(where, f"webhook is null but capabilities include {push_cap}")
        return
    if not isinstance(wh, dict):
        p.add(where, "webhook must be an object or null")
        return
    if push_cap not in caps:
        p.add(where, f"webhook block present but capability {push_cap} missing")
    ver = wh.get("verification")
    if ver not in WEBHOOK_VERIFICATION:
        p.add(where, f"webhook.verification {ver!r} not in {sorted(WEBHOOK_VERIFICATION)}")
    if ver not in ("none", "from_config") and not (isinstance(wh.get("header"), str) and wh["header"]):
        p.add(where, "webhook.header is required for this verification mode")
    if ver != "none":
        src = wh.get("secret_source")
        if not (isinstance(src, str) and SECRET_SOURCE_RE.match(src)):
            p.add(where, f"webhook.secret_source {src!r} must be connection.webhook_secret, "
                         "credentials:/<pointer> or settings:/<pointer>")
    if "id_header" in wh and wh["id_header"] is not None and not isinstance(wh["id_header"], str):
        p.add(where, "webhook.id_header must be a string or null")
    if "topics" in wh and not (isinstance(wh["topics"], list) and all(isinstance(t, str) for t in wh["topics"])):
        p.add(where, "webhook.topics must be a list of strings")
    if "notes" in wh and not isinstance(wh["notes"], str):
        p.add(where, "webhook.notes must be a string")


def check_rate_limits(where: str, rls, p: Problems) -> None:
    if not isinstance(rls, list):
        p.add(where, "rate_limits must be a list")
        return
    seen = set()
    for i, rl in enumerate(rls):
        w = f"{where} rate_limits[{i}]"
        if not isinstance(rl, dict):
            p.add(w, "must be an object")
            continue
        op = rl.get("operation")
        if not (isinstance(op, str) and op):
            p.add(w, "operation must be a non-empty string")
        elif op in seen:
            p.add(w, f"duplicate operation {op!r}")
        seen.add(op)
        rate = rl.get("rate_per_second")
        if not (isinstance(rate, str) and DECIMAL_RE.match(rate) and float(rate) > 0):
            p.add(w, f"rate_per_second must be a positive decimal string, got {rate!r}")
        burst = rl.get("burst")
        if not (isinstance(burst, int) and not isinstance(burst, bool) and burst >= 1):
            p.add(w, f"burst must be an integer >= 1, got {burst!r}")
        if "headers" in rl and not (isinstance(rl["headers"], list) and all(isinstance(h, str) for h in rl["headers"])):
            p.add(w, "headers must be a list of strings")
        if not (isinstance(rl.get("on_limit"), str) and rl["on_limit"]):
            p.add(w, "on_limit must be a non-empty string")


def check_status_map(where: str, sm, p: Problems) -> None:
    if not isinstance(sm, list):
        p.add(where, "status_map must be a list")
        return
    seen = []
    for i, ent in enumerate(sm):
        w = f"{where} status_map[{i}]"
        if not isinstance(ent, dict):
            p.add(w, "must be an object")
            continue
        match = ent.get("match")
        if not (isinstance(match, dict) and match and
                all(isinstance(k, str) and isinstance(v, (str, int)) and not isinstance(v, bool)
                    for k, v in match.items())):
            p.add(w, "match must be a non-empty object of string/integer values")
        else:
            key = json.dumps(match, sort_keys=True)
            if key in seen:
                p.add(w, f"duplicate match {match}")
            seen.append(key)
        if ent.get("status") not in UNIFIED_STATUSES:
            p.add(w, f"status {ent.get('status')!r} is not a unified shipment status")
        ndr = ent.get("ndr")
        if not isinstance(ndr, bool):
            p.add(w, "ndr must be a boolean")
        if ndr:
            if ent.get("ndr_reason") not in NDR_REASONS:
                p.add(w, f"ndr_reason {ent.get('ndr_reason')!r} is not an NDR reason")
            if ent.get("status") != "in_transit":
                p.add(w, "a failed delivery attempt (ndr: true) must map to in_transit")
        elif ent.get("ndr_reason") is not None:
            p.add(w, "ndr_reason only belongs to entries with ndr: true")
        if not (isinstance(ent.get("description"), str) and ent["description"]):
            p.add(w, "description must be a non-empty string")
        unknown = set(ent) - {"match", "status", "ndr", "ndr_reason", "description"}
        if unknown:
            p.add(w, f"unknown keys {sorted(unknown)}")


def check_ndr_reason_map(where: str, nm, p: Problems) -> None:
    if not isinstance(nm, list):
        p.add(where, "ndr_reason_map must be a list")
        return
    for i, ent in enumerate(nm):
        w = f"{where} ndr_reason_map[{i}]"
        if not (isinstance(ent, dict) and isinstance(ent.get("contains"), str) and ent["contains"].strip()):
            p.add(w, "needs a non-empty 'contains' string")
            continue
        if ent["contains"] != ent["contains"].lower():
            p.add(w, "'contains' should be lower case (matching is case-insensitive)")
        if ent.get("reason") not in NDR_REASONS:
            p.add(w, f"reason {ent.get('reason')!r} is not an NDR reason")


def check_config_schema(code: str, where: str, schema, secret_fields, p: Problems) -> None:
    if not isinstance(schema, dict):
        p.add(where, "config_schema must be an object")
        return
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        p.add(where, f"config_schema is not a valid JSON Schema: {err.message} at {list(err.absolute_path)}")
        return
    if code in SEED_SCHEMAS:
        if schema != SEED_SCHEMAS[code]:
            p.add(where, "config_schema must equal the seed's schema exactly (seed-schema.md)")
    else:
        if schema.get("type") != "object":
            p.add(where, "config_schema.type must be 'object'")
        if not isinstance(schema.get("required"), list) or not schema["required"]:
            p.add(where, "config_schema.required must be a non-empty list")
        if schema.get("additionalProperties") is not False:
            p.add(where, "config_schema must set additionalProperties: false")
        for name, prop in (schema.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            target = prop
            if "$ref" in prop and "description" not in prop:
                target = resolve_ref(schema, prop["$ref"]) or {}
            if "description" not in prop and "description" not in target:
                p.add(where, f"config_schema property {name!r} has no description")
        for req in schema.get("required", []):
            if req not in (schema.get("properties") or {}):
                p.add(where, f"required property {req!r} is not declared in properties")

    if not isinstance(secret_fields, list):
        p.add(where, "secret_fields must be a list")
        return
    for ptr in secret_fields:
        if not (isinstance(ptr, str) and POINTER_RE.match(ptr)):
            p.add(where, f"secret_fields entry {ptr!r} is not a JSON pointer")
            continue
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in ptr[1:].split("/")]
        if not pointer_exists(schema, schema, tokens):
            p.add(where, f"secret_fields entry {ptr} does not exist in config_schema")
            continue
        if code not in SEED_SCHEMAS and len(tokens) == 1:
            prop = property_schema(schema, schema, tokens)
            if isinstance(prop, dict) and prop.get("type") == "string" and prop.get("minLength", 0) < 1:
                p.add(where, f"secret {ptr} should have minLength >= 1")


# --------------------------------------------------------------------------
# Case checks
# --------------------------------------------------------------------------
def check_cases(code: str, path: Path, cases, schema, fc: FormatChecker, p: Problems, verbose: bool) -> None:
    where = str(path)
    if not isinstance(cases, dict):
        p.add(where, "case file must be a JSON object")
        return
    if cases.get("adapter") != code:
        p.add(where, f"adapter {cases.get('adapter')!r} does not match file name {code!r}")
    unknown = set(cases) - {"adapter", "valid", "invalid"}
    if unknown:
        p.add(where, f"unknown keys {sorted(unknown)}")
    validator = Draft202012Validator(schema, format_checker=fc)
    for group, should_pass in (("valid", True), ("invalid", False)):
        items = cases.get(group)
        if not isinstance(items, list) or not 3 <= len(items) <= 5:
            p.add(where, f"'{group}' must be a list of 3-5 credential objects")
            continue
        for i, obj in enumerate(items):
            w = f"{where} {group}[{i}]"
            if not isinstance(obj, dict):
                p.add(w, "must be a JSON object")
                continue
            errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
            if should_pass and errors:
                first = errors[0]
                p.add(w, f"expected valid, got: {first.message} at /{'/'.join(map(str, first.path))}")
            elif not should_pass and not errors:
                p.add(w, "expected invalid, but it satisfies config_schema")
            elif verbose and not should_pass:
                first = errors[0]
                print(f"  ok {code} {group}[{i}]: rejected ({first.message[:90]})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent,
                    help="repository root (default: parent of scripts/)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print why each invalid case is rejected")
    args = ap.parse_args()
    repo: Path = args.repo
    p = Problems()
    fc = format_checker()

    adapters_dir = repo / "adapters"
    cases_dir = repo / "benchmarks" / "credential-validation" / "cases"
    manifests = {d.name: d / "manifest.json" for d in sorted(adapters_dir.glob("*")) if (d / "manifest.json").is_file()}
    for code in EXPECTED:
        if code not in manifests:
            p.add(str(adapters_dir / code / "manifest.json"), "missing")

    schemas = {}
    for code, path in manifests.items():
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            p.add(str(path), f"not valid JSON: {err}")
            continue
        before = len(p.items)
        check_manifest(code, path, m, p)
        if isinstance(m, dict) and isinstance(m.get("config_schema"), dict):
            try:
                Draft202012Validator.check_schema(m["config_schema"])
                schemas[code] = m["config_schema"]
            except SchemaError:
                pass
        if args.verbose and len(p.items) == before:
            print(f"ok manifest {code}")

    for code in sorted(set(EXPECTED) | set(manifests)):
        path = cases_dir / f"{code}.json"
        if not path.is_file():
            p.add(str(path), "missing case file")
            continue
        try:
            cases = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            p.add(str(path), f"not valid JSON: {err}")
            continue
        if code not in schemas:
            p.add(str(path), "no usable config_schema to validate against")
            continue
        check_cases(code, path, cases, schemas[code], fc, p, args.verbose)

    if p.items:
        for item in p.items:
            print(f"FAIL {item}")
        print(f"{len(p.items)} problem(s)")
        return 1
    print(f"ok: {len(manifests)} manifests, {len(set(EXPECTED) | set(manifests))} case files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
