import type { emailId } from './email-id';

/** The official e-mail proven at the counter in English, mirroring `email-id.ts`. */
export const emailEn: typeof emailId = {
  heading: 'Confirm your e-mail address',
  intro:
    'We send a 6-digit code to your official e-mail to make sure the address is yours (Pasal 10). The application goes on to BSrE only once the e-mail is confirmed.',
  send: 'Send code',
  resend: 'Send a new code',
  resendIn: 'A new code can be sent in {{ seconds }} seconds.',
  sending: 'Sending the code to your e-mail…',
  sent: 'The code was sent to {{ email }}. Open that mail and type the 6-digit code below. It works until {{ time }}.',
  codeLabel: 'Code from the e-mail (6 digits)',
  confirm: 'Confirm code',
  checking: 'Checking the code…',
  confirmed: 'E-mail confirmed',
  confirmedNote: 'The address {{ email }} is proven to be yours.',
  later:
    'Cannot open your e-mail now? Just go on: once the application reaches the server, a confirmation link is mailed to this address.',
  offline:
    'The kiosk is offline. Just go on: once the application reaches the server, a confirmation link is mailed to your official address.',
  needEmail: 'Fill in your official e-mail correctly to receive a code.',
  problems: {
    'invalid-email': 'Fill in your official e-mail correctly first.',
    'not-official':
      'The server does not send codes to this address: use an official e-mail of the city’s domain.',
    offline:
      'The server cannot be reached. Just go on: a confirmation link is mailed once the application reaches the server.',
    'not-enrolled':
      'This kiosk is not enrolled at the server yet, so no code can be sent. Just go on: a confirmation link is mailed once the application reaches the server.',
    'kiosk-refused': 'The server refused this kiosk. Ask an officer; the application can still be saved.',
    'mail-failed': 'The e-mail cannot be sent right now. Try again shortly, or just go on.',
    unsupported:
      'The server does not support confirmation at the counter yet. Just go on: the e-mail is confirmed by the link in a mail.',
    'server-error': 'The server has a problem. Try again, or just go on.',
    'code-format': 'The code is 6 digits.',
    'wrong-code': 'Wrong code. Attempts left: {{ count }}.',
    locked: 'This code no longer works: it was typed wrong too often. Send a new code.',
    expired: 'The code has expired. Send a new code.',
    'no-code':
      'This code no longer works (a newer mail replaced it). Type the code from the latest mail, or send a new one.',
    'too-soon': 'A new code can be sent at {{ time }}.',
    'limit-reached':
      'This application has had all the codes it may get. Just go on: a confirmation link is mailed once the application reaches the server.',
  },
  status: {
    label: 'Official e-mail',
    'confirmed-at-counter': 'Confirmed at the counter',
    confirmed: 'Confirmed',
    waiting: 'Waiting for e-mail confirmation',
    waitingNext:
      'Open your official e-mail and click the confirmation link from Diskominfo. The application goes on to BSrE once the e-mail is confirmed.',
  },
  receipt: {
    label: 'Official e-mail',
    confirmedAtCounter: 'Confirmed at the counter',
  },
};
