/**
 * One way to show an untrusted value (core/untrusted-text.ts), through every renderer: the Markdown plan (rendered
 * here by a CommonMark renderer with HTML and autolinks on, as GitHub does, and read back as a reviewer sees it),
 * the text plan, compiler-style diagnostics, GitHub annotations and Pulumi's `<pre>`. Hostile names come from
 * test/support/hostile-values.ts.
 */
import * as path from "node:path";
import MarkdownIt from "markdown-it";
import type { DeclaredUser } from "../../core/declared-user";
import { type Diagnostic, type DiagnosticCode, formatDiagnostic } from "../../core/diagnostics";
import type { RosterPlan } from "../../core/plan";
import { renderPlan } from "../../core/plan-report";
import {
  escapeInvisible,
  logLine,
  MAX_SHOWN,
  markdownCode,
  preformattedLine,
  visible,
  withoutUrlCredentials,
} from "../../core/untrusted-text";
import { HOSTILE_VALUES } from "../support/hostile-values";

const markdown = new MarkdownIt({ html: true, linkify: true });
const RAW_UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00a0]|\p{Cs}|[\u{e0000}-\u{e007f}]/u;
/** A line the GitHub Actions runner would read as a workflow command. */
const WORKFLOW_COMMAND = /^\s*::|##\[/;

function htmlText(html: string): string {
  return html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Tag names in rendered HTML: anything but these would be markup a value made. */
function tagsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
}

/** What a reader sees outside code spans (where GitHub would link mentions, URLs and references). */
function textOutsideCode(html: string): string {
  return htmlText(html.replace(/<code>[^<]*<\/code>/g, "").replace(/<[^>]+>/g, ""));
}

describe("visible", () => {
  it("escapes controls, bidi, invisible characters and line breaks; keeps the rest as it is", () => {
    expect(escapeInvisible("a\u001b[31mb\u202ec\u200bd\ud800e😀f\tg\nh\u2028é\u00a0\u{e0041}")).toBe(
      "a\\x1b[31mb\\u202ec\\u200bd\\ud800e😀f\\x09g\\x0ah\\u2028é\\xa0\\u{e0041}",
    );
    for (const value of HOSTILE_VALUES) expect(visible(value)).not.toMatch(RAW_UNSAFE);
  });

  it("bounds the length and says how much was left out, never cutting a surrogate pair", () => {
    expect(visible("x".repeat(500))).toBe(`${"x".repeat(MAX_SHOWN)}…(300 more characters)`);
    expect(visible(`${"x".repeat(9)}😀`, 10)).toBe(`${"x".repeat(9)}…(2 more characters)`);
    expect(visible("short")).toBe("short");
  });
});

describe("markdownCode", () => {
  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v).slice(0, 60), v]))(
    "%s renders as its visible text in one code span",
    (_name, value) => {
      const html = markdown.renderInline(markdownCode(value));
      expect(html).toMatch(/^<code>[^<]*<\/code>$/);
      expect(htmlText(html.slice("<code>".length, -"</code>".length))).toBe(visible(value));
    },
  );

  it("an empty or all-space value is still shown", () => {
    expect(markdown.renderInline(markdownCode(""))).toBe("<code>(empty)</code>");
    expect(markdown.renderInline(markdownCode("  "))).toBe("<code>\\x20\\x20</code>");
  });
});

describe("log lines", () => {
  it("never start a workflow command and never break a line", () => {
    for (const value of HOSTILE_VALUES) {
      expect(logLine(value)).not.toMatch(WORKFLOW_COMMAND);
      expect(logLine(value)).not.toMatch(RAW_UNSAFE);
    }
    expect(logLine("::add-mask::secret")).toBe("\\x3a:add-mask::secret");
    expect(logLine("a ##[group]b")).toBe("a ##\\x5bgroup]b");
  });

  it("in Pulumi's <pre>, no tag, comment or entity starts", () => {
    for (const value of HOSTILE_VALUES) {
      const html = markdown.render(`<pre>\n${preformattedLine(value)}\n</pre>\n`);
      expect([...tagsOf(html)]).toEqual(["pre"]);
      expect(html).not.toContain("<!--");
    }
  });
});

describe("diagnostics and annotations", () => {
  const diagnostics: Diagnostic[] = HOSTILE_VALUES.map((value, i) => ({
    file: `users/${value}.yaml`,
    line: i,
    col: 1,
    severity: i % 2 ? "warning" : "error",
    code: "SOME_CODE" as DiagnosticCode,
    message: `the value ${value} is odd`,
  }));

  it("compiler-style lines: one line each, visible, never a workflow command", () => {
    for (const d of diagnostics) {
      const line = formatDiagnostic(d);
      expect(line).not.toMatch(RAW_UNSAFE);
      expect(line).not.toMatch(WORKFLOW_COMMAND);
      expect(preformattedLine(line)).not.toMatch(/[<&]/);
    }
  });

  it("GitHub annotations: exactly one workflow command per diagnostic, at the start of its own line", () => {
    // The script loads the compiled module (dist/), as it does in CI after the build.
    const script = path.resolve(__dirname, "../../.github/scripts/diagnostics-to-annotations.js");
    const { toAnnotations } = require(script) as { toAnnotations(ds: Diagnostic[]): { lines: string[] } };
    const output = toAnnotations(diagnostics).lines.join("\n").split("\n");
    expect(output).toHaveLength(diagnostics.length * 2);
    expect(output.filter((line) => WORKFLOW_COMMAND.test(line))).toHaveLength(diagnostics.length);
    for (const [i, d] of diagnostics.entries()) {
      expect(output[2 * i]).toMatch(new RegExp(`^::${d.severity} file=[^:]*,title=SOME_CODE::the value `));
      expect(output[2 * i + 1]).toBe(formatDiagnostic(d));
    }
    for (const line of output) expect(line).not.toMatch(RAW_UNSAFE);
  });
});

describe("a plan with hostile names, as a reviewer reads it", () => {
  const user = (username: string, file: string, line: number) => ({
    username,
    file,
    line,
    user: { username, source: { file, line, col: 5 } } as unknown as DeclaredUser,
  });
  // One harmless-looking import whose file name tries to forge the rest of the comment, and the changes it would
  // hide: a disable, a removal and a grant of kss-admins.
  const forged = "users/kss/x.yaml:1)\n\n0 to disable, 0 group memberships to add\n\n<!--";
  const plan: RosterPlan = {
    userPoolId: "eu-west-2_Plan00000",
    import: [user("new@example.com", forged, 1), ...HOSTILE_VALUES.map((v, i) => user(`${v}@example.com`, `users/${v}/a.yaml`, i + 2))],
    update: [{ ...user("upd`@example.com", "users/kss/a.yaml", 3), attributes: ["email", "<b>x</b>"], reportOnly: false }],
    disable: [user("leaver@example.com", "users/kss/a.yaml", 4)],
    enable: [],
    remove: [
      {
        usernameDigest: "abcdefghijklmnop",
        action: "disable",
        declaredAtBase: { username: "-->@example.com", file: "users/kss/b.yaml", line: 9 },
      },
    ],
    unchanged: 0,
    memberships: {
      checked: 2,
      changes: [
        { action: "add", group: "kss-admins", username: "mallory@example.com", office: "kss", file: "users/kss/a.yaml", line: 7 },
        { action: "remove", group: "trainees", username: "leaver@example.com", office: "kss", file: "users/kss/a.yaml", line: 4 },
      ],
    },
  };
  const changes = plan.import.length + plan.update.length + plan.disable.length + plan.remove.length + plan.memberships!.changes.length;

  it("Markdown: only our own markup, one list item per change, every value literal in a code span", () => {
    const html = markdown.render(renderPlan(plan, "markdown", { awsCalls: 3 }));
    expect([...tagsOf(html)].sort()).toEqual(["code", "h3", "h4", "li", "p", "ul"]);
    expect(html).not.toContain("<!--");
    expect(html.match(/<li>/g)).toHaveLength(changes);
    const codes = [...html.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => htmlText(m[1]));
    for (const value of HOSTILE_VALUES) expect(codes).toContain(`${visible(`${value}@example.com`)}`);
    expect(codes).toContain(visible(`${forged}:1`));
    // Nothing a value holds reaches the text GitHub would link or format.
    const outside = textOutsideCode(html);
    for (const word of ["@", "http", "forged", "add-mask", "details", "nothing to see"]) expect(outside).not.toContain(word);
  });

  it("Markdown: the disable, the removal and the grant are shown before any import, each on a line that says what it does", () => {
    const html = markdown.render(renderPlan(plan, "markdown", { awsCalls: 3 }));
    const items = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);
    const firstImport = items.findIndex((i) => i.includes("new@example.com"));
    const attention = items.slice(0, firstImport).join("\n");
    expect(attention).toContain("<code>leaver@example.com</code>");
    expect(attention).toContain("<code>--&gt;@example.com</code> (<code>users/kss/b.yaml:9</code>): disable");
    expect(attention).toContain("adds to <code>kss-admins</code>: <code>mallory@example.com</code>");
    expect(attention).toContain("removes from <code>trainees</code>: <code>leaver@example.com</code>");
    expect(html.indexOf("Import (")).toBeGreaterThan(html.indexOf("Disable ("));
    // The summary comes right after the title, before the lists.
    expect(html).toMatch(
      /^<h3>[^\n]*<\/h3>\n<p>\d+ to import, [^\n]*1 to disable, 0 to enable, 1 no longer declared, 1 group membership to add, 1 to remove/,
    );
  });

  it("text: one line per change, nothing hidden, never a workflow command", () => {
    const text = renderPlan(plan, "text", { awsCalls: 3 });
    const lines = text.split("\n");
    expect(lines.filter((l) => l.startsWith("  "))).toHaveLength(changes);
    for (const line of lines) {
      expect(line).not.toMatch(RAW_UNSAFE);
      expect(line).not.toMatch(WORKFLOW_COMMAND);
    }
    expect(text).toContain("  adds to kss-admins: mallory@example.com  (users/kss/a.yaml:7)");
    expect(text).toContain("  removes from trainees: leaver@example.com  (users/kss/a.yaml:4)");
  });
});

describe("withoutUrlCredentials", () => {
  it("hides the user and password of any URL, keeping the rest", () => {
    expect(withoutUrlCredentials("cannot reach the endpoint https://ci:s3cr3t@cognito.example.com:4566/ (ECONNREFUSED)")).toBe(
      "cannot reach the endpoint https://***@cognito.example.com:4566/ (ECONNREFUSED)",
    );
    expect(withoutUrlCredentials("http://token@localhost and HTTP://a:b@x")).toBe("http://***@localhost and HTTP://***@x");
    expect(withoutUrlCredentials("mail ann@example.com at https://example.com/a@b")).toBe(
      "mail ann@example.com at https://example.com/a@b",
    );
  });
});
