/** Shares of the users files for threads (core/work-shares.ts): every file once, similar sizes, each share in path order. */
import { splitBySize } from "../../core/work-shares";

const sized = (...sizes: number[]) => sizes.map((size, i) => ({ absolutePath: `/f${i}`, file: `f${i}`, size }));

it("splits files into shares of similar size, each in path order", () => {
  const files = [10, 50, 30, 20, 40].map((size, i) => ({ absolutePath: `/f${i}`, file: `f${i}`, size }));
  const shares = splitBySize(files, 2);
  expect(shares.flat().sort()).toEqual([0, 1, 2, 3, 4]);
  const bytes = shares.map((s) => s.reduce((sum, i) => sum + files[i].size, 0));
  expect(Math.abs(bytes[0] - bytes[1])).toBeLessThanOrEqual(20);
  for (const share of shares) expect(share).toEqual([...share].sort((a, b) => a - b));
});

test.each([
  ["no files: no shares", sized(), 3, []],
  ["one share takes every file, in path order", sized(5, 1, 3), 1, [[0, 1, 2]]],
  ["fewer files than shares: no empty share", sized(7, 9), 4, [[1], [0]]],
  [
    "largest first to the lightest share (a tie goes to the first)",
    sized(10, 50, 30, 20, 40),
    2,
    [
      [0, 1, 3],
      [2, 4],
    ],
  ],
  [
    "equal sizes go round the shares in path order",
    sized(1, 1, 1, 1),
    2,
    [
      [0, 2],
      [1, 3],
    ],
  ],
  ["one huge file gets a share of its own", sized(1000, 1, 1, 1), 2, [[0], [1, 2, 3]]],
])("splitBySize: %s", (_name, files, count, shares) => {
  expect(splitBySize(files, count)).toEqual(shares);
});
