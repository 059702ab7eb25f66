"""The demo contract as the page scripts read it: `contract.js`, among the hashed assets.

The page scripts import every limit, key, hook and the runs format version from it, so
none of them is restated in `engine/static/` (a test keeps it that way).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from engine.runtime import contract, protocol
from engine.runtime.spec import TrainSettings

HEADER = """\
// The demo contract: limits, keys, hooks and the saved-runs format, as declared once in
// engine/runtime/contract.py. Written by the build; do not edit.
"""


def contract_data() -> dict[str, Any]:
    """Everything the page scripts need to know of the contract, as JSON values."""
    train = contract.options(TrainSettings)
    defaults = contract.defaults(TrainSettings)
    settings = {
        name: {
            "kind": _kind(option.kind),
            "label": option.label,
            "control": option.control,
            "link": option.link,
            "live": option.live,
            "run": option.run,
            "since": option.since,
            "default": defaults[name],
            "assumed": defaults[name] if option.assumed is None else option.assumed,
        }
        for name, option in train.items()
    }
    links = {
        option.link: {"setting": name, "control": option.control, "kind": _kind(option.kind)}
        for name, option in train.items()
        if option.link
    }
    links |= {
        link.key: {"setting": "", "control": link.control, "kind": _kind(link.kind)}
        for link in contract.ACTION_LINKS
    }
    return {
        "messages": {name: value for name, value in vars(protocol).items() if name.isupper()},
        "statuses": list(contract.STATUSES),
        "readouts": [dataclasses.asdict(readout) for readout in contract.READOUTS],
        "charts": dict(contract.CHARTS),
        "controls": {
            control.name: {
                "attribute": control.attribute,
                "hook": control.hook,
                "label": control.label,
            }
            for control in (*contract.CONTROLS, *contract.PAGE_CONTROLS)
        },
        "settings": settings,
        "links": links,
        "limits": {
            "samples": contract.MAX_SAMPLES,
            "upload_bytes": contract.MAX_CSV_CHARACTERS,
            "curve_points": contract.CURVE_POINTS,
        },
        "runs": {
            "format": contract.RUNS_FORMAT,
            "version": contract.RUNS_VERSION,
            "key_prefix": contract.RUNS_KEY_PREFIX,
            "max_runs": contract.MAX_RUNS,
            "max_file_bytes": contract.MAX_RUNS_FILE_BYTES,
            "max_text": contract.MAX_RUN_TEXT,
            "max_parameters": contract.MAX_PARAMETERS,
            "max_curve_points": contract.MAX_RUN_CURVE,
            "max_iteration": contract.MAX_RUN_ITERATION,
            "settings": [name for name, option in train.items() if option.run],
        },
    }


def _kind(kind: contract.Kind) -> dict[str, Any]:
    """A kind of value as JSON, with the words messages use for it."""
    return {**dataclasses.asdict(kind), "words": kind.words()}


def contract_module() -> str:
    """`contract.js`: the contract, deeply frozen, and the message names as `MSG`."""
    data = json.dumps(contract_data(), indent=1, allow_nan=False)  # in declaration order
    return (
        HEADER
        + "\nconst freeze = (value) => {\n"
        + '  if (value !== null && typeof value === "object") Object.values(value).forEach(freeze);\n'
        + "  return Object.freeze(value);\n"
        + "};\n\n"
        + f"export const CONTRACT = freeze({data});\n\n"
        + "export const MSG = CONTRACT.messages;\n"
    )
