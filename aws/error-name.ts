/**
 * AWS errors are matched by name, never by message or instanceof: the name is what the AWS documentation lists,
 * and each SDK client package (and each copy of it in node_modules) has error classes of its own.
 */
export function errorName(err: unknown): string {
  return typeof err === "object" && err !== null && "name" in err ? String((err as { name: unknown }).name) : "";
}
