/**
 * The flags most commands share, for their tables (core/flag-table.ts: the shape of a command's table, and the usage
 * line and --help derived from it). The `parseArgs` options come from the same table (cli/command-line.ts) and the
 * README's command table is checked against it (test/cli/flag-table.test.ts), so a flag is added or changed in one
 * place.
 */
/** The flags most commands share; a command may say more in its own help (`{ ...STACK_FLAG, help: "…" }`). */
export const USERS_FLAG = { type: "string", default: "users", value: "DIR", help: "the users folder (default users)" } as const;
export const STACK_FLAG = {
  type: "string",
  default: "dev",
  value: "NAME",
  help: "the stack whose Pulumi.NAME.yaml describes the pool (default dev)",
} as const;
export const APPLIED_FLAG = {
  type: "string",
  value: "FILE",
  help: "the record of the last apply (default .roster/applied-STACK.json)",
} as const;
