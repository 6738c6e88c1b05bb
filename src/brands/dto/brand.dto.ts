import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { BRAND_ROLES, BrandRole } from '../../common/auth/permissions';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateBrandRequestDto {
  @ApiProperty({ example: 'Blue Bottle Coffee' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'marketing@bluebottle.example' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;
}

export class ApiKeyIdParamDto {
  @IsUUID('all', { message: 'keyId must be a UUID' })
  keyId!: string;
}

export class BrandDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) stripeAccountId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static fromRow(r: {
    id: string;
    name: string;
    email: string;
    stripeAccountId: string | null;
    createdAt: Date;
  }): BrandDto {
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      stripeAccountId: r.stripeAccountId,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class CreateBrandResponseDto {
  @ApiProperty({ type: BrandDto }) brand!: BrandDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Shown once; null on an idempotent replay',
    example: 'sk_…',
  })
  apiKey!: string | null;
  @ApiPropertyOptional({ description: 'The new key’s id' }) apiKeyId!: string;
}

export class CreateApiKeyRequestDto {
  @ApiPropertyOptional({
    enum: BRAND_ROLES,
    default: 'admin',
    description: 'What the key may do (the permission table); at most the role of whoever creates it',
  })
  @IsOptional()
  @IsIn(BRAND_ROLES)
  role?: BrandRole;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'sk_AbCdEf' }) prefix!: string;
  @ApiProperty({ enum: BRAND_ROLES }) role!: BrandRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class CreateApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Shown once; null on an idempotent replay' })
  apiKey!: string | null;
  @ApiProperty({ example: 'sk_AbCdEf' }) prefix!: string;
  @ApiProperty({ enum: BRAND_ROLES }) role!: BrandRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
}

const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,64}$/;

export class LinkStripeAccountRequestDto {
  @ApiProperty({
    example: 'ac_1PqRsTuVwXyZ0123',
    description: 'The `code` Stripe added to the redirect after you approved Sway in your Stripe account (single use)',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,255}$/, { message: 'code must be the authorization code Stripe returned' })
  code!: string;

  @ApiProperty({ description: 'The `state` that came back with the code (issued by GET …/stripe-account/authorize)' })
  @IsString()
  @Length(1, 512)
  state!: string;

  @ApiPropertyOptional({
    example: 'acct_1PqRsTuVwXyZ0123',
    description: 'Optional check: the account you expect; a code that proves another account → 422',
  })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_ID, { message: 'accountId must be a Stripe account id (acct_…)' })
  accountId?: string;
}

export class AdminLinkStripeAccountRequestDto {
  @ApiProperty({ example: 'acct_1PqRsTuVwXyZ0123', description: 'The brand’s Stripe account id (Connect)' })
  @IsString()
  @Matches(ACCOUNT_ID, { message: 'accountId must be a Stripe account id (acct_…)' })
  accountId!: string;
}

export class BrandIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class StripeConnectAuthorizeDto {
  @ApiProperty({
    description: 'Open it in a browser signed in to your Stripe account and approve read-only access',
    example: 'https://connect.stripe.com/oauth/authorize?response_type=code&client_id=ca_…&scope=read_only&state=…',
  })
  url!: string;
  @ApiProperty({ description: 'Comes back with the code; send both to POST /v1/brands/me/stripe-account' })
  state!: string;
  @ApiProperty({ format: 'date-time', description: 'The state (not the link) is accepted until then' })
  expiresAt!: string;
}
