/**
 * The sessions of sign-in challenges (SMS_MFA), as the API reference describes them: InitiateAuth or
 * AdminInitiateAuth answers a challenge with a `Session`, "passed both ways in challenge-response calls", which
 * RespondToAuthChallenge / AdminRespondToAuthChallenge must return with the answer before it expires — the app
 * client's AuthSessionValidity, "the duration, in minutes, of that session token … between 3 and 15, with a default
 * value of 3" (UserPoolClientType). A session answered correctly is spent. The SMS_MFA code itself goes to the
 * outbox ("SMS_MFA: Next challenge is to supply an SMS_MFA_CODE, delivered via SMS", ChallengeNameType), so a
 * person on the emulator can read it. Kept in memory only, per emulator state.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { EmulatorState, PoolState } from "./emulator-state";
import type { StoredUser } from "./users-store";

export interface ChallengeSession {
  userPoolId: string;
  clientId: string;
  username: string;
  challenge: "SMS_MFA";
  code: string;
  /** ms since epoch */
  expires: number;
}

const sessions = new WeakMap<EmulatorState, Map<string, ChallengeSession>>();

function sessionsOf(state: EmulatorState): Map<string, ChallengeSession> {
  let map = sessions.get(state);
  if (!map) {
    map = new Map();
    sessions.set(state, map);
  }
  return map;
}

/** Default AuthSessionValidity (UserPoolClientType: "default value of 3" minutes). */
export const DEFAULT_AUTH_SESSION_MINUTES = 3;

/** Starts an SMS_MFA challenge: the code goes to the outbox (SMS to the user's phone_number), the session is kept. */
export function startSmsMfa(
  state: EmulatorState,
  p: PoolState,
  u: StoredUser,
  client: { ClientId: string; AuthSessionValidity?: number },
  now: number,
): string {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const session = randomBytes(48).toString("base64url");
  const minutes = client.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_MINUTES;
  sessionsOf(state).set(session, {
    userPoolId: p.config.id,
    clientId: client.ClientId,
    username: u.username,
    challenge: "SMS_MFA",
    code,
    expires: now + minutes * 60_000,
  });
  state.sent.push({
    userPoolId: p.config.id,
    username: u.username,
    reason: "SMS_MFA",
    deliveryMedium: "SMS",
    destination: u.attributes.phone_number,
    code,
    sentAt: now,
  });
  return session;
}

/** The live session, or undefined when unknown, spent or of another client; "expired" when past its validity. */
export function findSession(
  state: EmulatorState,
  session: string,
  clientId: string,
  now: number,
): ChallengeSession | "expired" | undefined {
  const found = sessionsOf(state).get(session);
  if (!found || found.clientId !== clientId) return undefined;
  if (now > found.expires) {
    sessionsOf(state).delete(session);
    return "expired";
  }
  return found;
}

/** Spends a session answered correctly. */
export function endSession(state: EmulatorState, session: string): void {
  sessionsOf(state).delete(session);
}
