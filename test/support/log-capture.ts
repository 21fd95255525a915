/** Everything a bot logs, kept as its lines: hand `stream` to the harness (`logs`) or createLogger, then read it. */
import { Writable } from 'node:stream';

export interface LogCapture {
  readonly stream: Writable;
  /** Every line written so far, as written (pino writes one JSON object per line). */
  lines(): string[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
      done();
    },
  });
  return { stream, lines: () => (partial ? [...lines, partial] : [...lines]) };
}

/** The lines that contain any of `secrets` (each line with the first secret it shows, cut around it). */
export function linesShowing(lines: readonly string[], secrets: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const secret = secrets.find((s) => s.length > 0 && line.includes(s));
    if (secret) out.push(`${secret.slice(0, 6)}… in: ${line.slice(Math.max(0, line.indexOf(secret) - 80), line.indexOf(secret) + 80)}`);
  }
  return out;
}
