"""Text: typography normalisation, boilerplate removal with an audit, paragraphs and sentences (the Document)."""
