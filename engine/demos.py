"""Validate the YAML body of a ```demo block into a typed `DemoBlock`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from engine.errors import ErrorLog, did_you_mean, display_path, quoted
from engine.modelfiles import LoadedModel, ModelFile, load, name_problem, trial
from engine.runtime.csvdata import CsvError, parse_csv
from engine.runtime.models import model_parameters
from engine.runtime.spec import DemoSettings, SyntheticData, TableData, TrainSettings
from engine.schema import YamlReader

DEMO_KEYS = ("id", "model", "data", "train", "show", "controls")
DATA_KEYS = ("synthetic", "csv")
TRAIN_KEYS = ("step_size", "proportional", "batch", "seed", "init")
SYNTHETIC_KEYS = tuple(f.name for f in fields(SyntheticData))
SHOW_ITEMS = (
    "samples",
    "iteration",
    "total_loss",
    "average_loss",
    "effective_step",
    "parameters",
    "fit_chart",
    "loss_chart",
    "runs",
)
CONTROL_ITEMS = (
    "play",
    "step",
    "reset",
    "step_size",
    "proportional",
    "double_samples",
    "save_run",
    "upload_csv",
)
BUILTIN_MODELS = ("linear",)
MAX_SAMPLES = 1_000_000
MAX_STEP = 1e6
MAX_VALUE = 1e9  # bound of the synthetic line's numbers and of starting parameters
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_WHOLE = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class DemoBlock:
    """One validated demo: what it runs and which parts of the widget it shows."""

    id: str
    line: int
    settings: DemoSettings
    show: tuple[str, ...]
    controls: tuple[str, ...]
    parameters: tuple[str, ...]
    model_file: ModelFile | None = None  # the author model's file, when it uses one
    warning: str = ""  # what the build warns about it, e.g. that its default run diverges


@dataclass
class DemoReader:
    """Reads demo blocks of one post; CSV paths resolve next to the post, then in content/,
    author models in content/ ("models/<file>.py")."""

    log: ErrorLog
    post: Path
    content: Path
    errors_elsewhere: list[ErrorLog]
    pyodide: str = "self"  # the site's Pyodide: the self-hosted one has no numpy
    _models: dict[str, LoadedModel | None] = field(default_factory=dict, init=False, repr=False)

    def read(self, text: str, fence_line: int, default_id: str) -> DemoBlock | None:
        """Validate a block whose YAML starts on the line after `fence_line`."""
        reader = YamlReader(self.log, first_line=fence_line + 1, noun="demo option")
        before = len(self.log.errors)
        root = reader.parse(text, where=fence_line) if text.strip() else None
        keys: dict[str, yaml.Node] = {}
        if root is not None:
            found = reader.mapping(root, DEMO_KEYS, "a demo block")
            keys = found if found is not None else {}
        block = self._block(reader, keys, fence_line, default_id)
        return block if len(self.log.errors) == before else None

    def _block(
        self, reader: YamlReader, keys: dict[str, yaml.Node], line: int, default_id: str
    ) -> DemoBlock | None:
        """Build the block from its checked parts (None when any part was wrong)."""
        demo_id = self._id(reader, keys["id"]) if "id" in keys else default_id
        model, loaded = self._model(reader, keys["model"]) if "model" in keys else ("linear", None)
        if loaded is not None:
            params = loaded.model.parameter_names
        else:
            params = model_parameters(model) if model else ()
        data = self._data(reader, keys["data"]) if "data" in keys else SyntheticData()
        train = (
            self._train(reader, keys["train"], model, params)
            if "train" in keys
            else TrainSettings()
        )
        show = reader.choices(keys["show"], "show", SHOW_ITEMS) if "show" in keys else SHOW_ITEMS
        controls = (
            reader.choices(keys["controls"], "controls", CONTROL_ITEMS)
            if "controls" in keys
            else CONTROL_ITEMS
        )
        if None in (demo_id, model, data, train, show, controls):
            return None
        assert demo_id and model and data and train and show is not None and controls is not None
        settings = DemoSettings(model=model, data=data, train=train)
        if loaded is not None and not self._tried(reader, keys["model"], loaded, settings):
            return None
        model_file = loaded.file if loaded is not None else None
        return DemoBlock(demo_id, line, settings, show, controls, params, model_file)

    def _id(self, reader: YamlReader, node: yaml.Node) -> str | None:
        text = reader.string(node, "id")
        if text is not None and not _ID.fullmatch(text):
            reader.log.add(
                reader.line(node),
                f"demo id {quoted(text)} must start with a letter and use only letters, "
                'digits, "-" and "_"',
            )
            return None
        return text

    def _model(self, reader: YamlReader, node: yaml.Node) -> tuple[str | None, LoadedModel | None]:
        """A built-in model's name, or an author model's name with the model loaded."""
        text = reader.string(node, "model")
        if text is None or text in BUILTIN_MODELS:
            return text, None
        if not text.endswith(".py"):
            hint = did_you_mean(text, BUILTIN_MODELS)
            if not hint and _is_file(self.content / "models" / f"{text}.py"):
                hint = f' (did you mean "models/{text}.py"?)'
            elif not hint:
                hint = (
                    ' (the built-in model is "linear"; a model of your own is "models/<file>.py")'
                )
            reader.log.add(reader.line(node), f"unknown model {quoted(text)}{hint}")
            return None, None
        loaded = self._author_model(reader, node, text)
        return (text if loaded is not None else None), loaded

    def _author_model(self, reader: YamlReader, node: yaml.Node, name: str) -> LoadedModel | None:
        """The model file `name` loaded (once per post); its own problems are logged at its lines."""
        problem = name_problem(name)
        if problem:
            reader.log.add(reader.line(node), problem)
            return None
        path = self.content / name
        if not _is_file(path):
            looked = display_path(path)
            reader.log.add(
                reader.line(node), f'model file "{name}" not found (looked for {looked})'
            )
            return None
        if name not in self._models:
            model_log = ErrorLog(display_path(path))
            self._models[name] = load(name, path, self.pyodide, model_log)
            if model_log.errors:
                self.errors_elsewhere.append(model_log)
        loaded = self._models[name]
        if loaded is None:
            reader.log.add(reader.line(node), f'model file "{name}" could not be used (see above)')
        return loaded

    def _tried(
        self, reader: YamlReader, node: yaml.Node, loaded: LoadedModel, settings: DemoSettings
    ) -> bool:
        """Whether the model works on this demo's data (a problem is logged at the model's line)."""
        problem = trial(loaded, settings)
        if problem is None:
            return True
        model_log = ErrorLog(display_path(Path(loaded.file.filename)))
        model_log.add(*problem)
        self.errors_elsewhere.append(model_log)
        reader.log.add(
            reader.line(node),
            f'model file "{loaded.file.name}" fails on this demo\'s data (see above)',
        )
        return False

    def _data(self, reader: YamlReader, node: yaml.Node) -> SyntheticData | TableData | None:
        keys = reader.mapping(node, DATA_KEYS, 'demo option "data"')
        if keys is None:
            return None
        if len(keys) != len(node.value):
            return None  # an unknown key, already reported
        if len(keys) != 1:
            reader.log.add(
                reader.line(node), 'demo option "data" needs exactly one of "synthetic" or "csv"'
            )
            return None
        if "csv" in keys:
            return self._csv(reader, keys["csv"])
        return self._synthetic(reader, keys["synthetic"])

    def _synthetic(self, reader: YamlReader, node: yaml.Node) -> SyntheticData | None:
        keys = reader.mapping(node, SYNTHETIC_KEYS, 'demo option "data.synthetic"')
        if keys is None:
            return None
        values: dict[str, float | int | None] = {}
        for name, value in keys.items():
            if name == "n":
                values[name] = reader.integer(value, name, low=1, high=MAX_SAMPLES)
            elif name == "seed":
                values[name] = reader.integer(value, name, low=0, high=2**32 - 1)
            elif name == "noise":
                values[name] = reader.number(value, name, low=0, high=MAX_VALUE)
            else:
                values[name] = reader.number(value, name, low=-MAX_VALUE, high=MAX_VALUE)
        if None in values.values():
            return None
        data = SyntheticData(**values)  # type: ignore[arg-type]
        if data.x_max <= data.x_min:
            reader.log.add(
                reader.line(keys.get("x_max", node)), '"x_max" must be greater than "x_min"'
            )
            return None
        return data

    def _csv(self, reader: YamlReader, node: yaml.Node) -> TableData | None:
        name = reader.string(node, "csv")
        if name is None:
            return None
        candidates = [self.post.parent / name, self.content / name]
        path = next((p for p in candidates if _is_file(p)), None)
        if path is None:
            looked = " and ".join(display_path(p) for p in candidates)
            reader.log.add(
                reader.line(node), f"CSV file {quoted(name)} not found (looked for {looked})"
            )
            return None
        try:
            dataset = parse_csv(path.read_bytes().decode("utf-8-sig"), path.name)
        except OSError as exc:
            reader.log.add(
                reader.line(node), f"CSV file {quoted(name)} could not be read ({exc.strerror})"
            )
            return None
        except UnicodeDecodeError:
            reader.log.add(reader.line(node), f"CSV file {quoted(name)} is not UTF-8 text")
            return None
        except CsvError as exc:
            csv_log = ErrorLog(display_path(path))
            csv_log.add(exc.line or 1, exc.message)
            self.errors_elsewhere.append(csv_log)
            reader.log.add(
                reader.line(node), f"CSV file {quoted(name)} could not be read (see above)"
            )
            return None
        return TableData(
            name=path.name, xs=tuple(dataset.xs), ys=tuple(dataset.ys), columns=dataset.columns
        )

    def _train(
        self, reader: YamlReader, node: yaml.Node, model: str | None, params: tuple[str, ...]
    ) -> TrainSettings | None:
        keys = reader.mapping(node, TRAIN_KEYS, 'demo option "train"')
        if keys is None:
            return None
        defaults = TrainSettings()
        step = (
            reader.number(keys["step_size"], "step_size", low=0, low_open=True, high=MAX_STEP)
            if "step_size" in keys
            else defaults.step_size
        )
        proportional = (
            reader.boolean(keys["proportional"], "proportional")
            if "proportional" in keys
            else False
        )
        batch = self._batch(reader, keys["batch"]) if "batch" in keys else "full"
        seed = (
            reader.integer(keys["seed"], "seed", low=0, high=2**32 - 1)
            if "seed" in keys
            else defaults.seed
        )
        init = self._init(reader, keys["init"], model, params) if "init" in keys else {}
        if None in (step, proportional, batch, seed, init):
            return None
        assert (
            step is not None and proportional is not None and seed is not None and init is not None
        )
        size = None if batch == "full" else int(batch)  # type: ignore[arg-type]
        return TrainSettings(
            step_size=step, proportional=proportional, batch=size, seed=seed, init=init
        )

    def _batch(self, reader: YamlReader, node: yaml.Node) -> str | int | None:
        if isinstance(node, yaml.ScalarNode) and node.value == "full":
            return "full"
        text = reader.scalar(node, "batch", '"full" or a whole number of samples')
        if text is None:
            return None
        if _WHOLE.fullmatch(text) and 1 <= int(text) <= MAX_SAMPLES:
            return int(text)
        reader.log.add(
            reader.line(node),
            f'demo option "batch" must be "full" or a whole number from 1 to {MAX_SAMPLES}, '
            f"got {quoted(text)}",
        )
        return None

    def _init(
        self, reader: YamlReader, node: yaml.Node, model: str | None, params: tuple[str, ...]
    ) -> dict[str, float] | None:
        keys = reader.mapping(node, None, 'demo option "init"')
        if keys is None or model is None:  # without the model, the names cannot be checked
            return None
        for name in [name for name in keys if name not in params]:
            reader.log.add(
                reader.line(keys.pop(name)),
                f'model "{model}" has no parameter {quoted(name)} (its parameters: {", ".join(params)})',
            )
        values = {
            name: reader.number(value, name, low=-MAX_VALUE, high=MAX_VALUE)
            for name, value in keys.items()
        }
        if any(v is None for v in values.values()):
            return None
        return {name: float(v) for name, v in values.items() if v is not None}


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; False too for names the system cannot even look up
    (too long, say)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
