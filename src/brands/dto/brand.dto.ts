import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';

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

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'sk_AbCdEf' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class CreateApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Shown once; null on an idempotent replay' })
  apiKey!: string | null;
  @ApiProperty({ example: 'sk_AbCdEf' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
}

export class LinkStripeAccountRequestDto {
  @ApiProperty({ example: 'acct_1PqRsTuVwXyZ0123', description: 'Your Stripe account id (Connect)' })
  @IsString()
  @Matches(/^acct_[A-Za-z0-9]{1,64}$/, { message: 'accountId must be a Stripe account id (acct_…)' })
  accountId!: string;
}
