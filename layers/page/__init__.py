"""Pure helpers of the page: view state, filters, card, timeline, downloads."""
