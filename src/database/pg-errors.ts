/** Database errors are classified by SQLSTATE, never by message text. */
function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isUniqueViolation = (err: unknown): boolean => sqlState(err) === '23505';

export function constraintOf(err: unknown): string | undefined {
  const e = err as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = e?.driverError?.constraint ?? e?.constraint;
  return typeof c === 'string' ? c : undefined;
}
