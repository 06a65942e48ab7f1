import type { statusId } from './status-id';

/** The applicant's status page in English, mirroring `status-id.ts`. */
export const statusEn: typeof statusId = {
  heading: 'Application status',
  intro: 'Type the application number printed on your receipt, then press "View status".',
  number: 'Application number',
  numberHint: 'Printed on the receipt, e.g. SK-7F3A-92KD-X4M. Upper or lower case, either works.',
  lookUp: 'View status',
  looking: 'Looking up the application…',
  done: 'Done',
  notFound:
    'There is no application numbered {{ number }} on this kiosk. Check the number on the receipt, or ask an officer.',
  failed: 'The status cannot be read right now. Try again, or ask an officer.',
  problems: {
    empty: 'Type the application number from the receipt.',
    'wrong-length':
      'An application number is SK followed by 11 letters and digits (SK-XXXX-XXXX-XXX). Check for a missing or extra character.',
    'bad-character':
      'The number contains a letter or sign that application numbers do not use. Check the number on the receipt.',
    'wrong-check':
      'This number does not agree with its check character (the last one): something was probably mistyped. Check the number on the receipt.',
  },
  view: {
    heading: 'Application {{ number }}',
    number: 'Application number',
    type: 'Certificate type',
    perangkatDaerah: 'Perangkat Daerah',
    nama: 'Name',
    submittedAt: 'Submitted',
    handedOverAt: 'Handed over',
    stage: 'Status',
    next: 'What happens next',
    reasonsHeading: "The officer's reasons for rejecting",
    noteHeading: "The officer's note",
    caReason: "BSrE's reason: {{ reason }}",
  },
  stages: {
    held: {
      label: 'Waiting for the officer',
      next: 'A Diskominfo officer checks your data and papers at the counter. Wait until you are called.',
    },
    approved: {
      label: 'Approved by the officer',
      next: 'The application goes to the server and on to BSrE. There is nothing you need to do now.',
    },
    rejected: {
      label: 'Rejected by the officer',
      next: 'Read the reasons below. Complete or correct your data and papers, then submit a new application.',
    },
    'no-decision': {
      label: "Waiting for an officer's decision",
      next: 'The application was sent but no officer has decided on it. Ask an officer at the counter.',
    },
    'refused-by-server': {
      label: 'Could not be processed by the server',
      next: 'Ask an officer at the counter; the application may have to be submitted again.',
    },
    'sent-to-ca': {
      label: 'Being processed by BSrE',
      next: 'Wait until the certificate is issued. Check this status again later.',
    },
    issued: {
      label: 'Certificate issued',
      next: 'Come to the counter with your e-KTP and the receipt. You will type your own passphrase at the handover.',
    },
    'ca-rejected': {
      label: 'Rejected by BSrE',
      next: 'Read the reason below, then ask an officer what to do next.',
    },
    'handed-over': {
      label: 'Certificate handed over',
      next: 'Nothing more to do. Keep your passphrase and private key secret (Pasal 16-17).',
    },
  },
};
