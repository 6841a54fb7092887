/**
 * One family of the fault matrix as one jest test file (issue 8 item 6, issue 20 item 5). The matrix was one file of
 * ~60 rows (three minutes, a third of CI) that jest could not spread over its workers; each family now declares its
 * rows through `matrixSuite`, which gives it the shared virtual clock, records its rows, and ends with the test that
 * compares them with the family's section of RELIABILITY.md (tests never write tracked files). The script writes
 * every family's section first, one file after another:
 *
 *   npm run reliability
 *
 * Every row must read 0 users lost, 0 duplicated, converged after at most one re-run; with sign-in codes on, 0 codes
 * sent twice, 0 owed and never sent, and the emulator's delivered codes equal to the HTTP-level count.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { FastClock } from "./fast-clock";
import { MATRIX_FAMILIES, type MatrixFamilyId, type MatrixRow, renderSection, sectionOf, stableRows, withSection } from "./matrix-report";
import { runScenario, type Scenario } from "./matrix-scenario";

const ROOT = path.resolve(__dirname, "../..");
const REPORT = path.join(ROOT, "RELIABILITY.md");
const COMMAND = "npm run reliability";
/** Set by `npm run reliability`: write this family's section of RELIABILITY.md before comparing with it. */
const WRITE_REPORT = process.env.ROSTER_WRITE_RELIABILITY === "1";

type ScenarioResult = MatrixRow & { operations: string[] };

interface MatrixSuite {
  /** The virtual clock the engine and every scenario's emulator share (installed for the file's tests). */
  readonly clock: FastClock;
  /** Runs a scenario and records its row. */
  row(scenario: Scenario): Promise<ScenarioResult>;
  /** Declares one matrix row as one test: it passes when the row does. */
  matrixRow(name: string, scenario: () => Scenario): void;
  /** Adds to the rows the file must have recorded before it is compared (for tests that record rows themselves). */
  expectRows(count: number): void;
  /** Records rows run outside `row` (e.g. several scenarios at once). */
  record(results: readonly ScenarioResult[]): void;
}

/** The checks every row must pass, as one comparison (a failure shows the row's fault and what differs). */
export function expectRowPasses(r: MatrixRow): void {
  expect({
    fault: r.fault,
    lost: r.lost,
    duplicated: r.duplicated,
    reruns: r.reruns,
    notes: r.notes.filter((n) => n.startsWith("FAIL")),
  }).toEqual({
    fault: r.fault,
    lost: 0,
    duplicated: 0,
    reruns: r.reruns !== undefined && r.reruns <= 1 ? r.reruns : "≤ 1",
    notes: [],
  });
}

function withoutOperations(result: ScenarioResult): MatrixRow {
  const { operations: _operations, ...matrixRow } = result;
  return matrixRow;
}

/** Declares the family's rows (in `declare`), then the test comparing them with RELIABILITY.md. */
export function matrixSuite(id: MatrixFamilyId, declare: (suite: MatrixSuite) => void): void {
  const family = MATRIX_FAMILIES.find((f) => f.id === id);
  const clock = new FastClock();
  const rows: MatrixRow[] = [];
  let expectedRows = 0;
  const began = Date.now();

  const suite: MatrixSuite = {
    clock,
    async row(scenario) {
      const result = await runScenario(scenario, { clock });
      rows.push(withoutOperations(result));
      return result;
    },
    matrixRow(name, scenario) {
      expectedRows++;
      test(name, async () => expectRowPasses(await suite.row(scenario())), 120_000);
    },
    expectRows(count) {
      expectedRows += count;
    },
    record(results) {
      rows.push(...results.map(withoutOperations));
    },
  };

  describe(`fault matrix: ${family?.title ?? id}`, () => {
    beforeAll(() => {
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
      clock.install();
    });
    afterAll(() => clock.uninstall());

    declare(suite);

    // Declared last, so it runs after every row. Compares what does not vary between runs (the date, Node, timings,
    // job ids and the exact wording of a line may): each row's fault, how, run, exit, users lost and duplicated,
    // re-runs. `npm run reliability` first writes this family's section from these rows.
    test(`RELIABILITY.md's "${id}" section is these rows (regenerate it with \`${COMMAND}\`)`, () => {
      if (rows.length !== expectedRows) return; // a filtered run (jest -t) has only some rows: nothing to compare
      if (WRITE_REPORT) {
        const meta = { command: COMMAND, date: new Date().toISOString().slice(0, 10), node: process.versions.node };
        const section = renderSection(id, rows, { ...meta, seconds: Math.round((Date.now() - began) / 1000) });
        writeFileSync(REPORT, withSection(readFileSync(REPORT, "utf8"), COMMAND, id, section));
      }
      const committed = stableRows(sectionOf(readFileSync(REPORT, "utf8"), id) ?? "");
      const now = stableRows(renderSection(id, rows, { command: COMMAND, date: "", node: "", seconds: 0 }));
      expect(now).toEqual(committed);
    });
  });
}
