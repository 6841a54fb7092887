/**
 * RosterFailures: makes `pulumi up` fail loudly while any declared user could not be applied.
 *
 * Why a resource of its own: the roster records what did succeed as ordinary outputs, which have no size limit
 * worth the name. Pulumi's other way to fail after a partial success — an error carrying the properties — sends
 * them in one gRPC trailer, which the Node.js dynamic-provider host cannot send past 64 KB: the call never answers.
 * The serialised provider is a few KB now, but the applied digests (~61 bytes a user with its `sub`) pass 64 KB
 * at about a thousand users. So the roster always records, and this resource, fed the roster's failedUsers, fails the
 * deployment with their file:line and reason. The next `up` retries only them. Its own provider is small and
 * self-contained, so it is serialised whole (it needs no engine).
 */
import * as pulumi from "@pulumi/pulumi";

export interface RosterFailuresArgs {
  /** `file:line: reason` per user the last apply could not bring to its declared state. */
  failedUsers: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * One failure line as it may appear in Pulumi's preview comment (a raw `<pre>`) and the CI log: control, bidi and
 * invisible characters and `<` / `&` escaped, as core/untrusted-text.ts's preformattedLine does. Written out here
 * because this provider is serialised whole and imports nothing of the product.
 */
function preformatted(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff<&]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

function failIfAny(inputs: Record<string, unknown>): { failedUsers: string[] } {
  const failed = Array.isArray(inputs.failedUsers) ? (inputs.failedUsers as string[]) : [];
  if (failed.length > 0) {
    const shown = failed.slice(0, 50).map(preformatted).join("\n");
    const more = failed.length > 50 ? `\n… and ${failed.length - 50} more (stack output failedUsers)` : "";
    throw new Error(
      `${failed.length} declared user(s) could not be applied; everything else was applied and recorded, ` +
        `and the next update retries only these:\n${shown}${more}`,
    );
  }
  return { failedUsers: [] };
}

/** @internal exported for its tests */
export const rosterFailuresProvider = {
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const before = Array.isArray(olds.failedUsers) ? olds.failedUsers : [];
    const after = Array.isArray(news.failedUsers) ? news.failedUsers : [];
    // Failures must be raised again on every update until they are gone.
    return { changes: after.length > 0 || JSON.stringify(before) !== JSON.stringify(after) };
  },
  async create(inputs: Record<string, unknown>) {
    return { id: "roster-failures", outs: failIfAny(inputs) };
  },
  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: failIfAny(news) };
  },
};

export class RosterFailures extends pulumi.dynamic.Resource {
  constructor(name: string, args: RosterFailuresArgs, opts?: pulumi.CustomResourceOptions) {
    super(rosterFailuresProvider, name, { ...args }, opts, "cognito-roster", "RosterFailures");
  }
}
