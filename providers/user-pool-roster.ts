/**
 * The UserPoolRoster dynamic resource: one per user pool, owning the users its users files declare.
 *
 * This file is a thin shell: Pulumi serialises the provider object into the state, and that object is a shim
 * (user-pool-roster-provider.ts) that loads the engine (roster-engine-entry.ts, compiled to dist/) at call time.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PoolProfile } from "../core/profile";
import { userPoolRosterProvider } from "./user-pool-roster-provider";

export interface UserPoolRosterArgs {
  /** The users directory, relative to the Pulumi project root (e.g. "users"). */
  usersDir: pulumi.Input<string>;
  /** The pool profile from stack config: no personal data. */
  profile: pulumi.Input<PoolProfile>;
  /** The CloudWatch Logs role every import job uses. */
  logsRoleArn: pulumi.Input<string>;
  /** rosterDigest() of the declared users as on `today`: changes whenever any user is added, removed or changed, or a date passes. */
  rosterDigest: pulumi.Input<string>;
  /** The day (yyyy-mm-dd, in the stack's time zone) whose access this `up` applies: fixed once, for the digest and the apply. */
  today?: pulumi.Input<string>;
}

export class UserPoolRoster extends pulumi.dynamic.Resource {
  public readonly userPoolId!: pulumi.Output<string>;
  /** Number of users the roster manages (declared and applied). */
  public readonly managedUsers!: pulumi.Output<number>;
  /** What the last create/update did: counts, import jobs run, AWS calls made. */
  public readonly lastApply!: pulumi.Output<Record<string, unknown>>;
  /** Users the last apply could not bring to their declared state, as `file:line: reason` (no personal data). */
  public readonly failedUsers!: pulumi.Output<string[]>;

  constructor(name: string, args: UserPoolRosterArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userPoolRosterProvider,
      name,
      {
        userPoolId: undefined,
        managedUsers: undefined,
        lastApply: undefined,
        failedUsers: undefined,
        applied: undefined,
        pool: undefined,
        ...args,
      },
      opts,
      "cognito-roster",
      "UserPoolRoster",
    );
  }
}
