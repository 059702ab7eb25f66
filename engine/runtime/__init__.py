"""The Python that runs the demos, in the browser (Pyodide) and in CPython: pure stdlib.

Numbers come out bit-identical in both interpreters: no numpy, no libm functions on the
way to a result, `math.fsum` instead of `sum`, and only `random.Random(seed).random()`.
"""

from __future__ import annotations

from .authored import AuthorModel, ModelError
from .bridge import Bridge
from .csvdata import CsvError, parse_csv
from .data import DataError, Dataset, dataset, synthetic, table
from .models import LinearModel, LinearStats, Model, get_model, model_parameters
from .spec import DemoSettings, SyntheticData, TableData, TrainSettings
from .trainer import Trainer

__all__ = [
    "AuthorModel",
    "Bridge",
    "CsvError",
    "DataError",
    "Dataset",
    "DemoSettings",
    "LinearModel",
    "LinearStats",
    "Model",
    "ModelError",
    "SyntheticData",
    "TableData",
    "TrainSettings",
    "Trainer",
    "dataset",
    "get_model",
    "model_parameters",
    "parse_csv",
    "synthetic",
    "table",
]
