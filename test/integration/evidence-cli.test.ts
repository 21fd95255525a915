/**
 * `patchwarden evidence` and `patchwarden evidence verify` through runCli with the real wiring (configuration from the
 * environment, the SQLite file): the pack of a seeded month, its progress, its usage errors; one byte edited in the
 * zip, or in the audit log in the store before the export, named by `evidence verify`.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CliIo } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/index.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { seedEvidencePeriod } from '../support/evidence-seed.js';
import { dataOffset, readZip } from '../support/zip-read.js';

function capture(env: CliIo['env'], isTTY = false) {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => (out += s), stderr: (s) => (err += s), env, isTTY };
  return { io, out: () => out, err: () => err };
}

/** Flips one byte of a file in place. */
function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset);
  writeSync(fd, Buffer.from([b[0]! ^ 0x01]), 0, 1, offset);
  closeSync(fd);
}

describe('patchwarden evidence', () => {
  let dir: string;
  let db: string;
  let ids: Record<string, string>;
  let env: CliIo['env'];
  let pack: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pw-cli-evidence-'));
    db = join(dir, 'seed', 'pw.db');
    const store = await openSqliteStore({ path: db });
    ids = await seedEvidencePeriod(store);
    await store.close();
    writeFileSync(join(dir, 'policy.yaml'), 'timezone: UTC\n');
    env = { PATCHWARDEN_DB: db, PATCHWARDEN_CONFIG: join(dir, 'policy.yaml'), CHROMIUM_PATH: '' };
    pack = join(dir, 'pack.zip');
    const run = capture(env);
    await expect(runCli(['evidence', '--period', '2026-11', '--out', pack], run.io)).resolves.toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verify = async (path: string) => {
    const run = capture({});
    const code = await runCli(['evidence', 'verify', path], run.io);
    return { code, out: run.out() };
  };
  const copy = (name: string) => {
    const path = join(dir, name);
    copyFileSync(pack, path);
    return path;
  };

  it('writes the pack, prints its path and SHA-256, with a line per phase when not on a terminal', async () => {
    const run = capture(env);
    const out = join(dir, 'again.zip');
    await expect(runCli(['evidence', '--from', '2026-11-01', '--to', '2026-11-30', '--out', out], run.io)).resolves.toBe(0);
    const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
    expect(run.out()).toContain(`${out}\nsha256 ${sha}  (`);
    expect(run.out()).toMatch(/15 remediations, 8 evidence files, \d+ audit events\)/);
    expect(run.out()).toContain('verifying the audit log\n');
    expect(run.out()).toContain('reading remediations, copying their evidence 1 / 15\n');
    expect(run.out()).toContain('done\n');
    expect(run.err()).toContain('warning: report.pdf was not printed: no Chromium was found');
    expect((await readZip(out)).get('manifest.json')!.toString()).toContain('"label": "2026-11-01_2026-11-30"');
  });

  it('draws one progress line in place on a terminal, and names the default file after the period', async () => {
    const run = capture({ ...env }, true);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await expect(runCli(['evidence', '--period', '2026-11'], run.io)).resolves.toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(run.out()).toContain('\r\x1b[2K');
    expect(run.out()).toContain(join(dir, 'patchwarden-evidence-2026-11.zip'));
  });

  it.each([
    [[], 'which period? give --period YYYY-MM, or --from and --to'],
    [['--period', '2026-11', '--from', '2026-11-01'], 'give --period, or --from and --to, not both'],
    [['--period', '2026-13'], 'not a period: 2026-13: a month is written YYYY-MM, such as 2026-11'],
    [['--from', '2026-11-30', '--to', '2026-11-01'], 'the last day comes before the first'],
    [['--period', '2099-01'], 'not a period: 2099-01: it has not started yet'],
    [['--month', '2026-11'], "Unknown option '--month'"],
  ])('refuses %j with a sentence and the usage (exit 2)', async (args, sentence) => {
    const run = capture(env);
    await expect(runCli(['evidence', ...args], run.io)).resolves.toBe(2);
    expect(run.err()).toContain(sentence);
    expect(run.err()).toContain('usage: patchwarden evidence --period YYYY-MM');
  });

  it('verify: the pack as written is intact (exit 0)', async () => {
    const v = await verify(pack);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/evidence pack 2026-11 \(2026-11-01T00:00:00.000Z to 2026-12-01T00:00:00.000Z\)/);
    expect(v.out).toMatch(/audit log segment: seq \d+–\d+, \d+ events, every link intact/);
    expect(v.out).toContain('pack intact\n');
  });

  it('verify: one byte edited in a stored evidence file is named (exit 1)', async () => {
    const path = copy('edited-png.zip');
    const name = `test-evidence/${ids.f}/f-screenshot.png`;
    const { offset, compressed } = await dataOffset(path, name);
    expect(compressed).toBe(false);
    flipByte(path, offset + 100);
    const v = await verify(path);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`MISMATCH ${name}: SHA-256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64}`));
    expect(v.out).toContain('pack NOT intact: 1 problem\n');
  });

  it('verify: one byte edited in a compressed file is named (exit 1)', async () => {
    const path = copy('edited-csv.zip');
    const { offset, compressed } = await dataOffset(path, 'remediations.csv');
    expect(compressed).toBe(true);
    flipByte(path, offset + 40);
    const v = await verify(path);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/MISMATCH remediations\.csv: /);
  });

  it('verify: one byte edited in the audit log segment is named by its seq (exit 1)', async () => {
    const path = copy('edited-log.zip');
    const { offset } = await dataOffset(path, 'audit-log.jsonl');
    flipByte(path, offset + 30);
    const v = await verify(path);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/MISMATCH audit-log\.jsonl/);
  });

  it('verify: not a zip, or no such file (exit 1)', async () => {
    writeFileSync(join(dir, 'not.zip'), 'hello');
    await expect(verify(join(dir, 'not.zip'))).resolves.toMatchObject({ code: 1, out: expect.stringContaining('is not a readable zip file') });
    const run = capture({});
    await expect(runCli(['evidence', 'verify', join(dir, 'none.zip')], run.io)).resolves.toBe(1);
    expect(run.err()).toContain('no such file');
  });

  describe('an audit log edited in the store before the export', () => {
    /** A copy of the seeded database with one event's data rewritten, as someone with file access could. */
    function tamperedStore(name: string, pickSeq: (db: Database.Database) => number): { path: string; seq: number } {
      const path = join(dir, `${name}.db`);
      copyFileSync(db, path);
      const conn = new Database(path);
      const seq = pickSeq(conn);
      conn.exec('DROP TRIGGER audit_events_no_update');
      conn.prepare("UPDATE audit_events SET data = json_set(data, '$.tampered', 1) WHERE seq = ?").run(seq);
      conn.close();
      return { path, seq };
    }

    it.each([
      ['inside the month', "SELECT MIN(seq) FROM audit_events WHERE at >= '2026-11-10'"],
      ['before the month', "SELECT MIN(seq) FROM audit_events WHERE at < '2026-11-01'"],
    ])('%s: the pack says so, the export exits 1, and verify names the seq', async (where, sql) => {
      const { path, seq } = tamperedStore(`tampered-${where.split(' ')[0]}`, (c) => c.prepare(sql).pluck().get() as number);
      const out = join(dir, `tampered-${seq}.zip`);
      const run = capture({ ...env, PATCHWARDEN_DB: path });
      await expect(runCli(['evidence', '--period', '2026-11', '--out', out], run.io)).resolves.toBe(1);
      expect(run.err()).toContain(`warning: The audit log in the store is broken at seq ${seq}`);
      expect((await readZip(out)).get('index.html')!.toString()).toContain(`Audit chain BROKEN at seq ${seq}</strong>`);
      const v = await verify(out);
      expect(v.code).toBe(1);
      expect(v.out).toContain(`MISMATCH the audit log was already broken in the store when the pack was made: at seq ${seq}`);
      if (where === 'inside the month') expect(v.out).toContain(`MISMATCH audit-log.jsonl: audit chain BROKEN at seq ${seq}: hash does not match the event’s content`);
    });
  });
});
