"""The Terraform of infrastructure/, parsed with python-hcl2, in shapes the tests can query."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import hcl2

INFRASTRUCTURE = Path(__file__).resolve().parent.parent
REPO = INFRASTRUCTURE.parent
CONTRACT_FILE = REPO / "airflow" / "dags" / "spotify_listening" / "names.json"
NAMES_MODULE = CONTRACT_FILE.with_name("names.py")

_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True,
    explicit_blocks=False,
    with_comments=False,
    preserve_heredocs=False,
)

# "${google_storage_bucket.landing.name}" -> ("google_storage_bucket", "landing")
_REFERENCE = re.compile(r"\b(google_[a-z0-9_]+)\.([a-z0-9_]+)\b")


@dataclass(frozen=True)
class Resource:
    type: str
    name: str
    body: dict
    file: str

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"


class Terraform:
    """Every .tf file of a folder: resources, locals, variables, outputs."""

    def __init__(self, folder: Path = INFRASTRUCTURE):
        self.resources: list[Resource] = []
        self.data: list[Resource] = []
        self.locals: dict = {}
        self.variables: dict[str, dict] = {}
        self.outputs: dict[str, dict] = {}
        self.text: dict[str, str] = {}
        for path in sorted(folder.glob("*.tf")):
            self.text[path.name] = path.read_text(encoding="utf-8")
            with path.open(encoding="utf-8") as f:
                doc = hcl2.load(f, serialization_options=_OPTIONS)
            for block in doc.get("resource", []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        self.resources.append(Resource(rtype, name, body, path.name))
            for block in doc.get("data", []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        self.data.append(Resource(rtype, name, body, path.name))
            for block in doc.get("locals", []):
                self.locals.update(block)
            for block in doc.get("variable", []):
                self.variables.update(block)
            for block in doc.get("output", []):
                self.outputs.update(block)

    def of_type(self, rtype: str) -> list[Resource]:
        return [r for r in self.resources if r.type == rtype]

    def resource(self, rtype: str, name: str) -> Resource:
        for r in self.resources:
            if r.type == rtype and r.name == name:
                return r
        raise KeyError(f"{rtype}.{name} is not declared")

    def declared(self, rtype: str, name: str) -> bool:
        return any(r.type == rtype and r.name == name for r in self.resources + self.data)


_LOCAL = re.compile(r"\blocal\.([a-z0-9_]+)\b")


def references(value, locals_: dict | None = None) -> set[tuple[str, str]]:
    """The google_* resources an expression (or any nested value) refers to; with locals_, also
    through the locals it names."""
    text = json.dumps(value)
    found = set(_REFERENCE.findall(text))
    if locals_ is not None:
        for name in set(_LOCAL.findall(text)):
            if name in locals_:
                found |= references(locals_[name], locals_)
    return found


def walk(value, path=()):
    """Yields (path, key, value) for every attribute in nested dicts and lists of blocks."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,))


def block(body: dict, *names: str) -> dict:
    """The single nested block at body[names[0]][0][names[1]][0]..., as python-hcl2 gives it."""
    for name in names:
        value = body[name]
        body = value[0] if isinstance(value, list) else value
    return body


def contract() -> dict:
    return json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))
