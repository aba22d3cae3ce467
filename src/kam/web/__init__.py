"""The web application: server-rendered pages and the JSON API over the same services."""
