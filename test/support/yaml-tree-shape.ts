/**
 * What the parser-agreement tests compare between the fast YAML path and the yaml package: every path of a plain
 * value, and the shape the yaml package gives a flow sequence and its items.
 */
import { isScalar, isSeq, type Node } from "yaml";

/** Every path in a plain value, with whether its last segment is a mapping key. */
export function allPaths(value: unknown, prefix: (string | number)[] = []): { path: (string | number)[]; key?: string }[] {
  const out: { path: (string | number)[]; key?: string }[] = [{ path: prefix }];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...allPaths(v, [...prefix, i]));
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: prefix, key: k });
      out.push(...allPaths(v, [...prefix, k]));
    }
  }
  return out;
}

/** What the yaml package sets on a flow sequence and its scalar items; undefined for any other node. */
export function flowShape(node: Node | undefined): unknown {
  if (!isSeq(node) || !node.flow) return undefined;
  const items = node.items.map((item) =>
    isScalar(item)
      ? {
          class: item.constructor.name,
          type: item.type,
          source: item.source,
          value: item.value,
          valueType: typeof item.value,
          range: item.range,
        }
      : { class: (item as object | null)?.constructor.name },
  );
  return { class: node.constructor.name, flow: node.flow, range: node.range, comment: node.comment, items };
}
