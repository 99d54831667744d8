"""Questions asked of the built dataset: filters, history, law against practice, search, state profiles. Pure pandas."""
