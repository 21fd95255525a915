/** Reading an evidence pack back in tests: every entry's bytes, and where an entry's data starts in the file. */
import yauzl from 'yauzl';

export async function readZip(path: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      out.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return out;
}

/** The offset in the zip file of the first byte of an entry's (possibly compressed) data. */
export async function dataOffset(path: string, name: string): Promise<{ offset: number; compressed: boolean }> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
      return { offset: fileDataStart, compressed: entry.compressionMethod !== 0 };
    }
  } finally {
    zip.close();
  }
  throw new Error(`no ${name} in ${path}`);
}

