/**
 * Create remediation (leads), from an advisory or `/patch new`: title, severity, assets from the inventory (a
 * multi-select of at most 100) or typed (one per line), owner, and (by hand) the CVE ids it is about. It then
 * follows the normal workflow.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import type { Asset } from '../../domain/asset.js';
import { SEVERITIES } from '../../domain/severity.js';
import { INPUT, VIEW } from '../ids.js';
import { advisoryTitle } from './advisory-message.js';
import { SEVERITY_LABEL, truncate } from './format.js';
import { input, md, option, plain } from './modal-parts.js';

const SEVERITY_TEXT = (s: (typeof SEVERITIES)[number]): string => SEVERITY_LABEL[s].replace(/^:[a-z_]+: /, '');

export function newRemediationModal(m: { from: AdvisoryStatus | null; assets: readonly Asset[]; privateMetadata: string }): ModalView {
  const severities = SEVERITIES.map((s) => option(SEVERITY_TEXT(s), s));
  const assets = m.assets.slice(0, 100).map((a) => option(truncate(`${a.name} (${a.source})`, 75), a.id.slice(0, 75)));
  const blocks: KnownBlock[] = [
    m.from
      ? { type: 'section', block_id: 'origin', text: md(`From the advisory *${advisoryTitle(m.from)}*${m.from.advisory.cves.length ? ` (${m.from.advisory.cves.slice(0, 6).join(', ')})` : ''}.`) }
      : { type: 'context', block_id: 'origin', elements: [md('For anything no scanner reports: a vendor email, a pen-test finding. It follows the normal workflow; a lead’s recorded check verifies it.')] },
    input(INPUT.title, 'Title', { type: 'plain_text_input', max_length: 200, ...(m.from ? { initial_value: truncate(m.from.advisory.title, 200) } : {}), placeholder: plain('Rotate the TLS certificates of the edge proxies', 150) }),
    input(INPUT.severity, 'Severity', { type: 'static_select', options: severities }),
    ...(assets.length > 0 ? [input(INPUT.assets, 'Assets from the inventory', { type: 'multi_static_select', options: assets, placeholder: plain('Pick the affected assets', 150) }, { optional: true })] : []),
    input(INPUT.typedAssets, assets.length > 0 ? 'Or other assets' : 'Assets', { type: 'plain_text_input', multiline: true, max_length: 2000, placeholder: plain('One per line: payroll-db, vpn-gateway…', 150) }, {
      optional: true,
      hint: 'Assets the inventory does not have yet join it as manual assets.',
    }),
    input(INPUT.owner, 'Owner', { type: 'users_select' }, { optional: true, hint: 'Who sees it through; reminders go to them.' }),
    ...(m.from
      ? []
      : [input(INPUT.cves, 'CVE ids', { type: 'plain_text_input', max_length: 2000, placeholder: plain('CVE-2026-12345, CVE-2026-23456', 150) }, {
          optional: true,
          hint: 'The vulnerabilities it is about, if known. One listed by CISA as exploited is due by CISA’s date.',
        })]),
  ];
  return { type: 'modal', callback_id: VIEW.newRemediation, title: plain('Create remediation', 24), submit: plain('Create', 24), close: plain('Cancel', 24), private_metadata: m.privateMetadata, blocks };
}
