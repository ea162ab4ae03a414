"""`complementarias serve-ssh`: the TUI over SSH, one process per session on its own PTY."""
