"""Pure Block Kit renderers: plain values in, lists of block dicts out. No I/O."""
