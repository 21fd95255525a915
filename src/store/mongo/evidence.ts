import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { EvidenceCorrupted, type EvidenceStore } from '../../app/ports.js';

const SHA256 = /^[0-9a-f]{64}$/;
const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface EvidenceMeta {
  readonly name: string;
  readonly mimeType: string;
  readonly sha256: string;
}

/**
 * Evidence files in GridFS (bucket `evidence`), content-addressed: the filename is the SHA-256, the metadata
 * keeps name, type and hash. Storing the same bytes again changes nothing; reading re-hashes them. Two replicas
 * storing the same new bytes at once may both upload: the copies are identical and `get` reads the first.
 */
export function createGridFsEvidenceStore(db: mongoose.mongo.Db): EvidenceStore {
  const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' });
  const first = async (sha256: string) =>
    (await bucket.find({ filename: sha256 }).sort({ uploadDate: 1, _id: 1 }).limit(1).toArray())[0] ?? null;
  const described = (file: mongoose.mongo.GridFSFile): { name: string; mimeType: string } => {
    const meta = file.metadata as Partial<EvidenceMeta> | undefined;
    return { name: meta?.name ?? '', mimeType: meta?.mimeType ?? 'application/octet-stream' };
  };

  return {
    put: async (bytes, name, mimeType) => {
      const sha256 = sha256Of(bytes);
      if (!(await first(sha256))) {
        const metadata: EvidenceMeta = { name, mimeType, sha256 };
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
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
      } catch (e) {
        // Recorded, then its chunks lost, cut or padded (or the file removed while we read it).
        if (e instanceof mongoose.mongo.MongoGridFSChunkError || /FileNotFound/.test(String(e))) throw new EvidenceCorrupted(sha256);
        throw e;
      }
      const bytes = Buffer.concat(chunks);
      if (sha256Of(bytes) !== sha256) throw new EvidenceCorrupted(sha256);
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
