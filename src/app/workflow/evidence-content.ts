/**
 * Whether a downloaded evidence file is what its name says: a name ending in `.png` is only a promise, so the
 * first bytes are checked (PNG, JPEG and PDF signatures); text files (txt, log) may hold anything printable but no
 * NUL byte and no executable header. An empty file is never evidence.
 */
import type { AppError } from '../errors.js';

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
/** PDF readers accept the header anywhere in the first kilobyte. */
const PDF_HEADER_WITHIN = 1024;
/** Windows PE (MZ), ELF, Mach-O (both byte orders, and fat binaries), Java class files. */
const EXECUTABLES = [[0x4d, 0x5a], [0x7f, 0x45, 0x4c, 0x46], [0xcf, 0xfa, 0xed, 0xfe], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]];
/** How much of a text file is looked at for NUL bytes: the most any check reads (a file streams past the rest). */
export const CONTENT_CHECKED_BYTES = 64 * 1024;
const TEXT_SCAN = CONTENT_CHECKED_BYTES;

export const extensionOf = (name: string): string => (name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '');

function pdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - PDF.length, PDF_HEADER_WITHIN);
  for (let i = 0; i <= end; i += 1) if (startsWith(bytes, PDF, i)) return true;
  return false;
}

function looksLikeText(bytes: Uint8Array): boolean {
  if (EXECUTABLES.some((sig) => startsWith(bytes, sig))) return false;
  return !bytes.subarray(0, TEXT_SCAN).includes(0);
}

const KINDS: Record<string, { label: string; check: (bytes: Uint8Array) => boolean }> = {
  png: { label: 'PNG image', check: (b) => startsWith(b, PNG) },
  jpg: { label: 'JPEG image', check: (b) => startsWith(b, JPEG) },
  jpeg: { label: 'JPEG image', check: (b) => startsWith(b, JPEG) },
  pdf: { label: 'PDF document', check: pdfHeader },
  txt: { label: 'text file', check: looksLikeText },
  log: { label: 'text file', check: looksLikeText },
};

/** Why these bytes are not acceptable evidence under this name, or null when they are. */
export function contentProblem(name: string, bytes: Uint8Array): AppError | null {
  if (bytes.length === 0) return { code: 'evidence.empty', name };
  const ext = extensionOf(name);
  if (!Object.hasOwn(KINDS, ext)) return null; // the extension itself is checked before anything is downloaded
  const kind = KINDS[ext]!;
  return kind.check(bytes) ? null : { code: 'evidence.content_mismatch', name, expected: kind.label };
}
