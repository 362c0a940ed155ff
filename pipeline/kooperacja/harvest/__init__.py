"""Harvesting partner sites: URL rules, polite fetching, link discovery, the per-partner crawl."""
