"""Fits openapi.yaml to openapi-python-client 0.29 and its output to the spec's query styles (run by scripts/gen-python-client.sh).

`prepare SPEC.yaml OUT.json`: writes the JSON the generator reads. `rewrite OUT.json PACKAGE`: edits the generated
`_get_kwargs` functions in place and prints the files it changed. The generator reads neither a parameter's style nor
an anonymous (`{}`) security alternative, so both steps exist to put what the spec says on the wire.
"""

import json
import re
import sys
from pathlib import Path

from openapi_python_client.strings import PythonIdentifier
from ruamel.yaml import YAML

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PLAIN_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
# (schema type, style, explode) -> how the generated code must change; a pair missing here is refused.
# form with explode true is httpx's own encoding (a repeated key; an object's members as keys), so it stays.
STYLES = {
    ("array", "form", True): None,
    ("array", "form", False): "comma",
    ("object", "form", True): None,
    ("object", "deepObject", True): "deep",
}


def operations(spec: dict):
    """Yields (method, path, operation, query parameters resolved from $ref, path-level ones included)."""
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in METHODS:
                continue
            resolved = [resolve(spec, param) for param in shared + operation.get("parameters", [])]
            yield method, path, operation, [param for param in resolved if param["in"] == "query"]


def resolve(spec: dict, param: dict) -> dict:
    """The parameter a `#/components/parameters/...` reference names, or the parameter itself."""
    if "$ref" not in param:
        return param
    return spec["components"]["parameters"][param["$ref"].split("/")[-1]]


def rewrite_kind(param: dict) -> str | None:
    """The change a query parameter's style needs ("comma", "deep" or None); exits on a style this script cannot send."""
    kind = param["schema"].get("type")
    if kind not in ("array", "object"):
        return None
    style = param.get("style", "form")
    key = (kind, style, param.get("explode", style == "form"))
    if key not in STYLES:
        sys.exit(f"gen_python_client: query parameter {param['name']}: {key} is not supported by the Python client")
    if STYLES[key] and not PLAIN_NAME.match(param["name"]):
        sys.exit(f"gen_python_client: query parameter {param['name']!r}: only names matching {PLAIN_NAME.pattern}")
    return STYLES[key]


def open_to_anonymous(spec: dict, operation: dict) -> None:
    """Drops an operation's security when it allows no key, so the generator types `client` as either kind of client."""
    effective = operation.get("security", spec.get("security", []))
    if effective == [] or {} in effective:
        operation.pop("security", None)
    else:
        operation["security"] = effective


def prepare(source: str, target: str) -> None:
    """Writes the generator's JSON copy of the spec: ImageBytes as `format: binary`, anonymous security made visible."""
    spec = YAML(typ="safe").load(Path(source))
    # 0.29 turns only `format: binary` into a file upload; openapi.yaml says so the OpenAPI 3.1 way (contentMediaType).
    spec["components"]["schemas"]["ImageBytes"]["format"] = "binary"
    for _method, _path, operation, query in operations(spec):
        open_to_anonymous(spec, operation)
        for param in query:
            rewrite_kind(param)
    Path(target).write_text(json.dumps(spec, indent=1), encoding="utf-8")


def route(module: str) -> tuple[str, str] | None:
    """The (method, path) a generated endpoint module calls, path parameters as `{}`."""
    method = re.search(r'^\s*"method": "(\w+)",$', module, re.MULTILINE)
    url = re.search(r'^\s*"url": f?"([^"]+)",$', module, re.MULTILINE)
    if not (method and url):
        return None
    return method.group(1), re.sub(r"\{[^}]*\}", "{}", url.group(1))


def replace_once(module: str, pattern: str, make, where: str) -> str:
    """`module` with the one line matching `pattern` replaced by `make(match)`; exits unless exactly one line matches."""
    found = list(re.finditer(pattern, module, re.MULTILINE))
    if len(found) != 1:
        sys.exit(f"gen_python_client: {where}: expected one line matching {pattern!r}, found {len(found)}")
    return module[: found[0].start()] + make(found[0]) + module[found[0].end() :]


def comma_separated(module: str, param: dict, where: str) -> str:
    """Sends an array as one comma-separated value (style form, explode false)."""
    name = param["name"]

    def make(match: re.Match) -> str:
        indent, var = match.group(1), match.group(2)
        join = f'{indent}params["{name}"] = ",".join(str(item) for item in {var})'
        if param.get("required"):
            return join
        return f"{indent}if not isinstance({var}, Unset):\n    {join}"

    return replace_once(module, rf'^( *)params\["{re.escape(name)}"\] = (json_\w+)$', make, where)


def deep_object(module: str, param: dict, where: str) -> str:
    """Sends an object's members as `name[member]=value` (style deepObject)."""
    name, var = param["name"], "json_" + PythonIdentifier(param["name"], prefix="field_")

    def make(match: re.Match) -> str:
        return f'{match.group(1)}params.update({{f"{name}[{{key}}]": value for key, value in {var}.items()}})'

    return replace_once(module, rf"^( *)params\.update\({re.escape(var)}\)$", make, where)


def rewrite(spec_json: str, package: str) -> None:
    """Applies each query parameter's style to the generated endpoint modules under `package` and prints those changed."""
    spec = json.loads(Path(spec_json).read_text(encoding="utf-8"))
    modules = {}
    for file in sorted(Path(package).glob("*/api/**/*.py")):
        key = route(file.read_text(encoding="utf-8"))
        if key:
            modules[key] = file
    edits = {"comma": comma_separated, "deep": deep_object}
    for method, path, _operation, query in operations(spec):
        todo = [param for param in query if rewrite_kind(param)]
        if not todo:
            continue
        file = modules.get((method, re.sub(r"\{[^}]*\}", "{}", path)))
        if file is None:
            sys.exit(f"gen_python_client: no generated module calls {method} {path}")
        module = file.read_text(encoding="utf-8")
        for param in todo:
            module = edits[rewrite_kind(param)](module, param, f"{file} ({param['name']})")
        file.write_text(module, encoding="utf-8")
        print(file)


if __name__ == "__main__":
    steps = {"prepare": prepare, "rewrite": rewrite}
    if len(sys.argv) != 4 or sys.argv[1] not in steps:
        sys.exit("usage: gen_python_client.py prepare SPEC.yaml OUT.json | rewrite OUT.json PACKAGE_DIR")
    steps[sys.argv[1]](sys.argv[2], sys.argv[3])
