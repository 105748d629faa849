"""Protocol test harness for imapd (see test/proto/README)."""
