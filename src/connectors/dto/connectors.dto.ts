import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class LinkBlueskyRequestDto {
  @ApiProperty({ example: 'alice.bsky.social', description: 'Your Bluesky handle (with or without @)' })
  @IsString()
  @Length(3, 254)
  handle!: string;
}

export class LinkMastodonRequestDto {
  @ApiProperty({ example: '@alice@mastodon.social' })
  @IsString()
  @Length(3, 300)
  account!: string;
}

export class ConnectorAccountIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}

export class MastodonCallbackQueryDto {
  @IsOptional() @IsString() @Length(1, 2000) code?: string;
  @IsOptional() @IsString() @Length(1, 200) state?: string;
  @IsOptional() @IsString() @Length(1, 200) error?: string;
  @IsOptional() @IsString() @Length(0, 2000) error_description?: string;
}

export class ConnectorAccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['bluesky', 'mastodon'] }) network!: string;
  @ApiProperty({ example: 'alice.bsky.social' }) handle!: string;
  @ApiProperty({ description: 'Bluesky: the DID; Mastodon: user@instance' }) externalId!: string;
  @ApiPropertyOptional({ example: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz' }) did?: string;
  @ApiPropertyOptional({ example: 'https://mastodon.social' }) instanceUrl?: string;
  @ApiProperty({ enum: ['unverified', 'verified'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) verifiedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSyncAt!: string | null;
  @ApiProperty({
    enum: ['ok', 'partial', 'rate_limited', 'failed', 'skipped_no_consent'],
    nullable: true,
    type: String,
    description: 'partial: a per-run limit stopped the sync; the next run continues',
  })
  lastSyncStatus!: string | null;
  @ApiProperty({ description: 'Posts read through this account and still held (ids, URLs, topics; never text)' })
  postsRead!: number;
}

export class LinkBlueskyResponseDto {
  @ApiProperty({ type: ConnectorAccountDto }) account!: ConnectorAccountDto;
  @ApiProperty({ description: 'Put this in your Bluesky profile description, then call verify' })
  verificationCode!: string;
}

export class VerifyResponseDto {
  @ApiProperty({ example: 'verified' }) status!: 'verified';
  @ApiProperty({ type: ConnectorAccountDto }) account!: ConnectorAccountDto;
}

export class AuthorizeUrlDto {
  @ApiProperty({ description: "Send the member's browser here; the instance comes back to the callback" })
  authorizeUrl!: string;
}

export class SyncQueuedDto {
  @ApiProperty({ example: 'queued' }) status!: 'queued';
  @ApiProperty({ format: 'uuid' }) accountId!: string;
}
