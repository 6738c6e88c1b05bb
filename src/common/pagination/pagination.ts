import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { isIllFormed } from '../http/input-hygiene';
import { AppException } from '../problem/app.exception';
import { isUuid } from '../ids/uuid';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * The one cursor codec. Cursors are opaque base64url JSON of the last row's sort key. Decoding checks every
 * element against the shape the route declares, so what reaches SQL has the type its parameter is cast to: a
 * forged cursor (a string where a bigint goes, an out-of-range number, NUL) is a 400, never a 500.
 */
interface CursorFieldTypes {
  /** Epoch microseconds (exact keyset position), as the digit string PostgreSQL's bigint expects. */
  micros: string;
  uuid: string;
  /** A 32-bit integer (a rank, a position). */
  int: number;
  /** A short well-formed string (a slug). */
  text: string;
}
type CursorField = keyof CursorFieldTypes;
export type CursorShape = readonly CursorField[];
export type CursorKey<S extends CursorShape> = { -readonly [I in keyof S]: CursorFieldTypes[S[I]] };

const MAX_BIGINT = 9223372036854775807n;
const MAX_TEXT = 200;

function decodeField(kind: CursorField, v: unknown): string | number | undefined {
  switch (kind) {
    case 'micros': {
      const digits = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
      return typeof digits === 'string' && /^\d{1,19}$/.test(digits) && BigInt(digits) <= MAX_BIGINT
        ? digits
        : undefined;
    }
    case 'uuid':
      return isUuid(v) ? v : undefined;
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : undefined;
    case 'text':
      return typeof v === 'string' && v.length <= MAX_TEXT && !isIllFormed(v) ? v : undefined;
  }
}

class InvalidCursor extends AppException {
  constructor() {
    super('validation_failed', 'The cursor is not one this API issued', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  }
}

export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<const S extends CursorShape>(cursor: string | undefined, shape: S): CursorKey<S> | null {
  if (cursor === undefined) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(v) || v.length !== shape.length) throw new InvalidCursor();
  const out = shape.map((kind, i) => decodeField(kind, v[i]));
  if (out.some((x) => x === undefined)) throw new InvalidCursor();
  return out as CursorKey<S>;
}

/** Fetch limit + 1 rows; the extra one only tells whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => readonly unknown[]): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    nextCursor: more && pageRows.length ? encodeCursor(key(pageRows[pageRows.length - 1])) : null,
  };
}
