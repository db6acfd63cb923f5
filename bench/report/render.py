#!/usr/bin/env python3
"""Rewrites the generated tables of docs/performance.md from bench/results/*.json.

Only the text between `<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->` changes; everything
else in the page (the prose, the hand-kept tables) is left as it is. Sections:

  header   machine, date, commit, total run time (from bench/results/run.json)
  targets  every figure that has a target, from every suite
  SUITE    one table per results file (runtime, http, cluster, ...), grouped by each figure's
           "group"; a suite with no section of its own goes into the "other" section
  ours-only  the figures of our own runtime's last recorded run that have no counterpart on Orleans

Every table puts beside each figure with a "key" the same figure from our own runtime's last
recorded run (bench/report/ours-934789d.json, copied from docs/performance.md at 934789d) and the
ratio of the two medians.

Tolerant by design: a missing or unreadable results file becomes a line saying so, a document may
be a bare list of figures, and any field but "name" may be missing.

Usage: bench/report/render.py [--results bench/results] [--doc docs/performance.md]
"""

import argparse
import datetime
import json
import math
import os
import re
import sys

KNOWN_SUITES = ["runtime", "http", "cluster"]
PREVIOUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ours-934789d.json")


def load_previous(path=PREVIOUS):
    """Our own runtime's last recorded figures, by key; {} when the file is missing."""
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, ValueError):
        return {"figures": {}, "all": [], "commit": "?"}
    figures = document.get("figures", [])
    return {"figures": {f["key"]: f for f in figures if f.get("key")}, "all": figures, "commit": document.get("commit", "?"),
            "label": document.get("label", "our runtime"), "run": document.get("run", "")}


PREVIOUS_FIGURES = load_previous()
SUITE_TITLES = {
    "runtime": "Grain runtime (in process)",
    "http": "HTTP API",
    "cluster": "Cluster: remote calls and stream to SignalR",
}


def load_results(results_dir):
    """Returns {suite: document or {'error': text}} for every *.json in results_dir but run.json."""
    suites = {}
    if not os.path.isdir(results_dir):
        return suites
    for name in sorted(os.listdir(results_dir)):
        if not name.endswith(".json") or name == "run.json":
            continue
        path = os.path.join(results_dir, name)
        suite = name[: -len(".json")]
        try:
            with open(path, encoding="utf-8") as f:
                document = json.load(f)
        except (OSError, ValueError) as error:
            suites[suite] = {"error": f"{path} could not be read: {error}"}
            continue
        if isinstance(document, list):
            document = {"figures": document}
        if not isinstance(document, dict):
            suites[suite] = {"error": f"{path} holds no figures"}
            continue
        document.setdefault("figures", [])
        suites[document.get("suite", suite) if isinstance(document.get("suite"), str) else suite] = document
    return suites


def number(value):
    """A compact, readable number: thousands separators for big ones, 3 significant digits for small."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—" if value is None else str(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    magnitude = abs(value)
    if isinstance(value, int) or (magnitude < 1000 and float(value).is_integer()):
        return f"{int(value):,}"
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    if magnitude == 0:
        return "0"
    return f"{value:.3g}"


def ratio_text(value):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    if value >= 100:
        return f"{value:,.0f}×"
    if value >= 10:
        return f"{value:.1f}×"
    return f"{value:.2f}×"


def met_text(value):
    if value is True:
        return "yes"
    if value is False:
        return "**no**"
    return "—"


def run_count(runs):
    """runs is a count, or the list of each run's value."""
    return len(runs) if isinstance(runs, list) else runs


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def figure_row(figure, with_suite=None):
    unit = figure.get("unit", "")
    median = figure.get("median")
    low, high = figure.get("min"), figure.get("max")
    spread = f"{number(low)} – {number(high)}" if low is not None or high is not None else "—"
    baseline = figure.get("baseline")
    if isinstance(baseline, dict):
        baseline_text = f"{cell(baseline.get('name', '?'))}: {number(baseline.get('median'))}"
        if baseline.get("unit") and baseline.get("unit") != unit:
            baseline_text += f" {cell(baseline['unit'])}"
    elif baseline:
        baseline_text = cell(baseline)
    else:
        baseline_text = "—"
    name = cell(figure.get("name", "?"))
    if figure.get("notes") and with_suite is None:
        name += f" <sub>({cell(figure['notes'])})</sub>"
    columns = []
    if with_suite is not None:
        columns.append(with_suite)
    ours, versus = previous_columns(figure)
    columns += [
        name,
        f"{number(median)} {cell(unit)}".strip(),
        spread,
        number(run_count(figure.get("runs"))),
        baseline_text,
        ratio_text(figure.get("ratio")),
        ours,
        versus,
        cell(figure.get("target", "—") or "—"),
        met_text(figure.get("met")),
    ]
    return "| " + " | ".join(columns) + " |"


def previous_columns(figure):
    """The same figure from our own runtime's last recorded run (its median, and its ratio to its own
    same-run baseline), and this run's median divided by that one."""
    previous = PREVIOUS_FIGURES["figures"].get(figure.get("key")) if figure.get("key") else None
    if not previous:
        return "—", "—"
    text = f"{number(previous.get('median'))} {cell(previous.get('unit', ''))}".strip()
    if isinstance(previous.get("ratio"), (int, float)):
        text += f" ({ratio_text(previous['ratio'])})"
    median, before = figure.get("median"), previous.get("median")
    if isinstance(median, (int, float)) and isinstance(before, (int, float)) and before and not isinstance(median, bool):
        return text, ratio_text(median / before)
    return text, "—"


def ours_only_table():
    """Figures of our own runtime's last recorded run with no Orleans counterpart (nothing to put them beside)."""
    rows = [f for f in PREVIOUS_FIGURES["all"] if not f.get("key")]
    if not rows:
        return ""
    lines = [
        "| suite | figure | median (our runtime, %s) | same-run baseline (median) | ratio |" % cell(PREVIOUS_FIGURES["commit"]),
        "|---|---|---:|---|---:|",
    ]
    for f in rows:
        baseline = f.get("baseline") or {}
        lines.append("| %s | %s | %s %s | %s | %s |" % (
            cell(f.get("suite", "?")), cell(f.get("name", "?")), number(f.get("median")), cell(f.get("unit", "")),
            f"{cell(baseline['name'])}: {number(baseline.get('median'))}" if baseline else "—", ratio_text(f.get("ratio"))))
    return "\n".join(lines)


TABLE_HEAD = (
    "| figure | median | spread (min – max) | runs | same-run baseline (median) | ratio | our runtime, 934789d (its ratio) | Orleans ÷ ours | target | met |\n"
    "|---|---:|---:|---:|---|---:|---:|---:|---|---|"
)


def suite_table(suite, document, status, stale_since=None):
    if document is None:
        why = status.get("why") if status else None
        return f"_Not measured in this run: bench/results/{suite}.json is missing{f' ({why})' if why else ''}._"
    if "error" in document:
        return f"_Not measured in this run: {document['error']}._"
    figures = [f for f in document.get("figures", []) if isinstance(f, dict)]
    lines = []
    if status and status.get("status") not in (None, "ok") and not stale_since:
        lines.append(f"_The last `bench/run` reported this suite as {cell(status.get('status'))} "
                     f"(bench/results/{suite}.log): the figures below may be partial or from another run._\n")
    if stale_since:
        lines.append(f"_Not measured by the last `bench/run` (it ran other suites): these figures are from an "
                     f"earlier run, bench/results/{suite}.json of {stale_since}._\n")
    if document.get("quick"):
        lines.append("_Quick run (`--quick`): fewer and shorter runs; for development only._\n")
    if not figures:
        lines.append("_The results file holds no figures._")
    groups = []
    for figure in figures:
        group = figure.get("group") or ""
        if group not in groups:
            groups.append(group)
    for group in groups:
        if group:
            lines.append(f"**{cell(group)}**\n")
        lines.append(TABLE_HEAD)
        lines += [figure_row(f) for f in figures if (f.get("group") or "") == group]
        lines.append("")
    notes = document.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    if notes:
        lines += [f"- {cell(n)}" for n in notes]
    environment = document.get("environment")
    if isinstance(environment, dict) and environment:
        lines.append("")
        lines.append("<sub>" + "; ".join(f"{cell(k)}: {cell(v)}" for k, v in environment.items()) + "</sub>")
    return "\n".join(lines).rstrip()


TARGET = re.compile(r"^\s*(≥|≤|>=|<=)\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(×|x\b)?\s*(.*)$")
SCALES = {"kb": 1024, "kib": 1024, "mb": 1024 ** 2, "mib": 1024 ** 2, "gb": 1024 ** 3, "gib": 1024 ** 3}


def target_gap(figure):
    """How far the figure is from its target, when the target reads like "≥ 500,000 calls/s",
    "≤ 20 ms", "≤ 2 KB" or "≥ 2× baseline" (a ratio); "—" when it cannot tell, or when the figure
    says it was not judged ("met": null, e.g. a latency at half of peak taken at another host speed)."""
    if "met" in figure and figure["met"] is None:
        return "—"
    match = TARGET.match(str(figure.get("target", "")))
    if not match:
        return "—"
    op, amount, is_ratio, rest = match.groups()
    goal = float(amount.replace(",", ""))
    actual = figure.get("ratio") if is_ratio else figure.get("median")
    if not isinstance(actual, (int, float)) or isinstance(actual, bool) or goal <= 0:
        return "—"
    if not is_ratio:
        unit = str(figure.get("unit", "")).split("/")[0].strip().lower()
        wanted = rest.split("/")[0].split(" ")[0].strip().lower() if rest else ""
        if wanted in SCALES and unit in ("b", "bytes"):
            goal *= SCALES[wanted]
        elif wanted and unit and wanted != unit:
            return "—"
    share = actual / goal
    if op in ("≥", ">="):
        return "—" if share >= 1 else f"{(1 - share) * 100:.0f}% short"
    if share <= 1:
        return "—"
    return f"{(share - 1) * 100:.0f}% over" if share < 2 else f"{share:.1f}× the limit"


def targets_table(suites, stale=()):
    rows = []
    for suite, document in suites.items():
        if not document or "error" in document:
            continue
        label = cell(suite) + (" (earlier run)" if suite in stale else "")
        for figure in document.get("figures", []):
            if isinstance(figure, dict) and figure.get("target"):
                rows.append(figure_row(figure, with_suite=label) + f" {target_gap(figure)} |")
    if not rows:
        return "_No figure with a target was measured in this run._"
    head = (
        "| suite | figure | median | spread (min – max) | runs | same-run baseline (median) | ratio | our runtime, 934789d (its ratio) | Orleans ÷ ours | target | met | missed by |\n"
        "|---|---|---:|---:|---:|---|---:|---:|---:|---|---|---:|"
    )
    return head + "\n" + "\n".join(rows)


def noisy_note(machine):
    """Flags a run that started on a machine already busier than its cores: its figures are noise."""
    try:
        load = float(str(machine.get("load", "")).split()[0])
        cores = int(machine.get("cores"))
    except (ValueError, IndexError, TypeError):
        return ""
    if load <= cores:
        return ""
    return f" — **noisy**: more runnable work than the {cores} cores at the start (other builds and tests); read the ratios to same-run baselines, not the absolute figures"


def header(run, suites):
    if not run:
        return "_No run metadata (bench/results/run.json); run `bench/run`._"
    machine = run.get("machine", {})
    commit = run.get("commit", "unknown")
    if run.get("dirty"):
        commit += " (dirty: uncommitted changes)"
    lines = [
        "| | |",
        "|---|---|",
        f"| date | {cell(run.get('date', '?'))} |",
        f"| commit | {cell(commit)} |",
        f"| machine | {cell(machine.get('cpu', '?'))}; {cell(machine.get('cores', '?'))} cores; "
        f"{cell(machine.get('memory', '?'))} memory |",
        f"| system | {cell(machine.get('os', '?'))}; kernel {cell(machine.get('kernel', '?'))} |",
        f"| .NET | {cell(machine.get('dotnet', '?'))} |",
        f"| load average at start | {cell(machine.get('load', '?'))}{noisy_note(machine)} |",
        f"| mode | {'quick (`bench/run --quick`): for development, not for the record' if run.get('quick') else 'full (`bench/run`)'} |",
        f"| total run time | {number(run.get('seconds'))} s |",
    ]
    steps = run.get("steps") or {}
    if steps:
        parts = []
        for step, info in steps.items():
            text = f"{step} {number(info.get('seconds'))} s"
            if info.get("status") not in (None, "ok"):
                text += f" ({info.get('status')})"
            parts.append(text)
        lines.append(f"| steps | {cell(', '.join(parts))} |")
    return "\n".join(lines)


def replace_section(text, name, body):
    pattern = re.compile(
        r"(<!-- bench:begin " + re.escape(name) + r" -->)(.*?)(<!-- bench:end " + re.escape(name) + r" -->)", re.S
    )
    if not pattern.search(text):
        return text, False
    return pattern.sub(lambda m: m.group(1) + "\n" + body.strip() + "\n" + m.group(3), text, count=1), True


def render(results_dir, doc_path):
    run = None
    run_path = os.path.join(results_dir, "run.json")
    if os.path.exists(run_path):
        try:
            with open(run_path, encoding="utf-8") as f:
                run = json.load(f)
        except (OSError, ValueError):
            run = None
    suites = load_results(results_dir)
    statuses = (run or {}).get("steps", {})

    with open(doc_path, encoding="utf-8") as f:
        text = f.read()

    ran = (run or {}).get("suites")
    stale = {}
    for suite in suites:
        if ran is not None and suite not in ran:
            path = os.path.join(results_dir, f"{suite}.json")
            stale[suite] = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    text, _ = replace_section(text, "header", header(run, suites))
    text, _ = replace_section(text, "targets", targets_table(suites, stale))
    others = []
    for suite in KNOWN_SUITES + [s for s in suites if s not in KNOWN_SUITES]:
        body = suite_table(suite, suites.get(suite), statuses.get(suite), stale.get(suite))
        text, found = replace_section(text, suite, body)
        if not found and suite in suites:
            title = suites[suite].get("title") or SUITE_TITLES.get(suite) or suite
            others.append(f"#### {cell(title)} (`{suite}`)\n\n{body}")
    text, _ = replace_section(text, "other", "## Other results\n\n" + "\n\n".join(others) if others else "")
    text, _ = replace_section(text, "ours-only", ours_only_table())

    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(text)
    return suites


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default=os.path.join(root, "bench", "results"))
    parser.add_argument("--doc", default=os.path.join(root, "docs", "performance.md"))
    arguments = parser.parse_args()
    suites = render(arguments.results, arguments.doc)
    print(f"render: {len(suites)} result file(s) → {os.path.relpath(arguments.doc)}")


if __name__ == "__main__":
    sys.exit(main())
