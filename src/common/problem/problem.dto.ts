import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { PROBLEM_CODES } from './app.exception';

class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be an email' }) message!: string;
}

export class ProblemDto {
  @ApiProperty({ example: 'https://sway.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Validation failed' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: '1 field(s) failed validation' }) detail!: string;
  @ApiProperty({ example: 'validation_failed', enum: Object.keys(PROBLEM_CODES) }) code!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'Quote it when asking for support' }) requestId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, unknown field or invalid value',
  401: 'Missing, invalid, expired or revoked credentials',
  403: 'Authenticated with the wrong kind of token',
  404: 'Not found, or owned by someone else',
  409: 'State conflict or Idempotency-Key conflict',
  410: 'Gone',
  413: 'Body over 1 MB',
  422: 'Valid JSON that breaks a business rule',
  429: 'Rate limited; see Retry-After',
};

/** Documents the problem+json answers a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
      }),
    ),
  );
}
