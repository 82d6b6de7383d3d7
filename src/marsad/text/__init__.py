"""Text utilities: normalisation with offset maps, sentences, numbers, dates."""
