{# Small SQL differences between BigQuery and DuckDB, dispatched per adapter. #}

{# ISO day of the week of a date: 1 = Monday ... 7 = Sunday. #}
{% macro iso_weekday(day) %}{{ return(adapter.dispatch('iso_weekday', 'listening')(day)) }}{% endmacro %}
{% macro bigquery__iso_weekday(day) %}mod(extract(dayofweek from {{ day }}) + 5, 7) + 1{% endmacro %}
{% macro default__iso_weekday(day) %}extract(isodow from {{ day }}){% endmacro %}

{# The Monday of a date's ISO week, as a date. #}
{% macro week_start(day) %}{{ return(adapter.dispatch('week_start', 'listening')(day)) }}{% endmacro %}
{% macro bigquery__week_start(day) %}date_trunc({{ day }}, isoweek){% endmacro %}
{% macro default__week_start(day) %}cast(date_trunc('week', {{ day }}) as date){% endmacro %}

{# A timestamp's UTC date. #}
{% macro utc_date(ts) %}{{ return(adapter.dispatch('utc_date', 'listening')(ts)) }}{% endmacro %}
{% macro bigquery__utc_date(ts) %}date({{ ts }}){% endmacro %}
{% macro default__utc_date(ts) %}cast({{ ts }} as date){% endmacro %}

{# Milliseconds from one timestamp to another. #}
{% macro millis_between(first, second) %}{{ return(adapter.dispatch('millis_between', 'listening')(first, second)) }}{% endmacro %}
{% macro bigquery__millis_between(first, second) %}timestamp_diff({{ second }}, {{ first }}, millisecond){% endmacro %}
{% macro default__millis_between(first, second) %}date_diff('millisecond', {{ first }}, {{ second }}){% endmacro %}

{# A stable key from several columns (what dbt_utils.generate_surrogate_key does; no packages here). #}
{% macro surrogate_key(columns) %}
  {%- set parts = [] -%}
  {%- for column in columns -%}
    {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
  {%- endfor -%}
  {{ return(dbt.hash(dbt.concat(parts))) }}
{% endmacro %}

{# The name of an ISO weekday number. #}
{% macro weekday_name(iso_weekday) -%}
  case {{ iso_weekday }}
    {%- for name in ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] %}
    when {{ loop.index }} then '{{ name }}'
    {%- endfor %}
  end
{%- endmacro %}
