/**
 * A full garbage collection on demand, for a command that works through a large input in bounded pieces
 * (`cognito-roster intake`: one users file of up to 10 MiB at a time). Validating one such file allocates a few hundred
 * megabytes that are garbage as soon as it returns; V8, free to grow its heap to gigabytes, otherwise defers
 * collecting them and the process's peak becomes the sum of several files' garbage instead of one file's.
 *
 * Node has no API for this; `gc` is exposed by V8's --expose-gc flag, which Node's documented
 * `v8.setFlagsFromString` can set at run time: a context created afterwards has `gc` (the flag only adds that
 * function; the process's other behaviour is unchanged).
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";

let collect: (() => void) | undefined;

export function fullCollection(): void {
  if (collect === undefined) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
}
