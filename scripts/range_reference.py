#!/usr/bin/env python3
"""Reference answers for the range functions, computed with pandas and scipy.

Usage: range_reference.py DIR
DIR holds calendar.csv (Tushare trade_cal: exchange,cal_date,is_open,pretrade_date), days.csv
(metric,factor,date,value; value may be empty for NaN), runs.csv (job,finished_at,duration) and queries.csv
(id,function,metric,range,unit,offset,offset_unit,q,today,time). Prints JSON: {id: {factor_or_job: value}},
non-finite values as the strings "NaN", "+Inf", "-Inf".
"""
import json
import math
import sys

import pandas as pd
from scipy import stats


def load(folder):
    calendar = pd.read_csv(f"{folder}/calendar.csv", dtype={"cal_date": str})
    calendar["day"] = pd.to_datetime(calendar["cal_date"], format="%Y%m%d")
    open_days = pd.DatetimeIndex(calendar.loc[calendar["is_open"] == 1, "day"]).sort_values()
    days = pd.read_csv(f"{folder}/days.csv", dtype={"date": str, "factor": str})
    days["day"] = pd.to_datetime(days["date"], format="%Y%m%d")
    runs = pd.read_csv(f"{folder}/runs.csv")
    queries = pd.read_csv(f"{folder}/queries.csv", dtype={"today": str}, keep_default_na=False)
    return open_days, days, runs, queries


def previous_open(open_days, day, steps):
    for _ in range(steps):
        day = open_days[open_days < day][-1]
    return day


def window(open_days, end, count, unit):
    if unit == "td":
        chosen = open_days[open_days <= end][-count:]
        return lambda d: d.isin(chosen)
    start = end - pd.Timedelta(days=count - 1)
    return lambda d: (d >= start) & (d <= end)


def reduce(function, values, q):
    s = pd.Series(values, dtype=float).dropna()
    if s.empty:
        return None
    if function == "avg_over_time":
        return s.mean()
    if function == "sum_over_time":
        return s.sum()
    if function == "min_over_time":
        return s.min()
    if function == "max_over_time":
        return s.max()
    if function == "count_over_time":
        return float(s.count())
    if function == "last_over_time":
        return s.iloc[-1]
    if function == "stddev_over_time":
        return s.std(ddof=0)
    if function == "quantile_over_time":
        return s.quantile(q)
    if function == "mad_over_time":
        return (s - s.median()).abs().median()
    if function == "delta":
        return None if len(s) < 2 else s.iloc[-1] - s.iloc[0]
    raise ValueError(function)


def robust_z(x, before):
    s = pd.Series(before, dtype=float).dropna()
    if s.empty or x is None or math.isnan(x):
        return None
    spread = stats.median_abs_deviation(s.to_numpy(), scale="normal")
    return (x - s.median()) / spread if spread != 0 else (math.copysign(math.inf, x - s.median()) if x != s.median() else math.nan)


def day_query(query, open_days, days):
    metric = days[days["metric"] == query["metric"]]
    today = pd.Timestamp(query["today"])
    anchor = days.loc[days["day"] <= today, "day"].max()
    end = anchor
    if query["offset"] > 0:
        end = previous_open(open_days, anchor, query["offset"]) if query["offset_unit"] == "td" \
            else anchor - pd.Timedelta(days=query["offset"])
    answers = {}
    for factor, series in metric.groupby("factor"):
        series = series.sort_values("day")
        if query["function"] == "zscore":
            at_end = series[series["day"] == end]
            if at_end.empty:
                continue
            before_end = previous_open(open_days, end, 1) if query["unit"] == "td" else end - pd.Timedelta(days=1)
            inside = window(open_days, before_end, query["range"], query["unit"])
            value = robust_z(at_end["value"].iloc[0], series.loc[inside(series["day"]), "value"].to_list())
        else:
            inside = window(open_days, end, query["range"], query["unit"])
            value = reduce(query["function"], series.loc[inside(series["day"]), "value"].to_list(), query["q"])
        if value is not None:
            answers[factor] = value
    return answers


def run_query(query, runs):
    answers = {}
    for job, series in runs[runs["finished_at"] <= query["time"]].groupby("job"):
        values = series.sort_values("finished_at")["duration"].to_list()
        if query["offset"] > 0:
            values = values[: -query["offset"]]
        if query["function"] == "zscore":
            if not values:
                continue
            value = robust_z(values[-1], values[:-1][-query["range"]:])
        else:
            value = reduce(query["function"], values[-query["range"]:], query["q"])
        if value is not None:
            answers[job] = value
    return answers


def main():
    open_days, days, runs, queries = load(sys.argv[1])
    result = {}
    for query in queries.to_dict("records"):
        query["q"] = float(query["q"]) if query["q"] != "" else math.nan
        if query["unit"] == "r":
            result[str(query["id"])] = run_query(query, runs)
        else:
            result[str(query["id"])] = day_query(query, open_days, days)
    def encode(value):
        if math.isnan(value):
            return "NaN"
        return value if math.isfinite(value) else ("+Inf" if value > 0 else "-Inf")

    print(json.dumps({key: {name: encode(float(v)) for name, v in answers.items()} for key, answers in result.items()}))


if __name__ == "__main__":
    main()
