/**
 * Dates in the files: a user's access runs from `startDate` (inclusive) until `endDate` (exclusive), whole days in
 * the stack's time zone (`cognito-roster:timeZone`, default Europe/London). Outside that window a declared user is
 * planned as a leaver — not imported if they have no account, disabled and out of every managed group if they
 * have one — so a date that passes changes that user's digest, and the next (daily) apply looks up exactly the
 * users whose day came: O(changes), never a scan.
 *
 * Pure: "today" is computed from an instant the caller passes (the engine's clock), never read here.
 */
import type { DeclaredUser } from "./declared-user";
import { officeOfFile } from "./plan-groups";

export const DEFAULT_TIME_ZONE = "Europe/London";

/** How far ahead a plan shows the starts and ends due. */
const DATES_DUE_WITHIN_DAYS = 14;

/** True when `timeZone` is an IANA zone this runtime knows (Intl's own check). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (yyyy-mm-dd) at instant `epochMs` in `timeZone`. */
export function dateInZone(timeZone: string, epochMs: number): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(
    new Date(epochMs),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** `iso` plus `days` calendar days. @internal */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Whether the user's dates give them access on `today` (ISO dates compare as text). */
export function hasAccessOn(user: Pick<DeclaredUser, "startDate" | "endDate">, today: string): boolean {
  return (user.startDate === undefined || user.startDate <= today) && (user.endDate === undefined || today < user.endDate);
}

/**
 * The users as they are to be on `today`: a user outside their dates is a leaver with no groups. Idempotent, and
 * users without dates are returned as they are.
 */
export function accessOnDate(users: readonly DeclaredUser[], today: string): DeclaredUser[] {
  return users.map((user) => {
    if (hasAccessOn(user, today) || (!user.enabled && user.groups === undefined)) return user;
    const { groups: _groups, ...rest } = user;
    return { ...rest, enabled: false };
  });
}

export interface DateDue {
  kind: "start" | "end";
  date: string;
  username: string;
  file: string;
  line: number;
  /** The office folder of the user's file. */
  office: string;
}

/**
 * Starts and ends due after `today` and within `withinDays`, and the start of every user in `alsoStarting` (a
 * user this plan would otherwise import: "starts 2027-08-04") — by date, then file and line.
 */
export function datesDue(
  users: readonly DeclaredUser[],
  today: string,
  usersDir: string,
  alsoStarting: ReadonlySet<string> = new Set(),
  withinDays = DATES_DUE_WITHIN_DAYS,
): DateDue[] {
  const last = addDays(today, withinDays);
  const due: DateDue[] = [];
  for (const user of users) {
    const place = {
      username: user.username,
      file: user.source.file,
      line: user.source.line,
      office: officeOfFile(user.source.file, usersDir),
    };
    const { startDate, endDate } = user;
    if (startDate !== undefined && today < startDate && (startDate <= last || alsoStarting.has(user.username)))
      due.push({ kind: "start", date: startDate, ...place });
    if (endDate !== undefined && today < endDate && endDate <= last) due.push({ kind: "end", date: endDate, ...place });
  }
  return due.sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line,
  );
}
