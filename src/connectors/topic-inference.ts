/**
 * Topics from a post's text: hashtags and words matched against the ontology's names, slugs and a few aliases.
 * Only the topic ids leave this module; the text is never stored. Precision over recall (a wrong topic is a wrong
 * perk): a single common word ("running", "love", "apple") or a name of three letters or fewer counts only as a
 * hashtag, in capitals (an acronym such as NBA), or when another topic of the post shares a parent with it.
 * Figures on the labelled sample: docs/scoring.md ("Topics from posts").
 */

export interface VocabularyTopic {
  id: number;
  slug: string;
  name: string;
  parents: string[];
}

export interface InferredTopic {
  id: number;
  slug: string;
}

const MAX_NGRAM = 5;
const MAX_TOPICS_PER_POST = 6;

/** Lower case, no diacritics, `&` as "and", every other non-alphanumeric character a space. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}+#]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Hashtags read as their words run together: `#NewYorkCity`, `#new_york_city` → `newyorkcity`. */
const compact = (s: string): string => fold(s).replace(/[\s#]+/g, '');

/** Common aliases, abbreviations and spellings → ontology slugs (dropped when the slug is not in the ontology). */
const ALIASES: Record<string, string> = {
  nyc: 'new-york-city',
  'new york': 'new-york-city',
  sf: 'san-francisco',
  la: 'los-angeles',
  js: 'javascript',
  ai: 'artificial-intelligence',
  ml: 'machine-learning',
  f1: 'formula-one',
  'pour over': 'coffee',
  pourover: 'coffee',
  latte: 'coffee',
  cappuccino: 'coffee',
  'cold brew': 'coffee',
  barista: 'coffee',
  '5k': 'running',
  '10k': 'running',
  'half marathon': 'marathons',
  'trail running': 'running',
  trailrunning: 'running',
  ev: 'electric-cars',
  evs: 'electric-cars',
  cycling: 'bicycling',
  hockey: 'ice-hockey',
  gardening: 'garden',
  'world cup': 'world-cup',
  tesla: 'tesla-motors',
  ps5: 'playstation',
  vegan: 'veganism',
  crypto: 'cryptocurrency',
  btc: 'bitcoin',
  hike: 'hiking',
  skincare: 'skin-care',
  'skin care': 'skin-care',
  sourdough: 'baking',
  podcast: 'podcasts',
  gaming: 'video-games',
  videogames: 'video-games',
  'video game': 'video-games',
  'video games': 'video-games',
  marvel: 'marvel-comics',
  mcu: 'marvel-comics',
};

/** Short aliases that are also ordinary syllables or initials: they count only in capitals or with context. */
const WEAK_ALIASES = new Set(['la', 'sf', 'ev', 'evs', 'ai', 'ml', 'js', 'f1']);

/**
 * Everyday English words that are also ontology names: matched only as hashtags or with context, because in
 * running text they mostly mean something else ("running late", "an apple a day", "I love this").
 */
const COMMON_WORDS = new Set(
  `about above after again age air all also always amazing answer apple back bad ball band bank bar base bass
   bear bed bee bell best big bill bird black blood blue board boat body bond boss box boy brain break bridge
   brown build busy call camp can cap capital card cards care case cash cell center chain chair champion change
   channel chart check child city class classic clean clock cloud club coach coast code cold color comfort
   community cool copy corn country couple course court cover crash cream cross crown cup cure current cut dark
   data date day dead deal death design diamond dinner door dragon draw dream drive drop duck earth east easy
   energy engine event events faith fall family fans father fear fire fit flag flash flight floor fly force fox
   free fresh friday friends fun future game games gas gift girl glass go gold good grace grass green hair hall
   hand happy hard hat head heart heat hell help hero high hill home hope hot house human ice idea image
   independence industry information ink iron island jam job jobs joy judge jump justice key kids kill king
   kitchen lake land language law lead leader league lemon life light lights line lion list live local love luck
   lunch magic mail make man map market master match memory men metal mind mine mobile model modern monday
   monkey moon mother motion mountain mouse name nature network new news night noise north note office oil old
   open orange order outdoors pain paint paper park parking party pass peace people pepper phone picture pie pig
   pink place plan planet plant play point police pool pop power present press price prince print product
   property queen race radio rain real red rent rescue rice ring rise river road rock room rose round royal run
   running safety salt sand save school sea season security service shadow ship shoe show silver single sister
   sky sleep smoke snow social soul sound south space speed spirit spring square star stars state steel stone
   storage store storm story street study style sugar summer sun sunday support table talk tax team test time
   today tour town track trade train training tree trust truth union universe value village vision voice vote
   walk wall war watch water wave west wheel white wild wind window windows winter wood word work world young
   youth anxiety disaster disasters chaos traffic weather health park parks internet book books reading history
   religion marriage drink drinks cafe cafes laundry gratitude software vintage craft crafts parenting vacuum
   vacuums creativity stretching wedding weddings spanish chicken
   chickens derby closet closets who sat sats app apps gym gyms`.split(/\s+/),
);

interface Entry {
  ids: number[];
  /** The name is a common word or three letters or fewer: needs a hashtag, capitals or context. */
  weak: boolean;
}

export class TopicInference {
  private readonly phrases = new Map<string, Entry>();
  private readonly tags = new Map<string, Entry>();
  private readonly byId = new Map<number, VocabularyTopic>();

  constructor(vocabulary: VocabularyTopic[]) {
    const bySlug = new Map<string, VocabularyTopic>();
    for (const t of vocabulary) {
      if (t.slug.endsWith('-super') || t.slug === '_ROOT_') continue;
      this.byId.set(t.id, t);
      bySlug.set(t.slug.toLowerCase(), t);
    }
    const add = (phrase: string, t: VocabularyTopic, alias = false): void => {
      const p = fold(phrase);
      if (!p) return;
      const single = !p.includes(' ');
      const weak = single && (p.length <= 2 || COMMON_WORDS.has(p)) && !alias;
      for (const [map, key] of [
        [this.phrases, p],
        [this.tags, compact(phrase)],
      ] as const) {
        const e = map.get(key);
        if (!e) map.set(key, { ids: [t.id], weak });
        else if (!e.ids.includes(t.id)) e.ids.push(t.id);
      }
    };
    for (const t of this.byId.values()) {
      add(t.name, t);
      add(t.slug.replace(/-/g, ' '), t);
      // "Marathons", "Sneakers", "Cats": the singular in a post means the same topic.
      const f = fold(t.name);
      if (/[a-z]{2}[^s]s$/.test(f)) add(f.slice(0, -1), t);
      // "Art and Artists", "Food and Drink": each side alone is too broad to stand for the pair.
    }
    for (const [alias, slug] of Object.entries(ALIASES)) {
      const t = bySlug.get(slug);
      if (t) add(alias, t, !WEAK_ALIASES.has(alias));
    }
  }

  get size(): number {
    return this.byId.size;
  }

  infer(text: string, hashtags: string[] = []): InferredTopic[] {
    // Mentions and links are someone else's name or an address, not the post's subject.
    const body = text
      .replace(/https?:\/\/\S+/gi, ' ')
      .replace(/(^|\s)@[\w.@-]+/g, ' ')
      .replace(/['’]s\b/g, '');
    const tagSet = new Set<string>(hashtags.map(compact));
    for (const m of body.matchAll(/#([\p{L}\p{N}_]{2,100})/gu)) tagSet.add(compact(m[1]));
    const strong = new Set<number>();
    const weak = new Set<number>();
    const consider = (e: Entry | undefined, asTag: boolean, caps: boolean): void => {
      // An ambiguous name (several topics) is left out rather than guessed.
      if (!e || e.ids.length !== 1) return;
      if (asTag || caps || !e.weak) strong.add(e.ids[0]);
      else weak.add(e.ids[0]);
    };
    for (const t of tagSet) consider(this.tags.get(t), true, false);

    const rawTokens = body.replace(/#[\p{L}\p{N}_]+/gu, ' ').split(/[^\p{L}\p{N}+&'’.-]+/u);
    const words = rawTokens.map((w) => w.replace(/^[.'’-]+|[.'’-]+$/g, '')).filter(Boolean);
    const folded = words.map(fold);
    for (let i = 0; i < folded.length; i++) {
      for (let n = Math.min(MAX_NGRAM, folded.length - i); n >= 1; n--) {
        const phrase = folded.slice(i, i + n).join(' ');
        const e = this.phrases.get(phrase);
        if (!e) continue;
        const caps = n === 1 && words[i].length >= 2 && words[i].length <= 5 && /^[A-Z0-9]+$/.test(words[i]);
        consider(e, false, caps && /[A-Z]/.test(words[i]));
        i += n - 1;
        break;
      }
    }
    // Context: a weak match stays when a strong one shares a parent or is its parent or child.
    const ctx = new Set<string>();
    for (const id of strong) {
      const t = this.byId.get(id)!;
      ctx.add(t.slug);
      for (const p of t.parents) ctx.add(p);
    }
    for (const id of weak) {
      const t = this.byId.get(id)!;
      if (ctx.has(t.slug) || t.parents.some((p) => ctx.has(p))) strong.add(id);
    }
    return [...strong]
      .slice(0, MAX_TOPICS_PER_POST)
      .map((id) => ({ id, slug: this.byId.get(id)!.slug }))
      .sort((a, b) => a.id - b.id);
  }
}
