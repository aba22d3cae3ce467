"""Routes, one module per page; each page has its JSON twin under /api."""
