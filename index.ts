/**
 * cognito-roster's Pulumi program. Pulumi calls the exported function and publishes what it returns as the stack
 * outputs; everything it does is in program/roster-program.ts (kept there so tests can run it under mocks).
 */
import { rosterProgram } from "./program/roster-program";

export = rosterProgram;
