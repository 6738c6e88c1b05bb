import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { constraintOf, isUniqueViolation } from '../database/pg-errors';
import { AuthRegistry } from '../common/auth/auth.registry';
import { Principal } from '../common/auth/principal';
import { AppException } from '../common/problem/app.exception';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys';
import { ApiKeyNotFound, BrandEmailTaken, LastApiKey, StripeAccountTaken } from './brands.exception';
import { BrandsRepository } from './brands.repository';
import {
  ApiKeyDto,
  BrandDto,
  CreateApiKeyResponseDto,
  CreateBrandRequestDto,
  CreateBrandResponseDto,
  LinkStripeAccountRequestDto,
} from './dto/brand.dto';

@Injectable()
export class BrandsService implements OnModuleInit {
  constructor(
    private readonly repo: BrandsRepository,
    private readonly dataSource: DataSource,
    private readonly auth: AuthRegistry,
  ) {}

  onModuleInit(): void {
    // Looked up on every request, uncached, so a revocation is effective on the very next request.
    this.auth.register({
      accepts: looksLikeApiKey,
      verify: async (token): Promise<Principal | null> => {
        const key = await this.repo.activeKeyByHash(hashApiKey(token));
        return key ? { kind: 'brand', brandId: key.brandId, apiKeyId: key.id } : null;
      },
    });
  }

  async signup(dto: CreateBrandRequestDto): Promise<CreateBrandResponseDto> {
    const { key, hash, prefix } = generateApiKey();
    try {
      return await this.dataSource.transaction(async (m) => {
        const brand = await this.repo.insertBrand(m, dto.name, dto.email);
        const row = await this.repo.insertKey(m, brand.id, hash, prefix);
        return { brand: BrandDto.fromRow(brand), apiKey: key, apiKeyId: row.id };
      });
    } catch (err) {
      if (isUniqueViolation(err) && constraintOf(err) === 'brands_email_lower_uq') throw new BrandEmailTaken();
      throw err;
    }
  }

  async get(brandId: string): Promise<BrandDto> {
    const brand = await this.repo.findBrand(brandId);
    // The caller authenticated with this brand's key, so the row exists unless deleted in between.
    if (!brand) throw new AppException('unauthenticated', 'Unknown brand');
    return BrandDto.fromRow(brand);
  }

  async createKey(brandId: string): Promise<CreateApiKeyResponseDto> {
    const { key, hash, prefix } = generateApiKey();
    const row = await this.dataSource.transaction((m) => this.repo.insertKey(m, brandId, hash, prefix));
    return { id: row.id, apiKey: key, prefix: row.prefix, createdAt: row.createdAt.toISOString() };
  }

  async listKeys(brandId: string): Promise<ApiKeyDto[]> {
    return (await this.repo.listKeys(brandId)).map((k) => ({
      id: k.id,
      prefix: k.prefix,
      createdAt: k.createdAt.toISOString(),
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
  }

  async revokeKey(brandId: string, keyId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const keys = await this.repo.lockKeys(m, brandId);
      const target = keys.find((k) => k.id === keyId);
      if (!target) throw new ApiKeyNotFound();
      if (target.revokedAt) return; // revoking twice is harmless
      if (keys.filter((k) => !k.revokedAt).length === 1) throw new LastApiKey();
      await this.repo.revokeKey(m, brandId, keyId);
    });
  }

  /** Links the brand's own Stripe account (Connect) so its sales reach Sway as conversions. */
  async linkStripeAccount(brandId: string, dto: LinkStripeAccountRequestDto): Promise<BrandDto> {
    let row;
    try {
      row = await this.repo.setStripeAccount(brandId, dto.accountId);
    } catch (err) {
      // Two brands linking the same account at once: the unique key decides.
      if (isUniqueViolation(err)) throw new StripeAccountTaken();
      throw err;
    }
    if (!row) throw new StripeAccountTaken();
    return BrandDto.fromRow(row);
  }

  /** For Stripe webhooks of connected accounts: whose account is it? */
  brandIdByStripeAccount(accountId: string, m?: EntityManager): Promise<string | null> {
    return this.repo.brandIdByStripeAccount(accountId, m);
  }
}
