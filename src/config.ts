/**
 * The configuration contract (DESIGN.md): secrets and endpoints from the environment, policy from a YAML file.
 * Parsed once at boot by zod; every problem is listed in one message; no value is ever echoed back.
 * This and environment.ts (the raw environment it parses, kept light for the CLI's start-up) are the only modules
 * that read `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { err, ok, type Result } from './domain/result.js';
import { loadDotEnv, storeSettings } from './environment.js';
import { policySchema, type Policy } from './policy.js';

export type { Policy } from './policy.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEFAULT_KEV_URL = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';
const DEFAULT_EPSS_URL = 'https://api.first.org/data/v1/epss';

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** A feed URL: unset means the public default, an empty string turns the feed off. */
const feedUrl = (fallback: string) =>
  z.string().optional().transform((v) => (v === undefined ? fallback : v.trim() === '' ? null : v)).pipe(httpUrl.nullable());

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string({ error: 'missing: the bot token (xoxb-…) of your Slack app' }).regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-')),
  SLACK_API_URL: optional(httpUrl),
  PATCH_CHANNEL: z.string({ error: 'missing: the id (C…) of the channel for the digest and remediation threads' }).regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id such as C0123ABCD (not a #name)'),
  PORT: z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(0).max(65535).default(3000)),
});

const baseEnvSchema = z.object({
  MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')),
  PATCHWARDEN_DB: optional(z.string()),
  PATCHWARDEN_CONFIG: optional(z.string()),
  GITHUB_TOKEN: optional(z.string()),
  GITHUB_ORG: optional(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'must be an organisation login such as acme')),
  GITHUB_API_URL: optional(httpUrl),
  SNYK_TOKEN: optional(z.string()),
  SNYK_ORG_ID: optional(z.uuid({ error: 'must be the organisation’s UUID' })),
  SNYK_API_URL: optional(httpUrl),
  AWS_REGION: optional(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')),
  AWS_ENDPOINT_URL_SSM: optional(httpUrl),
  KEV_URL: feedUrl(DEFAULT_KEV_URL),
  EPSS_URL: feedUrl(DEFAULT_EPSS_URL),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(LOG_LEVELS).default('info')),
  CHROMIUM_PATH: z.string().optional(),
});

/** Where a system Chromium usually is (Debian / Ubuntu packages, Google's). */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export interface SlackConfig {
  readonly botToken: string;
  /** Null only in Socket Mode. */
  readonly signingSecret: string | null;
  readonly appToken: string | null;
  readonly apiUrl: string;
  readonly channel: string;
  readonly port: number;
}

export interface BaseConfig {
  readonly store: { readonly mongodbUri: string | null; readonly dbPath: string };
  readonly github: { readonly token: string; readonly org: string; readonly apiUrl: string } | null;
  readonly snyk: { readonly token: string; readonly orgId: string; readonly apiUrl: string } | null;
  readonly ssm: { readonly region: string; readonly endpoint: string | null } | null;
  readonly feeds: { readonly kevUrl: string | null; readonly epssUrl: string | null };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** The Chromium that prints the evidence pack's report.pdf; null when none is found (or CHROMIUM_PATH is empty). */
  readonly chromiumPath: string | null;
  readonly policy: Policy;
  /** Where the policy came from, for the boot log: a path, or `defaults` when no file exists. */
  readonly policySource: string;
}

export interface Config extends BaseConfig {
  readonly slack: SlackConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

export { DEFAULT_DB_PATH, environment, storeSettings } from './environment.js';

/** Which vulnerability sources are configured (the evidence pack says which are off). */
export const configuredSources = (c: BaseConfig): Readonly<Record<'github' | 'snyk' | 'ssm', boolean>> => ({ github: c.github !== null, snyk: c.snyk !== null, ssm: c.ssm !== null });
/** Reads a file's text, or null when it does not exist. */
export type ReadText = (path: string) => string | null;

const readTextFile: ReadText = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null);

/** CHROMIUM_PATH when set (empty: none), else the first of the usual places that exists. */
function chromiumPath(env: Env, problems: string[], exists: (path: string) => boolean): string | null {
  const given = env.CHROMIUM_PATH;
  if (given === undefined) return CHROMIUM_CANDIDATES.find(exists) ?? null;
  if (given.trim() === '') return null;
  const path = resolve(given.trim());
  if (!exists(path)) problems.push(`CHROMIUM_PATH: no file at ${path}`);
  return path;
}

/** `NAME: problem` for a variable, `file: a.b.c: problem` for the policy file. */
const describeIssues = (file: string | null, error: z.ZodError): string[] =>
  error.issues.map((i) => [file, i.path.map(String).join('.') || null, i.message].filter(Boolean).join(': '));

/** Both of a pair, or neither: a source whose settings are absent is simply off. */
function pair(env: Env, a: string, b: string, problems: string[]): boolean {
  const hasA = Boolean(env[a]?.trim());
  const hasB = Boolean(env[b]?.trim());
  if (hasA !== hasB) problems.push(`${hasA ? b : a}: missing (needed because ${hasA ? a : b} is set)`);
  return hasA && hasB;
}

function parsePolicy(env: Env, readText: ReadText): { policy: Policy | null; source: string; problems: string[] } {
  const explicit = env.PATCHWARDEN_CONFIG?.trim();
  const path = resolve(explicit || './patchwarden.config.yaml');
  const text = readText(path);
  if (text === null) {
    if (explicit) return { policy: null, source: path, problems: [`PATCHWARDEN_CONFIG: no file at ${path}`] };
    return { policy: policySchema.parse({}), source: 'defaults', problems: [] };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    return { policy: null, source: path, problems: [`${path}: not valid YAML (${(e as Error).message.split('\n')[0]})`] };
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) return { policy: null, source: path, problems: describeIssues(path, parsed.error) };
  return { policy: parsed.data, source: path, problems: [] };
}

/** Everything but Slack: what the CLI needs. */
export function parseBaseConfig(env: Env, readText: ReadText = readTextFile, exists: (path: string) => boolean = existsSync): Result<BaseConfig, string[]> {
  const problems: string[] = [];
  const parsed = baseEnvSchema.safeParse(env);
  if (!parsed.success) problems.push(...describeIssues(null, parsed.error));
  const chromium = chromiumPath(env, problems, exists);
  const hasGithub = pair(env, 'GITHUB_TOKEN', 'GITHUB_ORG', problems);
  const hasSnyk = pair(env, 'SNYK_TOKEN', 'SNYK_ORG_ID', problems);
  const { policy, source, problems: policyProblems } = parsePolicy(env, readText);
  problems.push(...policyProblems);
  if (!parsed.success || problems.length > 0 || policy === null) return err(problems);
  const e = parsed.data;
  return ok({
    store: storeSettings(env),
    github: hasGithub ? { token: e.GITHUB_TOKEN!, org: e.GITHUB_ORG!, apiUrl: e.GITHUB_API_URL ?? 'https://api.github.com' } : null,
    snyk: hasSnyk ? { token: e.SNYK_TOKEN!, orgId: e.SNYK_ORG_ID!, apiUrl: e.SNYK_API_URL ?? 'https://api.snyk.io' } : null,
    ssm: e.AWS_REGION ? { region: e.AWS_REGION, endpoint: e.AWS_ENDPOINT_URL_SSM ?? null } : null,
    feeds: { kevUrl: e.KEV_URL, epssUrl: e.EPSS_URL },
    logLevel: e.LOG_LEVEL,
    chromiumPath: chromium,
    policy,
    policySource: source,
  });
}

/** The whole configuration the bot needs to start. */
export function parseConfig(env: Env, readText: ReadText = readTextFile): Result<Config, string[]> {
  const slack = envSchema.safeParse(env);
  const base = parseBaseConfig(env, readText);
  const problems = slack.success ? [] : describeIssues(null, slack.error);
  // HTTP mode verifies every request with the signing secret; Socket Mode has no requests to verify.
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.splice(1, 0, 'SLACK_SIGNING_SECRET: missing: the signing secret from your Slack app’s Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  problems.push(...(base.ok ? [] : base.error));
  if (!slack.success || !base.ok || problems.length > 0) return err(problems);
  const s = slack.data;
  const apiUrl = s.SLACK_API_URL ?? 'https://slack.com/api/';
  return ok({
    ...base.value,
    slack: {
      botToken: s.SLACK_BOT_TOKEN,
      signingSecret: s.SLACK_SIGNING_SECRET ?? null,
      appToken: s.SLACK_APP_TOKEN ?? null,
      apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
      channel: s.PATCH_CHANNEL,
      port: s.PORT,
    },
  });
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[], hint: string) {
    const n = problems.length;
    super([`patchwarden cannot start: the configuration has ${n} problem${n === 1 ? '' : 's'}:`, ...problems.map((p) => `  - ${p}`), hint].join('\n'));
    this.name = 'ConfigError';
  }
}

const SLACK_HINT =
  'Create the Slack app from manifest.json and put its credentials in .env (copy .env.example): see README.md, "Create the Slack app".';
const TOOL_HINT = 'See README.md, "Configuration".';


export function loadConfig(): Config {
  loadDotEnv();
  const parsed = parseConfig(process.env);
  if (!parsed.ok) throw new ConfigError(parsed.error, SLACK_HINT);
  return parsed.value;
}

export function loadBaseConfig(): BaseConfig {
  loadDotEnv();
  const parsed = parseBaseConfig(process.env);
  if (!parsed.ok) throw new ConfigError(parsed.error, TOOL_HINT);
  return parsed.value;
}
