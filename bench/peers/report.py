#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turns bench/peers results (peers.json, and bench_ui's output when present) into markdown tables and
gnuplot PNGs of each operation's cost against N.
    report.py OUTDIR
"""
import json
import subprocess
import sys
from pathlib import Path

TOOLS = ["coffer", "coffer_agent", "keepassxc", "pass", "gopass"]
PEERS = ["keepassxc", "pass", "gopass"]
LABEL = {"coffer": "Coffer", "coffer_agent": "Coffer (agent)", "keepassxc": "KeePassXC", "pass": "pass",
         "gopass": "gopass"}
OPS = ["bulk", "read", "list", "search", "export", "sync", "sync_e2e"]
OP_LABEL = {
    "bulk": "bulk create N secrets",
    "read": "cold read of one secret (new process)",
    "list": "list all",
    "search": "search by name",
    "export": "export an environment of 100 keys to .env",
    "sync": "team sync of 100 changes (push + pull)",
    "sync_e2e": "the same with the 100 edits (edit + push + pull)",
}


def ms(seconds):
    v = seconds * 1000
    if v >= 100:
        return f"{v:,.0f} ms"
    return f"{v:.1f} ms"


def header(first, extra=()):
    names = [first] + [LABEL[t] for t in TOOLS] + list(extra)
    return ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]


def cell(results, tool, op, key="wall"):
    """The figure, with the peer's figure over Coffer's (without the agent) in brackets: above 1, Coffer is faster."""
    m = results.get(tool, {}).get(op)
    if not m:
        return "n/a"
    text = ms(m["wall"]) if key == "wall" else f"{m[key] * 1000:,.0f}"
    if m.get("extrapolated"):
        text += "*"
    if m.get("reused"):
        text += "†"
    c = results.get("coffer", {}).get(op)
    if tool in PEERS and c and c[key] > 0:
        text += f" ({m[key] / c[key]:.1f}×)"
    return text


def verdict(results, tool, op):
    """How Coffer (or Coffer through the agent) compares with the fastest peer on this operation."""
    c = results.get(tool, {}).get(op)
    peers = [(results[t][op]["wall"], t) for t in PEERS if results.get(t, {}).get(op)]
    if not c or not peers:
        return "—"
    best, who = min(peers)
    ratio = best / c["wall"]
    return (f"✔ {ratio:.1f}× faster than {LABEL[who]}" if ratio >= 1
            else f"✘ {1 / ratio:.1f}× slower than {LABEL[who]}")


def table(results, ops):
    rows = header("operation", ["Coffer vs the fastest peer", "Coffer (agent) vs the fastest peer"])
    for op in ops:
        if not any(results.get(t, {}).get(op) for t in TOOLS):
            continue
        rows.append(f"| {OP_LABEL[op]} | " + " | ".join(cell(results, t, op) for t in TOOLS)
                    + f" | {verdict(results, 'coffer', op)} | {verdict(results, 'coffer_agent', op)} |")
    return "\n".join(rows)


def cpu_table(results, ops):
    rows = header("operation (CPU of the process tree, ms)")
    for op in ops:
        cells = [cell(results, t, op, "cpu") for t in TOOLS]
        if any(c != "n/a" for c in cells):
            rows.append(f"| {OP_LABEL[op]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def rss_table(results):
    rows = header("peak RSS (MiB)")
    for op in ["bulk", "read", "list", "export"]:
        cells = []
        for t in TOOLS:
            m = results.get(t, {}).get(op)
            cells.append(f"{m['rss'] / 1024:.0f}" if m and m.get("rss") else "n/a")
        rows.append(f"| {OP_LABEL[op]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def plots(data, out):
    equal = data["results"].get("equal", {})
    sizes = sorted(int(n) for n in equal)
    if not sizes:
        return []
    dat = out / "peers-plot.dat"
    with open(dat, "w") as f:
        for op in OPS:
            f.write(f"# {op}\n")
            for n in sizes:
                row = [str(n)]
                for t in TOOLS:
                    m = equal[str(n)].get(t, {}).get(op)
                    row.append(f"{m['wall'] * 1000:.3f}" if m else "NaN")
                f.write(" ".join(row) + "\n")
            f.write("\n\n")
    png = out / "peers.png"
    panels = ["bulk", "read", "list", "search", "export", "sync"]
    script = [f"set terminal pngcairo size 1500,900 font 'DejaVu Sans,10'", f"set output '{png}'",
              "set multiplot layout 2,3 title 'Coffer and its peers: wall time against N (log-log, median; equal KDF cost)'",
              "set logscale xy", "set grid", "set key top left", "set xlabel 'N secrets in the store'",
              "set ylabel 'ms'", f"set xrange [{sizes[0] * 0.7}:{sizes[-1] * 1.4}]",
              "set style line 1 lc rgb '#1f77b4' lw 2 pt 7", "set style line 2 lc rgb '#1f77b4' lw 2 dt 2 pt 6",
              "set style line 3 lc rgb '#2ca02c' lw 2 pt 5", "set style line 4 lc rgb '#d62728' lw 2 pt 9",
              "set style line 5 lc rgb '#ff7f0e' lw 2 pt 11"]
    for op in panels:
        index = OPS.index(op)
        script.append(f"set title '{OP_LABEL[op]}'")
        script.append("plot " + ", ".join(
            f"'{dat}' index {index} using 1:{i + 2} with linespoints ls {i + 1} title '{LABEL[t]}'"
            for i, t in enumerate(TOOLS)))
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)
    return [png]


def scale_section(data, out):
    s = data["results"].get("scale")
    lines = []
    if s:
        kdf = s["kdf_ms"]
        base = s["small_projects"]["wall"]
        lines += [
            f"| what (coffer-cli, {s['secrets']:,} secrets in 10 environments of {s['secrets'] // 10:,}) | wall (median) | beyond an empty vault's `ls` | CPU | peak RSS |",
            "|---|---|---|---|---|",
            f"| bulk create: 10 × `import` of {s['secrets'] // 10:,} | {ms(s['import_wall'])} | — | {ms(s['import_cpu'])} | {s['import_rss'] / 1024:.0f} MiB |",
            f"| `ls big` on an EMPTY vault (process + KDF {kdf:.0f} ms + open) | {ms(base)} | — | {ms(s['small_projects']['cpu'])} | {s['small_projects']['rss'] / 1024:.0f} MiB |",
        ]
        per = f"{s['secrets'] // 10:,}"
        for key, what in [("projects", "unlock + first query: `ls big`"), ("info", "`info` (counts every table)"),
                          ("open_env", f"open an environment: `ls big/e5` ({per} rows)"),
                          ("get", "`get big/e5/NAME`"), ("search", "search: `ls big/e5 \\| grep PART`"),
                          ("export", f"`export big/e5 -o e5.env` ({per})")]:
            m = s[key]
            lines.append(f"| {what} | {ms(m['wall'])} | {ms(m['wall'] - base)} | {ms(m['cpu'])} | {m['rss'] / 1024:.0f} MiB |")
    g = s.get("gui") if s else None
    if g:
        per = s["secrets"] // 10
        lines += ["", f"| the desktop app (`coffer`, {g['display']}, driven by xdotool), {s['secrets']:,} secrets | CPU "
                  "| resident after | peak so far |", "|---|---|---|---|"]
        before = None
        for key, what in [("started", "start: the unlock page shown"),
                          ("unlocked", f"unlock: password and Enter (the window served coffer-cli after "
                                       f"{ms(g['unlock_served'])} of wall time; the KDF is {s['kdf_ms']:.0f} ms of "
                                       f"the CPU, the rest is opening the vault, the tree and the search index)"),
                          ("searched", f"search: type `{g['query']}` letter by letter, 50 ms apart ({per:,} matches)"),
                          ("opened", f"Enter: open the first match's environment ({per:,} secrets)")]:
            m = g[key]
            cpu = m["cpu"] - (before["cpu"] if before else 0)
            before = m
            lines.append(f"| {what} | {ms(cpu)} | {m['rss'] / 1024:.0f} MiB | {m['hwm'] / 1024:.0f} MiB |")
        lines.append(f"| **peak resident set of the app** | | | **{g['peak_rss'] / 1024:.0f} MiB** |")
    ui = out / "bench_ui.txt"
    if ui.exists():
        lines += ["", "bench_ui (the desktop app's VaultPage, offscreen, 100k secrets in 46 environments):", "", "```"]
        lines += [l for l in ui.read_text().splitlines() if l.strip()]
        lines += ["```"]
    return "\n".join(lines)


def main():
    out = Path(sys.argv[1])
    data = json.loads((out / "peers.json").read_text())
    meta = data["meta"]
    md = [f"Measured {meta['date']} in {meta['seconds']} s on {meta['machine']}; load average before "
          f"{' / '.join(f'{x:.1f}' for x in meta['load_before'])}, after {' / '.join(f'{x:.1f}' for x in meta['load_after'])}.",
          "", f"Versions: {json.dumps(meta['versions'])}", "",
          f"KDF: {json.dumps(meta['kdf'])}; KeePassXC: {json.dumps(meta['keepassxc_kdf'])}; gpg S2K count: {json.dumps(meta['gpg_s2k_count'])}", ""]
    for profile in ["equal", "defaults"]:
        for n, results in sorted(data["results"].get(profile, {}).items(), key=lambda kv: int(kv[0])):
            md += [f"### {profile}, N = {int(n):,}", "", table(results, OPS), "", cpu_table(results, OPS), ""]
            if profile == "equal" and int(n) == max(int(k) for k in data["results"]["equal"]):
                md += [rss_table(results), ""]
    md += ["### how each tool does each operation", "", "| tool / op | how |", "|---|---|"]
    md += [f"| {k} | {v.replace('|', chr(92) + '|')} |" for k, v in sorted(meta["how"].items())]
    md += ["", "### scale", "", scale_section(data, out), ""]
    for png in plots(data, out):
        md.append(f"![plot]({png.name})")
    (out / "peers.md").write_text("\n".join(md) + "\n")
    print((out / "peers.md").read_text())


if __name__ == "__main__":
    main()
