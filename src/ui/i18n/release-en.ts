import type { releaseId } from './release-id';

/** The end-of-day release's messages in English, mirroring `release-id.ts`. */
export const releaseEn: typeof releaseId = {
  heading: 'End-of-day release',
  intro:
    'A second officer reviews the approved applications and releases them to the CA. Applications you approved yourself must be released by another officer (two-person rule).',
  ruleOff: 'The two-person rule is off on this kiosk: the approving officer may release too.',
  loading: 'Loading the approved applications…',
  empty: 'No approved application is waiting for release.',
  today: 'Today, {{ date }}',
  dayCount: '{{ count }} applications',
  selectAll: 'Select all',
  selectNone: 'Clear selection',
  selected: '{{ count }} selected of {{ total }} that can be released',
  submit: 'Release to the CA ({{ count }})',
  decided: 'Approved {{ time }}',
  decidedBy: 'Approved by {{ nama }}, {{ time }}',
  blocked: {
    'self-release':
      'You approved this application yourself. A second officer must release it (two-person rule).',
    'not-synced': 'Not yet synced to the server. Sync first, then it can be released.',
  },
  syncNow: 'Sync now',
  syncing: 'Syncing applications to the server…',
  syncFailed: 'Syncing did not succeed. Check the network or the sync queue, then try again.',
  offline:
    'The kiosk is offline. Releasing to the CA needs a connection to the server; try again once online.',
  working: 'Signing the release and sending it to the server… Please wait.',
  resultsHeading: 'Release results',
  resultsSummary: '{{ released }} released, {{ other }} not released.',
  outcomes: {
    released: 'Released to the CA.',
    refused: {
      'self-release': 'Refused: you approved this application yourself (two-person rule).',
      'not-approved': 'Refused: this application is not approved.',
      'unknown-application': 'Refused: the server does not know this application yet. Sync first.',
      'already-released': 'Already released before.',
      other: 'Refused by the server ({{ code }}).',
    },
    'not-sent': {
      offline: 'Not sent: the connection to the server was lost. Try again once online.',
      'not-enrolled': 'Not sent: the server does not recognise this kiosk.',
      server: 'Not sent: the server has a problem. Try again shortly.',
    },
  },
  problems: {
    offline: 'The server cannot be reached. Releasing to the CA needs a connection; nothing was released.',
    'not-enrolled':
      'The server does not recognise this kiosk, or the officer key predates the kiosk’s re-enrollment. Enroll the kiosk or the officer again.',
    server: 'The server has a problem; nothing was released. Try again shortly.{{ suffix }}',
    'nothing-to-release': 'Select at least one application to release.',
    unexpected:
      'Something unexpected went wrong; the release may not have been sent. Reload the list and try again.',
  },
};
