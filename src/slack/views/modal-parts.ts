/** Small typed pieces the workflow's modals share: text objects, options, inputs, the remediation's heading. */
import type { InputBlock, KnownBlock, MrkdwnElement, Option, PlainTextElement, PlainTextOption, SectionBlock } from '@slack/types';
import type { Remediation } from '../../domain/remediation.js';
import { escapeText, formatDate, SEVERITY_LABEL, STATE_LABEL, truncate } from './format.js';

export const plain = (text: string, max = 3000): PlainTextElement => ({ type: 'plain_text', text: truncate(text, max) });
export const md = (text: string, max = 3000): MrkdwnElement => ({ type: 'mrkdwn', text: truncate(text, max) });

/** An option: text and value at most 75 characters (values must be short enough already: they are read back). */
export const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, 75), value });

/** `Assess PW-12`, or just `Assess` when the id would push the title past Slack's 24 characters. */
export const modalTitle = (verb: string, id: string): PlainTextElement => plain(`${verb} ${id}`.length <= 24 ? `${verb} ${id}` : verb, 24);

export interface InputOptions {
  readonly optional?: boolean;
  readonly hint?: string;
  readonly dispatch?: boolean;
}

/** An input block whose block_id and action_id are the same id (see ids.ts INPUT). */
export function input(id: string, label: string, element: InputBlock['element'], o: InputOptions = {}): InputBlock {
  return {
    type: 'input',
    block_id: id,
    label: plain(label, 2000),
    element: { ...element, action_id: id } as InputBlock['element'],
    ...(o.optional ? { optional: true } : {}),
    ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
    ...(o.dispatch ? { dispatch_action: true } : {}),
  };
}

export const initialOf = <T extends Option>(options: readonly T[], value: string | null | undefined): { initial_option: T } | Record<string, never> => {
  const found = options.find((o) => o.value === value);
  return found ? { initial_option: found } : {};
};

/** The remediation in two lines: id and title, then severity, state and due date. */
export function heading(r: Remediation, timeZone: string): SectionBlock {
  const kev = r.kevDueAt ? ' · :rotating_light: KEV' : '';
  return {
    type: 'section',
    block_id: 'remediation',
    text: md(`*${r.id} · ${escapeText(truncate(r.title, 500))}*\n${SEVERITY_LABEL[r.severity]}${kev} · ${STATE_LABEL[r.state]} · due ${formatDate(r.dueAt, timeZone)}`),
  };
}

export const divider = (id: string): KnownBlock => ({ type: 'divider', block_id: id });
