{#
  Incremental marts rebuild only the partitions of the run's day: `--vars '{"run_date": "D"}'`.

  One strategy per adapter, the same rows on both: on BigQuery `insert_overwrite` with static
  partitions (the listed partitions are replaced, even by nothing); on DuckDB, which has no
  insert_overwrite, the `replace_days` strategy below (delete the listed partitions, insert the
  new rows). Either way a re-run of a day replaces that day and never appends.
#}

{# The run's day as a date, or none when no run_date was given. #}
{% macro run_date() %}
  {%- set value = var('run_date', none) -%}
  {%- if value is none or value | string | trim == '' -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set text = value | string | trim -%}
  {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
    {{ exceptions.raise_compiler_error("--vars run_date '" ~ text ~ "' is not a date: pass it as YYYY-MM-DD, e.g. --vars '{\"run_date\": \"2026-11-20\"}'") }}
  {%- endif -%}
  {{ return(modules.datetime.date.fromisoformat(text)) }}
{% endmacro %}

{#
  The partition values an incremental run of a model replaces: the run's day and `lookback` days
  before it (grain 'day'), or the Monday of the run's week (grain 'week').
#}
{% macro run_partition_days(grain='day', lookback=0) %}
  {%- set day = run_date() -%}
  {%- if day is none -%}
    {{ return([]) }}
  {%- endif -%}
  {%- if grain == 'week' -%}
    {{ return([day - modules.datetime.timedelta(days=day.weekday())]) }}
  {%- endif -%}
  {%- set days = [] -%}
  {%- for back in range(lookback, -1, -1) -%}
    {%- do days.append(day - modules.datetime.timedelta(days=back)) -%}
  {%- endfor -%}
  {{ return(days) }}
{% endmacro %}

{# Dates as SQL literals both adapters read: date '2026-11-20'. #}
{% macro date_literal(day) -%}
  date '{{ day.isoformat() if day is not string else day }}'
{%- endmacro %}

{#
  The config of a mart partitioned by a date column, incremental by the run's partitions:
  {{ config(**day_partitioned('listen_date', cluster_by=['user_key'])) }}
#}
{% macro day_partitioned(field, grain='day', lookback=0, cluster_by=none) %}
  {%- set partitions = [] -%}
  {%- for day in run_partition_days(grain, lookback) -%}
    {%- do partitions.append(date_literal(day)) -%}
  {%- endfor -%}
  {%- set cfg = {
      'materialized': 'incremental',
      'on_schema_change': 'fail',
      'partitions': partitions or none,
  } -%}
  {%- if target.type == 'bigquery' -%}
    {%- do cfg.update({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': {'field': field, 'data_type': 'date', 'granularity': 'day'},
        'cluster_by': cluster_by,
    }) -%}
  {%- else -%}
    {#- dbt-duckdb's partition_by means DuckLake partitioning: the column goes in its own key. -#}
    {%- do cfg.update({'incremental_strategy': 'replace_days', 'replace_days_column': field}) -%}
  {%- endif -%}
  {{ return(cfg) }}
{% endmacro %}

{#
  The rows of `column` an incremental run reads: "where <column> between first and last" of the
  given days (with `extra_before` more days at the front). Outside an incremental run, no filter.
  An incremental run without run_date is an error: it would not know which days to replace.
#}
{% macro where_run_days(column, grain='day', lookback=0, extra_before=0, extra_after=0) %}
  {%- if not is_incremental() -%}
    {{ return('') }}
  {%- endif -%}
  {%- set days = run_partition_days(grain, lookback) -%}
  {%- if not days -%}
    {{ exceptions.raise_compiler_error(this.identifier ~ " exists, so this run is incremental and needs the day to rebuild: pass --vars '{\"run_date\": \"YYYY-MM-DD\"}' (or --full-refresh to rebuild every day)") }}
  {%- endif -%}
  {%- set first = days[0] - modules.datetime.timedelta(days=extra_before) -%}
  {%- set last = days[-1] + modules.datetime.timedelta(days=(6 if grain == 'week' else 0) + extra_after) -%}
  {{ return('where ' ~ column ~ ' between ' ~ date_literal(first) ~ ' and ' ~ date_literal(last)) }}
{% endmacro %}

{#
  Keeps only rows of the partitions an incremental run replaces (for models that read more days
  than they write). Outside an incremental run, no filter.
#}
{% macro where_in_run_partitions(column, grain='day', lookback=0) %}
  {%- if not is_incremental() -%}
    {{ return('') }}
  {%- endif -%}
  {%- set literals = [] -%}
  {%- for day in run_partition_days(grain, lookback) -%}
    {%- do literals.append(date_literal(day)) -%}
  {%- endfor -%}
  {{ return('where ' ~ column ~ ' in (' ~ literals | join(', ') ~ ')') }}
{% endmacro %}

{# DuckDB's strategy for day_partitioned: replace exactly the listed partitions. #}
{% macro get_incremental_replace_days_sql(arg_dict) %}
  {%- set target_relation = arg_dict['target_relation'] -%}
  {%- set temp_relation = arg_dict['temp_relation'] -%}
  {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
  {%- set field = config.get('replace_days_column') -%}
  {%- set partitions = config.get('partitions') -%}
  {%- if not partitions -%}
    {{ exceptions.raise_compiler_error(target_relation ~ ": the replace_days strategy needs the partitions to replace: pass --vars '{\"run_date\": \"YYYY-MM-DD\"}'") }}
  {%- endif -%}
  delete from {{ target_relation }} where {{ field }} in ({{ partitions | join(', ') }});
  insert into {{ target_relation }} ({{ columns }})
  select {{ columns }} from {{ temp_relation }}
{% endmacro %}
