/** The applicant steps added for officer mode (papers, specimen, agreement), under `applicant`. */
export const applicantId = {};
