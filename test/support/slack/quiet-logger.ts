/**
 * A @slack/logger Logger that keeps what it is told instead of printing it, for WebClient / Bolt in tests
 * that provoke errors on purpose (WebClient logs every `[ERROR]` in response_metadata.messages).
 */
import { LogLevel, type Logger } from '@slack/web-api';

export interface QuietLogger extends Logger {
  lines: Array<{ level: LogLevel; msg: unknown[] }>;
}

export function quietLogger(): QuietLogger {
  let level = LogLevel.DEBUG;
  const lines: QuietLogger['lines'] = [];
  const keep = (l: LogLevel) => (...msg: unknown[]) => void lines.push({ level: l, msg });
  return {
    lines,
    debug: keep(LogLevel.DEBUG),
    info: keep(LogLevel.INFO),
    warn: keep(LogLevel.WARN),
    error: keep(LogLevel.ERROR),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
