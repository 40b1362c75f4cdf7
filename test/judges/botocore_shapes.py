"""Checks the Arguments of every step of SageMaker Pipeline definitions against the request shapes
of the SageMaker API, as botocore's service model describes them.

Reads JSON on stdin:
  {"definitions": [{"name": "...", "definition": {...}}], "members": ["Shape.Member", ...]}
and writes JSON on stdout:
  {"botocore": "1.x", "steps": [{"definition", "step", "type", "operation", "findings": [...]}],
   "members": {"Shape.Member": "type name" or null}, "patternsSkipped": [...]}

A step's Arguments are the request of the API call the pipeline makes for it (a Training step is a
CreateTrainingJob request, less the job name the pipeline gives). Pipeline expressions (Get,
Std:Join, Std:JsonGet) stand for scalars resolved at run time: they are accepted where the shape
wants a scalar, and Std:Join only where it wants a string. Everything else is checked: member names,
required members, types, enums, lengths, ranges and patterns (as Java's full match, the way the
service applies them).
"""
import json
import re
import sys

try:  # Java's \p{L} classes, which botocore's patterns use, need the regex module
    import regex as pattern_engine
except ImportError:
    pattern_engine = re

import botocore
import botocore.session

# Step type -> (operation, request members the pipeline fills in itself)
STEP_OPERATIONS = {
    "Training": ("CreateTrainingJob", {"TrainingJobName"}),
    "Processing": ("CreateProcessingJob", {"ProcessingJobName"}),
    "Transform": ("CreateTransformJob", {"TransformJobName"}),
    "Model": ("CreateModel", {"ModelName"}),
    "RegisterModel": ("CreateModelPackage", set()),
    "Tuning": ("CreateHyperParameterTuningJob", {"HyperParameterTuningJobName"}),
    "AutoML": ("CreateAutoMLJobV2", {"AutoMLJobName"}),
    "EndpointConfig": ("CreateEndpointConfig", set()),
    "Endpoint": ("CreateEndpoint", set()),
}
# Step types whose Arguments are no SageMaker API request: the pipeline definition schema alone judges them.
SCHEMA_ONLY = {"Condition", "Fail", "Lambda", "Callback", "EMR", "ClarifyCheck", "QualityCheck"}
EXPRESSIONS = {"Get", "Std:Join", "Std:JsonGet"}
SCALARS = {"string", "integer", "long", "float", "double", "boolean", "timestamp", "blob"}

patterns_skipped = set()


def expression(value):
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in EXPRESSIONS:
            return key
    return None


def full_match(pattern, text):
    """Java's String.matches: the whole text. None when Python cannot compile the pattern."""
    try:
        return pattern_engine.fullmatch(pattern, text, pattern_engine.DOTALL) is not None
    except pattern_engine.error:
        patterns_skipped.add(pattern)
        return None


def check(value, shape, path, findings):
    kind = shape.type_name
    expr = expression(value)
    if expr:
        if kind not in SCALARS:
            findings.append(f"{path}: a {expr} expression where {shape.name} ({kind}) is expected")
        elif expr == "Std:Join" and kind != "string":
            findings.append(f"{path}: Std:Join yields a string, {shape.name} is {kind}")
        return
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            findings.append(f"{path}: {shape.name} is a structure, got {type(value).__name__}")
            return
        for name, member in value.items():
            if name not in shape.members:
                findings.append(f"{path}.{name}: not a member of {shape.name} (members: {', '.join(sorted(shape.members))})")
            else:
                check(member, shape.members[name], f"{path}.{name}", findings)
        for name in shape.required_members:
            if name not in value:
                findings.append(f"{path}: {shape.name} requires {name}")
    elif kind == "list":
        if not isinstance(value, list):
            findings.append(f"{path}: {shape.name} is a list, got {type(value).__name__}")
            return
        bounds(len(value), meta, path, findings, "items")
        for i, item in enumerate(value):
            check(item, shape.member, f"{path}[{i}]", findings)
    elif kind == "map":
        if not isinstance(value, dict):
            findings.append(f"{path}: {shape.name} is a map, got {type(value).__name__}")
            return
        bounds(len(value), meta, path, findings, "entries")
        for key, item in value.items():
            check(key, shape.key, f"{path} key {key!r}", findings)
            check(item, shape.value, f"{path}.{key}", findings)
    elif kind == "string":
        if not isinstance(value, str):
            findings.append(f"{path}: {shape.name} is a string, got {type(value).__name__} {value!r}")
            return
        if shape.enum and value not in shape.enum:
            findings.append(f"{path}: {value!r} is not one of {shape.name}'s values ({', '.join(shape.enum[:12])}{', ...' if len(shape.enum) > 12 else ''})")
        bounds(len(value), meta, path, findings, "characters")
        if "pattern" in meta and full_match(meta["pattern"], value) is False:
            findings.append(f"{path}: {value!r} does not match {shape.name}'s pattern {meta['pattern']}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            findings.append(f"{path}: {shape.name} is an {kind}, got {type(value).__name__} {value!r}")
            return
        bounds(value, meta, path, findings, "")
    elif kind in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            findings.append(f"{path}: {shape.name} is a {kind}, got {type(value).__name__} {value!r}")
            return
        bounds(value, meta, path, findings, "")
    elif kind == "boolean":
        if not isinstance(value, bool):
            findings.append(f"{path}: {shape.name} is a boolean, got {type(value).__name__} {value!r}")
    elif kind in ("timestamp", "blob"):
        if not isinstance(value, (str, int, float)):
            findings.append(f"{path}: {shape.name} is a {kind}, got {type(value).__name__}")
    else:
        findings.append(f"{path}: {shape.name} has a shape type this check does not know: {kind}")


def bounds(size, meta, path, findings, unit):
    what = f"{size} {unit}".strip()
    if "min" in meta and size < meta["min"]:
        findings.append(f"{path}: {what}, below the minimum {meta['min']}")
    if "max" in meta and size > meta["max"]:
        findings.append(f"{path}: {what}, above the maximum {meta['max']}")


def steps_of(steps):
    for step in steps:
        yield step
        if step.get("Type") == "Condition":
            arguments = step.get("Arguments", {})
            yield from steps_of(arguments.get("IfSteps", []) + arguments.get("ElseSteps", []))


def check_step(model, step):
    kind = step.get("Type")
    if kind in SCHEMA_ONLY:
        return None, []
    if kind not in STEP_OPERATIONS:
        return None, [f"step type {kind!r} is neither a SageMaker API request this check knows nor a schema-only step"]
    operation, filled = STEP_OPERATIONS[kind]
    shape = model.operation_model(operation).input_shape
    findings = []
    check(step.get("Arguments"), shape, "Arguments", findings)
    required = [f for f in findings if any(f.endswith(f"requires {name}") and f.startswith("Arguments:") for name in filled)]
    return operation, [f for f in findings if f not in required]


def member_type(model, spec):
    shape_name, member = spec.split(".", 1)
    try:
        shape = model.shape_for(shape_name)
    except Exception:
        return None
    m = getattr(shape, "members", {}).get(member)
    return m.type_name if m is not None else None


def main():
    request = json.load(sys.stdin)
    model = botocore.session.get_session().get_service_model("sagemaker")
    out = {"botocore": botocore.__version__, "steps": [], "members": {}}
    for item in request.get("definitions", []):
        for step in steps_of(item["definition"].get("Steps", [])):
            operation, findings = check_step(model, step)
            out["steps"].append({"definition": item["name"], "step": step.get("Name"), "type": step.get("Type"), "operation": operation, "findings": findings})
    for spec in request.get("members", []):
        out["members"][spec] = member_type(model, spec)
    out["patternsSkipped"] = sorted(patterns_skipped)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
