"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Symbols, Tooltip, XAxis, YAxis } from "recharts";
import { SERIES, type SeriesKey } from "@/features/data-quality/report/components/series";

/**
 * The report's two charts (recharts). Each is drawn in a box of fixed height (no layout shift
 * when it measures its width after hydration) and is one image to assistive technology: role="img"
 * with a text summary; the exact numbers are in the table beside it, which is the accessible truth.
 */

/** One bar: a category's shares in percent, and its label. */
export type ShareBar = { name: string } & Record<SeriesKey, number>;
/** One point of the trend: when (already in the viewer's zone) and the shares in percent. */
export type TrendRow = { when: string } & Record<SeriesKey, number>;

function Patterns({ id }: { id: string }) {
  return (
    <defs>
      {SERIES.map((series) => (
        <pattern key={series.key} id={`${id}-${series.key}`} width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill={series.colour} />
          {series.pattern === "dots" ? <circle cx="4" cy="4" r="1.4" fill="#ffffff" opacity="0.8" /> : null}
          {series.pattern === "stripes" ? <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" strokeWidth="1.6" opacity="0.85" /> : null}
          {series.pattern === "crosshatch" ? <path d="M0,0 L8,8 M8,0 L0,8" stroke="#ffffff" strokeWidth="1.3" opacity="0.85" /> : null}
        </pattern>
      ))}
    </defs>
  );
}

const percent = (value: unknown) => `${typeof value === "number" ? Math.round(value * 10) / 10 : value}%`;

export function ShareChart({ id, bars, summary }: { id: string; bars: ShareBar[]; summary: string }) {
  return (
    <div role="img" aria-label={summary} className="h-[248px] w-full min-w-0">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <Patterns id={id} />
          <CartesianGrid horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={percent} tick={{ fontSize: 12, fill: "#475569" }} />
          <YAxis type="category" dataKey="name" width={72} tick={{ fontSize: 12, fill: "#334155" }} />
          <Tooltip formatter={(value) => percent(value)} cursor={{ fill: "#f1f5f9" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} iconType="square" itemSorter={null} />
          {SERIES.map((series) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={series.label}
              stackId="share"
              fill={`url(#${id}-${series.key})`}
              stroke="#ffffff"
              strokeWidth={1}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function TrendChart({ rows, summary }: { rows: TrendRow[]; summary: string }) {
  return (
    <div role="img" aria-label={summary} className="h-[248px] w-full min-w-0">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="when" tick={{ fontSize: 12, fill: "#475569" }} minTickGap={16} />
          <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={percent} width={44} tick={{ fontSize: 12, fill: "#475569" }} />
          <Tooltip formatter={(value) => percent(value)} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {SERIES.map((series) => (
            <Line
              key={series.key}
              dataKey={series.key}
              name={series.label}
              stroke={series.colour}
              strokeWidth={2}
              strokeDasharray={series.dash}
              legendType={series.marker === "cross" ? "cross" : series.marker}
              dot={({ cx, cy, index }) => <Symbols key={index} cx={cx} cy={cy} type={series.marker} size={36} fill={series.colour} stroke="#ffffff" />}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
