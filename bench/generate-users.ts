/**
 * Generates a synthetic users tree for benchmarks: N users, seeded, spread across local-office folders and
 * files of at most `maxUsersPerFile` users, in the users-file format people edit (issue 2, section 2), valid
 * under the dev stack profile (username = email, MFA on and email verified through `defaults`, `custom:tisId`).
 *
 * Synthetic only: made-up names from syllables, emails at example.com / example.nhs.uk, phone numbers in
 * Ofcom's drama range +447700900000–+447700900999. The same seed and count always give the same bytes.
 *
 * It writes files; it is bench code, never reached by the provider.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export interface GenerateUsersOptions {
  /** How many users in all. */
  count: number;
  /** The PRNG seed: the same seed and count give the same tree. */
  seed: number;
  /** The users directory to (re)create; its content is replaced. */
  usersDir: string;
  /** At most this many users a file; files hold between half and all of it. */
  maxUsersPerFile?: number;
}

export interface GeneratedTree {
  fileCount: number;
  userCount: number;
  /** Total size of the YAML written, in bytes. */
  bytes: number;
}

const LOCAL_OFFICES = [
  "london",
  "kent-surrey-sussex",
  "thames-valley",
  "wessex",
  "south-west",
  "west-midlands",
  "east-midlands",
  "east-of-england",
  "yorkshire-humber",
  "north-west",
  "north-east",
  "lasers",
];
const ONSETS = ["b", "br", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "sh", "t", "th", "v", "w", "z"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
const CODAS = ["", "", "n", "r", "l", "s", "th", "m", "x", "nd"];
const STREET_KINDS = ["Road", "Street", "Lane", "Close", "Avenue", "Way"];
/** Words YAML 1.2 (and 1.1, for other readers) would not read as strings when written plain. */
const YAML_WORDS = new Set(["null", "true", "false", "yes", "no", "on", "off", "y", "n"]);
const EMAIL_DOMAINS = ["example.nhs.uk", "example.com"];

/** mulberry32: a small, fast, seedable PRNG; good enough for synthetic data, never for secrets. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateUsers(options: GenerateUsersOptions): GeneratedTree {
  const maxPerFile = options.maxUsersPerFile ?? 2000;
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const word = (syllables: number): string => {
    for (;;) {
      let text = "";
      for (let i = 0; i < syllables; i++) text += pick(ONSETS) + pick(VOWELS) + pick(CODAS);
      // A plain scalar YAML would read as something other than a string ("Null", "True") is drawn again.
      if (!YAML_WORDS.has(text)) return text[0].toUpperCase() + text.slice(1);
    }
  };

  rmSync(options.usersDir, { recursive: true, force: true });
  let written = 0;
  let fileCount = 0;
  let bytes = 0;
  const filesPerOffice = new Map<string, number>();
  while (written < options.count) {
    const size = Math.min(options.count - written, between(Math.ceil(maxPerFile / 2), maxPerFile));
    const office = LOCAL_OFFICES[fileCount % LOCAL_OFFICES.length];
    const officeFileIndex = filesPerOffice.get(office) ?? 0;
    filesPerOffice.set(office, officeFileIndex + 1);
    // Intake files named by year and month, as the offices name theirs; the index keeps names unique.
    const fileName = `${2020 + Math.floor(officeFileIndex / 12)}-${String((officeFileIndex % 12) + 1).padStart(2, "0")}.yaml`;
    const lines = [
      "# yaml-language-server: $schema=../../schemas/users-file.schema.json",
      "defaults:",
      "  mfa_enabled: true",
      "  email_verified: true",
      "users:",
    ];
    for (let i = 0; i < size; i++) {
      const serial = written + i; // makes email, username and tisId unique across the tree
      const given = word(between(1, 2));
      const family = word(between(1, 3));
      const email = `${given}.${family}.${serial}@${pick(EMAIL_DOMAINS)}`.toLowerCase();
      lines.push(`  - username: ${email}`, `    email: ${email}`, `    given_name: ${given}`, `    family_name: ${family}`);
      // The dev stack requires a mobile for every trainee (SMS is the second factor); most are not yet verified.
      const unverifiedFlag = random() < 0.6;
      lines.push(`    phone_number: "+447700900${String(between(0, 999)).padStart(3, "0")}"`);
      if (unverifiedFlag) lines.push("    phone_number_verified: false");
      if (random() < 0.4) {
        const year = between(1960, 2002);
        const month = between(1, 12);
        const day = between(1, 28); // every month has a 28th: no impossible dates
        lines.push(`    birthdate: ${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`);
      }
      if (random() < 0.3) {
        // A comma inside a value: exercises the CSV's `\,`.
        lines.push(`    address: ${between(1, 200)} ${word(2)} ${pick(STREET_KINDS)}, ${word(2)}`);
      }
      lines.push(`    custom:tisId: "${100000 + serial}"`);
    }
    const text = `${lines.join("\n")}\n`;
    const dir = path.join(options.usersDir, office);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, fileName), text);
    written += size;
    fileCount += 1;
    bytes += Buffer.byteLength(text);
  }
  return { fileCount, userCount: written, bytes };
}
