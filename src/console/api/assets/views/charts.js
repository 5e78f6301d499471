// Pictures as SVG, drawn with d3-scale and d3-shape (window.d3, loaded from /console/vendor/).
// Amounts stay decimal strings everywhere else; here they become numbers only to place a mark,
// and every label shows the API's string. Each chart is an img with a title and a description,
// next to the table that holds the same figures.
import { svg, uid } from '../dom.js';
import { formatAmount, formatDate, formatTime, lang, t } from '../i18n.js';

const width = 720;
const height = 220;
const margin = { top: 16, right: 16, bottom: 28, left: 88 };

function frame(kind, title, description, ...content) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  return svg(
    'svg',
    {
      class: `chart chart-${kind}`,
      'data-chart': kind,
      role: 'img',
      viewBox: `0 0 ${width} ${height}`,
      'aria-labelledby': `${titleId} ${descId}`,
    },
    svg('title', { id: titleId }, title),
    svg('desc', { id: descId }, description),
    ...content,
  );
}

function numberTick(value) {
  return new Intl.NumberFormat(lang() === 'de' ? 'de-DE' : 'en-GB', {
    maximumFractionDigits: 0,
  }).format(value);
}

function yAxis(scale) {
  return scale.ticks(4).map((tick) =>
    svg(
      'g',
      { class: 'tick' },
      svg('line', {
        x1: margin.left,
        x2: width - margin.right,
        y1: scale(tick),
        y2: scale(tick),
      }),
      svg(
        'text',
        { x: margin.left - 6, y: scale(tick) + 4, 'text-anchor': 'end' },
        numberTick(tick),
      ),
    ),
  );
}

/** An account's balance over time: a step line through the register's running balances. */
export function balanceChart(lines, currency) {
  const points = lines
    .filter((line) => line.currency === currency)
    .map((line) => ({ date: new Date(`${line.effectiveDate}T00:00:00Z`), line }));
  if (points.length === 0) return null;
  const { scaleUtc, scaleLinear, line, curveStepAfter, extent } = window.d3;
  const values = points.map((point) => Number(point.line.balance));
  const [first, last] = extent(points, (point) => point.date);
  const x = scaleUtc()
    .domain(
      first.getTime() === last.getTime()
        ? [first, new Date(first.getTime() + 864e5)]
        : [first, last],
    )
    .range([margin.left, width - margin.right]);
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(0, ...values)])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const path = line()
    .x((point) => x(point.date))
    .y((point, index) => y(values[index]))
    .curve(curveStepAfter)(points);
  const final = points[points.length - 1].line;
  return frame(
    'balance',
    t('chart.balanceTitle', { currency }),
    t('chart.balanceDesc', {
      from: formatDate(points[0].line.effectiveDate),
      to: formatDate(final.effectiveDate),
      balance: formatAmount(final.balance, currency),
    }),
    ...yAxis(y),
    svg('path', { class: 'line', d: path, 'data-points': points.length }),
    svg('text', { x: margin.left, y: height - 8 }, formatDate(points[0].line.effectiveDate)),
    svg(
      'text',
      { x: width - margin.right, y: height - 8, 'text-anchor': 'end' },
      formatDate(final.effectiveDate),
    ),
  );
}

export const agingBuckets = ['current', '1-30', '31-60', '61-90', 'over-90'];

/** Open amounts per aging bucket (the total row of GET …/open-items/aging) as bars. */
export function agingChart(total, currency) {
  const { scaleBand, scaleLinear } = window.d3;
  const values = agingBuckets.map((bucket) => Number(total[bucket]));
  const x = scaleBand()
    .domain(agingBuckets)
    .range([margin.left, width - margin.right])
    .padding(0.25);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...values)])
    .nice()
    .range([height - margin.bottom, margin.top]);
  return frame(
    'aging',
    t('chart.agingTitle', { currency }),
    agingBuckets
      .map((bucket) => `${t(`aging.${bucket}`)}: ${formatAmount(total[bucket], currency)}`)
      .join('; '),
    ...yAxis(y),
    ...agingBuckets.map((bucket, index) =>
      svg(
        'g',
        { class: 'bar', 'data-bucket': bucket },
        svg('rect', {
          x: x(bucket),
          y: y(values[index]),
          width: x.bandwidth(),
          height: y(0) - y(values[index]),
        }),
        svg(
          'text',
          { x: x(bucket) + x.bandwidth() / 2, y: height - 8, 'text-anchor': 'middle' },
          t(`aging.${bucket}`),
        ),
        svg(
          'text',
          { x: x(bucket) + x.bandwidth() / 2, y: y(values[index]) - 4, 'text-anchor': 'middle' },
          formatAmount(total[bucket], currency),
        ),
      ),
    ),
  );
}

function milestonesOf(approval) {
  const milestones = [
    {
      kind: 'requested',
      label: t('timeline.requested', { by: approval.requestedBy }),
      at: approval.requestedAt,
    },
  ];
  for (const step of approval.steps)
    for (const decision of step.decisions)
      milestones.push({
        kind: decision.decision,
        label: t(`decision.${decision.decision}`, { by: decision.by }),
        at: decision.at,
      });
  if (approval.status === 'pending')
    milestones.push({ kind: 'pending', label: t('timeline.waiting'), at: approval.expiresAt });
  else if (approval.result?.status)
    milestones.push({
      kind: approval.result.status,
      label: t(`timeline.${approval.result.status}`),
    });
  return milestones;
}

/** An approval's way so far: requested, each decision, then executed / failed / still waiting. */
export function approvalTimeline(approval) {
  const milestones = milestonesOf(approval);
  const x = window.d3
    .scalePoint()
    .domain(milestones.map((_milestone, index) => index))
    .range([150, width - 150]);
  const axisY = 60;
  return frame(
    'timeline',
    t('chart.timelineTitle'),
    milestones.map((milestone) => milestone.label).join(' → '),
    svg('line', { class: 'axis', x1: x(0), x2: x(milestones.length - 1), y1: axisY, y2: axisY }),
    ...milestones.map((milestone, index) =>
      svg(
        'g',
        { class: `milestone milestone-${milestone.kind}`, 'data-milestone': milestone.kind },
        svg('circle', { cx: x(index), cy: axisY, r: 8 }),
        svg('text', { x: x(index), y: axisY + 30, 'text-anchor': 'middle' }, milestone.label),
        milestone.at
          ? svg(
              'text',
              { x: x(index), y: axisY + 50, 'text-anchor': 'middle', class: 'when' },
              formatTime(milestone.at),
            )
          : null,
      ),
    ),
  );
}
