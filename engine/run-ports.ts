/**
 * The ports a plan or apply reads and changes the pool through (aws/ports.ts): the caller's — checked to be bound
 * to the run's pool and to sign for its Region — or ports over clients of the run's own, destroyed when it ends.
 */
import { createAwsClients } from "../aws/clients";
import { type PoolPorts, poolPorts } from "../aws/ports";
import { checkRegion } from "../core/pool-region";
import { RosterConfigError } from "../core/roster-errors";

interface RunPorts {
  ports: PoolPorts;
  /** Destroys the clients the run made itself; the caller's are the caller's. */
  close(): void;
}

/** The run's ports; RosterConfigError when the Region is not the pool's or the given ports are another pool's. */
export async function openRunPorts(
  profile: { region?: string; userPoolId: string },
  given: PoolPorts | undefined,
  onRetry?: (message: string) => void,
): Promise<RunPorts> {
  const { userPoolId } = profile;
  const region = checkRegion(profile.region, userPoolId);
  if (given === undefined) {
    const own = createAwsClients(region, userPoolId, { onRetry });
    return { ports: poolPorts(own, userPoolId), close: () => own.destroy() };
  }
  if (given.userPoolId !== userPoolId)
    throw new RosterConfigError(`the AWS ports are bound to pool ${given.userPoolId}, but the run is for pool ${userPoolId}`);
  const clientRegion = await given.site.signingRegion();
  if (clientRegion !== region) throw new RosterConfigError(`the AWS client is for ${clientRegion}, but pool ${userPoolId} is in ${region}`);
  return { ports: given, close: () => undefined };
}
