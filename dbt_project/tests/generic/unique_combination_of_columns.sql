{#
  The columns together are a key: no two rows share the combination (dbt_utils' test of the same
  name, written here because this project installs no dbt packages).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with duplicates as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as rows_with_this_key
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

)

select * from duplicates

{% endtest %}
