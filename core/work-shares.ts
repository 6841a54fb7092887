/**
 * How the users files of a large tree are shared between threads (load/load-roster-parallel.ts): shares of similar
 * total size, so that no thread waits long for another, each in path order, so that a share's results come back in
 * the order the report needs.
 */

/** Indexes of `files` split into `count` shares of similar total size (largest file first to the lightest share). */
export function splitBySize(files: readonly { readonly size: number }[], count: number): number[][] {
  const shares = Array.from({ length: count }, () => ({ bytes: 0, indexes: [] as number[] }));
  const bySizeDescending = files.map((_, i) => i).sort((a, b) => files[b].size - files[a].size);
  for (const index of bySizeDescending) {
    let lightest = shares[0];
    for (const share of shares) if (share.bytes < lightest.bytes) lightest = share;
    lightest.bytes += files[index].size;
    lightest.indexes.push(index);
  }
  return shares.filter((s) => s.indexes.length > 0).map((s) => s.indexes.sort((a, b) => a - b));
}
