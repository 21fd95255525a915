/**
 * The CommandFilter list of ListCommands and ListCommandInvocations, as the SDK model documents it: at most 5,
 * keys InvokedAfter / InvokedBefore (timestamps like 2024-07-07T00:00:00Z, compared with RequestedDateTime),
 * Status (the status, or DeliveryTimedOut / ExecutionTimedOut for the two kinds of TimedOut), ExecutionStage
 * (Executing | Complete; ListCommands only) and DocumentName. Every filter must hold.
 */
import { AwsError, list, type Input } from './protocol.js';

export interface CommandFilter { key?: string; value?: string }

export interface FilterSubject {
  requestedAt: Date;
  documentName: string;
  status: { Status: string; StatusDetails: string };
  /** The run reached its end (Success, Failed, TimedOut...). */
  complete: boolean;
}

const KEYS = ['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName'];
const TIMED_OUT_DETAIL: Record<string, string> = { DeliveryTimedOut: 'Delivery Timed Out', ExecutionTimedOut: 'Execution Timed Out' };

export function readFilters(input: Input, operation: 'ListCommands' | 'ListCommandInvocations'): CommandFilter[] {
  const filters = list<CommandFilter>(input, 'Filters', 5) ?? [];
  for (const f of filters) {
    const key = f.key ?? '';
    if (!KEYS.includes(key)) throw new AwsError('InvalidFilterKey', `The filter key ${key} is not valid.`);
    if (key === 'ExecutionStage' && operation === 'ListCommandInvocations') throw new AwsError('InvalidFilterKey', 'The ExecutionStage filter can only be used with ListCommands.');
    if ((key === 'InvokedAfter' || key === 'InvokedBefore') && Number.isNaN(Date.parse(f.value ?? ''))) {
      throw new AwsError('InvalidFilterKey', `The filter value ${f.value ?? ''} is not a valid timestamp for ${key}.`);
    }
    if (key === 'ExecutionStage' && f.value !== 'Executing' && f.value !== 'Complete') throw new AwsError('InvalidFilterKey', `The filter value ${f.value ?? ''} is not valid for ExecutionStage.`);
  }
  return filters;
}

export function matchesFilters(filters: CommandFilter[], s: FilterSubject): boolean {
  return filters.every((f) => {
    const value = f.value ?? '';
    switch (f.key) {
      case 'InvokedAfter': return s.requestedAt.getTime() >= Date.parse(value);
      case 'InvokedBefore': return s.requestedAt.getTime() < Date.parse(value);
      case 'DocumentName': return s.documentName === value;
      case 'ExecutionStage': return (value === 'Complete') === s.complete;
      case 'Status': return TIMED_OUT_DETAIL[value] !== undefined ? s.status.StatusDetails === TIMED_OUT_DETAIL[value] : s.status.Status === value;
      default: return true;
    }
  });
}
