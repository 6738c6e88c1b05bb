import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { LoginRequestDto } from '../../influencers/dto/influencer.dto';
import { SESSION_KINDS, SessionKind } from '../entities/session.entity';
import type { SessionRow } from '../sessions.repository';

/** The member login's email and password (same limits), plus which kind of account signs in. */
export class CreateSessionRequestDto extends LoginRequestDto {
  @ApiProperty({ enum: SESSION_KINDS })
  @IsIn(SESSION_KINDS)
  kind!: SessionKind;
}

export class SessionIdParamDto {
  @IsUUID()
  id!: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SESSION_KINDS }) kind!: SessionKind;
  @ApiProperty({ format: 'date-time', description: 'Absolute expiry; idle sessions end earlier' })
  expiresAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the session ends if it is not used again' })
  idleExpiresAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Browser that signed in (truncated)' })
  userAgent!: string | null;

  static fromRow(r: SessionRow, idleSeconds: number): SessionDto {
    return {
      id: r.id,
      kind: r.kind,
      expiresAt: r.expiresAt.toISOString(),
      idleExpiresAt: new Date(
        Math.min(r.lastSeenAt.getTime() + idleSeconds * 1000, r.expiresAt.getTime()),
      ).toISOString(),
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      userAgent: r.userAgent,
    };
  }
}

export class CreateSessionResponseDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiProperty({ description: 'Send as X-CSRF-Token on every POST, PUT, PATCH and DELETE of this session' })
  csrfToken!: string;
  @ApiPropertyOptional({
    description:
      'Brand users: the brand requires a passkey as well; until POST /v1/sessions/passkey succeeds the session ' +
      'authorizes nothing',
  })
  secondFactorRequired?: boolean;
}

export class SessionMemberDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class SessionBrandDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['owner', 'admin', 'analyst', 'billing'] }) role!: string;
}

export class CurrentSessionResponseDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiProperty() csrfToken!: string;
  @ApiPropertyOptional({ type: SessionMemberDto }) member?: SessionMemberDto;
  @ApiPropertyOptional({ type: SessionUserDto, description: 'Brand users' }) user?: SessionUserDto;
  @ApiPropertyOptional({ type: SessionBrandDto, description: 'Brand users: the workspace this session acts for' })
  brand?: SessionBrandDto;
  @ApiPropertyOptional({ type: [SessionBrandDto], description: 'Brand users: every brand they belong to' })
  brands?: SessionBrandDto[];
  @ApiPropertyOptional({ description: 'Brand users: a passkey is still owed before the session authorizes' })
  secondFactorRequired?: boolean;
}

export class SessionListItemDto extends SessionDto {
  @ApiProperty({ description: 'The session this request came with' }) current!: boolean;
}

export class SessionListResponseDto {
  @ApiProperty({ type: [SessionListItemDto] }) data!: SessionListItemDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Always null: a person has few sessions' })
  nextCursor!: string | null;
}
