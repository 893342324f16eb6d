/**
 * The reform office's dashboard: the city's combined figure and the on-time rate first, then the
 * digitization rates of a period per procedure, agency or level as bars coloured by the
 * thresholds, the raw counts beside every rate, the monthly trend, a drill-down from any bar to
 * the dossiers not yet digitized, and CSV/Excel exports; history in today's units on request.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CoverageBody, UndigitizedBody } from '../../../http/schemas.js';
import { ApiError, api, type Me, query } from '../api.js';
import { type I18n, type MessageKey, useI18n } from '../i18n.js';
import { Link } from '../router.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

type Dimension = 'procedure' | 'agency' | 'level';
type CoverageRow = CoverageBody['rows'][number];
type Status = CoverageRow['status'];
type Counts = Pick<CoverageRow, 'received' | 'componentDigitized' | 'overallDigitized' | 'resolved' | 'resultDigitized'>;

const STATUS: Record<Status, { label: MessageKey; colour: string }> = {
  'meets-target': { label: 'statusMeets', colour: '#2e7d32' },
  'below-target': { label: 'statusBelow', colour: '#b26a00' },
  'needs-action': { label: 'statusNeeds', colour: '#c62828' },
  'no-data': { label: 'statusNoData', colour: '#8a8f98' },
};

const DIMENSION_LABEL: Record<Dimension, MessageKey> = { procedure: 'byProcedure', agency: 'byAgency', level: 'byLevel' };

function rate(digitized: number, of: number): number | null {
  return of === 0 ? null : Math.round((10000 * digitized) / of) / 100;
}

const LEVEL_LABEL: Record<string, MessageKey> = { province: 'levelProvince', district: 'levelDistrict', commune: 'levelCommune' };

function rowLabel(row: CoverageRow, i18n: I18n): string {
  const level = row.key === null ? undefined : LEVEL_LABEL[row.key];
  if (level) return i18n.t(level);
  return row.name ? `${row.key} · ${row.name}` : (row.key ?? i18n.t('total'));
}

/** A chart.js chart over a canvas, rebuilt when its configuration changes. */
function ChartCanvas({ make, label }: { make: (canvas: HTMLCanvasElement) => Chart; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = make(ref.current!);
    return () => chart.destroy();
  }, [make]);
  return <canvas ref={ref} role="img" aria-label={label} />;
}

function RatesChart({ report, onPick }: { report: CoverageBody; onPick: (row: CoverageRow) => void }) {
  const i18n = useI18n();
  const rows = report.rows;
  // The same function while the report and language are: the chart is built again only when they change.
  const make = useCallback(
    (canvas: HTMLCanvasElement) =>
      new Chart(canvas, {
        type: 'bar',
        data: {
          // The code on the axis (names are long); the name in the tooltip.
          labels: rows.map((r) => (r.key === 'province' || r.key === 'commune' ? rowLabel(r, i18n) : (r.key ?? ''))),
          datasets: [
            {
              label: i18n.t('rateOverall'),
              data: rows.map((r) => r.rates.overall ?? 0),
              backgroundColor: rows.map((r) => STATUS[r.status].colour),
            },
          ],
        },
        options: {
          indexAxis: 'y',
          maintainAspectRatio: false,
          animation: false,
          locale: i18n.lang === 'vi' ? 'vi-VN' : 'en-GB',
          scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => rowLabel(rows[items[0]!.dataIndex]!, i18n),
                label: (item) => {
                  const r = rows[item.dataIndex]!;
                  return `${i18n.percent(r.rates.overall)} (${i18n.number(r.overallDigitized)} / ${i18n.number(r.received)})`;
                },
              },
            },
          },
          onClick: (_event, elements) => {
            const first = elements[0];
            if (first) onPick(rows[first.index]!);
          },
        },
      }),
    [report, i18n, onPick],
  );
  return (
    <div class="chart" style={{ height: `${Math.max(160, rows.length * 34 + 60)}px` }}>
      <ChartCanvas make={make} label={i18n.t('rateOverall')} />
    </div>
  );
}

function TrendChart({ months, thresholds }: { months: CoverageRow[]; thresholds: CoverageBody['thresholds'] }) {
  const i18n = useI18n();
  const periods = [...new Set(months.map((m) => m.period!))].sort();
  const sums = periods.map((p) => {
    const sum: Counts = { received: 0, componentDigitized: 0, overallDigitized: 0, resolved: 0, resultDigitized: 0 };
    for (const m of months.filter((x) => x.period === p)) for (const k of Object.keys(sum) as (keyof Counts)[]) sum[k] += m[k];
    return sum;
  });
  const line = (label: string, data: (number | null)[], colour: string, dash?: number[]) => ({
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    borderDash: dash,
    pointRadius: dash ? 0 : 3,
    spanGaps: true,
  });
  const make = useCallback(
    (canvas: HTMLCanvasElement) =>
      new Chart(canvas, {
        type: 'line',
        data: {
          labels: periods,
          datasets: [
            line(
              i18n.t('rateOverall'),
              sums.map((s) => rate(s.overallDigitized, s.received)),
              '#1f4e79',
            ),
            line(
              i18n.t('rateComponent'),
              sums.map((s) => rate(s.componentDigitized, s.received)),
              '#5b8fc7',
            ),
            line(
              i18n.t('rateResult'),
              sums.map((s) => rate(s.resultDigitized, s.resolved)),
              '#8e6bbf',
            ),
            line(
              i18n.t('statusNeeds'),
              periods.map(() => thresholds.warn),
              STATUS['needs-action'].colour,
              [6, 4],
            ),
            line(
              i18n.t('statusMeets'),
              periods.map(() => thresholds.target),
              STATUS['meets-target'].colour,
              [6, 4],
            ),
          ],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          locale: i18n.lang === 'vi' ? 'vi-VN' : 'en-GB',
          scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
        },
      }),
    [months, thresholds, i18n],
  );
  return (
    <div class="chart" style={{ height: '260px' }}>
      <ChartCanvas make={make} label={i18n.t('trend')} />
    </div>
  );
}

function UndigitizedList({
  dimension,
  row,
  from,
  to,
  rollUp,
  onClose,
}: {
  dimension: Dimension;
  row: CoverageRow;
  from: string;
  to: string;
  rollUp: boolean;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, date } = i18n;
  const [list, setList] = useState<UndigitizedBody | null>(null);
  useEffect(() => {
    api<UndigitizedBody>(`/api/coverage/undigitized${query({ [dimension]: row.key, from, to, rollUp, limit: 200 })}`).then(setList, () =>
      setList({ total: 0, items: [] }),
    );
  }, [row.key, dimension, from, to, rollUp]);
  return (
    <section class="card drill" aria-live="polite">
      <h2>
        {t('notDigitized')}: {rowLabel(row, i18n)}{' '}
        <button type="button" class="link" onClick={onClose}>
          {t('close')}
        </button>
      </h2>
      {!list ? (
        <p>{t('loading')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dossierCode')}</th>
              <th scope="col">{t('procedureCode')}</th>
              <th scope="col">{t('agencyCode')}</th>
              <th scope="col">{t('receivedOn')}</th>
              <th scope="col">{t('missing')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((d) => (
              <tr key={d.code}>
                <td>{d.code}</td>
                <td>{d.procedureCode}</td>
                <td>{d.agencyCode}</td>
                <td>{date(d.receivedOn)}</td>
                <td>{missingParts(d, i18n).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What a listed dossier lacks: the required components by code (or "component" where its list is unknown), and its result. */
function missingParts(d: UndigitizedBody['items'][number], { t, date }: I18n): string[] {
  const components = d.missingComponents
    ? d.missingComponents.map((code) => `${t('component')} ${code}`)
    : d.reasons.includes('not-digitized-overall')
      ? [t('component')]
      : [];
  const result = d.resolvedOn && !d.resultDigitized ? [t('resultMissing', { date: date(d.resolvedOn) })] : [];
  return [...components, ...result];
}

function yearStart(): string {
  return `${new Date().getFullYear()}-01-01`;
}

export function ReformPage({ me }: { me: Me }) {
  const i18n = useI18n();
  const { t, number, percent } = i18n;
  const [dimension, setDimension] = useState<Dimension>('procedure');
  const [from, setFrom] = useState(yearStart());
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const [rollUp, setRollUp] = useState(false);
  const [report, setReport] = useState<CoverageBody | null>(null);
  const [months, setMonths] = useState<CoverageRow[]>([]);
  const [picked, setPicked] = useState<CoverageRow | null>(null);
  const [error, setError] = useState('');
  const filters = query({ from, to, rollUp });
  // Only the latest request's answer is shown: an earlier one arriving late must not overwrite it.
  const latest = useRef(0);
  const load = () => {
    const request = ++latest.current;
    setError('');
    setPicked(null);
    Promise.all([
      api<CoverageBody>(`/api/coverage${query({ by: dimension, from, to, rollUp })}`),
      api<CoverageBody>(`/api/coverage${query({ by: 'level', period: 'month', from, to, rollUp })}`),
    ]).then(
      ([r, m]) => {
        if (request !== latest.current) return;
        setReport(r);
        setMonths(m.rows);
      },
      (err: unknown) => request === latest.current && setError(err instanceof ApiError ? err.message : String(err)),
    );
  };
  useEffect(load, [dimension]);
  const exportHref = (format: 'csv' | 'xlsx') =>
    `/api/coverage/export${query({ format, by: dimension, from, to, rollUp, lang: i18n.lang })}`;
  return (
    <div class="reform">
      <form
        class="card controls"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <h1>{t('dashboardTitle')}</h1>
        <div class="tabs" role="tablist" aria-label={t('by')}>
          {(['procedure', 'agency', 'level'] as Dimension[]).map((d) => (
            <button
              key={d}
              type="button"
              role="tab"
              aria-selected={d === dimension}
              class={d === dimension ? 'active' : ''}
              onClick={() => setDimension(d)}
            >
              {t(DIMENSION_LABEL[d])}
            </button>
          ))}
        </div>
        <label>
          {t('from')} <input type="date" name="from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('to')} <input type="date" name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" name="rollUp" checked={rollUp} onChange={(e) => setRollUp(e.currentTarget.checked)} /> {t('rollUp')}
        </label>
        <button type="submit" class="primary">
          {t('show')}
        </button>
        <a class="button" href={exportHref('csv')} download>
          {t('exportCsv')}
        </a>
        <a class="button" href={exportHref('xlsx')} download>
          {t('exportExcel')}
        </a>
      </form>
      {error && <p class="notice error">{error}</p>}
      {report && (
        <>
          <section
            class="card totals"
            data-overall={report.total.rates.overall ?? ''}
            data-combined={report.total.rates.combined ?? ''}
            data-on-time={report.total.rates.onTime ?? ''}
          >
            <div class="city">
              <span class="big">{percent(report.total.rates.combined)}</span>
              <span>{t('rateCombined')}</span>
              <span class="muted">
                {number(report.total.componentDigitized + report.total.resultDigitized)} /{' '}
                {number(report.total.received + report.total.resolved)}
              </span>
            </div>
            <div>
              <span class="big">{percent(report.total.rates.onTime)}</span>
              <span>{t('rateOnTime')}</span>
              <span class="muted">
                {number(report.total.onTime)} / {number(report.total.resolvedWithDue)}
              </span>
            </div>
            <div>
              <span class="big">
                {report.total.overallExact ? '' : '≈ '}
                {percent(report.total.rates.overall)}
              </span>
              <span>{t('rateOverall')}</span>
              <span class="muted">
                {number(report.total.overallDigitized)} / {number(report.total.received)}
              </span>
            </div>
            <div>
              <span class="big">{percent(report.total.rates.component)}</span>
              <span>{t('rateComponent')}</span>
              <span class="muted">
                {number(report.total.componentDigitized)} / {number(report.total.received)}
              </span>
            </div>
            <div>
              <span class="big">{percent(report.total.rates.result)}</span>
              <span>{t('rateResult')}</span>
              <span class="muted">
                {number(report.total.resultDigitized)} / {number(report.total.resolved)}
              </span>
            </div>
            <p class="muted">
              {t('thresholds')}: {t('thresholdsLine', { warn: number(report.thresholds.warn), target: number(report.thresholds.target) })}
              {me.role === 'admin' && (
                <>
                  {' '}
                  <Link href="/admin?tab=thresholds">{t('editThresholds')}</Link>
                </>
              )}
              <br />
              {t('unregistered', { n: number(report.unregistered.total.dossiers) })}
              {!report.total.overallExact && (
                <>
                  <br />
                  {t('approximate', { n: number(report.total.overallApproximate) })}
                </>
              )}
            </p>
          </section>
          <div class="columns">
            <section class="card">
              <h2>
                {t('rateOverall')} · {t(DIMENSION_LABEL[dimension])}
              </h2>
              <RatesChart report={report} onPick={setPicked} />
            </section>
            <section class="card">
              <h2>{t('trend')}</h2>
              <TrendChart months={months} thresholds={report.thresholds} />
            </section>
          </div>
          {picked && (
            <UndigitizedList dimension={dimension} row={picked} from={from} to={to} rollUp={rollUp} onClose={() => setPicked(null)} />
          )}
          <section class="card">
            <table class="rates" data-filters={filters}>
              <thead>
                <tr>
                  <th scope="col">{t(DIMENSION_LABEL[dimension])}</th>
                  <th scope="col">{t('received')}</th>
                  <th scope="col">{t('rateComponent')}</th>
                  <th scope="col">{t('resolved')}</th>
                  <th scope="col">{t('rateResult')}</th>
                  <th scope="col">{t('rateOverall')}</th>
                  <th scope="col">{t('rateCombined')}</th>
                  <th scope="col">{t('rateOnTime')}</th>
                  <th scope="col">{t('state')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {[...report.rows, report.total].map((r) => (
                  <tr key={r.key ?? 'total'} class={r.key === null ? 'total' : ''}>
                    <th scope="row">{rowLabel(r, i18n)}</th>
                    <td>{number(r.received)}</td>
                    <td>
                      {percent(r.rates.component)} <span class="muted">({number(r.componentDigitized)})</span>
                    </td>
                    <td>{number(r.resolved)}</td>
                    <td>
                      {percent(r.rates.result)} <span class="muted">({number(r.resultDigitized)})</span>
                    </td>
                    <td>
                      {r.overallExact ? '' : '≈ '}
                      {percent(r.rates.overall)} <span class="muted">({number(r.overallDigitized)})</span>
                    </td>
                    <td>{percent(r.rates.combined)}</td>
                    <td>
                      {percent(r.rates.onTime)} <span class="muted">({number(r.onTime)})</span>
                    </td>
                    <td>
                      <span class="badge" style={{ background: STATUS[r.status].colour }}>
                        {t(STATUS[r.status].label)}
                      </span>
                    </td>
                    <td>
                      {r.key !== null && (
                        <button type="button" class="link" onClick={() => setPicked(r)}>
                          {t('showNotDigitized')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
