import { type DiagnosticCode, formatDiagnostic, shorten } from "../../core/diagnostics";
import { escapeInvisible as escapeForTerminal } from "../../core/untrusted-text";
import { decodeUsersFileBytes } from "../../core/users-file-bytes";

describe("text output is safe for terminals and CI logs", () => {
  it("escapes controls, bidi controls, invisible format characters and lone surrogates, and nothing else", () => {
    expect(escapeForTerminal("a\u001b[31mb\u202ec\u200bd\ud800e😀f\tg\nh\u2028é")).toBe(
      "a\\x1b[31mb\\u202ec\\u200bd\\ud800e😀f\\x09g\\x0ah\\u2028é",
    );
  });

  it("prints a path as a whole without a made-up position, and escapes file names", () => {
    expect(
      formatDiagnostic({ file: "users/x\u001b", line: 0, col: 0, severity: "error", code: "C" as DiagnosticCode, message: "m\u0007" }),
    ).toBe("users/x\\x1b: error C m\\x07");
    expect(
      formatDiagnostic({ file: "users/a.yaml", line: 3, col: 5, severity: "warning", code: "C" as DiagnosticCode, message: "m" }),
    ).toBe("users/a.yaml:3:5: warning C m");
  });

  it("shortens long values with an ellipsis, never cutting a surrogate pair", () => {
    expect(shorten("x".repeat(200))).toBe(`${"x".repeat(79)}…`);
    expect(shorten("short")).toBe("short");
    expect(shorten(`${"x".repeat(78)}😀yyyy`)).toBe(`${"x".repeat(78)}…`);
  });
});

describe("decodeUsersFileBytes", () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

  it("accepts UTF-8, drops a leading BOM and keeps CRLF", () => {
    expect(decodeUsersFileBytes(bytes([0xef, 0xbb, 0xbf], "a: é\r\n"))).toEqual({ text: "a: é\r\n" });
  });

  it.each([
    ["a Latin-1 é", bytes("a: Jos", [0xe9], "\n"), 1, 7],
    ["a stray continuation byte", bytes("x\ny: ", [0x80]), 2, 4],
    ["an overlong form", bytes("a: ", [0xc1, 0x81]), 1, 4],
    ["an encoded surrogate", bytes("é: ", [0xed, 0xb0, 0x80]), 1, 4],
    ["a code point past U+10FFFF", bytes("a: ", [0xf5, 0x80, 0x80, 0x80]), 1, 4],
    ["a character cut by the end of the file (after an emoji: two columns)", bytes("a: 😀", [0xf0, 0x9f, 0x98]), 1, 6],
  ])("places the first bad byte of %s", (_name, input, line, col) => {
    const decoded = decodeUsersFileBytes(input);
    expect(decoded.text).toBe("");
    expect(decoded.problem).toMatchObject({ code: "INVALID_UTF8", line, col });
  });

  it("says when a file is UTF-16", () => {
    expect(decodeUsersFileBytes(Buffer.from("users: []\n", "utf16le")).problem).toMatchObject({ code: "UTF16_FILE", line: 1, col: 1 });
  });
});
