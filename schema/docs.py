"""The schema reference as Markdown (``chainkg schema`` and the README link here)."""

from __future__ import annotations

from .declaration import END_ALIASES, SCHEMA
from .model import Property


def _prop_row(p: Property) -> str:
    kind = p.type
    if p.enum:
        kind += ": " + " / ".join(p.enum)
    if p.ref:
        kind += f" → {p.ref} id"
    if p.minimum is not None:
        kind += f", ≥ {p.minimum:g}"
    cols = ", ".join(f"`{a}`" for a in p.aliases) or "—"
    return f"| `{p.name}` | {kind} | {'yes' if p.required else ''} | {cols} | {p.description} |"


def schema_markdown() -> str:
    """Render the whole schema as Markdown tables.

    >>> "| `Chain` |" in schema_markdown()
    True
    """
    lines = ["# chainkg schema", "", "Generated from `schema/declaration.py` by `chainkg schema`.", ""]
    lines += ["## Provenance (every node and relationship)", ""]
    lines += ["| property | type | required | column aliases | meaning |", "|---|---|---|---|---|"]
    lines += [_prop_row(p) for p in SCHEMA.common]
    lines += [
        "",
        "`evidence` is required when `provenance` is `stated` (the quoted sentence) or `inferred` (the reason). "
        "Relationships carry the same fields except `id`; a relationship is identified by (from, type, to). "
        "Source nodes describe themselves and need no provenance.",
        "",
        "## Node types",
        "",
        "| type | 中文 | meaning | file / sheet names |",
        "|---|---|---|---|",
    ]
    for nt in SCHEMA.node_types:
        lines.append(f"| `{nt.name}` | {nt.zh} | {nt.description} | {', '.join(nt.file_names)} |")
    for nt in SCHEMA.node_types:
        lines += ["", f"### {nt.name} ({nt.zh})", "", nt.description, ""]
        lines += ["| property | type | required | column aliases | meaning |", "|---|---|---|---|---|"]
        lines += [_prop_row(p) for p in nt.properties]
    lines += [
        "",
        "## Relationship types",
        "",
        "Relationship files have the columns "
        + " and ".join(f"`{k}` ({', '.join(v[1:])})" for k, v in END_ALIASES.items())
        + " for the two ends' ids, plus the provenance columns and the properties below.",
        "",
        "| type | 中文 | from | to | properties | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for rt in SCHEMA.rel_types:
        props = ", ".join(
            f"`{p.name}`" + (f" ({'/'.join(p.enum)})" if p.enum else "") for p in rt.properties
        ) or "—"
        ends = f"{', '.join(rt.sources)} | {', '.join(rt.targets)}"
        lines.append(f"| `{rt.name}` | {rt.zh} | {ends} | {props} | {rt.description} |")
    return "\n".join(lines) + "\n"
