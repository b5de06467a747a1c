print("webhook benchmark: not written yet")
