import type { guardrailsId } from './guardrails-id';

/** The guardrails in English, mirroring `guardrails-id.ts`. */
export const guardrailsEn: typeof guardrailsId = {
  heading: 'This kiosk has stopped taking new applications',
  intro:
    'Applications already saved are safe and are still sent to the server. New applications are taken again by themselves once the following is resolved:',
  reasons: {
    'too-many-unsynced':
      '{{ unsynced }} applications have not reached the server yet (limit {{ max }}). Connect the kiosk to the network and press "Sync now" in the Sync queue. Applications waiting for an officer must be decided first, in officer mode.',
    'oldest-too-old':
      'The oldest application has not reached the server for {{ days }} days (limit {{ maxDays }} days). Connect the kiosk to the network and press "Sync now" in the Sync queue. Applications waiting for an officer must be decided first, in officer mode.',
    'storage-nearly-full':
      'The kiosk’s storage is nearly full: new applications may fail to save. Sync the queue when online, then ask IT staff to free space on this device.',
    'software-outdated':
      'This kiosk runs version {{ kioskVersion }}, but the server only accepts version {{ minimumVersion }} or newer. Connect the kiosk to the network, press "Check for a new version", then "Update now" when the new-version notice appears. If it does not appear, contact IT staff.',
    'no-archive-key':
      "This kiosk has never reached the server, so it does not yet have the RA archive key that applicants' data is encrypted to. Connect the kiosk to the network once; new applications can start as soon as the key has arrived. If this message stays, contact IT staff.",
  },
  openOutbox: 'Open the Sync queue',
  checkUpdate: 'Check for a new version',
  checkingUpdate: 'Checking for a new version…',
  finishCurrent:
    'The application being filled in can still be completed and saved. After that the kiosk takes no new application until the problem in the Sync queue is resolved.',
  outboxHeading: 'New applications are stopped',
};
