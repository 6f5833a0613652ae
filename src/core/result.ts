// Results at the edges: parsing a file or a flag returns Ok or Err instead of throwing.
// Not used inside the simulator or engine, which throw typed errors from core/errors.ts.

export type Result<T, E = Error> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** The value of an Ok, or throws the error of an Err. */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error;
}
