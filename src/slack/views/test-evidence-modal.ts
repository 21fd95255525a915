/**
 * The Upload test evidence modal (engineers, leads): the non-production environment, pass or fail, notes
 * (needed on fail) and up to ten files (screenshots, logs) of at most 10 MB each.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { EVIDENCE_LIMITS } from '../../app/workflow/evidence-intake.js';
import type { Remediation } from '../../domain/remediation.js';
import { INPUT, VIEW } from '../ids.js';
import { escapeText, formatDate, mention, plural, truncate } from './format.js';
import { heading, initialOf, input, md, modalTitle, option, plain } from './modal-parts.js';

export interface TestEvidenceModalInput {
  readonly r: Remediation;
  /** Where tests run: the policy's non-production environments (all of them when none is marked). */
  readonly environments: readonly string[];
  readonly timeZone: string;
  readonly privateMetadata: string;
}

export const RESULTS = [option('Pass: the patch works', 'pass'), option('Fail: it broke something', 'fail')];

function earlier(r: Remediation, timeZone: string): KnownBlock[] {
  const last = r.tests.at(-1);
  if (!last) return [];
  const files = last.files.length > 0 ? `, ${plural(last.files.length, 'file')}` : '';
  const text = `Last run: *${last.result}* in ${escapeText(last.environment)} by ${mention(last.by)} on ${formatDate(last.at, timeZone)}${files}${last.notes ? `: ${escapeText(truncate(last.notes, 300))}` : ''}`;
  return [{ type: 'context', block_id: 'last_test', elements: [md(text)] }];
}

export function testEvidenceModal(m: TestEvidenceModalInput): ModalView {
  const envs = m.environments.filter((e) => e.length <= 75).slice(0, 100).map((e) => option(e, e));
  const types = EVIDENCE_LIMITS.types.filter((t) => t !== 'jpeg').join(', ');
  const blocks: KnownBlock[] = [
    heading(m.r, m.timeZone),
    ...earlier(m.r, m.timeZone),
    input(INPUT.environment, 'Tested in', { type: 'static_select', options: envs, ...(envs.length === 1 ? initialOf(envs, envs[0]!.value) : {}) }),
    input(INPUT.result, 'Result', { type: 'radio_buttons', options: RESULTS }),
    input(INPUT.notes, 'Notes', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('What you checked, what broke…', 150) }, { optional: true, hint: 'Required when the test failed.' }),
    input(INPUT.files, 'Evidence', { type: 'file_input', filetypes: [...EVIDENCE_LIMITS.types], max_files: EVIDENCE_LIMITS.maxFiles }, {
      optional: true,
      hint: `Screenshots or logs: up to ${EVIDENCE_LIMITS.maxFiles} files of ${EVIDENCE_LIMITS.maxBytes / 1_048_576} MB each (${types}). Required for a pass. Each is downloaded, hashed (SHA-256) and kept.`,
    }),
  ];
  return {
    type: 'modal',
    callback_id: VIEW.testEvidence,
    title: modalTitle('Test evidence', m.r.id),
    submit: plain('Record test', 24),
    close: plain('Cancel', 24),
    private_metadata: m.privateMetadata,
    blocks,
  };
}
