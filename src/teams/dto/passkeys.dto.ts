import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class PasskeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) label!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
}

export class PasskeyListDto {
  @ApiProperty({ type: [PasskeyDto] }) data!: PasskeyDto[];
}

export class PasskeyIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class RegisterPasskeyRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The RegistrationResponseJSON of @simplewebauthn/browser startRegistration()',
  })
  @IsObject()
  response!: RegistrationResponseJSON;

  @ApiPropertyOptional({ example: 'MacBook Touch ID' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  label?: string;
}

export class PasskeyOptionsRequestDto {
  @ApiPropertyOptional({ enum: ['brand'], default: 'brand', description: 'Which kind of account signs in' })
  @IsOptional()
  @IsIn(['brand', 'member'])
  kind?: 'brand' | 'member';
}

export class PasskeySignInRequestDto extends PasskeyOptionsRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The AuthenticationResponseJSON of @simplewebauthn/browser startAuthentication()',
  })
  @IsObject()
  response!: AuthenticationResponseJSON;
}

export class WebAuthnOptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON: pass to @simplewebauthn/browser',
  })
  options!: Record<string, unknown>;
}
