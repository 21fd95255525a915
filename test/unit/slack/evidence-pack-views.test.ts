import type { PackResult } from '../../../src/app/evidence/build-pack.js';
import { packFailedMessage, packProgressMessage, packReadyMessage } from '../../../src/slack/views/evidence-pack.js';
import { validateMessageBlocks } from '../../support/slack/block-kit-limits.js';
import { blockText } from '../../support/patch-command.js';

const period = { label: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', timeZone: 'UTC' };
const result = (problems: string[]): PackResult => ({
  path: '/tmp/x.zip', sha256: 'ab'.repeat(32), size: 12_345_678, problems,
  manifest: {
    format: 'patchwarden-evidence-pack/1', tool: { name: 'patchwarden', version: '0.1.0' }, generatedAt: '2026-12-10T08:00:00.000Z', generatedBy: 'U0AUDIT',
    period: { ...period, cutOff: period.to }, auditChain: { head: null, verification: { ok: false, count: 16, badSeq: 17, reason: 'x' }, segment: null },
    counts: { remediations: 10_000, evidenceFiles: 2_000, evidenceProblems: 3, auditEvents: 200_000 }, notes: [], files: [],
  },
});

describe('the evidence pack message', () => {
  it('shows each phase of the build, the current one with its count', () => {
    const m = packProgressMessage(period, { phase: 'evidence', done: 1_234, total: 10_000 });
    expect(blockText(m.blocks)).toContain(':white_check_mark: Verifying the audit log\n:hourglass_flowing_sand: Reading the remediations and copying their evidence files · 1,234 of 10,000\n:white_small_square: Writing the CSVs');
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
  });

  it('says what the pack holds, its SHA-256 and what is wrong, within Block Kit’s limits however long', () => {
    const m = packReadyMessage(period, result(Array.from({ length: 40 }, (_, i) => `problem ${i} ${'x'.repeat(2000)}`)), 'patchwarden-evidence-2026-11.zip');
    const text = blockText(m.blocks);
    expect(text).toContain(`SHA-256 \`${'ab'.repeat(32)}\``);
    expect(text).toContain('*Audit chain*\nBROKEN at seq 17');
    expect(text).toContain('2,000 (3 not matching)');
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
    expect(validateMessageBlocks(packFailedMessage(period, 'y'.repeat(5000)).blocks)).toEqual([]);
  });

  it('names a range of days as people read it, and offers the CLI command that makes the same pack', () => {
    const days = { ...period, label: '2026-10-01_2026-12-31' };
    const failed = packFailedMessage(days, 'disk full');
    expect(failed.text).toBe('The evidence pack for 2026-10-01 to 2026-12-31 could not be made: disk full');
    expect(blockText(failed.blocks)).toContain('run `patchwarden evidence --from 2026-10-01 --to 2026-12-31` on the server');
    expect(blockText(packFailedMessage(period, 'disk full').blocks)).toContain('run `patchwarden evidence --period 2026-11` on the server');
  });
});
