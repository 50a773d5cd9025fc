"""One module per source (module name = source key with "-" -> "_"); discovered by scrapers.registry."""
