"""Reading a partner's web page the one way both the crawl and extract read it."""
