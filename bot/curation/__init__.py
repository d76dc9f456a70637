"""The editors' curation queue: what werkbot could not answer, masked, grouped and
turned into changes of the knowledge base (docs/architecture.md, "Redaktion")."""
