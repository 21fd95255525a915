/**
 * Assets as people name them. `assetName`: an instance by its name with its id beside it, the rest by name.
 * `assetsNote`: where a remediation is one line (the digest's lists, the App Home), the instances and Snyk projects
 * it is about, by name (a repository is named by its title already); only assets the caller looked up, never an id
 * alone.
 */
import type { Asset } from '../../domain/asset.js';
import type { Remediation } from '../../domain/remediation.js';
import { escapeText, truncate } from './format.js';

/** Assets named on one line; the rest are "and N more" (its message and `/patch show` name them all). */
export const NAMED_PER_LINE = 3;

/** `web-1 (i-0abc…)` for an instance, the name for the rest; the id when the asset is unknown. */
export function assetName(asset: Asset | undefined, id: string): string {
  if (!asset) return id;
  const instanceId = asset.kind === 'instance' ? id.replace(/^ssm:/, '') : null;
  return instanceId && instanceId !== asset.name ? `${asset.name} (${instanceId})` : asset.name;
}

const instancesOf = (r: Pick<Remediation, 'assetIds'>): string[] => r.assetIds.filter((id) => id.startsWith('ssm:'));
const projectsOf = (r: Pick<Remediation, 'assetIds'>): string[] => r.assetIds.filter((id) => id.startsWith('snyk:'));

/** The assets `assetsNote` names (the first few instances and Snyk projects): all a caller needs to look up. */
export const namedAssetIds = (r: Pick<Remediation, 'assetIds'>): string[] => [...instancesOf(r).slice(0, NAMED_PER_LINE), ...projectsOf(r).slice(0, NAMED_PER_LINE)];

function names(ids: readonly string[], assets: ReadonlyMap<string, Asset>): string {
  const shown = ids.slice(0, NAMED_PER_LINE).filter((id) => assets.has(id)).map((id) => escapeText(truncate(assetName(assets.get(id), id), 80)));
  if (shown.length === 0) return '';
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** ` · on web-1 (i-0abc), web-2 (i-0def) and 1 more`, ` · Snyk acme/web:package.json`, or '' (nothing to add). */
export function assetsNote(r: Pick<Remediation, 'assetIds'>, assets: ReadonlyMap<string, Asset>): string {
  const instances = names(instancesOf(r), assets);
  const projects = names(projectsOf(r), assets);
  return `${instances ? ` · on ${instances}` : ''}${projects ? ` · Snyk ${projects}` : ''}`;
}
