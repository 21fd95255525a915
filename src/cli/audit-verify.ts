import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyChain, type ChainVerdict } from '../app/audit.js';
import { openStore } from '../store/open-store.js';
import { storeSettings } from '../environment.js';
import { AUDIT_VERIFY } from './commands.js';
import { EXIT, type CliCommand } from './command.js';

type Head = { readonly seq: number; readonly hash: string };

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** `<seq>:<sha256>`, as the digest posts the head to Slack. */
export function parseHead(text: string): Head | null {
  const m = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]!.toLowerCase() } : null;
}

export function describeVerdict(v: ChainVerdict, expected?: Head): string {
  if (!v.ok) return `audit log BROKEN at seq ${v.badSeq}: ${v.reason} (${plural(v.count, 'event')} verified before it)`;
  const matched = expected ? `, matching the recorded head ${expected.seq}` : '';
  return `audit log intact: ${plural(v.count, 'event')}, head seq ${v.headSeq} sha256 ${v.headHash}${matched}`;
}

export const auditVerify: CliCommand = {
  ...AUDIT_VERIFY,
  run: async (args, io) => {
    let expectHead: Head | undefined;
    try {
      const { values } = parseArgs({ args: [...args], options: { 'expect-head': { type: 'string' } }, strict: true });
      const raw = values['expect-head'];
      if (raw !== undefined) expectHead = parseHead(raw) ?? undefined;
      if (raw !== undefined && !expectHead) throw new Error(`--expect-head takes <seq>:<sha256>, got "${raw}"`);
    } catch (e) {
      io.stderr(`${(e as Error).message}\nusage: patchwarden audit verify ${auditVerify.args}\n`);
      return EXIT.usage;
    }
    const opts = storeSettings(io.env);
    if (!opts.mongodbUri && !existsSync(opts.dbPath)) {
      io.stderr(`no audit log to verify: ${opts.dbPath} does not exist (set PATCHWARDEN_DB, or MONGODB_URI for MongoDB)\n`);
      return EXIT.failed;
    }
    const store = await openStore({ ...opts, writer: 'inline' });
    try {
      const verdict = await verifyChain(store.audit.stream(), expectHead);
      io.stdout(`${describeVerdict(verdict, expectHead)}\n`);
      return verdict.ok ? EXIT.ok : EXIT.failed;
    } finally {
      await store.close();
    }
  },
};
