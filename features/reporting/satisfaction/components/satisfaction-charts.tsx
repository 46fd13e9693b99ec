"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * The satisfaction report's charts (recharts), in the house style of the data-quality report:
 * a box of fixed height, one image to assistive technology (role="img" with a text summary), the
 * exact numbers in the table beside it. Series differ by pattern as well as colour.
 */
export type CountSeries = { key: string; label: string; colour: string; pattern: "solid" | "stripes" };
export type CountBar = { name: string } & Record<string, number | string>;

function Patterns({ id, series }: { id: string; series: readonly CountSeries[] }) {
  return (
    <defs>
      {series.map((one) => (
        <pattern key={one.key} id={`${id}-${one.key}`} width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill={one.colour} />
          {one.pattern === "stripes" ? <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" strokeWidth="1.6" opacity="0.85" /> : null}
        </pattern>
      ))}
    </defs>
  );
}

export function CountChart({ id, bars, series, summary }: { id: string; bars: CountBar[]; series: readonly CountSeries[]; summary: string }) {
  const height = Math.max(140, 48 + bars.length * 36);
  return (
    <div role="img" aria-label={summary} className="w-full min-w-0" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <Patterns id={id} series={series} />
          <CartesianGrid horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} />
          <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12, fill: "#334155" }} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} iconType="square" itemSorter={null} /> : null}
          {series.map((one) => (
            <Bar
              key={one.key}
              dataKey={one.key}
              name={one.label}
              stackId="count"
              fill={`url(#${id}-${one.key})`}
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
