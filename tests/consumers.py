#!/usr/bin/env python3
"""Reads one graph's kgx exports with the programs users read them with and
checks that all of them see the same graph.

Usage: consumers.py DIR

DIR holds graph.json, graph.gexf, graph.graphml, nodes.csv, edges.csv and
graph.svg (as `kgx extract ... -o DIR/graph.EXT` writes them), and
optionally expected.json: {"labels": [...]} node labels that every format
must carry exactly (the nasty strings a test put in).

Readers: networkx (read_gexf, read_graphml, node_link_graph), igraph
(Graph.Read_GraphML), Python's csv module, xml.etree for the SVG. Exits 0
and prints one "ok" line when all agree; prints every disagreement and
exits 1 otherwise.
"""

import collections
import csv
import json
import os
import sys
import xml.etree.ElementTree as ET

import igraph
import networkx as nx

SVG_NS = "{http://www.w3.org/2000/svg}"


def from_networkx(g):
    nodes = {n: (d.get("label"), d.get("type")) for n, d in g.nodes(data=True)}
    edges = collections.Counter(
        (s, t, d.get("relation"), int(float(d.get("weight", 0))))
        for s, t, d in g.edges(data=True)
    )
    return nodes, edges


def igraph_id(v):
    # igraph's GraphML reader (libxml2 SAX) hands back "&" inside attribute
    # values, and so inside node ids, as "&#38;"; element text is fine.
    # kgx ids are slugs and never hold "&" unless a document id does.
    return v["id"].replace("&#38;", "&")


def from_igraph(g):
    nodes = {igraph_id(v): (v["label"], v["type"]) for v in g.vs}
    edges = collections.Counter(
        (igraph_id(g.vs[e.source]), igraph_id(g.vs[e.target]), e["relation"], int(e["weight"]))
        for e in g.es
    )
    return nodes, edges


def from_csv(directory):
    with open(os.path.join(directory, "nodes.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    nodes = {r["Id"]: (r["Label"], r["Type"]) for r in rows}
    with open(os.path.join(directory, "edges.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["Type"] != "Directed":
            raise ValueError(f"edges.csv: Type is {r['Type']!r}, not 'Directed'")
    edges = collections.Counter(
        (r["Source"], r["Target"], r["Relation"], int(r["Weight"])) for r in rows
    )
    return nodes, edges


def from_svg(path):
    root = ET.parse(path).getroot()
    nodes = {}
    for g in root.iter(SVG_NS + "g"):
        classes = (g.get("class") or "").split()
        if classes[:1] == ["node"]:
            title = g.find(SVG_NS + "title")
            nodes[g.get("data-id")] = (title.text or "", classes[1])
    return nodes


def main():
    directory = sys.argv[1]
    path = lambda name: os.path.join(directory, name)
    with open(path("graph.json"), encoding="utf-8") as f:
        data = json.load(f)
    seen = {
        "json (networkx node_link_graph)": from_networkx(nx.node_link_graph(data, edges="edges")),
        "gexf (networkx read_gexf)": from_networkx(nx.read_gexf(path("graph.gexf"))),
        "graphml (networkx read_graphml)": from_networkx(nx.read_graphml(path("graph.graphml"))),
        "graphml (igraph Read_GraphML)": from_igraph(igraph.Graph.Read_GraphML(path("graph.graphml"))),
        "csv (csv module)": from_csv(directory),
    }
    svg_nodes = from_svg(path("graph.svg"))
    problems = []
    ref_name = "json (networkx node_link_graph)"
    ref_nodes, ref_edges = seen[ref_name]
    for name, (nodes, edges) in seen.items():
        if nodes != ref_nodes:
            diff = set(nodes.items()) ^ set(ref_nodes.items())
            problems.append(f"{name}: nodes differ from {ref_name}: {sorted(diff, key=repr)[:6]}")
        if edges != ref_edges:
            diff = (edges - ref_edges) + (ref_edges - edges)
            problems.append(f"{name}: edges differ from {ref_name}: {list(diff.items())[:6]}")
    if svg_nodes != ref_nodes:
        diff = set(svg_nodes.items()) ^ set(ref_nodes.items())
        problems.append(f"svg (xml.etree): nodes differ from {ref_name}: {sorted(diff, key=repr)[:6]}")
    if os.path.exists(path("expected.json")):
        with open(path("expected.json"), encoding="utf-8") as f:
            expected = json.load(f)["labels"]
        for name, (nodes, _) in list(seen.items()) + [("svg", (svg_nodes, None))]:
            labels = {label for label, _ in nodes.values()}
            missing = [l for l in expected if l not in labels]
            if missing:
                problems.append(f"{name}: labels not carried exactly: {missing!r}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"consumers: ok, {len(ref_nodes)} nodes and {sum(ref_edges.values())} edges in every format")


if __name__ == "__main__":
    main()
