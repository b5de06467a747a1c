#!/usr/bin/env python3
"""How another service calls the gateway: JSON-RPC 2.0 over its Unix socket,
one JSON text per line each way. Standard library only.

    python3 contracts/rpc/example_client.py --socket .gateway/rpc.sock system.health
    python3 contracts/rpc/example_client.py orders.list '{"tenant": "demo", "limit": 3}'

The contract (every method, its params and result schemas, the error codes)
is contracts/rpc/openrpc.json, also returned by the method rpc.discover.
"""
import argparse
import itertools
import json
import os
import socket
import sys


class GatewayError(Exception):
    """A JSON-RPC error answer. `data_code` is the stable name (tenant_not_found,
    credentials_invalid, upstream_error, ...); `data` may carry more (for
    credentials_invalid, data["errors"] lists {pointer, message})."""

    def __init__(self, error):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.message = error.get("message")
        self.data = error.get("data") or {}
        self.data_code = self.data.get("code")


class GatewayClient:
    def __init__(self, path, timeout=120.0):
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        self._sock.connect(path)
        self._reader = self._sock.makefile("rb")
        self._ids = itertools.count(1)

    def call(self, method, params=None):
        request = {"jsonrpc": "2.0", "id": next(self._ids), "method": method}
        if params is not None:
            request["params"] = params
        self._sock.sendall(json.dumps(request, separators=(",", ":")).encode() + b"\n")
        # One request in flight on this connection, so the next line is its answer.
        # (The server also runs concurrent requests per connection and matches them by id.)
        line = self._reader.readline()
        if not line:
            raise ConnectionError("the gateway closed the connection")
        response = json.loads(line)
        if "error" in response:
            raise GatewayError(response["error"])
        return response["result"]

    def close(self):
        self._reader.close()
        self._sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--socket", default=os.environ.get("GATEWAY_RPC_SOCKET", ".gateway/rpc.sock"))
    parser.add_argument("method")
    parser.add_argument("params", nargs="?", help="a JSON object")
    args = parser.parse_args()
    client = GatewayClient(args.socket)
    try:
        result = client.call(args.method, json.loads(args.params) if args.params else None)
        print(json.dumps(result, indent=2))
    except GatewayError as error:
        print(f"error {error.code} ({error.data_code}): {error.message}", file=sys.stderr)
        for problem in error.data.get("errors", []):
            print(f"  {problem.get('pointer')}: {problem.get('message')}", file=sys.stderr)
        sys.exit(1)
    finally:
        client.close()


if __name__ == "__main__":
    main()
