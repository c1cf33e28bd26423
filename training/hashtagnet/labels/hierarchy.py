"""A manifest's class hierarchy in index form, built and checked as the server builds it (src/bundle/hierarchy.ts)."""

from __future__ import annotations

from dataclasses import dataclass


class HierarchyError(ValueError):
    """The manifest's hierarchy is inconsistent; the messages are the server's, word for word."""


@dataclass(frozen=True)
class Hierarchy:
    """Nodes by index: ids, display names (class names for classes), parents, classes below, longest depth from root,
    and the node of each class in output order."""

    root: int
    ids: tuple[str, ...]
    names: tuple[str, ...]
    parents: tuple[tuple[int, ...], ...]
    leaves: tuple[tuple[int, ...], ...]  # output indices of the classes at or below each node, ascending, each once
    depth: tuple[int, ...]
    class_nodes: tuple[int, ...]

    def ancestors(self, class_index: int) -> set[str]:
        """Ids of the class's node and of every node above it, through all parents."""
        seen, todo = set(), [self.class_nodes[class_index]]
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(self.parents[node])
        return {self.ids[node] for node in seen}


def _index_nodes(nodes: list[dict]) -> tuple[dict[str, int], list[list[int]]]:
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node["id"] in index:
            raise HierarchyError(f"hierarchy lists {node['id']} twice")
        index[node["id"]] = i
    parents = []
    for node in nodes:
        unknown = [p for p in node["parents"] if p not in index]
        if unknown:
            raise HierarchyError(f"hierarchy: {node['id']} has unknown parent {unknown[0]}")
        parents.append([index[p] for p in node["parents"]])
    return index, parents


def _topological_order(parents: list[list[int]], root: int) -> list[int]:
    """Parents before children; raises on a second parentless node or a cycle."""
    children: list[list[int]] = [[] for _ in parents]
    pending = [len(p) for p in parents]
    for child, own in enumerate(parents):
        for parent in own:
            children[parent].append(child)
    ready = [i for i, own in enumerate(parents) if not own]
    if ready != [root]:
        raise HierarchyError("hierarchy: the root must be the only node without parents")
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in children[node]:
            pending[child] -= 1
            if pending[child] == 0:
                ready.append(child)
    if len(order) != len(parents):
        raise HierarchyError("hierarchy: the hypernym graph has a cycle")
    return order


def _collect_leaves(parents: list[list[int]], class_nodes: list[int]) -> tuple[tuple[int, ...], ...]:
    lists: list[list[int]] = [[] for _ in parents]
    for class_index, start in enumerate(class_nodes):
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            lists[node].append(class_index)
            for parent in parents[node]:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
    return tuple(tuple(below) for below in lists)


def build_hierarchy(classes: list[dict], hierarchy: dict | None) -> Hierarchy:
    """The index form of a caption manifest's `classes` and `hierarchy`; raises HierarchyError when inconsistent."""
    if not hierarchy:
        raise HierarchyError("caption manifest has no hierarchy")
    nodes = hierarchy["nodes"]
    index, parents = _index_nodes(nodes)
    root = index.get(hierarchy["root"])
    if root is None:
        raise HierarchyError(f"hierarchy root {hierarchy['root']} is not a node")
    depth = [0] * len(nodes)
    for node in _topological_order(parents, root):
        for parent in parents[node]:
            depth[node] = max(depth[node], depth[parent] + 1)
    names = [node["name"] for node in nodes]
    class_nodes = []
    for cls in classes:
        if cls["id"] not in index:
            raise HierarchyError(f"class {cls['id']} is missing from the hierarchy")
        class_nodes.append(index[cls["id"]])
        names[index[cls["id"]]] = cls["name"]
    return Hierarchy(root, tuple(n["id"] for n in nodes), tuple(names), tuple(tuple(p) for p in parents),
                     _collect_leaves(parents, class_nodes), tuple(depth), tuple(class_nodes))
