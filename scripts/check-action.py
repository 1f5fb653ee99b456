"""Checks action.yml: the composite-action schema (as far as it can be checked offline), no
${{ }} inside a script, every input and step reference resolved; then runs the gate step's
script with bash the way the runner would, on the project's fixtures, with the covgap found
on PATH (scripts/wheel puts the wheel's there).

    python scripts/check-action.py action.yml        (needs PyYAML)
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

TOP_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
INPUT_KEYS = {"description", "required", "default", "deprecationMessage"}
STEP_KEYS = {"id", "if", "name", "uses", "run", "shell", "with", "env", "working-directory",
             "continue-on-error"}
SHELLS = {"bash", "sh", "pwsh", "python", "cmd", "powershell"}
EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)

errors = []


def err(msg):
    errors.append(msg)


def strings(node):
    """Every string under a YAML node."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def check_schema(action):
    if not isinstance(action, dict):
        return err("top level is not a mapping")
    for key in sorted(set(action) - TOP_KEYS):
        err(f"unknown top-level key: {key}")
    for key in ("name", "description", "runs"):
        if not action.get(key):
            err(f"missing required key: {key}")
    inputs = action.get("inputs") or {}
    for name, spec in inputs.items():
        if not isinstance(spec, dict) or "description" not in spec:
            err(f"input {name}: needs a description")
            continue
        for key in sorted(set(spec) - INPUT_KEYS):
            err(f"input {name}: unknown key {key}")
        if "default" in spec and not isinstance(spec["default"], str):
            err(f"input {name}: default should be a string, is {spec['default']!r}")
    for name, spec in (action.get("outputs") or {}).items():
        if not isinstance(spec, dict) or "value" not in spec:
            err(f"output {name}: a composite action's output needs a value")
    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        err(f"runs.using is {runs.get('using')!r}, not 'composite'")
    steps = runs.get("steps")
    if not isinstance(steps, list) or not steps:
        return err("runs.steps must be a non-empty list")
    ids = set()
    for i, step in enumerate(steps):
        where = f"step {i + 1} ({step.get('name', step.get('id', '?'))})"
        for key in sorted(set(step) - STEP_KEYS):
            err(f"{where}: unknown key {key}")
        if ("run" in step) == ("uses" in step):
            err(f"{where}: needs exactly one of run and uses")
        if "run" in step:
            if step.get("shell") not in SHELLS:
                err(f"{where}: a run step needs shell (one of {sorted(SHELLS)})")
            if "${{" in step["run"]:
                err(f"{where}: ${{{{ }}}} inside the script (script injection): pass it through env")
        if "uses" in step and not re.fullmatch(r"[\w.-]+/[\w./-]+@[\w.-]+|\./.+|docker://.+",
                                               step["uses"]):
            err(f"{where}: uses {step['uses']!r} is not owner/repo@ref")
        if "id" in step:
            if step["id"] in ids:
                err(f"{where}: duplicate id {step['id']}")
            ids.add(step["id"])
    # Every ${{ }} reference resolves; every input is used.
    used = set()
    for i, step in enumerate(steps):
        texts = list(strings({k: v for k, v in step.items() if k != "run"}))
        if "if" in step:
            texts.append("${{ " + step["if"] + " }}")
        for text in texts:
            for expr in EXPR.findall(text):
                for name in re.findall(r"\binputs\.([\w-]+)", expr):
                    used.add(name)
                    if name not in inputs:
                        err(f"step {i + 1}: unknown input {name}")
                for sid in re.findall(r"\bsteps\.([\w-]+)\.", expr):
                    earlier = {s.get("id") for s in steps[:i]}
                    if sid not in earlier:
                        err(f"step {i + 1}: steps.{sid} is not an earlier step's id")
    for name, spec in (action.get("outputs") or {}).items():
        for expr in EXPR.findall(str(spec.get("value", ""))):
            for sid in re.findall(r"\bsteps\.([\w-]+)\.", expr):
                if sid not in ids:
                    err(f"output {name}: steps.{sid} is not a step id")
    for name in sorted(set(inputs) - used):
        err(f"input {name} is never used")


def gate_step(action):
    for step in action["runs"]["steps"]:
        if step.get("id") == "gate":
            return step
    raise SystemExit("check-action: no step with id 'gate'")


def run_gate(action, inputs, expect, expect_out=None, expect_summary=()):
    """Runs the gate step's script as the runner would: env evaluated, bash -e not set
    (the runner's bash is `bash --noprofile --norc -eo pipefail {0}`), GITHUB_STEP_SUMMARY
    set to a file; `expect_summary` lists what that file must contain afterwards."""
    step = gate_step(action)
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    values.update(inputs)

    def subst(text):
        def one(m):
            expr = m.group(1).strip()
            mm = re.fullmatch(r"inputs\.([\w-]+)", expr)
            if not mm:
                raise SystemExit(f"check-action: cannot evaluate ${{{{ {expr} }}}}")
            return values[mm.group(1)]
        return EXPR.sub(one, text)

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update({k: subst(str(v)) for k, v in step["env"].items()})
        out_file = os.path.join(tmp, "output")
        open(out_file, "w").close()
        summary_file = os.path.join(tmp, "summary.md")
        open(summary_file, "w").close()
        env.update(GITHUB_OUTPUT=out_file, RUNNER_TEMP=tmp, GITHUB_STEP_SUMMARY=summary_file)
        script = os.path.join(tmp, "gate.sh")
        with open(script, "w") as f:
            f.write(step["run"])
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                           env=env, capture_output=True, text=True)
        outputs = dict(line.split("=", 1) for line in open(out_file).read().splitlines() if "=" in line)
        summary = open(summary_file, encoding="utf-8").read()
    missing = [s for s in expect_summary if s not in summary]
    label = ", ".join(f"{k}={v!r}" for k, v in inputs.items())
    if p.returncode != expect or outputs.get("exit-code") != str(expect):
        err(f"gate with {label}: exit {p.returncode}, exit-code output {outputs.get('exit-code')!r}, "
            f"expected {expect}\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}")
    elif expect_out and expect_out not in p.stdout:
        err(f"gate with {label}: stdout lacks {expect_out!r}\n--- stdout\n{p.stdout}")
    elif missing:
        err(f"gate with {label}: the job summary lacks {missing!r}\n--- summary\n{summary}")
    else:
        print(f"check-action: gate with {label}: exit {p.returncode} as expected")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "action.yml"
    with open(path) as f:
        action = yaml.safe_load(f)
    check_schema(action)
    if errors:
        print("\n".join(f"check-action: {path}: {e}" for e in errors), file=sys.stderr)
        sys.exit(1)
    print(f"check-action: {path}: a valid composite action ({len(action['runs']['steps'])} steps)")

    fx = "tests/fixtures"
    jinja = f"{fx}/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json"
    packaging = f"{fx}/packaging-25.0/coveragepy-7.17.3-branch/coverage.json"
    plan = "examples/plans/jinja2-demo.plan.json"
    help_check = subprocess.run(["covgap", "check", "--help"], capture_output=True, text=True)
    annotate = "true" if "--annotate" in help_check.stdout else "false"
    if annotate == "false":
        print("check-action: this covgap has no --annotate yet: the gate runs with annotate: false")

    cases = [
        ({"report": f"{fx}/jinja2-*/**/coverage.json"}, 0, "+ covgap summary"),
        ({"report": jinja, "plan": plan, "annotate": annotate}, 1, "+ covgap check"),
        ({"report": jinja, "baseline": packaging, "floor": "95", "annotate": annotate}, 1, "--floor 95"),
        ({"report": packaging, "baseline": packaging, "fail-on-regression": "0.5",
          "annotate": annotate}, 0, "--fail-on-regression 0.5"),
        ({"report": jinja, "plan": plan, "baseline": packaging, "floor": "0",
          "annotate": annotate}, 1, "+ covgap compare"),
        ({"report": jinja, "baseline": "no/such/baseline.json"}, 0, "+ covgap summary"),
        ({"report": jinja, "args": "--precision 2"}, 0, "92.21%"),
        ({"report": "no/such/*.json"}, 2, None),
        ({"report": f"{fx}/packaging-25.0/*/coverage.json"}, 2, None),
        ({"report": jinja, "annotate": "yes"}, 2, None),
        ({"report": jinja, "plan": "no/such/plan.json", "annotate": annotate}, 2, None),
    ]
    for inputs, expect, expect_out in cases:
        run_gate(action, inputs, expect, expect_out)

    if annotate == "true":
        # Annotations after the output, and both gates' Markdown in the job summary.
        run_gate(action, {"report": jinja, "plan": plan}, 1,
                 "::error title=covgap check", ["### covgap check: "])
        run_gate(action, {"report": jinja, "baseline": packaging, "floor": "95"}, 1,
                 "::error file=src/jinja2/", ["### Coverage "])
        run_gate(action, {"report": jinja, "plan": plan, "baseline": packaging, "floor": "0"}, 1,
                 None, ["### covgap check: ", "### Coverage "])

    # Inputs are data, never code: nothing here may run the touch.
    with tempfile.TemporaryDirectory() as tmp:
        canary = os.path.join(tmp, "injected")
        for inputs in ({"report": f"$(touch {canary})"},
                       {"report": jinja, "args": f"--json; touch {canary}"},
                       {"report": jinja, "args": f"$(touch {canary})"},
                       {"report": jinja, "plan": f"x\"; touch {canary}; echo \"",
                        "annotate": annotate}):
            run_gate(action, inputs, 2)
            if os.path.exists(canary):
                err(f"gate with {inputs}: an input ran as a command")

    if errors:
        print("\n".join(f"check-action: {e}" for e in errors), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
