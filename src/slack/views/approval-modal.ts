/**
 * The Approve modal (leads, approvers) and its Schedule mode (leads). Decide mode shows the test evidence
 * (who, when, result, every file with size and SHA-256) and the targets, offers the maintenance windows (those
 * meeting the due date first) and what is behind it in short (its findings, or a patch run's patches and hosts), a change ticket, approve or reject, and a reason. Schedule mode offers windows only.
 */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { SlotOption } from '../../domain/maintenance.js';
import type { Asset } from '../../domain/asset.js';
import type { EvidenceFile, Remediation, TestRecord } from '../../domain/remediation.js';
import type { DecisionMode } from '../../app/workflow/decide.js';
import { slotOptionValue } from './slot-option.js';
import { INPUT, VIEW } from '../ids.js';
import { escapeText, formatDate, formatDateTime, mention, plural, truncate } from './format.js';
import { heading, input, md, modalTitle, option, plain } from './modal-parts.js';
import type { FindingsDetail } from '../../app/reports/findings-detail.js';
import { MODAL_FINDINGS } from './assess-modal.js';
import { assetName } from './asset-names.js';
import { findingsBlocks } from './findings.js';

export interface ApprovalModalInput {
  readonly r: Remediation;
  readonly mode: DecisionMode;
  /** Windows to offer, or null when this person may not schedule (approvers approve; leads schedule). */
  readonly slots: readonly SlotOption[] | null;
  readonly targets: readonly Asset[];
  /** What is behind it, in short. */
  readonly detail: FindingsDetail;
  /** What deploying it would do (src/slack/views/blast-radius.ts); empty when it is not deployed by patchwarden. */
  readonly blastRadius?: readonly KnownBlock[];
  readonly timeZone: string;
  readonly privateMetadata: string;
}

export const DECISIONS = [option('Approve', 'approve'), option('Reject: back to testing', 'reject')];
const MAX_OPTIONS = 100;
const MAX_TARGETS = 15;

/** `2.4 MB`, `12.3 KB`, `512 B`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

const fileLine = (f: EvidenceFile): string => `• ${escapeText(truncate(f.name, 80))} · ${formatSize(f.size)} · sha256 \`${f.sha256.slice(0, 12)}…\``;

function evidence(r: Remediation, timeZone: string): KnownBlock[] {
  const passing = r.tests.filter((t) => t.result === 'pass');
  const test: TestRecord | undefined = passing.at(-1) ?? r.tests.at(-1);
  if (!test) return [{ type: 'section', block_id: 'evidence', text: md('*Test evidence*\nNone recorded yet.') }];
  const notes = test.notes ? `\n>${escapeText(truncate(test.notes, 500)).replace(/\n/g, '\n>')}` : '';
  const head = `*Test evidence*\n*${test.result}* in ${escapeText(test.environment)} by ${mention(test.by)}, ${formatDateTime(test.at, timeZone)}${notes}`;
  const files = test.files.length > 0 ? test.files.map(fileLine).join('\n') : '_no files_';
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: 'evidence', text: md(head) },
    { type: 'section', block_id: 'evidence_files', text: md(files) },
  ];
  if (r.tests.length > 1) {
    blocks.push({ type: 'context', block_id: 'evidence_runs', elements: [md(`${plural(r.tests.length, 'test run')} in all (${plural(passing.length, 'pass', 'passes')}); every run is in the thread.`)] });
  }
  return blocks;
}

function targets(r: Remediation, assets: readonly Asset[]): KnownBlock {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const lines = r.assetIds.slice(0, MAX_TARGETS).map((id) => {
    const a = byId.get(id);
    return a ? `• ${escapeText(truncate(assetName(a, id), 120))} (${a.kind}${a.environment ? `, ${escapeText(a.environment)}` : ''})` : `• ${escapeText(truncate(id, 120))}`;
  });
  const more = r.assetIds.length > MAX_TARGETS ? `\n…and ${r.assetIds.length - MAX_TARGETS} more` : '';
  return { type: 'section', block_id: 'targets', text: md(`*Targets*\n${lines.join('\n') || '_none recorded_'}${more}`) };
}

function slotOption(o: SlotOption, timeZone: string): PlainTextOption {
  const label = truncate(`${formatDateTime(o.slot.startsAt, timeZone)} · ${o.slot.windowName}`, 62);
  return option(`${label} · ${o.meetsDueDate ? 'on time' : 'late'}`, slotOptionValue(o.slot));
}

function windowInput(r: Remediation, slots: readonly SlotOption[], mode: DecisionMode, timeZone: string): KnownBlock {
  const offered = slots.slice(0, MAX_OPTIONS);
  const onTime = offered.filter((o) => o.meetsDueDate).map((o) => slotOption(o, timeZone));
  const late = offered.filter((o) => !o.meetsDueDate).map((o) => slotOption(o, timeZone));
  const due = formatDate(r.dueAt, timeZone);
  const groups = [
    ...(onTime.length > 0 ? [{ label: plain(truncate(`Meets the due date (${due})`, 75)), options: onTime }] : []),
    ...(late.length > 0 ? [{ label: plain(truncate(`After the due date (${due})`, 75)), options: late }] : []),
  ];
  const hint = `Times in ${timeZone}.${mode === 'decide' ? ' Leave empty to schedule later.' : ''}`;
  return input(INPUT.window, 'Maintenance window', { type: 'static_select', option_groups: groups, placeholder: plain('Pick a window', 150) }, { optional: mode === 'decide', hint });
}

function windowBlocks(m: ApprovalModalInput): KnownBlock[] {
  if (m.slots === null) return [{ type: 'context', block_id: 'window_note', elements: [md('A lead schedules it into a maintenance window once it is approved.')] }];
  if (m.slots.length === 0) return [{ type: 'context', block_id: 'window_note', elements: [md('No maintenance window in the policy serves this remediation; it can be scheduled once one is added.')] }];
  return [windowInput(m.r, m.slots, m.mode, m.timeZone)];
}

export function approvalModal(m: ApprovalModalInput): ModalView {
  const { r } = m;
  const common = { type: 'modal' as const, close: plain('Cancel', 24), private_metadata: m.privateMetadata };
  if (m.mode === 'schedule') {
    const current = r.schedule && r.state === 'scheduled' ? `Now in *${escapeText(r.schedule.windowName)}*, ${formatDateTime(r.schedule.startsAt, m.timeZone)}.` : 'Not in a window yet.';
    const verb = r.state === 'approved' ? 'Schedule' : 'Reschedule';
    return {
      ...common,
      callback_id: VIEW.approval,
      title: modalTitle(verb, r.id),
      submit: plain(verb, 24),
      blocks: [heading(r, m.timeZone), { type: 'context', block_id: 'current_window', elements: [md(current)] }, targets(r, m.targets), ...(m.blastRadius ?? []), ...windowBlocks(m)],
    };
  }
  const blocks: KnownBlock[] = [
    heading(r, m.timeZone),
    ...findingsBlocks(m.detail, { limit: MODAL_FINDINGS, rest: `\`/patch show ${r.id} findings\` lists every one`, timeZone: m.timeZone }),
    ...evidence(r, m.timeZone),
    targets(r, m.targets),
    ...(m.blastRadius ?? []),
    input(INPUT.decision, 'Decision', { type: 'radio_buttons', options: DECISIONS }),
    ...windowBlocks(m),
    input(INPUT.changeTicket, 'Change ticket', { type: 'plain_text_input', max_length: 100, placeholder: plain('e.g. CHG-1234', 150) }, { optional: true }),
    input(INPUT.reason, 'Reason', { type: 'plain_text_input', multiline: true, max_length: 3000 }, { optional: true, hint: 'Required when you reject: it goes back to testing with it.' }),
  ];
  return { ...common, callback_id: VIEW.approval, title: modalTitle('Approve', r.id), submit: plain('Submit decision', 24), blocks };
}
