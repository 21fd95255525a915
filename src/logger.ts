/**
 * pino, with every token and secret redacted: known key names at any of the first few levels, and token-shaped
 * strings (xoxb-, xapp-, ghp_, github_pat_, mongodb://user:pass@, a payload's "token" and "response_url", a Socket
 * Mode ticket) wherever they appear in a message or error. Socket Mode's frames are summarised (boltLogger).
 */
import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import type { Logger as BoltLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';

export type Logger = PinoLogger;

const SECRET_KEYS = [
  'token', 'botToken', 'appToken', 'signingSecret', 'clientSecret', 'secret', 'password', 'authorization', 'Authorization',
  'cookie', 'x-slack-signature', 'mongodbUri', 'uri', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'apiKey',
];
const PREFIXES = ['', '*.', '*.*.', '*.*.*.', 'headers.', '*.headers.', 'config.*.', 'req.headers.', 'request.headers.', 'err.config.headers.', 'err.request.headers.'];

/** Every redacted path: the secret key names under the common nestings. */
export const REDACT_PATHS = [...new Set(PREFIXES.flatMap((p) => SECRET_KEYS.map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${p}${k}` : `${p}["${k}"]`))))];

/** A JSON member `"name":"value"`, also inside JSON quoted in another string (`\"name\":\"value\"`). */
const jsonMember = (names: string): RegExp => new RegExp(`(\\\\*"(?:${names})\\\\*"\\s*:\\s*\\\\*")(?:[^"\\\\]|\\\\(?!"))*`, 'g');

const TOKEN_PATTERNS: [RegExp, string][] = [
  // Slack payloads: the legacy verification token, response_urls (they post as the app), Socket Mode tickets.
  [jsonMember('token|response_url|signing_secret|client_secret|access_token|bot_token|app_token'), '$1[REDACTED]'],
  [/\b(token|response_url)=[^&\s"\\]+/g, '$1=[REDACTED]'],
  [/([?&]ticket=)[^&\s"\\]+/g, '$1[REDACTED]'],
  [/\bhttps:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"\\]+/g, 'https://hooks.slack.com/[REDACTED]'],
  // A response_url on any host (GovSlack, a proxy): /commands|actions/<team>/<number>/<secret>.
  [/(\/(?:commands|actions)\/T[A-Z0-9]+\/\d+\/)[A-Za-z0-9]+/g, '$1[REDACTED]'],
  [/\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g, '$1-[REDACTED]'],
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, '$1_[REDACTED]'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, 'github_pat_[REDACTED]'],
  [/\b(mongodb(?:\+srv)?:\/\/)[^@\s/]+@/g, '$1[REDACTED]@'],
  [/\b(token|bearer)\s+[A-Za-z0-9._~+/-]{16,}=*/gi, '$1 [REDACTED]'],
];

/** Replaces token-shaped substrings; used on log messages and error texts. */
export function scrubSecrets(text: string): string {
  return TOKEN_PATTERNS.reduce((s, [re, to]) => s.replace(re, to), text);
}

const scrubValue = (v: unknown): unknown => (typeof v === 'string' ? scrubSecrets(v) : v);

/** Strings scrubbed at any depth (up to 8 levels, cycles left alone). */
function scrubDeep(v: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof v === 'string') return scrubSecrets(v);
  if (v === null || typeof v !== 'object' || depth > 8 || seen.has(v)) return v;
  seen.add(v);
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, depth + 1, seen));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubDeep(x, depth + 1, seen)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream, base: LoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    level,
    base: { app: 'patchwarden' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      // Every string in the error, its causes and wrapped originals included (Bolt wraps listener errors).
      err: (e: unknown) => scrubDeep(pino.stdSerializers.err(e as Error)),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map(scrubValue) as Parameters<typeof method>);
      },
    },
    ...base,
  };
  return destination ? pino(options, destination) : pino(options);
}

const BOLT_LEVELS: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR, fatal: LogLevel.ERROR, silent: LogLevel.ERROR };

/**
 * Socket Mode's client logs every frame it receives at debug, whole: the payload of a command or a click is the
 * person's input plus tokens and response_urls. Only what identifies the frame is kept.
 */
const FRAME_PREFIXES = ['Received a message on the WebSocket: ', 'Unable to parse an incoming WebSocket message (will ignore): '];

export function summariseFrame(text: string): string {
  const prefix = FRAME_PREFIXES.find((p) => text.startsWith(p));
  if (!prefix) return text;
  const rest = text.slice(prefix.length);
  try {
    const frame = JSON.parse(rest) as Record<string, unknown>;
    const kept = Object.fromEntries(['type', 'envelope_id', 'retry_attempt', 'retry_reason', 'reason', 'num_connections'].filter((k) => k in frame).map((k) => [k, frame[k]]));
    return `${prefix}${JSON.stringify(kept)} (payload not logged)`;
  } catch {
    return `${prefix}(${rest.length} characters, not logged)`;
  }
}

/** Bolt's Logger interface on top of pino, so Bolt's own messages are structured and redacted too. */
export function boltLogger(logger: Logger): BoltLogger {
  let log = logger.child({ component: 'bolt' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const [first, ...rest] = msg;
    if (first instanceof Error) log[level]({ err: first }, rest.map(String).join(' ') || first.message);
    else log[level](summariseFrame(msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ')));
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => undefined, // the level is LOG_LEVEL's, for Bolt as for everything else
    getLevel: () => BOLT_LEVELS[logger.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      log = logger.child({ component: name });
    },
  };
}
