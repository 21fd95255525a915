/**
 * Test evidence that is not evidence, uploaded through the real modal on the whole bot: the wrong kind, too large
 * (said by Slack, or only found while downloading), empty, Slack's sign-in page instead of the file, an executable
 * renamed to .png, .log or .pdf. Each is refused with its sentence to the engineer, and nothing is kept: the
 * remediation as it was, no event, no file in the evidence store (no new file in the folder on SQLite, no copy in
 * GridFS on MongoDB).
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { auditActions, messageOf, postMessage, settled, toldTo, until } from '../integration/workflow-support.js';
import { newStoreTarget, type StoreTarget } from './support/store-target.js';
import { faultTally } from './support/tally.js';

const MAX = 10 * 1024 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'binary'), Buffer.alloc(64, 0)]);
const ELF = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'binary'), Buffer.alloc(32, 0)]);

interface Upload {
  readonly name: string;
  readonly file: { name: string; bytes: Buffer };
  /** What the file object in the submission says about its size, when it lies. */
  readonly claimedSize?: number;
  readonly signIn?: boolean;
  /** Said inline on the form (before any download), or after it to the person. */
  readonly inline: boolean;
  readonly sentence: string;
}

const CASES: Upload[] = [
  { name: 'the wrong kind', file: { name: 'patch.exe', bytes: EXE }, inline: true, sentence: '“patch.exe” is not a kind of file kept as evidence (png, jpg, jpeg, pdf, txt, log). Nothing was recorded.' },
  { name: 'too large, as Slack says', file: { name: 'huge.log', bytes: Buffer.alloc(MAX + 1, 'x') }, inline: true, sentence: '“huge.log” is 10.0 MB; evidence files can be 10.0 MB at most. Nothing was recorded.' },
  { name: 'too large, found while downloading', file: { name: 'grown.log', bytes: Buffer.alloc(MAX + 1, 'y') }, claimedSize: 1_000, inline: false, sentence: '“grown.log” is 10.0 MB; evidence files can be 10.0 MB at most. Nothing was recorded.' },
  { name: 'empty, as Slack says', file: { name: 'empty.log', bytes: Buffer.alloc(0) }, inline: true, sentence: '“empty.log” is empty (0 bytes), so it can’t be evidence. Nothing was recorded.' },
  { name: 'empty, found while downloading', file: { name: 'hollow.txt', bytes: Buffer.alloc(0) }, claimedSize: 120, inline: false, sentence: '“hollow.txt” is empty (0 bytes), so it can’t be evidence. Nothing was recorded.' },
  { name: 'Slack’s sign-in page instead of the file', file: { name: 'screenshot.png', bytes: PNG }, signIn: true, inline: false, sentence: 'Slack sent a web page instead of the file “screenshot.png”, so nothing was recorded. Check that patchwarden has the files:read scope, then upload again.' },
  { name: 'an executable renamed to .png', file: { name: 'setup.png', bytes: EXE }, inline: false, sentence: '“setup.png” is not a PNG image: its contents do not match its name. Nothing was recorded; attach the file itself.' },
  { name: 'an executable renamed to .log', file: { name: 'run.log', bytes: ELF }, inline: false, sentence: '“run.log” is not a text file: its contents do not match its name. Nothing was recorded; attach the file itself.' },
  { name: 'an executable renamed to .pdf', file: { name: 'report.pdf', bytes: EXE }, inline: false, sentence: '“report.pdf” is not a PDF document: its contents do not match its name. Nothing was recorded; attach the file itself.' },
];

describe('evidence uploads that are not evidence', () => {
  const tally = faultTally('evidence uploads');
  let h: Harness;
  let target: StoreTarget;
  let logs: LogCapture;
  beforeAll(async () => {
    target = newStoreTarget('evidence');
    logs = captureLogs();
    h = await startHarness({ env: target.env, logLevel: 'debug', logs: logs.stream });
  });
  afterAll(async () => {
    await h.close();
    await target.dispose();
  });

  /** Files under the evidence folder (SQLite), however deep. */
  const evidenceFolder = (): string[] => {
    try {
      return readdirSync(target.evidenceDir!, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
    } catch {
      return [];
    }
  };

  it('the folder check sees a file that is kept (so its emptiness below means something)', async () => {
    if (target.kind !== 'sqlite') return;
    const kept = await h.store.evidence.put(Buffer.from('probe evidence\n'), 'probe.log', 'text/plain');
    expect(evidenceFolder()).toEqual([kept.sha256]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: refused with its sentence, nothing kept', async (_name, c) => {
    const r: Remediation = await postMessage(h, await h.seed({ state: 'assessed' }));
    const folder = evidenceFolder();
    const engineer = PEOPLE.engineer.id;
    const told = toldTo(h, engineer).length;
    const file = h.fake.addFile({ name: c.file.name, bytes: c.file.bytes, user: engineer });
    if (c.signIn) h.fake.nonFileDownload(String(file.id));
    await h.driver.blockAction({ user: engineer, message: messageOf(h, r), action_id: ACTION.uploadEvidence });
    const modal = await until(() => h.fake.views({ user: engineer, callbackId: VIEW.testEvidence, open: true }).at(-1), 'the evidence modal');
    tally.injected();
    const res = await h.driver.viewSubmission({ user: engineer, view: modal, inputs: { environment: 'staging', result: 'pass', files: [{ ...file, ...(c.claimedSize !== undefined ? { size: c.claimedSize } : {}) }] } });
    if (c.inline) expect(res.body).toEqual({ response_action: 'errors', errors: { files: c.sentence } });
    else {
      expect(res.body).toBe('');
      await until(() => toldTo(h, engineer).length > told, 'the sentence');
      expect(toldTo(h, engineer).slice(told)).toEqual([c.sentence]);
      expect(h.fake.ephemerals({ user: engineer, channel: CHANNEL }).at(-1)?.text).toBe(c.sentence);
    }
    await settled(h);
    expect(await h.store.remediations.get(r.id)).toEqual(r);
    expect(await auditActions(h, r.id)).toEqual(['remediation.created']);
    expect(await h.store.evidence.has(createHash('sha256').update(c.file.bytes).digest('hex'))).toBe(false);
    expect(evidenceFolder()).toEqual(folder);
    tally.survived();
  });

  it('no secret in any debug log line', () => {
    tally.logsChecked(logs.lines(), [h.fake.botToken]);
  });
});
