"""Figure builders: a data frame in, a plotly Figure out. No Streamlit, no queries, labels through i18n.

Colours are fixed per channel and per quadrant so the same thing looks the same on every page. Plotly reads text as
a little HTML (``<a href>``, ``<b>``, ``<br>``, entities) in titles, ticks, legends, hovers and labels: every figure
ends in :func:`_layout`, which escapes the text its traces carry from the data (see :func:`escape_trace_text`).
Titles, templates and annotations are the catalog's own, and may use tags.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .config import CURRENCY
from .i18n import fmt_compact, fmt_money, fmt_month, fmt_pct, get_language, t, t_plain

PALETTE = ["#2563eb", "#f97316", "#10b981", "#8b5cf6", "#ef4444", "#0ea5e9", "#eab308", "#64748b", "#ec4899", "#14b8a6"]
PRIMARY, ACCENT, MUTED, GOOD, BAD = "#2563eb", "#f97316", "#94a3b8", "#10b981", "#ef4444"
QUADRANT_COLORS = {"growth_stock": GOOD, "cash_cow": PRIMARY, "sleeping_gold": "#eab308", "low_efficiency": MUTED}


def _interval_bars(d: pd.DataFrame, value: str, **style) -> dict:
    """Plotly error bars drawing the interval [ci_low, ci_high] of frame ``d`` around its column ``value``."""
    interval = {"array": d["ci_high"] - d[value], "arrayminus": d[value] - d["ci_low"]}
    return {"type": "data", "symmetric": False, **interval, "color": "#334155", **style}


def color_for(name: str, names: list[str] | None = None) -> str:
    """A stable colour for a category name (a channel, a segment): the same name gets the same colour everywhere."""
    if names and name in names:
        return PALETTE[sorted(names).index(name) % len(PALETTE)]
    return PALETTE[sum(ord(c) * (i + 1) for i, c in enumerate(str(name))) % len(PALETTE)]


def compact_ticks(*values, money: bool = False, count: int = 6) -> dict:
    """Axis settings (tickvals, ticktext) labelling about ``count`` round ticks the way the KPI cards write numbers.

    ``values`` are the series the axis shows; ticks cover them and zero. Labels use the locale's units (¥120万,
    3亿 in Chinese; ¥1.2M, 30K in English), where plotly's own SI format would say 1.2M and 30k in both.
    """
    nums = pd.to_numeric(pd.concat([pd.Series(v, dtype="float64") for v in values]), errors="coerce").dropna()
    lo, hi = (min(0.0, float(nums.min())), max(0.0, float(nums.max()))) if len(nums) else (0.0, 0.0)
    if hi - lo <= 0:
        return {"tickprefix": CURRENCY if money else "", "tickformat": "~s"}
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [i * step for i in range(math.floor(lo / step), math.ceil(hi / step) + 1)]
    label = fmt_money if money else fmt_compact
    # One decimal where a tick needs it (2.5万), none where it does not (30K, not 30.0K).
    text = [re.sub(r"\.0(?=\D*$)", "", label(x)) for x in ticks]
    return {"tickvals": ticks, "ticktext": text}


# Trace properties that carry values from the data and are shown as text (axis categories, legend names, labels,
# hover values). Templates (hovertemplate, texttemplate) are the code's and are left alone.
_DATA_TEXT = ("x", "y", "text", "hovertext", "labels", "parents", "ids", "name", "customdata", "legendgroup")


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_escaped(v) for v in value.ravel()], dtype=object).reshape(value.shape)
    if isinstance(value, (list, tuple)) and any(isinstance(v, (str, list, tuple, np.ndarray)) for v in value):
        return type(value)(_escaped(v) for v in value)
    return value


def escape_trace_text(fig: go.Figure) -> go.Figure:
    """Escape ``<``, ``>`` and ``&`` in every text value of ``fig``'s traces, so plotly shows it as written.

    A customer named ``<a href="http://...">`` is then a name in the hover, not a link; plotly turns the entities
    back into the characters. Selected points report their values escaped too: see :func:`unescape`.
    """
    for trace in fig.data:
        for prop in _DATA_TEXT:
            value = trace[prop] if prop in trace else None
            escaped = _escaped(value)
            if escaped is not value:
                trace[prop] = escaped
    return fig


def unescape(value: str) -> str:
    """A text value as the data holds it, from a selected point of a figure (the inverse of the escaping)."""
    return html.unescape(value)


def _layout(fig: go.Figure, title: str = "", height: int = 360) -> go.Figure:
    escape_trace_text(fig)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 48 if title else 16, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
        font={"family": "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif"},
        hoverlabel={"font_size": 12},
    )
    return fig


def _month_axis(fig: go.Figure) -> go.Figure:
    """Monthly x axes: real dates, labelled the locale's way, one tick per month at most."""
    fig.update_xaxes(tickformat="%Y年%-m月" if get_language() == "zh" else "%b %Y", title=None)
    return fig


def _markers(size: int, hollow=None) -> dict:
    """Round line markers, open where ``hollow`` is true: a point not final yet (a partial month, few answers)."""
    return {"symbol": "circle" if hollow is None else ["circle-open" if h else "circle" for h in hollow], "size": size}


def _labelled_point(fig: go.Figure, x, y, text: str, position: str, marker: dict, **kw) -> None:
    """One point drawn over the traces with ``text`` beside it, out of the legend (a mark, not a series)."""
    fig.add_scatter(
        x=[x], y=[y], mode="markers+text", text=[text], textposition=position, marker=marker, showlegend=False, **kw
    )


def _share_axis(fig: go.Figure, values, money: bool = False, **share) -> None:
    """A percentage axis on the right (``yaxis="y2"``) for shares, over the left one labelled for ``values``."""
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%", **share, "showgrid": False})
    fig.update_yaxes(title=None, selector={"overlaying": None}, **compact_ticks(values, money=money))


def fig_revenue_trend(df: pd.DataFrame) -> go.Figure:
    """Monthly revenue bars with the gross-margin line (when margin is known).

    Input columns: month, revenue, gross_margin.
    """
    fig = go.Figure()
    x = pd.to_datetime(df["month"])
    fig.add_bar(
        x=x,
        y=df["revenue"].astype(float),
        name=t("revenue"),
        marker_color=PRIMARY,
        hovertemplate=f"%{{x}}<br>{t('revenue')}: {CURRENCY}%{{y:,.2f}}<extra></extra>",
    )
    if df["gross_margin"].notna().any():
        fig.add_scatter(
            x=x,
            y=df["gross_margin"].astype(float),
            name=t("gross_margin"),
            mode="lines+markers",
            line={"color": ACCENT, "width": 2},
            hovertemplate=f"%{{x}}<br>{t('gross_margin')}: {CURRENCY}%{{y:,.2f}}<extra></extra>",
        )
    fig.update_yaxes(title=None, **compact_ticks(df["revenue"], df["gross_margin"], money=True))
    return _layout(_month_axis(fig), t("chart_revenue_trend"))


def fig_customer_trend(df: pd.DataFrame) -> go.Figure:
    """Active customers per month (line) and new customers (bars).

    Input columns: month, active_customers, new_customers.
    """
    fig = go.Figure()
    x = pd.to_datetime(df["month"])
    fig.add_bar(x=x, y=df["new_customers"], name=t("new_customers"), marker_color=GOOD, opacity=0.8)
    fig.add_scatter(
        x=x,
        y=df["active_customers"],
        name=t("active_customers"),
        mode="lines+markers",
        line={"color": PRIMARY, "width": 2},
    )
    fig.update_yaxes(title=None, **compact_ticks(df["new_customers"], df["active_customers"]))
    return _layout(_month_axis(fig), t("chart_customer_trend"))


QUADRANT_ORDER = ["growth_stock", "cash_cow", "sleeping_gold", "low_efficiency"]
# Which side of the splits each quadrant lies on: (high momentum, high value potential).
_QUADRANT_SIDES = {"growth_stock": (1, 1), "cash_cow": (1, 0), "sleeping_gold": (0, 1), "low_efficiency": (0, 0)}


def _quadrant_backgrounds(fig: go.Figure, x_split: float, y_split: float) -> None:
    """Tint each quadrant and write its name and recommended action in its outer corner."""
    for q in QUADRANT_ORDER:
        high_x, high_y = _QUADRANT_SIDES[q]
        fig.add_shape(
            type="rect",
            x0=x_split if high_x else 0,
            x1=100 if high_x else x_split,
            y0=y_split if high_y else 0,
            y1=100 if high_y else y_split,
            fillcolor=QUADRANT_COLORS[q],
            opacity=0.06,
            line_width=0,
            layer="below",
        )
        fig.add_annotation(
            x=100 if high_x else 0,
            y=100 if high_y else 0,
            xanchor="right" if high_x else "left",
            yanchor="top" if high_y else "bottom",
            showarrow=False,
            align="right" if high_x else "left",
            text=f"<b>{t('quadrant_' + q)}</b><br>{t('action_' + q)}",
            font={"color": QUADRANT_COLORS[q], "size": 13},
            bgcolor="rgba(255,255,255,0.75)",
        )


def _quadrant_bubbles(fig: go.Figure, df: pd.DataFrame) -> None:
    """One bubble trace per quadrant, bubble area by 12-month revenue (a net refund draws the smallest bubble)."""
    revenue = df["revenue_12m"].astype(float).clip(lower=0)
    sizeref = 2.0 * max(revenue.max(), 1) / (34**2)
    for q in QUADRANT_ORDER:
        part = df[df["quadrant"] == q]
        if part.empty:
            continue
        hover = (part["customer_id"], part["name"].fillna(""), part["revenue_12m"].astype(float), part["score"])
        fig.add_scatter(
            x=part["momentum"],
            y=part["value_potential"],
            mode="markers",
            name=t("quadrant_" + q),
            marker={
                "size": revenue[part.index],
                "sizemode": "area",
                "sizeref": sizeref,
                "sizemin": 3,
                "color": QUADRANT_COLORS[q],
                "opacity": 0.6,
                "line": {"width": 0.5, "color": "white"},
            },
            customdata=list(zip(*hover, strict=True)),
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b> %{{customdata[1]}}<br>{t('momentum')}: %{{x:.0f}}"
                f"<br>{t('value_potential')}: %{{y:.0f}}<br>{t('score')}: %{{customdata[3]:.0f}}"
                f"<br>{t('revenue_12m')}: {CURRENCY}%{{customdata[2]:,.0f}}<extra></extra>"
            ),
        )


def fig_quadrant_map(
    df: pd.DataFrame, x_split: float = 50, y_split: float = 50, selected: str | None = None
) -> go.Figure:
    """The investment map: momentum (x) against value potential (y), bubbles sized by 12-month revenue.

    Input columns: customer_id, name, revenue_12m, momentum, value_potential, score, quadrant. Quadrant names
    and their recommended actions are written in the corners; ``selected`` is outlined.
    """
    fig = go.Figure()
    _quadrant_backgrounds(fig, x_split, y_split)
    _quadrant_bubbles(fig, df)
    if selected is not None and (df["customer_id"] == selected).any():
        row = df[df["customer_id"] == selected].iloc[0]
        ring = {"size": 18, "color": "rgba(0,0,0,0)", "line": {"width": 3, "color": "#111827"}}
        _labelled_point(fig, row["momentum"], row["value_potential"], selected, "top center", ring, name=selected)
    fig.add_vline(x=x_split, line={"color": MUTED, "dash": "dash"})
    fig.add_hline(y=y_split, line={"color": MUTED, "dash": "dash"})
    fig.update_xaxes(range=[-2, 102], title=t("momentum_axis"), zeroline=False)
    fig.update_yaxes(range=[-2, 102], title=t("value_potential_axis"), zeroline=False)
    return _layout(fig, "", height=560)


def fig_conversion_ci(df: pd.DataFrame, overall: float | None) -> go.Figure:
    """Conversion rate per channel with its 95% interval; channels significantly above/below are coloured.

    Input columns: channel, leads, conversion_rate, ci_low, ci_high, significance.
    """
    d = df[df["leads"] > 0].sort_values("conversion_rate")
    colors = d["significance"].map({"above": GOOD, "below": BAD}).fillna(PRIMARY)
    fig = go.Figure(
        go.Bar(
            y=d["channel"],
            x=d["conversion_rate"],
            orientation="h",
            marker_color=colors,
            error_x=_interval_bars(d, "conversion_rate", thickness=1.2),
            customdata=list(zip(d["leads"], d["ci_low"], d["ci_high"], strict=True)),
            hovertemplate=(
                f"%{{y}}<br>{t('conversion_rate')}: %{{x:.1%}}<br>95%: %{{customdata[1]:.1%}} – "
                f"%{{customdata[2]:.1%}}<br>{t('leads')}: %{{customdata[0]:,}}<extra></extra>"
            ),
        )
    )
    if overall is not None:
        fig.add_vline(
            x=overall,
            line={"color": MUTED, "dash": "dash"},
            annotation_text=t("overall_rate"),
            annotation_position="top",
        )
    fig.update_xaxes(tickformat=".0%", title=None, rangemode="tozero")
    return _layout(fig, t("chart_conversion_ci"), height=max(260, 60 + 38 * len(d)))


def fig_spend_return(df: pd.DataFrame) -> go.Figure:
    """Spend against 365-day revenue per channel; the diagonal is break-even (ROAS 1), bubble size conversions.

    Input columns: channel, spend, revenue_365d, converted, roas.
    """
    d = df[df["spend"].notna() & (df["spend"].astype(float) > 0)].copy()
    d["spend"], d["revenue_365d"] = d["spend"].astype(float), d["revenue_365d"].fillna(0).astype(float)
    names = sorted(df["channel"].astype(str))
    fig = go.Figure()
    top = max(d["spend"].max() if len(d) else 1, d["revenue_365d"].max() if len(d) else 1) * 1.1
    fig.add_scatter(
        x=[0, top],
        y=[0, top],
        mode="lines",
        line={"color": MUTED, "dash": "dot"},
        name=t("break_even"),
        hoverinfo="skip",
    )
    for row in d.itertuples():
        # Named in the legend, not beside the bubble: channels with similar spend and return put their labels on
        # top of each other, and a label at the plot's edge was cut off.
        fig.add_scatter(
            x=[row.spend],
            y=[row.revenue_365d],
            mode="markers",
            name=row.channel,
            marker={
                "size": 12 + 30 * (row.converted / max(d["converted"].max(), 1)) ** 0.5,
                "color": color_for(row.channel, names),
                "opacity": 0.8,
            },
            hovertemplate=(
                f"%{{fullData.name}}<br>{t('spend')}: {CURRENCY}%{{x:,.0f}}<br>{t('revenue_365d')}: "
                f"{CURRENCY}%{{y:,.0f}}<br>ROAS: {row.roas:.2f}<extra></extra>"
            ),
        )
    fig.update_xaxes(title=t("spend"), rangemode="tozero", **compact_ticks(d["spend"], [top], money=True))
    fig.update_yaxes(title=t("revenue_365d"), rangemode="tozero", **compact_ticks(d["revenue_365d"], [top], money=True))
    return _layout(fig, t("chart_spend_return"))


def fig_conversion_by_month(df: pd.DataFrame) -> go.Figure:
    """Conversion rate of each month's leads per channel; months still maturing are drawn hollow.

    Input columns: month, channel, conversion_rate, is_maturing.
    """
    names = sorted(df["channel"].astype(str).unique())
    fig = go.Figure()
    for name in names:
        d = df[df["channel"] == name]
        fig.add_scatter(
            x=pd.to_datetime(d["month"]),
            y=d["conversion_rate"],
            name=name,
            mode="lines+markers",
            line={"color": color_for(name, names), "width": 2},
            marker=_markers(7, d["is_maturing"]),
            hovertemplate="%{fullData.name}<br>%{x|%Y-%m}: %{y:.1%}<extra></extra>",
        )
    fig.update_yaxes(tickformat=".0%", title=None, rangemode="tozero")
    return _layout(_month_axis(fig), t("chart_conversion_by_month"))


def fig_leads_by_month(df: pd.DataFrame) -> go.Figure:
    """Leads per month stacked by channel. Input columns: month, channel, leads."""
    names = sorted(df["channel"].astype(str).unique())
    fig = go.Figure()
    for name in names:
        d = df[df["channel"] == name]
        fig.add_bar(x=pd.to_datetime(d["month"]), y=d["leads"], name=name, marker_color=color_for(name, names))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=None, **compact_ticks(df.groupby("month")["leads"].sum()))
    return _layout(_month_axis(fig), t("chart_leads_by_month"))


def fig_revenue_treemap(df: pd.DataFrame) -> go.Figure:
    """Revenue won (first 365 days) by channel and campaign as a treemap.

    Input columns: channel, campaign, revenue_365d.
    """
    d = df[df["revenue_365d"].fillna(0).astype(float) > 0].copy()
    d["campaign"] = d["campaign"].fillna(t("no_campaign"))
    names = sorted(df["channel"].astype(str).unique())
    ids, labels, parents, values, colors = [], [], [], [], []
    for ch, part in d.groupby("channel"):
        ids.append(ch), labels.append(ch), parents.append(""), values.append(float(part["revenue_365d"].sum()))
        colors.append(color_for(ch, names))
        for row in part.itertuples():
            ids.append(f"{ch}/{row.campaign}"), labels.append(row.campaign), parents.append(ch)
            values.append(float(row.revenue_365d)), colors.append(color_for(ch, names))
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colors},
            texttemplate="%{label}<br>" + CURRENCY + "%{value:,.0f}",
            hovertemplate="%{label}: " + CURRENCY + "%{value:,.2f}<extra></extra>",
        )
    )
    return _layout(fig, t("chart_revenue_treemap"), height=420)


def fig_stage_funnel(df: pd.DataFrame, channel: str | None = None) -> go.Figure:
    """Leads per stage as a funnel, for one channel or all together.

    Input columns: channel, stage, leads, stage_order.
    """
    d = df if channel is None else df[df["channel"] == channel]
    d = d.groupby(["stage", "stage_order"], as_index=False)["leads"].sum().sort_values("stage_order")
    fig = go.Figure(go.Funnel(y=d["stage"], x=d["leads"], textinfo="value+percent total", marker={"color": PRIMARY}))
    return _layout(fig, t("chart_stage_funnel"), height=max(260, 70 + 45 * len(d)))


def _bars_with_share_line(
    x, bars, bar_name: str, bar_color: str, share, share_name: str, share_color: str, hollow=None
) -> go.Figure:
    """Monthly bars (left axis) with a share drawn as a line on a right percentage axis; ``hollow`` marks points."""
    fig = go.Figure()
    fig.add_bar(x=x, y=bars, name=bar_name, marker_color=bar_color)
    fig.add_scatter(
        x=x,
        y=share,
        name=share_name,
        yaxis="y2",
        mode="lines+markers",
        line={"color": share_color, "width": 2},
        marker=_markers(8, hollow),
        hovertemplate="%{x|%Y-%m}: %{y:.1%}<extra></extra>",
    )
    _share_axis(fig, bars, rangemode="tozero")
    return fig


def fig_churn(df: pd.DataFrame) -> go.Figure:
    """Customers active at each month's start (bars) and the monthly churn rate (line, right axis).

    Input columns: month, active_start, churn_rate, is_partial.
    """
    fig = _bars_with_share_line(pd.to_datetime(df["month"]), df["active_start"], t("active_start"), "#bfdbfe",
                                df["churn_rate"], t("churn_rate"), BAD, hollow=df["is_partial"])  # fmt: skip
    return _layout(_month_axis(fig), t("chart_churn"))


def fig_churn_flows(df: pd.DataFrame) -> go.Figure:
    """New, reactivated (up) and churned (down) customers per month.

    Input columns: month, new_customers, reactivated, churned.
    """
    fig = go.Figure()
    x = pd.to_datetime(df["month"])
    fig.add_bar(x=x, y=df["new_customers"], name=t("new_customers"), marker_color=GOOD)
    fig.add_bar(x=x, y=df["reactivated"], name=t("reactivated"), marker_color=PRIMARY)
    fig.add_bar(
        x=x,
        y=-df["churned"],
        name=t("churned"),
        marker_color=BAD,
        customdata=df["churned"],
        hovertemplate="%{x|%Y-%m}: %{customdata}<extra></extra>",
    )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title=None)
    return _layout(_month_axis(fig), t("chart_churn_flows"))


def fig_cohort_heatmap(df: pd.DataFrame, measure: str = "retention") -> go.Figure:
    """Cohort retention: rows are first-order months, columns months since; cells past the data are blank.

    Input columns: cohort_month, months_since, cohort_size and ``measure`` (retention or revenue_retention).
    """
    grid = df.pivot(index="cohort_month", columns="months_since", values=measure).sort_index()
    sizes = df.drop_duplicates("cohort_month").set_index("cohort_month")["cohort_size"].reindex(grid.index)
    labels = [f"{fmt_month(m)} (n={n:,})" for m, n in zip(grid.index, sizes, strict=True)]
    text = [[("" if pd.isna(v) else f"{v:.0%}") for v in row] for row in grid.values]
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=[str(c) for c in grid.columns],
            y=labels,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1 if measure == "retention" else max(1.0, float(df[measure].max() or 1)),
            hoverongaps=False,
            colorbar={"tickformat": ".0%"},
            hovertemplate=f"%{{y}}<br>{t('months_since')}: %{{x}}<br>%{{z:.1%}}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("months_since"), side="top")
    return _layout(fig, t("chart_cohort_" + measure), height=max(320, 60 + 26 * len(grid)))


def fig_retention_curves(df: pd.DataFrame, measure: str = "retention") -> go.Figure:
    """One retention curve per cohort (months since first order on x), newest cohorts darkest.

    Input columns: cohort_month, months_since and ``measure``.
    """
    fig = go.Figure()
    cohorts = sorted(df["cohort_month"].unique())
    for i, cohort in enumerate(cohorts):
        d = df[df["cohort_month"] == cohort]
        shade = 0.25 + 0.75 * (i + 1) / len(cohorts)
        fig.add_scatter(
            x=d["months_since"],
            y=d[measure],
            mode="lines",
            name=fmt_month(cohort),
            line={"color": f"rgba(37,99,235,{shade:.2f})", "width": 1.5},
        )
    fig.update_yaxes(tickformat=".0%", title=None)
    fig.update_xaxes(title=t("months_since"))
    fig.update_layout(showlegend=False)
    return _layout(fig, t("chart_retention_curves"))


def fig_churn_by_group(df: pd.DataFrame) -> go.Figure:
    """Average monthly churn per group (segment, region or channel), highest first.

    Input columns: group_value, churn_rate, active_start.
    """
    d = df.sort_values("churn_rate")
    fig = go.Figure(
        go.Bar(
            y=d["group_value"].fillna(t("unknown")),
            x=d["churn_rate"],
            orientation="h",
            marker_color=BAD,
            customdata=d["active_start"],
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat=".1%", title=None)
    return _layout(fig, t("chart_churn_by_group"), height=max(240, 60 + 34 * len(d)))


def fig_pareto(df: pd.DataFrame) -> go.Figure:
    """Pareto chart: value of each bucket of customers (largest first) and the cumulative share line, 80% marked.

    Input columns: bucket, bucket_value, customer_share, cumulative_share, first_rank, last_rank.
    """
    fig = go.Figure()
    x = df["customer_share"]
    fig.add_bar(
        x=x,
        y=df["bucket_value"].astype(float),
        name=t("value"),
        marker_color="#93c5fd",
        customdata=list(zip(df["first_rank"], df["last_rank"], strict=True)),
        hovertemplate=(
            f"{t('customers_ranked')} %{{customdata[0]:,}}–%{{customdata[1]:,}}<br>{CURRENCY}%{{y:,.0f}}<extra></extra>"
        ),
    )
    fig.add_scatter(
        x=x,
        y=df["cumulative_share"],
        name=t("cumulative_share"),
        yaxis="y2",
        mode="lines",
        line={"color": PRIMARY, "width": 2.5},
        hovertemplate="%{x:.0%} → %{y:.1%}<extra></extra>",
    )
    reach = df[df["cumulative_share"] >= 0.8]
    if len(reach):
        p = reach.iloc[0]
        label = t_plain("pareto_80_point", share=fmt_pct(p["customer_share"], 0))
        dot = {"size": 11, "color": ACCENT}
        _labelled_point(fig, p["customer_share"], p["cumulative_share"], label, "bottom right", dot, yaxis="y2")
    _share_axis(fig, df["bucket_value"].astype(float), money=True, range=[0, 1.05], dtick=0.2)
    fig.update_layout(bargap=0.05)
    fig.update_xaxes(tickformat=".0%", title=t("customers_ranked_axis"))
    return _layout(fig, t("chart_pareto"))


def fig_lorenz(df: pd.DataFrame, gini: float | None) -> go.Figure:
    """Lorenz curve (share of value held by the smallest customers) against the line of equality.

    Input columns: customer_share, cumulative_share (from the Pareto buckets).
    """
    x = [0.0] + sorted((1 - df["customer_share"]).clip(lower=0).tolist()) + [1.0]
    y = [0.0] + sorted((1 - df["cumulative_share"]).clip(lower=0).tolist()) + [1.0]
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line={"color": MUTED, "dash": "dot"}, name=t("equality"))
    fig.add_scatter(
        x=x,
        y=y,
        mode="lines",
        fill="tonexty",
        line={"color": PRIMARY, "width": 2.5},
        fillcolor="rgba(37,99,235,0.12)",
        name=t("lorenz"),
    )
    if gini is not None:
        fig.add_annotation(x=0.3, y=0.75, text=f"Gini = {gini:.3f}", showarrow=False, font={"size": 15})
    fig.update_xaxes(tickformat=".0%", title=t("lorenz_x"), range=[0, 1])
    fig.update_yaxes(tickformat=".0%", title=t("lorenz_y"), range=[0, 1])
    return _layout(fig, t("chart_lorenz"))


def fig_top20_trend(df: pd.DataFrame) -> go.Figure:
    """Top-20% share per quarter. Input columns: quarter, top20_share."""
    labels = [f"{pd.Timestamp(q).year} Q{(pd.Timestamp(q).month - 1) // 3 + 1}" for q in df["quarter"]]
    fig = go.Figure(
        go.Scatter(
            x=labels,
            y=df["top20_share"],
            mode="lines+markers+text",
            text=[f"{v:.0%}" if pd.notna(v) else "" for v in df["top20_share"]],
            textposition="top center",
            line={"color": PRIMARY, "width": 2},
        )
    )
    # Room above the highest point for its label, which the autorange does not count.
    shares = df["top20_share"].dropna()
    if len(shares):
        pad = max((shares.max() - shares.min()) * 0.2, 0.01)
        fig.update_yaxes(range=[shares.min() - pad, shares.max() + pad])
    fig.update_yaxes(tickformat=".0%", title=None)
    return _layout(fig, t("chart_top20_trend"))


def fig_whale(df: pd.DataFrame) -> go.Figure:
    """Profit whale curve: cumulative share of total margin with customers ranked by margin, peak marked.

    Input columns: customer_share, cumulative_margin_share, is_peak.
    """
    fig = go.Figure()
    fig.add_scatter(
        x=[0] + df["customer_share"].tolist(),
        y=[0] + df["cumulative_margin_share"].tolist(),
        mode="lines",
        line={"color": GOOD, "width": 2.5},
        name=t("whale_curve"),
        hovertemplate="%{x:.0%} → %{y:.0%}<extra></extra>",
    )
    peak = df[df["is_peak"]]
    if len(peak):
        p = peak.iloc[0]
        label = t_plain("whale_peak", share=fmt_pct(p["cumulative_margin_share"], 0))
        dot = {"size": 11, "color": BAD}
        # The peak is at the top of the chart, usually near its right end: the label goes below and to the left.
        _labelled_point(fig, p["customer_share"], p["cumulative_margin_share"], label, "bottom left", dot)
    fig.add_hline(y=1, line={"color": MUTED, "dash": "dot"})
    fig.update_xaxes(tickformat=".0%", title=t("customers_by_margin_axis"))
    fig.update_yaxes(tickformat=".0%", title=None)
    return _layout(fig, t("chart_whale"))


def fig_nps_trend(df: pd.DataFrame) -> go.Figure:
    """Monthly NPS with its 95% interval band; months under 30 answers drawn hollow.

    Input columns: month, nps, ci_low, ci_high, responses.
    """
    x = pd.to_datetime(df["month"])
    fig = go.Figure()
    fig.add_scatter(
        x=list(x) + list(x[::-1]),
        y=list(df["ci_high"]) + list(df["ci_low"][::-1]),
        fill="toself",
        fillcolor="rgba(37,99,235,0.12)",
        line={"width": 0},
        name=t("ci_band"),
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=x,
        y=df["nps"],
        mode="lines+markers",
        name="NPS",
        line={"color": PRIMARY, "width": 2.5},
        marker=_markers(8, df["responses"] < 30),
        customdata=list(zip(df["responses"], df["ci_low"], df["ci_high"], strict=True)),
        hovertemplate=(
            "%{x|%Y-%m}: NPS %{y:.1f}<br>95%: %{customdata[1]:.1f} – %{customdata[2]:.1f}"
            f"<br>{t('responses')}: %{{customdata[0]}}<extra></extra>"
        ),
    )
    fig.add_hline(y=0, line={"color": MUTED, "dash": "dot"})
    fig.update_yaxes(range=[-100, 100], title=None)
    return _layout(_month_axis(fig), t("chart_nps_trend"))


def fig_nps_mix(df: pd.DataFrame) -> go.Figure:
    """Share of promoters, passives and detractors per month (stacked to 100%).

    Input columns: month, promoters, passives, detractors, responses.
    """
    x = pd.to_datetime(df["month"])
    fig = go.Figure()
    for col, color in (("detractors", BAD), ("passives", MUTED), ("promoters", GOOD)):
        fig.add_bar(
            x=x,
            y=df[col] / df["responses"],
            name=t(col),
            marker_color=color,
            hovertemplate=f"%{{x|%Y-%m}}: %{{y:.0%}}<extra>{t(col)}</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], title=None)
    return _layout(_month_axis(fig), t("chart_nps_mix"))


def fig_nps_by_group(df: pd.DataFrame) -> go.Figure:
    """NPS per group with interval bars; groups under 30 answers are greyed and labelled.

    Input columns: group_value, nps, ci_low, ci_high, responses, is_small.
    """
    d = df.sort_values("nps")
    labels = [
        f"{(g if isinstance(g, str) else t('unknown'))} (n={n})"
        for g, n in zip(d["group_value"], d["responses"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=d["nps"],
            orientation="h",
            marker_color=[MUTED if s else PRIMARY for s in d["is_small"]],
            error_x=_interval_bars(d, "nps"),
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(range=[-100, 100], title="NPS")
    return _layout(fig, t("chart_nps_by_group"), height=max(260, 70 + 36 * len(d)))


def fig_referrals(df: pd.DataFrame) -> go.Figure:
    """Referrals per month (bars) and the share of new customers who came by referral (line).

    Input columns: month, referrals, referred_share.
    """
    fig = _bars_with_share_line(pd.to_datetime(df["month"]), df["referrals"], t("referrals"), "#a7f3d0",
                                df["referred_share"], t("referred_share"), GOOD)  # fmt: skip
    return _layout(_month_axis(fig), t("chart_referrals"))
