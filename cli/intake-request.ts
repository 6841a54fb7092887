/**
 * What `cognito-roster intake` was asked to do, as its command line (cli/intake-command.ts) resolved it: absolute
 * paths, the stack's profile, the column mapping and the value options; and how a path is shown to the user.
 */
import * as path from "node:path";
import type { DateFormat, DefaultCountry } from "../core/intake-cell-values";
import type { PoolProfile } from "../core/profile";

export interface IntakeRequest {
  repoRoot: string;
  csvPath: string;
  usersDir: string;
  target: string;
  profile: PoolProfile;
  columnMap: Map<string, string>;
  defaultCountry?: DefaultCountry;
  dateFormat?: DateFormat;
  dryRun: boolean;
  /** --group: groups every new trainee is put in (each one the stack manages). */
  groups: string[];
}

/** A path as the user sees it: relative to the repository root, with forward slashes. */
export function display(request: IntakeRequest, file: string): string {
  return path.relative(request.repoRoot, file).split(path.sep).join("/");
}
