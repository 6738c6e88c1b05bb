import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { BRAND_ROLES, BrandRole } from '../../common/auth/permissions';
import { CreateSessionResponseDto, SessionDto } from '../../sessions/dto/session.dto';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

function EmailField(): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ example: 'ada@brand.example' })(target, key);
    Transform(trim)(target, key);
    IsString()(target, key);
    MaxLength(254)(target, key);
    IsEmail({}, { message: `${String(key)} must be an email address` })(target, key);
  };
}

/** Same rule as members' passwords: length over composition (NIST 800-63B). */
function PasswordField(optional = false): PropertyDecorator {
  return (target, key) => {
    (optional ? ApiPropertyOptional : ApiProperty)({ minLength: 10, maxLength: 1024 })(target, key);
    if (optional) IsOptional()(target, key);
    IsString()(target, key);
    Length(10, 1024, { message: 'password must be at least 10 characters' })(target, key);
  };
}

export class CreateUserRequestDto {
  @ApiProperty({ example: 'Blue Bottle Coffee' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  brandName!: string;

  @EmailField() email!: string;
  @PasswordField() password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class WorkspaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: BRAND_ROLES }) role!: BrandRole;
}

export class CreateUserResponseDto extends CreateSessionResponseDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: WorkspaceDto }) brand!: WorkspaceDto;
  @ApiProperty({ enum: ['owner'] }) role!: 'owner';
}

export class BrandSessionResponseDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiProperty() csrfToken!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: WorkspaceDto, description: 'The workspace this session acts for' }) brand!: WorkspaceDto;
  @ApiProperty({ type: [WorkspaceDto], description: 'Every brand the person belongs to (agencies switch)' })
  brands!: WorkspaceDto[];
}

export class SwitchBrandRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'brandId must be a UUID' })
  brandId!: string;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ enum: BRAND_ROLES }) role!: BrandRole;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] }) data!: MemberDto[];
}

export class MemberParamDto {
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;
}

export class UpdateMemberRequestDto {
  @ApiProperty({ enum: BRAND_ROLES })
  @IsIn(BRAND_ROLES)
  role!: BrandRole;
}

export class CreateInvitationRequestDto {
  @EmailField() email!: string;

  @ApiProperty({ enum: BRAND_ROLES })
  @IsIn(BRAND_ROLES)
  role!: BrandRole;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: BRAND_ROLES }) role!: BrandRole;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({
    description: 'Only when no SMTP transport is configured: give the link to the person yourself',
  })
  acceptUrl?: string;
}

export class CreateInvitationResponseDto {
  @ApiProperty({ type: InvitationDto }) invitation!: InvitationDto;
}

export class InvitationTokenParamDto {
  @Matches(/^[\w-]{20,128}$/, { message: 'token is not an invitation token' })
  token!: string;
}

export class AcceptInvitationRequestDto {
  @PasswordField(true) password?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class AcceptInvitationResponseDto extends CreateSessionResponseDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: WorkspaceDto }) brand!: WorkspaceDto;
  @ApiProperty({ enum: BRAND_ROLES }) role!: BrandRole;
}

export class PasswordResetRequestDto {
  @EmailField() email!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty()
  @Matches(/^[\w-]{20,128}$/, { message: 'token is not a reset token' })
  token!: string;

  @PasswordField() password!: string;
}

export class BrandSecurityDto {
  @ApiProperty({ description: 'Everyone signing in to this brand must also use a passkey' })
  @IsBoolean()
  secondFactorRequired!: boolean;
}
