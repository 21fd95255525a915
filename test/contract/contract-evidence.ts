import { createHash } from 'node:crypto';
import { EvidenceTooLarge } from '../../src/app/ports.js';
import type { ContractContext } from './contract-context.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** `bytes` as a download delivers them, a piece at a time; `fail` thrown after them, if given. */
async function* pieces(bytes: Buffer, size: number, fail?: Error): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  if (fail) throw fail;
}

export function evidenceContract(ctx: ContractContext): void {
  const bytes = Buffer.from('staging smoke test: 42 passed, 0 failed\n');

  it('put stores the bytes under their SHA-256; get and has find them', async () => {
    const stored = await ctx.store().evidence.put(bytes, 'smoke.log', 'text/plain');
    expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length });
    await expect(ctx.store().evidence.has(stored.sha256)).resolves.toBe(true);
    const got = await ctx.store().evidence.get(stored.sha256);
    expect(got).toEqual({ bytes, name: 'smoke.log', mimeType: 'text/plain' });
    expect(Buffer.isBuffer(got?.bytes)).toBe(true);
  });

  it('putting the same bytes twice returns the same file and keeps the first name', async () => {
    const first = await ctx.store().evidence.put(bytes, 'smoke.log', 'text/plain');
    const again = await ctx.store().evidence.put(new Uint8Array(bytes), 'copy.txt', 'application/octet-stream');
    expect(again).toEqual(first);
    await expect(ctx.store().evidence.get(first.sha256)).resolves.toMatchObject({ name: 'smoke.log', mimeType: 'text/plain' });
  });

  it('keeps binary content and empty files intact', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x00]);
    const empty = Buffer.alloc(0);
    const [a, b] = [await ctx.store().evidence.put(png, 'shot.png', 'image/png'), await ctx.store().evidence.put(empty, 'empty.txt', 'text/plain')];
    expect(b).toEqual({ sha256: sha256(empty), size: 0 });
    await expect(ctx.store().evidence.get(a.sha256)).resolves.toMatchObject({ bytes: png });
    await expect(ctx.store().evidence.get(b.sha256)).resolves.toMatchObject({ bytes: empty });
  });

  it('get, has and open of an unknown SHA-256 are null, false and null', async () => {
    const unknown = sha256(Buffer.from('never stored'));
    await expect(ctx.store().evidence.get(unknown)).resolves.toBeNull();
    await expect(ctx.store().evidence.has(unknown)).resolves.toBe(false);
    await expect(ctx.store().evidence.open(unknown)).resolves.toBeNull();
    await expect(ctx.store().evidence.open('../../patchwarden.db')).resolves.toBeNull();
  });

  it('open streams the stored bytes with their name, type and size', async () => {
    const big = Buffer.alloc(600_000, 'staging log line\n'); // several GridFS chunks, several fs reads
    const stored = await ctx.store().evidence.put(big, 'staging.log', 'text/plain');
    const opened = await ctx.store().evidence.open(stored.sha256);
    expect(opened).toMatchObject({ name: 'staging.log', mimeType: 'text/plain', size: big.length });
    const chunks: Buffer[] = [];
    for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(sha256(Buffer.concat(chunks))).toBe(stored.sha256);
  });

  describe('receive: a file streamed in, held apart until kept', () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);

    it('hashes it on the way; kept, it reads back as put would have stored it', async () => {
      const held = await ctx.store().evidence.receive(pieces(big, 64 * 1024), 'trace.log', 'text/plain', 10 * 1024 * 1024);
      expect({ sha256: held.sha256, size: held.size }).toEqual({ sha256: sha256(big), size: big.length });
      await expect(ctx.store().evidence.has(held.sha256)).resolves.toBe(false);
      await held.keep();
      await expect(ctx.store().evidence.get(held.sha256)).resolves.toEqual({ bytes: big, name: 'trace.log', mimeType: 'text/plain' });
    });

    it('discarded, nothing is kept; bytes already stored keep their first name when kept again', async () => {
      const dropped = await ctx.store().evidence.receive(pieces(bytes, 5), 'smoke.log', 'text/plain', 1024);
      await dropped.discard();
      await expect(ctx.store().evidence.has(sha256(bytes))).resolves.toBe(false);
      await ctx.store().evidence.put(bytes, 'first.log', 'text/plain');
      const again = await ctx.store().evidence.receive(pieces(bytes, 5), 'second.log', 'application/octet-stream', 1024);
      await again.keep();
      await expect(ctx.store().evidence.get(sha256(bytes))).resolves.toMatchObject({ name: 'first.log', mimeType: 'text/plain' });
    });

    it('past its limit, or when the stream fails, it throws and keeps nothing', async () => {
      await expect(ctx.store().evidence.receive(pieces(big, 64 * 1024), 'big.log', 'text/plain', 1024 * 1024)).rejects.toBeInstanceOf(EvidenceTooLarge);
      await expect(ctx.store().evidence.receive(pieces(bytes, 5, new Error('connection reset')), 'cut.log', 'text/plain', 1024)).rejects.toThrow('connection reset');
      await expect(ctx.store().evidence.has(sha256(big))).resolves.toBe(false);
      await expect(ctx.store().evidence.has(sha256(bytes))).resolves.toBe(false);
    });
  });
}
