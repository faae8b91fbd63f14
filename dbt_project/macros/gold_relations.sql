{#
  On DuckDB, every gold source becomes a view in its schema (`gold`) over the local run's Parquet:
  <LISTENING_RUN_DIR>/gold/<table>/ (hive partitions included). The view selects exactly the
  columns the source declares, cast to the declared types, so a Parquet file that lacks a declared
  column fails here by name instead of somewhere downstream. A table the run never wrote (no new
  releases in development mode, a day without gaps) becomes an empty view of the declared shape.

  On BigQuery the gold tables exist (Terraform creates them, Spark fills them): nothing to do.
#}
{% macro create_gold_relations() %}
  {%- if target.type != 'duckdb' or not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set gold_dir = env_var('LISTENING_RUN_DIR', 'data/local') ~ '/gold' -%}
  {%- set statements = [] -%}
  {%- for node in graph.sources.values() | selectattr('source_name', 'equalto', 'gold') | sort(attribute='name') -%}
    {%- if not node.columns -%}
      {{ exceptions.raise_compiler_error("source gold." ~ node.name ~ " declares no columns: declare them (with data_type) in models/staging/_gold__sources.yml") }}
    {%- endif -%}
    {%- set files = gold_dir ~ '/' ~ node.identifier ~ '/**/*.parquet' -%}
    {%- set found = run_query("select count(*) from glob('" ~ files ~ "')").columns[0].values()[0] -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
      {%- if not column.data_type -%}
        {{ exceptions.raise_compiler_error("column " ~ column.name ~ " of source gold." ~ node.name ~ " has no data_type") }}
      {%- endif -%}
      {%- do columns.append('cast(' ~ (adapter.quote(column.name) if found > 0 else 'null') ~ ' as ' ~ duckdb_type(column.data_type) ~ ') as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) -%}
    {%- if found > 0 -%}
      {%- set from = "read_parquet('" ~ files ~ "', hive_partitioning = true, hive_types_autocast = false)" -%}
    {%- else -%}
      {%- set from = "(select 1) as no_rows where false" -%}
    {%- endif -%}
    {%- do statements.append('create or replace view ' ~ relation ~ ' as select ' ~ columns | join(', ') ~ ' from ' ~ from) -%}
    {%- if loop.first -%}
      {%- do statements.insert(0, 'create schema if not exists ' ~ relation.without_identifier()) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(statements | join(';\n')) }}
{% endmacro %}

{# Source types are written in BigQuery's words; DuckDB knows them all but arrays. #}
{% macro duckdb_type(data_type) %}
  {%- set t = data_type | trim | lower -%}
  {%- if t.startswith('array<') and t.endswith('>') -%}
    {{ return(duckdb_type(t[6:-1]) ~ '[]') }}
  {%- elif t == 'int64' -%}
    {{ return('bigint') }}
  {%- elif t == 'float64' -%}
    {{ return('double') }}
  {%- else -%}
    {{ return(t) }}
  {%- endif -%}
{% endmacro %}
