import MockServers
print("x")
