/** A nominal type: a value of `Brand<string, 'Nik'>` can only come from the parser that makes it. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type Result<T, E> = { ok: true; value: T } | { ok: false; problem: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E>(problem: E): { ok: false; problem: E } => ({ ok: false, problem });
