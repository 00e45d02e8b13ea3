"""The gateway's side of the chain: a fast JSON-RPC transport, the transaction journal, and the
platform with the keys the gateway holds."""
