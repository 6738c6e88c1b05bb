import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { constraintOf, isUniqueViolation } from '../database/pg-errors';
import { AuthRegistry } from '../common/auth/auth.registry';
import { BrandPrincipal, Principal } from '../common/auth/principal';
import { BrandRole, covers } from '../common/auth/permissions';
import { AuditLog } from '../audit/audit.service';
import { AppException, NotFoundProblem } from '../common/problem/app.exception';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys';
import { StripeCallFailed, StripeGateway } from '../billing/stripe.gateway';
import { APP_CONFIG, AppConfig } from '../config/config';
import {
  ApiKeyNotFound,
  BrandEmailTaken,
  KeyRoleTooHigh,
  LastApiKey,
  StripeAccountMismatch,
  StripeAccountTaken,
  StripeConnectCodeRefused,
  StripeConnectNotConfigured,
  StripeConnectStateInvalid,
  StripeConnectUnavailable,
} from './brands.exception';
import { ConnectState } from './connect-state';
import { BrandsRepository } from './brands.repository';
import {
  ApiKeyDto,
  BrandDto,
  CreateApiKeyResponseDto,
  CreateBrandRequestDto,
  CreateBrandResponseDto,
  LinkStripeAccountRequestDto,
  StripeConnectAuthorizeDto,
} from './dto/brand.dto';

@Injectable()
export class BrandsService implements OnModuleInit {
  private readonly logger = new Logger(BrandsService.name);
  private readonly connectStates: ConnectState;

  constructor(
    private readonly repo: BrandsRepository,
    private readonly dataSource: DataSource,
    private readonly auth: AuthRegistry,
    private readonly stripe: StripeGateway,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.connectStates = new ConnectState(config.hashSecret);
  }

  onModuleInit(): void {
    // Looked up on every request, uncached, so a revocation is effective on the very next request.
    this.auth.register({
      accepts: looksLikeApiKey,
      verify: async (token): Promise<Principal | null> => {
        const key = await this.repo.activeKeyByHash(hashApiKey(token));
        return key ? { kind: 'brand', brandId: key.brandId, apiKeyId: key.id, role: key.role } : null;
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

  /** A key never exceeds its creator: an admin cannot mint an owner key (roles never exceed permissions). */
  async createKey(caller: BrandPrincipal, role: BrandRole = 'admin'): Promise<CreateApiKeyResponseDto> {
    if (!covers(caller.role, role)) throw new KeyRoleTooHigh(caller.role, role);
    const { key, hash, prefix } = generateApiKey();
    const row = await this.dataSource.transaction(async (m) => {
      const r = await this.repo.insertKey(m, caller.brandId, hash, prefix, role);
      await this.audit.record(m, {
        brandId: caller.brandId,
        action: 'api_key.created',
        target: { type: 'api_key', id: r.id },
        changes: { role, prefix: r.prefix },
      });
      return r;
    });
    return { id: row.id, apiKey: key, prefix: row.prefix, role: row.role, createdAt: row.createdAt.toISOString() };
  }

  async listKeys(brandId: string): Promise<ApiKeyDto[]> {
    return (await this.repo.listKeys(brandId)).map((k) => ({
      id: k.id,
      prefix: k.prefix,
      role: k.role,
      createdAt: k.createdAt.toISOString(),
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
  }

  async revokeKey(caller: BrandPrincipal, keyId: string): Promise<void> {
    const brandId = caller.brandId;
    await this.dataSource.transaction(async (m) => {
      const keys = await this.repo.lockKeys(m, brandId);
      const target = keys.find((k) => k.id === keyId);
      if (!target) throw new ApiKeyNotFound();
      if (target.revokedAt) return; // revoking twice is harmless
      if (!covers(caller.role, target.role)) throw new KeyRoleTooHigh(caller.role, target.role);
      // A brand run by API keys alone must keep one; a brand with a team signs in without keys.
      if (keys.filter((k) => !k.revokedAt).length === 1 && !(await this.hasTeam(brandId))) throw new LastApiKey();
      await this.repo.revokeKey(m, brandId, keyId);
      await this.audit.record(m, {
        brandId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id: keyId },
        changes: { role: target.role },
      });
    });
  }

  /** Teams register how to tell whether a brand has people who can sign in (no import of teams: no cycle). */
  private teamCheck: ((brandId: string) => Promise<boolean>) | null = null;
  registerTeamCheck(check: (brandId: string) => Promise<boolean>): void {
    this.teamCheck = check;
  }
  private hasTeam(brandId: string): Promise<boolean> {
    return this.teamCheck ? this.teamCheck(brandId) : Promise.resolve(false);
  }

  /**
   * A brand created for the console: no API key (the team creates keys when it needs them). Runs in the caller's
   * transaction, so the brand and its first owner appear together.
   */
  async createBrandFor(m: EntityManager, name: string, email: string): Promise<BrandDto> {
    try {
      return BrandDto.fromRow(await this.repo.insertBrand(m, name, email));
    } catch (err) {
      if (isUniqueViolation(err) && constraintOf(err) === 'brands_email_lower_uq') throw new BrandEmailTaken();
      throw err;
    }
  }

  /** Names of brands by id (a person's workspaces). */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    return new Map((await this.repo.namesOf(ids)).map((r) => [r.id, r.name]));
  }

  /** Step 1 of linking a Stripe account: where to approve Sway, and the state that must come back with the code. */
  stripeConnectAuthorization(brandId: string): StripeConnectAuthorizeDto {
    if (!this.stripe.connectEnabled) throw new StripeConnectNotConfigured();
    const { state, expiresAt } = this.connectStates.issue(brandId);
    return { url: this.stripe.connectAuthorizeUrl(state), state, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Step 2: links the account that approved, as Stripe tells it when exchanging the code, so its sales reach Sway
   * as conversions. Naming an account is no proof (the first brand to name one would get its sales); a code only
   * the account's owner could obtain is.
   */
  async linkStripeAccount(brandId: string, dto: LinkStripeAccountRequestDto): Promise<BrandDto> {
    if (!this.stripe.connectEnabled) throw new StripeConnectNotConfigured();
    if (!this.connectStates.verify(dto.state, brandId)) throw new StripeConnectStateInvalid();
    let accountId: string;
    try {
      accountId = await this.stripe.exchangeConnectCode(dto.code);
    } catch (err) {
      if (!(err instanceof StripeCallFailed)) throw err;
      if (err.kind === 'refused') throw new StripeConnectCodeRefused();
      this.logger.warn(`Stripe Connect code exchange failed: ${err.kind}`);
      throw err.kind === 'misconfigured' ? new StripeConnectNotConfigured() : new StripeConnectUnavailable();
    }
    if (dto.accountId && dto.accountId !== accountId) throw new StripeAccountMismatch();
    return this.setStripeAccount(brandId, accountId);
  }

  /** The operator links an account whose ownership it checked itself (as with offline funding). */
  async adminLinkStripeAccount(brandId: string, accountId: string): Promise<BrandDto> {
    if (!(await this.repo.findBrand(brandId))) throw new NotFoundProblem('Brand');
    return this.setStripeAccount(brandId, accountId);
  }

  private async setStripeAccount(brandId: string, accountId: string): Promise<BrandDto> {
    let row;
    try {
      row = await this.repo.setStripeAccount(brandId, accountId);
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
