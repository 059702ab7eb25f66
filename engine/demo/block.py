"""Read and validate the YAML body of a ```demo block into a typed `DemoBlock`.

Which keys exist, what each takes and its default come from the contract: the fields of
`spec.SyntheticData` and `spec.TrainSettings`, and the `show` and `controls` items of
`contract.py`. Every mistake is reported at its own line; a block with any mistake gives
no `DemoBlock`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.demo.modelfile import LoadedModel, ModelFile, load, name_problem, trial
from engine.errors import ErrorLog, SourceError, did_you_mean, display_path, quoted
from engine.runtime.contract import CONTROL_ITEMS, SHOW_ITEMS, options
from engine.runtime.csvdata import CsvError, parse_csv
from engine.runtime.models import MODELS
from engine.runtime.spec import SETTING, DemoSettings, SyntheticData, TableData, TrainSettings
from engine.schema import YamlReader
from engine.sources import find_in_content, is_file, is_inside, near_miss

DEMO_KEYS = ("id", "model", "data", "train", "show", "controls")
DATA_KEYS = ("synthetic", "csv")
SYNTHETIC_KEYS = tuple(options(SyntheticData))
TRAIN_KEYS = (*options(TrainSettings), "init")
CONTROL_NOTES = {"pause": '"play" is one button that toggles between play and pause'}
BUILTIN_MODELS = tuple(MODELS)
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


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
class BlockReader:
    """Reads the demo blocks of one post. CSV paths resolve next to the post, then in
    content/; author models in content/ ("models/<file>.py"), each loaded once."""

    post: Path
    content: Path
    pyodide: str = "self"  # the site's Pyodide: the self-hosted one has no numpy
    _models: dict[str, LoadedModel | None] = field(default_factory=dict, init=False, repr=False)
    last_id: str | None = field(default=None, init=False)  # of the last block read, even if wrong

    def read(
        self, text: str, fence_line: int, default_id: str
    ) -> tuple[DemoBlock | None, list[SourceError]]:
        """The block whose YAML starts on the line after `fence_line`, or None; and the
        mistakes found, in the post and in the files it names (models, CSV files)."""
        found = _Found(YamlReader(ErrorLog(display_path(self.post)), fence_line + 1, "demo option"))
        root = found.yaml.parse(text, where=fence_line) if text.strip() else None
        keys: dict[str, yaml.Node] = {}
        if root is not None:
            keys = found.yaml.mapping(root, DEMO_KEYS, "a demo block") or {}
        block = self._block(found, keys, fence_line, default_id)
        errors = [*found.elsewhere, *found.yaml.log.errors]
        return (block if not errors else None), errors

    def _block(
        self, found: _Found, keys: dict[str, yaml.Node], line: int, default_id: str
    ) -> DemoBlock | None:
        """Build the block from its checked parts (None when any part was wrong)."""
        reader = found.yaml
        demo_id = self._id(reader, keys["id"]) if "id" in keys else default_id
        self.last_id = demo_id
        model, loaded = self._model(found, keys["model"]) if "model" in keys else ("linear", None)
        params = _parameters(model, loaded)
        data = self._data(found, keys["data"]) if "data" in keys else SyntheticData()
        train = (
            self._train(reader, keys["train"], model, params)
            if "train" in keys
            else TrainSettings()
        )
        show = reader.choices(keys["show"], "show", SHOW_ITEMS) if "show" in keys else SHOW_ITEMS
        controls = (
            reader.choices(keys["controls"], "controls", CONTROL_ITEMS, CONTROL_NOTES)
            if "controls" in keys
            else CONTROL_ITEMS
        )
        if None in (demo_id, model, data, train, show, controls):
            return None
        assert demo_id and model and data and train and show is not None and controls is not None
        settings = DemoSettings(model=model, data=data, train=train)
        if loaded is not None and not self._tried(found, keys["model"], loaded, settings):
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

    def _model(self, found: _Found, node: yaml.Node) -> tuple[str | None, LoadedModel | None]:
        """A built-in model's name, or an author model's name with the model loaded."""
        reader = found.yaml
        text = reader.string(node, "model")
        if text is None or text in BUILTIN_MODELS:
            return text, None
        if not text.endswith(".py"):
            hint = did_you_mean(text, BUILTIN_MODELS)
            if not hint and is_file(self.content / "models" / f"{text}.py"):
                hint = f' (did you mean "models/{text}.py"?)'
            elif not hint:
                names = ", ".join(f'"{name}"' for name in BUILTIN_MODELS)
                builtin = f"models are {names}" if len(BUILTIN_MODELS) > 1 else f"model is {names}"
                hint = f' (the built-in {builtin}; a model of your own is "models/<file>.py")'
            reader.log.add(reader.line(node), f"unknown model {quoted(text)}{hint}")
            return None, None
        loaded = self._author_model(found, node, text)
        return (text if loaded is not None else None), loaded

    def _author_model(self, found: _Found, node: yaml.Node, name: str) -> LoadedModel | None:
        """The model file `name` loaded (once per post); its own problems are reported at
        its lines, once."""
        reader = found.yaml
        problem = name_problem(name)
        if problem:
            reader.log.add(reader.line(node), problem)
            return None
        path = self.content / name
        if not is_inside(path, self.content):
            reader.log.add(
                reader.line(node),
                f'model file "{name}" leads outside the content folder, which a build never reads',
            )
            return None
        if not is_file(path):
            looked = display_path(path)
            reader.log.add(
                reader.line(node), f'model file "{name}" not found (looked for {looked})'
            )
            return None
        if name not in self._models:
            model_log = ErrorLog(display_path(path))
            self._models[name] = load(name, path, self.pyodide, model_log)
            found.elsewhere += model_log.errors
        loaded = self._models[name]
        if loaded is None:
            reader.log.add(reader.line(node), f'model file "{name}" could not be used (see above)')
        return loaded

    def _tried(
        self, found: _Found, node: yaml.Node, loaded: LoadedModel, settings: DemoSettings
    ) -> bool:
        """Whether the model works on this demo's data (a problem is reported at the model's line)."""
        problem = trial(loaded, settings)
        if problem is None:
            return True
        found.elsewhere.append(SourceError(display_path(Path(loaded.file.filename)), *problem))
        found.yaml.log.add(
            found.yaml.line(node),
            f'model file "{loaded.file.name}" fails on this demo\'s data (see above)',
        )
        return False

    def _data(self, found: _Found, node: yaml.Node) -> SyntheticData | TableData | None:
        reader = found.yaml
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
            return self._csv(found, keys["csv"])
        return self._synthetic(reader, keys["synthetic"])

    def _synthetic(self, reader: YamlReader, node: yaml.Node) -> SyntheticData | None:
        keys = reader.mapping(node, SYNTHETIC_KEYS, 'demo option "data.synthetic"')
        values = None if keys is None else _values(reader, keys, SyntheticData)
        if keys is None or values is None:
            return None
        data = SyntheticData(**values)
        if data.x_max <= data.x_min:
            where = reader.line(keys.get("x_max", node))
            reader.log.add(where, '"x_max" must be greater than "x_min"')
            return None
        return data

    def _csv(self, found: _Found, node: yaml.Node) -> TableData | None:
        reader = found.yaml
        name = reader.string(node, "csv")
        if name is None:
            return None
        # "/data/x.csv" is the path on the site: only content/ has it.
        folders = [self.content] if name.startswith("/") else [self.post.parent, self.content]
        located = find_in_content(name, folders, self.content)
        path = located.path
        if path is None:
            if located.problem:
                message = f"CSV file {quoted(name)} {located.problem}"
            else:
                shown = (display_path(f / name.lstrip("/")) for f in folders)
                looked = " and ".join(dict.fromkeys(shown))
                close = near_miss(name, folders, self.content)
                hint = f'; did you mean "{close}"?' if close else ""
                message = f"CSV file {quoted(name)} not found (looked for {looked}{hint})"
            reader.log.add(reader.line(node), message)
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
            found.elsewhere.append(SourceError(display_path(path), exc.line or 1, exc.message))
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
        init = self._init(reader, keys.pop("init"), model, params) if "init" in keys else {}
        values = _values(reader, keys, TrainSettings)
        if values is None or init is None:
            return None
        if values.get("batch") == "full":
            values["batch"] = None
        return TrainSettings(**values, init=init)

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
        values = {name: reader.number(value, name, SETTING) for name, value in keys.items()}
        if any(v is None for v in values.values()):
            return None
        return {name: float(v) for name, v in values.items() if v is not None}


@dataclass
class _Found:
    """What reading one block found: mistakes in the post (through the YAML reader) and in
    the files it names."""

    yaml: YamlReader
    elsewhere: list[SourceError] = field(default_factory=list)


def _values(
    reader: YamlReader, keys: dict[str, yaml.Node], settings: type
) -> dict[str, Any] | None:
    """Each key's value, checked as `settings` declares it; None if any was wrong."""
    declared = options(settings)
    values = {name: reader.value(node, name, declared[name].kind) for name, node in keys.items()}
    return None if None in values.values() else values


def _parameters(model: str | None, loaded: LoadedModel | None) -> tuple[str, ...]:
    """The parameter names of the demo's model (none when the model is not known)."""
    if loaded is not None:
        return loaded.model.parameter_names
    return MODELS[model].parameter_names if model in MODELS else ()
