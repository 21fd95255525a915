import { createHash } from 'node:crypto';
import type { ContractContext } from './contract-context.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

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
}
