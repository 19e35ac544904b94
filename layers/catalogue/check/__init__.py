"""Cell parsing and the rules a catalogue must pass."""
