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


def contract_data() -> dict[str, Any]:
    """Everything the page scripts need to know of the contract, as JSON values."""
    train = contract.options(TrainSettings)
    settings = {
        f.name: {
            **dataclasses.asdict(train[f.name]),
            "kind": _kind(train[f.name].kind),
            "default": f.default,
            "assumed": f.default if train[f.name].assumed is None else train[f.name].assumed,
        }
        for f in dataclasses.fields(TrainSettings)
        if f.name in train
    }
    links = {
        o.link: {"setting": n, "control": o.control, "kind": _kind(o.kind)}
        for n, o in train.items()
        if o.link
    }
    for link in contract.ACTION_LINKS:
        links[link.key] = {"setting": "", "control": link.control, "kind": _kind(link.kind)}
    controls = (*contract.CONTROLS, *contract.PAGE_CONTROLS)
    return {
        "messages": {name: value for name, value in vars(protocol).items() if name.isupper()},
        "statuses": list(contract.STATUSES),
        "readouts": [dataclasses.asdict(readout) for readout in contract.READOUTS],
        "charts": dict(contract.CHARTS),
        "controls": {
            c.name: {"attribute": c.attribute, "hook": c.hook, "label": c.label} for c in controls
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
    return f"""\
// The demo contract: limits, keys, hooks and the saved-runs format, as declared once in
// engine/runtime/contract.py. Written by the build; do not edit.

const freeze = (value) => {{
  if (value !== null && typeof value === "object") Object.values(value).forEach(freeze);
  return Object.freeze(value);
}};

export const CONTRACT = freeze({data});

export const MSG = CONTRACT.messages;
"""
