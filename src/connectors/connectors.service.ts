import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { LinkedAccountView, LinkedAccountsRegistry } from '../common/accounts/linked-accounts.registry';
import { OutboxService } from '../common/outbox/outbox.service';
import { PrivacyRegistry } from '../common/privacy/privacy.registry';
import { AppException } from '../common/problem/app.exception';
import { REDIS, RedisClient } from '../common/redis/redis.module';
import { APP_CONFIG, AppConfig } from '../config/config';
import { isUniqueViolation } from '../database/pg-errors';
import { ScoringService } from '../scoring/scoring.service';
import { BlueskyConnector } from './bluesky/bluesky.connector';
import {
  AccountLinkedElsewhere,
  CodeNotFound,
  ConnectorAccountNotFound,
  HandleNotFound,
  InstanceAddressRefused,
  NetworkUnavailable,
} from './connectors.exception';
import {
  CONNECTORS_QUEUE,
  ConnectorsJob,
  MANUAL_SYNC_INTERVAL_MS,
  SYNC_ATTEMPTS,
  SYNC_BACKOFF_MS,
  SyncAccountPayload,
} from './connectors.queue';
import { AccountRow, ConnectorsRepository } from './connectors.repository';
import { AddressRefused, HttpClient, MemberHostTransport, NetworkError } from './http';
import {
  MastodonClient,
  canonicalAcct,
  isPublicHostname,
  parseMastodonAddress,
  pkcePair,
} from './mastodon/mastodon.connector';
import { MASTODON_SCOPES } from './mastodon/mastodon.connector';
import { SecretBox } from './secret-box';

const MAX_ACCOUNTS_PER_MEMBER = 20;
const OAUTH_STATE_TTL_MS = 10 * 60_000;
const FANOUT_PAGE = 1_000;

export interface ConnectorAccountView extends LinkedAccountView {
  status: 'unverified' | 'verified';
  did?: string;
  instanceUrl?: string;
  verifiedAt: string | null;
  lastSyncAt: string | null;
  lastSyncStatus: string | null;
  postsRead: number;
}

function toView(r: AccountRow): ConnectorAccountView {
  return {
    id: r.id,
    network: r.network,
    handle: r.handle,
    externalId: r.externalId,
    ...(r.network === 'bluesky' ? { did: r.externalId } : {}),
    ...(r.instanceUrl ? { instanceUrl: r.instanceUrl } : {}),
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    verifiedAt: r.verifiedAt?.toISOString() ?? null,
    lastSyncAt: r.lastSyncAt?.toISOString() ?? null,
    lastSyncStatus: r.lastSyncStatus,
    postsRead: r.postsRead,
  };
}

/** Handles are domain names (RFC 1035 labels), case-insensitive. */
function normalizeBlueskyHandle(raw: string): string | null {
  const h = raw.trim().replace(/^@/, '').toLowerCase();
  return /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(h) ? h : null;
}

@Injectable()
export class ConnectorsService implements OnModuleInit {
  private readonly logger = new Logger(ConnectorsService.name);
  private readonly box: SecretBox;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ConnectorsRepository,
    private readonly outbox: OutboxService,
    private readonly scoring: ScoringService,
    private readonly privacy: PrivacyRegistry,
    private readonly linked: LinkedAccountsRegistry,
    private readonly bluesky: BlueskyConnector,
    @InjectQueue(CONNECTORS_QUEUE) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly memberHosts: MemberHostTransport,
  ) {
    this.box = new SecretBox(config.hashSecret);
  }

  onModuleInit(): void {
    this.linked.register({
      name: 'connectors',
      list: async (id) => (await this.repo.memberAccounts(id)).map(toView),
      unlink: (id, accountId) => this.unlink(id, accountId),
    });
    this.privacy.register({
      name: 'connectors',
      export: async (id, m) => {
        const out = [];
        for (const a of await this.repo.memberAccounts(id, m)) {
          out.push({
            ...toView(a),
            cursor: a.cursor,
            lastSyncError: a.lastSyncError,
            postsRead: (await this.repo.ledger(a.id, m)).map((p) => ({
              ...p,
              postedAt: new Date(p.postedAt).toISOString(),
            })),
          });
        }
        return out;
      },
      // Signals fetched through the accounts go with the scoring contributor (it erases by member).
      erase: async (id, m) => {
        for (const a of await this.repo.eraseMember(m, id)) this.revokeLater(a);
      },
    });
  }

  // ---------- Bluesky ----------

  async linkBluesky(
    influencerId: string,
    rawHandle: string,
  ): Promise<{ account: ConnectorAccountView; verificationCode: string }> {
    const handle = normalizeBlueskyHandle(rawHandle);
    if (!handle) {
      throw new AppException('validation_failed', 'handle must be a Bluesky handle such as alice.bsky.social', [
        { field: 'handle', message: 'must be a domain name such as alice.bsky.social' },
      ]);
    }
    const did = await this.network('Bluesky', () => this.bluesky.resolveHandle(handle, new HttpClient()));
    if (!did) throw new HandleNotFound('Bluesky');
    // Short and unambiguous, easy to paste into a 256-character description; one per attempt.
    const code = `sway-verify-${randomBytes(6).toString('base64url')}`;
    const row = await this.dataSource.transaction(async (m) => {
      await this.checkRoom(m, influencerId);
      return this.repo.insert(m, {
        influencerId,
        network: 'bluesky',
        handle,
        externalId: did,
        instanceUrl: null,
        verificationCode: code,
        verified: false,
        accessTokenEnc: null,
      });
    });
    return { account: toView(row), verificationCode: code };
  }

  async verify(influencerId: string, id: string): Promise<{ status: 'verified'; account: ConnectorAccountView }> {
    const acc = await this.repo.memberAccount(influencerId, id);
    if (!acc) throw new ConnectorAccountNotFound();
    if (acc.status === 'verified') return { status: 'verified', account: toView(acc) };
    if (acc.network !== 'bluesky' || !acc.verificationCode) {
      throw new AppException('conflict', 'This account is verified through its OAuth authorisation');
    }
    const profile = await this.network('Bluesky', () => this.bluesky.profile(acc.externalId, new HttpClient()));
    if (!profile || profile.did !== acc.externalId || !profile.description.includes(acc.verificationCode)) {
      throw new CodeNotFound();
    }
    try {
      await this.dataSource.transaction(async (m) => {
        const locked = await this.repo.lockMemberAccount(m, influencerId, id);
        if (!locked) throw new ConnectorAccountNotFound();
        if (locked.status === 'verified') return;
        await this.repo.markVerified(m, id, profile.handle);
        await this.enqueueSync(m, id);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AccountLinkedElsewhere();
      throw err;
    }
    return { status: 'verified', account: toView((await this.repo.memberAccount(influencerId, id))!) };
  }

  // ---------- Mastodon ----------

  instanceUrlOf(host: string): string {
    return `${this.config.connectors.mastodonAllowHttp ? 'http' : 'https'}://${host}`;
  }

  private get redirectUri(): string {
    return `${this.config.publicBaseUrl}/v1/connectors/mastodon/callback`;
  }

  async startMastodon(influencerId: string, address: string): Promise<{ authorizeUrl: string }> {
    const parsed = parseMastodonAddress(address);
    if (!parsed) {
      throw new AppException('validation_failed', 'account must look like @user@instance.example', [
        { field: 'account', message: 'must look like @user@instance.example' },
      ]);
    }
    // A member chooses which host Sway calls: in production only public DNS names on the default port, so the
    // address cannot aim Sway at internal services (DNS that resolves to a private address is not caught here).
    if (!this.config.connectors.mastodonAllowHttp && !isPublicHostname(parsed.host)) {
      throw new AppException('validation_failed', 'account must be on a public Mastodon instance', [
        { field: 'account', message: 'the instance must be a public domain name' },
      ]);
    }
    await this.dataSource.transaction((m) => this.checkRoom(m, influencerId));
    const instanceUrl = this.instanceUrlOf(parsed.host);
    const app = await this.network('The Mastodon instance', () => this.mastodonApp(instanceUrl));
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(24).toString('base64url');
    await this.repo.saveOAuthState({
      state,
      influencerId,
      instanceUrl,
      username: parsed.username,
      codeVerifier: verifier,
      ttlMs: OAUTH_STATE_TTL_MS,
    });
    const u = new URL(`${instanceUrl}/oauth/authorize`);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('client_id', app.clientId);
    u.searchParams.set('redirect_uri', app.redirectUri);
    u.searchParams.set('scope', MASTODON_SCOPES);
    u.searchParams.set('state', state);
    u.searchParams.set('code_challenge', challenge);
    u.searchParams.set('code_challenge_method', 'S256');
    return { authorizeUrl: u.toString() };
  }

  /** Sway's app on the instance, registered on first use. */
  private async mastodonApp(
    instanceUrl: string,
  ): Promise<{ clientId: string; clientSecret: string; redirectUri: string }> {
    let app = await this.repo.mastodonApp(instanceUrl);
    if (!app) {
      const reg = await new MastodonClient(this.instanceHttp()).registerApp(
        instanceUrl,
        this.redirectUri,
        this.config.publicBaseUrl,
      );
      await this.repo.saveMastodonApp(instanceUrl, reg.clientId, this.box.seal(reg.clientSecret), this.redirectUri);
      app = (await this.repo.mastodonApp(instanceUrl))!;
    }
    return { clientId: app.clientId, clientSecret: this.box.open(app.clientSecretEnc), redirectUri: app.redirectUri };
  }

  /** The instance sends the member's browser back here with `code` and `state` (or `error`). */
  async completeMastodon(q: { code?: string; state?: string; error?: string }): Promise<ConnectorAccountView> {
    if (!q.state) throw new AppException('bad_request', 'state is missing');
    const pending = await this.repo.takeOAuthState(q.state);
    if (!pending) throw new AppException('bad_request', 'Unknown or expired authorisation; start linking again');
    if (q.error || !q.code) throw new AppException('forbidden', 'The authorisation was declined on the instance');
    const app = await this.network('The Mastodon instance', () => this.mastodonApp(pending.instanceUrl));
    const client = new MastodonClient(this.instanceHttp());
    const token = await this.network('The Mastodon instance', () =>
      client.token(pending.instanceUrl, {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        redirectUri: app.redirectUri,
        code: q.code!,
        codeVerifier: pending.codeVerifier,
      }),
    );
    const me = await this.network('The Mastodon instance', () => client.verifyCredentials(pending.instanceUrl, token));
    const host = new URL(pending.instanceUrl).host;
    if (me.username.toLowerCase() !== pending.username.toLowerCase()) {
      await client.revoke(pending.instanceUrl, { ...app, token }).catch(() => undefined);
      throw new AppException('unprocessable', 'You signed in as a different account than the one you asked to link');
    }
    try {
      const row = await this.dataSource.transaction(async (m) => {
        const r = await this.repo.insert(m, {
          influencerId: pending.influencerId,
          network: 'mastodon',
          handle: `@${me.username}@${host}`,
          externalId: canonicalAcct(me.username, host),
          instanceUrl: pending.instanceUrl,
          verificationCode: null,
          verified: true,
          accessTokenEnc: this.box.seal(token),
        });
        await this.enqueueSync(m, r.id);
        return r;
      });
      return toView(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        await client.revoke(pending.instanceUrl, { ...app, token }).catch(() => undefined);
        throw new AccountLinkedElsewhere();
      }
      throw err;
    }
  }

  // ---------- syncs ----------

  /** At most one manual sync a minute per account (429 with Retry-After otherwise). */
  async requestSync(influencerId: string, id: string): Promise<{ status: 'queued'; accountId: string }> {
    const acc = await this.repo.memberAccount(influencerId, id);
    if (!acc) throw new ConnectorAccountNotFound();
    if (acc.status !== 'verified') throw new AppException('conflict', 'Verify the account before syncing it');
    const key = `${this.config.queuePrefix}:connectors:manual-sync:${id}`;
    const ok = await this.redis.set(key, '1', 'PX', MANUAL_SYNC_INTERVAL_MS, 'NX');
    if (!ok) {
      const ttl = await this.redis.pttl(key);
      const retryAfter = Math.max(1, Math.ceil((ttl > 0 ? ttl : MANUAL_SYNC_INTERVAL_MS) / 1000));
      throw new AppException(
        'rate_limited',
        `This account was synced moments ago; retry in ${retryAfter} s`,
        undefined,
        {
          'retry-after': String(retryAfter),
        },
      );
    }
    await this.queue.add(ConnectorsJob.SyncAccount, { accountId: id } satisfies SyncAccountPayload, {
      jobId: `sync-${id}-manual-${Date.now()}`,
      attempts: SYNC_ATTEMPTS,
      backoff: { type: 'exponential', delay: SYNC_BACKOFF_MS },
    });
    return { status: 'queued', accountId: id };
  }

  /** The daily fan-out: one job per verified account, de-duplicated per day. */
  async enqueueDaily(now = new Date()): Promise<number> {
    const day = now.toISOString().slice(0, 10);
    let n = 0;
    for (let after: string | null = null; ;) {
      const ids = await this.repo.verifiedIds(after, FANOUT_PAGE);
      if (!ids.length) break;
      await this.queue.addBulk(
        ids.map(({ id }) => ({
          name: ConnectorsJob.SyncAccount,
          data: { accountId: id } satisfies SyncAccountPayload,
          opts: {
            jobId: `sync-${id}-daily-${day}`,
            attempts: SYNC_ATTEMPTS,
            backoff: { type: 'exponential', delay: SYNC_BACKOFF_MS },
          },
        })),
      );
      n += ids.length;
      if (ids.length < FANOUT_PAGE) break;
      after = ids[ids.length - 1].id;
    }
    return n;
  }

  purgeOAuthStates(): Promise<number> {
    return this.repo.purgeOAuthStates();
  }

  private async enqueueSync(m: EntityManager, accountId: string): Promise<void> {
    await this.outbox.enqueue(m, {
      queue: CONNECTORS_QUEUE,
      name: ConnectorsJob.SyncAccount,
      payload: { accountId },
    });
  }

  // ---------- unlink ----------

  /** Deletes the account, its ledger and every signal fetched through it, in one transaction. */
  async unlink(influencerId: string, id: string): Promise<boolean> {
    const row = await this.dataSource.transaction(async (m) => {
      const acc = await this.repo.lockMemberAccount(m, influencerId, id);
      if (!acc) return null;
      if (acc.status === 'verified') await this.scoring.forgetAccount(influencerId, acc.network, acc.externalId, m);
      return this.repo.delete(m, influencerId, id);
    });
    if (!row) return false;
    this.revokeLater(row);
    return true;
  }

  /** Best effort, after the commit: the grant is useless to us now; the instance should forget it too. */
  private revokeLater(a: AccountRow): void {
    if (a.network !== 'mastodon' || !a.accessTokenEnc || !a.instanceUrl) return;
    const token = this.box.open(a.accessTokenEnc);
    const instance = a.instanceUrl;
    void this.mastodonApp(instance)
      .then((app) => new MastodonClient(this.instanceHttp()).revoke(instance, { ...app, token }))
      .catch((err: Error) => this.logger.warn(`token revocation on an instance failed: ${err.message}`));
  }

  /** Every call to a Mastodon instance: the member chose its host. */
  private instanceHttp(): HttpClient {
    return new HttpClient(this.memberHosts.send);
  }

  private async checkRoom(m: EntityManager, influencerId: string): Promise<void> {
    const n = (await this.repo.memberAccounts(influencerId, m)).length;
    if (n >= MAX_ACCOUNTS_PER_MEMBER) {
      throw new AppException('unprocessable', `At most ${MAX_ACCOUNTS_PER_MEMBER} connected accounts per member`);
    }
  }

  /** The network's failures are not the client's: a 503 that says so, never a 500. */
  private async network<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AddressRefused) throw new InstanceAddressRefused();
      if (err instanceof NetworkError) {
        this.logger.warn(`${what} call failed: ${err.message}`);
        throw new NetworkUnavailable(what);
      }
      throw err;
    }
  }
}
