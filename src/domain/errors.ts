import type { Permission, Role } from './roles.js';
import type { RemediationState } from './remediation-state.js';

/** Expected failures of the domain. Each is a value with a `code`; the Slack layer turns it into a sentence. */
export type DomainError =
  | { readonly code: 'auth.forbidden'; readonly permission: Permission; readonly required: readonly Role[] }
  | { readonly code: 'remediation.invalid_state'; readonly action: string; readonly state: RemediationState; readonly allowed: readonly RemediationState[] }
  | { readonly code: 'approval.separation_of_duties' }
  | { readonly code: 'input.required'; readonly field: string }
  | { readonly code: 'input.too_long'; readonly field: string; readonly max: number }
  | { readonly code: 'test.evidence_required' }
  | { readonly code: 'schedule.window_in_past'; readonly endsAt: string }
  | { readonly code: 'risk.expiry_in_past'; readonly expiresAt: string }
  | { readonly code: 'risk.expiry_too_far'; readonly expiresAt: string; readonly maxDays: number }
  | { readonly code: 'risk.not_expired'; readonly expiresAt: string }
  | { readonly code: 'deployment.unknown'; readonly deploymentId: string }
  | { readonly code: 'input.not_a_link'; readonly field: string }
  | { readonly code: 'schedule.window_open'; readonly endsAt: string }
  | { readonly code: 'emergency.self_approval' }
  | { readonly code: 'emergency.already_approved'; readonly by: string }
  | { readonly code: 'verification.not_manual' };

export type DomainErrorCode = DomainError['code'];
