import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';

export interface Column<T> {
  key: string;
  label: string;
  /** Value to sort by; a column without one is not sortable. */
  sortValue?: (row: T) => string | number | boolean | null;
  render: (row: T) => ReactNode;
  numeric?: boolean;
  /** The row's name for screen readers (rendered as the row header). */
  rowHeader?: boolean;
}

export type SortState = { key: string; dir: 'asc' | 'desc' };

export const PAGE_SIZES = [25, 50, 100, 250] as const;

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
}

/** Rows sorted by a column, stable. */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortState | null): T[] {
  const col = sort && columns.find((c) => c.key === sort.key);
  if (!sort || !col?.sortValue) return [...rows];
  const value = col.sortValue;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((x, y) => sign * compare(x.v, y.v) || x.i - y.i)
    .map((x) => x.row);
}

interface DataTableProps<T> {
  caption: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  initialSort?: SortState;
  /** Buttons at the end of each row. */
  actions?: (row: T) => ReactNode;
  /** Selection (checkbox column), for batch actions. */
  selected?: ReadonlySet<string>;
  onSelectedChange?: (next: Set<string>) => void;
  /** Reset to the first page when this changes (a new search or filter). */
  resetKey?: string;
  empty?: ReactNode;
  /** The rows as currently sorted (what an export of « what is on screen » writes). */
  onSorted?: (rows: T[]) => void;
}

/**
 * Every console table: sortable headers (buttons, aria-sort), pagination with a page size, optional
 * row selection. All keyboard-usable: Tab reaches each header, checkbox, action and pager button.
 */
export function DataTable<T>({
  caption,
  rows,
  columns,
  rowKey,
  initialSort,
  actions,
  selected,
  onSelectedChange,
  resetKey,
  empty,
  onSorted,
}: DataTableProps<T>) {
  const { t, number } = useI18n();
  const sizeId = useId();
  const [sort, setSort] = useState<SortState | null>(initialSort ?? null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(50);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search or filter starts from page 1
  useEffect(() => setPage(1), [resetKey, pageSize]);

  const sorted = useMemo(() => sortRows(rows, columns, sort), [rows, columns, sort]);
  useEffect(() => onSorted?.(sorted), [sorted, onSorted]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages);
  const visible = sorted.slice((current - 1) * pageSize, current * pageSize);

  const toggleSort = (key: string) =>
    setSort((s) => (s?.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));

  const allVisibleSelected = !!selected && visible.length > 0 && visible.every((r) => selected.has(rowKey(r)));
  const toggleAllVisible = () => {
    if (!selected || !onSelectedChange) return;
    const next = new Set(selected);
    for (const r of visible) {
      if (allVisibleSelected) next.delete(rowKey(r));
      else next.add(rowKey(r));
    }
    onSelectedChange(next);
  };

  if (rows.length === 0) return <div className="empty card">{empty}</div>;

  return (
    <>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {selected && (
                <th scope="col" className="select-cell">
                  <input
                    type="checkbox"
                    checked={allVisibleSelected}
                    onChange={toggleAllVisible}
                    aria-label={t('table.selectPage')}
                  />
                </th>
              )}
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={
                    sort?.key === c.key
                      ? sort.dir === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : c.sortValue
                        ? 'none'
                        : undefined
                  }
                >
                  {c.sortValue ? (
                    <button type="button" className="sort-btn" onClick={() => toggleSort(c.key)}>
                      {c.label}
                      <span aria-hidden="true" className="sort-btn__mark">
                        {sort?.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
              {actions && (
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const key = rowKey(row);
              return (
                <tr key={key} aria-selected={selected ? selected.has(key) : undefined}>
                  {selected && (
                    <td className="select-cell">
                      <input
                        type="checkbox"
                        checked={selected.has(key)}
                        onChange={() => {
                          const next = new Set(selected);
                          if (next.has(key)) next.delete(key);
                          else next.add(key);
                          onSelectedChange?.(next);
                        }}
                        aria-label={t('table.selectRow')}
                      />
                    </td>
                  )}
                  {columns.map((c) =>
                    c.rowHeader ? (
                      <th key={c.key} scope="row" data-label={c.label}>
                        {c.render(row)}
                      </th>
                    ) : (
                      <td key={c.key} data-label={c.label} className={c.numeric ? 'num' : undefined}>
                        {c.render(row)}
                      </td>
                    ),
                  )}
                  {actions && <td className="row-actions">{actions(row)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t('common.pagination')}>
        <button type="button" className="btn btn--small" disabled={current <= 1} onClick={() => setPage(current - 1)}>
          {t('common.previous')}
        </button>
        <span>
          {t('common.pageOf', { page: current, pages })} · {t('table.rows', { count: number(sorted.length) })}
        </span>
        <button
          type="button"
          className="btn btn--small"
          disabled={current >= pages}
          onClick={() => setPage(current + 1)}
        >
          {t('common.next')}
        </button>
        <label htmlFor={sizeId} className="pager__size">
          {t('table.pageSize')}
        </label>
        <select id={sizeId} value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </nav>
    </>
  );
}
