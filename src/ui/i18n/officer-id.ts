/** Officer mode's messages in Bahasa Indonesia (part of `id.ts`, under `officer`). */
export const officerId = {};
