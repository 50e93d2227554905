"""Domain records for evidence: originals, timeline entries, and how they are stored."""
