/**
 * Stack config as the profile reads it (core/profile.ts): typed reads of the `cognito-roster:` settings' values, and
 * a CONFIG_INVALID diagnostic at the place of one that cannot be used.
 */
import type { Diagnostic, DiagnosticCode } from "./diagnostics";
import type { ProfileKey } from "./profile";

export const CONFIG_NAMESPACE = "cognito-roster";

/** Where a config value was found, for diagnostics; `line` and `col` are 1-based. */
export interface Place {
  file: string;
  line: number;
  col: number;
}

/**
 * Where a setting is: its value (no `at`), its key (`"key"`), or a value nested in it (a path of mapping keys and
 * list indexes, e.g. `["tisId", "maxLength"]`); the value's place when the path is not there.
 */
export type PlaceOf = (key: string, at?: "key" | readonly (string | number)[]) => Place;

/** A profile setting's name in stack config. */
export function setting(key: ProfileKey): string {
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** Typed reads of stack config values; a value that cannot be used is a CONFIG_INVALID diagnostic at its place. */
export class StackSettings {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly config: Record<string, unknown>,
    readonly placeOf: PlaceOf,
  ) {}

  get(key: string): unknown {
    return parseIfJson(this.config[key]);
  }

  fail(key: string, message: string, at?: readonly (string | number)[]): void {
    this.diagnostics.push(configError(this.placeOf(key, at), "CONFIG_INVALID", `${key}: ${message}`));
  }

  /** `fail` for one setting, for parsers that know only the value. */
  failer(key: string): (message: string) => void {
    return (message) => this.fail(key, message);
  }

  text(key: string, required: boolean): string | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) {
      if (required) this.fail(key, "is required");
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") {
      this.fail(key, `must be a non-empty string (got ${describeConfigValue(v)})`);
      return undefined;
    }
    if (v.trim() !== v) {
      // "eu-west-2 " is not a Region: a value is used exactly as written, so whitespace is never trimmed silently.
      this.fail(key, `${JSON.stringify(v)} has whitespace at its start or end: remove it`);
      return undefined;
    }
    return v;
  }

  flag(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    this.fail(key, `must be true or false (got ${describeConfigValue(v)})`);
    return fallback;
  }

  /** One of `allowed`; with no fallback the setting is required. */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(key, `is required (one of ${allowed.join(", ")})`);
      return fallback;
    }
    if (!allowed.includes(v as T)) {
      this.fail(key, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v as T;
  }

  names(key: string): string[] {
    const v = this.get(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(key, "must be a list of attribute names");
      return [];
    }
    return v as string[];
  }
}

/** A config value in a message: its YAML type and, for scalars, the value. */
export function describeConfigValue(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object" && v !== null) return "a mapping";
  return JSON.stringify(v) ?? String(v);
}

/** Pulumi hands structured config to providers as JSON text. */
function parseIfJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

export function configError(place: Place, code: DiagnosticCode, message: string): Diagnostic {
  return { ...place, severity: "error", code, message };
}
