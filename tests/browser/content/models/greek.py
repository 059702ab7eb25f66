"""A line whose parameters have Greek names: y = θ·x + β."""

PARAMETERS = {"θ": 0.0, "β": 0.0}


def predict(params, x):
    return params["θ"] * x + params["β"]


def gradient(params, x, y):
    error = predict(params, x) - y
    return {"θ": 2 * error * x, "β": 2 * error}
