import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppException } from '../problem/app.exception';

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

/** Cursors are opaque base64url JSON of the last row's sort key; a forged or stale one is a 400, not a 500. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (cursor === undefined) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => ['string', 'number'].includes(typeof x))) return v;
  } catch {
    // fall through
  }
  throw new AppException('validation_failed', 'The cursor is not one this API issued', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}

/** Fetch limit + 1 rows; the extra one only tells whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => unknown[]): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    nextCursor: more && pageRows.length ? encodeCursor(key(pageRows[pageRows.length - 1])) : null,
  };
}
