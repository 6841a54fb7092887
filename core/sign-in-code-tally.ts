/**
 * The counts of a round of first sign-in codes (engine/send-sign-in-codes.ts keeps them), and the one line of
 * progress that reports them: names of refusals only, never a user (Cognito's messages can echo one). Pure.
 */

export interface CodeTally {
  sent: number;
  uncertain: number;
  refused: number;
  /** The refusals by error name (names only: Cognito's messages can echo the user). */
  refusedBy: Record<string, number>;
  /** Set when no code can be sent at all: sending stops. */
  problem?: string;
}

/** One line of counts (no personal data). */
export function describeTally({ sent, refused, refusedBy, uncertain, problem }: CodeTally): string {
  const reasons = Object.entries(refusedBy)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  return (
    `sign-in codes: ${sent} sent` +
    (refused > 0 ? `, ${refused} refused by Cognito (${reasons}; kept pending)` : "") +
    (uncertain > 0 ? `, ${uncertain} unanswered (counted as sent, never sent twice)` : "") +
    (problem ? `; ${problem}` : "")
  );
}
