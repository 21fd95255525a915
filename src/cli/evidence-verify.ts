/**
 * `patchwarden evidence verify pack.zip`: recomputes every file's SHA-256 against the pack's manifest and re-checks
 * its audit log segment; names each thing that does not match. Exit 0 intact, 1 not, 2 usage. Needs no store.
 */
import { existsSync } from 'node:fs';
import { verifyPack } from '../app/evidence/verify-pack.js';
import { EVIDENCE_VERIFY } from './commands.js';
import { EXIT, type CliCommand } from './command.js';

export const evidenceVerify: CliCommand = {
  ...EVIDENCE_VERIFY,
  run: async (args, io) => {
    if (args.length !== 1 || args[0]!.startsWith('-')) {
      io.stderr(`usage: patchwarden evidence verify ${EVIDENCE_VERIFY.args}\n`);
      return EXIT.usage;
    }
    const path = args[0]!;
    if (!existsSync(path)) {
      io.stderr(`no such file: ${path}\n`);
      return EXIT.failed;
    }
    const v = await verifyPack(path);
    const m = v.manifest;
    if (m) io.stdout(`${path}: evidence pack ${m.period.label} (${m.period.from} to ${m.period.to}), made ${m.generatedAt} by patchwarden ${m.tool.version}\n`);
    if (m) io.stdout(`  ${v.matched.toLocaleString('en-US')} of ${m.files.length.toLocaleString('en-US')} files match the manifest\n`);
    const s = v.segment;
    if (s?.ok) {
      const seg = s.header.segment;
      io.stdout(`  audit log segment: ${seg ? `seq ${seg.firstSeq}–${seg.lastSeq}, ${s.events.toLocaleString('en-US')} events, every link intact` : 'no events in the period'}; chain head at export ${s.header.chainHead ? `${s.header.chainHead.seq}:${s.header.chainHead.hash}` : 'none'}\n`);
    }
    for (const p of v.problems) io.stdout(`MISMATCH ${p}\n`);
    io.stdout(v.ok ? 'pack intact\n' : `pack NOT intact: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}\n`);
    return v.ok ? EXIT.ok : EXIT.failed;
  },
};
