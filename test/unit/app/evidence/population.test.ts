import type { AuditEvent } from '../../../../src/app/audit.js';
import { createPeriodLog, inPopulation } from '../../../../src/app/evidence/population.js';

const FROM = '2026-11-01T00:00:00.000Z';
const TO = '2026-12-01T00:00:00.000Z';
let seq = 0;
const ev = (subject: string, at: string, action: string, to?: string, extra: Record<string, unknown> = {}): AuditEvent =>
  ({ seq: (seq += 1), at: `2026-${at}T09:00:00.000Z`, actor: 'U0LEAD', action, subject, data: { ...(to ? { to } : {}), ...extra }, prevHash: '', hash: '' });

describe('who is in the pack, from the audit trail', () => {
  const log = createPeriodLog(FROM, TO);
  for (const e of [
    ev('PW-1', '10-01', 'remediation.created'), ev('PW-1', '10-05', 'remediation.closed_upstream', 'verified'), // closed all November
    ev('PW-2', '10-01', 'remediation.created'), ev('PW-2', '10-05', 'remediation.closed_upstream', 'verified'), ev('PW-2', '11-07', 'remediation.reopened', 'reopened'),
    ev('PW-3', '10-01', 'remediation.created'), ev('PW-3', '11-10', 'remediation.risk_accepted', 'risk_accepted'), // open until the 10th
    ev('PW-4', '11-20', 'remediation.created'),
    ev('PW-5', '12-02', 'remediation.created'), // after
    ev('PW-6', '10-01', 'remediation.created'), ev('PW-6', '10-02', 'remediation.closed_upstream', 'verified'), ev('PW-6', '12-05', 'remediation.reopened', 'reopened'),
    ev('PW-7', '11-03', 'access.denied'), // says nothing about its state
    ev('sync:1', '11-10', 'sync.completed', undefined, { sources: [{ source: 'snyk', status: 'failed', error: '401' }, { source: 'github', status: 'ok' }] }),
    ev('sync:2', '11-20', 'sync.completed', undefined, { sources: [{ source: 'snyk', status: 'ok' }] }),
    ev('PW-4', '12-03', 'remediation.assessed', 'assessed'),
  ]) log.observe(e);
  const r = log.result();

  it('knows each remediation’s state at the start and the end, and whether it was open inside', () => {
    const t = (id: string) => r.trails.get(id);
    expect(t('PW-1')).toMatchObject({ stateAtStart: 'verified', stateAtEnd: 'verified', openInPeriod: false });
    expect(t('PW-2')).toMatchObject({ stateAtStart: 'verified', stateAtEnd: 'reopened', openInPeriod: true });
    expect(t('PW-3')).toMatchObject({ stateAtStart: 'new', stateAtEnd: 'risk_accepted', openInPeriod: true });
    expect(t('PW-4')).toMatchObject({ stateAtStart: null, stateAtEnd: 'new', openInPeriod: true });
    expect(t('PW-5')).toBeUndefined();
    expect(t('PW-6')).toMatchObject({ stateAtEnd: 'verified', openInPeriod: false });
    expect(t('PW-7')).toBeUndefined();
  });

  it('counts the period’s sync runs per source and finds its seq range', () => {
    expect(r.syncs.get('snyk')).toEqual({ runs: 2, failed: 1, lastOkAt: '2026-11-20T09:00:00.000Z', lastError: '401' });
    expect(r.syncs.get('github')).toEqual({ runs: 1, failed: 0, lastOkAt: '2026-11-10T09:00:00.000Z', lastError: null });
    // Contiguous: from the first November event to the last, older and later ones between them included.
    expect(r.segment).toEqual({ firstSeq: 5, lastSeq: 15 });
  });

  it('judges a remediation the trail says nothing about by its record', () => {
    expect(inPopulation({ createdAt: '2026-10-01T00:00:00.000Z', closedAt: null }, undefined, FROM, TO)).toBe(true);
    expect(inPopulation({ createdAt: '2026-10-01T00:00:00.000Z', closedAt: '2026-10-20T00:00:00.000Z' }, undefined, FROM, TO)).toBe(false);
    expect(inPopulation({ createdAt: '2026-12-01T00:00:00.000Z', closedAt: null }, undefined, FROM, TO)).toBe(false);
    expect(inPopulation({ createdAt: '2026-10-01T00:00:00.000Z', closedAt: null }, r.trails.get('PW-1'), FROM, TO)).toBe(false);
  });
});
