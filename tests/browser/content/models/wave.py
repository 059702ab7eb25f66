"""A wave, y = a·sin(k·x) + c: a model that is only its prediction."""

import math

PARAMETERS = {"a": 1.0, "k": 1.0, "c": 0.0}


def predict(params, x):
    return params["a"] * math.sin(params["k"] * x) + params["c"]
