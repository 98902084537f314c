"""A JavaScript bundle with the modules nothing can reach left out.

Bundlers (esbuild, as Vite uses it for Streamlit) keep each CommonJS or
wrapped ES module of a bundle in a wrapper that runs it on first use:
`name=wrapper({"path/to/module.js"(e,t){…}})`. A module runs only if some
code names its wrapper, so a wrapper that no kept code names, directly or
through other modules, is dead weight: downloaded, parsed, never run.

`pruned` parses the bundle with tree-sitter's JavaScript grammar, follows the
names from the code outside the modules, and empties the body of every module
it does not reach. A name counts wherever it is an identifier (a local
variable that happens to share it keeps a module for nothing, never the other
way round); in strings, comments, regular expressions and property names it
is not one. An emptied module throws if run, so a mistake shows at once in the
browser's console instead of as a chart that quietly draws nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

# What an emptied module's body becomes.
LEFT_OUT = b'{throw Error("module left out of the served bundle")}'
# `name=wrapper({"path"(…){body}})`: a module, its wrapper's name and its body.
_MODULE = """
(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: (identifier)
    arguments: (arguments . (object . (method_definition name: (string) @path body: (statement_block) @body) .) .)))
"""
# Where a wrapper's name is a reference to it.
_REFERENCE = {"identifier", "shorthand_property_identifier"}


@dataclass(frozen=True)
class Module:
    path: str
    body: tuple[int, int]
    # The whole `name=wrapper({…})`, where the module's own name is not a reference.
    span: tuple[int, int]


@cache
def _language() -> Language:
    return Language(tree_sitter_javascript.language())


def modules(source: bytes, root: Node) -> dict[str, Module]:
    """The bundle's modules by wrapper name."""
    found = {}
    for _, match in QueryCursor(Query(_language(), _MODULE)).matches(root):
        name, path, body = match["name"][0], match["path"][0], match["body"][0]
        declarator = name.parent
        assert declarator is not None
        found[source[name.start_byte : name.end_byte].decode()] = Module(
            path=source[path.start_byte + 1 : path.end_byte - 1].decode(),
            body=(body.start_byte, body.end_byte),
            span=(declarator.start_byte, declarator.end_byte),
        )
    return found


def reachable(source: bytes, root: Node, found: dict[str, Module]) -> set[str]:
    """The modules the code outside every module names, and those they name, and so on."""
    if not found:
        return set()
    longest_first = sorted(found, key=len, reverse=True)
    names = re.compile(rb"(?<![\w$])(" + b"|".join(re.escape(name.encode()) for name in longest_first) + rb")(?![\w$])")

    def named(start: int, end: int) -> set[str]:
        out: set[str] = set()
        for hit in names.finditer(source, start, end):
            name = hit.group(1).decode()
            if name not in out:
                node = root.descendant_for_byte_range(hit.start(1), hit.end(1))
                if node is not None and node.type in _REFERENCE and node.start_byte == hit.start(1):
                    out.add(name)
        return out

    outside: set[str] = set()
    position = 0
    for start, end in sorted(module.span for module in found.values()):
        outside |= named(position, start)
        position = max(position, end)  # a module within a module is within its span
    outside |= named(position, len(source))
    seen: set[str] = set()
    todo = list(outside)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(named(*found[name].body) - seen)
    return seen


def pruned(source: bytes) -> tuple[bytes, list[str]]:
    """`source` with the body of every module nothing reaches emptied, and the paths of the modules emptied (not
    those within them). A bundle tree-sitter cannot parse whole, or with no module, comes back as it is."""
    root = Parser(_language()).parse(source).root_node
    if root.has_error:
        return source, []
    found = modules(source, root)
    kept = reachable(source, root, found)
    parts, emptied, position = [], [], 0
    for module in sorted((module for name, module in found.items() if name not in kept), key=lambda m: m.body):
        if module.body[0] < position:
            continue  # within a module already emptied
        parts += [source[position : module.body[0]], LEFT_OUT]
        emptied.append(module.path)
        position = module.body[1]
    parts.append(source[position:])
    return b"".join(parts), emptied
