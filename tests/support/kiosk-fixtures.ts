/** What use-case tests of the kiosk share: the shipped settings, made quick where only speed differs. */
import { certificateProfiles } from '../../src/app/certificate-profiles';
import type { ProfileSet } from '../../src/core/certificate/profile';
import { type ChecklistItem, checklistFor } from '../../src/core/officer/checklist';
import type { DecisionRules } from '../../src/core/officer/decision';

/** The shipped profiles, with P-256 keys so that the suite does not wait on RSA prime searches. */
export function fastProfiles(): ProfileSet {
  const profiles = structuredClone(certificateProfiles);
  for (const profile of Object.values(profiles.profiles)) profile.keyAlgorithm = 'ECDSA-P256';
  return profiles;
}

/** One rejection reason: the tests that take these rules approve. */
export const APPROVING_RULES: DecisionRules = {
  rejectionReasons: [{ code: 'lainnya', id: 'Lainnya', en: 'Other', needsNote: true }],
};

/** Everything an officer ticks for an individu application without warnings. */
export const INDIVIDU_CHECKLIST: ChecklistItem[] = checklistFor('individu', { hasWarnings: false });
