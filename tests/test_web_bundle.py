"""A bundle with the modules nothing reaches left out: what stays, what goes, and how the result runs."""

from __future__ import annotations

import pytest

from dashboard.web.bundle import LEFT_OUT, pruned

# Laid out as esbuild lays out a bundle: each module in a wrapper that runs it once, on first call.
BUNDLE = """
var _=f=>{let m;return()=>(m||(m={exports:{}},Object.values(f)[0](m.exports,m)),m.exports)};
var Used=_({"src/used.js"(e,t){t.exports="used+"+Dep()}}),
Dep=_({"src/dep.js"(e,t){t.exports="dep"}}),
Lone=_({"src/lone.js"(e,t){t.exports=Lone2()}}),
Lone2=_({"src/lone2.js"(e,t){t.exports="lone2"}}),
Quoted=_({"src/quoted.js"(e,t){t.exports="quoted"}}),
Key=_({"src/key.js"(e,t){t.exports="key"}}),
Short=_({"src/short.js"(e,t){t.exports="short"}}),
Tpl=_({"src/tpl.js"(e,t){t.exports="tpl"}});
/* Lone() in a comment */
var words="Quoted() in a string",keys={Key:1},pattern=/Key\\(\\)/,property=keys.Key;
var all={Short};
var result=[Used(),all.Short(),`${Tpl()}`];
"""


def _left_out(source: str) -> list[str]:
    return pruned(source.encode())[1]


def test_a_module_no_kept_code_names_is_left_out_with_what_only_it_names():
    assert _left_out(BUNDLE) == ["src/lone.js", "src/lone2.js", "src/quoted.js", "src/key.js"]


def test_a_name_in_a_string_a_comment_a_pattern_or_a_property_keeps_nothing():
    assert "src/quoted.js" in _left_out(BUNDLE.replace("Quoted() in a string", "nothing"))
    assert "src/quoted.js" not in _left_out(BUNDLE.replace('"Quoted() in a string"', "Quoted()"))
    assert "src/key.js" not in _left_out(BUNDLE.replace("property=keys.Key", "property=Key"))


def test_only_the_left_out_bodies_change():
    body, left_out = pruned(BUNDLE.encode())
    assert body.count(LEFT_OUT) == len(left_out) == 4
    assert body.replace(LEFT_OUT, b"{}") == BUNDLE.encode().replace(b'{t.exports="quoted"}', b"{}").replace(
        b'{t.exports="key"}', b"{}"
    ).replace(b"{t.exports=Lone2()}", b"{}").replace(b'{t.exports="lone2"}', b"{}")


def test_a_module_within_a_module_goes_with_it_and_keeps_what_it_names():
    nested = BUNDLE.replace(
        'Lone2=_({"src/lone2.js"(e,t){t.exports="lone2"}})',
        'Lone2=_({"src/lone2.js"(e,t){var Inner=_({"src/inner.js"(e,t){t.exports=Quoted()}});t.exports=Inner()}})',
    )
    body, left_out = pruned(nested.encode())
    # Quoted is named only within the module emptied.
    assert left_out == ["src/lone.js", "src/lone2.js", "src/quoted.js", "src/key.js"]
    assert body.count(LEFT_OUT) == 4 and b"inner" not in body
    # Kept, the outer module keeps the inner one and what it names.
    assert pruned(nested.replace("keys={Key:1}", "keys={Key:Lone2()}").encode())[1] == ["src/lone.js", "src/key.js"]


def test_a_bundle_that_does_not_parse_comes_back_as_it_is():
    broken = BUNDLE.replace("var result=[", "var result=[[")
    assert pruned(broken.encode()) == (broken.encode(), [])


@pytest.mark.browser
def test_in_the_browser_the_kept_modules_run_and_a_left_out_one_says_so(page):
    body = pruned(BUNDLE.encode())[0].decode()
    left_out = "let error = null; try { Lone() } catch (e) { error = e.message }"
    ran, error = page.evaluate(f"(() => {{ {body}; {left_out}; return [result, error] }})()")
    assert ran == ["used+dep", "short", "tpl"]
    assert error == "module left out of the served bundle"
