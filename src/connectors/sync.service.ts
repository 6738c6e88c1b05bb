import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { InfluencersService } from '../influencers/influencers.service';
import { SharesService } from '../redemptions/shares.service';
import { SignalsService } from '../scoring/signals.service';
import { MAX_EVENTS } from '../scoring/signals-validator';
import { TopicsService } from '../topics/topics.service';
import { claimCodesIn } from './claim-refs';
import { Connector, FetchedPost, SyncLimits } from './connector';
import { SYNC_LIMITS } from './connectors.queue';
import { AccountRow, ConnectorsRepository, LedgerPost } from './connectors.repository';
import { ConnectorNetwork } from './entities/connector-account.entity';
import { HttpClient, MemberHostTransport, NetworkError, RateLimited } from './http';
import { SecretBox } from './secret-box';
import { TopicInference } from './topic-inference';

export const CONNECTORS = Symbol('CONNECTORS');

const DAY_MS = 86_400_000;
const VOCABULARY_TTL_MS = 3_600_000;
const EARLIEST = Date.UTC(2000, 0, 1);

export type SyncOutcome =
  | { kind: 'done'; status: 'ok' | 'partial'; posts: number; reactions: number; shares: number }
  | { kind: 'skipped'; reason: 'gone' | 'no_consent' }
  | { kind: 'rate_limited'; retryAt: Date }
  | { kind: 'failed'; permanent: boolean; error: Error };

/**
 * One account's sync: consent checked, the network read within the limits, then one transaction that writes
 * the signals (through the scoring ingest, with its de-duplication and keyed hashes), the post ledger, the
 * shares found and the cursor — under a lock on the account, so an unlink or erasure is never undone by a sync
 * that was already running. The text of posts never leaves this function.
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  private inference: { at: number; value: Promise<TopicInference> } | null = null;
  private readonly box: SecretBox;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ConnectorsRepository,
    private readonly influencers: InfluencersService,
    private readonly signals: SignalsService,
    private readonly shares: SharesService,
    private readonly topics: TopicsService,
    @Inject(CONNECTORS) private readonly connectors: Map<ConnectorNetwork, Connector>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly memberHosts: MemberHostTransport,
  ) {
    this.box = new SecretBox(config.hashSecret);
  }

  topicInference(): Promise<TopicInference> {
    if (!this.inference || Date.now() - this.inference.at > VOCABULARY_TTL_MS) {
      const value = this.topics.vocabulary().then((v) => new TopicInference(v));
      value.catch(() => (this.inference = null));
      this.inference = { at: Date.now(), value };
    }
    return this.inference.value;
  }

  limits(now = Date.now()): SyncLimits {
    return {
      since: new Date(now - SYNC_LIMITS.sinceDays * DAY_MS),
      refreshSince: new Date(now - SYNC_LIMITS.refreshDays * DAY_MS),
      maxPosts: SYNC_LIMITS.maxPosts,
      maxReactorsPerPost: SYNC_LIMITS.maxReactorsPerPost,
      maxRequests: SYNC_LIMITS.maxRequests,
    };
  }

  async run(accountId: string): Promise<SyncOutcome> {
    const acc = await this.repo.verifiedAccount(accountId);
    if (!acc) return { kind: 'skipped', reason: 'gone' };
    if (!(await this.influencers.hasMatchingConsent(acc.influencerId))) {
      await this.record(acc.id, { status: 'skipped_no_consent', error: null, failures: 'keep', nextSyncAt: null });
      return { kind: 'skipped', reason: 'no_consent' };
    }
    const connector = this.connectors.get(acc.network);
    if (!connector) throw new Error(`no connector for ${acc.network}`);
    // An instance URL is the member's choice; the AppView is the operator's.
    const http = acc.instanceUrl ? new HttpClient(this.memberHosts.send) : new HttpClient();
    let result;
    try {
      result = await connector.sync(
        {
          externalId: acc.externalId,
          handle: acc.handle,
          instanceUrl: acc.instanceUrl,
          accessToken: acc.accessTokenEnc ? this.box.open(acc.accessTokenEnc) : null,
          cursor: acc.cursor,
        },
        this.limits(),
        http,
      );
    } catch (err) {
      return this.failed(acc, err as Error);
    }
    const now = Date.now();
    const sane = (d: Date): boolean => d.getTime() >= EARLIEST && d.getTime() <= now + 60_000;
    const posts = result.posts.filter((p) => sane(p.postedAt));
    const postIds = new Set(posts.map((p) => p.postId));
    const reactions = result.reactions.filter((r) => sane(r.at) && postIds.has(r.postId));
    const inference = await this.topicInference();

    const base = { network: acc.network, externalId: acc.externalId };
    const events: Record<string, unknown>[] = [];
    const ledger: LedgerPost[] = [];
    const found: { post: FetchedPost; codes: string[]; index: number }[] = [];
    for (const p of posts) {
      const topics = inference.infer(p.text, p.hashtags);
      events.push({
        ...base,
        type: 'post',
        postId: p.postId,
        occurredAt: p.postedAt.toISOString(),
        topics: topics.map((t) => t.slug),
        url: p.url,
      });
      const codes = claimCodesIn(this.config.publicBaseUrl, p.text, p.links);
      if (codes.length) found.push({ post: p, codes, index: ledger.length });
      ledger.push({
        postId: p.postId,
        url: p.url,
        postedAt: p.postedAt,
        topicIds: topics.map((t) => t.id),
        likes: p.likes,
        reposts: p.reposts,
        replies: p.replies,
        claimId: null,
      });
    }
    for (const r of reactions) {
      events.push({
        ...base,
        type: r.kind,
        postId: r.postId,
        actorExternalId: r.actorId,
        occurredAt: r.at.toISOString(),
      });
    }
    if (result.followers !== null) {
      // One snapshot per day: the same value re-read the same day is the same event.
      const day = new Date(Math.floor(now / DAY_MS) * DAY_MS);
      events.push({ ...base, type: 'followers', value: result.followers, occurredAt: day.toISOString() });
    }

    let sharesFound = 0;
    const status = result.complete ? 'ok' : 'partial';
    const written = await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.lockVerified(m, acc.id))) return false;
      const owner = { influencerId: acc.influencerId, ...base };
      for (let i = 0; i < events.length; i += MAX_EVENTS) {
        await this.signals.ingest({ events: events.slice(i, i + MAX_EVENTS) }, owner, m);
      }
      // After the signals, so a new share's reach and engagements already count this sync's reactions.
      for (const f of found) {
        for (const code of f.codes) {
          const r = await this.shares.recordFromPost(m, acc.influencerId, {
            code,
            url: f.post.url,
            network: acc.network,
            text: f.post.text,
            postedAt: f.post.postedAt,
            engagements: f.post.likes + f.post.reposts + f.post.replies,
          });
          if (r) {
            ledger[f.index].claimId = r.claimId;
            if (r.created) sharesFound++;
            break;
          }
        }
      }
      await this.repo.upsertPosts(m, acc.id, ledger);
      await this.repo.recordSync(m, acc.id, {
        status,
        error: result.malformed ? `${result.malformed} malformed record(s) skipped` : null,
        cursor: result.cursor,
        handle: result.handle,
        failures: 'reset',
        nextSyncAt: null,
      });
      return true;
    });
    if (!written) return { kind: 'skipped', reason: 'gone' };
    this.logger.log(
      `synced ${acc.network} account ${acc.id}: ${posts.length} post(s), ${reactions.length} reaction(s), ` +
        `${sharesFound} share(s), ${http.requests} request(s), ${status}`,
    );
    return { kind: 'done', status, posts: posts.length, reactions: reactions.length, shares: sharesFound };
  }

  private async failed(acc: AccountRow, err: Error): Promise<SyncOutcome> {
    if (err instanceof RateLimited) {
      await this.record(acc.id, {
        status: 'rate_limited',
        error: err.message,
        failures: 'keep',
        nextSyncAt: err.retryAt,
      });
      return { kind: 'rate_limited', retryAt: err.retryAt };
    }
    const permanent = err instanceof NetworkError && err.permanent;
    // The message names an HTTP status or a shape problem, never a response body (it could quote a profile).
    const message = err instanceof NetworkError ? err.message : 'unexpected error';
    await this.record(acc.id, { status: 'failed', error: message, failures: 'increment', nextSyncAt: null });
    if (!(err instanceof NetworkError)) this.logger.error(`sync of account ${acc.id} failed: ${err.message}`);
    return { kind: 'failed', permanent, error: err };
  }

  private record(id: string, v: Parameters<ConnectorsRepository['recordSync']>[2]): Promise<void> {
    return this.dataSource.transaction((m) => this.repo.recordSync(m, id, v));
  }
}
