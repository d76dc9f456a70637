"""The curated knowledge base: guides, their validation, German analysis and search."""
