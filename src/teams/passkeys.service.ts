import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import Redis from 'ioredis';
import { AppException } from '../common/problem/app.exception';
import { REDIS } from '../common/redis/redis.module';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PasskeyDto } from './dto/passkeys.dto';
import { PasskeyRow, PasskeysRepository } from './passkeys.repository';
import { TeamsRepository } from './teams.repository';

/** A challenge answers once, within this time (the browser's ceremony is a few seconds to a minute). */
const CHALLENGE_SECONDS = 300;

type Challenge = { purpose: 'register'; userId: string } | { purpose: 'authenticate'; userId: string | null };

class PasskeyRefused extends AppException {
  constructor(detail = 'The passkey could not be verified') {
    super('unauthenticated', detail);
  }
}

const toDto = (r: PasskeyRow): PasskeyDto => ({
  id: r.id,
  label: r.label,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

/**
 * WebAuthn for brand users (@simplewebauthn/server): registration under /v1/users/me/passkeys, authentication as
 * the second factor of a password session or instead of the password. Challenges live in Redis, single use,
 * bound to their purpose and user; the relying party is PUBLIC_BASE_URL's host and origin.
 */
@Injectable()
export class PasskeysService {
  private readonly logger = new Logger(PasskeysService.name);
  private readonly rpID: string;
  private readonly origin: string;

  constructor(
    private readonly repo: PasskeysRepository,
    private readonly teams: TeamsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const base = new URL(config.publicBaseUrl);
    this.rpID = base.hostname;
    this.origin = base.origin;
  }

  hasPasskey(userId: string): Promise<boolean> {
    return this.repo.countFor(userId).then((n) => n > 0);
  }

  async list(userId: string): Promise<PasskeyDto[]> {
    return (await this.repo.listFor(userId)).map(toDto);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.repo.remove(userId, id))) throw new AppException('not_found', 'Passkey not found');
  }

  async registrationOptions(userId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.teams.userById(userId);
    if (!user) throw new AppException('unauthenticated', 'The account no longer exists');
    const existing = await this.repo.listFor(userId);
    const options = await generateRegistrationOptions({
      rpName: 'Sway',
      rpID: this.rpID,
      userName: user.email,
      userDisplayName: user.name ?? user.email,
      userID: Buffer.from(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.keep(options.challenge, { purpose: 'register', userId });
    return options;
  }

  async register(userId: string, response: RegistrationResponseJSON, label?: string): Promise<PasskeyDto> {
    const challenge = await this.take(response, (c) => c.purpose === 'register' && c.userId === userId);
    let info;
    try {
      const v = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpID,
        requireUserVerification: false,
      });
      if (!v.verified) throw new Error('not verified');
      info = v.registrationInfo;
    } catch (err) {
      this.logger.debug(`passkey registration refused: ${(err as Error).message}`);
      throw new AppException('unprocessable', 'The authenticator’s answer could not be verified', [
        { field: 'response', message: 'not a valid registration for this challenge' },
      ]);
    }
    const row = await this.repo.insert({
      userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      label: label ?? null,
    });
    if (!row) throw new AppException('conflict', 'This passkey is already registered');
    return toDto(row);
  }

  /** For a session owing its second factor, only that person's passkeys; otherwise discoverable credentials. */
  async authenticationOptions(userId: string | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow = userId ? await this.repo.listFor(userId) : [];
    const options = await generateAuthenticationOptions({
      rpID: this.rpID,
      allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })),
      userVerification: 'preferred',
    });
    await this.keep(options.challenge, { purpose: 'authenticate', userId });
    return options;
  }

  /** The user the passkey belongs to, once its signature over our challenge checks out. */
  async authenticate(response: AuthenticationResponseJSON, expectedUserId: string | null): Promise<string> {
    const challenge = await this.take(
      response,
      (c) => c.purpose === 'authenticate' && (c.userId === null || c.userId === expectedUserId),
    );
    const key = typeof response?.id === 'string' ? await this.repo.byCredentialId(response.id) : null;
    if (!key || (expectedUserId && key.userId !== expectedUserId)) throw new PasskeyRefused();
    try {
      const v = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpID,
        credential: {
          id: key.credentialId,
          publicKey: new Uint8Array(key.publicKey),
          counter: Number(key.counter),
          transports: key.transports,
        },
        requireUserVerification: false,
      });
      if (!v.verified) throw new Error('not verified');
      await this.repo.used(key.id, v.authenticationInfo.newCounter);
    } catch (err) {
      if (err instanceof AppException) throw err;
      this.logger.debug(`passkey authentication refused: ${(err as Error).message}`);
      throw new PasskeyRefused();
    }
    return key.userId;
  }

  private async keep(challenge: string, c: Challenge): Promise<void> {
    await this.redis.set(this.key(challenge), JSON.stringify(c), 'EX', CHALLENGE_SECONDS);
  }

  /** Reads the challenge the browser signed and consumes it (single use); refused when unknown or misused. */
  private async take(
    response: { response?: { clientDataJSON?: unknown } } | undefined,
    ok: (c: Challenge) => boolean,
  ): Promise<string> {
    let challenge: unknown;
    try {
      const raw = response?.response?.clientDataJSON;
      challenge = typeof raw === 'string' ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')).challenge : null;
    } catch {
      challenge = null;
    }
    if (typeof challenge !== 'string' || !/^[\w-]{16,128}$/.test(challenge))
      throw new AppException('unprocessable', 'The answer carries no challenge of ours', [
        { field: 'response', message: 'malformed clientDataJSON' },
      ]);
    const stored = await this.redis.getdel(this.key(challenge));
    const c = stored ? (JSON.parse(stored) as Challenge) : null;
    if (!c || !ok(c)) throw new PasskeyRefused('The challenge is unknown, used or expired; start again');
    return challenge;
  }

  private key(challenge: string): string {
    return `${this.config.queuePrefix}:webauthn:${challenge}`;
  }
}
