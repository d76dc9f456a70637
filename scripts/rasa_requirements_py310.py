"""Print the requirements of a Rasa wheel as they apply on Python 3.10 (extras: spacy).

On Python 3.11 pip drops numpy, scipy, scikit-learn and dask from Rasa's dependencies
because their markers say < 3.11; reading the markers as if on 3.10 keeps them.
"""

import sys
import zipfile

from packaging.requirements import Requirement

ENVIRONMENT = {"python_version": "3.10", "python_full_version": "3.10.13"}


def main(wheel_path: str) -> None:
    with zipfile.ZipFile(wheel_path) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(name).decode()
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        req = Requirement(line.removeprefix("Requires-Dist:").strip())
        if req.marker is None or any(
            req.marker.evaluate({**ENVIRONMENT, "extra": extra}) for extra in ("", "spacy")
        ):
            req.marker = None
            print(req)


if __name__ == "__main__":
    main(sys.argv[1])
