import 'reflect-metadata';
import { WorkersModule } from '../../app.module';
import { catalogueProblems, handlersOf } from './catalogue-check';
import { CatalogueProcessor } from './catalogue-processor';
import { defineEvents, defineJobs, EventName } from './catalogue';

/** One instance of every processor the workers run, without their dependencies (only `handlers` is read). */
function workerProcessors(): unknown[] {
  const providers = Reflect.getMetadata('providers', WorkersModule) as (new () => unknown)[];
  return providers.filter((p) => p.prototype instanceof CatalogueProcessor).map((P) => new P());
}

describe('message catalogue start-up check', () => {
  it('finds every job handled, every handler declared and every event subscribed in the app as built', () => {
    const handlers = handlersOf(workerProcessors());
    expect(handlers.get('matching')).toContain('match-campaign');
    expect(catalogueProblems(handlers, true)).toEqual([]);
  });

  it('refuses a job nobody handles, and an event nobody subscribes to', () => {
    // What a context adding a job to its queue, or a producer adding an event, without the other half looks like.
    defineJobs('matching', { 'match-everything': true } as never);
    defineEvents({ 'campaign.renamed': true } as Partial<Record<EventName, true>>);
    const problems = catalogueProblems(handlersOf(workerProcessors()), true);
    expect(problems).toEqual([
      'event campaign.renamed has no subscriber',
      'job matching/match-everything has no handler',
    ]);
  });

  it('refuses a handler for a job the catalogue does not declare', () => {
    const handlers = handlersOf(workerProcessors());
    handlers.get('offers')?.add('expire-everything');
    expect(catalogueProblems(handlers, true)).toContain(
      'handler for offers/expire-everything has no job in the catalogue',
    );
  });
});
