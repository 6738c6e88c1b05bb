import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError } from '../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IngestSignalsResponseDto } from './dto/signals.dto';
import { accountHash, reactionEventKey } from './keyed-hash';
import { InvalidSignals, UnknownSignalTopics } from './scoring.exception';
import { ScoringRepository } from './scoring.repository';
import { validateSignals } from './signals-validator';

export interface SignalOwner {
  influencerId: string;
  network: string;
  externalId: string;
}

const key = (network: string, externalId: string): string => `${network}\u0000${externalId}`;

/**
 * Ingestion: one lookup for the accounts, one for the topics, one INSERT per table, all in one transaction.
 * Only events of accounts linked by active members are stored; reactors are kept only as keyed hashes.
 */
@Injectable()
export class SignalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScoringRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `owner` is set by a connector that verified the account itself (its accounts are not in `social_accounts`):
   * events of that account belong to that member, events of any other account are ignored.
   */
  async ingest(body: unknown, owner?: SignalOwner, manager?: EntityManager): Promise<IngestSignalsResponseDto> {
    const v = validateSignals(body);
    if ('errors' in v) throw new InvalidSignals(v.errors);
    const events = v.events;
    const secret = this.config.hashSecret;

    const run = async (m: EntityManager): Promise<IngestSignalsResponseDto> => {
      const slugs = [...new Set(events.flatMap((e) => (e.type === 'post' ? e.topics : [])))];
      const topicIds = new Map<string, number>();
      if (slugs.length) for (const t of await this.repo.topicIds(m, slugs)) topicIds.set(t.slug, t.id);
      const unknown: FieldError[] = [];
      events.forEach((e, i) => {
        if (e.type !== 'post') return;
        e.topics.forEach((s, j) => {
          if (!topicIds.has(s)) unknown.push({ field: `events[${i}].topics[${j}]`, message: `unknown topic "${s}"` });
        });
      });
      if (unknown.length) throw new UnknownSignalTopics(unknown.slice(0, 100));

      const accounts = new Map<string, { network: string; externalId: string }>();
      for (const e of events)
        accounts.set(key(e.network, e.externalId), { network: e.network, externalId: e.externalId });
      const list = [...accounts.values()];
      const owners = new Map<string, string>();
      const resolved = owner
        ? [owner]
        : await this.repo.resolveAccounts(
            m,
            list.map((a) => a.network),
            list.map((a) => a.externalId),
          );
      for (const a of resolved) owners.set(key(a.network, a.externalId), a.influencerId);

      const hashes = new Map<string, Buffer>();
      const hashOf = (network: string, externalId: string): Buffer => {
        const k = key(network, externalId);
        let h = hashes.get(k);
        if (!h) hashes.set(k, (h = accountHash(secret, network, externalId)));
        return h;
      };
      const posts = {
        network: [] as string[],
        postId: [] as string[],
        occurredAt: [] as Date[],
        influencerId: [] as string[],
        accountHash: [] as Buffer[],
        topicIds: [] as string[],
        url: [] as (string | null)[],
      };
      const reactions = {
        eventKey: [] as Buffer[],
        occurredAt: [] as Date[],
        influencerId: [] as string[],
        network: [] as string[],
        postId: [] as string[],
        kind: [] as string[],
        actorHash: [] as Buffer[],
      };
      const followers = {
        influencerId: [] as string[],
        accountHash: [] as Buffer[],
        network: [] as string[],
        value: [] as number[],
        occurredAt: [] as Date[],
      };
      let ignored = 0;
      let stored = 0;
      const authorAccounts = new Map<string, { hash: Buffer; influencerId: string; network: string }>();
      for (const e of events) {
        const owner = owners.get(key(e.network, e.externalId));
        if (!owner) {
          ignored++;
          continue;
        }
        stored++;
        const own = hashOf(e.network, e.externalId);
        authorAccounts.set(own.toString('hex'), { hash: own, influencerId: owner, network: e.network });
        if (e.type === 'post') {
          const ids = [...new Set(e.topics.map((s) => topicIds.get(s)!))].sort((x, y) => x - y);
          posts.network.push(e.network);
          posts.postId.push(e.postId);
          posts.occurredAt.push(e.occurredAt);
          posts.influencerId.push(owner);
          posts.accountHash.push(own);
          posts.topicIds.push(`{${ids.join(',')}}`);
          posts.url.push(e.url);
        } else if (e.type === 'followers') {
          followers.influencerId.push(owner);
          followers.accountHash.push(own);
          followers.network.push(e.network);
          followers.value.push(e.value);
          followers.occurredAt.push(e.occurredAt);
        } else {
          const actor = hashOf(e.network, e.actorExternalId);
          reactions.eventKey.push(reactionEventKey(e.network, e.postId, e.type, actor));
          reactions.occurredAt.push(e.occurredAt);
          reactions.influencerId.push(owner);
          reactions.network.push(e.network);
          reactions.postId.push(e.postId);
          reactions.kind.push(e.type);
          reactions.actorHash.push(actor);
        }
      }
      const accepted =
        (await this.repo.insertPosts(m, posts)) +
        (await this.repo.insertReactions(m, reactions)) +
        (await this.repo.insertFollowers(m, followers));
      const own = [...authorAccounts.values()];
      await this.repo.rememberAccounts(
        m,
        own.map((a) => a.hash),
        own.map((a) => a.influencerId),
        own.map((a) => a.network),
      );
      return { accepted, ignored, duplicates: stored - accepted };
    };
    // A connector passes its own transaction, so the signals commit together with its ledger and cursor.
    return manager ? run(manager) : this.dataSource.transaction(run);
  }
}
