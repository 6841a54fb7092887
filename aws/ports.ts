/**
 * The ports the engine reads and changes a pool through: small interfaces, each bound to one pool when made, each
 * with one real implementation (the adapters of this folder), as peribolos's org client is. engine/, providers/
 * and program/ know these interfaces and never an SDK client or a pool id to pass along (the import-graph test
 * checks it); a set of AwsClients is turned into ports once, at the edge (`poolPorts`).
 *
 * Read and change are separate interfaces: a plan takes only the read ones (UserReads, GroupReads, ImportJobList,
 * MessagingCapacity), so it cannot change the pool, and the preview role's actions are derived from the methods of
 * those interfaces (test/iam/policies.test.ts). For that derivation each method name is used once in this file and
 * bound to one adapter function (`name: (…) => adapter(…)`).
 */
import type { PoolUser } from "../core/pool-user";
import type { SesAccountReading } from "../core/messaging-capacity";
import type { AwsClients } from "./clients";
import { clientSite } from "./client-site";
import { addUserToGroup, listGroupMembers, listGroupNames, listUserGroups, removeUserFromGroup } from "./groups";
import { createImportJob, describeImportJob, getCsvHeader, type ImportJob, listImportJobs, startImportJob, uploadCsv } from "./import-jobs";
import { type ImportLogRead, type ImportLogJob, readJobLog, type ReadImportLogOptions } from "./import-log";
import { readSesAccount, readSmsAccount } from "./messaging-capacity";
import { listNeverSignedIn, type NeverSignedIn } from "./never-signed-in";
import {
  describeMfaFactors,
  describePool,
  getPoolUser,
  type PoolDescription,
  scanPoolUsers,
  setUserEnabled,
  updateUserAttributes,
} from "./pool-users";
import { type SendOutcome, sendSignInCode } from "./sign-in-codes";
import { userHasMfa } from "./user-mfa";

/** The pool and its users, read. In a pool with UsernameAttributes (`usernameAttributes`) users are named by email or phone. */
export interface UserReads {
  describePool(): Promise<PoolDescription>;
  /** One user by username (or an alias, or a `sub`), or null when the pool has no such user. */
  getUser(username: string, usernameAttributes?: readonly string[]): Promise<PoolUser | null>;
  /** Every user, a page at a time (a page may be short and still not be the last). */
  scanUsers(onPage: (users: PoolUser[]) => void, usernameAttributes?: readonly string[]): Promise<void>;
  /** The MFA factors the pool has enabled. */
  mfaFactors(): Promise<("sms" | "softwareToken" | "email")[]>;
  /** Whether a user has an MFA method set; undefined when no such user. */
  hasMfa(username: string): Promise<boolean | undefined>;
  /** The users who never set a password (RESET_REQUIRED), a page at a time. */
  neverSignedIn(onPage: (users: NeverSignedIn[]) => void, usernameAttributes?: readonly string[]): Promise<void>;
}

interface UserChanges {
  updateAttributes(username: string, attributes: Record<string, string>): Promise<void>;
  setEnabled(username: string, enabled: boolean): Promise<void>;
}

interface UsersPort extends UserReads, UserChanges {}

export interface GroupReads {
  groupNames(): Promise<Set<string>>;
  /** A group's members, a page at a time. */
  groupMembers(groupName: string, onPage: (usernames: string[]) => void, usernameAttributes?: readonly string[]): Promise<void>;
  /** The groups a user is in; null when the pool has no such user. */
  groupsOfUser(username: string): Promise<Set<string> | null>;
}

export interface GroupChanges {
  addToGroup(username: string, groupName: string): Promise<void>;
  removeFromGroup(username: string, groupName: string): Promise<void>;
}

interface GroupsPort extends GroupReads, GroupChanges {}

export interface ImportJobList {
  /** The pool's jobs, newest first; `pages` bounds how far back to look (60 jobs a page). */
  listImportJobs(pages?: number): Promise<ImportJob[]>;
}

export interface ImportJobsPort extends ImportJobList {
  csvHeader(): Promise<string[]>;
  createImportJob(jobName: string, logsRoleArn: string): Promise<ImportJob>;
  startImportJob(jobId: string): Promise<ImportJob>;
  describeImportJob(jobId: string): Promise<ImportJob>;
  /** PUT to the job's pre-signed URL (S3, not a Cognito call). */
  uploadCsv(preSignedUrl: string, csv: string, options?: { timeoutMs?: number }): Promise<void>;
}

export interface ImportLogPort {
  /** One pass over an import job's CloudWatch Logs stream (aws/import-log.ts). */
  readJobLog(job: ImportLogJob, options?: ReadImportLogOptions): Promise<ImportLogRead>;
}

export interface SignInCodesPort {
  sendSignInCode(username: string): Promise<SendOutcome>;
}

/** The account's SES and SNS capacity, in a named Region: account-level reads, not the pool's. */
export interface MessagingCapacity {
  sesAccount(region: string): Promise<SesAccountReading>;
  smsAccount(region: string): Promise<{ inSandbox: boolean; monthlySpendLimitUsd?: string }>;
}

/** Where the clients send (the engine checks the Region and refuses the samples on AWS). */
export interface ClientSite {
  signingRegion(): Promise<string>;
  endpoint(): Promise<string | undefined>;
}

/** The AWS calls the ports made so far, by operation (retries of one call count once). */
interface CallCount {
  total(): number;
  byOperation(): Record<string, number>;
}

export interface PoolPorts {
  userPoolId: string;
  users: UsersPort;
  groups: GroupsPort;
  importJobs: ImportJobsPort;
  importLog: ImportLogPort;
  signInCodes: SignInCodesPort;
  messaging: MessagingCapacity;
  site: ClientSite;
  calls: CallCount;
}

/** What a plan reads the pool through: read ports only. */
export interface PlanPorts {
  userPoolId: string;
  users: UserReads;
  groups: GroupReads;
  importJobs: ImportJobList;
  messaging: MessagingCapacity;
  calls: CallCount;
}

/** The ports of one pool over one set of clients (the clients' call counter counts every call). */
export function poolPorts(clients: AwsClients, userPoolId: string): PoolPorts {
  const { cognito, logs } = clients;
  return {
    userPoolId,
    users: {
      describePool: () => describePool(cognito, userPoolId),
      getUser: (username, names) => getPoolUser(cognito, userPoolId, username, names),
      scanUsers: (onPage, names) => scanPoolUsers(cognito, userPoolId, onPage, names),
      mfaFactors: () => describeMfaFactors(cognito, userPoolId),
      hasMfa: (username) => userHasMfa(cognito, userPoolId, username),
      neverSignedIn: (onPage, names) => listNeverSignedIn(cognito, userPoolId, onPage, names),
      updateAttributes: (username, attributes) => updateUserAttributes(cognito, userPoolId, username, attributes),
      setEnabled: (username, enabled) => setUserEnabled(cognito, userPoolId, username, enabled),
    },
    groups: {
      groupNames: () => listGroupNames(cognito, userPoolId),
      groupMembers: (group, onPage, names) => listGroupMembers(cognito, userPoolId, group, onPage, names),
      groupsOfUser: (username) => listUserGroups(cognito, userPoolId, username),
      addToGroup: (username, group) => addUserToGroup(cognito, userPoolId, username, group),
      removeFromGroup: (username, group) => removeUserFromGroup(cognito, userPoolId, username, group),
    },
    importJobs: {
      listImportJobs: (pages) => listImportJobs(cognito, userPoolId, pages),
      csvHeader: () => getCsvHeader(cognito, userPoolId),
      createImportJob: (jobName, logsRoleArn) => createImportJob(cognito, userPoolId, jobName, logsRoleArn),
      startImportJob: (jobId) => startImportJob(cognito, userPoolId, jobId),
      describeImportJob: (jobId) => describeImportJob(cognito, userPoolId, jobId),
      uploadCsv: (url, csv, options) => uploadCsv(url, csv, options),
    },
    importLog: { readJobLog: (job, options) => readJobLog(logs, userPoolId, job, options) },
    signInCodes: { sendSignInCode: (username) => sendSignInCode(cognito, userPoolId, username) },
    messaging: messagingCapacity(clients),
    site: clientSite(cognito),
    calls: clients.calls,
  };
}

/** The account's messaging capacity over the clients' per-Region SES and SNS clients. */
function messagingCapacity(clients: AwsClients): MessagingCapacity {
  return {
    sesAccount: (region) => readSesAccount(clients.ses(region)),
    smsAccount: (region) => readSmsAccount(clients.sns(region)),
  };
}
