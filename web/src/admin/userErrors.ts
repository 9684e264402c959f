// The first user error of a payload (or the transport error) as one Indonesian message.
import type { CombinedError } from '@urql/core';
import { a } from './strings';

export function problemOf(error: CombinedError | undefined, userErrors: readonly { message: string }[] | undefined): string | null {
  if (userErrors && userErrors.length) return userErrors.map((e) => e.message).join(' ');
  if (error) return error.graphQLErrors[0]?.message ?? a.common.failed;
  return null;
}
