"""Build the blank German spaCy pipeline with the lookup lemmatizer (run by .venv-rasa).

No trained German model is available offline; spacy-lookups-data ships the lemma
table. Rasa's SpacyNLP loads the folder this writes (var/spacy-de-lookup).
"""

import sys
from pathlib import Path

import spacy


def main(target: str) -> None:
    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    assert nlp("Städte")[0].lemma_ == "Stadt", "lookup lemmatizer did not load its table"
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    print(f"spaCy pipeline written to {target}")


if __name__ == "__main__":
    main(sys.argv[1])
