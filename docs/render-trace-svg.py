#!/usr/bin/env python3
"""Renders a Chrome Trace Event JSON file written by `troupe run --trace` as an SVG timeline.

Usage: docs/render-trace-svg.py TRACE.json OUT.svg

One row per lane (a process's thread: the instance, then each node), one bar per complete ("X")
event coloured by its status, and a marker per instant ("i") event. Only the standard library.
"""
import json
import sys
from html import escape

COLOURS = {"completed": "#4caf50", "failed": "#e53935", "timedOut": "#fb8c00", "cancelled": "#9e9e9e"}
MARKS = {"retry": "#e53935", "skipped": "#9e9e9e", "cancelled": "#616161", "paused": "#1e88e5", "resumed": "#1e88e5"}


def main(source, target):
    events = json.load(open(source))["traceEvents"]
    processes = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
    lanes = sorted(threads, key=lambda lane: lane)
    spans = [e for e in events if e["ph"] == "X"]
    instants = [e for e in events if e["ph"] == "i"]
    end = max([e["ts"] + e["dur"] for e in spans] + [e["ts"] for e in instants] + [1])
    left, width, row, top = 150, 760, 26, 40
    scale = width / end
    height = top + row * len(lanes) + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>']
    title = ", ".join(processes[p] for p in sorted(processes))
    out.append(f'<text x="10" y="20" font-weight="bold">troupe run --trace: {escape(title)}</text>')
    step = nice_step(end / 1000) * 1000
    tick = 0.0
    while tick <= end:
        x = left + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + row * len(lanes)}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{top + row * len(lanes) + 16}" text-anchor="middle" fill="#555">{tick / 1000:g} ms</text>')
        tick += step
    for index, lane in enumerate(lanes):
        y = top + index * row
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(threads[lane])}</text>')
        for span in (s for s in spans if (s["pid"], s["tid"]) == lane):
            status = span["args"].get("status", "")
            x, w = left + span["ts"] * scale, max(1.5, span["dur"] * scale)
            label = f'{span["name"]} #{span["args"].get("attempt", "")} {status}' if "attempt" in span["args"] else f'{span["name"]} {status}'
            error = span["args"].get("error")
            tip = escape(label + (f": {error}" if error else ""))
            out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" rx="3" fill="{COLOURS.get(status, "#90a4ae")}"><title>{tip}</title></rect>')
            if w > 60:
                out.append(f'<text x="{x + 4:.1f}" y="{y + 17}" fill="white" font-size="11">{escape(label)}</text>')
        for mark in (i for i in instants if (i["pid"], i["tid"]) == lane):
            x = left + mark["ts"] * scale
            colour = MARKS.get(mark["name"], "#3949ab")
            tip = escape(mark["name"] + "".join(f"; {k}: {v}" for k, v in mark["args"].items()))
            out.append(f'<path d="M {x:.1f} {y + 2} l 4 5 l -4 5 l -4 -5 z" fill="{colour}"><title>{tip}</title></path>')
    legend_y = height - 18
    x = 10
    for name, colour in list(COLOURS.items()) + [("retry", MARKS["retry"]), ("interceptor note", "#3949ab")]:
        out.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/><text x="{x + 16}" y="{legend_y}">{name}</text>')
        x += 30 + 8 * len(name)
    out.append("</svg>")
    open(target, "w").write("\n".join(out) + "\n")


def nice_step(span_ms):
    for step in [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000]:
        if span_ms / step <= 10:
            return step
    return 20000


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
