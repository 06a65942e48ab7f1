import type { applicantId } from './applicant-id';

/** English mirror of `applicant-id.ts`. */
export const applicantEn: typeof applicantId = {};
