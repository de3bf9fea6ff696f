// A case as the `case_view` command answers it, for the pure modules' tests.
import type { CaseView, Dimension, Status } from '../src/lib/types';

export const DIMS: Dimension[] = ['education', 'compensation', 'entitlements', 'livelihood', 'legal', 'health', 'documents'];

export function view(statuses: Partial<Record<Dimension, Status>> = {}, assessedOn: string | null = null): CaseView {
  return {
    case: {
      id: 'c1',
      child: {
        name: 'Ravi Kumar',
        other_names: [],
        sex: 'male',
        birth: { estimated: { years: 12, as_of: '2026-09-01' } },
        caregiver: null,
        address: { district: 'Gaya', block: 'Bodh Gaya', panchayat: null, village: 'Bakraur' },
      },
      rescue: {
        city: 'Jaipur',
        workplace: null,
        rescued_on: null,
        shelter_home: null,
        cwc_order_ref: 'CWC/1',
        returned_on: '2026-09-01',
        receiving_authority: null,
      },
      legal_basis: { kind: 'cwc_order', reference: 'CWC/1', dated: '2026-09-01' },
      needs: DIMS.map((d) => ({
        dimension: d,
        status: statuses[d] ?? 'not_assessed',
        note: null,
        history: statuses[d]
          ? [
              { id: 'h0', status: 'not_enrolled', on: '2026-09-05', by: { user_id: 'u', name: 'U' }, recorded_at: '', visit_id: null, note: null, settles: false },
              { id: 'h1', status: statuses[d], on: '2026-10-01', by: { user_id: 'u', name: 'U' }, recorded_at: '', visit_id: null, note: null, settles: false },
              { id: 'h2', status: statuses[d], on: '2026-11-01', by: { user_id: 'u', name: 'U' }, recorded_at: '', visit_id: null, note: null, settles: false },
            ]
          : [],
      })),
      education: { kind: null, institution: null, enrolled_on: null, attendance: null, class: null },
      services: [],
      legal: {
        court_case_ref: null,
        court: null,
        lawyer_authorised_on: null,
        lawyer_authorised_by: null,
        summonses: [],
        incidents: [],
      },
      documents: {},
      visits: assessedOn
        ? [
            {
              id: 'v1',
              date: assessedOn,
              by: { user_id: 'u', name: 'U' },
              kind: 'initial-assessment',
              met: null,
              note: null,
              next_steps: null,
              recorded_at: '',
              updates: [],
              summons_id: null,
              safety_checked: false,
            },
          ]
        : [],
      risk_override: null,
      referrals: [],
      attachments: [],
      status: {
        state: 'active',
        reason: null,
        closure: null,
        since: '2026-09-01',
        move_request: null,
        move_decision: null,
        merged_into: null,
        merged_from: [],
      },
    },
    age: 12,
    document_kinds: [
      'fir',
      'counselling_report',
      'medical_report',
      'release_certificate',
      'legal_statement',
      'bank_account',
      'identity_card',
      'care_plan',
      'fit_to_travel',
      'learning_report',
    ],
    risk: 'high',
    next_visit: null,
    prompts: [],
    conflicts: [],
    closure_pending: false,
  };
}
