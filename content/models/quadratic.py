"""A parabola, y = a·x² + b·x + c: a curve with one bend."""

PARAMETERS = {"a": 0.0, "b": 0.0, "c": 0.0}


def predict(params, x):
    return params["a"] * x * x + params["b"] * x + params["c"]
