/**
 * An application's life on the sync server, after a kiosk delivered it. The server answers a
 * kiosk's status request with these states, and refuses a change that may not follow.
 */
export const SERVER_STATES = ['received', 'sent-to-ca', 'issued', 'ca-rejected'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

/** The CA's answers: an application reaching one of these is settled. */
export const CA_OUTCOMES = ['issued', 'ca-rejected'] as const;
export type CaOutcome = (typeof CA_OUTCOMES)[number];

const FOLLOWERS: Record<ServerState, readonly ServerState[]> = {
  // A certificate obtained outside the forwarding job (imported by an administrator) may skip
  // `sent-to-ca`.
  received: ['sent-to-ca', 'issued', 'ca-rejected'],
  'sent-to-ca': ['issued', 'ca-rejected'],
  issued: [],
  'ca-rejected': [],
};

/** The states from which `to` may be entered: the store's guard in one conditional update. */
export function serverPredecessors(to: ServerState): ServerState[] {
  return SERVER_STATES.filter((from) => FOLLOWERS[from].includes(to));
}

export function isServerState(value: string): value is ServerState {
  return (SERVER_STATES as readonly string[]).includes(value);
}
