#!/usr/bin/python3
"""Render the Jinja corpus with Python jinja2 (the oracle) and write the expected outputs.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 tools/make_jinja_oracle.py

Every template tests/config/jinja_corpus/templates/cases/<name>.j2 is rendered with the
settings Forgather uses (sandboxed, trim_blocks=True, StrictUndefined, keep_trailing_newline
False) and the variables in vars.json. The output goes to expected/<name>.out, or, when the
render raises, the exception message goes to expected/<name>.err and the template:line jinja2
blames goes to expected/<name>.errline. The C++ test
(tests/config/jinja/corpus_test.cpp) renders the same files and compares byte for byte.
Time-dependent and machine-dependent globals are left out of the corpus.

    /usr/bin/python3 tools/make_jinja_oracle.py --example-dump DUMP.json

additionally renders real Forgather configs: DUMP.json holds, per config, the preprocessed
template sources the config layer's loader produced (name -> text, as in `pp --debug`) and the
render variables. Each is rendered with jinja2 and fixed time/host globals; the result is
written to example_configs.json for tests/config/jinja/example_configs_test.cpp.
"""
import json
import os
import posixpath
import sys
import traceback

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "config", "jinja_corpus")
TEMPLATES = os.path.join(CORPUS, "templates")
EXPECTED = os.path.join(CORPUS, "expected")

_NO_DEFAULT = object()


def toyaml(value, default=_NO_DEFAULT):
    """Forgather's toyaml filter (spec §3.7)."""
    if isinstance(value, jinja2.Undefined):
        if default is _NO_DEFAULT:
            str(value)  # raises UndefinedError
        value = default
    if isinstance(value, (bool, int)):
        return str(value)
    if value is None:
        return "null"
    text = yaml.dump(value, default_flow_style=True, width=float("inf"), allow_unicode=True)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def joinpath(*parts):
    for p in parts:
        str(p)  # undefined raises
    return os.path.join(*parts)


def make_env():
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=False,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["toyaml"] = toyaml
    env.globals.update(
        joinpath=joinpath,
        normpath=lambda p: posixpath.normpath(str(p)),
        abspath=os.path.abspath,
        relpath=os.path.relpath,
        dirname=os.path.dirname,
        basename=os.path.basename,
        splitext=os.path.splitext,
        repr=repr,
        modname_from_path=lambda p: os.path.splitext(os.path.basename(p))[0],
        getcwd=os.getcwd,
    )
    return env


FIXED_GLOBALS = {
    "isotime": "2000-01-02T03:04:05",
    "utcisotime": "2000-01-02T03:04:05",
    "filetime": "2000-01-02T03-04-05",
    "utcfiletime": "2000-01-02T03-04-05",
    "hostname": "testhost",
    "forgather_dir": "/opt/forgather",
    "versions": {"compiler": "12.2.0", "forgather": "cpp-0.1.0"},
}


def make_example_fixture(dump_path):
    with open(dump_path) as f:
        dump = json.load(f)
    templates, configs = {}, []
    for c in dump["configs"]:
        for name, text in c["templates"].items():
            if templates.get(name, text) != text:
                raise SystemExit(f"template {name!r} differs between configs")
            templates[name] = text
        env = make_env()
        env.loader = jinja2.DictLoader(c["templates"])
        fixed = dict(FIXED_GLOBALS)
        for key in ("isotime", "utcisotime", "filetime", "utcfiletime"):
            fixed[key] = (lambda v: lambda: v)(fixed[key])
        forgather_dir = fixed.pop("forgather_dir")
        env.globals.update(fixed, forgather_dir=lambda: forgather_dir,
                           project_dir=c["project_dir"], workspace_root=c["workspace_root"])
        expected = env.get_template(c["template_name"]).render()
        configs.append({"config": c["config"], "template_name": c["template_name"],
                        "project_dir": c["project_dir"], "workspace_root": c["workspace_root"],
                        "expected": expected})
    out = {"globals": FIXED_GLOBALS, "templates": templates, "configs": configs}
    with open(os.path.join(CORPUS, "example_configs.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"{len(configs)} example configs, {len(templates)} templates", file=sys.stderr)


def main():
    os.chdir(ROOT)
    if len(sys.argv) == 3 and sys.argv[1] == "--example-dump":
        make_example_fixture(sys.argv[2])
        return
    with open(os.path.join(CORPUS, "vars.json")) as f:
        variables = json.load(f)
    os.makedirs(EXPECTED, exist_ok=True)
    for old in os.listdir(EXPECTED):
        os.remove(os.path.join(EXPECTED, old))
    cases = sorted(n for n in os.listdir(os.path.join(TEMPLATES, "cases")) if n.endswith(".j2"))
    n_err = 0
    for name in cases:
        stem = name[: -len(".j2")]
        try:
            out = make_env().get_template("cases/" + name).render(**variables)
            path, text = os.path.join(EXPECTED, stem + ".out"), out
        except Exception as e:  # the oracle records the message of any failure
            n_err += 1
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
            path, text = os.path.join(EXPECTED, stem + ".err"), msg
            frames = [f for f in traceback.extract_tb(e.__traceback__)
                      if f.filename.startswith(TEMPLATES)]
            if not isinstance(e, jinja2.TemplateSyntaxError) and frames:
                # Runtime errors: jinja2 rewrites the traceback to the template line.
                where = os.path.relpath(frames[-1].filename, TEMPLATES)
                with open(os.path.join(EXPECTED, stem + ".errline"), "w") as f:
                    f.write(f"{where}:{frames[-1].lineno}")
            if isinstance(e, jinja2.TemplateSyntaxError) and e.name:
                # Syntax errors carry the template and line; the C++ error must name the same.
                where = os.path.relpath(e.name, TEMPLATES) if os.path.isabs(e.name) else e.name
                with open(os.path.join(EXPECTED, stem + ".errline"), "w") as f:
                    f.write(f"{where}:{e.lineno}")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"{len(cases)} cases ({n_err} error cases) -> {EXPECTED}", file=sys.stderr)


if __name__ == "__main__":
    main()
