import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { InfluencersModule } from '../influencers/influencers.module';
import { RedemptionsModule } from '../redemptions/redemptions.module';
import { ScoringModule } from '../scoring/scoring.module';
import { TopicsModule } from '../topics/topics.module';
import { BlueskyConnector } from './bluesky/bluesky.connector';
import { Connector } from './connector';
import { ConnectorsController } from './connectors.controller';
import { ConnectorsRepository } from './connectors.repository';
import { ConnectorsService } from './connectors.service';
import { ConnectorNetwork } from './entities/connector-account.entity';
import { MemberHostTransport } from './http';
import { MastodonConnector } from './mastodon/mastodon.connector';
import { CONNECTORS, SyncService } from './sync.service';

@Module({
  imports: [InfluencersModule, ScoringModule, RedemptionsModule, TopicsModule],
  controllers: [ConnectorsController],
  providers: [
    ConnectorsRepository,
    ConnectorsService,
    SyncService,
    {
      provide: BlueskyConnector,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new BlueskyConnector(c.connectors.bskyAppViewUrl, c.connectors.bskyResolverUrl),
    },
    {
      provide: MemberHostTransport,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) =>
        new MemberHostTransport({ allowLoopback: c.connectors.mastodonAllowHttp, lookup: c.connectors.lookup }),
    },
    {
      // The next network's connector is one more entry here.
      provide: CONNECTORS,
      inject: [BlueskyConnector],
      useFactory: (bsky: BlueskyConnector): Map<ConnectorNetwork, Connector> =>
        new Map<ConnectorNetwork, Connector>([
          ['bluesky', bsky],
          ['mastodon', new MastodonConnector()],
        ]),
    },
  ],
  exports: [ConnectorsService, SyncService],
})
export class ConnectorsModule implements OnModuleDestroy {
  constructor(@Inject(MemberHostTransport) private readonly memberHosts: MemberHostTransport) {}

  onModuleDestroy(): void {
    this.memberHosts.close();
  }
}
