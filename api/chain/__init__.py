"""The gateway's side of the chain: JSON-RPC from the event loop (node), one writer per key
(writer, signing, fees), the transaction journal (journal, recovery, operation), and the platform
with the keys the gateway holds (platform)."""
