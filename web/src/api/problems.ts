import type { Problem } from './types';

/** An API call that failed; `message` is meant for people, `status` (0 = no answer) for code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem?: Problem,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again with the same request: no answer, or the service is (briefly) unavailable. */
  get transient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

const byStatus: Record<number, string> = {
  401: 'Your session is no longer valid.',
  404: 'Not found.',
  413: 'The request is too large.',
  429: 'Too many requests. Please wait a moment and try again.',
  500: 'Something went wrong on our side. Please try again.',
  502: 'The service is temporarily unavailable. Please try again.',
  503: 'The service is temporarily unavailable. Please try again.',
  504: 'The service took too long to answer. Please try again.',
};

/** A sentence for people from a problem-details body (or none), never a stack trace or a code. */
export function describeProblem(status: number, problem?: Problem): string {
  const fieldErrors = Object.values(problem?.errors ?? {}).flat();
  if (fieldErrors.length > 0) {
    return fieldErrors.map(sentence).join(' ');
  }
  if (problem?.detail) {
    return sentence(problem.detail);
  }
  // A bare title ("Unauthorized") says less than the sentence for its status.
  const known = byStatus[status];
  if (known) {
    return known;
  }
  return problem?.title ? sentence(problem.title) : `The request failed (HTTP ${status}).`;
}

export const unreachable = 'Cannot reach the server. Check your connection and try again.';

/** The problem-details body of a failed response, if it has a readable JSON one. */
export async function readProblem(response: Response): Promise<Problem | undefined> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return (await response.json()) as Problem;
  } catch {
    return undefined;
  }
}

/** The message for people of an API error; anything else (a bug, not a failed call) gets `fallback`. */
export function messageOf(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
