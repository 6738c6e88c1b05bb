/** Any 8-4-4-4-12 hex UUID, as PostgreSQL's `uuid` type accepts it: the one check for ids that arrive as text. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}
