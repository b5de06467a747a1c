print("RPC benchmark: not written yet")
