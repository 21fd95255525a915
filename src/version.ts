import { readFileSync } from 'node:fs';

/** patchwarden's version, from its package.json (one folder above src/ and dist/ alike); `unknown` if unreadable. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
