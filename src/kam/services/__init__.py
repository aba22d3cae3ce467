"""Services: the use cases every interface (CLI, web, API) calls."""
