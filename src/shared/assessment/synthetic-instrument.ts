import type { InstrumentInput, RuleCondition, ShowIfCondition } from './instrument.schema.js';
import { AMP_ELEMENTS, ILO_INDICATORS, ITEM_DOMAINS, RED_FLAG_GROUPS, localized } from './vocabulary.js';

/**
 * Seeded synthetic instruments and answer sets for benchmarks and property tests: every shape the schema allows
 * (skip logic chains, choice items, every rule operator) at a chosen size, reproducible from the seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticInstrument(options: { items: number; rules: number; seed: number }): InstrumentInput {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const items: InstrumentInput['items'] = [];
  for (let i = 0; i < options.items; i++) {
    const isChoice = i % 10 === 9;
    const domain = pick(ITEM_DOMAINS);
    // A third of the items depend on an earlier item: chains of follow-up questions like real instruments.
    const showIf: ShowIfCondition | undefined = i > 0 && random() < 0.33 ? { op: 'yes', item: `q${Math.floor(random() * i)}` } : undefined;
    const dependsOnChoice = showIf && items[Number(showIf.op === 'yes' ? showIf.item.slice(1) : 0)]?.answer.type === 'choice';
    items.push({
      id: `q${i}`,
      text: localized(`Question ${i}?`, `¿Pregunta ${i}?`, `Question ${i} ?`),
      domain,
      ilo: random() < 0.5 ? pick(ILO_INDICATORS) : undefined,
      redFlag: random() < 0.4 ? pick(RED_FLAG_GROUPS) : undefined,
      scope: { ages: random() < 0.1 ? ['minor'] : ['adult', 'minor'], types: random() < 0.5 ? ['sex', 'labour'] : [pick(['sex', 'labour'] as const)] },
      answer: isChoice
        ? { type: 'choice', options: ['a', 'b', 'c'].map((id, o) => ({ id, label: localized(id, id, id), positive: o === 0 })) }
        : { type: 'yes_no' },
      short: false,
      weight: Math.floor(random() * 3) + 1,
      showIf: dependsOnChoice ? { op: 'answer', item: (showIf as { item: string }).item, in: ['a', 'b'] } : showIf,
    });
  }
  const rules: InstrumentInput['rules'] = [];
  for (let r = 0; r < options.rules; r++) {
    rules.push({
      id: `rule_${r}`,
      kind: r < options.rules / 10 ? 'hard' : 'combination',
      types: random() < 0.5 ? ['sex', 'labour'] : [pick(['sex', 'labour'] as const)],
      level: pick(['low', 'moderate', 'high'] as const),
      when: randomCondition(random, options.items, 0),
      text: localized(`Rule ${r}`, `Regla ${r}`, `Règle ${r}`),
    });
  }
  return { id: `synthetic-${options.seed}`, version: 1, title: localized('Synthetic', 'Sintético', 'Synthétique'), items, rules };
}

function randomCondition(random: () => number, itemCount: number, depth: number): RuleCondition {
  const roll = random();
  if (depth < 2 && roll < 0.35) {
    const of = Array.from({ length: 2 + Math.floor(random() * 3) }, () => randomCondition(random, itemCount, depth + 1));
    const op = random();
    if (op < 0.4) return { op: 'all', of };
    if (op < 0.7) return { op: 'any', of };
    return { op: 'atLeast', count: 1 + Math.floor(random() * of.length), of };
  }
  const leaf = random();
  const item = `q${Math.floor(random() * itemCount)}`;
  if (leaf < 0.25) return { op: 'yes', item };
  if (leaf < 0.45) return { op: 'amp', element: AMP_ELEMENTS[Math.floor(random() * 3)] };
  if (leaf < 0.55) return { op: 'ilo', indicator: ILO_INDICATORS[Math.floor(random() * ILO_INDICATORS.length)] };
  if (leaf < 0.7) return { op: 'iloCount', atLeast: 1 + Math.floor(random() * 4) };
  if (leaf < 0.8) return { op: 'redFlagCount', atLeast: 1 + Math.floor(random() * 3), group: random() < 0.5 ? RED_FLAG_GROUPS[Math.floor(random() * 4)] : undefined };
  if (leaf < 0.9) return { op: 'score', atLeast: 1 + Math.floor(random() * 10) };
  return { op: 'person', is: random() < 0.5 ? 'minor' : 'minor_or_unknown_age' };
}

/** A random answer set: each item answered with probability `answeredShare`, "yes"/positive with `yesShare`. */
export function syntheticAnswers(instrument: InstrumentInput, random: () => number, answeredShare = 0.7, yesShare = 0.4): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const item of instrument.items) {
    if (random() >= answeredShare) continue;
    if (item.answer.type === 'choice') answers[item.id] = item.answer.options[Math.floor(random() * item.answer.options.length)].id;
    else answers[item.id] = random() < yesShare ? 'yes' : (['no', 'unknown', 'declined'] as const)[Math.floor(random() * 3)];
  }
  return answers;
}
