// Replaced by the RPC transport.
