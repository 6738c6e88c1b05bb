import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { normalizeRedemptionCode } from '../redemptions/redemption-code';
import { classifyClick } from './click-kind';
import { ClickRecorder } from './click-recorder.service';
import { withClickId } from './landing-url';
import { LruCache } from './link-cache';
import { TrackingLinkNotFound } from './tracking.exception';
import { LINK_CACHE_MISS_TTL_MS, LINK_CACHE_SIZE, LINK_CACHE_TTL_MS } from './tracking.queue';
import { TrackedLink, TrackingRepository } from './tracking.repository';
import { uuidv7 } from './uuid-v7';
import { VisitorHasher } from './visitor-hash';

export interface ClickRequest {
  method: string;
  ip: string;
  userAgent: string | undefined;
  purpose: string | undefined;
  /** The ad click id parameter the link arrived with (`adClickOf`), or null. */
  adClick?: string | null;
}

/**
 * The redirect: code → link from an in-process LRU, the click group-committed (ClickRecorder), the URL returned —
 * with the click id only when the click is stored.
 */
@Injectable()
export class TrackingService {
  private readonly links = new LruCache<TrackedLink | null>(LINK_CACHE_SIZE);
  /** Concurrent misses on one code share one query (a link posted to a big audience gets its first clicks at once). */
  private readonly loading = new Map<string, Promise<TrackedLink | null>>();
  private readonly hasher: VisitorHasher;

  constructor(
    private readonly repo: TrackingRepository,
    private readonly recorder: ClickRecorder,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.hasher = new VisitorHasher(config.hashSecret);
  }

  /** Records the click and returns where to send the visitor. */
  async click(rawCode: string, req: ClickRequest): Promise<string> {
    const code = normalizeRedemptionCode(rawCode);
    const link = code ? await this.link(code) : null;
    if (!link) throw new TrackingLinkNotFound();
    return this.record(link, req);
  }

  /**
   * The same without loading the link when the code is cached (almost always): the URL's promise, or undefined
   * when the link must be loaded first (then call `click`). Saves the redirect a promise round.
   */
  clickIfCached(rawCode: string, req: ClickRequest): Promise<string> | undefined {
    const code = normalizeRedemptionCode(rawCode);
    if (!code) throw new TrackingLinkNotFound();
    const link = this.links.get(code);
    if (link === undefined) return undefined;
    if (link === null) throw new TrackingLinkNotFound();
    return this.record(link, req);
  }

  private record(link: TrackedLink, req: ClickRequest): Promise<string> {
    const now = Date.now();
    const at = new Date(now);
    const id = uuidv7(now);
    const stored = this.recorder.record({
      id,
      at,
      claimId: link.claimId,
      campaignId: link.campaignId,
      visitorHash: this.hasher.hash(req.ip, req.userAgent ?? '', at),
      kind: classifyClick(req),
      adClick: req.adClick ?? null,
    });
    return stored.then((ok) => withClickId(link.landingUrl, ok ? id : null));
  }

  private async link(code: string): Promise<TrackedLink | null> {
    const cached = this.links.get(code);
    if (cached !== undefined) return cached;
    let p = this.loading.get(code);
    if (!p) {
      p = this.repo.link(code).then(
        (link) => {
          this.links.set(code, link, link ? LINK_CACHE_TTL_MS : LINK_CACHE_MISS_TTL_MS);
          this.loading.delete(code);
          return link;
        },
        (err: unknown) => {
          this.loading.delete(code);
          throw err;
        },
      );
      this.loading.set(code, p);
    }
    return p;
  }
}
