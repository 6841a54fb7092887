/**
 * AWS errors are matched by name, never by message or instanceof: the Pulumi provider is serialised and may load
 * a second copy of the SDK, whose error classes are not the first copy's.
 */
export function errorName(err: unknown): string {
  return typeof err === "object" && err !== null && "name" in err ? String((err as { name: unknown }).name) : "";
}
