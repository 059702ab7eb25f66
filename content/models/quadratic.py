"""A parabola, y = a·x² + b·x + c: a curve with one bend."""

PARAMETERS = {"a": 0.0, "b": 0.0, "c": 0.0}


def predict(params, x):
    return params["a"] * x * x + params["b"] * x + params["c"]


def gradient(params, x, y):
    error = predict(params, x) - y
    return {"a": 2 * error * x * x, "b": 2 * error * x, "c": 2 * error}
