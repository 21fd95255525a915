#!/usr/bin/env node
// Fetches a Go toolchain from the Go module proxy, the same zip `GOTOOLCHAIN=goX.Y.Z` downloads, for machines
// that have Node but no Go (CI). Needs nothing but Node: the zip is read with zlib.
//
//   node scripts/go-toolchain.mjs go1.24.3 .cache/go     prints the path of the `go` binary
//
// GOPROXY's first https entry is used (default https://proxy.golang.org).
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const [version, into] = process.argv.slice(2);
if (!/^go\d+\.\d+(\.\d+)?$/.test(version ?? '') || !into) {
  console.error('usage: node scripts/go-toolchain.mjs go1.24.3 <folder>');
  process.exit(2);
}
const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
if (!arch || !os) {
  console.error(`go-toolchain: no Go toolchain for ${process.platform}/${process.arch}`);
  process.exit(1);
}
const root = resolve(into, `${version}.${os}-${arch}`);
const goBin = join(root, 'bin', 'go');
if (existsSync(goBin)) {
  console.log(goBin);
  process.exit(0);
}

const proxy = (process.env.GOPROXY ?? '').split(/[,|]/).find((p) => p.startsWith('https://')) ?? 'https://proxy.golang.org';
const modVersion = `v0.0.1-${version}.${os}-${arch}`;
const url = `${proxy.replace(/\/$/, '')}/golang.org/toolchain/@v/${modVersion}.zip`;
console.error(`go-toolchain: downloading ${url}`);
const res = await fetch(url);
if (!res.ok) {
  console.error(`go-toolchain: ${url} answered ${res.status}`);
  process.exit(1);
}
const zip = Buffer.from(await res.arrayBuffer());

// The end-of-central-directory record, then every entry of the central directory.
const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) throw new Error('go-toolchain: not a zip file');
const entries = zip.readUInt16LE(eocd + 10);
let at = zip.readUInt32LE(eocd + 16);
const prefix = `golang.org/toolchain@${modVersion}/`;
const tmp = `${root}.tmp`;
rmSync(tmp, { recursive: true, force: true });
for (let i = 0; i < entries; i += 1) {
  if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('go-toolchain: bad central directory');
  const method = zip.readUInt16LE(at + 10);
  const compressed = zip.readUInt32LE(at + 20);
  const nameLength = zip.readUInt16LE(at + 28);
  const extraLength = zip.readUInt16LE(at + 30);
  const commentLength = zip.readUInt16LE(at + 32);
  const mode = zip.readUInt32LE(at + 38) >>> 16;
  const local = zip.readUInt32LE(at + 42);
  const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
  at += 46 + nameLength + extraLength + commentLength;
  if (name.endsWith('/') || !name.startsWith(prefix)) continue;
  const rel = name.slice(prefix.length);
  if (rel.split('/').includes('..')) throw new Error(`go-toolchain: unsafe path ${name}`);
  const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const raw = zip.subarray(dataAt, dataAt + compressed);
  const bytes = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
  if (!bytes) throw new Error(`go-toolchain: unsupported compression ${method} for ${name}`);
  const path = join(tmp, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  if (mode & 0o111) chmodSync(path, 0o755);
}
renameSync(tmp, root);
console.log(goBin);
