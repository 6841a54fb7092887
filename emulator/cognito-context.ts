/**
 * What every cognito-idp handler gets: the state, the import jobs, the clock, the account, the request's signing
 * Region and the faults — and the one way to find a pool, which is where Region scoping lives: a pool exists only
 * in its own Region ("Everything is regional"), so a pool id whose prefix is not the signing Region, or a client
 * signed for another Region, is told `User pool <id> does not exist.`
 */
import { poolNotFound } from "./errors";
import type { EmulatorState, PoolState } from "./emulator-state";
import type { FaultRegistry } from "./faults";
import type { ImportJobs } from "./import-jobs";
import { regionOfPoolId } from "./pool-model";

export interface CognitoContext {
  state: EmulatorState;
  jobs: ImportJobs;
  clock: () => number;
  accountId: string;
  region: string;
  /** Whether the request named its Region (SigV4 scope or regional host); unsigned calls such as InitiateAuth do not. */
  regionNamed: boolean;
  endpoint: string;
  faults: FaultRegistry;
  changed: () => void;
}

export type Input = Record<string, unknown>;
export type Handler = (ctx: CognitoContext, input: Input) => unknown;

export const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The pool with this id in the request's Region, or ResourceNotFoundException. */
export function pool(ctx: CognitoContext, id: string): PoolState {
  const p = ctx.state.pools.get(id);
  if (!p || regionOfPoolId(id) !== ctx.region) throw poolNotFound(id);
  return p;
}
