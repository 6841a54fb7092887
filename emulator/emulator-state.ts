/**
 * Everything the emulator remembers, in one value: pools with their users, import jobs, uploaded CSV files
 * and CloudWatch Logs. Created per emulator instance (no module-level state); saved by `state-file.ts`.
 */
import type { LogsStore } from "./logs";
import type { PoolConfig } from "./pool-model";
import type { UsersStore } from "./users-store";
import type { PoolGroups } from "./groups";

/** An app client (CreateUserPoolClient): what sign-in needs of it. */
export interface AppClient {
  ClientId: string;
  ClientName: string;
  UserPoolId: string;
  ClientSecret?: string;
  ExplicitAuthFlows: string[];
  PreventUserExistenceErrors: "ENABLED" | "LEGACY";
  /** Minutes a challenge session lasts (3–15; absent: the default 3, auth-sessions.ts). */
  AuthSessionValidity?: number;
  /** ms since epoch */
  CreationDate: number;
}

/**
 * A message the emulator "sent": a reset code (ForgotPassword, AdminResetUserPassword), an invitation
 * (AdminCreateUser: `code` is the temporary password) or an SMS MFA code at sign-in (SMS_MFA, auth-sessions.ts).
 * Never returned by an AWS operation; read from the outbox.
 */
export interface SentCode {
  userPoolId: string;
  username: string;
  reason: "ForgotPassword" | "AdminResetUserPassword" | "AdminCreateUser" | "SMS_MFA";
  deliveryMedium: "EMAIL" | "SMS";
  destination: string;
  code: string;
  /** ms since epoch */
  sentAt: number;
}

export type JobStatus = "Created" | "Pending" | "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Failed" | "Expired";

export const ACTIVE_STATUSES: readonly JobStatus[] = ["Pending", "InProgress", "Stopping"];

export interface ImportJob {
  JobId: string;
  JobName: string;
  UserPoolId: string;
  CloudWatchLogsRoleArn: string;
  Status: JobStatus;
  /** ms since epoch (converted to seconds on the wire) */
  CreationDate: number;
  StartDate?: number;
  CompletionDate?: number;
  ImportedUsers: number;
  SkippedUsers: number;
  FailedUsers: number;
  CompletionMessage?: string;
  /** The pre-signed URL's signature and expiry (ms). */
  urlSignature: string;
  urlDate: string;
  urlExpires: number;
  uploaded: boolean;
  /** Data rows already processed (the resume point after a restart). */
  rowsDone?: number;
  /** Creation order, for "newest first". */
  seq: number;
}

export interface PoolState {
  config: PoolConfig;
  users: UsersStore;
  /** The pool's groups and memberships (groups.ts), created on first use. */
  groups?: PoolGroups;
}

export interface EmulatorState {
  pools: Map<string, PoolState>;
  jobs: Map<string, ImportJob>;
  /** Uploaded CSV bytes by job id. */
  uploads: Map<string, Buffer>;
  clients: Map<string, AppClient>;
  /** Codes sent, oldest first (in memory only). */
  sent: SentCode[];
  logs: LogsStore;
  jobSeq: number;
}
