/**
 * Recording a test with evidence on a real SQLite store and a hand-written downloader: every file downloaded,
 * hashed and kept before the test is recorded; any bad file and nothing is recorded or kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApplyStep } from '../../../../src/app/workflow/apply-step.js';
import { createAuthorize } from '../../../../src/app/workflow/authorize.js';
import { createCheckStep } from '../../../../src/app/workflow/check-step.js';
import { ExternalServiceError } from '../../../../src/app/errors.js';
import { createEvidenceIntake, type FileDownloader, type IncomingFile } from '../../../../src/app/workflow/evidence-intake.js';
import { createRecordTest, testEnvironments, type TestForm } from '../../../../src/app/workflow/record-test.js';
import type { Store } from '../../../../src/app/ports.js';
import { DEFAULT_SLA } from '../../../../src/domain/sla.js';
import { crashingStore } from '../../../support/port-fakes.js';
import { aRemediation, engineer, withRoles } from '../../../support/builders.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

const now = () => new Date('2026-11-02T09:00:00Z');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A file's answer: its bytes, or chunks as they would stream in (and may fail mid-way), or a failure to open it. */
type Answer = { contentType: string; bytes: Buffer } | { contentType: string; chunks: () => AsyncIterable<Uint8Array> } | Error;

function downloader(answers: Record<string, Answer>): FileDownloader & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async open(url) {
      calls.push(url);
      const a = answers[url];
      if (!a) throw new ExternalServiceError('Slack', 'download answered 404', 404);
      if (a instanceof Error) throw a;
      const body = 'bytes' in a ? (async function* () { yield a.bytes; })() : a.chunks();
      return { contentType: a.contentType, length: 'bytes' in a ? a.bytes.length : null, body, cancel: async () => undefined };
    },
  };
}

/** 64 KiB at a time, `total` bytes in all, then `fail` if given. */
async function* streamed(total: number, fail?: Error): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += 65_536) yield Buffer.alloc(Math.min(65_536, total - sent), 'x');
  if (fail) throw fail;
}

const incoming = (name: string, size = 10): IncomingFile => ({ id: `F-${name}`, name, size, mimeType: '', url: `https://files.slack.com/${name}` });

describe('recording a test with evidence', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-1', state: 'assessed' }), []);
    if (!created.ok) throw new Error('seed');
  });
  afterEach(() => temp.dispose());

  const useCase = (d: FileDownloader, store: Store = temp.store) => {
    const deps = { store, sla: DEFAULT_SLA, now };
    let n = 0;
    return createRecordTest({
      applyStep: createApplyStep(deps), checkStep: createCheckStep(deps), authorize: createAuthorize({ store, now }),
      intake: createEvidenceIntake({ downloader: d, evidence: store.evidence }), newId: () => `test-${(n += 1)}`,
    });
  };
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png bytes')]);
  const log = Buffer.from('log bytes');
  const pass = (files: IncomingFile[]): TestForm => ({ environment: 'staging', result: 'pass', notes: '', files });

  it('a test is never recorded without the events of its files: whatever stops after its write, both are there', async () => {
    const d = downloader({ 'https://files.slack.com/a.png': { contentType: 'image/png', bytes: png } });
    // The process dies at the first store call after the test's write.
    const crashing = crashingStore(temp.store, (call, calls) => calls.includes('remediations.update') && call !== 'remediations.update');
    await useCase(d, crashing.store).run('PW-1', pass([incoming('a.png')]), engineer('U0ENG')).catch(() => null);
    expect((await temp.store.remediations.get('PW-1'))!.state).toBe('tested');
    expect((await temp.store.audit.bySubject('PW-1')).map((e) => e.action)).toEqual(['remediation.test_recorded', 'evidence.uploaded']);
  });

  it('keeps every file, records the test and one evidence.uploaded event per file in one write', async () => {
    const d = downloader({ 'https://files.slack.com/a.png': { contentType: 'image/png', bytes: png }, 'https://files.slack.com/b.log': { contentType: 'text/plain', bytes: log } });
    const done = await useCase(d).run('PW-1', pass([incoming('a.png'), incoming('b.log')]), engineer('U0ENG'));
    if (!done.ok) throw new Error(done.error.code);
    expect(done.value.files).toEqual([
      { sha256: sha(png), size: png.length, name: 'a.png', mimeType: 'image/png', slackFileId: 'F-a.png' },
      { sha256: sha(log), size: log.length, name: 'b.log', mimeType: 'text/plain', slackFileId: 'F-b.log' },
    ]);
    expect(done.value.applied.after).toMatchObject({ state: 'tested', tests: [{ id: 'test-1', by: 'U0ENG', files: done.value.files }] });
    expect((await temp.store.evidence.get(sha(png)))?.bytes.equals(png)).toBe(true);
    const events = await temp.store.audit.bySubject('PW-1');
    expect(events.map((e) => e.action)).toEqual(['remediation.test_recorded', 'evidence.uploaded', 'evidence.uploaded']);
    expect(events[1]!.data).toEqual({ testId: 'test-1', name: 'a.png', size: png.length, sha256: sha(png), mimeType: 'image/png', slackFileId: 'F-a.png', uploader: 'U0ENG' });
  });

  it.each([
    ['a sign-in page instead of the file', { contentType: 'text/html; charset=utf-8', bytes: Buffer.from('<html>') }, { code: 'evidence.not_a_file', name: 'b.log', contentType: 'text/html; charset=utf-8' }],
    ['a file that streams on past 10 MB', { contentType: 'text/plain', chunks: () => streamed(11 * 1024 * 1024) }, { code: 'evidence.too_large', name: 'b.log' }],
    ['a download that fails', new ExternalServiceError('Slack', 'no answer within 30 s', null, true), { code: 'evidence.download_failed', name: 'b.log', reason: 'no answer within 30 s' }],
    ['an empty file', { contentType: 'text/plain', bytes: new Uint8Array() }, { code: 'evidence.empty', name: 'b.log' }],
    ['an executable renamed to .log', { contentType: 'text/plain', bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'binary') }, { code: 'evidence.content_mismatch', name: 'b.log', expected: 'text file' }],
    ['a binary with NUL bytes as a log', { contentType: 'application/octet-stream', bytes: Buffer.from('\x7fELF\x02\x01\x01\x00', 'binary') }, { code: 'evidence.content_mismatch', name: 'b.log' }],
    ['a download that fails half-way', { contentType: 'text/plain', chunks: () => streamed(300_000, new ExternalServiceError('Slack', 'download failed (socket hang up)', null, true)) }, { code: 'evidence.download_failed', name: 'b.log', reason: 'download failed (socket hang up)' }],
  ])('%s: nothing recorded, nothing kept', async (_n, answer, error) => {
    const d = downloader({ 'https://files.slack.com/a.png': { contentType: 'image/png', bytes: png }, 'https://files.slack.com/b.log': answer as Answer });
    const done = await useCase(d).run('PW-1', pass([incoming('a.png'), incoming('b.log')]), engineer());
    expect(done).toMatchObject({ ok: false, error });
    expect((await temp.store.remediations.get('PW-1'))!.state).toBe('assessed');
    expect(await temp.store.evidence.has(sha(png))).toBe(false);
    expect(await temp.store.audit.bySubject('PW-1')).toEqual([]);
    // Nothing half-received is left behind either.
    const incomingDir = join(temp.dir, 'evidence', '.incoming');
    expect(existsSync(incomingDir) ? readdirSync(incomingDir) : []).toEqual([]);
  });

  it.each([
    ['a.png', Buffer.from('MZ\x90\x00 an executable', 'binary'), 'PNG image'],
    ['a.png', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'PNG image'],
    ['a.jpg', Buffer.from('\x89PNG\r\n\x1a\n', 'binary'), 'JPEG image'],
    ['a.pdf', Buffer.from('<html><body>Sign in to Slack</body></html>'), 'PDF document'],
  ])('%s whose bytes are something else is refused with what it should be: nothing kept', async (name, bytes, expected) => {
    const d = downloader({ [`https://files.slack.com/${name}`]: { contentType: 'application/octet-stream', bytes } });
    const done = await useCase(d).run('PW-1', pass([incoming(name)]), engineer());
    expect(done).toMatchObject({ ok: false, error: { code: 'evidence.content_mismatch', name, expected } });
    expect(await temp.store.evidence.has(sha(bytes))).toBe(false);
    expect(await temp.store.audit.bySubject('PW-1')).toEqual([]);
  });

  it('accepts the real thing: a JPEG, a PDF with bytes before its header, a UTF-8 log', async () => {
    const files = {
      'https://files.slack.com/shot.jpeg': { contentType: 'image/jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]) },
      'https://files.slack.com/report.pdf': { contentType: 'application/pdf', bytes: Buffer.from('\r\n%PDF-1.7\n1 0 obj') },
      'https://files.slack.com/run.log': { contentType: 'text/plain', bytes: Buffer.from('✔ 412 tests passed — ümlauts fine\n') },
    };
    const done = await useCase(downloader(files)).run('PW-1', pass([incoming('shot.jpeg'), incoming('report.pdf'), incoming('run.log')]), engineer());
    expect(done.ok && done.value.files.map((f) => f.name)).toEqual(['shot.jpeg', 'report.pdf', 'run.log']);
  });

  it('refuses before downloading: too many, too large, the wrong kind, a wrong role (audited)', async () => {
    const d = downloader({});
    const uc = useCase(d);
    const eleven = Array.from({ length: 11 }, (_, i) => incoming(`f${i}.log`));
    expect(await uc.check('PW-1', pass(eleven), engineer())).toMatchObject({ code: 'evidence.too_many', count: 11, max: 10 });
    expect(await uc.check('PW-1', pass([incoming('big.pdf', 10 * 1024 * 1024 + 1)]), engineer())).toMatchObject({ code: 'evidence.too_large' });
    expect(await uc.check('PW-1', pass([incoming('x.exe')]), engineer())).toMatchObject({ code: 'evidence.type_not_allowed', name: 'x.exe' });
    expect(await uc.check('PW-1', pass([incoming('x.constructor')]), engineer())).toMatchObject({ code: 'evidence.type_not_allowed' });
    expect(await uc.check('PW-1', pass([incoming('empty.log', 0)]), engineer())).toEqual({ code: 'evidence.empty', name: 'empty.log' });
    expect(await uc.check('PW-1', { ...pass([]), result: 'fail' }, engineer())).toEqual({ code: 'input.required', field: 'notes' });
    expect(await uc.run('PW-1', pass([incoming('a.png')]), withRoles('U0MGR', 'manager'))).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(d.calls).toEqual([]);
    expect((await temp.store.audit.bySubject('PW-1')).map((e) => [e.action, e.actor])).toEqual([['access.denied', 'U0MGR']]);
  });

  it('tests run where the policy says: non-production environments, else all', () => {
    expect(testEnvironments({ staging: { production: false }, production: { production: true }, qa: { production: false } })).toEqual(['qa', 'staging']);
    expect(testEnvironments({ production: { production: true } })).toEqual(['production']);
    expect(testEnvironments({})).toEqual(['staging']);
  });
});
