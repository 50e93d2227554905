"""What every view shares: the vault session, the job API, prompts, icons, widgets."""
