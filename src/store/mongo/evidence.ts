import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import mongoose from 'mongoose';
import { EvidenceCorrupted, EvidenceTooLarge, type EvidenceStore } from '../../app/ports.js';

const SHA256 = /^[0-9a-f]{64}$/;
const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface EvidenceMeta {
  readonly name: string;
  readonly mimeType: string;
  readonly sha256: string;
}

/**
 * Evidence files in GridFS (bucket `evidence`), content-addressed: the filename is the SHA-256, the metadata
 * keeps name, type and hash. Storing the same bytes again keeps the stored copy if it still hashes right, and
 * replaces it if not (a damaged copy, or one whose chunks are gone, is repaired by the next upload of the same
 * file); reading re-hashes them. Two replicas storing the same new bytes at once may both upload: the copies are
 * identical and `get` reads the first.
 *
 * `receive` streams a file into GridFS under a name of its own (`incoming:<uuid>`, never a SHA-256, so never read),
 * hashing it on the way; `keep` gives it its SHA-256 name and metadata (or drops it when an intact copy is there
 * already), `discard` deletes it. Incoming files a crash left are deleted once they are a day old.
 */
export function createGridFsEvidenceStore(db: mongoose.mongo.Db): EvidenceStore {
  const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' });
  const first = async (sha256: string) =>
    (await bucket.find({ filename: sha256 }).sort({ uploadDate: 1, _id: 1 }).limit(1).toArray())[0] ?? null;
  const described = (file: mongoose.mongo.GridFSFile): { name: string; mimeType: string } => {
    const meta = file.metadata as Partial<EvidenceMeta> | undefined;
    return { name: meta?.name ?? '', mimeType: meta?.mimeType ?? 'application/octet-stream' };
  };

  /** The bytes of a stored copy, or null when its chunks are cut, padded or gone. */
  async function read(id: mongoose.mongo.ObjectId): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of bucket.openDownloadStream(id)) chunks.push(chunk as Buffer);
    } catch (e) {
      if (e instanceof mongoose.mongo.MongoGridFSChunkError || /FileNotFound/.test(String(e))) return null;
      throw e;
    }
    return Buffer.concat(chunks);
  }

  /**
   * Whether the first stored copy is intact; damaged first copies are removed on the way (the next may be good).
   * `first`: the metadata of the first copy there was, so a repaired copy keeps the name it was first stored under.
   */
  async function storedIntact(sha256: string): Promise<{ intact: boolean; first: Partial<EvidenceMeta> | null }> {
    let meta: Partial<EvidenceMeta> | null = null;
    for (let file = await first(sha256); file; file = await first(sha256)) {
      meta ??= (file.metadata as Partial<EvidenceMeta> | undefined) ?? {};
      const bytes = await read(file._id);
      if (bytes && sha256Of(bytes) === sha256) return { intact: true, first: meta };
      await bucket.delete(file._id).catch((e: unknown) => {
        if (!/FileNotFound/.test(String(e))) throw e; // removed meanwhile by another repairer
      });
    }
    return { intact: false, first: meta };
  }

  const files = db.collection<mongoose.mongo.GridFSFile>('evidence.files');
  const INCOMING = 'incoming:';
  let swept: Promise<void> | null = null;
  const sweep = async (): Promise<void> => {
    const before = new Date(Date.now() - 24 * 60 * 60_000);
    for (const f of await bucket.find({ filename: { $regex: `^${INCOMING}` }, uploadDate: { $lt: before } }).toArray()) {
      await bucket.delete(f._id).catch(() => undefined);
    }
  };

  return {
    receive: async (body, name, mimeType, maxBytes) => {
      swept ??= sweep().catch(() => undefined);
      const upload = bucket.openUploadStream(`${INCOMING}${randomUUID()}`, { metadata: { name, mimeType } });
      // A chunk write still in flight when the upload fails or is aborted reports its error on the stream later:
      // kept here (thrown at the next chunk) rather than left unhandled.
      let failed: unknown = null;
      upload.on('error', (e: unknown) => {
        failed ??= e;
      });
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of body) {
          if (failed) throw failed;
          size += chunk.byteLength;
          // Stops reading here: leaving the loop cancels the download.
          if (size > maxBytes) throw new EvidenceTooLarge(maxBytes);
          hash.update(chunk);
          if (!upload.write(chunk)) await once(upload, 'drain');
        }
        if (failed) throw failed;
        await new Promise<void>((resolve, reject) => {
          upload.once('finish', () => resolve()).once('error', reject);
          upload.end();
        });
      } catch (e) {
        await upload.abort().catch(() => undefined);
        throw e;
      }
      const sha256 = hash.digest('hex');
      const id = upload.id;
      return {
        sha256,
        size,
        keep: async () => {
          const stored = await storedIntact(sha256);
          if (stored.intact) {
            await bucket.delete(id);
            return;
          }
          const metadata: EvidenceMeta = { name: stored.first?.name ?? name, mimeType: stored.first?.mimeType ?? mimeType, sha256 };
          await files.updateOne({ _id: id }, { $set: { filename: sha256, metadata } });
        },
        discard: () => bucket.delete(id),
      };
    },
    put: async (bytes, name, mimeType) => {
      const sha256 = sha256Of(bytes);
      const stored = await storedIntact(sha256);
      if (!stored.intact) {
        const metadata: EvidenceMeta = { name: stored.first?.name ?? name, mimeType: stored.first?.mimeType ?? mimeType, sha256 };
        const upload = bucket.openUploadStream(sha256, { metadata });
        await new Promise<void>((resolve, reject) => {
          upload.once('finish', () => resolve()).once('error', reject);
          upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        });
      }
      return { sha256, size: bytes.byteLength };
    },
    get: async (sha256) => {
      const file = SHA256.test(sha256) ? await first(sha256) : null;
      if (!file) return null;
      // Recorded, then its chunks lost, cut or padded (or the file removed while we read it), or its bytes changed.
      const bytes = await read(file._id);
      if (!bytes || sha256Of(bytes) !== sha256) throw new EvidenceCorrupted(sha256);
      return { bytes, ...described(file) };
    },
    has: async (sha256) => SHA256.test(sha256) && (await first(sha256)) !== null,
    open: async (sha256) => {
      const file = SHA256.test(sha256) ? await first(sha256) : null;
      if (!file) return null;
      // Chunks lost or cut surface as an error of the stream, as the bytes are read.
      return { stream: bucket.openDownloadStream(file._id), ...described(file), size: file.length };
    },
  };
}
