/** Tables of transition cases (test/unit/domain): each runs a pure transition and expects a state or a refusal. */
import type { DomainError } from '../../src/domain/errors.js';
import type { Remediation } from '../../src/domain/remediation.js';
import type { RemediationState } from '../../src/domain/remediation-state.js';
import type { Result } from '../../src/domain/result.js';

export interface TransitionCase {
  readonly name: string;
  readonly run: () => Result<Remediation, DomainError>;
  readonly state?: RemediationState;
  readonly check?: (r: Remediation) => void;
  readonly error?: Partial<DomainError>;
}

/** One test per case: the refusal it expects, or the state, `updatedAt` = `now`, and its own checks. */
export function itRunsEach(cases: readonly TransitionCase[], now: Date): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = c.run();
    if (c.error) {
      expect(result).toEqual({ ok: false, error: expect.objectContaining(c.error) });
      return;
    }
    if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
    expect(result.value.state).toBe(c.state);
    expect(result.value.updatedAt).toBe(now.toISOString());
    c.check?.(result.value);
  });
}
