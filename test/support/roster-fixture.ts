/**
 * Builds throw-away roster checkouts for engine and provider tests: a temporary directory with users files of
 * synthetic trainees, and a pool profile like the dev stack's with its own pool id.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PoolProfile } from "../../core/profile";

export const LOGS_ROLE = "arn:aws:iam::000000000000:role/cognito-roster-import-logs";

let poolCounter = 0;

/** The dev stack's trainee pool, under a pool id of its own. */
export function traineeProfile(overrides: Partial<PoolProfile> = {}): PoolProfile {
  poolCounter += 1;
  return {
    region: "eu-west-2",
    userPoolId: `eu-west-2_Roster${String(poolCounter).padStart(4, "0")}${process.pid}`,
    userPoolName: "trainee-information-system",
    autoVerifiedAttributes: ["email"],
    mfaConfiguration: "ON",
    requiredAttributes: ["email"],
    customAttributes: { tisId: { type: "String", minLength: 1, maxLength: 20 } },
    usernameCaseSensitive: false,
    usernameMustEqualEmail: true,
    logsRoleArn: LOGS_ROLE,
    attributeChanges: "update",
    removedUsers: "retain",
    maxRemovalFraction: 0.25,
    usernameAttributes: [],
    aliasAttributes: [],
    attributesRequireVerificationBeforeUpdate: [],
    emailSendingAccount: "COGNITO_DEFAULT",
    ...overrides,
  };
}

export interface TraineeSpec {
  n: number;
  givenName?: string;
  enabled?: boolean;
  tisId?: string;
  /** The user's `groups:` (groups the stack manages). */
  groups?: string[];
}

export function traineeEmail(n: number): string {
  return `trainee.${String(n).padStart(4, "0")}@example.nhs.uk`;
}

/** A mobile in the synthetic range +447700900000–999, from n (two trainees may share one, as real data never would). */
export function traineePhone(n: number): string {
  return `+447700900${String(n % 1000).padStart(3, "0")}`;
}

/**
 * A users file text for the given trainees (username = email, MFA on, email verified, a mobile for the second
 * factor, as the team's notes and the dev stack ask).
 */
export function usersFileText(trainees: readonly TraineeSpec[]): string {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "users:"];
  for (const t of trainees) {
    lines.push(`  - username: ${traineeEmail(t.n)}`, `    email: ${traineeEmail(t.n)}`);
    lines.push(`    given_name: ${t.givenName ?? "Testname"}`, `    family_name: Synthetic`);
    lines.push(`    phone_number: "${traineePhone(t.n)}"`);
    lines.push(`    custom:tisId: "${t.tisId ?? String(700000 + t.n)}"`);
    if (t.enabled === false) lines.push("    enabled: false");
    if (t.groups !== undefined) lines.push(`    groups: [${t.groups.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

export interface RosterCheckout {
  repoRoot: string;
  usersDir: string;
  /** Writes (or replaces) users/<relative>. */
  write(relative: string, trainees: readonly TraineeSpec[]): void;
  /** Writes (or replaces) users/<relative> with this text. */
  writeText(relative: string, text: string): void;
  remove(relative: string): void;
  /** Removes every users file. */
  reset(): void;
  cleanup(): void;
}

export function makeCheckout(): RosterCheckout {
  const repoRoot = mkdtempSync(path.join(tmpdir(), "roster-"));
  const usersDir = path.join(repoRoot, "users");
  mkdirSync(usersDir);
  return {
    repoRoot,
    usersDir,
    write(relative, trainees) {
      this.writeText(relative, usersFileText(trainees));
    },
    writeText(relative, text) {
      const file = path.join(usersDir, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    },
    remove(relative) {
      rmSync(path.join(usersDir, relative));
    },
    reset() {
      rmSync(usersDir, { recursive: true, force: true });
      mkdirSync(usersDir);
    },
    cleanup() {
      rmSync(repoRoot, { recursive: true, force: true });
    },
  };
}

export function range(from: number, to: number): TraineeSpec[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ n: from + i }));
}

/**
 * A users file for a pool with email as a sign-in alias, which refuses email-shaped usernames: each trainee's
 * username is `tis-<tisId>` and their email `traineeEmail(emailN ?? n)`, so an address can change under the same
 * username. Everyone is in the managed group `trainees`, the first trainee also in `kss-admins`.
 */
export function aliasPoolFileText(trainees: readonly (TraineeSpec & { emailN?: number })[]): string {
  const lines = ["defaults:", "  mfa_enabled: true", "  email_verified: true", "  groups: [trainees]", "users:"];
  for (const [i, t] of trainees.entries()) {
    const tisId = t.tisId ?? String(700000 + t.n);
    lines.push(`  - username: tis-${tisId}`, `    email: ${traineeEmail(t.emailN ?? t.n)}`);
    lines.push(`    given_name: ${t.givenName ?? "Testname"}`, "    family_name: Synthetic");
    lines.push(`    phone_number: "${traineePhone(t.n)}"`, `    custom:tisId: "${tisId}"`);
    if (i === 0) lines.push("    groups: [kss-admins]");
  }
  return `${lines.join("\n")}\n`;
}

/** What a rename test checks of one account: enabled, sub, email and its verified flag, its groups (sorted). */
export async function accountView(cognito: CognitoIdentityProviderClient, userPoolId: string, username: string) {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
  const groups = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }));
  const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
  return {
    enabled: user.Enabled,
    sub: attribute("sub"),
    email: attribute("email"),
    verified: attribute("email_verified"),
    groups: (groups.Groups ?? []).map((g) => g.GroupName).sort(),
  };
}
