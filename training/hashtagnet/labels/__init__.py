"""Labels stage: WordNet 3.0, hashtags to synsets, vocabularies, the class hierarchy and hedging."""
