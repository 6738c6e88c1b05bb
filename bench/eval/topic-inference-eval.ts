import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopicInference, VocabularyTopic } from '../../src/connectors/topic-inference';

/**
 * `npm run eval:topics`: precision and recall of topic inference on the labelled sample
 * (data/topic-sample/posts.jsonl), against the Klout ontology files (the same rows the migration loads).
 * Micro-averaged over (post, topic) pairs; a topic not in a post's labels counts as wrong, even a related one.
 */
const ROOT = join(__dirname, '..', '..');

/** The ontology CSVs are quoted, comma-separated, without embedded quotes or newlines. */
function csv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => [...l.matchAll(/"([^"]*)"|([^,]+)/g)].map((m) => m[1] ?? m[2]));
}

export function ontologyVocabulary(): VocabularyTopic[] {
  const dir = join(ROOT, 'data', 'klout-topic-ontology');
  const parents = new Map<string, string[]>();
  for (const [, parent, , child] of csv(join(dir, 'klout_topic_edge_20180601.csv'))) {
    if (parent === '_ROOT_') continue;
    parents.set(child, [...(parents.get(child) ?? []), parent]);
  }
  return csv(join(dir, 'klout_topic_ontology_20180601.csv')).map(([, slug, name], i) => ({
    id: i + 1,
    slug,
    name,
    parents: parents.get(slug) ?? [],
  }));
}

export interface LabelledPost {
  id: number;
  text: string;
  topics: string[];
}

export function loadSample(): LabelledPost[] {
  return readFileSync(join(ROOT, 'data', 'topic-sample', 'posts.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LabelledPost);
}

export interface Evaluation {
  posts: number;
  labels: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  noTopicPostsWithAPrediction: number;
  falsePositives: { id: number; slug: string }[];
  falseNegatives: { id: number; slug: string }[];
}

export function evaluate(inference = new TopicInference(ontologyVocabulary()), sample = loadSample()): Evaluation {
  let tp = 0;
  let predicted = 0;
  let labels = 0;
  let noTopic = 0;
  const fp: Evaluation['falsePositives'] = [];
  const fn: Evaluation['falseNegatives'] = [];
  for (const p of sample) {
    const got = new Set(inference.infer(p.text).map((t) => t.slug));
    const want = new Set(p.topics);
    predicted += got.size;
    labels += want.size;
    if (!want.size && got.size) noTopic++;
    for (const s of got) {
      if (want.has(s)) tp++;
      else fp.push({ id: p.id, slug: s });
    }
    for (const s of want) if (!got.has(s)) fn.push({ id: p.id, slug: s });
  }
  return {
    posts: sample.length,
    labels,
    predicted,
    truePositives: tp,
    precision: predicted ? tp / predicted : 1,
    recall: labels ? tp / labels : 1,
    noTopicPostsWithAPrediction: noTopic,
    falsePositives: fp,
    falseNegatives: fn,
  };
}

if (require.main === module) {
  const e = evaluate();
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  console.log(`posts ${e.posts}, labelled topics ${e.labels}, predicted ${e.predicted}, correct ${e.truePositives}`);
  console.log(`precision ${pct(e.precision)}, recall ${pct(e.recall)}`);
  console.log(`posts labelled with no topic that got one: ${e.noTopicPostsWithAPrediction}`);
  if (process.argv.includes('--errors')) {
    const text = new Map(loadSample().map((p) => [p.id, p.text]));
    for (const f of e.falsePositives) console.log(`FP ${f.slug.padEnd(24)} ${text.get(f.id)}`);
    for (const f of e.falseNegatives) console.log(`FN ${f.slug.padEnd(24)} ${text.get(f.id)}`);
  }
}
