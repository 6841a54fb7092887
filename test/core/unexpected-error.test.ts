/**
 * core/unexpected-error.ts: an error no command caught, in one line — never a stack trace, never credentials.
 */
import { describeUnexpected } from "../../core/unexpected-error";

test.each([
  {
    what: "a busy port, named",
    err: Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE", port: 9229 }),
    said: "port 9229 is already in use (EADDRINUSE): stop whatever listens there or choose another --port",
  },
  {
    what: "a busy port, not named",
    err: Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" }),
    said: "the port is already in use (EADDRINUSE): stop whatever listens there or choose another --port",
  },
  { what: "a plain Error: its message", err: new Error("first line\n    at stack"), said: "first line" },
  { what: "another kind: its name too", err: new TypeError("x is undefined"), said: "TypeError: x is undefined" },
  {
    what: "a URL with credentials",
    err: new Error("connect to http://user:secret@localhost:9229/ failed"),
    said: "connect to http://***@localhost:9229/ failed",
  },
  { what: "a thrown string", err: "oops\nmore", said: "oops" },
  { what: "undefined", err: undefined, said: "undefined" },
  { what: "null", err: null, said: "null" },
])("$what", ({ err, said }) => {
  expect(describeUnexpected(err)).toBe(said);
});
