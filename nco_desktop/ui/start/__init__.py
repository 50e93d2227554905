"""Before a vault is open: the start screen, creating a vault, unlocking one."""
