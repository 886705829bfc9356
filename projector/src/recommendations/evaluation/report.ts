import type { EvaluationReport } from './run.ts';

/* How an evaluation is shown: a table for people, one JSON line for scripts, a one-line summary. */

const fixed = (value: number, digits = 4) => value.toFixed(digits);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatTable(report: EvaluationReport): string {
  const { dataset, protocol, timingsMs } = report;
  const k = protocol.k;
  const header = ['model', 'users', `nDCG@${k}`, `P@${k}`, `R@${k}`, `MAP@${k}`, `hit@${k}`, 'coverage', 'recommend'];
  const rows = report.models.map((model) => [
    model.name,
    String(model.metrics.users),
    fixed(model.metrics.ndcg),
    fixed(model.metrics.precision),
    fixed(model.metrics.recall),
    fixed(model.metrics.map),
    fixed(model.metrics.hitRate),
    fixed(model.metrics.coverage),
    seconds(model.recommendMs),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // The model name reads left-aligned, figures right-aligned so their decimals line up.
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  const lines = [
    `MovieLens ${dataset.layout} at ${dataset.directory}: ${dataset.ratings} ratings, ${dataset.users} users, ${dataset.titles} titles`,
    `split: ${protocol.split}, ratio ${protocol.ratio}, seed ${protocol.seed} → train ${dataset.trainRatings} ratings (${dataset.trainTitles} titles), test ${dataset.testRatings} ratings (${dataset.testUsers} users); relevance: ${protocol.relevance}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...report.models.map((model) => `  ${model.name}: ${model.description}`),
    '',
    `time: read ${seconds(timingsMs.read)}, split ${seconds(timingsMs.split)}, events ${seconds(timingsMs.events)}, ` +
      `replay ${seconds(timingsMs.replay)} (${timingsMs.replayedEvents} events through the projection's engine), fit ${seconds(timingsMs.fit)}`,
  ];
  for (const model of report.models) {
    if (model.usersWithoutRecommendations > 0)
      lines.push(`note: ${model.name} returned nothing for ${model.usersWithoutRecommendations} users (left out of its averages)`);
    if (model.invalidRecommendations > 0)
      lines.push(
        `warning: ${model.name} listed ${model.invalidRecommendations} titles the user had already rated or that are not in the training catalog`,
      );
  }
  return lines.join('\n');
}

/** Metrics rounded to 6 places and times to the millisecond: enough to compare runs, short enough to read. */
export function formatJson(report: EvaluationReport): string {
  const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
  return JSON.stringify({
    dataset: report.dataset,
    protocol: report.protocol,
    models: Object.fromEntries(
      report.models.map((model) => [
        model.name,
        {
          description: model.description,
          users: model.metrics.users,
          ndcg: round(model.metrics.ndcg, 6),
          precision: round(model.metrics.precision, 6),
          recall: round(model.metrics.recall, 6),
          map: round(model.metrics.map, 6),
          hitRate: round(model.metrics.hitRate, 6),
          coverage: round(model.metrics.coverage, 6),
          recommendedTitles: model.metrics.recommendedTitles,
          recommendMs: Math.round(model.recommendMs),
          usersWithoutRecommendations: model.usersWithoutRecommendations,
          invalidRecommendations: model.invalidRecommendations,
        },
      ]),
    ),
    timingsMs: Object.fromEntries(Object.entries(report.timingsMs).map(([key, value]) => [key, Math.round(value)])),
  });
}

export function formatSummary(report: EvaluationReport): string {
  const k = report.protocol.k;
  const byName = new Map(report.models.map((model) => [model.name, model]));
  const baseline = byName.get('popularity');
  const parts = report.models
    .filter((model) => model !== baseline)
    .map((model) => {
      const lift =
        baseline && baseline.metrics.ndcg > 0
          ? ` (${model.metrics.ndcg >= baseline.metrics.ndcg ? '+' : ''}${((model.metrics.ndcg / baseline.metrics.ndcg - 1) * 100).toFixed(0)}% vs popularity)`
          : '';
      return `${model.name} nDCG@${k} ${fixed(model.metrics.ndcg)}${lift}`;
    });
  if (baseline) parts.push(`popularity ${fixed(baseline.metrics.ndcg)}`);
  const { timingsMs } = report;
  const recommendMs = report.models.filter((model) => model !== baseline).reduce((sum, model) => sum + model.recommendMs, 0);
  return `summary: ${parts.join('; ')}; ${report.dataset.testUsers} test users; replay ${seconds(timingsMs.replay)}, fit ${seconds(timingsMs.fit)}, recommend ${seconds(recommendMs)}`;
}
